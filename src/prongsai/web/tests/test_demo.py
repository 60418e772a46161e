from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from prongsai.agencies.models import Agency, Membership, Person
from prongsai.measures.models import Measure, RoundResult
from prongsai.memos.models import AgencyChainStep, Memo
from prongsai.memos.services import ApproverChoice, set_default_chain
from prongsai.web.management.commands.demo import EXAMPLES_DIR

pytestmark = pytest.mark.django_db

USERNAMES = {"demo", "approver1", "approver2", "approver3", "admin", "viewer", "officer", "catalogue"}


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "measures": Measure.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
    }


def test_it_loads_every_example_and_the_demo_users():
    output = run_demo()
    example_count = len(list(EXAMPLES_DIR.glob("*.yaml")))
    assert example_count > 0
    assert Agency.objects.count() >= 1
    assert Measure.objects.exists()
    users = get_user_model().objects.filter(username__in=USERNAMES)
    assert set(users.values_list("username", flat=True)) == USERNAMES
    assert not users.filter(is_superuser=True).exists()
    assert not users.filter(is_staff=True).exists()
    for agency in Agency.objects.all():
        assert Membership.objects.filter(agency=agency, user__username="demo", role="planner").exists()
        for n in (1, 2, 3):
            assert Membership.objects.filter(agency=agency, user__username=f"approver{n}", role="approver").exists()
        assert Membership.objects.filter(agency=agency, user__username="admin", role="admin").exists()
        assert Membership.objects.filter(agency=agency, user__username="viewer", role="viewer").exists()
        assert Membership.objects.filter(agency=agency, user__username="officer", role="complaint_officer").exists()
    assert "  officer  " in output and "complaint officer" in output
    assert "Demo login: user demo, password prongsai-demo" in output


def test_it_is_idempotent():
    first_output = run_demo()
    first = counts()
    second_output = run_demo()
    assert counts() == first
    assert ": imported" in first_output
    assert ": imported" not in second_output
    assert second_output.count(": already present, kept") == len(list(EXAMPLES_DIR.glob("*.yaml")))


def test_a_second_run_keeps_what_users_changed_in_between():
    run_demo()
    result = RoundResult.objects.filter(measure__plan__agency__slug="tessaban-rae").order_by("id").first()
    result.details = "ผลที่ผู้จัดทำแก้ไขในเบราว์เซอร์"
    result.save()
    measure = Measure.objects.filter(plan__agency__slug="sao-nong-bua-ngoen").order_by("id").first()
    measure.delete()
    agency = Agency.objects.get(slug="tessaban-rae")
    admin = get_user_model().objects.get(username="admin")
    approver2 = get_user_model().objects.get(username="approver2")
    set_default_chain(agency=agency, by=admin, steps=[ApproverChoice(user=approver2)])
    planner = Membership.objects.get(agency=agency, user__username="demo", role="planner")
    planner.person = Person.objects.get(agency=agency, name="นายปราโมทย์ แกมนิรัตน์")
    planner.save()

    run_demo()
    result.refresh_from_db()
    assert result.details == "ผลที่ผู้จัดทำแก้ไขในเบราว์เซอร์"
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert [s.user.username for s in AgencyChainStep.objects.filter(agency=agency)] == ["approver2"]
    planner.refresh_from_db()
    assert planner.person.name == "นายปราโมทย์ แกมนิรัตน์"


# Who the demo users are in each example (Membership.person): the first round memo's first preparer,
# and its approvers in order.
PEOPLE = {
    "tessaban-rae": ("นางสาวปราณี จันทไชย", ["นายวัชร สำนับ", "ทวี จันทเสนา", "นางครสวรรค์ สุพัฒนานนท์"]),
    "sao-nong-bua-ngoen": ("นางสาวศิริพร ใจดีงาม",
                           ["นางกาญจนา พรหมวงศ์ศรี", "ประพันธ์ มั่นคงดี", "นายบุญเลิศ คำสิงห์ทอง"]),
}


def test_it_links_the_demo_users_to_the_examples_people_and_sets_the_default_chain():
    from prongsai.web.management.commands.demo import OTHER_FAMILY

    output = run_demo()
    assert {a.slug for a in Agency.objects.all()} == set(PEOPLE) | {OTHER_FAMILY["slug"]}
    college = Agency.objects.get(slug=OTHER_FAMILY["slug"])
    assert college.family == "ovec" and Membership.objects.filter(agency=college, user__username="demo").exists()
    for slug, (preparer, approvers) in PEOPLE.items():
        members = Membership.objects.filter(agency__slug=slug).select_related("person", "user")
        linked = {(m.user.username, m.role): m.person.name if m.person else None for m in members}
        assert linked[("demo", "planner")] == preparer
        assert [linked[(f"approver{n}", "approver")] for n in (1, 2, 3)] == approvers
        assert linked[("admin", "admin")] is None and linked[("viewer", "viewer")] is None
        chain = AgencyChainStep.objects.filter(agency__slug=slug).select_related("user")
        assert [s.user.username for s in chain] == ["approver1", "approver2", "approver3"]
    for username in USERNAMES:
        assert f"  {username} " in output


