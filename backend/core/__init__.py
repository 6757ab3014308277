"""Cross-cutting pieces: JSON API helpers, health checks, request ids and JSON logging."""
