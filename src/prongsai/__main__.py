"""The `prongsai` command: Django's manage.py for this project, plus our own commands."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and argv[1] == "check-links":  # a command name with a dash (module check_links)
        argv[1] = "check_links"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
