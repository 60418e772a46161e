"""What every endpoint module shares: the error responses it documents and the list pagination."""

from __future__ import annotations

from typing import Any, Callable

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from prongsai.api.schemas import Error, ValidationErrors

READ = {401: Error, 403: Error, 404: Error}
WRITE = {**READ, 422: ValidationErrors}
MEMO_WRITE = {**WRITE, 409: Error}


class Rows:
    """A queryset whose page is turned into JSON dicts only for the rows on that page."""

    def __init__(self, queryset: QuerySet, to_dict: Callable[[Any], dict]):
        self.queryset, self.to_dict = queryset, to_dict

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return [self.to_dict(row) for row in self.queryset[window]]


class Page(PaginationBase):
    """`?limit=50&offset=0` (limit at most 200); the answer is `{"count": N, "items": [...]}`."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=200)
        offset: int = Field(0, ge=0)

    def paginate_queryset(self, queryset, pagination: Input, **params: Any) -> Any:
        count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        return {"items": queryset[pagination.offset:pagination.offset + pagination.limit], "count": count}
