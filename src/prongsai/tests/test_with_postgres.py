"""scripts/with-postgres: the throw-away PostgreSQL server that `make test` runs the suite on."""

import glob
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "with-postgres"

pytestmark = pytest.mark.skipif(
    not (glob.glob("/usr/lib/postgresql/*/bin/initdb")),
    reason="PostgreSQL server programs are not installed (apt-get install postgresql-15)",
)

# Connects with DATABASE_URL, proves it can write, then exits with code 7.
CLIENT = """
import os, sys
import psycopg
url = os.environ["DATABASE_URL"]
assert url.startswith("postgres://prongsai:") and "@127.0.0.1:" in url, url
with psycopg.connect(url) as conn:
    conn.execute("create table t (name text)")
    conn.execute("insert into t values ('เทศบาลตำบลแร่')")
    print("read back:", conn.execute("select name from t").fetchone()[0])
    print("server:", conn.execute("show server_version").fetchone()[0])
sys.exit(7)
"""


def test_it_runs_the_command_on_a_fresh_server_and_removes_it_afterwards():
    result = subprocess.run(
        ["bash", str(SCRIPT), sys.executable, "-c", CLIENT], capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 7, result.stdout + result.stderr
    assert "read back: เทศบาลตำบลแร่" in result.stdout
    data_dir = re.search(r"data in (\S+), removed on exit", result.stdout).group(1)
    assert not Path(data_dir).exists()
    port = re.search(r"on 127\.0\.0\.1:(\d+)", result.stdout).group(1)
    # The server is gone too: nothing listens on its port any more.
    probe = subprocess.run(
        [sys.executable, "-c", f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=2)"],
        capture_output=True,
    )
    assert probe.returncode != 0


def test_it_needs_a_command():
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "usage:" in result.stderr
