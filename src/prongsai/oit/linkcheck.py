"""Fetching the URLs of OIT answers: async (httpx), bounded concurrency overall and per host,
timeouts, a redirect limit, content type and size recorded (reading stops at a size cap), and one
status per URL: ok / broken / moved / slow / stale ("not updated this fiscal year": the newest date the
page states is older than the fiscal year's start; best effort, HTML and plain text only).

Safe by default: before each request (the first and every redirect) the host is resolved and the
URL refused when any of its addresses is private, loopback, link-local, multicast, reserved or
unspecified, unless Options.allow_private (settings.PRONGSAI_LINKCHECK_ALLOW_PRIVATE).
The check resolves the name itself and httpx resolves it again when connecting, so a DNS server
that answers differently the second time (DNS rebinding) is not stopped: a known limit.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import urljoin, urlsplit

import httpx

from prongsai.lib import thai

OK, BROKEN, MOVED, SLOW, STALE = "ok", "broken", "moved", "slow", "stale"
USER_AGENT = "Prongsai-LinkCheck/1.0 (+ITA OIT link checker)"
TEXT_TYPES = ("text/html", "text/plain", "application/xhtml+xml")


@dataclass(frozen=True)
class Options:
    timeout: float = 10.0  # seconds for each connect/read/write
    total_timeout: float = 30.0  # seconds for one URL with all its redirects
    slow_after: float = 5.0  # an answer later than this is "slow"
    max_redirects: int = 5
    size_cap: int = 5 * 1024 * 1024  # bytes read at most; the rest is not downloaded
    per_host: int = 2
    concurrency: int = 16
    allow_private: bool = False
    fiscal_year_start: dt.date | None = None  # for "stale"
    today: dt.date | None = None


@dataclass
class Outcome:
    url: str
    status: str = BROKEN
    http_status: int | None = None
    final_url: str = ""
    redirects: int = 0
    content_type: str = ""
    size: int | None = None
    truncated: bool = False
    elapsed_ms: int | None = None
    page_date: dt.date | None = None
    detail: str = ""


class Refused(Exception):
    pass


# --- safety -----------------------------------------------------------------------------------------

def _unsafe(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified)


async def assert_public(url: str) -> None:
    """Raise Refused unless every address the URL's host resolves to is public."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise Refused("no host")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise Refused(f"cannot resolve {host}: {exc.strerror}") from None
    for info in infos:
        if _unsafe(info[4][0]):
            raise Refused(f"{host} resolves to a private address ({info[4][0]})")


# --- dates on the page ------------------------------------------------------------------------------

_MONTHS = {name: i + 1 for i, name in enumerate(thai.MONTHS)}
_MONTHS.update({name: i + 1 for i, name in enumerate(thai.MONTHS_ABBR)})
_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
       "november", "december"]
_MONTHS.update({name: i + 1 for i, name in enumerate(_EN)})
_MONTHS.update({name[:3]: i + 1 for i, name in enumerate(_EN)})
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}})\s*({_MONTH_RE})\.?\s*(?:พ\.\s?ศ\.\s*|ค\.\s?ศ\.\s*)?(\d{{4}})", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}}),\s*(\d{{4}})", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_SLASHED = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_FISCAL = re.compile(r"ปีงบประมาณ\s*(?:พ\.\s?ศ\.\s*)?(\d{4})")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)


def _make(year: int, month: int, day: int) -> dt.date | None:
    if year > 2400:
        year -= thai.BE_OFFSET
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def page_dates(text: str) -> list[dt.date]:
    """Every date the text states (Thai or English month names, ISO, d/m/yyyy, BE or CE years),
    and the first day of any ปีงบประมาณ it names."""
    text = _TAGS.sub(" ", text).translate(_THAI_DIGITS)
    found = []
    for d, m, y in _DAY_MONTH_YEAR.findall(text):
        found.append(_make(int(y), _MONTHS[m.lower()], int(d)))
    for m, d, y in _MONTH_DAY_YEAR.findall(text):
        found.append(_make(int(y), _MONTHS[m.lower()], int(d)))
    for y, m, d in _ISO.findall(text):
        found.append(_make(int(y), int(m), int(d)))
    for d, m, y in _SLASHED.findall(text):
        found.append(_make(int(y), int(m), int(d)))
    for y in _FISCAL.findall(text):
        if int(y) > 2400:
            found.append(dt.date(int(y) - thai.BE_OFFSET - 1, 10, 1))
    return [d for d in found if d is not None and 1990 <= d.year <= 2200]


def newest_date(text: str, today: dt.date) -> dt.date | None:
    """The newest stated date not in the far future (a page may announce next year's plans)."""
    dates = [d for d in page_dates(text) if d <= today + dt.timedelta(days=400)]
    return max(dates) if dates else None


