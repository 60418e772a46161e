import hashlib

import pytest

from prongsai.api.tests.conftest import OTHER, db_state, detail, field_errors
from prongsai.audit.models import AuditEntry
from prongsai.measures import services as measure_services
from prongsai.memos.models import Memo, RegisterEntry
from prongsai.reports.models import ReportVersion

MEMOS = "agencies/tessaban-rae/years/2563/memos"


@pytest.fixture
def drafted(clients):
    """The round-12 memo, drafted by the planner with the agency's default chain."""
    response = clients["planner"].post(MEMOS, {"round": 12, "date": "2020-09-25", "subject": "รายงานผลรอบ 12 เดือน"})
    assert response.status_code == 201, response.content
    return response.json()


def _actions() -> list[str]:
    return list(AuditEntry.objects.filter(object_type="memos.memo").order_by("id").values_list("action", flat=True))


def test_it_lists_and_shows_memos(clients):
    listing = clients["viewer"].get(MEMOS).json()
    assert listing["count"] == 1
    [memo] = listing["items"]
    assert (memo["round"], memo["number"], memo["date"], memo["status"]) == (6, 277, "2020-06-26", "draft")
    body = clients["viewer"].get(f"{MEMOS}/6").json()
    assert body["preparers"] == [{"order": 1, "name": "นางสาวปราณี จันทไชย", "rank": "",
                                  "position": "นักวิชาการตรวจสอบภายในชำนาญการ"}]
    assert body["approvers"][0]["name"] == "นางครสวรรค์ สุพัฒนานนท์" and body["approvers"][0]["username"] is None
    assert body["versions"] == [] and body["url"].endswith("/agencies/tessaban-rae/years/2563/memos/6/")


def test_it_drafts_a_memo_numbered_from_the_register(clients, drafted):
    assert drafted["status"] == "draft" and drafted["round"] == 12
    entry = RegisterEntry.objects.get(memo__round=12, memo__plan__agency__slug="tessaban-rae")
    assert drafted["number"] == entry.number and entry.year == 2563
    assert [a["username"] for a in drafted["approvers"]] == ["watchara", "thawi"]
    assert drafted["approvers"][0]["position"] == "รองปลัดเทศบาลตำบลแร่"
    assert drafted["approvers"][1]["name"] == "ทวี จันทเสนา" and drafted["approvers"][1]["rank"] == "จ.อ."
    assert drafted["created_by"] == "pranee"
    assert _actions() == ["memos.memo.drafted"]


def test_a_send_with_results_missing_asks_for_confirm_missing(clients, drafted):
    """As the page does: the round's measures without a result are named, nothing changes, and
    confirm_missing=true sends, recording them in the audit entry."""
    memo = f"{MEMOS}/12"
    before = db_state()
    asked = clients["planner"].post(f"{memo}/send")
    assert asked.status_code == 409 and "confirm_missing=true" in asked.json()["detail"]
    missing = measure_services.missing_results(Memo.objects.get(round=12).plan, 12)
    assert missing and all(m.title in asked.json()["detail"] for m in missing)
    assert db_state() == before
    sent = clients["planner"].post(f"{memo}/send?confirm_missing=true")
    assert sent.status_code == 200 and sent.json()["status"] == "in_review"
    entry = AuditEntry.objects.filter(action="memos.memo.sent").latest("id")
    assert entry.changes["sent_without_results"] == [None, [m.title for m in missing]]


def test_it_runs_the_whole_chain_to_an_approved_version(clients, drafted):
    memo = f"{MEMOS}/12"
    sent = clients["planner"].post(f"{memo}/send?confirm_missing=true")
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "in_review" and sent.json()["current_approver"]["username"] == "watchara"
    inbox = clients["approver"].get("inbox").json()
    assert [(i["agency"], i["memo"]["round"]) for i in inbox["items"]] == [("tessaban-rae", 12)]

    # The second approver's turn has not come.
    early = clients["second_approver"].post(f"{memo}/sign", {"comment": "เห็นชอบ"})
    assert early.status_code == 403

    first = clients["approver"].post(f"{memo}/sign", {"comment": "ทราบ เห็นควรเสนอปลัด"})
    assert first.status_code == 200, first.content
    assert first.json()["current_approver"]["username"] == "thawi"
    assert first.json()["approvers"][0]["comment"] == "ทราบ เห็นควรเสนอปลัด"

    last = clients["second_approver"].post(f"{memo}/sign", {"comment": "อนุมัติ"})
    assert last.status_code == 200, last.content
    body = last.json()
    assert body["status"] == "approved" and body["current_approver"] is None
    [version] = body["versions"]
    stored = ReportVersion.objects.get(memo__plan__agency__slug="tessaban-rae", memo__round=12)
    formats = {f["format"]: f for f in version["files"]}
    assert set(formats) == {"pdf", "docx", "html"}
    assert formats["pdf"]["sha256"] == stored.pdf_sha256
    download = clients["viewer"].client.get(formats["pdf"]["download_url"])
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == stored.pdf_sha256 == download["X-Content-SHA256"]
    assert download.content.startswith(b"%PDF")
    assert clients["outsider"].client.get(formats["pdf"]["download_url"]).status_code == 404
    versions = clients["viewer"].get(f"{memo}/versions").json()
    assert versions["count"] == 1 and versions["items"][0]["number"] == 1
    assert _actions() == ["memos.memo.drafted", "memos.memo.sent", "memos.memo.signed", "memos.memo.signed",
                          "memos.memo.approved", "reports.version.frozen"]


