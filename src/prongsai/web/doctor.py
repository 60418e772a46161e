"""Checks that the stored files and the rows naming them agree (`prongsai doctor`).

    found = storage_problems()      # Findings(orphan_files=[...], missing_files=[...])

- an *orphan file* is a file in default storage (MEDIA_ROOT) that no row names: left by a process
  killed mid-transaction (e.g. during report freezing), or by a transaction rolled back outside the
  code that wrote the file;
- a *missing file* (an orphan row) is a row naming a file that storage does not have.

Rows are found through every FileField of every installed model, plus the CharFields listed in
NAME_FIELDS (models that keep a storage name as text, e.g. the portal's published files).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

# Text fields that hold a name in default storage: (app_label.ModelName, field name).
NAME_FIELDS = [("portal.PublishedFile", "stored")]


@dataclass(frozen=True)
class MissingFile:
    model: str
    pk: object
    field: str
    name: str

    def __str__(self) -> str:
        return f"{self.model} #{self.pk} {self.field}: {self.name}"


@dataclass
class Findings:
    orphan_files: list[str] = field(default_factory=list)
    missing_files: list[MissingFile] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.orphan_files and not self.missing_files


def _name_fields():
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                yield model, f.attname
    for label, name in NAME_FIELDS:
        try:
            yield apps.get_model(label), name
        except LookupError:
            continue


def referenced_names() -> dict[str, list[tuple]]:
    """{storage name: [(model label, pk, field)]} for every row naming a stored file."""
    found: dict[str, list[tuple]] = {}
    for model, attname in _name_fields():
        rows = model._default_manager.exclude(**{attname: ""}).exclude(**{f"{attname}__isnull": True})
        for pk, name in rows.values_list("pk", attname).iterator():
            found.setdefault(name, []).append((model._meta.label, pk, attname))
    return found


def stored_names(storage=default_storage, folder: str = "") -> list[str]:
    """Every file name in storage below `folder`, walking its folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{f}" if folder else f for f in files]
    for sub in folders:
        names.extend(stored_names(storage, f"{folder}/{sub}" if folder else sub))
    return sorted(names)


def storage_problems(storage=default_storage) -> Findings:
    referenced = referenced_names()
    findings = Findings()
    on_disk = set(stored_names(storage))
    findings.orphan_files = sorted(on_disk - set(referenced))
    for name, rows in sorted(referenced.items()):
        if name not in on_disk and not storage.exists(name):
            findings.missing_files.extend(MissingFile(*row, name) for row in rows)
    return findings


def delete_orphan_files(names: list[str], *, older_than: dt.timedelta, storage=default_storage) -> list[str]:
    """Delete the orphan files last modified longer ago than `older_than` (a younger one may belong to
    a transaction still running) and that still no row names. Returns the names deleted."""
    cutoff = timezone.now() - older_than
    referenced = referenced_names()
    deleted = []
    for name in names:
        if name in referenced:
            continue
        try:
            modified = storage.get_modified_time(name)
        except (FileNotFoundError, NotImplementedError):
            continue
        if modified <= cutoff:
            storage.delete(name)
            deleted.append(name)
    return deleted
