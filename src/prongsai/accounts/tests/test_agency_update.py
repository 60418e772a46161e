from decimal import Decimal

from django.urls import reverse

from prongsai.agencies.models import Agency
from prongsai.audit.models import AuditEntry

URL = reverse("accounts:agency_update", args=["tessaban-rae"])
SETTINGS = reverse("accounts:agency_settings", args=["tessaban-rae"])


def form_data(**changes):
    data = {
        "name": "เทศบาลตำบลแร่", "kind": "tessaban_tambon", "office_name": "", "district": "พังโคน",
        "province": "สกลนคร", "doc_prefix": "สน ๘๐๗๐๑", "executive_title": "นายกเทศมนตรีตำบลแร่",
        "digits": "thai", "address": "", "phone": "042-123456", "email": "", "website": "", "urgent_below": "75",
    }
    data.update(changes)
    return data


def test_it_saves_the_agency_and_audits_it(manager_client, manager, agency):
    response = manager_client.post(URL, form_data(office_name="สำนักงานเทศบาลตำบลแร่", digits="arabic",
                                                  urgent_below="80.5", website="https://www.rae.go.th"))
    assert response.status_code == 302 and response["Location"] == SETTINGS
    agency.refresh_from_db()
    assert agency.office_name == "สำนักงานเทศบาลตำบลแร่" and agency.digits == "arabic"
    assert agency.urgent_below == Decimal("80.50") and agency.website == "https://www.rae.go.th"
    entry = AuditEntry.objects.get(action="agencies.agency.updated")
    assert entry.actor == manager and entry.agency == agency
    assert entry.changes["digits"] == ["thai", "arabic"] and entry.changes["urgent_below"] == ["75.00", "80.50"]
    assert "name" not in entry.changes
    assert "บันทึกข้อมูลหน่วยงานแล้ว" in manager_client.get(SETTINGS).content.decode()


def test_it_keeps_what_was_typed_and_names_the_bad_fields(manager_client, agency):
    response = manager_client.post(URL, form_data(name="", urgent_below="120", email="no-at-sign",
                                                  district="<script>x</script>"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "กรุณากรอกชื่อหน่วยงาน" in html
    assert "เกณฑ์จุดอ่อนเร่งด่วน (ต่ำกว่า)ต้องไม่เกิน ๑๐๐" in html
    assert "อีเมลไม่ใช่ที่อยู่อีเมลที่ถูกต้อง" in html
    assert 'value="120"' in html and 'value="no-at-sign"' in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
    # The page's header still shows the saved name, not the emptied one.
    assert "<title>ตั้งค่าหน่วยงาน · เทศบาลตำบลแร่" in html
    assert Agency.objects.get(pk=agency.pk).district == "พังโคน"
    assert not AuditEntry.objects.exists()


def test_it_is_for_agency_admins_only(refusals, agency):
    refusals.viewer(URL, "post", form_data(name="ถูกแก้"))
    assert Agency.objects.get(pk=agency.pk).name == "เทศบาลตำบลแร่"


def test_it_hides_the_agency_from_outsiders(refusals, agency):
    refusals.outsider(URL, "post", form_data(name="ถูกแก้"))
    assert Agency.objects.get(pk=agency.pk).name == "เทศบาลตำบลแร่"


def test_it_sends_anonymous_visitors_to_login(refusals):
    refusals.anonymous(URL, "post", form_data())


def test_it_rejects_get(refusals):
    refusals.wrong_method(URL, "post")
