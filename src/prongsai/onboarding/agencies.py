"""Onboarding many agencies from one table (`prongsai import_agencies FILE`, and the operator's page).

    plan = read_agencies(fh, name="agencies.xlsx")    every row checked; nothing written
    report = apply(plan, actor=user)                  one transaction: created, updated, refused

Columns (headings in Thai or the English key; compared without spaces and case):

    name ชื่อหน่วยงาน (required) · kind ประเภท (required) · province จังหวัด (required) · district อำเภอ/เขต ·
    code รหัสหน่วยงาน · slug · family กลุ่มการประเมิน · address ที่อยู่ · phone โทรศัพท์ · email อีเมล ·
    website เว็บไซต์

A row is matched to an existing agency by its code, else its slug, else its name in the same
province; matched agencies are updated (only the cells given), the others created. Provinces and
districts must be in the shipped list of Thailand's 77 provinces and their districts
(prongsai.agencies.geography) and are stored in its spelling ("จ.สกลนคร" -> "สกลนคร").

Bad input refuses the row with a Thai message naming its row and column: an unknown province, district,
kind or family, a bad e-mail address or web address, two rows for the same agency (same code, slug, or
name and province), a code that several agencies share. By default one refused row refuses the whole
file and nothing is written; with `partial=True` the good rows are written and the refused ones listed.
Every agency created or updated gets an audit entry, and the import one more, in the same transaction.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from prongsai.agencies import geography
from prongsai.agencies.models import Agency
from prongsai.audit import services as audit
from prongsai.onboarding.tables import Table, TableError, find_table, heading_key, read_cells

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("ชื่อหน่วยงาน", "หน่วยงาน", "ชื่อ", "name"),
    "kind": ("ประเภท", "ประเภทหน่วยงาน", "kind"),
    "province": ("จังหวัด", "province"),
    "district": ("อำเภอ", "อำเภอ/เขต", "เขต", "district"),
    "code": ("รหัสหน่วยงาน", "รหัส", "code"),
    "slug": ("slug", "ชื่อในลิงก์"),
    "family": ("กลุ่มการประเมิน", "family"),
    "address": ("ที่อยู่", "address"),
    "phone": ("โทรศัพท์", "phone"),
    "email": ("อีเมล", "email", "e-mail"),
    "website": ("เว็บไซต์", "website"),
}
HEADINGS = {key: names[0] for key, names in COLUMNS.items()}
REQUIRED = ("name", "kind", "province")
FIELDS = ("name", "kind", "family", "code", "province", "district", "address", "phone", "email", "website")
_BY_HEADING = {heading_key(h): key for key, names in COLUMNS.items() for h in names}

_KIND_WORDS = {
    Agency.Kind.TESSABAN_TAMBON: ("ทต", "ทต.", "เทศบาลตำบล"),
    Agency.Kind.TESSABAN_MUEANG: ("ทม", "ทม.", "เทศบาลเมือง"),
    Agency.Kind.TESSABAN_NAKHON: ("ทน", "ทน.", "เทศบาลนคร"),
    Agency.Kind.SAO: ("อบต", "อบต.", "องค์การบริหารส่วนตำบล"),
    Agency.Kind.PAO: ("อบจ", "อบจ.", "องค์การบริหารส่วนจังหวัด"),
    Agency.Kind.OTHER: ("อื่น", "อื่นๆ", "หน่วยงานอื่น"),
}
_SLUG_PREFIX = {Agency.Kind.TESSABAN_TAMBON: "tessaban", Agency.Kind.TESSABAN_MUEANG: "tessaban-mueang",
                Agency.Kind.TESSABAN_NAKHON: "tessaban-nakhon", Agency.Kind.SAO: "sao", Agency.Kind.PAO: "pao",
                Agency.Kind.OTHER: "agency"}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def _choice_index(choices, extra: dict | None = None) -> dict[str, str]:
    index = {}
    for value, label in choices:
        for word in (value, str(label), str(label).split(" (")[0]):
            index[heading_key(word)] = value
    for value, words in (extra or {}).items():
        for word in words:
            index[heading_key(word)] = value
    return index


def _kinds() -> dict[str, str]:
    return _choice_index(Agency.Kind.choices, _KIND_WORDS)


def _families() -> dict[str, str]:
    return _choice_index(Agency.Family.choices, {Agency.Family.MOPH: ("moit",)})


@dataclass
class Row:
    number: int
    values: dict[str, str]  # the cleaned values of the columns the file has
    agency: Agency | None = None  # the existing agency it updates
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # field: (before, after)
    errors: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.errors:
            return "refused"
        if self.agency is None:
            return "created"
        return "updated" if self.changes else "unchanged"


@dataclass
class Plan:
    source: str
    columns: list[str]
    rows: list[Row]

    def of(self, action: str) -> list[Row]:
        return [r for r in self.rows if r.action == action]

    @property
    def refused(self) -> list[Row]:
        return self.of("refused")

    @property
    def errors(self) -> list[str]:
        return [e for r in self.rows for e in r.errors]

    def counts(self) -> dict[str, int]:
        return {a: len(self.of(a)) for a in ("created", "updated", "unchanged", "refused")}


@dataclass
class Report:
    plan: Plan
    written: bool
    agencies: list[Agency]

    def counts(self) -> dict[str, int]:
        return self.plan.counts()


class ImportRefused(ValueError):
    """The file as a whole cannot be read (no heading row, not a CSV/XLSX...)."""


def _error(row: Row, column: str, message: str) -> None:
    row.errors.append(_("แถวที่ %(row)s คอลัมน์ “%(column)s”: %(message)s")
                      % {"row": row.number, "column": column, "message": message})


def _suggest(text: str, names: list[str]) -> str:
    close = difflib.get_close_matches(geography.normalise(text), [geography.normalise(n) for n in names], n=1,
                                      cutoff=0.6)
    if not close:
        return ""
    original = next(n for n in names if geography.normalise(n) == close[0])
    return _(" (หมายถึง “%(name)s” หรือไม่)") % {"name": original}


def read_agencies(fh, *, name: str) -> Plan:
    """Read and check every row of the table; match rows to existing agencies. Writes nothing."""
    try:
        cells = read_cells(fh, name)
        table = find_table(cells, match=lambda h: _BY_HEADING.get(heading_key(h)),
                           required={k: HEADINGS[k] for k in REQUIRED})
    except TableError as exc:
        raise ImportRefused(str(exc)) from None
    rows = [_clean(table, number, cells) for number, cells in table.rows]
    if not rows:
        raise ImportRefused(_("ไฟล์: ไม่มีแถวข้อมูลใต้แถวหัวตาราง"))
    _check_duplicates(rows, table)
    _match(rows, table)
    return Plan(source=name, columns=[k for k in COLUMNS if k in table.columns], rows=rows)


def _clean(table: Table, number: int, cells: list[str]) -> Row:
    row = Row(number=number, values={})
    heading = table.headings
    kinds, families = _kinds(), _families()
    raw = {key: table.value(cells, key).strip() for key in table.columns}

    name = " ".join(raw.get("name", "").split())
    if not name:
        _error(row, heading["name"], _("ไม่ได้กรอกชื่อหน่วยงาน"))
    elif len(name) > 200:
        _error(row, heading["name"], _("ชื่อยาวเกิน ๒๐๐ ตัวอักษร"))
    row.values["name"] = name

    kind = kinds.get(heading_key(raw.get("kind", "")))
    if kind is None:
        _error(row, heading["kind"], _("ไม่รู้จักประเภท “%(text)s” (ใช้ %(choices)s)") % {
            "text": raw.get("kind", ""), "choices": " / ".join(str(label) for _v, label in Agency.Kind.choices)})
    row.values["kind"] = kind or ""

    if "family" in table.columns:
        family = families.get(heading_key(raw["family"])) if raw["family"] else Agency.Family.GENERAL
        if family is None:
            _error(row, heading["family"], _("ไม่รู้จักกลุ่มการประเมิน “%(text)s” (ใช้ %(choices)s)") % {
                "text": raw["family"], "choices": " / ".join(v for v, _l in Agency.Family.choices)})
        row.values["family"] = family or ""

    province = geography.province(raw.get("province", ""))
    if not raw.get("province"):
        _error(row, heading["province"], _("ไม่ได้กรอกจังหวัด"))
    elif province is None:
        _error(row, heading["province"], _("ไม่พบจังหวัด “%(text)s” ในรายชื่อ ๗๗ จังหวัด%(hint)s") % {
            "text": raw["province"], "hint": _suggest(raw["province"], [p.name for p in geography.provinces()])})
    row.values["province"] = province.name if province else ""

    if "district" in table.columns:
        text = raw["district"]
        district = geography.district(text, province=province.code) if (text and province) else None
        if text and province and district is None:
            _error(row, heading["district"], _("ไม่พบ%(word)s “%(text)s” ใน%(province)s%(hint)s") % {
                "word": province.district_word, "text": text, "province": province.label,
                "hint": _suggest(text, [d.name for d in province.districts])})
        row.values["district"] = district.name if district else ""

    if "code" in table.columns:
        code = raw["code"].replace(" ", "")
        if len(code) > 30:
            _error(row, heading["code"], _("รหัสยาวเกิน ๓๐ ตัวอักษร"))
        row.values["code"] = code
    if "slug" in table.columns:
        slug = raw["slug"].lower()
        if slug and not SLUG.match(slug):
            _error(row, heading["slug"], _("ใช้ตัวอักษร a-z ตัวเลข และ - เท่านั้น (ไม่เกิน ๘๐ ตัว)"))
        row.values["slug"] = slug
    for key in ("address", "phone"):
        if key in table.columns:
            row.values[key] = raw[key]
    if "phone" in table.columns and len(raw["phone"]) > 100:
        _error(row, heading["phone"], _("ยาวเกิน ๑๐๐ ตัวอักษร"))
    if "email" in table.columns:
        email = raw["email"]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                _error(row, heading["email"], _("“%(text)s” ไม่ใช่อีเมลที่ถูกต้อง") % {"text": email})
        row.values["email"] = email
    if "website" in table.columns:
        website = raw["website"]
        if website and not website.startswith(("http://", "https://")):
            website = "https://" + website
        if website:
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                _error(row, heading["website"], _("“%(text)s” ไม่ใช่ที่อยู่เว็บไซต์ที่ถูกต้อง") % {"text": raw["website"]})
        row.values["website"] = website
    if not row.errors:  # what the model itself checks (lengths, choices), named by column
        try:
            Agency(**{k: row.values[k] for k in FIELDS if k in row.values and row.values[k]}).full_clean(
                exclude=["slug"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                for message in messages:
                    _error(row, heading.get(key, key), message)
    return row


def _check_duplicates(rows: list[Row], table: Table) -> None:
    """Two rows for the same agency: the same code, slug, or name in the same province."""
    keys = [("code", lambda r: r.values.get("code")), ("slug", lambda r: r.values.get("slug")),
            ("name", lambda r: (r.values["name"], r.values["province"]) if r.values["name"] else None)]
    for column, key_of in keys:
        if column not in table.columns:
            continue
        first: dict = {}
        for row in rows:
            key = key_of(row)
            if not key:
                continue
            if key in first:
                _error(row, table.headings[column], _("ซ้ำกับแถวที่ %(row)s (หน่วยงานเดียวกันสองแถว)")
                       % {"row": first[key]})
            else:
                first[key] = row.number


def _match(rows: list[Row], table: Table) -> None:
    by_code: dict[str, list[Agency]] = defaultdict(list)
    by_slug: dict[str, Agency] = {}
    by_name: dict[tuple[str, str], list[Agency]] = defaultdict(list)
    for agency in Agency.objects.only(*FIELDS, "slug"):
        if agency.code:
            by_code[agency.code].append(agency)
        by_slug[agency.slug] = agency
        by_name[(agency.name, agency.province)].append(agency)
    claimed: dict[int, int] = {}
    for row in rows:
        if row.errors:
            continue
        agency = None
        code, slug = row.values.get("code"), row.values.get("slug")
        if code and by_code.get(code):
            found = by_code[code]
            if len(found) > 1:
                _error(row, table.headings["code"], _("มีหน่วยงานที่ใช้รหัสนี้ %(n)s แห่ง: %(names)s") % {
                    "n": len(found), "names": ", ".join(a.name for a in found)})
                continue
            agency = found[0]
        elif slug and slug in by_slug:
            agency = by_slug[slug]
        else:
            same = by_name.get((row.values["name"], row.values["province"]), [])
            if len(same) > 1:
                _error(row, table.headings["name"], _("มีหน่วยงานชื่อนี้ใน%(province)s %(n)s แห่ง ระบุรหัสหน่วยงานเพื่อแยก")
                       % {"province": row.values["province"], "n": len(same)})
                continue
            if same and not (code and same[0].code and same[0].code != code):
                agency = same[0]
        if agency is not None:
            if agency.pk in claimed:
                _error(row, table.headings["name"], _("เป็นหน่วยงานเดียวกับแถวที่ %(row)s") % {"row": claimed[agency.pk]})
                continue
            claimed[agency.pk] = row.number
            row.agency = agency
            for key in FIELDS:
                if key in row.values and str(getattr(agency, key) or "") != row.values[key]:
                    row.changes[key] = (str(getattr(agency, key) or ""), row.values[key])
            if slug and slug != agency.slug:
                _error(row, table.headings["slug"], _("หน่วยงานนี้ใช้ slug “%(slug)s” อยู่แล้ว (เปลี่ยน slug ไม่ได้)")
                       % {"slug": agency.slug})
        elif slug and slug in by_slug:
            _error(row, table.headings["slug"], _("slug นี้เป็นของ %(name)s") % {"name": by_slug[slug].name})


def _new_slug(row: Row, taken: set[str]) -> str:
    """The slug given in the file, else <kind>-<code> (sao-6470102), else <kind>-<province code>-<n>."""
    if row.values.get("slug"):
        taken.add(row.values["slug"])
        return row.values["slug"]
    prefix = _SLUG_PREFIX.get(row.values["kind"], "agency")
    code = re.sub(r"[^a-z0-9]+", "-", row.values.get("code", "").lower()).strip("-")
    if code:
        base, candidates = f"{prefix}-{code}"[:76], [f"{prefix}-{code}"[:76]]
    else:
        province = geography.province(row.values["province"])
        base, candidates = f"{prefix}-{province.code if province else 'x'}", []
    n = 0
    while not candidates or candidates[-1] in taken:
        n += 1
        candidates.append(f"{base}-{n}")
    taken.add(candidates[-1])
    return candidates[-1]


def apply(plan: Plan, *, actor, partial: bool = False) -> Report:
    """Write the plan in one transaction. Refused rows stop everything unless `partial`."""
    if plan.of("refused") and not partial:
        return Report(plan=plan, written=False, agencies=[])
    created, updated = plan.of("created"), plan.of("updated")
    out: list[Agency] = []
    with transaction.atomic():
        taken = set(Agency.objects.values_list("slug", flat=True))
        new = []
        for row in created:
            values = {k: row.values[k] for k in FIELDS if k in row.values}
            new.append(Agency(slug=_new_slug(row, taken), **values))
        Agency.objects.bulk_create(new, batch_size=500)
        if new and new[0].pk is None:  # databases that return no ids from bulk_create
            ids = dict(Agency.objects.filter(slug__in=[a.slug for a in new]).values_list("slug", "pk"))
            for agency in new:
                agency.pk = ids[agency.slug]
        for agency in new:
            audit.record(actor=actor, action="agencies.agency.created", obj=agency, agency=agency,
                         changes={k: [None, getattr(agency, k)] for k in ("slug", *FIELDS) if getattr(agency, k)})
        out.extend(new)
        changed = []
        for row in updated:
            agency = row.agency
            for key, (_before, after) in row.changes.items():
                setattr(agency, key, after)
            changed.append(agency)
            audit.record(actor=actor, action="agencies.agency.updated", obj=agency, agency=agency,
                         changes={k: [b, a] for k, (b, a) in row.changes.items()})
        if changed:
            Agency.objects.bulk_update(changed, list(FIELDS), batch_size=500)
        out.extend(changed)
        audit.record(actor=actor, action="onboarding.agencies.imported", obj=None,
                     object_repr=plan.source[:300], changes={k: [None, v] for k, v in plan.counts().items()})
    return Report(plan=plan, written=True, agencies=out)
