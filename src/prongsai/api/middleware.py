"""Every answer under /api/v1/ is JSON, errors included (issue 10 item 7): what Django or django-ninja
answer outside the API's own exception handlers (errors.install) is turned into `{"detail": "…"}` with
the same status code here. That covers a path that matches no route (a malformed path parameter such as
`/years/abc`: Django's HTML 404), a method the route does not take (ninja's empty 405, its Allow header
kept), and a crash (Django's HTML 500; the exception is logged by Django as usual).

In settings.MIDDLEWARE after SecurityMiddleware and CommonMiddleware, so it sees their answers too."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

PREFIX = "/api/v1/"
KEEP = ("Allow", "WWW-Authenticate", "Retry-After")


def _message(status: int) -> str:
    if status == 404:
        return _("ไม่พบข้อมูลที่ขอ")
    if status == 405:
        return _("ใช้วิธี (HTTP method) นี้กับที่อยู่นี้ไม่ได้")
    if status == 400:
        return _("อ่านคำขอไม่ได้")
    if status == 403:
        return _("ไม่มีสิทธิ์ทำรายการนี้")
    if status == 413:
        return _("คำขอใหญ่เกินไป")
    if status >= 500:
        return _("เกิดข้อผิดพลาดในระบบ ได้บันทึกไว้ให้ผู้ดูแลตรวจสอบแล้ว กรุณาลองใหม่ภายหลัง")
    return _("ทำรายการนี้ไม่ได้")


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().lower() == "application/json"


def json_error(request, status: int) -> HttpResponse:
    language = translation.get_language_from_request(request)
    with translation.override(language):
        body = json.dumps({"detail": _message(status)}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path_info.startswith(PREFIX) and response.status_code >= 400 and not _is_json(response)
                and not getattr(response, "streaming", False)):
            replaced = json_error(request, response.status_code)
            for name in KEEP:
                if response.has_header(name):
                    replaced[name] = response[name]
            for attribute in ("_csp_config", "_csp_exempt"):
                if hasattr(response, attribute):
                    setattr(replaced, attribute, getattr(response, attribute))
            return replaced
        return response
