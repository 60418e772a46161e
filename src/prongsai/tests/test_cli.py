"""The `prongsai` command (console script = manage.py) and the commands the docs promise."""

import os
import subprocess
import sys
from pathlib import Path

PRONGSAI = Path(sys.executable).with_name("prongsai")

# The commands docs/setup.md documents; each must exist.
DOCUMENTED = ("validate", "import", "export", "report", "build_fonts", "demo")


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PRONGSAI), *args], capture_output=True, text=True, timeout=120, env={**os.environ, **env}
    )


def test_it_is_installed_as_a_console_script_that_runs_django_checks():
    assert PRONGSAI.exists(), "pip install -e . creates the prongsai script next to python"
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_lists_every_documented_command():
    result = run("help", "--commands")
    assert result.returncode == 0, result.stderr
    commands = set(result.stdout.split())
    assert set(DOCUMENTED) <= commands, f"missing: {sorted(set(DOCUMENTED) - commands)}"


def test_it_runs_as_python_dash_m_prongsai():
    result = subprocess.run(
        [sys.executable, "-m", "prongsai", "help", "demo"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "demo users" in result.stdout
