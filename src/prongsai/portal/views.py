"""The public pages (no login) and the staff publishing page.

Public views only read: what they show comes from prongsai.portal.pages and .services. Each public
page is also written as a static file on publish (prongsai.portal.static) by calling these same views.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import feedgenerator
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from prongsai.agencies import policy
from prongsai.agencies.access import get_agency_for_user
from prongsai.agencies.models import Agency
from prongsai.lib import fiscal, spreadsheets, thai
from prongsai.memos.models import Memo
from prongsai.portal import links, pages, qr, services
from prongsai.portal.forms import DocumentForm, VerifyForm
from prongsai.portal.models import Publication
from prongsai.reports import versions
from prongsai.reports.render_html import document_css, render_html_fragment

PUBLIC_MAX_AGE = 300


def _agency(slug: str) -> Agency:
    return get_object_or_404(Agency, slug=slug)


def _page(request, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def _not_published(request, agency: Agency, heading: str):
    return _page(request, "portal/not_published.html", {"agency": agency, "heading": heading}, status=404)


@require_safe
def agency_home(request, slug: str):
    agency = _agency(slug)
    people = list(agency.people.select_related("unit"))
    return _page(request, "portal/agency_home.html", {
        "agency": agency,
        "executive": next((p for p in people if agency.executive_title and p.position == agency.executive_title),
                          people[0] if people else None),
        "people": people,
        "report_years": services.published_years(agency),
        "oit_years": pages.oit_years(agency),
        "documents": [p for p in services.publications(agency) if p.kind == Publication.Kind.DOCUMENT],
        "description": f"{agency.name} {agency.location}".strip(),
    })


@require_safe
def results(request, slug: str):
    agency = _agency(slug)
    return _page(request, "portal/results.html", {"agency": agency, "page": pages.results_page(agency)})


@require_safe
def measures(request, slug: str, fy: int):
    agency = _agency(slug)
    snapshot = services.year_snapshot(agency, fy)
    heading = thai.digits(f"มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ {fy}", agency.digits)
    if snapshot is None:
        return _not_published(request, agency, heading)
    data, published = snapshot
    return _page(request, "portal/measures.html", {
        "agency": agency, "fy": fy, "heading": heading, "published": published,
        "rows": pages.measure_rows(data, agency.digits), "start": fiscal.start(fy), "end": fiscal.end(fy),
    })


@require_safe
def analysis(request, slug: str, fy: int):
    agency = _agency(slug)
    snapshot = services.year_snapshot(agency, fy)
    heading = thai.digits(f"การวิเคราะห์ผลการประเมิน ITA เพื่อจัดทำมาตรการ ประจำปีงบประมาณ {fy}", agency.digits)
    if snapshot is None:
        return _not_published(request, agency, heading)
    data, published = snapshot
    return _page(request, "portal/analysis.html", {
        "agency": agency, "fy": fy, "heading": heading, "published": published, "page": pages.analysis_page(data),
    })


@require_safe
def reports(request, slug: str):
    agency = _agency(slug)
    pubs = list(services.publications(agency))
    return _page(request, "portal/reports.html", {
        "agency": agency,
        "reports": [p for p in pubs if p.kind == Publication.Kind.ROUND_REPORT],
        "documents": [p for p in pubs if p.kind == Publication.Kind.DOCUMENT],
    })


def _version_page(request, agency: Agency, publication: Publication | None, number: int | None):
    if publication is None:
        raise Http404("not published")
    version = (services.current_version(publication) if number is None
               else services.version_of(publication, number))
    if version is None:
        raise Http404("no such version")
    files = list(version.files.all())
    main = files[0] if files else None
    verify_url = links.absolute(links.verify_path(main.sha256)) if main else ""
    report_html = report_css = None
    if version.report_version_id:  # a round report, or the plan / announcement frozen on approval
        report_html = render_html_fragment(versions.document_for(version.report_version))
        report_css = document_css()
    response = _page(request, "portal/version.html", {
        "agency": agency, "publication": publication, "version": version, "files": files,
        "is_current": number is None, "all_versions": publication.versions.order_by("-number"),
        "canonical": links.version_path(version), "verify_url": verify_url,
        "qr": qr.svg(verify_url, title=f"คิวอาร์โค้ดไปยังหน้าตรวจสอบเอกสาร {publication.title}") if main else "",
        "report_html": report_html, "report_css": report_css,
        "description": version.summary or publication.title,
    })
    if report_css:
        # The report's stylesheet is allowed by its hash, not a per-response nonce: the page is the same
        # bytes on every request, so the static copy of the site (portal.static) is what the app serves.
        digest = base64.b64encode(hashlib.sha256(report_css.encode()).digest()).decode()
        response._csp_update = {"style-src": [f"'sha256-{digest}'"]}
    return response


def _file_response(published_file, *, inline: bool):
    content = services.read_file(published_file)
    response = HttpResponse(content, content_type=published_file.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=not inline,
                                                                 filename=published_file.name)
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    return response


INLINE = ("application/pdf", "text/html; charset=utf-8", "image/png", "image/jpeg")


@require_safe
def round_report(request, slug: str, fy: int, round: int, number: int | None = None):
    agency = _agency(slug)
    return _version_page(request, agency, services.report_publication(agency, fy, round), number)


@require_safe
def round_report_file(request, slug: str, fy: int, round: int, number: int, filename: str):
    agency = _agency(slug)
    publication = services.report_publication(agency, fy, round)
    version = services.version_of(publication, number) if publication else None
    found = version.files.filter(name=filename).first() if version else None
    if found is None:
        raise Http404("no such file")
    return _file_response(found, inline=found.content_type in INLINE)


@require_safe
def document(request, slug: str, doc: str, number: int | None = None):
    agency = _agency(slug)
    return _version_page(request, agency, services.document_publication(agency, doc), number)


@require_safe
def document_file(request, slug: str, doc: str, number: int, filename: str):
    agency = _agency(slug)
    publication = services.document_publication(agency, doc)
    version = services.version_of(publication, number) if publication else None
    found = version.files.filter(name=filename).first() if version else None
    if found is None:
        raise Http404("no such file")
    return _file_response(found, inline=found.content_type in INLINE)


@require_safe
def oit(request, slug: str, fy: int):
    agency = _agency(slug)
    return _page(request, "portal/oit.html", {
        "agency": agency, "fy": fy, "groups": pages.oit_groups(agency, fy),
        "heading": thai.digits(f"การเปิดเผยข้อมูลสาธารณะ (OIT) ประจำปีงบประมาณ {fy}", agency.digits),
    })


@require_safe
def oit_item(request, slug: str, fy: int, code: str):
    agency = _agency(slug)
    if code != code.lower():
        return HttpResponseRedirect(links.oit_item_path(agency, fy, code))
    group, item = pages.oit_item(agency, fy, code)
    return _page(request, "portal/oit_item.html", {"agency": agency, "fy": fy, "group": group, "item": item})


@require_safe
def feed(request, slug: str):
    agency = _agency(slug)
    home = links.absolute(links.agency_path(agency))
    atom = feedgenerator.Atom1Feed(
        title=f"{agency.name}: เอกสารที่เผยแพร่", link=home, feed_url=links.absolute(links.feed_path(agency)),
        description=f"รายงานและเอกสารที่{agency.name}เผยแพร่", language="th", feed_guid=home,
    )
    for version in services.all_versions(agency)[:100]:
        pub = version.publication
        url = links.absolute(links.version_path(version))
        atom.add_item(
            title=thai.digits(f"{pub.title} (ฉบับที่ {version.number})", agency.digits), link=url,
            description=version.summary or pub.title, unique_id=url, pubdate=version.published_at,
            updateddate=version.published_at, author_name=agency.name,
        )
    response = HttpResponse(atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@require_safe
def open_data(request, slug: str, fy: int, fmt: str):
    agency = _agency(slug)
    data = pages.open_data(agency, fy)
    if fmt == "json":
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1),
                                content_type="application/json; charset=utf-8")
    elif fmt == "csv":
        out = io.StringIO()
        writer = spreadsheets.csv_writer(out)  # the export rule: no cell is a live formula
        writer.writerow(pages.CSV_HEADER)
        writer.writerows(pages.open_data_rows(data))
        # With a BOM, so Excel and LibreOffice read the Thai text as UTF-8.
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=False, filename=f"{agency.slug}-{fy}.csv")
    else:
        raise Http404("json or csv")
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def verify_form(request):
    """Check a copy: type its SHA-256 (GET ?sha256=) or upload the file itself (POST)."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "GET" and request.GET.get("sha256"):
        digest = request.GET["sha256"].strip().lower()
        if services.SHA256.match(digest):
            return redirect(links.verify_path(digest))
        form = VerifyForm(request.GET)
        form.is_valid()
    if request.method == "POST" and form.is_valid():
        hasher = hashlib.sha256()
        for chunk in form.cleaned_data["file"].chunks():
            hasher.update(chunk)
        return _verify_result(request, hasher.hexdigest())
    return render(request, "portal/verify_form.html", {"form": form})


