"""The public portal's stable paths that OIT answers link to.

The portal app owns these URLs (/a/<slug>/...); this one module builds them so that, once
prongsai.portal.links exists, only this file needs pointing at it."""

from __future__ import annotations


def measures(slug: str, fiscal_year: int) -> str:
    return f"/a/{slug}/measures/{fiscal_year}/"


def analysis(slug: str, fiscal_year: int) -> str:
    return f"/a/{slug}/analysis/{fiscal_year}/"


def round_report(slug: str, fiscal_year: int, months: int) -> str:
    return f"/a/{slug}/reports/{fiscal_year}/round-{months}/"


def plan(slug: str, fiscal_year: int) -> str:
    """The approved plan of the year, published as a document (portal.services.publish_plan)."""
    return f"/a/{slug}/documents/plan-{fiscal_year}/"


def announcement(slug: str, fiscal_year: int) -> str:
    return f"/a/{slug}/documents/announcement-{fiscal_year}/"


def oit(slug: str, fiscal_year: int, code: str | None = None) -> str:
    return f"/a/{slug}/oit/{fiscal_year}/" + (f"{code}/" if code else "")


def complaints(slug: str) -> str:
    return f"/a/{slug}/complaints/"


def complaints_guideline(slug: str) -> str:
    return f"/a/{slug}/complaints/guideline/"


def complaints_statistics(slug: str, fiscal_year: int) -> str:
    return f"/a/{slug}/complaints/statistics/{fiscal_year}/"
