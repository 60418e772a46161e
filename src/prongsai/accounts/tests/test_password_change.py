from django.urls import reverse

from prongsai.audit.models import AuditEntry

URL = reverse("accounts:password_change")
OLD = "correct horse battery"
NEW = "ฟ้าใส-rae-2564"


def test_it_changes_the_password_and_keeps_the_user_logged_in(viewer_client, viewer):
    page = viewer_client.get(URL)
    assert page.status_code == 200
    assert '<label for="id_old_password">รหัสผ่านเดิม</label>' in page.content.decode()
    response = viewer_client.post(URL, {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    viewer.refresh_from_db()
    assert viewer.check_password(NEW)
    assert AuditEntry.objects.filter(action="accounts.password.changed", actor=viewer).count() == 1
    html = viewer_client.get(response["Location"]).content.decode()
    assert "เปลี่ยนรหัสผ่านแล้ว" in html


def test_it_needs_the_old_password(viewer_client, viewer):
    response = viewer_client.post(URL, {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200
    assert "รหัสผ่านเดิมไม่ถูกต้อง" in response.content.decode()
    viewer.refresh_from_db()
    assert viewer.check_password(OLD)
    assert not AuditEntry.objects.exists()


def test_it_sends_anonymous_visitors_to_login(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_rejects_other_methods(viewer_client):
    assert viewer_client.delete(URL).status_code == 405
