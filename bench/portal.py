"""Published portal pages: requests per second from the app (gunicorn) against nginx serving the static
copy of the same pages, on this machine.

    .venv/bin/python bench/portal.py [--seconds 10] [--connections 32] [--workers 3] [--rounds 2] [--keep]

Makes its own data directory, imports examples/tessaban-rae-2563.yaml with the demo users (`prongsai
demo`), sends its round-6 memo along the default chain and signs it (the report is frozen), publishes it
(`portal.services.publish_report`), fills the OIT items Prongsai produces, and writes the static copy
(`prongsai publish_static`). Then it starts gunicorn (as `make run` does) and nginx (a generated
nginx.conf in a temporary folder, foreground, `root` on the static copy) each on a free localhost port,
checks that both answer 200 with the same page for every path, and loads each in turn with the same
mix of published pages (agency home, results, measures, reports, the round report, the OIT page and an
OIT item): `wrk` (Debian package wrk) when installed, else threads with keep-alive connections. Each
load is bounded in time (--seconds) and, for the threads, in count (--max-requests). Loopback only;
both servers are stopped at the end. The last line is `ratio: <app rps / nginx rps>`.

If nginx is not installed it says how to install it and exits with status 2.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "tessaban-rae-2563.yaml"
SLUG, YEAR, ROUND = "tessaban-rae", 2563, 6
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
WRK = shutil.which("wrk")

NGINX_CONF = """\
worker_processes {workers};
daemon off;
master_process on;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""

