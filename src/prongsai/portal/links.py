"""The public URL scheme, as paths. Other apps link to the portal through these functions only.

Every function takes an agency (or its slug) and returns a path beginning with "/". These paths never
change once something is published: the static files written on publish use the same ones.

    round_report_path(agency, 2563, 6)       /a/tessaban-rae/reports/2563/round-6/
    oit_item_path(agency, 2568, "O5")        /a/tessaban-rae/oit/2568/o5/
"""

from __future__ import annotations

from urllib.parse import quote


def _slug(agency) -> str:
    return quote(getattr(agency, "slug", agency))


def agency_path(agency) -> str:
    return f"/a/{_slug(agency)}/"


def results_path(agency) -> str:
    return f"{agency_path(agency)}results/"


def measures_path(agency, fiscal_year: int) -> str:
    return f"{agency_path(agency)}measures/{int(fiscal_year)}/"


def analysis_path(agency, fiscal_year: int) -> str:
    return f"{agency_path(agency)}analysis/{int(fiscal_year)}/"


def reports_path(agency) -> str:
    return f"{agency_path(agency)}reports/"


def round_report_path(agency, fiscal_year: int, round: int) -> str:
    return f"{reports_path(agency)}{int(fiscal_year)}/round-{int(round)}/"


def round_report_version_path(agency, fiscal_year: int, round: int, number: int) -> str:
    return f"{round_report_path(agency, fiscal_year, round)}v{int(number)}/"


def round_report_file_path(agency, fiscal_year: int, round: int, number: int, fmt: str) -> str:
    """fmt: "pdf", "docx" or "html" (the file is report.<fmt>)."""
    return f"{round_report_version_path(agency, fiscal_year, round, number)}report.{fmt}"


def document_path(agency, doc_slug: str) -> str:
    return f"{agency_path(agency)}documents/{quote(doc_slug)}/"


def document_version_path(agency, doc_slug: str, number: int) -> str:
    return f"{document_path(agency, doc_slug)}v{int(number)}/"


def document_file_path(agency, doc_slug: str, number: int, filename: str) -> str:
    return f"{document_version_path(agency, doc_slug, number)}{quote(filename)}"


def plan_slug(fiscal_year: int) -> str:
    """The document slug of the year's approved plan (มาตรการ ... ประจำปีงบประมาณ N): plan-2570."""
    return f"plan-{int(fiscal_year)}"


def announcement_slug(fiscal_year: int) -> str:
    """The document slug of the executive's announcement of the year's measures: announcement-2570."""
    return f"announcement-{int(fiscal_year)}"


def plan_path(agency, fiscal_year: int) -> str:
    return document_path(agency, plan_slug(fiscal_year))


def announcement_path(agency, fiscal_year: int) -> str:
    return document_path(agency, announcement_slug(fiscal_year))


def oit_path(agency, fiscal_year: int) -> str:
    return f"{agency_path(agency)}oit/{int(fiscal_year)}/"


def oit_item_path(agency, fiscal_year: int, code: str) -> str:
    return f"{oit_path(agency, fiscal_year)}{quote(code.strip().lower())}/"


def feed_path(agency) -> str:
    return f"{agency_path(agency)}feed.atom"


def data_path(agency, fiscal_year: int, fmt: str = "json") -> str:
    if fmt not in ("json", "csv"):
        raise ValueError(f"open data comes as json or csv, not {fmt!r}")
    return f"{agency_path(agency)}data/{int(fiscal_year)}.{fmt}"


def verify_path(sha256: str | None = None) -> str:
    return f"/verify/{sha256.lower()}/" if sha256 else "/verify/"


def version_path(version) -> str:
    """The page of a PublishedVersion, whatever its kind."""
    pub = version.publication
    if pub.is_report:
        return round_report_version_path(pub.agency, pub.fiscal_year, pub.round, version.number)
    return document_version_path(pub.agency, pub.slug, version.number)


def publication_path(publication) -> str:
    if publication.is_report:
        return round_report_path(publication.agency, publication.fiscal_year, publication.round)
    return document_path(publication.agency, publication.slug)


def file_path(published_file) -> str:
    return f"{version_path(published_file.version)}{quote(published_file.name)}"


def absolute(path: str) -> str:
    """The full URL of a portal path, on the public address (PRONGSAI_PUBLIC_URL)."""
    from prongsai.portal.conf import public_url

    return public_url() + path
