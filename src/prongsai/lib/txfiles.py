"""Stored files that follow the outcome of the database transaction they were written in.

    name = default_storage.save(...)          # inside transaction.atomic()
    delete_on_rollback([name])                # gone again if that transaction does not commit

Django runs `transaction.on_commit` callbacks when the outermost transaction commits and drops them
when it (or the savepoint they were registered in) rolls back; it has no rollback hook. So the
callback registered here carries a finalizer: when Django drops it unrun (rollback), CPython frees it
at once and the finalizer deletes the files; when it runs (commit), it marks the files as kept first.
Outside a transaction there is nothing to follow and the files stay.

A process killed before the commit runs no Python at all: `prongsai doctor` lists what that leaves.
"""

from __future__ import annotations

import logging
import weakref

from django.core.files.storage import default_storage
from django.db import transaction

log = logging.getLogger(__name__)


class _Kept:
    """The on_commit callback: running it (commit) marks the files kept."""

    def __init__(self, state: dict):
        self.state = state

    def __call__(self) -> None:
        self.state["committed"] = True


def _cleanup(state: dict, names: list[str], storage) -> None:
    if state["committed"]:
        return
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # never let cleanup mask the rollback's own error
            log.exception("could not remove %s after a rollback", name)


def delete_on_rollback(names: list[str], *, storage=default_storage, using: str | None = None) -> None:
    names = [n for n in names if n]
    if not names or not transaction.get_connection(using).in_atomic_block:
        return
    state = {"committed": False}
    callback = _Kept(state)
    weakref.finalize(callback, _cleanup, state, names, storage)
    transaction.on_commit(callback, using=using)
