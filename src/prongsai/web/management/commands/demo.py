"""`prongsai demo`: the demo data that `make run` loads.

Imports every example year file (examples/*.yaml) through the year-file importer, then makes sure the
demo users exist: "demo" (ผู้จัดทำ, role planner), "approver1".."approver3" (ผู้บังคับบัญชา, role
approver), "admin" (ผู้ดูแลระบบของหน่วยงาน, role admin: members and agency settings), "viewer"
(ผู้อ่านอย่างเดียว, role viewer) and "officer" (เจ้าหน้าที่รับเรื่องร้องเรียน, role complaint_officer: the
only one who reads and handles corruption complaints), each a member of every demo agency, and "oversight"
(provincial oversight: a province scope per demo agency's province, read only, /oversight/). Nobody is a superuser. The password is
PRONGSAI_DEMO_PASSWORD, or "prongsai-demo" when unset; a demo user whose password differs is given it
again, so the logins printed at the end always work.

So that the approval chain works in the browser straight away, in each demo agency:
- "demo" is linked (Membership.person) to the person who prepared the example's first round memo (its
  first preparer, e.g. นางสาวปราณี จันทไชย), and approver1..3 to that memo's first three approvers, in
  order: the memo prints their names and positions, as the example's people;
- the agency's default approval chain is approver1, approver2, approver3, so a planner drafts and sends
  a memo without choosing anyone.

So that the public portal and its OIT page have something to show, the round report named in
PUBLISHED_DEMO (the FICTIONAL example's, never the real municipality's) is sent along the default chain,
signed by approver1..3 with the comments in DEMO_COMMENTS, frozen, published, and the OIT items Prongsai
produces are filled in, once: only while that memo is still a draft with no frozen version. The real
municipality's memo is left as a draft for you to walk through the chain in the browser.

Safe to run again, and it never overwrites what users did between runs: a year file is imported only
when its agency-year is not in the database yet ("already present, kept" otherwise); users and
memberships are only created when missing; a membership keeps the person it is linked to, and an agency
keeps a default chain it already has.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from prongsai.agencies import policy
from prongsai.agencies.models import Agency, Membership, Person
from prongsai.measures.models import YearPlan

DEFAULT_PASSWORD = "prongsai-demo"
PASSWORD_ENV = "PRONGSAI_DEMO_PASSWORD"
# The examples/ folder of the source tree (src/prongsai/web/management/commands/demo.py -> repo root).
EXAMPLES_DIR = Path(__file__).resolve().parents[5] / "examples"

PLANNER = ("demo", "ผู้ใช้", "สาธิต (ผู้จัดทำ)")
APPROVERS = [(f"approver{n}", "ผู้บังคับบัญชา", f"สาธิต {n}") for n in (1, 2, 3)]
# Other demo users: (username, first name, last name, role).
OTHERS = [
    ("admin", "ผู้ดูแลระบบ", "สาธิต", Membership.Role.ADMIN),
    ("viewer", "ผู้อ่าน", "สาธิต", Membership.Role.VIEWER),
    ("officer", "เจ้าหน้าที่รับเรื่องร้องเรียน", "สาธิต", Membership.Role.COMPLAINT_OFFICER),
]


# What each demo user is, as printed at the end.
LOGINS = [
    ("demo", "ผู้จัดทำ (planner): records results, drafts and sends the round memo"),
    *((f"approver{n}", f"ผู้บังคับบัญชา (approver) no. {n} of the default chain: comments and signs")
      for n in (1, 2, 3)),
    ("admin", "ผู้ดูแลระบบของหน่วยงาน (agency admin): members, settings, default chain"),
    ("viewer", "ผู้อ่านอย่างเดียว (read only)"),
    ("officer", "เจ้าหน้าที่รับเรื่องร้องเรียน (complaint officer): reads and handles corruption complaints"),
    ("catalogue", "ผู้ดูแลเกณฑ์ ITA ของระบบ (catalogue editor): exports and imports the ITA catalogues at /catalogues/"),
    ("oversight", "ผู้กำกับติดตามระดับจังหวัด (provincial oversight, read only): the roll-up at /oversight/"),
]
# The provincial oversight user: one province scope per province of the demo agencies (prongsai.oversight).
OVERSEER = ("oversight", "ผู้กำกับติดตาม", "ระดับจังหวัด (สาธิต)")
# A demo agency of another assessment family (OVEC colleges): it uses its family's catalogue where one
# exists, else the general one (docs/framework.md).
OTHER_FAMILY = {"slug": "witthayalai-nong-bua-ngoen", "name": "วิทยาลัยการอาชีพหนองบัวเงิน (ข้อมูลสมมติ)",
                "family": "ovec", "kind": "other", "province": "สกลนคร", "district": "ดอนแก้วทอง",
                "executive_title": "ผู้อำนวยการวิทยาลัยการอาชีพหนองบัวเงิน", "digits": "thai"}

# agency slug -> round whose report the demo approves and publishes (fictional agencies only).
PUBLISHED_DEMO = {"sao-nong-bua-ngoen": 12}
DEMO_COMMENTS = ["ทราบ เห็นควรเสนอนายกฯ (ข้อมูลสาธิต)", "ทราบ เห็นชอบ (ข้อมูลสาธิต)", "ทราบ อนุมัติให้เผยแพร่ (ข้อมูลสาธิต)"]
PUBLIC_BASE_URL = os.environ.get("PRONGSAI_PUBLIC_URL") or "http://127.0.0.1:8000"


def demo_password() -> str:
    return os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def year_files(paths: list[Path]) -> list[Path]:
    """The year files named, with each folder standing for its *.yaml files (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob("*.yaml")))
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"{path}: no such file or folder")
    return found


