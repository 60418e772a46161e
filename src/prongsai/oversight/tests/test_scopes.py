"""Scope rules: an oversight user sees exactly the agencies its scope's attributes cover (404 outside),
reads them (policy.VIEW) and never complaint content; the SQL filter and the in-memory check agree for
any agency."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prongsai.agencies import policy
from prongsai.agencies.access import agencies_for
from prongsai.agencies.models import Agency
from prongsai.oversight.models import OversightScope
from prongsai.oversight.tests import world
from prongsai.web.tests.factories import client_for

pytestmark = pytest.mark.django_db
FY = world.FY


def test_sql_filter_and_in_memory_check_agree_for_generated_agencies_and_scopes():
    rng = random.Random(11)
    provinces = ["สกลนคร", "จังหวัดสกลนคร", "จ.สกลนคร", "ขอนแก่น", "สกลนคร ", ""]
    districts = ["พังโคน", "อำเภอพังโคน", "วานรนิวาส", "", "เมืองสกลนคร"]
    agencies = Agency.objects.bulk_create([
        Agency(slug=f"g-{i}", name=f"g {i}", province=rng.choice(provinces), district=rng.choice(districts),
               kind=rng.choice(Agency.Kind.values), family=rng.choice(Agency.Family.values)) for i in range(300)])
    scopes = [OversightScope(name="n", level="nation"),
              OversightScope(name="p", level="province", province="สกลนคร"),
              OversightScope(name="d", level="district", province="สกลนคร", district="พังโคน")]
    for _ in range(20):
        scopes.append(OversightScope(
            name="r", level=rng.choice(["nation", "province", "district"]), province="สกลนคร", district="พังโคน",
            kinds=rng.sample(Agency.Kind.values, rng.randint(0, 3)),
            families=rng.sample(Agency.Family.values, rng.randint(0, 2))))
    for scope in scopes:
        scope.full_clean()
        in_sql = set(Agency.objects.filter(scope.agency_q()).values_list("slug", flat=True))
        in_memory = {a.slug for a in agencies if scope.covers(a)}
        assert in_sql == in_memory, (scope.level, scope.kinds, scope.families)
    assert len(set(Agency.objects.filter(scopes[2].agency_q()))) > 0


def test_a_scope_names_real_places_or_says_which_field_is_wrong():
    with pytest.raises(ValidationError) as error:
        OversightScope(name="x", level="province", province="สกลนครร").full_clean()
    assert "จังหวัด: ไม่พบ “สกลนครร”" in str(error.value)
    with pytest.raises(ValidationError) as error:
        OversightScope(name="x", level="district", province="สกลนคร", district="ดอนแก้วทอง").full_clean()
    assert "อำเภอ: ไม่พบ “ดอนแก้วทอง” ในจังหวัดสกลนคร" in str(error.value)
    scope = OversightScope(name="x", level="district", province="จ.สกลนคร", district="อ.พังโคน")
    scope.full_clean()
    assert (scope.province, scope.district) == ("สกลนคร", "พังโคน")
    with pytest.raises(ValidationError, match="ประเภทหน่วยงาน"):
        OversightScope(name="x", level="nation", kinds=["castle"]).full_clean()


def test_an_oversight_user_sees_exactly_its_scope():
    world.build(9)
    user, scope = world.overseer("sakon")
    _other_user, other_scope = world.overseer("khon", name="ขอนแก่น", province="ขอนแก่น")
    client = client_for(user)
    assert client.get(reverse("oversight:rollup", args=[scope.pk])).status_code == 200
    assert client.get(reverse("oversight:rollup", args=[other_scope.pk])).status_code == 404
    assert client.get(reverse("oversight:rollup", args=[scope.pk]), {"province": "ขอนแก่น"}).status_code == 404
    assert client.get(reverse("oversight:agency", args=[scope.pk, "ag-0"])).status_code == 200  # สกลนคร
    assert client.get(reverse("oversight:agency", args=[scope.pk, "ag-2"])).status_code == 404  # ขอนแก่น
    assert client.get(reverse("oversight:export", args=[other_scope.pk, "completeness", "csv"])).status_code == 404
    home = client.get(reverse("oversight:home")).content.decode()
    assert scope.name in home and "ขอนแก่น</a>" not in home
    # the agencies of the scope are readable (VIEW), the others do not exist for the user
    assert client.get(reverse("web:agency_detail", args=["ag-0"])).status_code == 200
    assert client.get(reverse("web:agency_detail", args=["ag-2"])).status_code == 404
    assert set(agencies_for(user).values_list("slug", flat=True)) == {"ag-0", "ag-1", "ag-3", "ag-4", "ag-6", "ag-7"}


def test_oversight_never_reaches_complaint_content():
    world.build(3)
    user, _scope = world.overseer("sakon")
    agency = Agency.objects.get(slug="ag-0")
    assert policy.can(user, agency, policy.VIEW)
    assert not policy.can(user, agency, policy.HANDLE_COMPLAINTS)
    assert not policy.can(user, agency, policy.EDIT_YEAR)
    client = client_for(user)
    assert client.get(reverse("complaints:case_list", args=["ag-0"])).status_code == 403
    assert client.get(reverse("complaints:staff_statistics", args=["ag-0"])).status_code == 403


def test_a_kind_filter_narrows_the_scope_and_new_agencies_fall_in_by_themselves():
    world.build(6)
    user, scope = world.overseer("sao-only", kinds=[Agency.Kind.SAO])
    assert set(scope.agencies().values_list("slug", flat=True)) == {"ag-0", "ag-4"}  # even i: sao; สกลนคร
    Agency.objects.create(slug="new-sao", name="อบต.ใหม่", province="สกลนคร", district="พังโคน", kind="sao")
    Agency.objects.create(slug="new-tessaban", name="ทต.ใหม่", province="สกลนคร", kind="tessaban_tambon")
    policy.forget(user)
    assert set(agencies_for(user).values_list("slug", flat=True)) == {"ag-0", "ag-4", "new-sao"}


def test_policy_answers_oversight_without_a_query_per_agency(django_assert_max_num_queries):
    agencies = world.build(12)
    user, _scope = world.overseer("sakon")
    from prongsai.oversight import access

    access.scopes_for(user)
    # roles() still asks Membership once per agency (issue 12 loads them once); the scope check adds none
    with django_assert_max_num_queries(len(agencies)):
        allowed = [a for a in agencies if policy.can(user, a, policy.VIEW)]
    assert len(allowed) == 8


def test_anonymous_users_are_sent_to_the_login_page():
    _user, scope = world.overseer("sakon")
    response = client_for().get(reverse("oversight:rollup", args=[scope.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_superuser_opens_every_scope():
    from django.contrib.auth.models import User

    _user, scope = world.overseer("sakon")
    root = User.objects.create_superuser("root", password="x")
    assert client_for(root).get(reverse("oversight:rollup", args=[scope.pk])).status_code == 200
