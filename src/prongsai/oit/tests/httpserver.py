"""A real HTTP server on 127.0.0.1 (a thread) with the cases the link checker must tell apart."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HUGE = 3 * 1024 * 1024


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", **headers):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        path = self.path
        if path == "/ok":
            self._send(200, "<html><body><p>ประกาศ ณ วันที่ ๑๕ มกราคม ๒๕๖๖</p></body></html>".encode())
        elif path == "/old":
            self._send(200, "<html><body>ปรับปรุงล่าสุด 3 มี.ค. 2560 · updated 2017-03-03</body></html>".encode())
        elif path == "/404":
            self._send(404, b"not found")
        elif path == "/500":
            self._send(500, b"oops")
        elif path == "/redirect":
            self._send(301, Location="/ok")
        elif path == "/loop-a":
            self._send(302, Location="/loop-b")
        elif path == "/loop-b":
            self._send(302, Location="/loop-a")
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            self._send(302, Location=f"/chain/{n + 1}")
        elif path == "/slow":
            time.sleep(0.8)
            self._send(200, b"<html>slow page 2023-01-10</html>")
        elif path == "/hang":
            time.sleep(3)
            self._send(200, b"late")
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            try:
                for _ in range(HUGE // 65536):
                    self.wfile.write(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/report.pdf":
            self._send(200, b"%PDF-1.4\n% fake but typed\n", content_type="application/pdf")
        else:
            self._send(404, b"")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # the checker hangs up on purpose (size cap, timeouts)
        pass


class LocalServer:
    def __enter__(self):
        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self

    def url(self, path: str) -> str:
        return self.base + path

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
