"""Importing many year files in one process: `prongsai import PATH [PATH ...]` (docs/year-file.md, "Many files").

    run = import_many(["exports/", "more.zip", "one-2569.yaml"], actor="prongsai import", progress=callback)
    run.outcomes          # one FileOutcome per year file (or per input refused as a whole), in order
    run.failed, run.rate  # the failed ones; agency-years imported a second

Each PATH is a year file, a folder (its *.yaml, *.yml and *.json files, in every sub-folder, in sorted
order; dot-folders and dot-files are skipped) or a .zip archive. Each year file is imported as
`prongsai import FILE` imports it (services.import_year: its own transaction, validated first, its
evidence files read relative to its own folder and checked by content), so a bad file is reported
with its errors, path and line, and the other files still import.

A zip is checked as a whole before anything of it is read: at most MAX_MEMBERS members, MAX_UNPACKED
bytes unpacked in all, no member larger than MEMBER_LIMIT or unpacking to more than MAX_RATIO times its
packed size, at most MAX_DEPTH folders deep; no absolute path, drive letter, backslash, `..`, empty part
or duplicate name; no symbolic link, device or other special member; nothing encrypted. A zip that breaks
any rule is refused with the member named and none of its files is imported. A zip that passes is
extracted (counting the bytes actually unpacked) into a new temporary folder, deleted afterwards; its year
files are then imported like a folder's, each one's evidence resolved inside that year file's folder of
the archive (evidence.open_evidence refuses `..`, symbolic links and absolute paths, as for any file).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
import zipfile
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from django.db import DatabaseError

from prongsai.yearfile.importing import ImportSummary
from prongsai.yearfile.loader import YearFileInvalid, load_year_file

YEAR_FILE_SUFFIXES = (".yaml", ".yml", ".json")

MAX_MEMBERS = 100_000              # members of one zip (8,300 agency-years with a few evidence files each)
MAX_UNPACKED = 4 * 1024 ** 3       # bytes of one zip once unpacked, all members together
MAX_RATIO = 100                    # unpacked / packed size of a member that unpacks to more than RATIO_FLOOR
RATIO_FLOOR = 64 * 1024
MAX_DEPTH = 16                     # path parts of a member (folders + the file)

IMPORTED, UNCHANGED, DRY_RUN, FAILED = "imported", "unchanged", "dry run", "failed"


class ArchiveRefused(ValueError):
    """A zip the import will not open: str() names the archive, the member and the rule."""


def member_limit() -> int:
    """The largest member a zip may have: the larger of a year file's bound and an evidence file's."""
    from prongsai.measures.services import max_upload_bytes
    from prongsai.yearfile.source import MAX_BYTES

    return max(MAX_BYTES, max_upload_bytes())


@dataclass
class FileOutcome:
    name: str                                  # as the user knows it: the path, or archive.zip:member
    status: str                                # IMPORTED, UNCHANGED, DRY_RUN or FAILED
    summary: ImportSummary | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def agency(self) -> str:
        return self.summary.agency if self.summary else ""

    @property
    def fiscal_year(self) -> int | None:
        return self.summary.fiscal_year if self.summary else None

    @property
    def created(self) -> int:
        return sum(self.summary.created.values()) if self.summary else 0

    @property
    def updated(self) -> int:
        return sum(self.summary.updated.values()) if self.summary else 0

    @property
    def deleted(self) -> int:
        return sum(self.summary.deleted.values()) if self.summary else 0


@dataclass
class BulkRun:
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == FAILED]

    @property
    def agency_years(self) -> int:
        """Year files imported (or, in a dry run, that would be): one agency-year each."""
        return sum(1 for o in self.outcomes if o.status != FAILED)

    @property
    def rate(self) -> float:
        return self.agency_years / self.seconds if self.seconds > 0 else 0.0

    def counts(self) -> Counter:
        return Counter(o.status for o in self.outcomes)


@dataclass(frozen=True)
class _Item:
    name: str    # shown to the user
    path: Path   # read from (inside a temporary folder for a zip member)


# --- finding the year files ---------------------------------------------------------------------------

def _folder_files(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):  # symbolic links to folders are not followed
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(YEAR_FILE_SUFFIXES):
                found.append(Path(root) / name)
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _member_parts(archive: Path, info: zipfile.ZipInfo) -> list[str]:
    name = info.filename
    where = f"{archive}: member {name!r}"
    if "\x00" in name or "\\" in name:
        raise ArchiveRefused(f"{where}: a member name may not hold a backslash or a NUL character")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise ArchiveRefused(f"{where}: an absolute path; members must be relative paths inside the archive")
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ArchiveRefused(f"{where}: a path with '..', '.' or an empty part would leave its folder "
                             f"(zip slip); nothing of the archive was imported")
    if len(parts) > MAX_DEPTH:
        raise ArchiveRefused(f"{where}: more than {MAX_DEPTH} folders deep")
    return parts


def check_archive(archive: Path, zf: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, list[str]]]:
    """The members of an archive with their path parts, after checking every rule (ArchiveRefused)."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveRefused(f"{archive}: {len(infos):,} members, more than the {MAX_MEMBERS:,} an import reads")
    limit = member_limit()
    total, seen, out = 0, set(), []
    for info in infos:
        parts = _member_parts(archive, info)
        where = f"{archive}: member {info.filename!r}"
        mode = info.external_attr >> 16
        kind = stat.S_IFMT(mode)
        if kind == stat.S_IFLNK:
            raise ArchiveRefused(f"{where}: a symbolic link; an archive may hold only folders and regular files")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise ArchiveRefused(f"{where}: not a regular file or folder")
        if info.flag_bits & 0x1:
            raise ArchiveRefused(f"{where}: encrypted; the import reads only unencrypted archives")
        key = "/".join(parts)
        if key in seen:
            raise ArchiveRefused(f"{where}: the archive holds this name twice")
        seen.add(key)
        if info.is_dir():
            out.append((info, parts))
            continue
        if info.file_size > limit:
            raise ArchiveRefused(f"{where}: {info.file_size:,} bytes unpacked, more than the largest file an "
                                 f"import reads ({limit:,} bytes)")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveRefused(f"{where}: unpacks to more than {MAX_RATIO} times its packed size "
                                 f"(a zip bomb?); nothing of the archive was imported")
        total += info.file_size
        if total > MAX_UNPACKED:
            raise ArchiveRefused(f"{archive}: more than {MAX_UNPACKED:,} bytes once unpacked")
        out.append((info, parts))
    return out


