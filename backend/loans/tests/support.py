"""Loan test helpers: valid payloads, saved requests and a local scoring service double."""

import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from loans.models import LoanRequest, LoanStatus


def payload(**overrides) -> dict:
    data = {
        "full_name": "María José Pérez",
        "dni": "30123456",
        "gender": "F",
        "email": "maria@example.com",
        "amount": "150000.00",
    }
    data.update(overrides)
    return data


def make_loan(**overrides) -> LoanRequest:
    fields = payload(**overrides)
    fields["amount"] = Decimal(fields["amount"])
    fields.setdefault("status", LoanStatus.APPROVED)
    return LoanRequest.objects.create(**fields)


class ScoringDouble:
    """
    A throwaway HTTP server on 127.0.0.1 standing in for the scoring service. `behaviour`
    is a (status, body, delay_seconds) tuple; received JSON bodies are kept in `received`.
    """

    def __init__(self, status: int = 200, body: bytes = b"", delay: float = 0.0):
        self.behaviour = (status, body, delay)
        self.received: list[dict] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                double.received.append(json.loads(self.rfile.read(length)))
                status, body, delay = double.behaviour
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up (timeout tests)
                    pass

            def log_message(self, format, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/score"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "ScoringDouble":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def decision_body(decision: str, reason: str | None = None) -> bytes:
    data = {"decision": decision}
    if reason is not None:
        data["reason"] = reason
    return json.dumps(data).encode()
