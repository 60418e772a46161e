"""Where evidence files named by a year file live in storage, and the way back to their names.

A file `evidence/plan.pdf` (relative to the year file's folder) with SHA-256 `ab12…` is stored as
`yf/ab12…(16 hex)/evidence/plan.pdf`: the same content under the same name always maps to the same
stored file, so re-importing stores nothing new, and the export can write it back under its name.
"""

from __future__ import annotations

import errno
import os
import re
import stat

from django.core.exceptions import ValidationError
from django.core.files import File

PREFIX = "yf"
_STORED = re.compile(rf"^{PREFIX}/[0-9a-f]{{16}}/(.+)$")


def stored_name(sha256: str, relative: str) -> str:
    return f"{PREFIX}/{sha256[:16]}/{relative}"


def is_stored_name(name: str) -> bool:
    return bool(_STORED.match(name))


def relative_name(name: str) -> str:
    """The path a stored file is exported under: its year-file name, or for a file uploaded some
    other way its storage name (e.g. evidence/2025/photo.jpg)."""
    match = _STORED.match(name)
    return match.group(1) if match else name


# --- reading an evidence file named by a year file ---------------------------------------------------

class EvidenceRefused(ValueError):
    """An evidence file the import will not read: str() is the reason, naming the file."""


def _parts(relative: str) -> list[str]:
    if not relative or "\\" in relative or "\x00" in relative or relative.startswith(("/", "~")):
        raise EvidenceRefused(f"{relative!r} must be a relative path inside the year file's folder "
                              f"(e.g. evidence/plan.pdf)")
    parts = relative.split("/")
    if any(part in ("", ".", "..") or ":" in part for part in parts):
        raise EvidenceRefused(f"{relative!r} must be a relative path inside the year file's folder "
                              f"(e.g. evidence/plan.pdf), without '.', '..' or empty parts")
    return parts


def open_evidence(base_dir, relative: str):
    """The evidence file `relative` (a year file's `file:`) under `base_dir`, opened for reading as a
    django File named `relative` with its size, after checking it the way a browser upload is checked
    (measures.services.check_upload: size, content, extension matches content).

    Every component below `base_dir` is opened with O_NOFOLLOW relative to its parent folder, so a
    symlink anywhere in the path (to /etc/passwd, to another agency's stored file, to a folder
    outside) is refused, and so are '..', absolute paths and anything but a regular file. The caller
    reads the content from the returned file (never from the path again) and closes it. Raises
    EvidenceRefused."""
    from prongsai.measures.services import check_upload  # the browser's rule (imports models: not at load)

    parts = _parts(relative)
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    directory = getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(os.fspath(base_dir), os.O_RDONLY | directory)
    except OSError as exc:
        raise EvidenceRefused(f"{relative}: cannot open the year file's folder {base_dir}: {exc.strerror}") from exc
    try:
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            flags = os.O_RDONLY | nofollow | (os.O_NONBLOCK if last else directory)
            try:
                child = os.open(part, flags, dir_fd=fd)
            except OSError as exc:
                where = "/".join(parts[: index + 1])
                if os.path.islink(os.path.join(os.fspath(base_dir), where)):
                    raise EvidenceRefused(f"{relative}: {where} is a symbolic link; evidence files must be "
                                          f"real files inside the year file's folder (copy the file there)") from exc
                if exc.errno == errno.ENOENT:
                    raise EvidenceRefused(f"no such file: {relative} (in {base_dir})") from exc
                if exc.errno == errno.ENOTDIR:
                    raise EvidenceRefused(f"{relative}: {where} is not a folder") from exc
                raise EvidenceRefused(f"{relative}: cannot open {where}: {exc.strerror}") from exc
            os.close(fd)
            fd = child
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise EvidenceRefused(f"{relative}: not a regular file")
        os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb")
        fd = -1
    finally:
        if fd >= 0:
            os.close(fd)
    upload = File(handle, name=relative)
    upload.size = info.st_size
    try:
        check_upload(upload)
    except ValidationError as exc:
        handle.close()
        messages = [m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms]
        raise EvidenceRefused(f"{relative}: " + " ".join(str(m) for m in messages)) from exc
    except BaseException:
        handle.close()
        raise
    return upload
