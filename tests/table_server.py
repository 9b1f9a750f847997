"""A statistics database's API in the test process: a local HTTP server answering recorded JSON-stat tables
(tests/data/subscriptions/), for the subscription tests and a real worker alike."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "subscriptions"


def answer(name: str) -> bytes:
    return (DATA / name).read_bytes()


class TableServer:
    """Answers each request with the next scripted (status, headers, body); the last one repeats."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, dict[str, str], bytes]] = []
        self.requests: list[tuple[str, str, bytes]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                server.requests.append((self.command, self.path, self.rfile.read(length) if length else b""))
                status, headers, body = server.answers[0] if len(server.answers) == 1 else server.answers.pop(0)
                self.send_response(status)
                for key, value in {"Content-Type": "application/json; charset=UTF-8", **headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # serve_forever looks for shutdown() at this interval: the default half second would be each test's wait.
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self.thread.start()

    def url(self, path: str = "/table") -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def answer(self, *answers: bytes | tuple[int, dict[str, str], bytes]) -> None:
        self.answers = [a if isinstance(a, tuple) else (200, {}, a) for a in answers]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
