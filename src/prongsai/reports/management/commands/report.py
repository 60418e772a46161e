"""`prongsai report`: a document of one agency's year (the round report, the plan, the announcement),
as PDF, DOCX or HTML.

    prongsai report FILE --round 6 --format pdf [-o PATH]                 # from a year file, no database
    prongsai report --agency SLUG --year 2563 --round 6 --format docx     # from the database
    prongsai report --agency SLUG --year 2570 --document plan --format pdf
    prongsai report FILE --document announcement --format html

From the database the plan carries its approval memo (the year's plan memo, when there is one) and
the announcement its date and the executive who signed it (or, before approval, the plan memo's last
approver); from a year file the plan has no memo and the announcement's date is left blank.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prongsai.lib.fiscal import ROUNDS
from prongsai.reports import documents
from prongsai.reports.build import NoReportForRound
from prongsai.reports.fonts import FontsMissing
from prongsai.reports.renderers import FORMATS, get_format, render


class Command(BaseCommand):
    help = (
        "Write a document of one agency's fiscal year: the round report (covering memo, cover, preface, "
        "analysis, measures, results), the plan (approval memo, analysis, measures) or the executive's "
        "announcement, from a year file (no database needed) or from the database."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="a year file (YAML or JSON); or use --agency and --year")
        parser.add_argument("--agency", help="agency slug, to report from the database")
        parser.add_argument("--year", type=int, help="fiscal year (BE), with --agency")
        parser.add_argument("--document", default="round", choices=documents.DOCUMENTS,
                            help="round (default), plan or announcement")
        parser.add_argument("--round", type=int, help="the round in months: 3, 6, 9 or 12 (--document round)")
        parser.add_argument("--format", default="pdf", help=f"one of {', '.join(FORMATS)} (default pdf)")
        parser.add_argument("-o", "--output", help="where to write (default ./<agency>-<year>-round<N>.<ext>)")

    def handle(self, *args, file=None, agency=None, year=None, round=None, format="pdf", output=None,
               document="round", **options):
        if document == "round" and round not in ROUNDS:
            raise CommandError(f"--round must be one of {', '.join(map(str, ROUNDS))}, not {round}")
        if document != "round" and round is not None:
            raise CommandError(f"--round is for --document round only (the {document} covers the whole year)")
        if format not in FORMATS:
            raise CommandError(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
        if file and (agency or year):
            raise CommandError("give either a FILE or --agency and --year, not both")
        entry = None
        if file:
            data = _from_file(file)
        elif agency and year:
            data = _from_database(agency=agency, year=year)
            entry = _entry_from_database(agency=agency, year=year, document=document)
        else:
            raise CommandError("give a year FILE, or --agency SLUG and --year YEAR")

        try:
            built = documents.build(document, data, entry=entry, round=round)
            content = render(built, format)
        except NoReportForRound as exc:
            raise CommandError(str(exc)) from exc
        except FontsMissing as exc:
            raise CommandError(str(exc)) from exc
        except ValueError as exc:  # e.g. an agency's wording template with an unknown placeholder
            raise CommandError(str(exc)) from exc

        slug = (data.get("agency") or {}).get("slug") or "report"
        stem = f"round{round}" if document == "round" else document
        target = Path(output or f"{slug}-{data['fiscal_year']}-{stem}.{get_format(format).extension}")
        _write_atomically(target, content)
        self.stdout.write(str(target))


def _from_file(path: str) -> dict:
    from prongsai.yearfile.loader import YearFileInvalid, load_valid_year_file

    if not Path(path).is_file():
        raise CommandError(f"{path}: no such file")
    try:
        return load_valid_year_file(path)
    except YearFileInvalid as exc:
        raise CommandError(f"{path} is not a valid year file:\n{exc}") from exc


def _from_database(*, agency: str, year: int) -> dict:
    from prongsai.yearfile.services import NoSuchYear, export_year

    try:
        return export_year(agency=agency, fiscal_year=year)
    except NoSuchYear as exc:
        raise CommandError(str(exc)) from exc


def _entry_from_database(*, agency: str, year: int, document: str):
    """The plan memo's data (plan) or the announcement's date and signer (announcement); None if none."""
    if document == "round":
        return None
    from prongsai.memos.models import Memo

    memos = {m.kind: m for m in Memo.objects.filter(plan__agency__slug=agency, plan__fiscal_year=year)
             .exclude(kind=Memo.Kind.ROUND).prefetch_related("signers")}
    if document == "plan":
        return documents.entry_for(memos["plan"]) if "plan" in memos else None
    if "announcement" in memos:
        return documents.entry_for(memos["announcement"])
    return documents.preview_notice(memos["plan"]) if "plan" in memos else None


def _write_atomically(target: Path, content: bytes) -> None:
    """Write to a temporary file next to the target, then rename: a failed run leaves no partial file."""
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise CommandError(f"{directory}: no such directory")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise CommandError(f"cannot write in {directory}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CommandError(f"cannot write {target}: {exc.strerror}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