def test_it_returns_revises_updates_and_sends_again(clients, drafted):
    memo = f"{MEMOS}/12"
    clients["planner"].post(f"{memo}/send?confirm_missing=true")
    returned = clients["approver"].post(f"{memo}/return", {"reason": "แก้ไขวันที่"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["approvers"][0]["return_reason"] == "แก้ไขวันที่"
    assert clients["planner"].post(f"{memo}/revise").json()["status"] == "draft"
    updated = clients["planner"].put(memo, {"date": "2020-09-28", "subject": "รายงานฉบับแก้ไข",
                                            "approvers": [{"username": "thawi"}]})
    assert updated.status_code == 200, updated.content
    assert updated.json()["subject"] == "รายงานฉบับแก้ไข" and updated.json()["date"] == "2020-09-28"
    assert [a["username"] for a in updated.json()["approvers"]] == ["thawi"]
    assert clients["planner"].post(f"{memo}/send?confirm_missing=true").json()["current_approver"]["username"] == "thawi"


def test_it_answers_409_when_the_state_does_not_allow_it(clients, drafted):
    before = db_state()
    memo = f"{MEMOS}/12"
    response = clients["approver"].post(f"{memo}/sign", {"comment": "ทราบ"})
    assert response.status_code == 409 and "ฉบับร่าง" in detail(response)
    assert clients["approver"].post(f"{memo}/return", {"reason": "x"}).status_code == 409
    assert clients["planner"].post(f"{memo}/revise").status_code == 409
    assert clients["planner"].post(MEMOS, {"round": 12}).status_code == 409
    assert db_state() == before
    clients["planner"].post(f"{memo}/send?confirm_missing=true")
    assert clients["planner"].put(memo, {"date": "2020-09-28"}).status_code == 409
    assert clients["planner"].post(f"{memo}/send?confirm_missing=true").status_code == 409


def test_it_explains_bad_memos_in_thai(clients, drafted):
    before = db_state()
    errors = field_errors(clients["planner"].post(MEMOS, {"round": 5, "date": "25/09/2563"}))
    assert errors == {"body.round": ["รอบต้องเป็น 3, 6, 9 หรือ 12 (เดือน)"],
                      "body.date": ["ต้องเป็นวันที่แบบ YYYY-MM-DD (ปี ค.ศ.)"]}
    errors = field_errors(clients["planner"].post(MEMOS, {"round": 9, "approvers": [{"username": "somchai"}]}))
    assert errors == {"body.approvers.0.username": ["ไม่มีผู้บังคับบัญชาชื่อผู้ใช้ somchai ในหน่วยงานนี้"]}
    errors = field_errors(clients["approver"].post(f"{MEMOS}/12/sign", {"comment": ""}))
    assert errors == {"body.comment": ["ต้องยาวอย่างน้อย 1 ตัวอักษร"]}
    assert db_state() == before


def test_it_refuses_a_send_without_approvers(clients):
    clients["planner"].post(MEMOS, {"round": 9, "approvers": []})
    response = clients["planner"].post(f"{MEMOS}/9/send")
    assert field_errors(response) == {"body": ["ผู้บังคับบัญชา: กรุณาระบุผู้บังคับบัญชาอย่างน้อยหนึ่งคนก่อนส่ง"]}
    assert Memo.objects.get(plan__agency__slug="tessaban-rae", round=9).status == "draft"


def test_it_refuses_outsiders_readers_and_anonymous(clients, drafted):
    before = db_state()
    memo = f"{MEMOS}/12"
    assert clients["outsider"].get(memo).status_code == 404
    assert clients["outsider"].post(MEMOS, {"round": 9}).status_code == 404
    assert clients["outsider"].post(f"{memo}/send?confirm_missing=true").status_code == 404
    assert clients["viewer"].post(MEMOS, {"round": 9}).status_code == 403
    assert clients["viewer"].post(f"{memo}/send?confirm_missing=true").status_code == 403
    assert clients["approver"].post(f"{memo}/send?confirm_missing=true").status_code == 403
    assert clients["admin"].post(f"{memo}/sign", {"comment": "x"}).status_code == 403
    assert clients["planner"].post(f"{memo}/sign", {"comment": "x"}).status_code == 403
    assert clients["anonymous"].get(MEMOS).status_code == 401
    assert clients["planner"].get(f"agencies/{OTHER}/years/2563/memos/6").status_code == 404
    assert clients["planner"].post(f"agencies/{OTHER}/years/2563/memos/6/send").status_code == 404
    assert db_state() == before
