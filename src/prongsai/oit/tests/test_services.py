"""The checklist services: saving (audited), grouping and completeness, public items, carrying
answers forward through the item map, and filling the items Prongsai produces."""

import pytest
from django.core.exceptions import ValidationError

from prongsai.framework.catalogue import get_framework
from prongsai.memos.models import Memo
from prongsai.oit import services
from prongsai.oit.models import OITAnswer
from prongsai.web.tests import factories
from prongsai.workspace.tests.personas import audit_actions

BASE = "https://ita.example.go.th/"


def _save(planner, agency, code, has=True, urls=("https://www.rae.go.th/a",), year=2563, text=""):
    return services.save_answer(actor=planner, agency=agency, fiscal_year=year, code=code, has=has,
                                urls=list(urls), explanation=text)


def test_it_saves_an_answer_and_audits_it(plan, planner, agency):
    answer = _save(planner, agency, "o5", text="หน้าแรก เมนูติดต่อเรา")
    assert (answer.code, answer.has, answer.urls, answer.source) == ("O5", True, ["https://www.rae.go.th/a"], "manual")
    _save(planner, agency, "O5", has=False, urls=())
    answer.refresh_from_db()
    assert answer.has is False and answer.urls == [] and answer.updated_by == planner
    assert audit_actions(answer) == ["oit.answer.saved", "oit.answer.saved"]


def test_it_refuses_an_unknown_item_or_a_yes_without_url(plan, planner, agency):
    with pytest.raises(ValidationError):
        _save(planner, agency, "O99")
    with pytest.raises(ValidationError):
        _save(planner, agency, "O1", urls=())
    assert not OITAnswer.objects.exists()


def test_it_groups_items_by_sub_indicator_with_completeness(plan, planner, agency):
    for code in ("O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8"):
        _save(planner, agency, code)
    _save(planner, agency, "O9", has=False, urls=())
    data = services.checklist(agency=agency, fiscal_year=2563)
    first = data.groups[0]
    assert (first.code, first.total, first.answered, first.disclosed, first.complete) == ("9.1", 9, 9, 8, True)
    assert [g.code for g in data.groups] == ["9.1", "9.2", "9.3", "9.4", "9.5", "10.1", "10.2"]
    assert not data.groups[1].complete
    assert data.answered == 9 and data.total == 43
    assert data.score.group("9.1").disclosed == tuple(f"O{n}" for n in range(1, 9))


def test_it_lists_public_items_in_catalogue_order(plan, planner, agency):
    _save(planner, agency, "O2", text="ผู้บริหาร")
    items = services.public_items(agency=agency, fiscal_year=2563)
    assert [i.code for i in items[:3]] == ["O1", "O2", "O3"]
    assert items[0].has is None and items[0].urls == ()
    assert (items[1].has, items[1].urls, items[1].explanation, items[1].sub_indicator) == (
        True, ("https://www.rae.go.th/a",), "ผู้บริหาร", "9.1")
    assert items[1].sub_indicator_name
    assert services.public_items(agency=agency, fiscal_year=2700) == []  # far from the present: no catalogue
    # FY 2570 has no catalogue of its own: the latest one (2569) applies provisionally
    assert [i.code for i in services.public_items(agency=agency, fiscal_year=2570)][:2] == ["O1", "O2"]


def test_it_carries_manual_answers_forward_through_the_item_map(agency, planner):
    factories.make_plan(agency, 2566)
    assert get_framework(2566).item_map_from_previous["O27"] == "O29"
    _save(planner, agency, "O29", year=2565, text="แนวปฏิบัติ")  # 2566's O27
    _save(planner, agency, "O1", year=2565, urls=("https://www.rae.go.th/old-chart",))
    _save(planner, agency, "O1", year=2566, urls=("https://www.rae.go.th/new-chart",))  # already answered
    carried = services.carry_forward(actor=planner, agency=agency, fiscal_year=2566)
    assert "O27" in carried and "O1" not in carried
    o27 = OITAnswer.objects.get(agency=agency, fiscal_year=2566, code="O27")
    assert (o27.carried_from, o27.explanation, o27.urls) == ("O29", "แนวปฏิบัติ", ["https://www.rae.go.th/a"])
    assert OITAnswer.objects.get(agency=agency, fiscal_year=2566, code="O1").urls == ["https://www.rae.go.th/new-chart"]
    assert audit_actions()[-1] == "oit.answers.carried_forward"
    assert services.carry_forward(actor=planner, agency=agency, fiscal_year=2566) == []  # safe to repeat


def test_it_refuses_to_carry_forward_without_an_item_map(plan, planner, agency):
    with pytest.raises(ValidationError):
        services.carry_forward(actor=planner, agency=agency, fiscal_year=2563)


@pytest.mark.parametrize("year, expected", [
    (2563, {"O42": "measures", "O43": "measures_done", "O29": "complaints_guideline",
            "O30": "complaints_channel", "O31": "complaints_statistics"}),
    (2564, {"O42": "measures", "O43": "measures_done", "O29": "complaints_guideline",
            "O30": "complaints_channel", "O31": "complaints_statistics"}),
    (2566, {"O42": "measures", "O43": "measures_done", "O27": "complaints_guideline",
            "O28": "complaints_channel", "O29": "complaints_statistics"}),
    (2568, {"O17": "complaints_guideline", "O18": "complaints_channel", "O19": "complaints_statistics"}),
])
@pytest.mark.django_db
def test_it_finds_the_items_prongsai_produces_by_their_catalogue_attribute(year, expected):
    assert services.produced_items(get_framework(year)) == expected


def test_it_autofills_produced_items_with_portal_urls(plan, planner, agency):
    Memo.objects.filter(plan=plan, round=6).update(status=Memo.Status.APPROVED)
    changed = services.autofill(actor=planner, agency=agency, fiscal_year=2563, base_url=BASE)
    assert sorted(changed) == ["O29", "O30", "O31", "O42", "O43"]
    o42 = OITAnswer.objects.get(agency=agency, fiscal_year=2563, code="O42")
    assert o42.urls == [BASE + "a/tessaban-rae/measures/2563/", BASE + "a/tessaban-rae/analysis/2563/"]
    assert o42.has is True and o42.source == "auto"
    assert OITAnswer.objects.get(code="O43").urls == [BASE + "a/tessaban-rae/reports/2563/round-6/"]
    assert OITAnswer.objects.get(code="O31").urls == [BASE + "a/tessaban-rae/complaints/statistics/2563/"]
    assert audit_actions()[-1] == "oit.answers.autofilled"
    assert services.autofill(actor=planner, agency=agency, fiscal_year=2563, base_url=BASE) == []


def test_it_never_overwrites_a_manual_answer_and_skips_unapproved_reports(plan, planner, agency):
    _save(planner, agency, "O30", urls=("https://www.rae.go.th/complaints",))
    changed = services.autofill(actor=planner, agency=agency, fiscal_year=2563, base_url=BASE)
    assert "O30" not in changed and "O43" not in changed  # the round-6 memo is still a draft
    assert OITAnswer.objects.get(code="O30").urls == ["https://www.rae.go.th/complaints"]