def test_the_demo_planner_drafts_and_sends_with_the_default_chain(client):
    """What `make run` offers in the browser: demo drafts a memo without choosing anyone, sends it, and
    approver1 finds it in the inbox, printed under the example's name."""
    run_demo()
    assert client.login(username="demo", password="prongsai-demo")
    page = client.get(reverse("memos:memo_new", args=["tessaban-rae", 2563]))
    assert page.status_code == 200
    form, preparers, approvers = (page.context[name] for name in ("form", "preparers", "approvers"))
    # As the browser sends it: the rendered fields with their values, the management forms as rendered.
    data = {
        "round": form.fields["round"].choices[0][0], "date": "2020-09-30", "subject": "", "addressee": "", "body": "",
        "preface_date": "", "report_preparer_name": "", "report_preparer_position": "",
    }
    for formset in (preparers, approvers):
        management = formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
        for row in formset.forms:
            data.update({row.add_prefix(name): row.initial.get(name, "") for name in row.fields})
    response = client.post(reverse("memos:memo_new", args=["tessaban-rae", 2563]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    memo = Memo.objects.get(plan__agency__slug="tessaban-rae", plan__fiscal_year=2563, round=data["round"])
    assert [s.name for s in memo.approvers()] == PEOPLE["tessaban-rae"][1]
    send = response["Location"].rstrip("/") + "/send/"
    asked = client.post(send)  # the round has measures without a result: the page lists them first
    assert asked.status_code == 200 and "ยืนยันส่งโดยยังไม่มีผลของมาตรการเหล่านี้" in asked.content.decode()
    assert Memo.objects.get(pk=memo.pk).status == Memo.Status.DRAFT
    assert client.post(send, {"confirm": "missing-results"}).status_code == 302
    assert client.login(username="approver1", password="prongsai-demo")
    inbox = client.get(reverse("memos:inbox")).content.decode()
    assert reverse("memos:memo_detail", args=["tessaban-rae", 2563, memo.round]) in inbox


def test_it_logs_in_with_the_printed_login(client):
    run_demo()
    response = client.post(reverse("login"), {"username": "demo", "password": "prongsai-demo"})
    assert response.status_code == 302
    response = client.get(reverse("web:agency_list"))
    assert response.status_code == 200
    agency = Agency.objects.first()
    assert agency.name in response.content.decode()


def test_it_takes_the_password_from_the_environment(client, monkeypatch):
    monkeypatch.setenv("PRONGSAI_DEMO_PASSWORD", "another-secret-1")
    output = run_demo()
    assert "password another-secret-1" in output
    assert client.login(username="approver2", password="another-secret-1")
    assert not client.login(username="approver2", password="prongsai-demo")


def test_it_gives_a_changed_password_back():
    run_demo()
    user = get_user_model().objects.get(username="demo")
    user.set_password("changed-by-someone")
    user.save()
    run_demo()
    user.refresh_from_db()
    assert user.check_password("prongsai-demo")


def test_it_fails_clearly_without_year_files(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no year files"):
        call_command("demo", str(tmp_path), stdout=StringIO())


def test_the_demo_admin_manages_members_and_the_viewer_only_reads(client):
    run_demo()
    agency = Agency.objects.first()
    members_url = reverse("accounts:members", args=[agency.slug])
    assert client.login(username="admin", password="prongsai-demo")
    assert client.get(members_url).status_code == 200
    assert client.get(reverse("accounts:agency_settings", args=[agency.slug])).status_code == 200
    assert client.login(username="viewer", password="prongsai-demo")
    assert client.get(reverse("web:agency_detail", args=[agency.slug])).status_code == 200
    assert client.get(members_url).status_code == 403


def test_the_demo_officer_handles_complaints_and_the_others_do_not(client):
    run_demo()
    run_demo()  # a second run adds no second membership
    agency = Agency.objects.first()
    assert Membership.objects.filter(user__username="officer").count() == Agency.objects.count()
    cases_url = reverse("complaints:case_list", args=[agency.slug])
    assert client.login(username="officer", password="prongsai-demo")
    assert client.get(cases_url).status_code == 200
    assert client.login(username="admin", password="prongsai-demo")
    assert client.get(cases_url).status_code == 403


def test_it_publishes_the_fictional_agencys_report_once_and_keeps_the_real_ones_memo_a_draft(client, settings, tmp_path):
    from prongsai.portal.models import PublishedVersion
    from prongsai.reports.models import ReportVersion

    settings.PRONGSAI_PUBLIC_DIR = tmp_path / "public"
    run_demo()
    # the newest year of the fictional agency (FY 2569, the year a new user rolls over into FY 2570)
    fictional = Memo.objects.get(plan__agency__slug="sao-nong-bua-ngoen", plan__fiscal_year=2569, round=12)
    assert Memo.objects.get(plan__agency__slug="sao-nong-bua-ngoen", plan__fiscal_year=2566, round=12).status == "draft"
    assert fictional.status == Memo.Status.APPROVED
    assert PublishedVersion.objects.filter(report_version__memo=fictional).count() == 1
    real = Memo.objects.get(plan__agency__slug="tessaban-rae", round=6)
    assert real.status == Memo.Status.DRAFT and not real.versions.exists()
    response = client.get("/a/sao-nong-bua-ngoen/reports/2569/round-12/")
    assert response.status_code == 200
    # the 2569 catalogue asks for the previous year's report (O26), so this report is FY 2570's O26;
    # FY 2569's own page links the complaint items Prongsai fills (found by their `produces` attribute)
    oit = client.get("/a/sao-nong-bua-ngoen/oit/2569/").content.decode()
    assert "/a/sao-nong-bua-ngoen/complaints/statistics/2569/" in oit
    run_demo()
    assert ReportVersion.objects.filter(memo=fictional).count() == 1
    assert PublishedVersion.objects.filter(report_version__memo=fictional).count() == 1
