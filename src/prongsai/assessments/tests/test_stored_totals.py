"""The final figures stored on ITAResult (oversight aggregates them) follow every write of scores:
the browser/API editing service, the year-file import, the bulk recompute and the command."""

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from prongsai.agencies.models import Agency
from prongsai.assessments import editing, services
from prongsai.assessments.models import IndicatorScore, ITAResult
from prongsai.framework.catalogue import get_framework

pytestmark = pytest.mark.django_db

# ITA 2562 (30/30/40): IIT 25.49, EIT 26.00, OIT 32.05 -> 83.54, grade B, not passed (pass mark 85).
SCORES_2562 = {1: D("91.20"), 2: D("80.15"), 3: D("95.00"), 4: D("70.50"), 5: D("88.00"),
               6: D("86.00"), 7: D("84.00"), 8: D("90.00"), 9: D("60.25"), 10: D("100.00")}


@pytest.fixture
def agency():
    return Agency.objects.create(slug="sao-test", name="องค์การบริหารส่วนตำบลทดสอบ", kind="sao")


def test_saving_scores_stores_the_computed_total_parts_and_rating(agency):
    result = editing.save_ita_result(actor="test", agency=agency, framework=get_framework(2562), year=2562,
                                     indicators=SCORES_2562)
    result.refresh_from_db()
    assert (result.final_iit, result.final_eit, result.final_oit) == (D("25.49"), D("26.00"), D("32.05"))
    assert result.final_total == D("83.54")
    assert result.rating == "B" and result.passed is False and result.mismatches == []
    assert result.total is None  # the given figure stays as given (none)
    assert result.computed_at is not None


def test_changing_one_score_moves_the_stored_total(agency):
    fw = get_framework(2562)
    editing.save_ita_result(actor="test", agency=agency, framework=fw, year=2562, indicators=SCORES_2562)
    editing.save_ita_result(actor="test", agency=agency, framework=fw, year=2562,
                            indicators={**SCORES_2562, 9: D("100.00")})
    result = ITAResult.objects.get(agency=agency, year=2562)
    # OIT = 0.4 x mean(100, 100) = 40.00: total 25.49 + 26.00 + 40.00 = 91.49 -> A, passed
    assert result.final_oit == D("40.00") and result.final_total == D("91.49")
    assert result.rating == "A" and result.passed is True


def test_a_given_total_wins_and_the_difference_is_kept(agency):
    editing.save_ita_result(actor="test", agency=agency, framework=get_framework(2562), year=2562,
                            indicators=SCORES_2562, total=D("90.00"))
    result = ITAResult.objects.get(agency=agency, year=2562)
    assert result.final_total == D("90.00") and result.rating == "A"
    assert len(result.mismatches) == 1 and "83.54" in result.mismatches[0]


def test_saving_the_same_scores_again_writes_no_audit_entry(agency):
    from prongsai.audit.models import AuditEntry

    fw = get_framework(2562)
    editing.save_ita_result(actor="test", agency=agency, framework=fw, year=2562, indicators=SCORES_2562)
    before = AuditEntry.objects.count()
    editing.save_ita_result(actor="test", agency=agency, framework=fw, year=2562, indicators=SCORES_2562)
    assert AuditEntry.objects.count() == before


def test_recompute_many_and_the_command_fill_rows_written_behind_the_services_back(agency):
    other = Agency.objects.create(slug="sao-other", name="อบต.อื่น", kind="sao")
    rows = [ITAResult.objects.create(agency=a, year=2562) for a in (agency, other)]
    IndicatorScore.objects.bulk_create([IndicatorScore(result=r, indicator=no, score=s)
                                        for r in rows for no, s in SCORES_2562.items()])
    assert services.recompute_many(ITAResult.objects.filter(agency=agency)) == 1
    assert ITAResult.objects.get(agency=agency).final_total == D("83.54")
    assert ITAResult.objects.get(agency=other).final_total is None
    out = StringIO()
    call_command("recompute_totals", "--stale", stdout=out)
    assert "1 ITA result(s) recomputed" in out.getvalue()
    assert ITAResult.objects.get(agency=other).final_total == D("83.54")


def test_recompute_totals_follows_a_score_changed_directly(agency):
    result = editing.save_ita_result(actor="test", agency=agency, framework=get_framework(2562), year=2562,
                                     indicators=SCORES_2562)
    IndicatorScore.objects.filter(result=result, indicator=9).update(score=D("100.00"))
    services.recompute_totals(result)
    assert ITAResult.objects.get(pk=result.pk).final_total == D("91.49")


def test_a_result_without_scores_keeps_its_given_figures(agency):
    result = editing.save_ita_result(actor="test", agency=agency, framework=get_framework(2566), year=2566,
                                     indicators={}, total=D("88.12"), grade="ผ่าน")
    result.refresh_from_db()
    assert result.final_total == D("88.12") and result.rating == "ผ่าน" and result.passed is True
    assert result.final_iit is None


def test_year_file_import_stores_the_final_figures():
    from pathlib import Path

    from prongsai.yearfile.loader import load_valid_year_file
    from prongsai.yearfile.services import import_year

    path = Path(__file__).resolve().parents[4] / "examples" / "sao-nong-bua-2566.yaml"
    import_year(data=load_valid_year_file(path), base_dir=path.parent)
    results = list(ITAResult.objects.filter(agency__slug="sao-nong-bua-ngoen"))
    assert results and all(r.computed_at is not None for r in results)
    for r in results:
        expected = services.recompute_totals(r, save=False)
        assert r.final_total == expected.final_total and r.final_total is not None
