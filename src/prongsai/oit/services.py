"""The OIT checklist: reading it by sub-indicator, saving answers, carrying them forward from last
year and filling the items Prongsai itself produces. Every write is audited in its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prongsai.agencies.models import Agency
from prongsai.audit.services import record, snapshot
from prongsai.framework.catalogue import Framework, OITItem, UnknownFrameworkYear, framework_for_plan, get_framework
from prongsai.measures.models import YearPlan
from prongsai.oit import links, selfscore
from prongsai.oit.models import LinkCheck, OITAnswer

FIELDS = ["has", "urls", "explanation", "source", "carried_from", "to_check"]


def framework_for(*, agency: Agency, fiscal_year: int) -> Framework | None:
    """The ITA rules of the agency's year: the year plan's framework year, else the fiscal year itself."""
    plan = YearPlan.objects.filter(agency=agency, fiscal_year=fiscal_year).first()
    try:
        return framework_for_plan(plan) if plan else get_framework(fiscal_year, agency.family)
    except UnknownFrameworkYear:
        return None


def answers(*, agency: Agency, fiscal_year: int) -> dict[str, OITAnswer]:
    return {a.code.upper(): a for a in OITAnswer.objects.filter(agency=agency, fiscal_year=fiscal_year)}


# --- reading ----------------------------------------------------------------------------------------

@dataclass
class Row:
    item: OITItem
    answer: OITAnswer | None
    last_check: list[LinkCheck]  # the newest check of each URL

    @property
    def worst_status(self) -> str:
        order = [LinkCheck.Status.BROKEN, LinkCheck.Status.MOVED, LinkCheck.Status.STALE,
                 LinkCheck.Status.SLOW, LinkCheck.Status.OK]
        present = {c.status for c in self.last_check}
        return next((s for s in order if s in present), "")


@dataclass
class Group:
    code: str
    name: str
    indicator: int | None
    rows: list[Row]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def answered(self) -> int:
        return sum(1 for r in self.rows if r.answer is not None and r.answer.has is not None)

    @property
    def disclosed(self) -> int:
        return sum(1 for r in self.rows if r.answer is not None and r.answer.disclosed)

    @property
    def complete(self) -> bool:
        return self.answered == self.total


@dataclass
class Checklist:
    framework: Framework
    groups: list[Group]
    score: selfscore.SelfScore

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def answered(self) -> int:
        return sum(g.answered for g in self.groups)


def _group_key(item: OITItem) -> tuple[str, str]:
    if item.sub_indicator:
        return item.sub_indicator, ""
    if item.indicator is not None:
        return str(item.indicator), ""
    return "", item.group


def checklist(*, agency: Agency, fiscal_year: int) -> Checklist | None:
    """The year's items grouped by sub-indicator (by indicator where the year has no sub-indicator
    codes), each with its answer and the newest check of each URL; None for a year without rules."""
    framework = framework_for(agency=agency, fiscal_year=fiscal_year)
    if framework is None:
        return None
    found = answers(agency=agency, fiscal_year=fiscal_year)
    newest: dict[int, dict[str, LinkCheck]] = {}
    checks = LinkCheck.objects.filter(answer__in=[a.pk for a in found.values()]).order_by("-checked_at", "-id")
    for check in checks:
        newest.setdefault(check.answer_id, {}).setdefault(check.url, check)
    sub_names = {s.code: s.name for s in framework.sub_indicators}
    groups: dict[str, Group] = {}
    for item in framework.oit_items:
        key, fallback = _group_key(item)
        if key not in groups:
            name = sub_names.get(key) or (framework.indicator(item.indicator).name
                                          if item.indicator in framework.indicator_numbers else fallback)
            groups[key] = Group(code=key, name=name or item.group, indicator=item.indicator, rows=[])
        answer = found.get(item.code.upper())
        last = []
        if answer is not None:
            by_url = newest.get(answer.pk, {})
            last = [by_url[u] for u in answer.urls if u in by_url]
        groups[key].rows.append(Row(item=item, answer=answer, last_check=last))
    disclosed = {code for code, a in found.items() if a.disclosed}
    return Checklist(framework=framework, groups=list(groups.values()),
                     score=selfscore.compute(framework, disclosed))


@dataclass(frozen=True)
class PublicItem:
    code: str
    title: str
    detail: str  # what the item asks for (the framework's text)
    sub_indicator: str
    sub_indicator_name: str
    indicator: int | None
    group: str
    subgroup: str
    has: bool | None
    urls: tuple[str, ...]
    explanation: str
    updated_at: object  # datetime or None


def public_items(*, agency: Agency, fiscal_year: int) -> list[PublicItem]:
    """Every item of the year in the catalogue's order with what the agency answered (has None and
    no URLs where it has not): for the portal's public OIT page. Empty for a year without rules."""
    framework = framework_for(agency=agency, fiscal_year=fiscal_year)
    if framework is None:
        return []
    found = answers(agency=agency, fiscal_year=fiscal_year)
    sub_names = {s.code: s.name for s in framework.sub_indicators}
    out = []
    for item in framework.oit_items:
        a = found.get(item.code.upper())
        out.append(PublicItem(
            code=item.code, title=item.title, detail=item.detail, sub_indicator=item.sub_indicator,
            sub_indicator_name=sub_names.get(item.sub_indicator, ""), indicator=item.indicator,
            group=item.group, subgroup=item.subgroup, has=a.has if a else None,
            urls=tuple(a.urls) if a else (), explanation=a.explanation if a else "",
            updated_at=a.updated_at if a else None,
        ))
    return out


