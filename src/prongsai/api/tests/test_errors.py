"""Issue 10 item 7: every answer under /api/v1/ is JSON (malformed path parameters, unknown routes, a
method a route does not take, a crash), huge numbers are refused with 422 instead of crashing, and the
OpenAPI document describes the refusals and the constraints."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from .conftest import YEAR, field_errors

AGENCY = "tessaban-rae"
LISTS = [  # every list endpoint (paginated with ?limit=&offset=)
    "/api/v1/agencies",
    "/api/v1/inbox",
    f"/api/v1/agencies/{AGENCY}/years",
    f"/api/v1/agencies/{AGENCY}/scores",
    f"/api/v1/agencies/{AGENCY}/years/{YEAR}/measures",
    f"/api/v1/agencies/{AGENCY}/years/{YEAR}/memos",
    f"/api/v1/agencies/{AGENCY}/years/{YEAR}/memos/6/versions",
]


def _json_error(response, status: int) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    return response.json()["detail"]


def _document() -> dict:
    return json.loads(Client().get("/api/v1/openapi.json").content)


@pytest.mark.parametrize("path", [
    f"/api/v1/agencies/{AGENCY}/years/abc",  # {int:year} does not match: no route
    f"/api/v1/agencies/{AGENCY}/years/{YEAR}/measures/1.5",
    "/api/v1/no-such-thing",
    "/api/v1/",
])
def test_a_path_that_matches_no_route_is_a_json_404(clients, path):
    assert _json_error(clients["planner"].get(path), 404) == "ไม่พบข้อมูลที่ขอ"


def test_a_method_the_route_does_not_take_is_a_json_405_with_allow(clients):
    response = clients["planner"].call("PATCH", "me")
    assert _json_error(response, 405)
    assert response["Allow"] == "GET"


@pytest.mark.urls("prongsai.api.tests.crash_urls")
def test_a_crash_is_a_json_500_and_is_logged(caplog):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="th")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/crash-for-tests")
    assert "เกิดข้อผิดพลาดในระบบ" in _json_error(response, 500)
    assert "a bug" not in response.content.decode()  # no traceback or message leaks
    assert any(record.exc_info and "a bug" in str(record.exc_info[1]) for record in caplog.records)


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("query", ["offset=9223372036854775808", "offset=99999999999999999999999",
                                   "limit=9223372036854775808", "offset=-1", "limit=0"])
def test_huge_or_negative_paging_is_a_422_on_every_list(clients, path, query):
    errors = field_errors(clients["planner"].get(f"{path}?{query}"))
    assert set(errors) == {f"query.{query.split('=')[0]}"}


@pytest.mark.parametrize("path", [
    f"/api/v1/agencies/{AGENCY}/years/{YEAR}/measures/9223372036854775808",
    f"/api/v1/agencies/{AGENCY}/years/99999999999999999999/memos",
    f"/api/v1/agencies/{AGENCY}/years/{YEAR}/memos/5",
    f"/api/v1/agencies/{AGENCY}/years/{YEAR}/memos/6/versions/1/exe",
    "/api/v1/agencies/not%20a%20slug",
    "/api/v1/agencies/" + "a" * 51,
])
def test_path_parameters_outside_their_range_are_a_422(clients, path):
    assert _json_error(clients["planner"].get(path), 422)


def test_huge_ids_in_a_body_are_a_422(clients):
    errors = field_errors(clients["planner"].post(f"agencies/{AGENCY}/years/{YEAR}/measures", {
        "title": "มาตรการ", "rounds": [6], "units": [2**63]}))
    assert set(errors) == {"body.units.0"}


def test_the_document_lists_every_refusal_an_operation_can_give():
    for path, operations in _document()["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "404", "422"} <= codes, (method, path)
            if method in ("post", "put") and "requestBody" in operation:
                assert "400" in codes, (method, path)
            if "/memos" in path and method != "get":
                assert "409" in codes, (method, path)
            for code in codes - {"200", "201", "204"}:
                content = operation["responses"][code]["content"]["application/json"]
                assert content["schema"], (method, path, code)


def test_the_document_holds_the_constraints():
    document = _document()
    operation = document["paths"]["/api/v1/agencies/{slug}/years/{year}/memos/{round}"]["get"]
    params = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert params["round"]["enum"] == [3, 6, 9, 12]
    assert (params["year"]["minimum"], params["year"]["maximum"]) == (2500, 2700)
    assert params["slug"]["maxLength"] == 50 and params["slug"]["pattern"]
    listing = document["paths"]["/api/v1/agencies"]["get"]
    paging = {p["name"]: p["schema"] for p in listing["parameters"]}
    assert paging["offset"]["maximum"] == 1_000_000_000 and paging["limit"]["maximum"] == 200
    schemas = document["components"]["schemas"]
    assert schemas["MemoDraftIn"]["properties"]["round"]["enum"] == [3, 6, 9, 12]
    rounds = schemas["MeasureIn"]["properties"]["rounds"]
    assert rounds["items"]["enum"] == [3, 6, 9, 12] and rounds["minItems"] == 1
    assert schemas["YearIn"]["properties"]["fiscal_year"]["minimum"] == 2500
