"""The English catalogues of the apps that have one (src/prongsai/<app>/locale/en/LC_MESSAGES/django.po) and the
project-wide one (src/prongsai/locale/en/LC_MESSAGES/django.po, for the code outside those apps):

- every entry is translated and none is fuzzy (Django ignores fuzzy entries, so they show in Thai);
- the placeholders (%(name)s, {name}) of each msgid are kept in its msgstr;
- the compiled django.mo holds exactly the .po's translations (a .po edited without compilemessages fails);
- a sample page of each app, switched to English with the language cookie, shows an English string.

Some msgstrs deliberately repeat the Thai msgid: texts that the system stores as official content (the OIT
autofill explanations, the acknowledgement sent to a complainant). They carry a "Kept in Thai" comment.

Parsing uses the standard library only (gettext reads the .mo; the .po reader below covers what makemessages
writes: comments, flags, msgctxt, msgid_plural and continued strings)."""

from __future__ import annotations

import gettext
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from prongsai.agencies.models import Membership
from prongsai.web.tests import factories

PACKAGE = Path(__file__).resolve().parent.parent
PROJECT = "project"  # the project-wide catalogue, src/prongsai/locale (LOCALE_PATHS): web, agencies, measures, ...
APPS = ("memos", "oit", "portal", "api", "audit", "reports", "complaints", "workspace", "framework", "search",
        "onboarding", "accounts", "oversight", PROJECT)
PLACEHOLDER = re.compile(r"%%|%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|\{[A-Za-z_][A-Za-z0-9_]*\}")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, the header (msgid "") included; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None
    pending_flags: set[str] = set()

    def start(number: int) -> Entry:
        nonlocal entry, pending_flags
        if entry is None:
            entry = Entry(flags=pending_flags, line=number)
            pending_flags = set()
        return entry

    def finish():
        nonlocal entry, target
        if entry is not None:
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if entry is not None and entry.msgstr:  # a comment after msgstr starts the next entry
                finish()
            if line.startswith("#,"):
                pending_flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            assert entry is not None and target is not None, f"{path}:{number}: a string outside an entry"
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, name, getattr(entry, name) + _unquote(line))
            continue
        if keyword in ("msgctxt", "msgid") and entry is not None and entry.msgstr:
            finish()
        current = start(number)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(current, keyword, _unquote(rest))
            target = (keyword, None)
        elif keyword == "msgstr":
            current.msgstr[0] = _unquote(rest)
            target = ("msgstr", 0)
        elif m := re.fullmatch(r"msgstr\[(\d+)\]", keyword):
            current.msgstr[int(m.group(1))] = _unquote(rest)
            target = ("msgstr", int(m.group(1)))
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def catalogue(app: str) -> Path:
    base = PACKAGE if app == PROJECT else PACKAGE / app
    return base / "locale" / "en" / "LC_MESSAGES" / "django.po"


def messages(app: str) -> list[Entry]:
    return [e for e in read_po(catalogue(app)) if e.msgid]


@pytest.mark.parametrize("app", APPS)
def test_the_catalogue_is_complete(app):
    path = catalogue(app)
    assert path.exists(), f"{app} has no English catalogue: run makemessages -l en in {path.parents[3]}"
    entries = read_po(path)
    [header] = [e for e in entries if not e.msgid]
    assert "fuzzy" not in header.flags, f"{path}: the header is marked fuzzy"
    assert "Language: en\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]
    found = [e for e in entries if e.msgid]
    assert found, f"{path} has no messages"
    fuzzy = [f"line {e.line}: {e.msgid[:60]}" for e in found if "fuzzy" in e.flags]
    untranslated = [f"line {e.line}: {e.msgid[:60]}" for e in found if not all(e.msgstr.values()) or not e.msgstr]
    assert not fuzzy, f"{path}: fuzzy entries:\n" + "\n".join(fuzzy)
    assert not untranslated, f"{path}: untranslated entries:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("app", APPS)
def test_translations_keep_the_placeholders(app):
    wrong = []
    for e in messages(app):
        expected = set(PLACEHOLDER.findall(e.msgid)) | set(PLACEHOLDER.findall(e.msgid_plural or ""))
        for index, text in e.msgstr.items():
            if set(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"line {e.line}: {sorted(expected)} -> {sorted(set(PLACEHOLDER.findall(text)))}")
    assert not wrong, f"{catalogue(app)}: placeholders changed:\n" + "\n".join(wrong)


@pytest.mark.parametrize("app", APPS)
def test_the_compiled_catalogue_matches_the_po(app):
    po = catalogue(app)
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages in {po.parents[3]}"
    with mo.open("rb") as f:
        compiled = dict(gettext.GNUTranslations(f)._catalog)  # noqa: SLF001 (the stdlib keeps it there)
    compiled.pop("", None)
    expected = {}
    for e in messages(app):
        if "fuzzy" in e.flags:
            continue
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            if e.msgstr.get(0):
                expected[key] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                if text:
                    expected[(key, index)] = text
    assert compiled == expected, f"{mo} is out of date with {po.name}: run compilemessages in {po.parents[3]}"


