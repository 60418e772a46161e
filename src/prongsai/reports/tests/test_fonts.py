"""Sarabun Compat: built from Laksaman, cached, installed for fontconfig."""

from __future__ import annotations

import os
import subprocess

import pytest
from django.core.management import call_command
from fontTools.ttLib import TTFont

from prongsai.reports import fonts


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return fonts.ensure_fonts(font_dir=tmp_path_factory.mktemp("fonts"))


def test_it_builds_four_styles_as_ttf_and_woff2(built):
    assert set(built.ttf) == set(built.woff2) == {"Regular", "Bold", "Italic", "BoldItalic"}
    for style in built.ttf:
        assert built.ttf[style].stat().st_size > 50_000
        assert built.woff2[style].read_bytes()[:4] == b"wOF2"


def test_it_declares_laksaman_on_a_1503_unit_em_with_th_sarabun_metrics(built):
    font = TTFont(built.ttf["Bold"])
    names = {rec.nameID: rec.toUnicode() for rec in font["name"].names}
    assert (names[1], names[2], names[6]) == ("Sarabun Compat", "Bold", "SarabunCompat-Bold")
    assert font["head"].unitsPerEm == 1503
    assert not font["OS/2"].fsSelection & (1 << 7)  # USE_TYPO_METRICS cleared
    pitch = (font["hhea"].ascent - font["hhea"].descent) / font["head"].unitsPerEm
    assert round(pitch, 3) == 1.301  # Word's "single" line for TH Sarabun New
    source = TTFont(fonts.find_laksaman()["Bold"])
    ko_kai = source.getBestCmap()[0x0E01]
    assert font["hmtx"][ko_kai] == source["hmtx"][ko_kai]  # same outlines and advances, on a larger em


def test_it_puts_the_licence_next_to_the_fonts(built):
    notice = built.notice.read_text(encoding="utf-8")
    assert "GPL-2+ with Font exception" in notice and "As a special exception" in notice
    assert "Software Industry Promotion Agency" in notice


def test_it_reuses_a_build(built):
    before = {p: p.stat().st_mtime_ns for p in built.ttf.values()}
    fonts._cache.clear()  # a new process: only the files on disk are left
    again = fonts.ensure_fonts(font_dir=built.directory)
    assert again == built
    assert {p: p.stat().st_mtime_ns for p in again.ttf.values()} == before


def test_it_rebuilds_a_missing_file(built):
    built.woff2["Italic"].unlink()
    fonts._cache.clear()
    fonts.ensure_fonts(font_dir=built.directory)
    assert built.woff2["Italic"].exists()


def test_it_says_what_to_install_when_laksaman_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "LAKSAMAN_DIRS", (tmp_path / "none",))
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-match either
    with pytest.raises(fonts.FontsMissing, match="apt-get install fonts-tlwg-laksaman-ttf"):
        fonts.ensure_fonts(font_dir=tmp_path / "fonts")


def _user_env(tmp_path) -> dict:
    return {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_CACHE_HOME": str(tmp_path / "cache")}


def test_it_makes_fontconfig_answer_th_sarabun_new_with_sarabun_compat(built, tmp_path, monkeypatch):
    env = _user_env(tmp_path)
    for key in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(key, env[key])
    done = fonts.install_fontconfig(fontset=built)
    assert done.conf_file.name < "89"
    for family in fonts.ALIASED_FAMILIES:
        found = subprocess.run(["fc-match", "-f", "%{family}|%{file}", f"{family}:style=Bold"],
                               capture_output=True, text=True, env=env, check=True).stdout
        assert found.startswith("Sarabun Compat|") and str(done.font_dir) in found, (family, found)


def test_it_builds_and_installs_from_the_command_twice(settings, tmp_path, monkeypatch, capsys):
    settings.PRONGSAI_FONT_DIR = tmp_path / "fonts"
    for key, value in _user_env(tmp_path).items():
        if key.startswith("XDG"):
            monkeypatch.setenv(key, value)
    call_command("build_fonts")
    first = capsys.readouterr().out
    conf = tmp_path / "config" / "fontconfig" / "conf.d" / fonts.FONTCONFIG_NAME
    content = conf.read_text()
    call_command("build_fonts")
    assert capsys.readouterr().out == first
    assert conf.read_text() == content
    assert f"fonts: {tmp_path / 'fonts'}" in first and str(conf) in first
