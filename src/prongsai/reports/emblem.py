"""The agency's Garuda emblem (ตราครุฑ) on its บันทึกข้อความ and ประกาศ.

The agency uploads it once (settings page, `Agency.emblem`). What is stored is always a PNG:

    png = prepare(uploaded_bytes)        # EmblemInvalid (a Thai message) for anything else

- a PNG is checked by content (signature, IHDR, IEND, a sane size), not by its name or content type;
- an SVG is parsed without DTDs, entities or network, cut down to a safe subset (shapes, paths,
  gradients, clip paths; no script, no event attributes, no foreignObject, no <style>, no link to
  anything outside the file except embedded PNG/JPEG data) and then rasterised with typst (its
  SVG renderer, resvg's usvg, already a dependency) to a PNG 600 px high. The SVG itself is never
  served or embedded anywhere, so nothing in it can run in a reader's browser or office suite.

Placing it: builders put a `Letterhead` (document.py) at the top of the form; `apply(document, png)`
gives every letterhead the emblem at the regulation's height: 1.5 cm at the top left of a
บันทึกข้อความ (position "left"), 3 cm centred on a ประกาศ or คำสั่ง (position "top"). Without an emblem
nothing is drawn in its place.
"""

from __future__ import annotations

import logging
import struct

from prongsai.reports.document import Document, Image, Letterhead

log = logging.getLogger(__name__)

HEIGHT_CM = {"left": 1.5, "top": 3.0}
MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 6000
RASTER_HEIGHT_PX = 600
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"

SAFE_ELEMENTS = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "defs", "linearGradient",
    "radialGradient", "stop", "clipPath", "mask", "use", "symbol", "title", "desc", "image", "pattern",
}
SAFE_DATA_IMAGES = ("data:image/png;base64,", "data:image/jpeg;base64,", "data:image/jpg;base64,")


class EmblemInvalid(ValueError):
    """The upload is not a usable emblem; the message is Thai, for the form."""


def prepare(data: bytes) -> bytes:
    """The PNG to store for an uploaded emblem (PNG as is after checking it, SVG made safe and
    rasterised)."""
    if not data:
        raise EmblemInvalid("ไฟล์ตราครุฑว่างเปล่า")
    if len(data) > MAX_BYTES:
        raise EmblemInvalid("ไฟล์ตราครุฑต้องมีขนาดไม่เกิน ๒ เมกะไบต์")
    if data.startswith(PNG_SIGNATURE):
        check_png(data)
        return data
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--") or b"<svg" in head:
        return rasterise(safe_svg(data))
    raise EmblemInvalid("ตราครุฑต้องเป็นไฟล์ PNG หรือ SVG (ตรวจจากเนื้อไฟล์ ไม่ใช่จากชื่อไฟล์)")


def check_png(data: bytes) -> tuple[int, int]:
    """(width, height) of a well-formed PNG; EmblemInvalid otherwise."""
    if len(data) < 45 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise EmblemInvalid("ไฟล์ PNG ของตราครุฑไม่สมบูรณ์")
    width, height = struct.unpack(">II", data[16:24])
    if not (16 <= width <= MAX_PIXELS and 16 <= height <= MAX_PIXELS):
        raise EmblemInvalid("ตราครุฑต้องมีขนาดระหว่าง ๑๖ ถึง ๖,๐๐๐ จุดภาพในแต่ละด้าน")
    if b"IDAT" not in data or not data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82"):
        raise EmblemInvalid("ไฟล์ PNG ของตราครุฑไม่สมบูรณ์")
    return width, height


