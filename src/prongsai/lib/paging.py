"""Page links for the staff lists that grow (members, invitations, complaint cases): Django's Paginator,
and links that keep the page's other query parameters (the search, the filter, the other list's page),
numbered in the agency's digits (prongsai.lib.thai).

    pages = paging.paginate(request, queryset, per_page=50, style=agency.digits)
    {% include "accounts/_pager.html" with pages=pages %}

Counting and slicing are done by the database: one COUNT and one page of rows, whatever the list's size.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from prongsai.lib import thai


@dataclass(frozen=True)
class Link:
    label: str  # the page number in the agency's digits, or "…"
    url: str | None  # None for the current page and for "…"
    current: bool = False


@dataclass(frozen=True)
class Pages:
    page: Page
    param: str
    previous: str | None
    next: str | None
    links: list[Link]
    number: str  # the current page number, in the agency's digits
    total: str  # the number of pages, in the agency's digits
    count: int  # the number of rows over every page

    @property
    def rows(self):
        return self.page.object_list

    @property
    def several(self) -> bool:
        return self.page.has_other_pages()


def page_url(request, param: str, number: int, anchor: str = "") -> str:
    """The current page's URL with `param` set to `number` (left out for page 1), other parameters kept."""
    query = request.GET.copy()
    query.pop(param, None)
    if number > 1:
        query[param] = str(number)
    encoded = query.urlencode()
    return ("?" + encoded if encoded else request.path) + (f"#{anchor}" if anchor else "")


def paginate(request, items, *, per_page: int, param: str = "page", style: str = thai.THAI,
             anchor: str = "") -> Pages:
    """The page of `items` asked for by `?<param>=N` (an unknown or out-of-range number gives the
    nearest page, as Paginator.get_page does); the links end with `#anchor` when one is given."""
    page = Paginator(items, per_page).get_page(request.GET.get(param) or "1")
    paginator = page.paginator

    def url(number: int) -> str:
        return page_url(request, param, number, anchor)

    links = []
    if page.has_other_pages():
        for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
            if number == paginator.ELLIPSIS:
                links.append(Link(label="…", url=None))
            else:
                links.append(Link(label=thai.digits(number, style), url=None if number == page.number else url(number),
                                  current=number == page.number))
    return Pages(
        page=page, param=param, links=links, count=paginator.count,
        previous=url(page.previous_page_number()) if page.has_previous() else None,
        next=url(page.next_page_number()) if page.has_next() else None,
        number=thai.digits(page.number, style), total=thai.digits(paginator.num_pages, style),
    )
