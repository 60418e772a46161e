from django.urls import reverse
from django.utils.http import http_date

from prongsai.reports import fonts

URL = reverse("web:font", args=["Regular"])


def test_it_serves_the_thai_ui_font_with_caching_headers(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "font/woff2"
    body = b"".join(response.streaming_content)
    assert body[:4] == b"wOF2"
    assert body == fonts.ensure_fonts().woff2["Regular"].read_bytes()
    assert "public" in response["Cache-Control"] and "max-age=604800" in response["Cache-Control"]
    assert response["Last-Modified"]


def test_it_answers_304_when_the_browser_has_it(anon_client):
    modified = int(fonts.ensure_fonts().woff2["Bold"].stat().st_mtime)
    response = anon_client.get(reverse("web:font", args=["Bold"]), HTTP_IF_MODIFIED_SINCE=http_date(modified))
    assert response.status_code == 304


def test_pages_declare_it_with_font_face(anon_client):
    html = anon_client.get(reverse("login")).content.decode()
    assert f'url("{URL}") format("woff2")' in html
    assert f'url("{reverse("web:font", args=["Bold"])}") format("woff2")' in html


def test_it_gives_404_for_an_unknown_style(anon_client):
    assert anon_client.get(reverse("web:font", args=["Black"])).status_code == 404
    assert anon_client.get("/fonts/SarabunCompat-..%2Fsecret_key.woff2").status_code == 404


def test_it_rejects_post(anon_client):
    assert anon_client.post(URL).status_code == 405