@require_safe
def verify(request, sha256: str):
    return _verify_result(request, sha256.lower())


def _verify_result(request, digest: str):
    found = services.find_files(digest)
    response = render(request, "portal/verify.html", {"digest": digest, "found": found},
                      status=200 if found else 404)
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


# --- staff ----------------------------------------------------------------------------------------

@login_required
@require_safe
def publishing(request, slug: str):
    agency = get_agency_for_user(request.user, slug, policy.PUBLISH)
    return render(request, "portal/publishing.html", _publishing_context(agency, DocumentForm()))


def _publishing_context(agency: Agency, form) -> dict:
    approved = (Memo.objects.filter(plan__agency=agency, status=Memo.Status.APPROVED)
                .select_related("plan").prefetch_related("versions__publication_version"))
    return {"agency": agency, "memos": approved.filter(kind=Memo.Kind.ROUND),
            "plan_memos": approved.filter(kind=Memo.Kind.PLAN),
            "publications": services.publications(agency), "form": form}


@login_required
@require_POST
def publish_memo(request, slug: str, year: int, round: int):
    agency = get_agency_for_user(request.user, slug, policy.PUBLISH)
    memo = get_object_or_404(Memo, plan__agency=agency, plan__fiscal_year=year, kind=Memo.Kind.ROUND, round=round)
    try:
        published = services.publish_report(memo=memo, by=request.user)
    except services.PublishError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, thai.digits(
            f"เผยแพร่รายงานฉบับที่ {published.number} แล้ว ที่ {links.version_path(published)}", agency.digits))
    return redirect("portal:publishing", slug=agency.slug)


