"""Keeping the index right, and searching it.

    mark(group)                     the group changed: rebuilt once the current transaction commits
    sync(groups)                    rebuild those groups now (rows whose source did not change are kept)
    reindex(agency=None)            rebuild everything (or one agency's groups): `prongsai reindex`
    search(user, "ดุลพินิจ")         ranked hits the user may see (public rows; rows of the user's agencies)

Changes reach `mark` through signals (prongsai.search.signals): saves and deletes of the indexed models,
and audit entries of year plans (the year-file import writes with bulk operations, which send no
signals, but audits the plan). A failed rebuild never undoes the change it follows: it is logged, and
`prongsai reindex` repairs the index.

Who sees what: everyone sees the public rows (published documents and reports, the measures of a
published year, OIT answers); a signed-in user also sees the rows of the agencies
`prongsai.agencies.access.agencies_for` gives them (their memberships; every agency for a superuser).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString

from prongsai.agencies.access import agencies_for
from prongsai.search import sources, text
from prongsai.search.models import Entry

log = logging.getLogger(__name__)

MAX_QUERY_WORDS = 12
MAX_HITS = 500  # ranked candidates read per query; pages are cut from them
SYNC_BATCH = 200  # groups rebuilt with one set of queries

_pending = threading.local()


# --- keeping it right -----------------------------------------------------------------------------

def mark(group: str) -> None:
    """Rebuild `group` after the current transaction commits (at once outside one)."""
    groups = getattr(_pending, "groups", None)
    if groups is None:
        groups = _pending.groups = set()
    groups.add(group)
    # One callback per mark: the first to run rebuilds every pending group, the others find none. (A set
    # left over from a transaction that rolled back is rebuilt at the next commit: rebuilding is idempotent.)
    transaction.on_commit(_flush, robust=True)


@contextmanager
def deferred():
    """Within this block (in this thread) marked groups are not rebuilt after each commit but once, when
    the block ends, in batches of SYNC_BATCH: for a run of many transactions (`prongsai import` of many
    files), whose index is then right when the run ends rather than after each file."""
    outer = getattr(_pending, "hold", False)
    _pending.hold = True
    try:
        yield
    finally:
        _pending.hold = outer
        if not outer:
            _flush()


def _flush() -> None:
    if getattr(_pending, "hold", False):
        return
    groups = getattr(_pending, "groups", None) or set()
    _pending.groups = set()
    if groups:
        try:
            sync(sorted(groups))
        except Exception:
            log.exception("search index update failed for %s; run `prongsai reindex`", ", ".join(sorted(groups)))


def _digest(row: sources.Row) -> str:
    data = [row.kind, row.agency_id, row.public, row.fiscal_year, row.title, row.body, row.url]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def _entry(key: str, group: str, row: sources.Row, digest: str) -> Entry:
    return Entry(
        key=key, group=group, kind=row.kind, agency_id=row.agency_id, public=row.public,
        fiscal_year=row.fiscal_year, title=row.title[:500], body=row.body, url=row.url[:500],
        title_tokens=text.tokens(row.title), body_tokens=text.tokens(row.body),
        plain=text.normalise(f"{row.title}\n{row.body}"), digest=digest,
    )


@dataclass
class SyncCounts:
    written: int = 0
    deleted: int = 0
    kept: int = 0


def sync(groups: Iterable[str]) -> SyncCounts:
    """Make each group's rows what its sources say now, in one transaction."""
    counts = SyncCounts()
    groups = list(dict.fromkeys(groups))
    with transaction.atomic():
        for start in range(0, len(groups), SYNC_BATCH):
            chunk = groups[start:start + SYNC_BATCH]
            built = sources.build_many(chunk)
            have: dict[str, dict[str, str]] = {g: {} for g in chunk}
            for group, key, digest in Entry.objects.filter(group__in=chunk).values_list("group", "key", "digest"):
                have[group][key] = digest
            doomed, rows = [], []
            for group in chunk:
                wanted, old = built[group], have[group]
                digests = {key: _digest(row) for key, row in wanted.items()}
                fresh = [key for key in wanted if old.get(key) != digests[key]]
                gone = [key for key in old if key not in wanted]
                # a changed row is deleted and written again; a new key may still have a row in another group
                doomed += fresh + gone
                rows += [_entry(key, group, wanted[key], digests[key]) for key in fresh]
                counts.written += len(fresh)
                counts.deleted += len(gone)
                counts.kept += len(wanted) - len(fresh)
            for i in range(0, len(doomed), 500):
                Entry.objects.filter(key__in=doomed[i:i + 500]).delete()
            Entry.objects.bulk_create(rows, batch_size=500)
    return counts


