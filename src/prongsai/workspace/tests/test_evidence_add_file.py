import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.measures.models import Evidence
from prongsai.workspace.tests import files
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions


def _url(measure, round=6) -> str:
    return reverse("workspace:evidence_add_file", args=["tessaban-rae", 2563, measure.pk, round])


def _stored(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.mark.parametrize("name, content, extension", [
    ("แผนงาน.pdf", files.PDF, ".pdf"),
    ("photo.PNG", files.png(), ".png"),
    ("photo.jpeg", files.JPEG, ".jpg"),
    ("คำสั่ง.docx", files.docx_bytes(), ".docx"),
    ("แผน.xlsx", files.xlsx_bytes(), ".xlsx"),
], ids=["pdf", "png", "jpeg", "docx", "xlsx"])
def test_it_stores_an_accepted_file_under_a_random_name_with_its_sha256(planner_client, plan, media_root,
                                                                         name, content, extension):
    measure = plan.measures.get(order=1)
    response = planner_client.post(_url(measure), {"title": "", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    evidence = Evidence.objects.exclude(file="").get()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.title == name.rsplit(".", 1)[0]  # the file's name when no title is given
    assert evidence.file.name.startswith("evidence/") and evidence.file.name.endswith(extension)
    assert name.rsplit(".", 1)[0] not in evidence.file.name  # random, not the uploaded name
    assert (media_root / evidence.file.name).read_bytes() == content
    assert audit_actions(evidence) == ["measures.evidence.added"]


@pytest.mark.parametrize("name, content, message", [
    ("report.pdf", files.png(), "ไฟล์: นามสกุล .pdf ไม่ตรงกับเนื้อหาของไฟล์ซึ่งเป็น PNG"),
    ("setup.pdf", files.EXE, "ไฟล์: เนื้อหาของไฟล์ไม่ใช่ PDF, PNG, JPEG, DOCX หรือ XLSX"),
    ("setup.exe", files.EXE, "ไฟล์: รับเฉพาะ PDF, PNG, JPEG, DOCX และ XLSX (ไฟล์นี้เป็น .exe)"),
    ("fake.docx", files.plain_zip(), "ไฟล์: เนื้อหาของไฟล์ไม่ใช่ PDF, PNG, JPEG, DOCX หรือ XLSX"),
    ("book.docx", files.xlsx_bytes(), "ไฟล์: นามสกุล .docx ไม่ตรงกับเนื้อหาของไฟล์ซึ่งเป็น XLSX"),
    ("page.html", b"<html><script>alert(1)</script>", "ไฟล์: รับเฉพาะ PDF, PNG, JPEG, DOCX และ XLSX"),
], ids=["png-named-pdf", "exe-named-pdf", "exe", "zip-named-docx", "xlsx-named-docx", "html"])
def test_it_checks_the_content_not_the_name(planner_client, plan, media_root, name, content, message):
    measure = plan.measures.get(order=1)
    response = planner_client.post(_url(measure), {"title": "หลักฐาน", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="หลักฐาน"' in html  # what was typed stays
    assert not Evidence.objects.exclude(file="").exists()
    assert _stored(media_root) == []


def test_it_refuses_a_file_over_the_size_limit(planner_client, plan, settings, media_root):
    settings.PRONGSAI_MAX_UPLOAD_MB = 1
    big = files.PDF + b"0" * (1024 * 1024)
    response = planner_client.post(_url(plan.measures.get(order=1)), {"file": SimpleUploadedFile("big.pdf", big)})
    assert "ไฟล์: มีขนาดเกิน ๑ MB ที่ระบบรับได้" in response.content.decode()
    assert _stored(media_root) == []


def test_it_asks_for_a_file(planner_client, plan):
    assert "ไฟล์: กรุณาเลือกไฟล์" in planner_client.post(_url(plan.measures.get(order=1)), {}).content.decode()


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.get(_url(plan.measures.get(order=1))).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    upload = SimpleUploadedFile("a.pdf", files.PDF)
    assert_login_redirect(anon_client.post(_url(plan.measures.get(order=1)), {"file": upload}))


def test_it_forbids_read_only_members(viewer_client, plan, media_root):
    upload = SimpleUploadedFile("a.pdf", files.PDF)
    assert viewer_client.post(_url(plan.measures.get(order=1)), {"file": upload}).status_code == 403
    assert _stored(media_root) == []


def test_it_hides_other_agencies(outsider_client, plan, media_root):
    upload = SimpleUploadedFile("a.pdf", files.PDF)
    assert outsider_client.post(_url(plan.measures.get(order=1)), {"file": upload}).status_code == 404
    assert _stored(media_root) == []
