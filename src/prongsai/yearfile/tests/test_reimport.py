"""Issue 10, item 2: re-importing a year file never silently undoes what was done in Prongsai.

The scenario of the issue, as `make run` leaves it: the demo data (the fictional agency's round 12 memo
signed by approver1..3 with comments, frozen and published), one evidence file uploaded in the browser,
then `prongsai import examples/sao-nong-bua-<year>.yaml` (the unchanged example, whose memo has an
approver without a date, and which knows nothing of the upload)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from prongsai.audit import services as audit
from prongsai.audit.models import AuditEntry
from prongsai.measures import services as measures
from prongsai.measures.models import Evidence, Measure, RoundResult
from prongsai.memos.models import Memo
from prongsai.reports.models import ReportVersion
from prongsai.web.management.commands.demo import EXAMPLES_DIR

pytestmark = pytest.mark.django_db


def _example(memo: Memo):
    """The example year file of the memo's agency-year (the fictional agency's, e.g. sao-nong-bua-2566.yaml)."""
    return EXAMPLES_DIR / f"sao-nong-bua-{memo.plan.fiscal_year}.yaml"

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture
def demo(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRONGSAI_PUBLIC_DIR = tmp_path / "public"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=StringIO())
    # The memo the demo approves and publishes (whichever year of the fictional agency that is).
    memo = Memo.objects.get(plan__agency__slug="sao-nong-bua-ngoen", status=Memo.Status.APPROVED)
    assert memo.versions.count() == 1 and _example(memo).exists()
    measure = Measure.objects.filter(plan=memo.plan).order_by("order").first()
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = measures.add_evidence_file(
            actor=get_user_model().objects.get(username="demo"), measure=measure, round=12,
            upload=SimpleUploadedFile("minutes.pdf", PDF), title="รายงานการประชุม (อัปโหลดในเบราว์เซอร์)")
    return memo, uploaded


def _state(memo: Memo) -> dict:
    memo = Memo.objects.get(pk=memo.pk)
    return {
        "status": memo.status,
        "signers": [(s.role, s.order, s.name, s.status, s.comment, s.signed_on, s.signed_at, s.user_id)
                    for s in memo.signers.order_by("role", "order")],
        "versions": list(ReportVersion.objects.filter(memo=memo).values_list("number", "pdf_sha256")),
    }


def _import(memo: Memo, *args, capture=None) -> str:
    out = StringIO()
    if capture is None:
        call_command("import", str(_example(memo)), *args, stdout=out, stderr=StringIO())
    else:
        with capture(execute=True):
            call_command("import", str(_example(memo)), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_reimporting_the_example_keeps_the_approval_and_the_upload(demo, django_capture_on_commit_callbacks):
    memo, uploaded = demo
    before = _state(memo)
    entries = AuditEntry.objects.count()

    out = _import(memo, capture=django_capture_on_commit_callbacks)

    assert _state(memo) == before  # still approved, approver 3's signature and comment, the version
    assert before["status"] == Memo.Status.APPROVED
    uploaded.refresh_from_db()
    assert uploaded.file.read() == PDF  # the row and its file are still there
    assert "left alone: reports: round 12: the memo is อนุมัติแล้ว (approved) with 3 signatures made in " \
           "Prongsai, 1 frozen report version: it is final" in out
    assert "kept, not in the file (1;" in out and "รายงานการประชุม (อัปโหลดในเบราว์เซอร์)" in out
    # The import itself is on the audit trail, and the chain still verifies.
    imported = AuditEntry.objects.filter(pk__gt=AuditEntry.objects.order_by("pk")[entries - 1].pk)
    assert imported.filter(action="yearfile.imported").count() == 1
    assert audit.verify() == []


def test_replace_deletes_the_upload_only_when_asked_after_a_preview(demo, django_capture_on_commit_callbacks):
    memo, uploaded = demo
    before = _state(memo)
    name = uploaded.file.name

    preview = _import(memo, "--replace", "--dry-run")
    assert preview.startswith("dry run, nothing written")
    assert "would be deleted, not in the file (1):" in preview and name in preview
    assert Evidence.objects.filter(pk=uploaded.pk).exists()

    out = _import(memo, "--replace", capture=django_capture_on_commit_callbacks)

    assert "deleted, not in the file (1):" in out and name in out
    assert not Evidence.objects.filter(pk=uploaded.pk).exists()
    from django.core.files.storage import default_storage
    assert not default_storage.exists(name)
    assert _state(memo) == before  # not even --replace changes an approved memo
    deleted = AuditEntry.objects.get(action="yearfile.import.deleted", object_type="measures.evidence")
    assert deleted.object_id == str(uploaded.pk) and deleted.changes["file"] == [name, None]
    assert audit.verify() == []


def test_every_change_an_import_makes_is_audited(demo):
    memo, _ = demo
    result = RoundResult.objects.filter(measure__plan=memo.plan).order_by("measure__order", "round").first()
    old = result.details
    result.details = "พิมพ์ในเบราว์เซอร์"
    result.save(update_fields=["details"])

    out = _import(memo)

    result.refresh_from_db()
    assert result.details == old  # the file knows this result: it updates it back...
    entry = AuditEntry.objects.get(action="yearfile.import.updated", object_type="measures.roundresult",
                                   object_id=str(result.pk))
    assert entry.changes == {"details": ["พิมพ์ในเบราว์เซอร์", old]}  # ...and the old text is on record
    assert entry.actor is None and entry.actor_name == f"prongsai import {_example(memo).name}"
    assert "updated 1 round result" in out
    assert audit.verify() == []


def test_a_memo_in_the_approval_chain_is_kept_unless_replace(settings, tmp_path):
    from prongsai.memos import services as memos
    from prongsai.memos.models import Signer

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRONGSAI_PUBLIC_DIR = tmp_path / "public"
    call_command("demo", stdout=StringIO())
    example = str(EXAMPLES_DIR / "tessaban-rae-2563.yaml")
    memo = Memo.objects.get(plan__agency__slug="tessaban-rae", round=6)
    User = get_user_model()
    for signer, name in zip(memo.approvers(), ("approver1", "approver2", "approver3")):
        Signer.objects.filter(pk=signer.pk).update(user=User.objects.get(username=name))
    memos.send_memo(memo=memo, by=User.objects.get(username="demo"))
    memos.sign_memo(memo=memo, by=User.objects.get(username="approver1"), comment="เห็นควรเสนอ")
    before = _state(memo)
    assert before["status"] == Memo.Status.IN_REVIEW

    out = StringIO()
    call_command("import", example, stdout=out)
    assert _state(memo) == before
    assert ("round 6: the memo is อยู่ระหว่างเสนอลงนาม (in_review) with 1 signature made in Prongsai: kept"
            in out.getvalue())

    call_command("import", example, "--replace", stdout=StringIO())
    after = _state(memo)
    assert after["status"] == Memo.Status.DRAFT and "เห็นควรเสนอ" not in str(after["signers"])
    assert AuditEntry.objects.filter(action="yearfile.import.updated", object_type="memos.memo",
                                     object_id=str(memo.pk)).exists()
    assert audit.verify() == []
