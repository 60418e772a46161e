"""Freezing a round report as a version when its memo is approved.

    version = freeze(memo=memo, by=user)     # inside the transaction that approves the memo
    data = version_data(version)             # the year dict the files were made from

The year's data is exported once, stored as JSON in the version, and the PDF, DOCX and HTML are
rendered from that stored snapshot (not from the live rows), written under MEDIA_ROOT/reports/ and
hashed. Later changes to the year never touch a version: its files are never rewritten and its data is
a copy. The files are written inside the transaction (so the same transaction can publish them) and
follow its outcome: a failure inside freeze() removes them at once, and if the caller's transaction
rolls back later they are removed then (prongsai.lib.txfiles.delete_on_rollback). A process killed
mid-transaction cannot clean up: `prongsai doctor` lists such orphan files and
`prongsai doctor --delete-orphan-files` removes them.
"""

from __future__ import annotations

import hashlib
import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max

from prongsai.audit import services as audit
from prongsai.lib.txfiles import delete_on_rollback
from prongsai.memos.models import Memo
from prongsai.reports import build, renderers
from prongsai.reports.models import FORMATS, ReportVersion
from prongsai.yearfile.normalise import canonical, normalise
from prongsai.yearfile.services import export_year


def _json_copy(data: dict) -> dict:
    """The data as it will read back from the JSON column (dates as ISO text, keys as text)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


def version_data(version: ReportVersion) -> dict:
    """The frozen year dict in its normalised form (dates as datetime.date, indicator keys int), as
    export_year gave it when the version was made."""
    return canonical(normalise(version.data))


def document_for(version: ReportVersion):
    """The report Document the version's files were rendered from: the round report of a round memo;
    the plan or the announcement (reports.documents) from the memo entry frozen beside the year data.
    As approved: the emblem, "ลงนามในระบบ …" under each signer, the stamp at every page's foot
    (reports.approval.finish)."""
    from prongsai.reports import approval

    return approval.finish(_built_document(version), version)


def _built_document(version: ReportVersion):
    memo = version.memo
    if memo.kind == Memo.Kind.ROUND:
        return build.round_report(version_data(version), round=memo.round)
    from prongsai.reports import documents

    frozen = version.data.get(documents.DOCUMENT_KEY) or {}
    return documents.build(memo.kind, version_data(version), entry=frozen.get("entry"))


def file_stem(memo: Memo) -> str:
    """The name part that says which document: round6, plan, announcement."""
    return f"round{memo.round}" if memo.kind == Memo.Kind.ROUND else memo.kind


def storage_name(memo: Memo, number: int, fmt: str) -> str:
    plan = memo.plan
    return f"reports/{plan.agency.slug}/{plan.fiscal_year}/{file_stem(memo)}-v{number}.{renderers.extension(fmt)}"


def freeze(*, memo: Memo, by) -> ReportVersion:
    """Export the memo's year, render its round report in every format from that snapshot, store the
    files with their SHA-256 and record the version (audited). Must run inside transaction.atomic."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("freeze() must be called inside transaction.atomic()")
    plan = memo.plan
    snapshot = export_year(agency=plan.agency, fiscal_year=plan.fiscal_year)
    if memo.kind != Memo.Kind.ROUND:  # the plan memo's or the announcement's own data, kept beside the year
        from prongsai.reports import documents

        snapshot[documents.DOCUMENT_KEY] = {"kind": memo.kind, "entry": documents.entry_for(memo)}
    snapshot = _json_copy(snapshot)
    number = (ReportVersion.objects.filter(memo=memo).aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion(memo=memo, number=number, created_by=by if getattr(by, "pk", None) else None,
                            data=snapshot)
    document = document_for(version)
    # Render everything first (the slow part), so files exist only for the short write-and-commit.
    contents = {fmt: renderers.render(document, fmt) for fmt in FORMATS}
    try:
        for fmt in FORMATS:
            content = contents[fmt]
            name = default_storage.save(storage_name(memo, number, fmt), ContentFile(content))
            getattr(version, fmt).name = name
            setattr(version, f"{fmt}_sha256", hashlib.sha256(content).hexdigest())
        version.save()
        delete_on_rollback([version.file(fmt).name for fmt in FORMATS])  # follow the caller's transaction
        audit.record(
            actor=by, action="reports.version.frozen", obj=memo, agency=plan.agency,
            changes={"version": [None, number],
                     **{f"{fmt}_sha256": [None, version.sha256(fmt)] for fmt in FORMATS}},
        )
    except BaseException:
        discard_files(version)  # nothing after the file writes may leave them behind
        raise
    return version


def discard_files(version: ReportVersion) -> None:
    """Remove the stored files of a version whose transaction did not commit."""
    for fmt in FORMATS:
        name = version.file(fmt).name
        if name and default_storage.exists(name):
            default_storage.delete(name)


def check_file(version: ReportVersion, fmt: str) -> bytes:
    """The stored bytes of one file, verified against the recorded SHA-256 (ValueError if they differ)."""
    with default_storage.open(version.file(fmt).name, "rb") as fh:
        content = fh.read()
    if hashlib.sha256(content).hexdigest() != version.sha256(fmt):
        raise ValueError(f"{version.file(fmt).name}: content does not match its recorded SHA-256")
    return content


def file_response(memo: Memo, number: int, fmt: str):
    """The HTTP download of one frozen file of the memo's version `number`, re-checked against its
    SHA-256 first (the caller has already scoped the memo to the user). 404 for an unknown version or
    format; 500 with a Thai message if the stored bytes no longer match their hash."""
    from django.http import Http404, HttpResponse
    from django.shortcuts import get_object_or_404
    from django.utils.cache import patch_cache_control
    from django.utils.http import content_disposition_header
    from django.utils.translation import gettext as _

    version = get_object_or_404(ReportVersion, memo=memo, number=number)
    if fmt not in FORMATS or not default_storage.exists(version.file(fmt).name):
        raise Http404("no such file")
    try:
        content = check_file(version, fmt)
    except ValueError:
        return HttpResponse(_("ไฟล์ที่จัดเก็บไว้ไม่ตรงกับค่า SHA-256 ที่บันทึกไว้ กรุณาแจ้งผู้ดูแลระบบ"),
                            status=500, content_type="text/plain; charset=utf-8")
    spec = renderers.get_format(fmt)
    response = HttpResponse(content, content_type=spec.content_type)
    plan = memo.plan
    filename = f"{plan.agency.slug}-{plan.fiscal_year}-{file_stem(memo)}-v{number}.{spec.extension}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-SHA256"] = version.sha256(fmt)
    patch_cache_control(response, private=True, no_cache=True)
    return response
