"""Secrets that travel in URLs, kept out of the access logs.

Two kinds of link carry a one-time secret in their path: the provisioner's set-password links
(core.provider_urls: `set-password/<token>/`) and Django's password-reset links (urls.py:
`reset/<uidb64>/<token>/`). Whoever can read an access log must not be able to use a link that was not used
yet, so every line the panel's gunicorn logs passes through `redact` (gunicorn_logging.RedactingLogger), and the
frontends log through the same pattern (roles/provider_frontend: the nginx `map` of `$request_uri`, pinned to
this one by tests/test_log_redaction.py).
"""
import re

# The path segment after set-password/, or the second one after reset/: the secret.
TOKEN_IN_PATH = r"(/(?:set-password|reset/[^/?#\s]+)/)[^/?#\s]+"
_TOKEN_IN_PATH = re.compile(TOKEN_IN_PATH)
REDACTED = "[redacted]"


def redact(text):
    """`text` (a path, a request line, a Referer) with every secret path segment replaced."""
    return _TOKEN_IN_PATH.sub(r"\1" + REDACTED, text)
