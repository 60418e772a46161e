"""What changes between two catalogues, in words an operator checks before an import applies."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    part: str  # "OIT", "indicator", "weights", ...
    key: str  # "O12", "3", "pass_mark"
    before: str = ""
    after: str = ""

    def __str__(self) -> str:
        sign = {"added": "+", "removed": "-", "changed": "~"}[self.kind]
        if self.kind == "changed":
            return f"{sign} {self.part} {self.key}: {self.before} → {self.after}"
        return f"{sign} {self.part} {self.key}: {self.after or self.before}"


ITEM_FIELDS = ("title_th", "group", "sub_indicator", "indicator", "detail_th", "produces", "previous")


def compare(old: dict | None, new: dict) -> list[Change]:
    """Changes from `old` (None: nothing yet) to `new`, meta first, then indicators, bands, OIT items."""
    if old is None:
        items = (new.get("oit_items") or {}).get("items", [])
        return [Change("added", _("เกณฑ์"), str(new.get("year")),
                       after=_("ใหม่ทั้งชุด: %(n)s ตัวชี้วัด, %(m)s ข้อ OIT") % {
                           "n": len(new["indicators"]["items"]), "m": len(items)})]
    changes: list[Change] = []
    for key, label in (("family", _("กลุ่ม")), ("status", _("สถานะ"))):
        if old.get(key, "") != new.get(key, ""):
            changes.append(Change("changed", label, key, str(old.get(key, "")), str(new.get(key, ""))))
    for name in ("IIT", "EIT", "OIT"):
        before, after = old["weights"].get(name), new["weights"].get(name)
        if _num(before) != _num(after):
            changes.append(Change("changed", _("น้ำหนัก"), name, _num(before), _num(after)))
    if _num(old["pass_mark"].get("value")) != _num(new["pass_mark"].get("value")):
        changes.append(Change("changed", _("เกณฑ์ผ่าน"), "pass_mark", _num(old["pass_mark"]["value"]),
                              _num(new["pass_mark"]["value"])))
    changes += _by_key(_("ตัวชี้วัด"), old["indicators"]["items"], new["indicators"]["items"], "no",
                       ("name_th", "instrument"))
    changes += _by_key(_("ระดับ"), old["rating"]["bands"], new["rating"]["bands"], "label", ("min", "max"))
    changes += _by_key("OIT", (old.get("oit_items") or {}).get("items", []),
                       (new.get("oit_items") or {}).get("items", []), "code", ITEM_FIELDS)
    return changes


def _num(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return text[:-2] if text.endswith(".0") else text


def _show(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return _num(value) if isinstance(value, (int, float)) or not isinstance(value, str) else value


def _by_key(part: str, old: list, new: list, key: str, fields: tuple[str, ...]) -> list[Change]:
    before = {str(item.get(key)): item for item in old}
    after = {str(item.get(key)): item for item in new}
    changes = []
    for code, item in after.items():
        if code not in before:
            changes.append(Change("added", part, code, after=_show(item.get(fields[0]))))
            continue
        for name in fields:
            a, b = before[code].get(name), item.get(name)
            if _show(a) != _show(b):
                changes.append(Change("changed", part, f"{code}.{name}", _show(a), _show(b)))
    for code, item in before.items():
        if code not in after:
            changes.append(Change("removed", part, code, before=_show(item.get(fields[0]))))
    return changes
