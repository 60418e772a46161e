"""prongsai publish_static [--agency SLUG]: rewrite the static copy of the public site."""

from django.core.management.base import BaseCommand, CommandError

from prongsai.agencies.models import Agency
from prongsai.portal import static
from prongsai.portal.conf import public_dir


class Command(BaseCommand):
    help = "เขียนหน้าเว็บไซต์สาธารณะและเอกสารที่เผยแพร่เป็นไฟล์ static ใหม่ (ทุกหน่วยงาน หรือเฉพาะ --agency)"

    def add_arguments(self, parser):
        parser.add_argument("--agency", metavar="SLUG", help="เฉพาะหน่วยงานนี้")

    def handle(self, *args, agency=None, **options):
        if agency:
            found = Agency.objects.filter(slug=agency).first()
            if found is None:
                raise CommandError(f"ไม่พบหน่วยงาน {agency}")
            results = {found.slug: static.write_agency(found)}
        else:
            results = static.write_all()
        for slug, written in results.items():
            self.stdout.write(f"{slug}: {written.pages} pages, {written.files} new files")
            for path in written.skipped:
                self.stderr.write(f"  skipped (not 200): {path}")
        self.stdout.write(f"written to {public_dir()}")
