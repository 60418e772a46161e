"""The TH Sarabun-compatible font that every document renderer uses ("Sarabun Compat").

Thai official documents ask for TH Sarabun New / TH SarabunPSK, which no Debian or PyPI package ships
in four styles. Debian's Laksaman (package fonts-tlwg-laksaman-ttf, GPL-2+ with the font exception) is
TH Sarabun New redrawn on a 1.5x larger em. Re-declaring it on a 1503-unit em and copying TH Sarabun
New's vertical metrics makes it metric-identical at the same point size (measured: docs/rendering.md
and shared RENDERING.md). `ensure_fonts()` builds the family once into settings.PRONGSAI_FONT_DIR;
`install_fontconfig()` makes it answer for "TH Sarabun New" in LibreOffice and other fontconfig users.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

FAMILY = "Sarabun Compat"
STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
ALIASED_FAMILIES = ("TH Sarabun New", "TH SarabunPSK", "TH SarabunIT๙")
LAKSAMAN_DIRS = (Path("/usr/share/fonts/truetype/tlwg"), Path("/usr/share/fonts/truetype/thai"))
LAKSAMAN_FILES = {"Regular": "Laksaman.ttf", "Bold": "Laksaman-Bold.ttf",
                  "Italic": "Laksaman-Italic.ttf", "BoldItalic": "Laksaman-BoldItalic.ttf"}
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-tlwg-laksaman-ttf/copyright")
NOTICE_NAME = "COPYRIGHT-SarabunCompat.txt"
STAMP_NAME = "sarabun-compat.json"
FONTCONFIG_NAME = "50-prongsai-sarabun-compat.conf"
BUILD_VERSION = 1  # bump when the conversion below changes: old builds are then rebuilt

UPM = 1503
SCALE = UPM / 1000

NOTICE = """Sarabun Compat (Regular, Bold, Italic, BoldItalic)

Built by Prongsai from Laksaman (Debian package fonts-tlwg-laksaman-ttf): the same outlines declared on a
1503-unit em, with TH Sarabun New's vertical metrics, renamed "Sarabun Compat".

Laksaman: Copyright 2010-2011 Software Industry Promotion Agency (Public Organization) (SIPA)
          Copyright 2014-2015 Theppitak Karoonboonyanan <theppitak@gmail.com>
License: GPL-2+ with Font exception

 This program is free software; you can redistribute it and/or modify it under the terms of the GNU
 General Public License as published by the Free Software Foundation; either version 2 of the License,
 or (at your option) any later version.

 This program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even
 the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the GNU General Public
 License for more details.

 As a special exception, if you create a document which uses this font, and embed this font or
 unaltered portions of this font into the document, this font does not by itself cause the resulting
 document to be covered by the GNU General Public License. This exception does not however invalidate
 any other reasons why the document might be covered by the GNU General Public License. If you modify
 this font, you may extend this exception to your version of the font, but you are not obligated to do
 so. If you do not wish to do so, delete this exception statement from your version.

 The modified fonts here keep the exception.
