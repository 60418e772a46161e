"""`/search/?q=…`: the Thai full-text search, for everyone (what is published) and, signed in, also over
what the user's agencies hold. The rules are in prongsai.search.services."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from prongsai.search import services

PAGE_SIZE = 20


def _page_number(raw) -> int:
    try:
        return max(1, min(int(raw), services.MAX_HITS // PAGE_SIZE))
    except (TypeError, ValueError):
        return 1


@require_safe
def search(request):
    query = request.GET.get("q", "")
    page = _page_number(request.GET.get("page"))
    results = services.search(request.user, query, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = (results.total + PAGE_SIZE - 1) // PAGE_SIZE
    response = render(request, "search/results.html", {
        "query": results.query, "results": results, "page": page, "first_number": (page - 1) * PAGE_SIZE + 1,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
        "signed_in": request.user.is_authenticated,
    })
    # what a signed-in user is shown depends on who they are: never kept by a shared cache
    response["Cache-Control"] = "private, no-store" if request.user.is_authenticated else "public, max-age=60"
    patch_vary_headers(response, ["Cookie"])
    return response
