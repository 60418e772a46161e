"""View helpers for forms with attachments: memory-only upload handling with CSRF still checked, and
service errors put back on the form."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import ValidationError
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from prongsai.complaints import files


def bounded_uploads(view):
    """Receive this view's uploads with `files.BoundedMemoryUploadHandler` only (no plain temporary file).

    Upload handlers must be set before anything reads the request body, and the CSRF middleware reads it;
    so the middleware is told to skip the view and the same CSRF check runs here, after the handler is in
    place (the pattern Django's documentation gives for changing upload handlers)."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            request._complaint_uploads = files.install_handler(request)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def upload_handler(request) -> list[str]:
    """Thai messages for files the handler left out (too large, too many)."""
    return files.upload_problems(getattr(request, "_complaint_uploads", None))


def add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


def in_thai(view):
    """Render a public complaint page in Thai whatever the browser asks: the public portal layout around
    it is Thai only, and a page half in English is worse for a citizen. (Staff pages follow the user's
    language choice.)"""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override("th"):
            request.LANGUAGE_CODE = "th"
            return view(request, *args, **kwargs)

    return wrapper
