"""Which catalogue applies: a year's own, the general one for a family without its own, the latest one
provisionally for a year without any (FY 2570 today), none for a year far from the present."""

import datetime as dt

import pytest

from prongsai.framework import services, store
from prongsai.framework.catalogue import UnknownFrameworkYear, get_framework
from prongsai.framework.formats import Parsed
from prongsai.framework.models import Catalogue

pytestmark = pytest.mark.django_db


def _import(year, change=None, status=None, family=None):
    data = dict(services.find(2569).data)
    if family:
        data["family"] = family
    if change:
        change(data)
    return services.apply(services.propose(Parsed(data), name="t.yaml", year=year, status=status), actor="test")


def test_fy_2570_starts_on_the_2569_catalogue_provisionally():
    fw = get_framework(2570)
    assert (fw.year, fw.provisional_for, fw.is_provisional) == (2569, 2570, True)
    assert fw.oit_item("O25").produces == "plan"


def test_a_year_far_from_the_present_has_no_catalogue():
    with pytest.raises(UnknownFrameworkYear):
        get_framework(2600)
    with pytest.raises(UnknownFrameworkYear):
        get_framework(2550)
    row, provisional_for = store.applicable_row(2571, today=dt.date(2027, 10, 2))  # FY 2571 has begun
    assert (row.fiscal_year, provisional_for) == (2569, 2571)


def test_a_family_without_its_own_catalogue_uses_the_general_one_and_its_own_once_imported():
    assert get_framework(2569, "ovec").family == "general"
    _import(2569, family="ovec", change=lambda d: d.update(summary="OVEC colleges"))
    fw = get_framework(2569, "ovec")
    assert fw.family == "ovec" and fw.summary == "OVEC colleges"
    assert get_framework(2569).family == "general"


def test_the_newest_version_applies_and_an_old_version_stays_readable():
    def rename(data):
        items = [dict(i) for i in data["oit_items"]["items"]]
        items[0]["title_th"] = "โครงสร้างองค์กร"
        data["oit_items"] = {**data["oit_items"], "items": items}
    row = _import(2569, rename)
    assert row.version == 2
    assert get_framework(2569).oit_item("O1").title == "โครงสร้างองค์กร"
    assert get_framework(2569, version=1).oit_item("O1").title == "โครงสร้าง หน้าที่และอำนาจ"


def test_a_changed_shipped_file_waits_as_a_draft_beside_an_operator_import(monkeypatch):
    _import(2569, lambda d: d.update(summary="operator"))
    files = store.shipped_files()
    files[2569] = {**files[2569], "summary": "a newer release"}
    monkeypatch.setattr(store, "shipped_files", lambda: files)
    created = store.sync_shipped()
    assert [(c.fiscal_year, c.status) for c in created] == [(2569, Catalogue.Status.DRAFT)]
    assert get_framework(2569).summary == "operator"
    assert store.sync_shipped() == []  # seeding twice changes nothing