def safe_svg(data: bytes) -> bytes:
    """The SVG cut down to drawing only (see the module docstring)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise EmblemInvalid("อ่านไฟล์ SVG ของตราครุฑไม่ได้") from exc
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise EmblemInvalid("ไฟล์ SVG ของตราครุฑต้องไม่มี DOCTYPE")
    if root.tag != f"{{{SVG}}}svg":
        raise EmblemInvalid("ไฟล์ SVG ของตราครุฑไม่ถูกต้อง")
    for element in list(root.iter()):
        if element is root:
            continue
        if not isinstance(element.tag, str):
            element.getparent().remove(element)
            continue
        namespace, _, local = element.tag[1:].partition("}") if element.tag.startswith("{") else ("", "", element.tag)
        if namespace != SVG or local not in SAFE_ELEMENTS:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in list(element.attrib):
            value = element.attrib[name]
            local = name.rpartition("}")[2].lower()
            lowered = value.strip().lower()
            if local.startswith("on"):
                del element.attrib[name]
            elif local == "href":
                if not (lowered.startswith("#") or lowered.startswith(SAFE_DATA_IMAGES)):
                    del element.attrib[name]
            elif "url(" in lowered and not all(part.lstrip().startswith("#") for part in lowered.split("url(")[1:]):
                del element.attrib[name]
            elif "javascript:" in lowered or "expression(" in lowered or "@import" in lowered:
                del element.attrib[name]
    return etree.tostring(root)


def rasterise(svg: bytes, *, height_px: int = RASTER_HEIGHT_PX) -> bytes:
    """The SVG drawn by typst as a PNG `height_px` high, transparent background."""
    import typst

    ppi = 144.0
    height_pt = height_px / ppi * 72
    source = ('#set page(width: auto, height: auto, margin: 0pt, fill: none)\n'
              f'#image(bytes(sys.inputs.svg), format: "svg", height: {height_pt:.3f}pt)\n').encode()
    try:
        png = typst.compile(source, format="png", ppi=ppi, sys_inputs={"svg": svg.decode("utf-8")})
    except Exception as exc:  # typst.TypstError and friends: the drawing is not one typst can read
        raise EmblemInvalid("วาดตราครุฑจากไฟล์ SVG ไม่ได้") from exc
    if isinstance(png, list):
        png = png[0]
    check_png(png)
    return png


# --- using it --------------------------------------------------------------------------------------

def apply(document: Document, png: bytes | None) -> Document:
    """Every Letterhead of the document gets the emblem at its position's height (nothing when
    `png` is None). Returns the document."""
    if not png:
        return document
    for block in document.iter_blocks():
        if isinstance(block, Letterhead):
            block.emblem = Image(png=png, height=HEIGHT_CM[block.position], align="left" if block.position == "left"
                                 else "center", alt="ตราครุฑ")
    return document


def for_agency(agency) -> bytes | None:
    """The stored emblem PNG of an Agency, or None (none uploaded, or the file is gone/unusable)."""
    field = getattr(agency, "emblem", None)
    if not field or not field.name:
        return None
    try:
        with field.storage.open(field.name, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
        check_png(data)
        return data
    except (OSError, EmblemInvalid) as exc:
        log.warning("agency %s: emblem %s unusable: %s", getattr(agency, "slug", "?"), field.name, exc)
        return None


def for_slug(slug: str | None) -> bytes | None:
    """The emblem of the agency with this slug when the database has one; None when there is no such
    agency or no database to ask (a year file rendered on its own)."""
    if not slug:
        return None
    try:
        from prongsai.agencies.models import Agency

        agency = Agency.objects.filter(slug=slug).only("slug", "emblem").first()
    except Exception:  # no database configured/migrated, or access refused (tests without db)
        return None
    return for_agency(agency) if agency is not None else None


# --- uploading it --------------------------------------------------------------------------------

def save_for_agency(*, agency, actor, data: bytes | None) -> bool:
    """Store (PNG after `prepare`) or, with data None, remove the agency's emblem, audited.
    EmblemInvalid for an unusable upload; True when something changed."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.db import transaction

    from prongsai.agencies.models import Agency
    from prongsai.audit import services as audit

    png = prepare(data) if data is not None else None
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        old = locked.emblem.name or ""
        if png is None and not old:
            return False
        if png is not None:
            digest = hashlib.sha256(png).hexdigest()
            locked.emblem.save(f"{locked.slug}-{digest[:12]}.png", ContentFile(png), save=False)
        else:
            locked.emblem = ""
        locked.save(update_fields=["emblem"])
        audit.record(actor=actor, action="agencies.agency.emblem", obj=locked,
                     changes={"emblem": [old or None, locked.emblem.name or None]})
    if old and old != (locked.emblem.name or ""):
        transaction.on_commit(lambda: locked.emblem.storage.delete(old))
    agency.emblem = locked.emblem
    return True