# --- writing ----------------------------------------------------------------------------------------

def _item(framework: Framework | None, code: str) -> OITItem:
    if framework is None:
        raise ValidationError(_("ระบบยังไม่มีเกณฑ์ ITA ของปีนี้"))
    try:
        return framework.oit_item(code)
    except ValueError:
        raise ValidationError(_("ปีนี้ไม่มีข้อ %(code)s") % {"code": code}) from None


def save_answer(*, actor, agency: Agency, fiscal_year: int, code: str, has: bool | None, urls: list[str],
                explanation: str) -> OITAnswer:
    """Save what staff typed for one item; it becomes a manual answer (auto-fill leaves it alone)."""
    item = _item(framework_for(agency=agency, fiscal_year=fiscal_year), code)
    urls = list(dict.fromkeys(u.strip() for u in urls if u and u.strip()))
    if has and not urls:
        raise ValidationError({"urls": _("ข้อที่ตอบว่า “มี” ต้องระบุลิงก์อย่างน้อยหนึ่งรายการ")})
    with transaction.atomic():
        answer = OITAnswer.objects.select_for_update().filter(
            agency=agency, fiscal_year=fiscal_year, code=item.code).first()
        before = snapshot(answer, FIELDS) if answer else None
        if answer is None:
            answer = OITAnswer(agency=agency, fiscal_year=fiscal_year, code=item.code)
        answer.has, answer.urls, answer.explanation = has, urls, explanation.strip()
        answer.source = OITAnswer.Source.MANUAL
        answer.to_check = False  # saved by a person: confirmed
        answer.updated_by = actor
        answer.save()
        after = snapshot(answer, FIELDS)
        changes = {k: [(before or {}).get(k), v] for k, v in after.items() if (before or {}).get(k) != v}
        record(actor=actor, action="oit.answer.saved", obj=answer, agency=agency, changes=changes)
    return answer