WRK_SCRIPT = """\
paths = {{{paths}}}
counter = 0
request = function()
    counter = counter % #paths + 1
    return wrk.format("GET", paths[counter])
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_until_up(name: str, port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"{name} exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{name} did not come up in time")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def prepare(data_dir: Path) -> list[str]:
    """The published year in a fresh data directory; returns the paths to load."""
    os.environ["PRONGSAI_DATA_DIR"] = str(data_dir)
    os.environ["PRONGSAI_PUBLIC_DIR"] = str(data_dir / "public")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    os.environ["PYTHAINLP_READ_ONLY"] = "1"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from prongsai.agencies.models import Agency
    from prongsai.memos import services as memos
    from prongsai.memos.models import Memo
    from prongsai.oit import services as oit
    from prongsai.portal import links
    from prongsai.portal import services as portal

    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("migrate", verbosity=0)
    call_command("build_fonts", **quiet)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("demo", str(EXAMPLE), **quiet)
    agency = Agency.objects.get(slug=SLUG)
    users = get_user_model().objects
    planner, admin = users.get(username="demo"), users.get(username="admin")
    memo = Memo.objects.get(plan__agency=agency, plan__fiscal_year=YEAR, round=ROUND)
    preparers = [memos.SignerSpec(name=s.name, position=s.position, rank=s.rank) for s in memo.preparers()]
    memo = memos.update_memo(
        memo=memo, by=planner, date=memo.date, subject=memo.subject, addressee=memo.addressee, body=memo.body,
        preparers=preparers, approvers=memos.default_chain(agency), preface_date=memo.preface_date,
        report_preparer_name=memo.report_preparer_name, report_preparer_position=memo.report_preparer_position,
    )
    memos.send_memo(memo=memo, by=planner)
    for n in (1, 2, 3):
        memos.sign_memo(memo=Memo.objects.get(pk=memo.pk), by=users.get(username=f"approver{n}"), comment="ทราบ")
    memo.refresh_from_db()
    portal.publish_report(memo=memo, by=admin)
    oit.autofill(actor=admin, agency=agency, fiscal_year=YEAR, base_url="http://127.0.0.1:8000")
    out = io.StringIO()
    call_command("publish_static", "--agency", SLUG, stdout=out, stderr=io.StringIO())
    print("publish_static:", " ".join(out.getvalue().split()))
    return [
        links.agency_path(SLUG), links.results_path(SLUG), links.measures_path(SLUG, YEAR),
        links.reports_path(SLUG), links.round_report_path(SLUG, YEAR, ROUND), links.oit_path(SLUG, YEAR),
        links.oit_item_path(SLUG, YEAR, "O43"),
    ]


def load_with_wrk(port: int, paths: list[str], seconds: int, connections: int, tmp: Path) -> dict:
    script = tmp / "paths.lua"
    script.write_text(WRK_SCRIPT.format(paths=", ".join(f'"{p}"' for p in paths)))
    threads = min(2, connections)
    result = subprocess.run(
        [WRK, "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "-s", str(script),
         f"http://127.0.0.1:{port}"], capture_output=True, text=True, timeout=seconds + 60, check=True)
    text = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    total = int(re.search(r"(\d+) requests in", text).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    latency = re.search(r"Latency\s+(\S+)", text).group(1)
    return {"rps": rps, "requests": total, "bad": int(bad.group(1)) if bad else 0,
            "errors": errors.group(1) if errors else "", "latency": f"mean {latency}"}


def load_with_threads(port: int, paths: list[str], seconds: int, connections: int, max_requests: int) -> dict:
    lock = threading.Lock()
    state = {"requests": 0, "bad": 0, "errors": 0}
    latencies: list[float] = []
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i, mine = offset, []
        while time.monotonic() < deadline:
            with lock:
                if state["requests"] >= max_requests:
                    break
                state["requests"] += 1
            start = time.perf_counter()
            try:
                conn.request("GET", paths[i % len(paths)])
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    with lock:
                        state["bad"] += 1
            except (OSError, http.client.HTTPException):
                with lock:
                    state["errors"] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            mine.append(time.perf_counter() - start)
            i += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    median = statistics.median(latencies) * 1000 if latencies else 0
    return {"rps": state["requests"] / elapsed, "requests": state["requests"], "bad": state["bad"],
            "errors": str(state["errors"]) if state["errors"] else "", "latency": f"median {median:.1f}ms"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each timed load (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent keep-alive connections")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (make run uses 3)")
    parser.add_argument("--nginx-workers", type=int, default=2, help="nginx worker processes (2 cores here)")
    parser.add_argument("--rounds", type=int, default=2, help="timed loads of each server, alternating")
    parser.add_argument("--max-requests", type=int, default=2_000_000, help="cap per load (threads only)")
    parser.add_argument("--threads", action="store_true", help="use the Python threads even when wrk is there")
    parser.add_argument("--keep", action="store_true", help="keep the data directory afterwards")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 120 or not 1 <= args.connections <= 256 or not 1 <= args.rounds <= 10:
        raise SystemExit("--seconds 1..120, --connections 1..256, --rounds 1..10")
    if NGINX is None:
        print("nginx is not installed. Install Debian's nginx (scripts/install does, with `make test`):\n"
              "  apt-get install -y --no-install-recommends nginx", file=sys.stderr)
        raise SystemExit(2)

    data_dir = Path(tempfile.mkdtemp(prefix="prongsai-bench-portal-"))
    # nginx's workers run as an unprivileged user: they may pass through the data directory (not list
    # it) and read the public copy under it, which is made world-readable as the static site is.
    data_dir.chmod(0o711)
    tmp = data_dir / "nginx"
    tmp.mkdir()
    servers: list[subprocess.Popen] = []
    try:
        paths = prepare(data_dir)
        env = {**os.environ}
        app_port, nginx_port = free_port(), free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        app = subprocess.Popen(
            [str(gunicorn), "prongsai.wsgi:application", "--bind", f"127.0.0.1:{app_port}", "--workers",
             str(args.workers), "--error-logfile", str(data_dir / "gunicorn-error.log"), "--no-control-socket"],
            env=env, cwd=ROOT, start_new_session=True)
        servers.append(app)
        conf = tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(workers=args.nginx_workers, tmp=tmp, port=nginx_port,
                                          root=data_dir / "public"))
        nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp), "-e", str(tmp / "error.log")],
                                 cwd=tmp, start_new_session=True)
        servers.append(nginx)
        wait_until_up("gunicorn", app_port, app)
        wait_until_up("nginx", nginx_port, nginx)

        same = 0
        for path in paths:
            (a_status, a_body), (n_status, n_body) = get(app_port, path), get(nginx_port, path)
            if a_status != 200 or n_status != 200:
                raise SystemExit(f"{path}: app {a_status}, nginx {n_status} (both must be 200)")
            same += a_body == n_body
        sizes = [len(get(nginx_port, p)[1]) for p in paths]
        tool = "wrk" if WRK and not args.threads else "python threads"
        print(f"Pages ({len(paths)}, {sum(sizes) // len(sizes) // 1024} KiB on average; {same} of {len(paths)} "
              f"byte-identical between app and nginx): {' '.join(paths)}")
        print(f"gunicorn: {args.workers} workers on 127.0.0.1:{app_port}; nginx {args.nginx_workers} workers on "
              f"127.0.0.1:{nginx_port}; load: {tool}, {args.connections} connections, {args.seconds} s each, "
              f"{os.cpu_count()} cores shared by the servers and the load")

        def load(port: int, seconds: int) -> dict:
            if tool == "wrk":
                return load_with_wrk(port, paths, seconds, args.connections, tmp)
            return load_with_threads(port, paths, seconds, args.connections, args.max_requests)

        load(app_port, 2), load(nginx_port, 2)  # warm-up
        results: dict[str, list[dict]] = {"app": [], "nginx": []}
        for n in range(args.rounds):
            for name, port in (("app", app_port), ("nginx", nginx_port)):
                r = load(port, args.seconds)
                results[name].append(r)
                print(f"round {n + 1} {name:5}: {r['rps']:10.1f} req/s  {r['requests']:8d} requests  "
                      f"latency {r['latency']}  non-200 {r['bad']}  errors {r['errors'] or 0}")
        for name, runs in results.items():
            if any(r["bad"] for r in runs):
                raise SystemExit(f"{name} answered non-200 responses under load")
        app_rps = statistics.median(r["rps"] for r in results["app"])
        nginx_rps = statistics.median(r["rps"] for r in results["nginx"])
        print(f"app (gunicorn, Django views): {app_rps:.1f} req/s (median of {args.rounds})")
        print(f"nginx (static copy):          {nginx_rps:.1f} req/s (median of {args.rounds})")
        print(f"ratio: {app_rps / nginx_rps:.4f}")
    finally:
        for server in servers:
            stop(server)
        if args.keep:
            print(f"data kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