def reindex(*, agency=None, full: bool = False) -> SyncCounts:
    """Rebuild every group (or `agency`'s). `full`: empty the index first (or the agency's rows)."""
    with transaction.atomic():
        if full:
            (Entry.objects.filter(agency=agency) if agency is not None else Entry.objects.all()).delete()
        groups = sources.groups_of_agency(agency.pk) if agency is not None else sources.all_groups()
        counts = sync(groups)
        # rows of groups that no longer exist (e.g. an agency-year deleted while signals were off)
        known = set(groups)
        leftovers = (Entry.objects.filter(agency=agency) if agency is not None else Entry.objects.all())
        orphans = [g for g in leftovers.values_list("group", flat=True).distinct() if g not in known]
        if orphans:
            counts.deleted += Entry.objects.filter(group__in=orphans).delete()[0]
    return counts


# --- searching ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    entry: Entry
    title: SafeString  # escaped, matches in <mark>
    snippet: SafeString
    score: float


@dataclass(frozen=True)
class Results:
    query: str
    words: list[str]
    hits: list[Hit]
    total: int  # ranked candidates found (at most MAX_HITS)


def visible(user) -> QuerySet[Entry]:
    """The rows `user` may see: public ones, and those of their agencies."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Entry.objects.filter(public=True)
    if user.is_superuser:
        return Entry.objects.all()
    return Entry.objects.filter(Q(public=True) | Q(agency__in=agencies_for(user).values("pk")))


def visible_parts(user) -> list[QuerySet[Entry]]:
    """The rows `user` may see as disjoint parts, each searched on its own: the public rows, and the
    other rows of the user's agencies. One query with `public OR agency_id IN (...)` makes PostgreSQL
    rank every public match of a common word before it filters (151 ms median at 8,300 agencies for a
    member of 50); two queries each use their own index and the hits are merged (docs/search.md)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return [Entry.objects.filter(public=True)]
    if user.is_superuser:
        return [Entry.objects.all()]
    return [Entry.objects.filter(public=True),
            Entry.objects.filter(public=False, agency__in=agencies_for(user).values("pk"))]


def query_words(query: str) -> list[str]:
    return list(dict.fromkeys(text.words(query)))[:MAX_QUERY_WORDS]


def _parts(query: str) -> list[str]:
    """The query's space-separated parts, normalised: each must occur in a row found by substring."""
    return [p for p in text.normalise(query).split(" ") if p][:MAX_QUERY_WORDS]


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


BODY_CANDIDATES = 2000  # body-only hits ranked among at most this many (bounds the work of common words)


PREFIX_MIN = 4  # shorter words are matched whole, not as prefixes


def _tsterm(word: str) -> str:
    """A word of the tsquery (word characters only: nothing to quote), a prefix (`:*`) when it has at
    least PREFIX_MIN characters. A short common word as a prefix ('การ':*: every lexeme that starts with
    การ) makes the GIN index build a bitmap of nearly every row before the AND (160 ms at 8,300
    agencies); matched whole, the index skips through its posting list. Longer pieces of a word are
    still found by the substring rule (pg_trgm)."""
    return f"'{word}':*" if len(word) >= PREFIX_MIN else f"'{word}'"


def _postgres_words(qs: QuerySet[Entry], words: list[str]) -> list[tuple[int, int, float]]:
    """Rows whose title has every word, ranked (ts_rank_cd); then, while there is room under MAX_HITS,
    rows that have the words only in their text, ranked among the first BODY_CANDIDATES of them that
    the index gives: ranking every row of a word that half the install uses costs seconds.

    The title test uses `title_document` (search/0002: the title's own tsvector and GIN index), which
    the index answers alone; `document @@ 'w:*A'` made PostgreSQL recheck every row with the word."""
    anywhere = " & ".join(_tsterm(w) for w in words)
    rank = "ts_rank_cd(search_entry.document, to_tsquery('simple', %s), 1)"
    titles = list(qs.extra(
        select={"score": rank}, select_params=[anywhere],
        where=["search_entry.title_document @@ to_tsquery('simple', %s)"], params=[anywhere],
    ).order_by("-score", "id").values_list("id", "score")[:MAX_HITS])
    out = [(0, pk, float(score) + 1.0) for pk, score in titles]
    room = MAX_HITS - len(out)
    if room > 0:
        # One statement: the first BODY_CANDIDATES rows the index gives (no ORDER BY inside: with a
        # LIMIT it would walk the primary key instead of the GIN index), ranked outside.
        inner, params = qs.extra(
            select={"doc": "search_entry.document"},
            where=["search_entry.document @@ to_tsquery('simple', %s)",
                   "NOT search_entry.title_document @@ to_tsquery('simple', %s)"], params=[anywhere, anywhere],
        ).order_by().values_list("id", "doc")[:BODY_CANDIDATES].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT c.id, ts_rank_cd(c.doc, to_tsquery('simple', %s), 1) AS score FROM ({inner}) c "
                           "ORDER BY score DESC, c.id LIMIT %s", [anywhere, *params, room])
            out += [(1, pk, float(score)) for pk, score in cursor.fetchall()]
    return out