def carry_forward(*, actor, agency: Agency, fiscal_year: int) -> list[str]:
    """Copy last fiscal year's manual answers onto this year's items through the framework's
    item_map_from_previous; items that already have an answer this year are never touched.
    Auto-filled answers are not carried (their URLs are last year's pages; auto-fill makes new ones).
    Returns this year's codes that received an answer."""
    framework = framework_for(agency=agency, fiscal_year=fiscal_year)
    if framework is None:
        raise ValidationError(_("ระบบยังไม่มีเกณฑ์ ITA ของปีนี้"))
    if not framework.item_map_from_previous:
        raise ValidationError(_("เกณฑ์ปีนี้ไม่มีตารางเทียบข้อกับปีก่อน จึงยกคำตอบมาไม่ได้"))
    with transaction.atomic():
        previous = answers(agency=agency, fiscal_year=fiscal_year - 1)
        current = answers(agency=agency, fiscal_year=fiscal_year)
        carried: dict[str, str] = {}
        for item in framework.oit_items:
            old_code = framework.item_map_from_previous.get(item.code)
            if not old_code or item.code.upper() in current:
                continue
            old = previous.get(old_code.upper())
            if old is None or old.source != OITAnswer.Source.MANUAL or old.has is None:
                continue
            OITAnswer.objects.create(agency=agency, fiscal_year=fiscal_year, code=item.code, has=old.has,
                                     urls=list(old.urls), explanation=old.explanation,
                                     source=OITAnswer.Source.MANUAL, carried_from=old.code, updated_by=actor)
            carried[item.code] = old.code
        if carried:
            record(actor=actor, action="oit.answers.carried_forward", agency=agency,
                   object_repr=f"OIT {fiscal_year}", changes={"from_year": fiscal_year - 1, "items": carried})
    return list(carried)


# --- items Prongsai produces -----------------------------------------------------------------------

MEASURES, MEASURES_DONE, GUIDELINE, CHANNEL, STATISTICS = ("measures", "measures_done", "complaints_guideline",
                                                          "complaints_channel", "complaints_statistics")
PLAN, PREVIOUS_YEAR_REPORT = "plan", "previous_year_report"


def produced_kind(item: OITItem) -> str:
    """Which Prongsai product answers the item ('' for none): the catalogue's `produces` attribute of the
    item (docs/framework.md), never its code or title."""
    return getattr(item, "produces", "") or ""


def produced_items(framework: Framework) -> dict[str, str]:
    """{item code: kind} of the items Prongsai answers in this year's catalogue."""
    return {item.code: kind for item in framework.oit_items if (kind := produced_kind(item))}


def _approved_rounds(agency: Agency, fiscal_year: int) -> list[int]:
    from prongsai.memos.models import Memo

    return sorted(Memo.objects.filter(plan__agency=agency, plan__fiscal_year=fiscal_year, kind=Memo.Kind.ROUND,
                                      status=Memo.Status.APPROVED).values_list("round", flat=True))


def _produced(kind: str, agency: Agency, fiscal_year: int) -> tuple[list[str], str]:
    slug = agency.slug
    if kind == MEASURES:
        has_plan = YearPlan.objects.filter(agency=agency, fiscal_year=fiscal_year, measures__isnull=False).exists()
        if not has_plan:
            return [], ""
        return [links.measures(slug, fiscal_year), links.analysis(slug, fiscal_year)], _(
            "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ปีงบประมาณ %(year)s "
            "และผลการวิเคราะห์ผลการประเมิน ITA ปีที่ผ่านมา เผยแพร่บนเว็บไซต์ของหน่วยงาน") % {"year": fiscal_year}
    if kind == MEASURES_DONE:
        rounds = _approved_rounds(agency, fiscal_year)
        if not rounds:
            return [], ""
        return [links.round_report(slug, fiscal_year, r) for r in rounds], _(
            "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
            "ปีงบประมาณ %(year)s รอบ %(rounds)s เดือน") % {"year": fiscal_year,
                                                   "rounds": ", ".join(str(r) for r in rounds)}
    if kind in (GUIDELINE, CHANNEL, STATISTICS):
        return _complaint_item(kind, agency, fiscal_year)
    if kind == PLAN:
        return _plan_item(agency, fiscal_year)
    if kind == PREVIOUS_YEAR_REPORT:
        return _previous_year_report(agency, fiscal_year)
    raise ValueError(kind)


