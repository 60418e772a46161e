"""What every endpoint module shares: the error responses it documents and the list pagination."""

from __future__ import annotations

from typing import Any, Callable, Literal

from django.db.models import QuerySet
from ninja import Field, Path, Schema
from ninja.pagination import PaginationBase

from prongsai.api.schemas import MAX_ID, Error, ValidationErrors

# Every answer an endpoint can give is in the OpenAPI document (schemathesis checks it, scripts/api-schemathesis):
# 401 no or bad token · 403 no permission · 404 not found / not yours · 422 invalid path, query or body ·
# 400 a body that is not JSON (writes) · 409 the memo's state (memo actions).
READ = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
WRITE = {**READ, 400: Error}
MEMO_WRITE = {**WRITE, 409: Error}

# Path parameters, with their constraints in the schema (a value outside them is 422, not a crash).
SlugP = Path[str, {"max_length": 50, "pattern": r"^[-a-zA-Z0-9_]+$", "description": "รหัสหน่วยงาน (slug)"}]
YearP = Path[int, {"ge": 2500, "le": 2700, "description": "ปีพุทธศักราช"}]
RoundP = Path[Literal[3, 6, 9, 12], {"description": "รอบการติดตาม (เดือน)"}]
IdP = Path[int, {"ge": 1, "le": MAX_ID, "description": "id"}]
FormatP = Path[Literal["pdf", "docx", "html"], {"description": "รูปแบบไฟล์"}]


class Rows:
    """A queryset whose page is turned into JSON dicts only for the rows on that page."""

    def __init__(self, queryset: QuerySet, to_dict: Callable[[Any], dict]):
        self.queryset, self.to_dict = queryset, to_dict

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return [self.to_dict(row) for row in self.queryset[window]]


MAX_OFFSET = 1_000_000_000  # far past any list, and well inside a database integer (2^63 crashed: issue 10)


class Page(PaginationBase):
    """`?limit=50&offset=0` (limit at most 200); the answer is `{"count": N, "items": [...]}`."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=200)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def paginate_queryset(self, queryset, pagination: Input, **params: Any) -> Any:
        count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        return {"items": queryset[pagination.offset:pagination.offset + pagination.limit], "count": count}