def _postgres_parts(qs: QuerySet[Entry], parts: list[str], limit: int) -> list[int]:
    for part in parts:  # each a pg_trgm index condition
        qs = qs.extra(where=["search_entry.plain LIKE %s"], params=[_like(part)])
    # no ORDER BY in SQL: with a LIMIT the planner would walk the primary key and test every row
    return sorted(qs.order_by().values_list("id", flat=True)[:limit])


def _fts5_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _sqlite_words(qs: QuerySet[Entry], words: list[str]) -> list[tuple[int, int, float]]:
    expr = " AND ".join(_fts5_phrase(w) + "*" for w in words)
    ranked = qs.extra(
        tables=["search_fts"],
        select={"score": "bm25(search_fts, 10.0, 1.0)"},
        where=["search_fts.rowid = search_entry.id", "search_fts MATCH %s"], params=[expr],
    ).order_by("score", "id").values_list("id", "score")[:MAX_HITS]
    return [(0, pk, -float(score)) for pk, score in ranked]


def _sqlite_parts(qs: QuerySet[Entry], parts: list[str], limit: int) -> list[int]:
    """The trigram table for parts of 3+ characters, LIKE for shorter ones."""
    long_parts = [p for p in parts if len(p) >= 3]
    if long_parts:
        expr = " AND ".join(_fts5_phrase(p) for p in long_parts)
        qs = qs.extra(where=["search_entry.id IN (SELECT rowid FROM search_trigram WHERE search_trigram MATCH %s)"],
                      params=[expr])
    for p in parts:
        if len(p) < 3:
            qs = qs.extra(where=["search_entry.plain LIKE %s ESCAPE '\\'"], params=[_like(p)])
    return list(qs.order_by("id").values_list("id", flat=True)[:limit])


def _ranked(qs: QuerySet[Entry], words: list[str], parts: list[str]) -> list[tuple[int, int, float]]:
    """Rows with every word, best first; then, while there is room under MAX_HITS, rows that only contain
    the parts as substrings (they rank after every word hit, so they are only looked for when needed).
    Each hit is (tier, id, score): tier 0 title words, 1 words only in the text, 2 substring only."""
    postgres = connection.vendor == "postgresql"
    ranked = _postgres_words(qs, words) if postgres else _sqlite_words(qs, words)
    room = MAX_HITS - len(ranked)
    if room > 0:
        seen = {pk for _tier, pk, _score in ranked}
        limit = room + len(seen)  # the word hits are found again here: drop them in Python, not in SQL
        extra = _postgres_parts(qs, parts, limit) if postgres else _sqlite_parts(qs, parts, limit)
        ranked += [(2, pk, 0.0) for pk in extra if pk not in seen][:room]
    return ranked


def search(user, query: str, *, offset: int = 0, limit: int = 20) -> Results:
    """Ranked rows that match every word of `query` (segmented like the index), or that contain every
    space-separated part of it as a substring, among those `user` may see."""
    query = " ".join((query or "").split())[:200]
    words = query_words(query)
    parts = _parts(query)
    if not words or not parts:
        return Results(query=query, words=[], hits=[], total=0)
    visible_sets = visible_parts(user)
    tiered: list[tuple[int, int, float]] = []
    for qs in visible_sets:
        tiered += _ranked(qs, words, parts)
    if len(visible_sets) > 1:
        # disjoint parts, each in its order: merged in the order one query over both would give
        tiered = sorted(tiered, key=lambda hit: (hit[0], -hit[2], hit[1]))[:MAX_HITS]
    ranked = [(pk, score) for _tier, pk, score in tiered]
    page = ranked[offset:offset + limit]
    entries = Entry.objects.in_bulk([pk for pk, _ in page])
    terms = sorted(set(words) | set(parts), key=len, reverse=True)
    hits = []
    for pk, score in page:
        entry = entries.get(pk)
        if entry is None:
            continue
        hits.append(Hit(entry=entry, title=text.highlight(entry.title, terms),
                        snippet=text.snippet(entry.body, terms), score=score))
    agencies = {a.pk: a for a in _agencies({h.entry.agency_id for h in hits})}
    for hit in hits:
        hit.entry.agency = agencies[hit.entry.agency_id]
    return Results(query=query, words=words, hits=hits, total=len(ranked))


def _agencies(ids: set[int]):
    from prongsai.agencies.models import Agency

    return Agency.objects.filter(pk__in=ids).only("pk", "slug", "name", "province", "district")