def _published_document(agency: Agency, slug: str) -> bool:
    from prongsai.portal.models import Publication

    return Publication.objects.filter(agency=agency, kind=Publication.Kind.DOCUMENT, slug=slug,
                                      versions__isnull=False).exists()


def _plan_item(agency: Agency, fiscal_year: int) -> tuple[list[str], str]:
    """The year's approved plan (the analysis of last year's ITA result and the measures) and the
    executive's announcement, once published on the portal (portal.services.publish_plan)."""
    paths = [path for slug, path in ((f"plan-{fiscal_year}", links.plan(agency.slug, fiscal_year)),
                                     (f"announcement-{fiscal_year}", links.announcement(agency.slug, fiscal_year)))
             if _published_document(agency, slug)]
    if not paths:
        return [], ""
    return paths, _(
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ปีงบประมาณ %(year)s ที่จัดทำจากการวิเคราะห์ผลการประเมิน "
        "ITA ปี %(prior)s และประกาศของผู้บริหาร เผยแพร่บนเว็บไซต์ของหน่วยงาน") % {
        "year": fiscal_year, "prior": fiscal_year - 1}


def _previous_year_report(agency: Agency, fiscal_year: int) -> tuple[list[str], str]:
    """The previous fiscal year's 12-month round report, once published on the portal."""
    from prongsai.portal.models import Publication

    previous = fiscal_year - 1
    published = Publication.objects.filter(agency=agency, kind=Publication.Kind.ROUND_REPORT, fiscal_year=previous,
                                           round=12, versions__isnull=False).exists()
    if not published:
        return [], ""
    return [links.round_report(agency.slug, previous, 12)], _(
        "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ปีงบประมาณ %(year)s "
        "รอบ 12 เดือน") % {"year": previous}


def _complaint_item(kind: str, agency: Agency, fiscal_year: int) -> tuple[list[str], str]:
    """The complaint items, from the complaints app's public pages; the statistics item's explanation
    states the year's figures (`complaints.stats`, "< 3" for small counts) and follows them."""
    from prongsai.complaints import stats

    pages = stats.oit_links(agency, fiscal_year)
    if kind == GUIDELINE:
        return [pages["guideline"]], _(
            "แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ: เรื่องที่ร้องเรียนได้ ช่องทาง ขั้นตอนและระยะเวลา "
            "และการคุ้มครองผู้ร้องเรียน")
    if kind == CHANNEL:
        return [pages["channels"], pages["intake"]], _(
            "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ และแบบฟอร์มร้องเรียนออนไลน์ที่ไม่ต้องบอกชื่อ "
            "พร้อมรหัสติดตามเรื่อง")
    return [pages["statistics"]], stats.oit_explanation(stats.statistics(agency=agency, fiscal_year=fiscal_year))


def autofill(*, actor, agency: Agency, fiscal_year: int, base_url: str,
             kinds: tuple[str, ...] | None = None) -> list[str]:
    """Answer the items Prongsai produces (only those of `kinds` when given) with their portal URLs
    (absolute, on `base_url`). A manual answer is never overwritten; earlier auto answers are refreshed.
    Returns the codes changed."""
    framework = framework_for(agency=agency, fiscal_year=fiscal_year)
    if framework is None:
        raise ValidationError(_("ระบบยังไม่มีเกณฑ์ ITA ของปีนี้"))
    changed: dict[str, list[str]] = {}
    with transaction.atomic():
        current = {a.code.upper(): a for a in OITAnswer.objects.select_for_update().filter(
            agency=agency, fiscal_year=fiscal_year)}
        for code, kind in produced_items(framework).items():
            if kinds is not None and kind not in kinds:
                continue
            paths, explanation = _produced(kind, agency, fiscal_year)
            if not paths:
                continue
            urls = [urljoin(base_url, p) for p in paths]
            answer = current.get(code.upper())
            if answer is not None and answer.source == OITAnswer.Source.MANUAL:
                continue
            if answer is None:
                answer = OITAnswer(agency=agency, fiscal_year=fiscal_year, code=code)
            elif answer.has and answer.urls == urls and answer.explanation == explanation:
                continue
            answer.has, answer.urls, answer.explanation = True, urls, explanation
            answer.source, answer.updated_by = OITAnswer.Source.AUTO, actor
            answer.save()
            changed[code] = urls
        if changed:
            record(actor=actor, action="oit.answers.autofilled", agency=agency, object_repr=f"OIT {fiscal_year}",
                   changes={"items": changed})
    return list(changed)


