"""
The one logging configuration (dictConfig) of the backend: JSON lines on stdout with the
request id, after the PII redaction filter. Django's settings and gunicorn's config both use
it, so gunicorn's own messages pass through the same filters as the app's.
"""


def json_logging(level: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "core.request_id.RequestIdLogFilter"},
            "redact_pii": {"()": "core.log_redaction.RedactPiiFilter"},
        },
        "formatters": {"json": {"()": "core.log_format.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
                "filters": ["request_id", "redact_pii"],
                "level": level,
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # The access log middleware already records every request once.
            "django.server": {"level": "WARNING"},
        },
    }
