"""
Client for the optional external scoring service (SCORING_URL).

Request:  POST SCORING_URL, JSON {"dni": "12345678", "gender": "F", "amount": "150000.00"}
          (only what a score needs: no name or e-mail).
Response: 200 with JSON {"decision": "approved" | "rejected" | "pending", "reason": "..."};
          `reason` is optional (at most 500 characters).

Anything else — timeout, connection error, non-200, non-JSON, unknown decision — raises
ScoringUnavailable; the caller then leaves the request pending. SCORING_TIMEOUT_SECONDS
bounds each network operation.
"""

import http.client
import json
import urllib.error
import urllib.request
from decimal import Decimal
from urllib.parse import urlsplit

from loans.models import LoanStatus
from loans.rules import Decision

MAX_RESPONSE_BYTES = 64 * 1024
DEFAULT_REASONS = {
    LoanStatus.APPROVED: "Aprobada por el servicio de evaluación crediticia.",
    LoanStatus.REJECTED: "Rechazada por el servicio de evaluación crediticia.",
    LoanStatus.PENDING: "Pendiente: el servicio de evaluación crediticia pidió revisión manual.",
}


class ScoringUnavailable(Exception):
    """The service could not give a usable answer; the message says why (no personal data)."""


def request_decision(
    url: str, timeout: float, *, dni: str, gender: str, amount: Decimal
) -> Decision:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ScoringUnavailable("SCORING_URL must be an http(s) URL")
    body = json.dumps({"dni": dni, "gender": gender, "amount": f"{amount:.2f}"}).encode()
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
            raw = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise ScoringUnavailable(f"HTTP {error.code}") from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise ScoringUnavailable(type(error).__name__) from None
    if status != 200:
        raise ScoringUnavailable(f"HTTP {status}")
    if len(raw) > MAX_RESPONSE_BYTES:
        raise ScoringUnavailable("response too large")
    return parse_decision(raw)


def parse_decision(raw: bytes) -> Decision:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise ScoringUnavailable("response is not JSON") from None
    if not isinstance(data, dict) or data.get("decision") not in LoanStatus.values:
        raise ScoringUnavailable("response has no valid decision")
    status = LoanStatus(data["decision"])
    reason = data.get("reason")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
        reason = DEFAULT_REASONS[status]
    return Decision(status, reason.strip())
