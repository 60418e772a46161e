"""The link checker against a real local HTTP server."""

import datetime as dt

import pytest

from prongsai.oit import linkcheck
from prongsai.oit.tests.httpserver import HUGE, LocalServer

FY2566 = dt.date(2022, 10, 1)
OPTIONS = linkcheck.Options(timeout=1.0, total_timeout=2.0, slow_after=0.5, max_redirects=5, size_cap=100_000,
                            allow_private=True, fiscal_year_start=FY2566, today=dt.date(2023, 5, 1))


@pytest.fixture(scope="module")
def server():
    with LocalServer() as running:
        yield running


def _check(server, path, options=OPTIONS):
    [outcome] = linkcheck.run([server.url(path)], options)
    return outcome


def test_it_passes_a_current_page(server):
    o = _check(server, "/ok")
    assert (o.status, o.http_status, o.redirects) == ("ok", 200, 0)
    assert o.content_type.startswith("text/html") and o.size > 0
    assert o.page_date == dt.date(2023, 1, 15)  # ๑๕ มกราคม ๒๕๖๖


@pytest.mark.parametrize("path, code", [("/404", 404), ("/500", 500)])
def test_it_marks_error_statuses_broken(server, path, code):
    o = _check(server, path)
    assert (o.status, o.http_status, o.detail) == ("broken", code, f"HTTP {code}")


def test_it_marks_a_redirect_moved_with_its_target(server):
    o = _check(server, "/redirect")
    assert (o.status, o.redirects, o.final_url) == ("moved", 1, server.url("/ok"))


def test_it_stops_a_redirect_loop_and_too_many_redirects(server):
    loop = _check(server, "/loop-a")
    assert (loop.status, loop.detail) == ("broken", "redirect loop")
    chain = _check(server, "/chain/1")
    assert chain.status == "broken" and chain.redirects == 5 and "more than 5 redirects" in chain.detail


def test_it_marks_a_slow_answer_slow_and_a_hanging_one_broken(server):
    slow = _check(server, "/slow")
    assert slow.status == "slow" and slow.elapsed_ms >= 500
    hang = _check(server, "/hang")
    assert (hang.status, hang.detail) == ("broken", "timed out")


def test_it_stops_reading_a_huge_body_at_the_cap(server):
    o = _check(server, "/huge")
    assert o.status == "ok" and o.truncated and o.size == HUGE
    assert "100000 bytes" in o.detail


def test_it_records_non_html_content(server):
    o = _check(server, "/report.pdf")
    assert (o.status, o.content_type, o.page_date) == ("ok", "application/pdf", None)


def test_it_marks_a_page_without_this_fiscal_years_dates_stale(server):
    o = _check(server, "/old")
    assert o.status == "stale" and o.page_date == dt.date(2017, 3, 3)


def test_it_refuses_private_and_loopback_addresses(server):
    options = linkcheck.Options(timeout=1.0, allow_private=False)
    for url in (server.url("/ok"), server.url("/ok").replace("127.0.0.1", "localhost")):
        [o] = linkcheck.run([url], options)
        assert o.status == "broken" and o.detail.startswith("refused:") and o.http_status is None


@pytest.mark.parametrize("address, unsafe", [
    ("10.1.2.3", True), ("192.168.1.1", True), ("169.254.169.254", True), ("::1", True),
    ("::ffff:127.0.0.1", True), ("fe80::1", True), ("0.0.0.0", True), ("8.8.8.8", False),
    ("2001:4860:4860::8888", False),
])
def test_it_knows_which_addresses_are_private(address, unsafe):
    assert linkcheck._unsafe(address) is unsafe


def test_it_reads_thai_and_gregorian_dates():
    text = "<p>๒๕ ธ.ค. ๒๕๖๕</p> 12/03/2023 <script>var d='2030-01-01'</script> March 5, 2021 ปีงบประมาณ พ.ศ. 2567"
    assert linkcheck.page_dates(text) == [dt.date(2022, 12, 25), dt.date(2021, 3, 5), dt.date(2023, 3, 12),
                                          dt.date(2023, 10, 1)]
