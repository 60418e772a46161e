"""A validation finding: where (path and line) and what."""

from __future__ import annotations

from dataclasses import dataclass

Path_ = tuple  # ("measures", 3, "rounds", 0): str keys, int list indexes

ERROR = "error"
WARNING = "warning"


def format_path(path: Path_) -> str:
    """("measures", 3, "rounds", 0) -> "measures[3].rounds[0]"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Issue:
    """One line of validation output: `path: message (line N)`. Path is "" for the file as a
    whole (unreadable, empty, not a mapping); line is None for data that did not come from a file."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        if self.line is not None:
            where = f"line {self.line}" + (f", column {self.column}" if self.column is not None else "")
            text += f" ({where})"
        return f"warning: {text}" if self.severity == WARNING else text

    def sort_key(self) -> tuple:
        return (self.line or 0, self.column or 0, self.path, self.message)
