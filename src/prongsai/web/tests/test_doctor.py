"""Issue 10, item 11: stored files follow the transaction they were written in, and `prongsai doctor`
lists orphan files and orphan rows."""

import os
import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction

from prongsai.lib.txfiles import delete_on_rollback
from prongsai.memos import services as memos
from prongsai.memos.models import Memo, Signer
from prongsai.reports.models import FORMATS, ReportVersion

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRONGSAI_PUBLIC_DIR = tmp_path / "public"
    return settings.MEDIA_ROOT


def _files(root) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _doctor(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("doctor", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_a_file_saved_in_a_transaction_that_rolls_back_is_removed(media):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            name = default_storage.save("x/kept-only-on-commit.txt", ContentFile(b"x"))
            delete_on_rollback([name])
            assert default_storage.exists(name)  # visible inside the transaction
            raise RuntimeError("failure after the write")
    assert not default_storage.exists(name)

    with transaction.atomic():
        name = default_storage.save("x/committed.txt", ContentFile(b"x"))
        delete_on_rollback([name])
    assert default_storage.exists(name)


def test_a_savepoint_rolled_back_removes_only_its_own_files(media):
    with transaction.atomic():
        outer = default_storage.save("x/outer.txt", ContentFile(b"x"))
        delete_on_rollback([outer])
        try:
            with transaction.atomic():
                inner = default_storage.save("x/inner.txt", ContentFile(b"x"))
                delete_on_rollback([inner])
                raise RuntimeError
        except RuntimeError:
            pass
        assert not default_storage.exists(inner) and default_storage.exists(outer)
    assert default_storage.exists(outer)


def _chain_to_last_signature():
    """The demo's real municipality memo, sent along approver1..3 and signed by the first two."""
    call_command("demo", stdout=StringIO())
    memo = Memo.objects.get(plan__agency__slug="tessaban-rae", round=6)
    User = get_user_model()
    for signer, name in zip(memo.approvers(), ("approver1", "approver2", "approver3")):
        Signer.objects.filter(pk=signer.pk).update(user=User.objects.get(username=name))
    memos.send_memo(memo=memo, by=User.objects.get(username="demo"))
    memos.sign_memo(memo=memo, by=User.objects.get(username="approver1"), comment="ก")
    memos.sign_memo(memo=memo, by=User.objects.get(username="approver2"), comment="ข")
    return memo, User.objects.get(username="approver3")


def test_freezing_leaves_no_file_when_the_transaction_fails_after_the_write(media):
    memo, last = _chain_to_last_signature()
    before = _files(media)
    written = []

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            version = memos.sign_memo(memo=memo, by=last, comment="ค")  # approves and freezes
            written = [version.file(fmt).name for fmt in FORMATS]
            assert all(default_storage.exists(n) for n in written)
            raise RuntimeError("a failure after the files were written, before the commit")

    assert written and not any(default_storage.exists(n) for n in written)
    assert _files(media) == before
    assert not ReportVersion.objects.filter(memo=memo).exists()
    assert _doctor() == (0, "ok: every stored file has its row and every row its file\n")

    version = memos.sign_memo(memo=memo, by=last, comment="ค")  # the same signature, committed
    assert all(default_storage.exists(version.file(fmt).name) for fmt in FORMATS)
    assert _doctor()[0] == 0


def test_doctor_lists_orphan_files_and_rows_and_exits_non_zero(media):
    memo, last = _chain_to_last_signature()
    version = memos.sign_memo(memo=memo, by=last, comment="ค")
    assert _doctor()[0] == 0

    orphan = default_storage.save("reports/tessaban-rae/2563/round6-v9.pdf", ContentFile(b"%PDF-1.4 left by a kill"))
    default_storage.delete(version.docx.name)

    code, out = _doctor()

    assert code == 1
    assert f"orphan file (no row names it): {orphan}\n" in out
    assert f"orphan row (its file is missing): reports.ReportVersion #{version.pk} docx: {version.docx.name}\n" in out
    # --delete-orphan-files removes only files older than --min-age (a young one may be mid-transaction).
    assert "deleted orphan file" not in _doctor("--delete-orphan-files")[1]
    old = time.time() - 2 * 3600
    os.utime(default_storage.path(orphan), (old, old))
    code, out = _doctor("--delete-orphan-files")
    assert f"deleted orphan file: {orphan}" in out and not default_storage.exists(orphan)
    assert code == 1  # the orphan row is still there: rows are never deleted


KILLED_FREEZE = """
import sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from prongsai.memos import services
from prongsai.memos.models import Memo
memo = Memo.objects.get(pk=int(sys.argv[1]))
with transaction.atomic():
    services.sign_memo(memo=memo, by=get_user_model().objects.get(pk=int(sys.argv[2])), comment="ค")
    print("frozen, not committed", flush=True)
    time.sleep(120)
"""


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_a_process_killed_while_freezing_leaves_only_files_that_doctor_finds_and_removes(media, settings, tmp_path):
    """The real thing of issue 10 item 11: kill -9 during report freezing (files written, transaction open).
    No Python runs after SIGKILL, so the files stay; the database rolls the rows back; `prongsai doctor`
    names exactly those files and --delete-orphan-files removes them."""
    import signal
    import subprocess
    import sys

    memo, last = _chain_to_last_signature()
    before = _files(media)
    env = {**os.environ, "PRONGSAI_DATA_DIR": str(tmp_path), "DATABASE_URL": _database_url(),
           "PRONGSAI_FONT_DIR": str(settings.PRONGSAI_FONT_DIR), "DJANGO_SETTINGS_MODULE": "prongsai.settings"}
    child = subprocess.Popen([sys.executable, "-c", KILLED_FREEZE, str(memo.pk), str(last.pk)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line == "frozen, not committed\n", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    left = _files(media) - before
    assert left and all(name.startswith("reports/") for name in left)  # the kill left the frozen files
    assert not ReportVersion.objects.filter(memo=memo).exists()  # and no row names them
    memo.refresh_from_db()
    assert memo.status == Memo.Status.IN_REVIEW

    code, out = _doctor()
    assert code == 1
    assert {line.removeprefix("orphan file (no row names it): ") for line in out.splitlines()} == left
    code, out = _doctor("--delete-orphan-files", "--min-age", "0")
    assert code == 0 and _files(media) == before
    # and the approver can sign again: the version is made and committed as usual
    version = memos.sign_memo(memo=memo, by=last, comment="ค")
    assert _doctor()[0] == 0 and all(default_storage.exists(version.file(fmt).name) for fmt in FORMATS)