def refresh_auto_answers(*, agency: Agency, fiscal_year: int, actor=None,
                         kinds: tuple[str, ...] | None = None) -> list[str]:
    """Refresh the items Prongsai fills itself (autofill on the site's public address) for a year the
    agency works on (it has a year plan) and Prongsai has OIT rules for; used by the daily job and by
    changes that alter a filled item, e.g. complaint statistics. Returns the codes changed."""
    from prongsai.measures.models import YearPlan
    from prongsai.portal.conf import public_url

    if framework_for(agency=agency, fiscal_year=fiscal_year) is None:
        return []
    if not YearPlan.objects.filter(agency=agency, fiscal_year=fiscal_year).exists():
        return []
    return autofill(actor=actor, agency=agency, fiscal_year=fiscal_year, base_url=public_url() + "/", kinds=kinds)


# --- link checking ----------------------------------------------------------------------------------

def check_links(*, agency: Agency | None = None, fiscal_year: int | None = None, options=None,
                on_start=None, on_done=None) -> list[tuple[OITAnswer, object]]:
    """Fetch every URL of the selected answers (linkcheck) and store one LinkCheck per URL and answer.
    Answers are checked year by year, each against its own fiscal year's start (for "stale").
    `on_start(total)` is told how many fetches follow; `on_done(outcome)` after each."""
    from dataclasses import replace

    from django.conf import settings
    from django.utils import timezone

    from prongsai.lib import fiscal
    from prongsai.oit import linkcheck

    base = options or linkcheck.Options(
        allow_private=getattr(settings, "PRONGSAI_LINKCHECK_ALLOW_PRIVATE", False))
    selected = OITAnswer.objects.select_related("agency").exclude(urls=[]).order_by("fiscal_year", "agency", "id")
    if agency is not None:
        selected = selected.filter(agency=agency)
    if fiscal_year is not None:
        selected = selected.filter(fiscal_year=fiscal_year)
    by_year: dict[int, list[OITAnswer]] = {}
    for answer in selected:
        by_year.setdefault(answer.fiscal_year, []).append(answer)
    if on_start is not None:
        on_start(sum(len(dict.fromkeys(u for a in group for u in a.urls)) for group in by_year.values()))
    results = []
    for year, group in by_year.items():
        opts = replace(base, fiscal_year_start=fiscal.start(year), today=base.today or timezone.localdate())
        outcomes = {o.url: o for o in linkcheck.run([u for a in group for u in a.urls], opts, on_done)}
        now = timezone.now()
        rows = []
        for answer in group:
            for url in answer.urls:
                o = outcomes[url]
                rows.append(LinkCheck(answer=answer, url=url, checked_at=now, status=o.status,
                                      http_status=o.http_status, final_url=o.final_url, redirects=o.redirects,
                                      content_type=o.content_type, size=o.size, truncated=o.truncated,
                                      elapsed_ms=o.elapsed_ms, page_date=o.page_date, detail=o.detail[:500]))
                results.append((answer, o))
        LinkCheck.objects.bulk_create(rows)
    return results