"""

INSTALL_HINT = (
    "The Thai document font cannot be built: Debian's Laksaman font is not installed. "
    "Install it with `apt-get install fonts-tlwg-laksaman-ttf` (as root), then run "
    "`prongsai build_fonts`."
)


class FontsMissing(RuntimeError):
    """The source font (Laksaman) is not installed, so Sarabun Compat cannot be built."""


@dataclass(frozen=True)
class FontSet:
    directory: Path
    ttf: dict[str, Path]  # style -> file
    woff2: dict[str, Path]
    notice: Path

    @property
    def family(self) -> str:
        return FAMILY


_lock = threading.Lock()
_cache: dict[Path, FontSet] = {}


def default_font_dir() -> Path:
    from django.conf import settings

    return Path(settings.PRONGSAI_FONT_DIR)


def ensure_fonts(*, font_dir: Path | None = None) -> FontSet:
    """The built Sarabun Compat family, building it into `font_dir` (default settings.PRONGSAI_FONT_DIR)
    when missing or stale. Raises FontsMissing when Laksaman is not installed and nothing is built."""
    directory = Path(font_dir) if font_dir is not None else default_font_dir()
    with _lock:
        cached = _cache.get(directory)
        if cached is not None and all(p.exists() for p in cached.ttf.values()):
            return cached
        fontset = _fontset(directory)
        if not _is_current(directory, fontset):
            sources = find_laksaman()
            _build(sources=sources, directory=directory)
        _cache[directory] = fontset
        return fontset


def _fontset(directory: Path) -> FontSet:
    return FontSet(
        directory=directory,
        ttf={s: directory / f"SarabunCompat-{s}.ttf" for s in STYLES},
        woff2={s: directory / f"SarabunCompat-{s}.woff2" for s in STYLES},
        notice=directory / NOTICE_NAME,
    )


def _is_current(directory: Path, fontset: FontSet) -> bool:
    files = [*fontset.ttf.values(), *fontset.woff2.values(), fontset.notice]
    if not all(p.exists() for p in files):
        return False
    try:
        stamp = json.loads((directory / STAMP_NAME).read_text())
    except (OSError, ValueError):
        return False
    if stamp.get("version") != BUILD_VERSION:
        return False
    try:
        sources = find_laksaman()
    except FontsMissing:
        return True  # a complete build is there; the source may have been removed since
    return stamp.get("sources") == _fingerprint(sources)


def find_laksaman() -> dict[str, Path]:
    """Laksaman's four files, found through fontconfig (fc-match) or in Debian's font directory."""
    found: dict[str, Path] = {}
    fc_match = shutil.which("fc-match")
    for style in STYLES:
        path = None
        if fc_match:
            spaced = "Bold Italic" if style == "BoldItalic" else style
            result = subprocess.run(
                [fc_match, "-f", "%{family}|%{file}", f"Laksaman:style={spaced}"],
                capture_output=True, text=True, check=False,
            )
            family, _, file = result.stdout.partition("|")
            if result.returncode == 0 and family.split(",")[0] == "Laksaman" and file:
                candidate = Path(file)
                if candidate.name == LAKSAMAN_FILES[style] and candidate.exists():
                    path = candidate
        if path is None:
            path = next((d / LAKSAMAN_FILES[style] for d in LAKSAMAN_DIRS if (d / LAKSAMAN_FILES[style]).exists()),
                        None)
        if path is None:
            raise FontsMissing(INSTALL_HINT)
        found[style] = path
    return found


def _fingerprint(sources: dict[str, Path]) -> dict[str, str]:
    return {style: hashlib.sha256(path.read_bytes()).hexdigest()[:16] for style, path in sources.items()}


def _convert(source: Path, style: str):
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    font["head"].unitsPerEm = UPM  # em 1.503x larger: glyphs shrink to TH Sarabun New's advances
    os2, hhea = font["OS/2"], font["hhea"]
    os2.fsSelection &= ~(1 << 7)  # TH Sarabun New does not set USE_TYPO_METRICS
    os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap = round(850 * SCALE), round(-250 * SCALE), round(60 * SCALE)
    os2.usWinAscent, os2.usWinDescent = round(844 * SCALE), round(457 * SCALE)
    hhea.ascent, hhea.descent, hhea.lineGap = round(844 * SCALE), round(-457 * SCALE), round(30 * SCALE)
    spaced = "Bold Italic" if style == "BoldItalic" else style
    postscript = f"SarabunCompat-{style}"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (2, 17):
            record.string = spaced
        elif record.nameID == 4:
            record.string = FAMILY if style == "Regular" else f"{FAMILY} {spaced}"
        elif record.nameID == 6:
            record.string = postscript
        elif record.nameID == 3:
            record.string = f"{postscript}; Laksaman (fonts-tlwg) on a {UPM}-unit em"
    return font


def _build(*, sources: dict[str, Path], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".build-") as tmp:
        work = Path(tmp)
        for style, source in sources.items():
            font = _convert(source, style)
            font.save(work / f"SarabunCompat-{style}.ttf")
            font.flavor = "woff2"
            font.save(work / f"SarabunCompat-{style}.woff2")
        notice = NOTICE
        if DEBIAN_COPYRIGHT.exists():
            notice += "\n\nDebian's copyright file of fonts-tlwg-laksaman-ttf follows.\n\n" + DEBIAN_COPYRIGHT.read_text()
        (work / NOTICE_NAME).write_text(notice, encoding="utf-8")
        (work / STAMP_NAME).write_text(json.dumps({"version": BUILD_VERSION, "sources": _fingerprint(sources)}))
        # os.replace is atomic per file: a concurrent reader sees an old or a new file, never half of one.
        # The stamp goes last, so an interrupted build is rebuilt next time.
        for item in sorted(work.iterdir(), key=lambda p: p.name == STAMP_NAME):
            os.replace(item, directory / item.name)


@dataclass(frozen=True)
class FontconfigInstall:
    font_dir: Path
    conf_file: Path


def fontconfig_alias_xml() -> str:
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer><family>{FAMILY}</family></prefer></alias>'
        for name in ALIASED_FAMILIES
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        "<!-- Written by `prongsai build_fonts`: documents that name TH Sarabun get Sarabun Compat.\n"
        "     <prefer> (not <accept>) so that it wins over the tlwg package's scaled Laksaman rule.\n"
        "     Delete this file if the real TH Sarabun New is installed. -->\n"
        f"<fontconfig>\n{aliases}\n</fontconfig>\n"
    )


def _xdg(name: str, default: str) -> Path:
    return Path(os.environ.get(name) or Path.home() / default)


def install_fontconfig(*, fontset: FontSet | None = None) -> FontconfigInstall:
    """Copy the TTFs into the user's font directory and add the TH Sarabun → Sarabun Compat alias to the
    user's fontconfig conf.d, then refresh the font cache (so LibreOffice renders our DOCX with it)."""
    fontset = fontset or ensure_fonts()
    font_dir = _xdg("XDG_DATA_HOME", ".local/share") / "fonts" / "prongsai"
    conf_dir = _xdg("XDG_CONFIG_HOME", ".config") / "fontconfig" / "conf.d"
    font_dir.mkdir(parents=True, exist_ok=True)
    conf_dir.mkdir(parents=True, exist_ok=True)
    for path in [*fontset.ttf.values(), fontset.notice]:
        target = font_dir / path.name
        if not target.exists() or target.read_bytes() != path.read_bytes():
            shutil.copyfile(path, target)
    conf_file = conf_dir / FONTCONFIG_NAME
    xml = fontconfig_alias_xml()
    if not conf_file.exists() or conf_file.read_text(encoding="utf-8") != xml:
        conf_file.write_text(xml, encoding="utf-8")
    fc_cache = shutil.which("fc-cache")
    if fc_cache is None:
        raise FontsMissing("fontconfig is not installed (no fc-cache): `apt-get install fontconfig`")
    subprocess.run([fc_cache, "-f", str(font_dir)], check=True, capture_output=True)
    return FontconfigInstall(font_dir=font_dir, conf_file=conf_file)
