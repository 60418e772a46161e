"""The REST API: /api/v1/ (django-ninja). The OpenAPI document is at /api/v1/openapi.json, the
browsable docs at /api/v1/docs (Swagger UI served from the installed package, no CDN).

Endpoints live in prongsai.api.endpoints, one module per resource; every lookup goes through
prongsai.api.lookups (the browser's scoping) and every write through the owning app's services.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from prongsai.api import errors
from prongsai.api.auth import SessionAuth, TokenAuth
from prongsai.api.endpoints import agencies, measures, memos, results, scores, years

DESCRIPTION = """REST API ของโปร่งใส (Prongsai): หน่วยงาน ปีงบประมาณ ผลการประเมิน ITA มาตรการ
ผลการดำเนินงานรายรอบ หลักฐาน และบันทึกข้อความกับลำดับการลงนาม

ยืนยันตัวตนด้วยส่วนหัว `Authorization: Bearer <โทเคน>` (สร้างโทเคนได้ที่ /accounts/tokens/)
สิทธิ์เป็นไปตามบทบาทในหน่วยงานเช่นเดียวกับหน้าเว็บ: ผู้ที่ไม่ใช่สมาชิกได้ 404 สมาชิกที่ไม่มีสิทธิ์ได้ 403

ค่าเป็นค่าดิบ: ตัวเลขอารบิก วันที่ ISO (ค.ศ.) ปีงบประมาณและปีที่ประเมินเป็น พ.ศ. คะแนนเป็นสตริงทศนิยม
รายการแบ่งหน้าด้วย `?limit=&offset=` ได้ `{"count": N, "items": [...]}`"""


class OfflineSwagger(DocsBase):
    """Swagger UI with its script and style served by this app (see views.docs_asset), not a CDN."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout", "deepLinking": True}
        return render(request, "api/swagger.html", {"api": api, "swagger_settings": json.dumps(settings)})


api = NinjaAPI(
    title="Prongsai API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
for module in (agencies, years, scores, measures, results, memos):
    api.add_router("", module.router)