@login_required
@require_POST
def publish_plan(request, slug: str, year: int):
    """Publish the year's approved plan and its announcement (services.publish_plan)."""
    agency = get_agency_for_user(request.user, slug, policy.PUBLISH)
    memo = get_object_or_404(Memo, plan__agency=agency, plan__fiscal_year=year, kind=Memo.Kind.PLAN)
    try:
        published = services.publish_plan(memo=memo, by=request.user)
    except services.PublishError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, thai.digits(
            "เผยแพร่มาตรการและประกาศแล้ว ที่ " + " และ ".join(links.version_path(v) for v in published),
            agency.digits))
    return redirect("portal:publishing", slug=agency.slug)


@login_required
@require_POST
def publish_document(request, slug: str):
    agency = get_agency_for_user(request.user, slug, policy.PUBLISH)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            published = services.publish_document(
                agency=agency, by=request.user, upload=form.cleaned_data["file"], slug=form.cleaned_data["slug"],
                title=form.cleaned_data["title"], fiscal_year=form.cleaned_data["fiscal_year"],
                summary=form.cleaned_data["summary"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, thai.digits(
                f"เผยแพร่เอกสารฉบับที่ {published.number} แล้ว ที่ {links.version_path(published)}", agency.digits))
            return redirect("portal:publishing", slug=agency.slug)
    return render(request, "portal/publishing.html", _publishing_context(agency, form), status=400)
