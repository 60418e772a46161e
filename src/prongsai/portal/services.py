"""Publishing and what the public side may read.

    publish_report(memo=memo, by=user)                   the memo's newest frozen version, public
    publish_plan(memo=plan_memo, by=user)                the approved plan and its announcement, public
    publish_document(agency=a, slug="manual", title=..., upload=f, by=user)
    find_files(sha256)                                   published files with that hash (verify page)
    year_snapshot(agency, fiscal_year)                   the year's data as last published

Only approved, frozen material is public: round reports are the ReportVersions frozen when their memo
was approved, and the measures and analysis pages read the year data frozen with the newest published
report of that year, never the live rows staff are still editing. Nothing here deletes or rewrites a
published version or file. Each publish is audited in its transaction; the static copy of the public
site is rewritten once the transaction has committed (prongsai.portal.static).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from prongsai.agencies import policy
from prongsai.agencies.models import Agency
from prongsai.audit import services as audit
from prongsai.lib import fiscal, thai
from prongsai.measures.services import sniff
from prongsai.memos.models import Memo
from prongsai.portal.models import Publication, PublishedFile, PublishedVersion
from prongsai.reports import renderers, versions
from prongsai.reports.build import analysis_summary_for
from prongsai.reports.models import FORMATS, ReportVersion

log = logging.getLogger(__name__)

# What an agency may publish as a document: office and image formats. No HTML or SVG: the files are
# served from the portal's own address, where a script in them would run.
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
# What each extension's content must be, judged by content (measures.services.sniff, the check of evidence
# uploads, plus OpenDocument and the legacy Office formats, which evidence does not take).
DOCUMENT_KINDS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".odt": "odt", ".ods": "ods", ".doc": "doc",
                  ".xls": "xls", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .doc and .xls
_OLE_STREAMS = {"doc": ("WordDocument",), "xls": ("Workbook", "Book")}
DOC_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
# Document slugs Prongsai itself publishes (the year's plan and announcement: links.plan_slug); an
# upload may not take them, so their URLs always hold the approved, frozen documents.
RESERVED_DOC_SLUG = re.compile(r"^(plan|announcement)-[0-9]{4}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class PublishError(ValueError):
    """A publish the rules do not allow; the message is Thai, for the staff page."""


def _after_commit(agency: Agency) -> None:
    from prongsai.portal import static

    def write():
        try:
            static.write_agency(agency)
        except Exception:  # the publish stands; `prongsai publish_static` rewrites the copy
            log.exception("writing the static public site of %s failed", agency.slug)

    transaction.on_commit(write)


def round_title(fiscal_year: int, round: int, style: str = thai.THAI) -> str:
    rnd = fiscal.round_of(fiscal_year, round)
    return thai.digits(f"รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                       f"ประจำปีงบประมาณ {fiscal_year} ({rnd.label(thai.ARABIC)})", style)


def publish_report(*, memo: Memo, by, version: ReportVersion | None = None) -> PublishedVersion:
    """Publish the memo's newest frozen report version (or `version`). Publishing a version that is
    already public returns its existing PublishedVersion; a newer version becomes the report's
    current one and the older ones stay reachable at their /v<n>/ URLs."""
    agency = memo.plan.agency
    policy.require(by, agency, policy.PUBLISH)
    if memo.status != Memo.Status.APPROVED:
        raise PublishError("เผยแพร่ได้เฉพาะรายงานที่ได้รับอนุมัติแล้ว")
    with transaction.atomic():
        if version is None:
            version = ReportVersion.objects.filter(memo=memo).order_by("-number").first()
        if version is None or version.memo_id != memo.pk:
            raise PublishError("ยังไม่มีรายงานฉบับอนุมัติที่จัดเก็บถาวรของบันทึกนี้")
        existing = PublishedVersion.objects.filter(report_version=version).first()
        if existing is not None:
            return existing
        fy, rnd = memo.plan.fiscal_year, memo.round
        publication, _ = Publication.objects.get_or_create(
            agency=agency, kind=Publication.Kind.ROUND_REPORT, fiscal_year=fy, round=rnd,
            defaults={"title": round_title(fy, rnd, agency.digits)},
        )
        data = versions.version_data(version)
        based_on = int((data.get("analysis") or {}).get("based_on") or fy - 1)
        published = PublishedVersion.objects.create(
            publication=publication, number=version.number, report_version=version,
            summary=analysis_summary_for(data, based_on=based_on) or "", published_by=_user(by),
        )
        for fmt in FORMATS:
            content = versions.check_file(version, fmt)  # refuses a file that no longer matches its hash
            PublishedFile.objects.create(
                version=published, name=f"report.{renderers.extension(fmt)}", label=fmt.upper(),
                content_type=renderers.content_type(fmt), stored=version.file(fmt).name, size=len(content),
                sha256=version.sha256(fmt),
            )
        audit.record(actor=by, action="portal.report.published", obj=publication, agency=agency,
                     changes={"version": [None, published.number],
                              **{f"{fmt}_sha256": [None, version.sha256(fmt)] for fmt in FORMATS}})
        if rnd == 12:  # next year's OIT item for the previous year's report links here
            _refresh_oit(agency, fy + 1, ("previous_year_report",), by)
        _after_commit(agency)
    return published


def _refresh_oit(agency: Agency, year: int, kinds: tuple[str, ...], by) -> None:
    """Fill the year's OIT items of `kinds` that Prongsai answers (never a manual answer)."""
    from prongsai.oit.services import refresh_auto_answers

    refresh_auto_answers(agency=agency, fiscal_year=year, actor=_user(by), kinds=kinds)


