"""`prongsai framework list|export|import|diff`: the ITA catalogues of this install (docs/framework.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prongsai.framework import services
from prongsai.framework.models import Catalogue

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".xlsx": "xlsx"}


class Command(BaseCommand):
    help = "List, export, import or compare the ITA catalogues (YAML or XLSX)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every catalogue version: year, family, version, status, origin")
        export = sub.add_parser("export", help="write a catalogue as YAML or XLSX (by the -o file's extension)")
        export.add_argument("year", type=int)
        export.add_argument("--family", default="general")
        export.add_argument("--version", type=int, dest="catalogue_version", help="default: the current one")
        export.add_argument("-o", "--output", type=Path, required=True)
        for name, text in (("import", "store a catalogue file as the next version of its year and family"),
                           ("diff", "show what importing the file would change; writes nothing")):
            command = sub.add_parser(name, help=text)
            command.add_argument("file", type=Path)
            command.add_argument("--year", type=int, help="import as this year (default: the file's `year`)")
            command.add_argument("--status", choices=[s for s, _label in Catalogue.Status.choices])
            if name == "import":
                command.add_argument("--dry-run", action="store_true", help="show the difference, write nothing")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except services.CatalogueError as exc:
            raise CommandError(str(exc)) from None

    def _list(self, **_options):
        rows = Catalogue.objects.order_by("fiscal_year", "family", "version")
        self.stdout.write(f"{'year':<6}{'family':<9}{'ver':<5}{'status':<13}{'origin':<10}{'items':>6}  sha256")
        for row in rows:
            items = len((row.data.get("oit_items") or {}).get("items", []))
            self.stdout.write(f"{row.fiscal_year:<6}{row.family:<9}{row.version:<5}{row.status:<13}"
                              f"{row.origin:<10}{items:>6}  {row.sha256[:12]}")

    def _export(self, *, year, family, catalogue_version, output: Path, **_options):
        fmt = FORMATS.get(output.suffix.lower())
        if fmt is None:
            raise CommandError(f"{output}: the file name must end in .yaml, .yml or .xlsx")
        row = services.find(year, family, catalogue_version)
        output.write_bytes(services.export(row, fmt))
        self.stdout.write(f"exported {row.label} to {output}")

    def _read(self, file: Path) -> bytes:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        return file.read_bytes()

    def _show(self, proposal):
        target = proposal.against.label if proposal.against else "nothing"
        self.stdout.write(f"ITA {proposal.year} {proposal.family} (status {proposal.status}) against {target}:")
        if proposal.identical:
            self.stdout.write("  no change: the file equals the current version")
        for change in proposal.changes:
            self.stdout.write(f"  {change}")
        if not proposal.changes and not proposal.identical:
            self.stdout.write("  no change in indicators, weights, bands or OIT items (notes or sources differ)")

    def _diff(self, *, file: Path, year=None, status=None, **_options):
        proposal = services.propose(services.read_file(file.name, self._read(file)), name=file.name, year=year,
                                    status=status)
        self._show(proposal)

    def _import(self, *, file: Path, year=None, status=None, dry_run=False, **_options):
        proposal, row = services.import_file(file.name, self._read(file), actor="prongsai framework import",
                                             year=year, status=status, dry_run=dry_run)
        self._show(proposal)
        if dry_run:
            self.stdout.write("dry run: nothing written")
        elif row is None:
            self.stdout.write("nothing imported: identical to the current version")
        else:
            self.stdout.write(self.style.SUCCESS(f"imported as {row.label}"))
