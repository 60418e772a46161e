"""Attachments: received into memory only, checked by content, sealed before they touch the disk.

Django writes an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file in plain form; the
complaint views replace its upload handlers with `BoundedMemoryUploadHandler`, which keeps each file in
memory up to the size limit and skips (and names) the ones over it. Stored files are sealed with
AES-GCM (`crypto`) under a random name in PRONGSAI_COMPLAINT_FILES_DIR; their original names are
sealed in the database.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from prongsai.complaints import crypto
from prongsai.measures.services import check_upload


def max_file_bytes() -> int:
    return int(getattr(settings, "PRONGSAI_COMPLAINT_MAX_FILE_MB", 10)) * 1024 * 1024


def max_files() -> int:
    return int(getattr(settings, "PRONGSAI_COMPLAINT_MAX_FILES", 5))


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Every uploaded file in memory, none over `max_file_bytes()`, at most `max_files()` of them."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_file_bytes()
        self.max_count = max_files()
        self.count = 0
        self.too_large: list[str] = []
        self.too_many = False
        self.buffer: BytesIO | None = None

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.count += 1
        if self.count > self.max_count:
            self.too_many = True
            raise SkipFile()
        self.buffer = BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if self.buffer.tell() + len(raw_data) > self.limit:
            self.too_large.append(self.file_name)
            self.buffer = None
            raise SkipFile()
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        buffer, self.buffer = self.buffer, None
        buffer.seek(0)
        return InMemoryUploadedFile(buffer, self.field_name, self.file_name, self.content_type, file_size,
                                    self.charset, self.content_type_extra)


def install_handler(request) -> BoundedMemoryUploadHandler:
    """Use only the bounded in-memory handler for this request (before its body is read)."""
    handler = BoundedMemoryUploadHandler(request)
    request.upload_handlers = [handler]
    return handler


def upload_problems(handler: BoundedMemoryUploadHandler | None) -> list[str]:
    """Thai messages for the files the handler had to leave out."""
    if handler is None:
        return []
    problems = [_("ไฟล์แนบ: ไฟล์ %(name)s มีขนาดเกิน %(mb)s MB") % {
        "name": name, "mb": getattr(settings, "PRONGSAI_COMPLAINT_MAX_FILE_MB", 10)} for name in handler.too_large]
    if handler.too_many:
        problems.append(_("ไฟล์แนบ: แนบได้ไม่เกิน %(count)s ไฟล์") % {"count": handler.max_count})
    return problems


def check_files(uploads, *, field_name: str = "files") -> list[str]:
    """The kind of each file (PDF, PNG, JPEG, DOCX, XLSX judged by content); ValidationError naming the field."""
    if len(uploads) > max_files():
        raise ValidationError({field_name: _("ไฟล์แนบ: แนบได้ไม่เกิน %(count)s ไฟล์") % {"count": max_files()}})
    kinds = []
    for upload in uploads:
        if upload.size > max_file_bytes():
            raise ValidationError({field_name: _("ไฟล์แนบ: ไฟล์ %(name)s มีขนาดเกิน %(mb)s MB") % {
                "name": upload.name, "mb": getattr(settings, "PRONGSAI_COMPLAINT_MAX_FILE_MB", 10)}})
        try:
            kinds.append(check_upload(upload, field_name=field_name))
        except ValidationError as exc:
            messages = [f"{upload.name}: {m}" for m in exc.message_dict.get(field_name, exc.messages)]
            raise ValidationError({field_name: messages}) from None
    return kinds


def files_dir() -> Path:
    return Path(settings.PRONGSAI_COMPLAINT_FILES_DIR)


def path_of(stored_name: str) -> Path:
    return files_dir() / stored_name[:2] / stored_name


def write_sealed(path: Path, sealed: bytes) -> None:
    """Write through a 0600 temporary file and rename, so a file is always whole."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(sealed)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def store(upload, *, purpose: str) -> tuple[str, int, str]:
    """Seal an upload into a new file: (stored name, size, sha256 of the content)."""
    upload.seek(0)
    data = upload.read()
    name = secrets.token_hex(16)
    write_sealed(path_of(name), crypto.seal(data, purpose=purpose))
    return name, len(data), hashlib.sha256(data).hexdigest()


def read(stored_name: str, *, purpose: str) -> bytes:
    return crypto.unseal(path_of(stored_name).read_bytes(), purpose=purpose)


def remove(names: list[str]) -> None:
    for name in names:
        try:
            path_of(name).unlink()
        except FileNotFoundError:
            pass
