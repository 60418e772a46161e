import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from prongsai.yearfile import bulk
from prongsai.yearfile.loader import YearFileInvalid, load_year_file
from prongsai.yearfile.services import import_year


class Command(BaseCommand):
    help = (
        "Import ITA year files into the database: validate each, then write its agency-year in one "
        "transaction (nothing of a file is written when anything in it fails). Each PATH is a year file, a "
        "folder (its .yaml/.yml/.json files, recursively) or a .zip archive; with several files a bad one is "
        "reported and the others still import, and a summary table ends the run (exit status 1 when any "
        "failed). Importing the same file again changes nothing; an edited file updates the database to "
        "match it. Rows the file does not have (e.g. evidence uploaded in the browser) are kept and listed, "
        "unless --replace; a memo approved in Prongsai is never changed. Every change is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                            help="a year file (.yaml, .yml or .json), a folder of them, or a .zip of them")
        parser.add_argument(
            "--replace", action="store_true",
            help="delete what the database has for each agency-year and its file does not (listed first "
                 "with --dry-run), and apply the file's memos to memos in the approval chain",
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help="show what the import would create, update, keep, skip and delete, and write nothing",
        )

    def handle(self, *args, paths: list[Path], replace: bool, dry_run: bool, **options):
        if len(paths) == 1 and paths[0].suffix.lower() != ".zip" and not paths[0].is_dir():
            return self.import_file(paths[0], replace=replace, dry_run=dry_run)
        return self.import_many(paths, replace=replace, dry_run=dry_run)

    # --- one file: every line of what it did ---------------------------------------------------------

    def import_file(self, file: Path, *, replace: bool, dry_run: bool):
        year_file = load_year_file(file)
        for warning in year_file.warnings:
            self.stderr.write(str(warning), style_func=self.style.WARNING)
        errors = year_file.errors
        if not errors:
            try:
                summary = import_year(data=year_file.data, base_dir=file.parent, replace=replace, dry_run=dry_run,
                                      actor=f"prongsai import {file.name}", source=str(file), checked=True)
            except YearFileInvalid as exc:
                errors = exc.errors
            except (DatabaseError, OSError) as exc:  # e.g. a concurrent import, a full disk
                raise CommandError(f"{file}: nothing imported: {exc}") from exc
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            count = len(errors)
            raise CommandError(f"{file}: {count} error{'s' if count != 1 else ''}; nothing imported")
        if dry_run:
            word = "dry run, nothing written; the import would do"
        else:
            word = "imported" if summary.changed else "already up to date"
        self.stdout.write(f"{word}: {file}: {summary}")
        self.details(summary, dry_run=dry_run, write=self.stdout.write)

    def details(self, summary, *, dry_run: bool, write, indent: str = "") -> None:
        would = "would be " if dry_run else ""
        for line in summary.skipped:
            write(f"{indent}{would}left alone: {line}", style_func=self.style.WARNING)
        if summary.kept:
            write(f"{indent}{would}kept, not in the file ({len(summary.kept)}; `--replace` deletes them, "
                  f"`--replace --dry-run` shows what it would delete):", style_func=self.style.WARNING)
            for line in summary.kept:
                write(f"{indent}  {line}")
        if summary.removed:
            write(f"{indent}{would}deleted, not in the file ({len(summary.removed)}):", style_func=self.style.WARNING)
            for line in summary.removed:
                write(f"{indent}  {line}")

    # --- many files: a progress bar (or a line a file), then the summary table -----------------------

    def import_many(self, paths: list[Path], *, replace: bool, dry_run: bool):
        terminal = self.stdout.isatty()
        if terminal:
            run = self._with_progress_bar(paths, replace=replace, dry_run=dry_run)
        else:
            run = bulk.import_many(paths, actor="prongsai import", replace=replace, dry_run=dry_run,
                                   progress=self._line)
        self._table(run, dry_run=dry_run, terminal=terminal)
        failed = run.failed
        if failed:
            total = len(run.outcomes)
            rest = ("nothing was written (dry run)" if dry_run else
                    "the others were imported" if len(failed) < total else "nothing was imported")
            raise CommandError(f"{len(failed)} of {total} file{'s' if total != 1 else ''} failed and "
                               f"{'were' if len(failed) != 1 else 'was'} not imported; {rest}")

    def _report(self, outcome: bulk.FileOutcome, write_out, write_err) -> None:
        for warning in outcome.warnings:
            write_err(f"{outcome.name}: {warning}", style_func=self.style.WARNING)
        for error in outcome.errors:
            write_err(f"{outcome.name}: {error}")
        if outcome.summary is not None:
            self.details(outcome.summary, dry_run=outcome.status == bulk.DRY_RUN, write=write_out, indent="  ")

    def _line(self, done: int, total: int, outcome: bulk.FileOutcome) -> None:
        what = {bulk.IMPORTED: "imported", bulk.UNCHANGED: "already up to date",
                bulk.DRY_RUN: "dry run, would do", bulk.FAILED: "FAILED, nothing imported"}[outcome.status]
        summary = f": {outcome.summary}" if outcome.summary is not None else f" ({len(outcome.errors)} errors)"
        self.stdout.write(f"[{done}/{total}] {what}: {outcome.name}{summary}")
        self._report(outcome, self.stdout.write, self.stderr.write)

    def _with_progress_bar(self, paths, *, replace: bool, dry_run: bool) -> bulk.BulkRun:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(file=getattr(self.stdout, "_out", sys.stdout))
        errors = Console(file=getattr(self.stderr, "_out", sys.stderr))
        columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]:.1f}/s"), TimeRemainingColumn(), TextColumn("{task.fields[name]}"))
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("dry run" if dry_run else "importing", total=None, rate=0.0, name="")

            def found(total: int) -> None:
                bar.update(task, total=total)

            def progress(done: int, total: int, outcome: bulk.FileOutcome) -> None:
                elapsed = bar.tasks[0].elapsed or 0
                bar.update(task, completed=done, rate=done / elapsed if elapsed else 0.0, name=outcome.name[-40:])

                def out(text, style_func=None):
                    bar.console.print(text, markup=False, highlight=False)

                def err(text, style_func=None):  # a warning comes with a style_func, an error without
                    errors.print(text, markup=False, highlight=False, style="yellow" if style_func else "red")

                self._report(outcome, out, err)

            return bulk.import_many(paths, actor="prongsai import", replace=replace, dry_run=dry_run,
                                    progress=progress, found=found)

    def _table(self, run: bulk.BulkRun, *, dry_run: bool, terminal: bool) -> None:
        headers = ["file", "agency", "year", "created", "updated", "deleted", "status"]
        rows = [[o.name, o.agency, str(o.fiscal_year or ""), str(o.created), str(o.updated), str(o.deleted),
                 o.status if o.status != bulk.FAILED else f"failed ({len(o.errors)} errors)"]
                for o in run.outcomes]
        counts = run.counts()
        done = "would be imported" if dry_run else "imported"
        parts = [f"{counts[bulk.DRY_RUN if dry_run else bulk.IMPORTED]} {done}"]
        if not dry_run:
            parts.append(f"{counts[bulk.UNCHANGED]} already up to date")
        parts.append(f"{counts[bulk.FAILED]} failed")
        total = len(run.outcomes)
        totals = (f"{total} file{'s' if total != 1 else ''}: {', '.join(parts)}; "
                  f"{sum(o.created for o in run.outcomes)} rows created, {sum(o.updated for o in run.outcomes)} "
                  f"updated, {sum(o.deleted for o in run.outcomes)} deleted; {run.agency_years} agency-years in "
                  f"{run.seconds:.1f} s: {run.rate:.1f} agency-years/s")
        if terminal:
            from rich.console import Console
            from rich.table import Table

            table = Table(title="prongsai import" + (" (dry run: nothing written)" if dry_run else ""))
            for header in headers:
                table.add_column(header, overflow="fold", justify="right" if header in
                                 ("year", "created", "updated", "deleted") else "left")
            for row in rows:
                table.add_row(*row, style="red" if row[-1].startswith("failed") else None)
            console = Console(file=getattr(self.stdout, "_out", sys.stdout))
            console.print(table)
            console.print(totals, markup=False, highlight=False)
            return
        widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
        numeric = {2, 3, 4, 5}

        def line(cells):
            return "  ".join(c.rjust(w) if i in numeric else c.ljust(w)
                             for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

        self.stdout.write("")
        self.stdout.write(line(headers))
        self.stdout.write(line(["-" * w for w in widths]))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write(totals)
