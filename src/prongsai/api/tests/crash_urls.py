"""The site's URLs plus one API route that crashes, for test_errors.py (a real exception through Django's
handling, not a stand-in for it)."""

from django.urls import include, path

from prongsai import urls


def crash(request):
    raise RuntimeError("a bug")


urlpatterns = [path("api/v1/crash-for-tests", crash), path("", include(urls))]
