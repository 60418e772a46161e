"""How the API says no, always as JSON with a Thai `detail` (English when the client asks for it):

400 a body that is not JSON · 401 no or bad credentials · 403 a member without the permission, or a
session write without CSRF · 404 not found, or not the caller's agency · 409 the memo's state does not
allow the action · 422 invalid input: `{"detail": [{"loc": ["body", "rounds"], "msg": "…", "type": "…"}]}`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from prongsai.memos.services import MemoError

BODY_PARAM = "data"  # every endpoint names its JSON body `data`; error paths leave that name out


class CsrfFailed(HttpError):
    """A session-authenticated write without a valid CSRF token."""

    def __init__(self) -> None:
        super().__init__(403, "CSRF")


class Conflict(HttpError):
    """The object's state does not allow the action (e.g. signing a memo that is a draft)."""

    def __init__(self, message: str) -> None:
        super().__init__(409, message)


def _messages() -> dict[str, str]:
    return {
        "missing": _("กรุณาระบุข้อมูลนี้"),
        "string_type": _("ต้องเป็นข้อความ"),
        "string_too_long": _("ยาวได้ไม่เกิน %(max_length)s ตัวอักษร"),
        "string_too_short": _("ต้องยาวอย่างน้อย %(min_length)s ตัวอักษร"),
        "int_type": _("ต้องเป็นจำนวนเต็ม"),
        "int_parsing": _("ต้องเป็นจำนวนเต็ม"),
        "int_from_float": _("ต้องเป็นจำนวนเต็ม"),
        "decimal_type": _("ต้องเป็นตัวเลข"),
        "decimal_parsing": _("ต้องเป็นตัวเลข"),
        "float_parsing": _("ต้องเป็นตัวเลข"),
        "finite_number": _("ต้องเป็นตัวเลข"),
        "decimal_max_places": _("ทศนิยมได้ไม่เกิน %(decimal_places)s ตำแหน่ง"),
        "decimal_max_digits": _("ตัวเลขยาวเกินไป"),
        "decimal_whole_digits": _("ตัวเลขยาวเกินไป"),
        "greater_than_equal": _("ต้องไม่น้อยกว่า %(ge)s"),
        "less_than_equal": _("ต้องไม่เกิน %(le)s"),
        "greater_than": _("ต้องมากกว่า %(gt)s"),
        "less_than": _("ต้องน้อยกว่า %(lt)s"),
        "list_type": _("ต้องเป็นรายการ (JSON array)"),
        "dict_type": _("ต้องเป็น JSON object"),
        "model_type": _("ต้องเป็น JSON object"),
        "model_attributes_type": _("ต้องเป็น JSON object"),
        "date_type": _("ต้องเป็นวันที่แบบ YYYY-MM-DD (ปี ค.ศ.)"),
        "date_parsing": _("ต้องเป็นวันที่แบบ YYYY-MM-DD (ปี ค.ศ.)"),
        "date_from_datetime_parsing": _("ต้องเป็นวันที่แบบ YYYY-MM-DD (ปี ค.ศ.)"),
        "date_from_datetime_inexact": _("ต้องเป็นวันที่แบบ YYYY-MM-DD (ปี ค.ศ.)"),
        "bool_type": _("ต้องเป็น true หรือ false"),
        "bool_parsing": _("ต้องเป็น true หรือ false"),
        "literal_error": _("ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: %(expected)s"),
        "enum": _("ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: %(expected)s"),
        "json_invalid": _("ข้อมูลไม่ใช่ JSON ที่ถูกต้อง"),
        "json_type": _("ข้อมูลไม่ใช่ JSON ที่ถูกต้อง"),
        "extra_forbidden": _("ไม่มีช่องข้อมูลนี้"),
        "too_long": _("มีได้ไม่เกิน %(max_length)s รายการ"),
        "too_short": _("ต้องมีอย่างน้อย %(min_length)s รายการ"),
    }


def thai_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and ctx.get("error"):
        return str(ctx["error"])  # our validators raise ValueError with the Thai text
    if kind == "literal_error" and str(ctx.get("expected", "")) == "3, 6, 9 or 12":
        return _("รอบต้องเป็น 3, 6, 9 หรือ 12 (เดือน)")
    if kind == "literal_error":
        ctx = {**ctx, "expected": str(ctx.get("expected", "")).replace(" or ", _(" หรือ "))}
    template = _messages().get(kind)
    if template is None:
        return _("ข้อมูลไม่ถูกต้อง")
    try:
        return template % {k: str(v) for k, v in ctx.items()}
    except (KeyError, ValueError, TypeError):
        return template


def _loc(loc) -> list:
    loc = list(loc)
    if len(loc) > 2 and loc[0] == "body" and loc[1] == BODY_PARAM:
        del loc[1]
    return loc


def _json(api: NinjaAPI, request: HttpRequest, detail, status: int):
    return api.create_response(request, {"detail": detail}, status=status)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, exc):
        errors = [{"loc": _loc(e.get("loc", ())), "msg": thai_message(e), "type": e.get("type", "invalid")}
                  for e in exc.errors]
        return _json(api, request, errors, 422)

    @api.exception_handler(DjangoValidationError)
    def invalid_by_service(request, exc):
        return _json(api, request, service_errors(exc), 422)

    @api.exception_handler(MemoError)
    def memo_rule(request, exc):
        return _json(api, request, [{"loc": ["body"], "msg": str(exc), "type": "memo_rule"}], 422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = _json(api, request, _("ต้องยืนยันตัวตน: ส่งส่วนหัว Authorization: Bearer <โทเคน> "
                                         "(สร้างโทเคนได้ที่ /accounts/tokens/)"), 401)
        response["WWW-Authenticate"] = 'Bearer realm="prongsai"'
        return response

    @api.exception_handler(CsrfFailed)
    def csrf_failed(request, exc):
        return _json(api, request, _("คำขอที่เขียนข้อมูลผ่านการเข้าสู่ระบบของเบราว์เซอร์ต้องมี CSRF token "
                                     "(ส่วนหัว X-CSRFToken) หรือใช้โทเคน API แทน"), 403)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400:  # the body is not JSON (ninja's own message is English)
            return _json(api, request, _("อ่านข้อมูลในคำขอไม่ได้: ส่งข้อมูลเป็น JSON "
                                         "(Content-Type: application/json)"), 400)
        return _json(api, request, str(exc), exc.status_code)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return _json(api, request, _("ไม่มีสิทธิ์ทำรายการนี้ในหน่วยงานนี้"), 403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _json(api, request, _("ไม่พบข้อมูลที่ขอ"), 404)


def service_errors(exc: DjangoValidationError) -> list[dict]:
    """A service's ValidationError as 422 items: by field where it names one, else on the body."""
    if hasattr(exc, "error_dict"):
        return [{"loc": ["body"] if name == "__all__" else ["body", name], "msg": message, "type": "invalid"}
                for name, messages in exc.message_dict.items() for message in messages]
    return [{"loc": ["body"], "msg": message, "type": "invalid"} for message in exc.messages]
