import re

from django.urls import reverse
from django.utils import timezone

from prongsai.lib import fiscal
from prongsai.web.tests import factories
from prongsai.workspace.tests.personas import assert_login_redirect

URL = reverse("workspace:dashboard", args=["tessaban-rae", 2563])


def _row(html: str, title: str) -> str:
    return re.search(rf"<tr><th scope=\"row\"><a [^>]*>[^<]*{title}</a>.*?</tr>", html, re.S).group(0)


def test_it_shows_each_measure_and_round_with_colour_and_text(viewer_client, plan):
    """FY 2563 is long over: the round-6 result with details is done, every other monitored round overdue."""
    html = viewer_client.get(URL).content.decode()
    budget = _row(html, "การใช้งบประมาณ")
    cells = re.findall(r'<td class="status-(\w+)">', budget)
    assert cells == ["none", "done", "none", "overdue"]  # rounds 3, 6, 9, 12
    assert '<span class="badge done">✓ เสร็จแล้ว</span>' in budget
    assert '<span class="badge overdue">! เลยกำหนด</span>' in budget
    measure = plan.measures.get(order=1)
    assert reverse("workspace:round_result", args=["tessaban-rae", 2563, measure.pk, 6]) in budget


def test_it_shows_progress_per_round_and_per_indicator(viewer_client, plan):
    html = viewer_client.get(URL).content.decode()
    rounds = html[html.index('id="rounds"'):html.index('id="grid"')]
    six = re.search(r"รอบ ๖ เดือน</th>.*?</tr>", rounds, re.S).group(0)
    assert "๑ / ๑" in six and 'value="100"' in six and "๑๐๐%" in six
    twelve = re.search(r"รอบ ๑๒ เดือน</th>.*?</tr>", rounds, re.S).group(0)
    assert "๐ / ๒" in twelve and "<td class=\"num\">๒</td>" in twelve  # two overdue
    indicators = html[html.index('id="indicators"'):]
    two = re.search(r"ตัวชี้วัดที่ ๒</th>.*?</tr>", indicators, re.S).group(0)
    assert "๑ / ๒" in two and "๕๐%" in two
    nine = re.search(r"ตัวชี้วัดที่ ๙</th>.*?</tr>", indicators, re.S).group(0)
    assert "๐ / ๑" in nine


def test_it_shows_the_current_years_rounds_as_planned_or_in_progress(viewer_client, agency):
    today = timezone.localdate()
    year = fiscal.of_date(today)
    plan = factories.make_plan(agency, year)
    factories.make_measure(plan, order=1, rounds=[3, 6, 9, 12])
    html = viewer_client.get(reverse("workspace:dashboard", args=["tessaban-rae", year])).content.decode()
    cells = re.findall(r'<td class="status-(\w+)">', _row(html, "การใช้งบประมาณ"))
    current = fiscal.current_round(today).months
    expected = ["overdue" if m < current else "in_progress" if m == current else "planned" for m in fiscal.ROUNDS]
    assert cells == expected


def test_it_rejects_wrong_methods(viewer_client, plan):
    assert viewer_client.post(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.get(URL))


def test_it_hides_other_agencies(outsider_client, plan):
    assert outsider_client.get(URL).status_code == 404


def test_it_speaks_english_when_asked(viewer, plan):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(viewer)
    html = client.get(URL).content.decode()
    assert "Progress per round" in html and "✓ Done</span>" in html and "! Overdue</span>" in html
