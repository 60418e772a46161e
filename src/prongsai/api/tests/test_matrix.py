"""Roles × endpoints: every endpoint and method of the API, asked by each persona, gets the status the
permission policy gives that role; a refused call changes nothing in the database, and nobody reaches
another agency's rows (by its slug, or by an id of it under their own agency's slug)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prongsai.agencies.models import Membership
from prongsai.api.tests.conftest import OTHER, db_state
from prongsai.measures import services as measures
from prongsai.memos import services as memos
from prongsai.web.tests import factories

Role = Membership.Role
AGENCY = "agencies/tessaban-rae"
Y = f"{AGENCY}/years/2563"
ROLES = ["admin", "planner", "approver", "complaint_officer", "viewer", "outsider", "anonymous"]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"

# What each role may do in the agency (agencies.policy); "any": every signed-in caller.
MAY = {
    "any": {"admin", "planner", "approver", "complaint_officer", "viewer", "outsider"},
    "view": {"admin", "planner", "approver", "complaint_officer", "viewer"},
    "edit": {"admin", "planner"},
    "draft": {"admin", "planner"},
    "sign": {"approver"},  # the approver whose turn it is (the admin may not sign)
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # formatted with the world's ids
    perm: str
    ok: int = 200
    body: dict | Callable | None = None
    upload: bool = False
    needs_version: bool = False
    foreign: str = ""  # the same call under the outsider's own slug, with this agency's ids: must be 404
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


MEASURE_BODY = {"title": "การใช้งบประมาณ", "rounds": [6, 12], "indicator": 2}
RESULT_BODY = {"details": "ประชุมชี้แจง", "period": "กันยายน 2563"}
F = f"agencies/{OTHER}/years/2563"

ENDPOINTS = [
    Endpoint("GET", "me", "any"),
    Endpoint("GET", "agencies", "any"),
    Endpoint("GET", "inbox", "any"),
    Endpoint("GET", AGENCY, "view"),
    Endpoint("GET", f"{AGENCY}/years", "view"),
    Endpoint("POST", f"{AGENCY}/years", "edit", 201, {"fiscal_year": 2566}),
    Endpoint("GET", Y, "view"),
    Endpoint("GET", f"{AGENCY}/scores", "view"),
    Endpoint("GET", f"{AGENCY}/scores/2562", "view"),
    Endpoint("PUT", f"{AGENCY}/scores/2562", "edit", 200, {"indicators": {"1": 90, "2": 80}}),
    Endpoint("GET", f"{Y}/measures", "view"),
    Endpoint("POST", f"{Y}/measures", "edit", 201, MEASURE_BODY),
    Endpoint("POST", f"{Y}/measures/reorder", "edit", 200, lambda w: {"order": [w["m2"], w["m1"]]}),
    Endpoint("GET", f"{Y}/measures/{{m1}}", "view", foreign=f"{F}/measures/{{m1}}"),
    Endpoint("PUT", f"{Y}/measures/{{m1}}", "edit", 200, MEASURE_BODY, foreign=f"{F}/measures/{{m1}}"),
    Endpoint("DELETE", f"{Y}/measures/{{m2}}", "edit", 204, foreign=f"{F}/measures/{{m2}}"),
    Endpoint("POST", f"{Y}/measures/{{m2}}/move", "edit", 200, {"direction": "up"},
             foreign=f"{F}/measures/{{m2}}/move"),
    Endpoint("GET", f"{Y}/measures/{{m1}}/rounds/6", "view", foreign=f"{F}/measures/{{m1}}/rounds/6"),
    Endpoint("PUT", f"{Y}/measures/{{m1}}/rounds/12", "edit", 200, RESULT_BODY,
             foreign=f"{F}/measures/{{m1}}/rounds/12"),
    Endpoint("DELETE", f"{Y}/measures/{{m1}}/rounds/6", "edit", 204, foreign=f"{F}/measures/{{m1}}/rounds/6"),
    Endpoint("GET", f"{Y}/measures/{{m1}}/rounds/6/evidence", "view", foreign=f"{F}/measures/{{m1}}/rounds/6/evidence"),
    Endpoint("POST", f"{Y}/measures/{{m1}}/rounds/6/evidence", "edit", 201, {"url": "https://rae.go.th/a.pdf"},
             foreign=f"{F}/measures/{{m1}}/rounds/6/evidence"),
    Endpoint("POST", f"{Y}/measures/{{m1}}/rounds/6/evidence/file", "edit", 201, upload=True,
             foreign=f"{F}/measures/{{m1}}/rounds/6/evidence/file"),
    Endpoint("DELETE", f"{Y}/evidence/{{link}}", "edit", 204, foreign=f"{F}/evidence/{{link}}"),
    Endpoint("GET", f"{Y}/evidence/{{file}}/file", "view", foreign=f"{F}/evidence/{{file}}/file"),
    Endpoint("GET", f"{Y}/memos", "view"),
    Endpoint("POST", f"{AGENCY}/years/2564/memos", "draft", 201, {"round": 3, "subject": "รายงานรอบ 3 เดือน"}),
    Endpoint("GET", f"{Y}/memos/6", "view"),
    Endpoint("PUT", f"{Y}/memos/3", "draft", 200, {"date": "2020-01-10", "subject": "แก้ไข"}),
    Endpoint("POST", f"{Y}/memos/3/send", "draft"),
    Endpoint("POST", f"{Y}/memos/12/sign", "sign", 200, {"comment": "ทราบ"}),
    Endpoint("POST", f"{Y}/memos/12/return", "sign", 200, {"reason": "แก้ไขตาราง"}),
    Endpoint("POST", f"{Y}/memos/9/revise", "draft"),
    Endpoint("GET", f"{AGENCY}/years/2564/memos/6/versions", "view", needs_version=True),
    Endpoint("GET", f"{AGENCY}/years/2564/memos/6/versions/1/pdf", "view", needs_version=True),
]


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("หลักฐาน.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def world(users, plan) -> dict:
    """Rows for every endpoint to act on: the two measures, a link and a file as evidence, and an empty
    FY 2564 for a new draft memo."""
    m1, m2 = plan.measures.order_by("order")
    link = m1.results.get(round=6).evidence.get()
    file = measures.add_evidence_file(actor=users["planner"], measure=m1, round=6, upload=_upload())
    factories.make_plan(plan.agency, 2564)
    return {"m1": m1.pk, "m2": m2.pk, "link": link.pk, "file": file.pk}


def _memos_in_every_state(plan, users) -> None:
    """FY 2563's round memos: 3 a draft, 6 imported (factories), 9 returned, 12 waiting for the first
    approver. Made only for the endpoints that use them (drafting a memo takes a while)."""
    planner = users["planner"]
    for months in (3, 9, 12):
        memos.draft_memo(plan=plan, round=months, by=planner, subject=f"รายงานผลการดำเนินงานรอบ {months} เดือน")
    for months in (9, 12):
        memos.send_memo(memo=plan.memos.get(round=months), by=planner)
    memos.return_memo(memo=plan.memos.get(round=9), by=users["approver"], reason="แก้ไข")


def _approved_version(plan_2564, users) -> None:
    memo = memos.draft_memo(plan=plan_2564, round=6, by=users["planner"], subject="รายงานรอบ 6 เดือน")
    memos.send_memo(memo=memo, by=users["planner"])
    memos.sign_memo(memo=memo, by=users["approver"], comment="ทราบ")
    memos.sign_memo(memo=memo, by=users["second_approver"], comment="อนุมัติ")


def _call(client, endpoint: Endpoint, world: dict, path: str):
    body = endpoint.body(world) if callable(endpoint.body) else endpoint.body
    if endpoint.upload:
        return client.client.post(f"/api/v1/{path}", {"file": _upload()})
    return client.call(endpoint.method, path, body)


def expected(endpoint: Endpoint, role: str) -> int:
    if role == "anonymous":
        return 401
    if role in MAY[endpoint.perm]:
        return endpoint.ok
    return 404 if role == "outsider" else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_each_role_gets_what_the_policy_allows(endpoint, role, clients, world, users, plan):
    if "/memos" in endpoint.path or endpoint.path == "inbox":
        _memos_in_every_state(plan, users)
    if endpoint.needs_version:
        _approved_version(plan.agency.years.get(fiscal_year=2564), users)
    path = endpoint.path.format(**world)
    before = db_state()
    response = _call(clients[role], endpoint, world, path)
    assert response.status_code == expected(endpoint, role), (role, str(endpoint), response.content[:300])
    if response.status_code >= 400 or endpoint.method == "GET":
        assert db_state() == before, f"{role} {endpoint} changed the database"
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json")
        assert isinstance(response.json()["detail"], (str, list))


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.foreign], ids=str)
def test_no_one_reaches_another_agencys_rows_through_their_own(endpoint, clients, world):
    """The outsider is an admin of their own agency: asking there for this agency's ids finds nothing."""
    before = db_state()
    response = _call(clients["outsider"], endpoint, world, endpoint.foreign.format(**world))
    assert response.status_code == 404, (str(endpoint), response.content[:300])
    assert db_state() == before


def test_an_outsiders_lists_hold_nothing_of_this_agency(clients, world, plan, users):
    _memos_in_every_state(plan, users)
    slugs = [a["slug"] for a in clients["outsider"].get("agencies").json()["items"]]
    assert slugs == [OTHER]
    assert [a["slug"] for a in clients["outsider"].get("me").json()["agencies"]["items"]] == [OTHER]
    assert clients["outsider"].get("inbox").json() == {"items": [], "count": 0}