def test_the_project_catalogue_holds_no_app_strings():
    """makemessages run inside an app that has no locale folder yet writes that app's strings into the
    project-wide catalogue (LOCALE_PATHS), which then takes precedence over every app's own catalogue.
    The project-wide catalogue must only point at sources outside the apps that have their own."""
    wrong = []
    for number, line in enumerate(catalogue(PROJECT).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("#: "):
            continue
        for reference in line[3:].split():
            source = reference.rpartition(":")[0] or reference
            top = Path(source).parts[0]
            if not (PACKAGE / source).is_file() or (PACKAGE / top / "locale").is_dir():
                wrong.append(f"line {number}: {reference}")
    assert not wrong, f"{catalogue(PROJECT)}: references outside the project-wide sources " \
                      "(run makemessages -l en in src/prongsai, not in an app):\n" + "\n".join(wrong)


def test_every_marked_string_is_in_its_catalogue(tmp_path):
    """makemessages, run on a copy of the package as a developer runs it (in src/prongsai), adds no msgid
    to any catalogue: every string marked for translation in the code and the templates has its entry,
    so an English page never shows a Thai string that was simply never added to the .po."""
    copy = tmp_path / "prongsai"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "tests", "static", "*.mo"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([str(Path(sys.executable).with_name("django-admin")), "makemessages", "-l", "en"],
                   cwd=copy, env=env, check=True, capture_output=True, timeout=300)
    missing = {}
    for app in APPS:
        def keys(path):
            return {(e.msgctxt, e.msgid) for e in read_po(path) if e.msgid}
        made = copy / catalogue(app).relative_to(PACKAGE)
        new = sorted(msgid for _ctx, msgid in keys(made) - keys(catalogue(app)))
        if new:
            missing[app] = new
    assert missing == {}, json.dumps(missing, ensure_ascii=False, indent=1) + "\nstrings marked for translation but missing from the catalogue " \
                          "(run makemessages -l en in src/prongsai, translate, compilemessages)"


# Sample pages in English -------------------------------------------------------------------------------

Role = Membership.Role


@pytest.fixture(autouse=True)
def _restore_thai(settings, tmp_path):
    """A request in English leaves English active in the thread: put Thai back for the tests that follow."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRONGSAI_COMPLAINT_KEYS = ""
    settings.PRONGSAI_COMPLAINT_KEYS_FILE = tmp_path / "complaint-keys"
    settings.PRONGSAI_COMPLAINT_FILES_DIR = tmp_path / "complaint-files"
    with translation.override("th"):
        yield


def english(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def thai(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    if user is not None:
        client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def agency(db):
    return factories.make_agency()


@pytest.fixture
def planner(agency):
    return factories.make_user("pranee", agency, Role.PLANNER)


def test_the_agency_pages_in_english(agency, planner):
    factories.make_year(agency, 2563)
    url = reverse("web:year_detail", args=[agency.slug, 2563])
    html = page(english(planner), url)
    assert "Awaiting signature" in html and "Rounds dashboard" in html
    assert "รายการรอลงนาม" in page(thai(planner), url)


def test_the_staff_inbox_in_english(planner):
    url = reverse("memos:inbox")
    assert "No memos are awaiting your signature" in page(english(planner), url)
    assert "ไม่มีบันทึกข้อความที่รอท่านลงนาม" in page(thai(planner), url)


def test_the_oit_checklist_in_english(agency, planner):
    factories.make_year(agency, 2563)
    url = reverse("oit:checklist", args=[agency.slug, 2563])
    html = page(english(planner), url)
    assert "Fill in the items the system produces" in html and "Export for ITAS" in html
    assert "เติมข้อที่ระบบจัดทำให้" in page(thai(planner), url)


def test_the_document_check_form_in_english(db):
    url = reverse("portal:verify_form")
    assert "SHA-256 value of the document" in page(english(), url)
    assert "ค่า SHA-256 ของเอกสาร" in page(thai(), url)


def test_the_api_tokens_page_in_english(planner):
    url = reverse("api_tokens")
    html = page(english(planner), url)
    assert "My tokens" in html and "Create a new token" in html
    assert "โทเคนของฉัน" in page(thai(planner), url)


def test_the_change_history_in_english():
    with translation.override("en"):
        html = render_to_string("audit/_history.html", {"entries": []})
    assert "Change history" in html and "No changes yet" in html


def test_the_report_models_in_english():
    from prongsai.reports.models import ReportVersion

    with translation.override("en"):
        assert str(ReportVersion._meta.verbose_name) == "Approved report"


def test_the_complaint_form_in_english(db):
    from prongsai.complaints.forms import PublicComplaintForm

    with translation.override("en"):
        html = str(PublicComplaintForm())
    assert "What is the complaint about?" in html and "Do you want to give your name?" in html
    with translation.override("th"):
        assert "เรื่องที่ร้องเรียนเกี่ยวกับอะไร" in str(PublicComplaintForm())


@pytest.mark.xfail(reason="the complaint views are pinned to Thai by complaints.uploads.in_thai (written before the "
                          "English catalogue existed); drop this mark when that decorator goes", strict=False)
def test_the_complaint_page_in_english(agency):
    url = reverse("complaints:intake", args=[agency.slug])
    assert "เรื่องที่ร้องเรียนเกี่ยวกับอะไร" in page(thai(), url)
    assert "What is the complaint about?" in page(english(), url)
