"""settings.py reads everything that differs between installs from the environment.

Each case imports the settings in a fresh Python process, since a process loads its settings once."""

import json
import os
import stat
import subprocess
import sys

import pytest

PRINT_SETTINGS = """
import json
from prongsai import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "data_dir": str(s.DATA_DIR),
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""), "port": db.get("PORT", ""),
    "user": db.get("USER", ""), "secret_key": s.SECRET_KEY, "debug": s.DEBUG,
    "allowed_hosts": s.ALLOWED_HOSTS, "font_dir": str(s.PRONGSAI_FONT_DIR),
}))
"""

OWN_VARIABLES = ("DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "ALLOWED_HOSTS", "PRONGSAI_FONT_DIR")


def load_settings(data_dir, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}
    environment["PRONGSAI_DATA_DIR"] = str(data_dir)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], env=environment, capture_output=True, text=True, timeout=60
    )


def settings_for(data_dir, **env) -> dict:
    result = load_settings(data_dir, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_defaults_to_sqlite_inside_the_data_dir(tmp_path):
    data_dir = tmp_path / "new" / "data"
    s = settings_for(data_dir)
    assert data_dir.is_dir()
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(data_dir / "prongsai.sqlite3")
    assert s["font_dir"] == str(data_dir / "fonts")
    assert s["debug"] is False
    assert "127.0.0.1" in s["allowed_hosts"] and "localhost" in s["allowed_hosts"]


def test_it_reads_database_url(tmp_path):
    s = settings_for(tmp_path, DATABASE_URL="postgres://ita:secret@db.example:5433/prongsai")
    assert s["engine"] == "django.db.backends.postgresql"
    assert (s["host"], s["port"], s["name"], s["user"]) == ("db.example", 5433, "prongsai", "ita")


def test_it_generates_the_secret_key_once_readable_only_by_its_owner(tmp_path):
    first = settings_for(tmp_path)["secret_key"]
    second = settings_for(tmp_path)["secret_key"]
    assert first == second and len(first) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_it_takes_the_secret_key_from_the_environment_or_a_file(tmp_path):
    assert settings_for(tmp_path, SECRET_KEY="from-env")["secret_key"] == "from-env"
    key_file = tmp_path / "key.txt"
    key_file.write_text("from-file\n")
    assert settings_for(tmp_path, SECRET_KEY_FILE=str(key_file))["secret_key"] == "from-file"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False)])
def test_it_reads_debug_as_yes_or_no(tmp_path, raw, expected):
    assert settings_for(tmp_path, DEBUG=raw)["debug"] is expected


def test_it_refuses_a_debug_value_that_is_not_yes_or_no(tmp_path):
    result = load_settings(tmp_path, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a yes/no value" in result.stderr


def test_it_splits_allowed_hosts(tmp_path):
    s = settings_for(tmp_path, ALLOWED_HOSTS="ita.example.go.th, www.ita.example.go.th,")
    assert s["allowed_hosts"] == ["ita.example.go.th", "www.ita.example.go.th"]
