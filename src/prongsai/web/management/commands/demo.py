"""`prongsai demo`: the demo data that `make run` loads.

Imports every example year file (examples/*.yaml) through the year-file importer, then makes sure the
demo users exist: "demo" (ผู้จัดทำ, role planner), "approver1".."approver3" (ผู้บังคับบัญชา, role
approver), "admin" (ผู้ดูแลระบบของหน่วยงาน, role admin: members and agency settings) and "viewer"
(ผู้อ่านอย่างเดียว, role viewer), each a member of every imported agency. Nobody is a superuser. The password is
PRONGSAI_DEMO_PASSWORD, or "prongsai-demo" when unset; a demo user whose password differs is given it
again, so the login printed at the end always works.

Safe to run again: importing the same file twice changes nothing, and users and memberships are only
created when missing.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from prongsai.agencies.models import Agency, Membership

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
]


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


def ensure_member(*, user, agency: Agency, role: str) -> bool:
    _, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
    return created


class Command(BaseCommand):
    help = (
        "Load the demo data: import examples/*.yaml and create the demo users (demo, approver1-3, admin, viewer) as "
        "members of every imported agency. Safe to run again."
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
            for path in files:
                try:
                    data = load_valid_year_file(path)
                    summary = import_year(data=data, base_dir=path.parent)
                except YearFileInvalid as exc:
                    raise CommandError(f"{path} is not a valid year file:\n{exc}") from exc
                agency = Agency.objects.get(slug=data["agency"]["slug"])
                agencies[agency.slug] = agency
                state = "imported" if summary.changed else "already up to date"
                self.stdout.write(f"{path.name}: {agency.name}, ปีงบประมาณ {data['fiscal_year']}: {state}")

            new_members = 0
            username, first, last = PLANNER
            planner = ensure_user(username=username, first_name=first, last_name=last, password=password)
            for agency in agencies.values():
                new_members += ensure_member(user=planner, agency=agency, role=Membership.Role.PLANNER)
            for username, first, last in APPROVERS:
                approver = ensure_user(username=username, first_name=first, last_name=last, password=password)
                for agency in agencies.values():
                    new_members += ensure_member(user=approver, agency=agency, role=Membership.Role.APPROVER)
            for username, first, last, role in OTHERS:
                other = ensure_user(username=username, first_name=first, last_name=last, password=password)
                for agency in agencies.values():
                    new_members += ensure_member(user=other, agency=agency, role=role)

        self.stdout.write(
            f"Demo users: demo (ผู้จัดทำ), {', '.join(name for name, _, _ in APPROVERS)} (ผู้บังคับบัญชา), "
            f"admin (ผู้ดูแลระบบของหน่วยงาน) and viewer (ผู้อ่านอย่างเดียว), "
            f"members of every imported agency ({len(agencies)}; {new_members} memberships added)"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo login: user demo, password {password}"))
