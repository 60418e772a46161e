"""Complaint intake under load: many citizens submit at once, with attachments; nothing may be lost.

    .venv/bin/python bench/complaints.py [--count 2000] [--concurrency 16] [--workers 3] [--keep]

Makes its own data directory (SQLite, keys, sealed files; or the DATABASE_URL given), migrates it, adds
an agency, starts gunicorn on a free localhost port, and submits --count complaints through the public
form (multipart POST with a PDF attachment each, CSRF token and one-time form token as a browser sends
them) from --concurrency threads. Then it checks that every complaint is stored exactly once, that its
text and attachment decrypt to what was sent, that every receipt code matches its complaint (Argon2id),
that follow-up by code works over HTTP, and that no code or complaint text reached gunicorn's access log.
Prints the submission rate and latencies. Only loopback traffic; stops by itself.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
SLUG = "bench-agency"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pdf(marker: str, padding: int) -> bytes:
    stream = f"BT /F1 12 Tf 50 700 Td ({marker}) Tj ET".encode() + b"\n%" + b"x" * padding
    head = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
    length = f"3 0 obj\n<< /Length {len(stream)} >>\nstream\n".encode()
    return head + length + stream + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def multipart(fields: dict, files: list[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    boundary = "----prongsai" + secrets.token_hex(12)
    out = bytearray()
    for name, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, filename, data, content_type in files:
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n").encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


class Citizen:
    """One client thread's HTTP state: the CSRF cookie and token, got once by opening the form."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""
        self.csrf = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            all_headers = {"Accept-Language": "th", **(headers or {})}
            if self.cookie:
                all_headers["Cookie"] = self.cookie
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            return response.status, response.getheader("Set-Cookie") or "", response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def open_form(self) -> None:
        status, cookie, html = self.request("GET", f"/a/{SLUG}/complaints/")
        assert status == 200, status
        self.cookie = cookie.split(";", 1)[0]
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def submit(self, n: int, attachment: bytes) -> tuple[str, float]:
        if not self.csrf:
            self.open_form()
        fields = {"csrfmiddlewaretoken": self.csrf, "token": secrets.token_hex(16), "category": "procurement",
                  "anonymity": "anonymous", "what": f"BENCH-{n:06d} ผู้รับเหมาได้งานทุกโครงการ",
                  "where": "อาคารสำนักงาน", "who": "กองช่าง"}
        body, content_type = multipart(fields, [("files", f"evidence-{n}.pdf", attachment, "application/pdf")])
        start = time.perf_counter()
        status, _cookie, html = self.request("POST", f"/a/{SLUG}/complaints/", body,
                                             {"Content-Type": content_type, "Referer": f"http://127.0.0.1:{self.port}/"})
        took = time.perf_counter() - start
        if status != 200:
            raise RuntimeError(f"submission {n}: HTTP {status}")
        return re.search(r'id="receipt-code">([\d-]+)<', html).group(1), took

    def follow_up(self, code: str) -> bool:
        if not self.csrf:
            self.open_form()
        body = urlencode({"csrfmiddlewaretoken": self.csrf, "code": code}).encode()
        status, _cookie, html = self.request("POST", f"/a/{SLUG}/complaints/status/", body, {
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/"})
        return status == 200 and "สถานะเรื่องร้องเรียนของท่าน" in html


def wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            Citizen(port).open_form()
            return
        except (OSError, AssertionError, AttributeError):
            time.sleep(0.3)
    raise SystemExit("gunicorn did not come up in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (make run uses 3)")
    parser.add_argument("--attachment-kb", type=int, default=64)
    parser.add_argument("--keep", action="store_true", help="keep the data directory afterwards")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="prongsai-bench-complaints-"))
    env = {**os.environ, "PRONGSAI_DATA_DIR": str(data_dir), "PRONGSAI_COMPLAINT_SUBMIT_LIMIT": "1000000000",
           "PRONGSAI_COMPLAINT_CODE_LIMIT": "1000000000", "PYTHAINLP_READ_ONLY": "1"}
    for name in ("PRONGSAI_COMPLAINT_KEYS", "PRONGSAI_COMPLAINT_KEYS_FILE", "PRONGSAI_COMPLAINT_FILES_DIR"):
        env.pop(name, None)
    os.environ.clear()
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from prongsai.agencies.models import Agency
    from prongsai.complaints import codes, crypto, files
    from prongsai.complaints.models import Attachment, Complaint

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the rate limits' database cache (docs/setup.md, Cache)
    agency = Agency.objects.create(slug=SLUG, name="เทศบาลตำบลทดสอบภาระ", phone="042-000000")
    crypto.keyring()  # the key file, made once before the workers start

    port = free_port()
    access_log = data_dir / "access.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "prongsai.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--access-logfile", str(access_log), "--error-logfile", str(data_dir / "error.log"), "--timeout", "120",
         "--no-control-socket"],
        env=env, cwd=ROOT, start_new_session=True)
    try:
        wait_until_up(port, server)
        print(f"gunicorn: {args.workers} workers on 127.0.0.1:{port}; data in {data_dir}")
        print(f"Submitting {args.count} complaints with a {args.attachment_kb} KB PDF each from "
              f"{args.concurrency} clients…")
        local = threading.local()
        attachments = {n: pdf(f"ATTACH-{n:06d}", args.attachment_kb * 1024) for n in range(args.count)}

        def one(n: int):
            if not hasattr(local, "citizen"):
                local.citizen = Citizen(port)
            return n, *local.citizen.submit(n, attachments[n])

        start = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(one, range(args.count)))
        elapsed = time.perf_counter() - start
        latencies = sorted(r[2] for r in results)
        codes_by_n = {n: code for n, code, _took in results}

        sample = list(codes_by_n.values())[:: max(1, args.count // 50)]
        follow = Citizen(port)
        followed = sum(follow.follow_up(code) for code in sample)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    print("Verifying every complaint in the database and the files folder…")
    verify_start = time.perf_counter()
    stored = {}
    for complaint in Complaint.objects.filter(agency=agency).prefetch_related("attachments"):
        marker = re.match(r"BENCH-(\d{6}) ", complaint.read_content()["what"])
        n = int(marker.group(1))
        [attachment] = complaint.attachments.all()
        data = files.read(attachment.stored_name, purpose=attachment.purpose("file"))
        assert hashlib.sha256(data).digest() == hashlib.sha256(attachments[n]).digest(), f"attachment {n} differs"
        assert attachment.read_meta()["name"] == f"evidence-{n}.pdf"
        assert codes.verify(complaint.code_hash, codes.normalize(codes_by_n[n])), f"code of {n} does not match"
        assert n not in stored, f"complaint {n} stored twice"
        stored[n] = complaint.pk
    verify_time = time.perf_counter() - verify_start
    missing = sorted(set(range(args.count)) - set(stored))
    log = access_log.read_text()
    leaked = [code for code in codes_by_n.values() if code in log or codes.normalize(code) in log]
    sealed_files = sum(1 for p in Path(settings.PRONGSAI_COMPLAINT_FILES_DIR).rglob("*") if p.is_file())

    print(f"Stored: {len(stored)}/{args.count} complaints, {Attachment.objects.count()} attachments, "
          f"{sealed_files} sealed files; missing: {missing[:10] or 'none'}")
    print(f"Every text, attachment (SHA-256) and receipt code checked in {verify_time:.1f} s")
    print(f"Follow-up by code over HTTP: {followed}/{len(sample)}; codes in the access log: {len(leaked)}; "
          f"complaint text in the access log: {'yes' if 'BENCH-' in log else 'no'}")
    print(f"Rate: {args.count / elapsed:.1f} submissions/s ({args.count} in {elapsed:.1f} s, "
          f"{args.concurrency} clients, {args.workers} workers, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.2f}); latency p50 "
          f"{statistics.median(latencies) * 1000:.0f} ms, p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms")
    ok = not missing and len(stored) == args.count and followed == len(sample) and not leaked and "BENCH-" not in log
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    print("OK: nothing lost" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