def plan_titles(fiscal_year: int, agency: Agency) -> dict[str, str]:
    """The public titles of the year's plan and announcement."""
    name = agency.name
    return {
        "plan": thai.digits(f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ {fiscal_year}",
                            agency.digits),
        "announcement": thai.digits(f"ประกาศ{name} เรื่อง มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                                    f"ประจำปีงบประมาณ พ.ศ. {fiscal_year}", agency.digits),
    }


def publish_plan(*, memo: Memo, by) -> list[PublishedVersion]:
    """Publish the year's approved plan (the plan memo's newest frozen version, with its analysis and
    measures) and the announcement its approval issued, as the documents plan-<year> and
    announcement-<year> (/a/<slug>/documents/plan-2570/). Publishing again publishes only what is newer.
    Then the year's OIT items that Prongsai fills from them are refreshed. Returns the versions."""
    from prongsai.portal import links

    agency = memo.plan.agency
    policy.require(by, agency, policy.PUBLISH)
    if memo.kind != Memo.Kind.PLAN or memo.status != Memo.Status.APPROVED:
        raise PublishError("เผยแพร่ได้เฉพาะมาตรการที่บันทึกข้อความขออนุมัติได้รับอนุมัติแล้ว")
    fy = memo.plan.fiscal_year
    titles = plan_titles(fy, agency)
    announcement = Memo.objects.filter(plan=memo.plan, kind=Memo.Kind.ANNOUNCEMENT).first()
    with transaction.atomic():
        out = [_publish_frozen(memo, slug=links.plan_slug(fy), title=titles["plan"], stem="plan", by=by)]
        if announcement is not None:
            out.append(_publish_frozen(announcement, slug=links.announcement_slug(fy), title=titles["announcement"],
                                       stem="announcement", by=by))
        _refresh_oit(agency, fy, ("plan",), by)
        _after_commit(agency)
    return out


def _publish_frozen(memo: Memo, *, slug: str, title: str, stem: str, by) -> PublishedVersion:
    """The memo's newest frozen version as a new version of the document `slug` (its files named
    <stem>.pdf/.docx/.html, each checked against its recorded SHA-256), unless already published."""
    agency = memo.plan.agency
    version = ReportVersion.objects.filter(memo=memo).order_by("-number").first()
    if version is None:
        raise PublishError("ยังไม่มีฉบับอนุมัติที่จัดเก็บถาวร")
    existing = PublishedVersion.objects.filter(report_version=version).first()
    if existing is not None:
        return existing
    publication, _ = Publication.objects.select_for_update().get_or_create(
        agency=agency, kind=Publication.Kind.DOCUMENT, slug=slug,
        defaults={"title": title, "fiscal_year": memo.plan.fiscal_year},
    )
    number = (publication.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    summary = ""
    if memo.kind == Memo.Kind.PLAN:
        data = versions.version_data(version)
        based_on = int((data.get("analysis") or {}).get("based_on") or memo.plan.fiscal_year - 1)
        summary = analysis_summary_for(data, based_on=based_on) or ""
    published = PublishedVersion.objects.create(publication=publication, number=number, report_version=version,
                                                summary=summary or title, published_by=_user(by))
    for fmt in FORMATS:
        content = versions.check_file(version, fmt)
        PublishedFile.objects.create(
            version=published, name=f"{stem}.{renderers.extension(fmt)}", label=fmt.upper(),
            content_type=renderers.content_type(fmt), stored=version.file(fmt).name, size=len(content),
            sha256=version.sha256(fmt),
        )
    audit.record(actor=by, action="portal.document.published", obj=publication, agency=agency,
                 changes={"version": [None, number], "memo": [None, memo.kind],
                          **{f"{fmt}_sha256": [None, version.sha256(fmt)] for fmt in FORMATS}})
    return published


def _user(by):
    return by if getattr(by, "pk", None) and getattr(by, "is_authenticated", False) else None


def _office_kind(content: bytes) -> str | None:
    """odt/ods (a zip whose `mimetype` part names it) or doc/xls (a compound file holding the stream
    WordDocument, or Workbook/Book), else None."""
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                mimetype = archive.read("mimetype")[:100] if "mimetype" in archive.namelist() else b""
        except (zipfile.BadZipFile, OSError, ValueError, KeyError):
            return None
        return {b"application/vnd.oasis.opendocument.text": "odt",
                b"application/vnd.oasis.opendocument.spreadsheet": "ods"}.get(mimetype.strip())
    if content.startswith(_OLE2):
        for kind, streams in _OLE_STREAMS.items():
            if any(name.encode("utf-16-le") in content for name in streams):
                return kind
    return None


def check_document(content: bytes, ext: str) -> str:
    """The kind of a document to publish, judged by its content as evidence uploads are; refuses
    (ValidationError) content that is none of the kinds, or not the kind its extension claims. An
    executable, an HTML page named .pdf or an SVG named .png is never published."""
    actual = sniff(io.BytesIO(content)) or _office_kind(content)
    if actual is None:
        allowed = " ".join(sorted({e.lstrip(".").upper() for e in DOCUMENT_TYPES}))
        raise ValidationError(f"เนื้อหาของไฟล์ไม่ใช่เอกสารที่เผยแพร่ได้ ({allowed}) จึงไม่เผยแพร่")
    if actual != DOCUMENT_KINDS.get(ext):
        raise ValidationError(f"นามสกุล {ext} ไม่ตรงกับเนื้อหาของไฟล์ซึ่งเป็น {actual.upper()} จึงไม่เผยแพร่")
    return actual


def _document_storage_name(agency: Agency, slug: str, number: int, ext: str) -> str:
    return f"portal/{agency.slug}/documents/{slug}/v{number}/document{ext}"


def publish_document(*, agency: Agency, slug: str, title: str, upload, by, fiscal_year: int | None = None,
                     summary: str = "") -> PublishedVersion:
    """Publish an uploaded file as a new version of the document `slug` (created on first publish).
    Its content must be what its extension says (`check_document`). The file is stored as it came, its
    SHA-256 recorded; earlier versions stay reachable."""
    policy.require(by, agency, policy.PUBLISH)
    slug = (slug or "").strip().lower()
    if not DOC_SLUG.match(slug):
        raise ValidationError("ชื่อในลิงก์ใช้ตัวอักษร a-z ตัวเลข และ - เท่านั้น (ไม่เกิน ๘๐ ตัว)")
    if RESERVED_DOC_SLUG.match(slug):
        raise ValidationError(f"ชื่อในลิงก์ “{slug}” สงวนไว้สำหรับมาตรการและประกาศที่อนุมัติในระบบ กรุณาใช้ชื่ออื่น")
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("กรุณาระบุชื่อเรื่อง")
    ext = PurePath(getattr(upload, "name", "") or "").suffix.lower()
    if ext not in DOCUMENT_TYPES:
        allowed = " ".join(sorted({e.lstrip(".").upper() for e in DOCUMENT_TYPES}))
        raise ValidationError(f"เผยแพร่ได้เฉพาะไฟล์ {allowed}")
    limit = int(getattr(settings, "PRONGSAI_MAX_UPLOAD_MB", 20)) * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(thai.digits(f"ไฟล์ใหญ่เกิน {limit // (1024 * 1024)} MB"))
    content = b"".join(upload.chunks())
    if not content:
        raise ValidationError("ไฟล์ว่างเปล่า")
    check_document(content, ext)
    with transaction.atomic():
        publication, created = Publication.objects.select_for_update().get_or_create(
            agency=agency, kind=Publication.Kind.DOCUMENT, slug=slug,
            defaults={"title": title, "fiscal_year": fiscal_year},
        )
        if not created and (publication.title != title or publication.fiscal_year != fiscal_year):
            publication.title, publication.fiscal_year = title, fiscal_year
            publication.save(update_fields=["title", "fiscal_year"])
        number = (publication.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        stored = default_storage.save(_document_storage_name(agency, slug, number, ext), ContentFile(content))
        try:
            published = PublishedVersion.objects.create(
                publication=publication, number=number, summary=summary.strip(), published_by=_user(by))
            digest = hashlib.sha256(content).hexdigest()
            PublishedFile.objects.create(
                version=published, name=f"document{ext}", label=ext.lstrip(".").upper(),
                content_type=DOCUMENT_TYPES[ext], stored=stored,
                size=len(content), sha256=digest,
            )
            audit.record(actor=by, action="portal.document.published", obj=publication, agency=agency,
                         changes={"version": [None, number], "sha256": [None, digest], "title": [None, title]})
        except BaseException:
            default_storage.delete(stored)
            raise
        _after_commit(agency)
    return published


# --- reading what is public ---------------------------------------------------------------------

def publications(agency: Agency):
    """The agency's publications that have at least one version, newest year first."""
    return (Publication.objects.filter(agency=agency, versions__isnull=False).distinct()
            .prefetch_related("versions__files"))


def current_version(publication: Publication) -> PublishedVersion | None:
    return publication.versions.order_by("-number").first()


def version_of(publication: Publication, number: int) -> PublishedVersion | None:
    return publication.versions.filter(number=number).prefetch_related("files").first()


def report_publication(agency: Agency, fiscal_year: int, round: int) -> Publication | None:
    return Publication.objects.filter(agency=agency, kind=Publication.Kind.ROUND_REPORT,
                                      fiscal_year=fiscal_year, round=round).first()


def document_publication(agency: Agency, slug: str) -> Publication | None:
    return Publication.objects.filter(agency=agency, kind=Publication.Kind.DOCUMENT, slug=slug).first()


def all_versions(agency: Agency):
    """Every published version of the agency, newest first (the feed)."""
    return (PublishedVersion.objects.filter(publication__agency=agency)
            .select_related("publication", "publication__agency").prefetch_related("files")
            .order_by("-published_at", "-id"))


def find_files(sha256: str) -> list[PublishedFile]:
    """The published files whose content has this SHA-256 (any case); none for a malformed hash."""
    digest = (sha256 or "").strip().lower()
    if not SHA256.match(digest):
        return []
    return list(PublishedFile.objects.filter(sha256=digest)
                .select_related("version__publication__agency").order_by("version__published_at"))


def read_file(published: PublishedFile) -> bytes:
    with default_storage.open(published.stored, "rb") as fh:
        return fh.read()


def latest_report_version(agency: Agency, fiscal_year: int) -> PublishedVersion | None:
    """The newest published round report version of the year (the one whose frozen data is public)."""
    return (PublishedVersion.objects
            .filter(publication__agency=agency, publication__kind=Publication.Kind.ROUND_REPORT,
                    publication__fiscal_year=fiscal_year)
            .select_related("report_version", "publication")
            .order_by("-publication__round", "-number").first())


def year_snapshot(agency: Agency, fiscal_year: int) -> tuple[dict, PublishedVersion] | None:
    """The year dict frozen with the newest published report of the year, or None if none is public."""
    published = latest_report_version(agency, fiscal_year)
    if published is None:
        return None
    return versions.version_data(published.report_version), published


def published_years(agency: Agency) -> list[int]:
    """Fiscal years with a published round report, newest first."""
    years = (Publication.objects.filter(agency=agency, kind=Publication.Kind.ROUND_REPORT, versions__isnull=False)
             .values_list("fiscal_year", flat=True).distinct())
    return sorted(set(years), reverse=True)