def ensure_user(*, username: str, first_name: str, last_name: str, password: str):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def ensure_member(*, user, agency: Agency, role: str, person: Person | None = None) -> bool:
    """The membership, created when missing; linked to `person` only when it has no person yet."""
    membership, created = Membership.objects.get_or_create(
        user=user, agency=agency, role=role, defaults={"person": person}
    )
    if not created and membership.person_id is None and person is not None:
        membership.person = person
        membership.save(update_fields=["person"])
    return created


def memo_people(data: dict) -> tuple[str | None, list[str]]:
    """The names of the first round memo's first preparer and of its approvers, from a year file."""
    for report in data.get("reports") or []:
        memo = report.get("memo") or {}
        preparers = [p["name"] for p in memo.get("preparers") or []]
        approvers = [a["name"] for a in memo.get("approvers") or []]
        if preparers or approvers:
            return (preparers[0] if preparers else None), approvers
    return None, []


def person_named(agency: Agency, name: str | None) -> Person | None:
    return Person.objects.filter(agency=agency, name=name).first() if name else None


class Command(BaseCommand):
    help = (
        "Load the demo data: import examples/*.yaml (each agency-year only when not yet in the database) and "
        "create the demo users (demo, approver1-3, admin, viewer, officer) as members of every demo agency, linked to the "
        "examples' people, with approver1-3 as each agency's default approval chain. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help=f"year files or folders of *.yaml files (default: {EXAMPLES_DIR})",
        )

    def handle(self, *args, paths: list[Path], **options):
        # Imported here: the year-file app loads the framework catalogue, which `prongsai help` need not.
        from prongsai.yearfile.loader import YearFileInvalid, load_valid_year_file
        from prongsai.yearfile.services import import_year

        files = year_files(paths or [EXAMPLES_DIR])
        if not files:
            raise CommandError(f"no year files (*.yaml) in {', '.join(str(p) for p in paths or [EXAMPLES_DIR])}")
        password = demo_password()

        with transaction.atomic():
            agencies: dict[str, Agency] = {}
            people: dict[str, tuple[str | None, list[str]]] = {}
            for path in files:
                try:
                    data = load_valid_year_file(path)
                except YearFileInvalid as exc:
                    raise CommandError(f"{path} is not a valid year file:\n{exc}") from exc
                slug, year = data["agency"]["slug"], data["fiscal_year"]
                if YearPlan.objects.filter(agency__slug=slug, fiscal_year=year).exists():
                    state = "already present, kept"
                else:
                    try:
                        import_year(data=data, base_dir=path.parent)
                    except YearFileInvalid as exc:
                        raise CommandError(f"{path} is not a valid year file:\n{exc}") from exc
                    state = "imported"
                agency = Agency.objects.get(slug=slug)
                agencies[slug] = agency
                people.setdefault(slug, memo_people(data))
                self.stdout.write(f"{path.name}: {agency.name}, ปีงบประมาณ {year}: {state}")

            college, _created = Agency.objects.get_or_create(
                slug=OTHER_FAMILY["slug"], defaults={k: v for k, v in OTHER_FAMILY.items() if k != "slug"})
            agencies[college.slug] = college
            people.setdefault(college.slug, (None, []))

            new_members = 0
            username, first, last = PLANNER
            planner = ensure_user(username=username, first_name=first, last_name=last, password=password)
            approvers = [ensure_user(username=username, first_name=first, last_name=last, password=password)
                         for username, first, last in APPROVERS]
            others = {role: ensure_user(username=username, first_name=first, last_name=last, password=password)
                      for username, first, last, role in OTHERS}
            for slug, agency in agencies.items():
                preparer_name, approver_names = people[slug]
                new_members += ensure_member(user=planner, agency=agency, role=Membership.Role.PLANNER,
                                             person=person_named(agency, preparer_name))
                for n, approver in enumerate(approvers):
                    name = approver_names[n] if n < len(approver_names) else None
                    new_members += ensure_member(user=approver, agency=agency, role=Membership.Role.APPROVER,
                                                 person=person_named(agency, name))
                for role, other in others.items():
                    new_members += ensure_member(user=other, agency=agency, role=role)
                self._default_chain(agency, approvers, by=others[Membership.Role.ADMIN])
                if slug in PUBLISHED_DEMO:
                    self._publish(agency, PUBLISHED_DEMO[slug], planner=planner, approvers=approvers,
                                  admin=others[Membership.Role.ADMIN])

            self._catalogue_editor(password)
            username, first, last = OVERSEER
            self._oversight(ensure_user(username=username, first_name=first, last_name=last, password=password),
                            agencies.values())

        self.stdout.write(
            f"Demo agencies: {len(agencies)}; {new_members} memberships added. "
            f"Every demo user is a member of every demo agency; password: {password}"
        )
        width = max(len(name) for name, *_ in LOGINS)
        for name, role in LOGINS:
            self.stdout.write(f"  {name.ljust(width)}  {role}")
        self.stdout.write(self.style.SUCCESS(f"Demo login: user demo, password {password}"))

    def _catalogue_editor(self, password: str) -> None:
        """The install-level catalogue editor: a user with framework.change_catalogue, not a superuser."""
        from django.contrib.auth.models import Permission

        user = ensure_user(username="catalogue", first_name="ผู้ดูแล", last_name="เกณฑ์ ITA", password=password)
        user.user_permissions.add(Permission.objects.get(codename="change_catalogue", content_type__app_label="framework"))

    def _oversight(self, user, agencies) -> None:
        """The oversight user oversees each demo agency's province (a scope per province, made once)."""
        from prongsai.agencies import geography
        from prongsai.oversight.models import OversightMember, OversightScope

        for name in sorted({a.province for a in agencies if geography.province(a.province)}):
            province = geography.province(name).name
            scope = OversightScope.objects.filter(level=OversightScope.Level.PROVINCE, province=province).first()
            if scope is None:
                scope = OversightScope.objects.create(
                    level=OversightScope.Level.PROVINCE, province=province,
                    name=f"สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{province} (สาธิต)")
            OversightMember.objects.get_or_create(scope=scope, user=user)

    def _default_chain(self, agency: Agency, approvers: list, *, by) -> None:
        """approver1..3 as the agency's default chain, unless the agency has one already."""
        from prongsai.memos.models import AgencyChainStep
        from prongsai.memos.services import ApproverChoice, MemoError, set_default_chain

        if AgencyChainStep.objects.filter(agency=agency).exists():
            return
        policy.forget(by)
        try:
            set_default_chain(agency=agency, by=by, steps=[ApproverChoice(user=user) for user in approvers])
        except MemoError as exc:  # e.g. an approver without a linked person: the chain would need positions
            self.stderr.write(f"{agency.name}: no default approval chain set ({exc})")

    def _publish(self, agency: Agency, round: int, *, planner, approvers: list, admin) -> None:
        """Carry the agency's newest year's round memo through the chain and publish it, once."""
        from prongsai.memos import services as memos
        from prongsai.memos.models import Memo
        from prongsai.oit.services import autofill
        from prongsai.portal.services import publish_report

        memo = (Memo.objects.filter(plan__agency=agency, round=round).select_related("plan")
                .order_by("-plan__fiscal_year").first())
        if memo is None or memo.status != Memo.Status.DRAFT or memo.versions.exists():
            return
        for user in (planner, admin, *approvers):
            policy.forget(user)
        preparers = [memos.SignerSpec(name=s.name, position=s.position, rank=s.rank) for s in memo.preparers()]
        memo = memos.update_memo(
            memo=memo, by=planner, date=memo.date, subject=memo.subject, addressee=memo.addressee, body=memo.body,
            preparers=preparers, approvers=memos.default_chain(agency), preface_date=memo.preface_date,
            report_preparer_name=memo.report_preparer_name,
            report_preparer_position=memo.report_preparer_position,
        )
        memos.send_memo(memo=memo, by=planner)
        for approver, comment in zip(approvers, DEMO_COMMENTS):
            memos.sign_memo(memo=Memo.objects.get(pk=memo.pk), by=approver, comment=comment)
        memo.refresh_from_db()
        publish_report(memo=memo, by=admin)
        autofill(actor=admin, agency=agency, fiscal_year=memo.plan.fiscal_year, base_url=PUBLIC_BASE_URL)
        self.stdout.write(f"{agency.name}: รายงานรอบ {round} เดือน ปีงบประมาณ {memo.plan.fiscal_year} "
                          "signed by approver1-3 (demo comments) and published on the public portal")
