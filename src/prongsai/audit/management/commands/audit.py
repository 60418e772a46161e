from django.core.management.base import BaseCommand, CommandError

from prongsai.audit import services
from prongsai.audit.models import AuditEntry


class Command(BaseCommand):
    help = "Audit trail tools: `prongsai audit verify` checks the hash chain (exit 1 when broken)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        problems = services.verify()
        count = AuditEntry.objects.count()
        if problems:
            for problem in problems:
                self.stderr.write(problem.message)
            raise CommandError(f"audit chain broken: {len(problems)} problem(s) in {count} entries")
        self.stdout.write(f"ok: {count} audit entries, chain intact")
