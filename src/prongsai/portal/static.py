"""The static copy of the public site: every public page and file of an agency written under
PRONGSAI_PUBLIC_DIR (default DATA_DIR/public), at the same paths the app serves them, so a plain web
server (nginx) can serve the site under heavy traffic or while the app is down.

    write_agency(agency)     after each publish (services), and by `prongsai publish_static`
    write_all()

Pages are produced by calling the portal's own views, so the copy is the app's output byte for byte.
Directory URLs become <dir>/index.html. Files of published versions are written once and never
rewritten (they are immutable); pages are rewritten each time. Nothing is ever deleted, so an old
version's URL keeps working in the copy too. Every file is written to a temporary name and renamed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from prongsai.agencies.models import Agency
from prongsai.portal import links, pages, services
from prongsai.portal.conf import public_dir

STATIC_ASSETS = ("portal/portal.css",)


@dataclass
class Written:
    pages: int = 0
    files: int = 0
    skipped: list[str] = field(default_factory=list)  # paths a view answered with an error status


def _target(root: Path, path: str) -> Path:
    relative = path.lstrip("/")
    if ".." in Path(relative).parts:
        raise ValueError(f"refusing to write outside the public directory: {path}")
    if path.endswith("/"):
        relative += "index.html"
    return root / relative


def _write(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def render_path(path: str):
    """The app's response for a public GET of `path` (no session, no user), in Thai."""
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    match = resolve(path)
    request.resolver_match = match
    with translation.override("th"):
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
    return response


def agency_paths(agency: Agency) -> list[str]:
    """Every public page path of the agency (files of published versions excluded)."""
    paths = [links.agency_path(agency), links.results_path(agency), links.reports_path(agency),
             links.feed_path(agency)]
    report_years = services.published_years(agency)
    oit_years = pages.oit_years(agency)
    for fy in report_years:
        paths += [links.measures_path(agency, fy), links.analysis_path(agency, fy)]
    for fy in sorted(set(report_years) | set(oit_years)):
        paths += [links.data_path(agency, fy, "json"), links.data_path(agency, fy, "csv")]
    for fy in oit_years:
        paths.append(links.oit_path(agency, fy))
        paths += [row.path for group in pages.oit_groups(agency, fy) for row in group.items]
    for publication in services.publications(agency):
        paths.append(links.publication_path(publication))
        for version in publication.versions.all():
            paths.append(links.version_path(version))
            paths += [links.verify_path(f.sha256) for f in version.files.all()]
    return list(dict.fromkeys(paths))


def write_agency(agency: Agency, *, root: Path | None = None) -> Written:
    root = Path(root or public_dir())
    done = Written()
    for path in agency_paths(agency):
        response = render_path(path)
        if response.status_code != 200:
            done.skipped.append(path)
            continue
        _write(_target(root, path), response.content)
        done.pages += 1
    for publication in services.publications(agency):
        for version in publication.versions.all():
            for published in version.files.all():
                target = _target(root, links.file_path(published))
                if target.exists() and target.stat().st_size == published.size:
                    continue
                _write(target, services.read_file(published))
                done.files += 1
    _write_site(root)
    return done


def _write_site(root: Path) -> None:
    response = render_path(links.verify_path())
    _write(_target(root, links.verify_path()), response.content)
    for asset in STATIC_ASSETS:
        source = finders.find(asset)
        target = root / "static" / asset
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def write_all(*, root: Path | None = None) -> dict[str, Written]:
    return {agency.slug: write_agency(agency, root=root) for agency in Agency.objects.all()}


__all__ = ["Written", "agency_paths", "render_path", "write_agency", "write_all"]