def extract_archive(archive: Path, target: Path) -> list[Path]:
    """Check `archive` (ArchiveRefused) and extract it into the empty folder `target`; returns its
    year files (relative to `target`), sorted. The bytes written are counted as they are unpacked, so
    a member whose header lies about its size is refused too."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveRefused(f"{archive}: not a readable zip archive ({exc})") from exc
    with zf:
        members = check_archive(archive, zf)
        root = target.resolve()
        written = 0
        limit = member_limit()
        year_files = []
        for info, parts in members:
            destination = root.joinpath(*parts)
            if not destination.resolve().is_relative_to(root):  # belt and braces: parts are checked above
                raise ArchiveRefused(f"{archive}: member {info.filename!r} would be written outside its folder")
            if info.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            size = 0
            try:
                with zf.open(info) as source, os.fdopen(os.open(destination, flags, 0o600), "wb") as out:
                    while chunk := source.read(1024 * 1024):
                        size += len(chunk)
                        written += len(chunk)
                        if size > max(info.file_size, 0) or size > limit or written > MAX_UNPACKED:
                            raise ArchiveRefused(f"{archive}: member {info.filename!r} unpacks to more than its "
                                                 f"stated size or the import's limits")
                        out.write(chunk)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
                raise ArchiveRefused(f"{archive}: member {info.filename!r} cannot be unpacked ({exc})") from exc
            name = parts[-1]
            if (name.lower().endswith(YEAR_FILE_SUFFIXES) and not any(p.startswith(".") for p in parts)
                    and parts[0] != "__MACOSX"):
                year_files.append(PurePosixPath(*parts))
        return [Path(p) for p in sorted(year_files, key=lambda p: p.parts)]


def _items(paths: Iterable[Path | str], stack: ExitStack) -> tuple[list[_Item], list[FileOutcome]]:
    """The year files to import, and an outcome for each input refused as a whole."""
    items: list[_Item] = []
    refused: list[FileOutcome] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = _folder_files(path)
            if not found:
                refused.append(FileOutcome(str(path), FAILED, errors=[
                    f"{path}: no year files (*.yaml, *.yml, *.json) in this folder"]))
            items.extend(_Item(str(p), p) for p in found)
        elif path.suffix.lower() == ".zip" and path.is_file():
            target = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="prongsai-import-")))
            try:
                found = extract_archive(path, target)
            except ArchiveRefused as exc:
                shutil.rmtree(target, ignore_errors=True)
                refused.append(FileOutcome(str(path), FAILED, errors=[str(exc)]))
                continue
            if not found:
                refused.append(FileOutcome(str(path), FAILED, errors=[
                    f"{path}: no year files (*.yaml, *.yml, *.json) in this archive"]))
            items.extend(_Item(f"{path}:{p.as_posix()}", target / p) for p in found)
        else:
            items.append(_Item(str(path), path))  # a year file (or not: load_year_file says what is wrong)
    return items, refused


# --- importing them -----------------------------------------------------------------------------------

def import_one(item_name: str, path: Path, *, actor=None, replace: bool = False, dry_run: bool = False
               ) -> FileOutcome:
    """One year file, as `prongsai import FILE` imports it; never raises for bad input."""
    from prongsai.yearfile.services import import_year

    start = time.perf_counter()
    shown = str(path)

    def named(text: str) -> str:  # a zip member's messages name it, not the temporary folder
        return text.replace(shown, item_name) if shown != item_name else text

    year_file = load_year_file(path)
    warnings = [named(str(w)) for w in year_file.warnings]
    errors = [named(str(e)) for e in year_file.errors]
    summary = None
    if not errors:
        try:
            summary = import_year(data=year_file.data, base_dir=path.parent, replace=replace, dry_run=dry_run,
                                  actor=actor or f"prongsai import {path.name}", source=item_name, checked=True)
        except YearFileInvalid as exc:
            errors = [named(str(e)) for e in exc.errors]
        except (DatabaseError, OSError) as exc:  # e.g. a concurrent import, a full disk
            errors = [f"nothing imported: {exc}"]
    if errors:
        status = FAILED
    elif dry_run:
        status = DRY_RUN
    else:
        status = IMPORTED if summary.changed else UNCHANGED
    return FileOutcome(item_name, status, summary=None if errors else summary, errors=errors, warnings=warnings,
                       seconds=time.perf_counter() - start)


def import_many(paths: Iterable[Path | str], *, actor=None, replace: bool = False, dry_run: bool = False,
                progress: Callable[[int, int, FileOutcome], None] | None = None,
                found: Callable[[int], None] | None = None) -> BulkRun:
    """Import every year file of `paths` (files, folders, zips), each in its own transaction.
    `found(total)` is called once the files are known; `progress(done, total, outcome)` after each."""
    from prongsai.framework.catalogue import remembered
    from prongsai.search.services import deferred

    start = time.perf_counter()
    run = BulkRun()
    seen: dict[tuple[str, int], str] = {}
    with ExitStack() as stack:
        items, refused = _items(paths, stack)
        total = len(items) + len(refused)
        if found is not None:
            found(total)
        done = 0
        for outcome in refused:
            done += 1
            run.outcomes.append(outcome)
            if progress is not None:
                progress(done, total, outcome)
        stack.enter_context(remembered())  # the catalogue is read once, not once per file
        stack.enter_context(deferred())    # the search index is rebuilt once at the end, in batches
        for item in items:
            outcome = import_one(item.name, item.path, actor=actor, replace=replace, dry_run=dry_run)
            if outcome.summary is not None:
                key = (outcome.agency, outcome.fiscal_year)
                if key in seen:
                    outcome.warnings.append(f"warning: {item.name}: {key[0]} {key[1]} was also in {seen[key]}; "
                                            f"this later file's content is what the database now has")
                seen.setdefault(key, item.name)
            done += 1
            run.outcomes.append(outcome)
            if progress is not None:
                progress(done, total, outcome)
    run.seconds = time.perf_counter() - start
    return run
