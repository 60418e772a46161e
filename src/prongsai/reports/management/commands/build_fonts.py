"""`prongsai build_fonts`: build Sarabun Compat and make fontconfig use it for "TH Sarabun New"."""

from django.core.management.base import BaseCommand, CommandError

from prongsai.reports.fonts import FontsMissing, ensure_fonts, install_fontconfig


class Command(BaseCommand):
    help = (
        "Build the TH Sarabun-compatible font (Sarabun Compat, from Debian's Laksaman) into "
        "PRONGSAI_FONT_DIR, copy it into the user's font directory and alias TH Sarabun New / "
        "TH SarabunPSK / TH SarabunIT๙ to it in fontconfig (for LibreOffice). Safe to re-run."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--no-fontconfig", action="store_true",
                            help="only build the fonts; leave the user's fontconfig alone")

    def handle(self, *args, no_fontconfig=False, **options):
        try:
            fontset = ensure_fonts()
            self.stdout.write(f"fonts: {fontset.directory}")
            for style, path in fontset.ttf.items():
                self.stdout.write(f"  {style}: {path.name}, {fontset.woff2[style].name}")
            self.stdout.write(f"  licence: {fontset.notice}")
            if not no_fontconfig:
                done = install_fontconfig(fontset=fontset)
                self.stdout.write(f"fontconfig fonts: {done.font_dir}")
                self.stdout.write(f"fontconfig alias: {done.conf_file}")
        except FontsMissing as exc:
            raise CommandError(str(exc)) from exc
