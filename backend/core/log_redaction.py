"""
A logging filter that removes personal data before a record is written: e-mail addresses
and DNI-like numbers (runs of 7 or more digits, or the dotted form 12.345.678) are masked in
the message, its arguments, string extras, exception text and stack text (CWE-532).
"""

import logging
import re
import traceback

_EMAIL = re.compile(r"[^\s@\"'<>(),;:]+@[^\s@\"'<>(),;:]+\.[^\s@\"'<>(),;:]+")
_DNI_DOTTED = re.compile(r"(?<![0-9.])[0-9]{1,2}\.[0-9]{3}\.[0-9]{3}(?![0-9])")
_LONG_DIGITS = re.compile(r"[0-9]{7,}")

EMAIL_MASK = "[email]"
DNI_MASK = "[dni]"

# LogRecord attributes that are not user-provided extras.
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
}


def redact(text: str) -> str:
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _DNI_DOTTED.sub(DNI_MASK, text)
    return _LONG_DIGITS.sub(DNI_MASK, text)


class RedactPiiFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for name, value in list(vars(record).items()):
            if name not in _STANDARD_ATTRS and isinstance(value, str):
                setattr(record, name, redact(value))
        return True