# --- fetching ---------------------------------------------------------------------------------------

class _Limits:
    def __init__(self, options: Options):
        self.options = options
        self.overall = asyncio.Semaphore(options.concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = {}

    def host(self, url: str) -> asyncio.Semaphore:
        key = (urlsplit(url).hostname or "").lower()
        return self.hosts.setdefault(key, asyncio.Semaphore(self.options.per_host))


async def _fetch(client: httpx.AsyncClient, url: str, options: Options, limits: _Limits) -> Outcome:
    outcome = Outcome(url=url)
    current, seen = url, set()
    body = b""
    while True:
        if urlsplit(current).scheme not in ("http", "https"):
            outcome.detail = f"not an http(s) URL: {current[:200]}"
            return outcome
        if not options.allow_private:
            await assert_public(current)
        if current in seen:
            outcome.detail = "redirect loop"
            outcome.final_url = current
            return outcome
        seen.add(current)
        async with limits.host(current):
            async with client.stream("GET", current) as response:
                outcome.http_status = response.status_code
                if response.is_redirect:
                    if outcome.redirects >= options.max_redirects:
                        outcome.detail = f"more than {options.max_redirects} redirects"
                        outcome.final_url = current
                        return outcome
                    outcome.redirects += 1
                    current = urljoin(current, response.headers["location"])
                    continue
                outcome.final_url = current
                outcome.content_type = response.headers.get("content-type", "")[:200]
                declared = response.headers.get("content-length")
                chunks, read = [], 0
                async for chunk in response.aiter_raw():
                    chunks.append(chunk)
                    read += len(chunk)
                    if read > options.size_cap:
                        outcome.truncated = True
                        break
                body = b"".join(chunks)[: options.size_cap]
                outcome.size = int(declared) if declared and declared.isdigit() else read
                charset = response.charset_encoding or "utf-8"
                break
    if outcome.http_status >= 400:
        outcome.detail = f"HTTP {outcome.http_status}"
        return outcome
    kind = outcome.content_type.split(";")[0].strip().lower()
    if kind in TEXT_TYPES and options.fiscal_year_start is not None:
        try:
            text = body.decode(charset, errors="replace")
        except LookupError:
            text = body.decode("utf-8", errors="replace")
        outcome.page_date = await asyncio.to_thread(newest_date, text, options.today or dt.date.today())
    outcome.status = OK
    return outcome


def _classify(outcome: Outcome, options: Options) -> Outcome:
    if outcome.status == BROKEN:
        return outcome
    notes = []
    if outcome.truncated:
        notes.append(f"read only the first {options.size_cap} bytes")
    if outcome.page_date and options.fiscal_year_start and outcome.page_date < options.fiscal_year_start:
        outcome.status = STALE
        notes.insert(0, f"newest date on the page {outcome.page_date.isoformat()}")
    elif outcome.redirects:
        outcome.status = MOVED
        notes.insert(0, f"moved to {outcome.final_url[:300]}")
    elif outcome.elapsed_ms is not None and outcome.elapsed_ms > options.slow_after * 1000:
        outcome.status = SLOW
        notes.insert(0, f"answered after {outcome.elapsed_ms / 1000:.1f} s")
    outcome.detail = "; ".join(notes)[:500]
    return outcome


async def check_url(client: httpx.AsyncClient, url: str, options: Options, limits: _Limits) -> Outcome:
    started = time.monotonic()
    async with limits.overall:
        try:
            async with asyncio.timeout(options.total_timeout):
                outcome = await _fetch(client, url, options, limits)
        except Refused as exc:
            outcome = Outcome(url=url, detail=f"refused: {exc}")
        except (TimeoutError, httpx.TimeoutException):
            outcome = Outcome(url=url, detail="timed out")
        except httpx.HTTPError as exc:
            outcome = Outcome(url=url, detail=f"{type(exc).__name__}: {exc}"[:500])
    outcome.elapsed_ms = int((time.monotonic() - started) * 1000)
    return _classify(outcome, options)


async def check_urls(urls: Iterable[str], options: Options,
                     on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Check each URL once (duplicates share one fetch); results in the order given."""
    unique = list(dict.fromkeys(urls))
    limits = _Limits(options)
    timeout = httpx.Timeout(options.timeout)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT},
                                 limits=httpx.Limits(max_connections=options.concurrency),
                                 trust_env=False) as client:

        async def one(url: str) -> Outcome:
            result = await check_url(client, url, options, limits)
            if on_done is not None:
                on_done(result)
            return result

        results = await asyncio.gather(*(one(u) for u in unique))
    return results


def run(urls: Iterable[str], options: Options, on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    return asyncio.run(check_urls(urls, options, on_done))
