"""The shipped list of provinces and districts, and matching what people type."""

import pytest

from prongsai.agencies import geography


def test_the_list_is_thailands_77_provinces_and_their_districts():
    provinces = geography.provinces()
    assert len(provinces) == 77
    assert sum(len(p.districts) for p in provinces) == 928
    assert "CC-BY-4.0" in geography.source()["licence"]
    assert geography.province("47").districts[4].name == "พังโคน"


@pytest.mark.parametrize("text", ["สกลนคร", "จ.สกลนคร", "จ. สกลนคร", "จังหวัดสกลนคร", " จังหวัด สกลนคร ", "Sakon Nakhon",
                                  "sakon nakhon", "47"])
def test_a_province_in_any_usual_form(text):
    assert geography.province(text).name == "สกลนคร"


def test_names_that_begin_like_a_short_form_are_not_cut():
    # "อ" without a dot is the first letter of อ่างทอง, not อ. (อำเภอ)
    assert geography.province("อ่างทอง").name == "อ่างทอง"
    assert geography.province("กทม.").name == geography.province("กรุงเทพฯ").name == "กรุงเทพมหานคร"
    assert geography.province("สกลนครา") is None and geography.province("") is None


def test_districts_in_any_usual_form_and_the_mueang_district():
    assert geography.district("อ.พังโคน", province="จ.สกลนคร").code == "4705"
    assert geography.district("อำเภอ พังโคน", province="สกลนคร").name == "พังโคน"
    assert geography.district("เมือง", province="สกลนคร").name == "เมืองสกลนคร"
    assert geography.district("เขตพระนคร", province="กรุงเทพมหานคร").label == "เขตพระนคร"
    assert geography.district("พังโคน", province="อุดรธานี") is None


def test_every_shipped_name_finds_itself():
    """Property over the whole list: each province and district, in its own and in its labelled form."""
    for p in geography.provinces():
        assert geography.province(p.name) == p and geography.province(p.label) == p
        for d in p.districts:
            assert geography.district(d.name, province=p.name) == d
            assert geography.district(d.label, province=p.code) == d
