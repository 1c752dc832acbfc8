"""Secrets of one-time links stay out of the access logs: the pattern, gunicorn's logger, and the frontends'
nginx templates, which keep the same paths out of their log."""
import datetime
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse

from reseller_panel.gunicorn_logging import RedactingLogger
from reseller_panel.log_redaction import REDACTED, redact

ROLES = Path(__file__).resolve().parents[2] / "roles"


@pytest.mark.parametrize("text, expected", [
    ("/set-password/abc.DEF-123/", "/set-password/%s/" % REDACTED),
    ("GET /set-password/abc?x=1 HTTP/1.1", "GET /set-password/%s?x=1 HTTP/1.1" % REDACTED),
    ("/reset/MQ/c4x-8f1e2/", "/reset/MQ/%s/" % REDACTED),
    ("https://panel.demo.test/reset/MQ/c4x-8f1e2/", "https://panel.demo.test/reset/MQ/%s/" % REDACTED),
    ("/reset/done/", "/reset/done/"),
    ("/signup/?next=/set-password", "/signup/?next=/set-password"),
    ("/password-reset/", "/password-reset/"),
])
def test_redact_replaces_exactly_the_secret_segment(text, expected):
    assert redact(text) == expected


def test_the_pattern_covers_the_panels_own_token_urls():
    # The URLs are the panel's: a renamed route would otherwise leak its tokens unnoticed.
    set_password = reverse("set_password", urlconf="reseller_panel.core.provider_urls", args=["s3cr3t"])
    reset = reverse("password_reset_confirm", urlconf="reseller_panel.urls", args=["MQ", "s3cr3t"])
    for path in (set_password, reset):
        assert "s3cr3t" in path and "s3cr3t" not in redact(path)


def test_gunicorns_access_log_atoms_are_redacted():
    logger = RedactingLogger(SimpleNamespace(**{"accesslog": None, "errorlog": "-", "loglevel": "info",
                                                "syslog": False, "capture_output": False, "logconfig": None,
                                                "logconfig_dict": {}, "logconfig_json": None,
                                                "disable_redirect_access_to_syslog": False,
                                                "access_log_format": "%(r)s", "user": 0, "group": 0,
                                                "umask": 0, "dogstatsd_tags": "", "statsd_host": None}))
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/set-password/s3cr3t/", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": "/set-password/s3cr3t/", "QUERY_STRING": "",
               "HTTP_REFERER": "https://panel.demo.test/set-password/s3cr3t/"}
    response = SimpleNamespace(status="200 OK", headers=[], sent=12)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, datetime.timedelta(seconds=1))
    assert not [name for name, value in atoms.items() if "s3cr3t" in str(value)]
    assert atoms["r"] == "GET /set-password/%s/ HTTP/1.1" % REDACTED


def test_the_frontends_keep_the_same_paths_out_of_their_log():
    template = (ROLES / "provider_frontend" / "templates" / "policy_maps.j2").read_text()
    # One map for both paths, ^/(?:set-password|reset)/ -> 0: the condition of every server's access_log.
    unlogged = re.findall(r"map \$uri \$panelops_loggable \{\s+~\^/\(\?:([a-z|-]+)\)/ 0;", template)
    assert len(unlogged) == 1, unlogged
    assert sorted("/%s/" % path for path in unlogged[0].split("|")) == ["/reset/", "/set-password/"]
    condition = (ROLES / "provider_frontend" / "templates" / "access_log.j2").read_text()
    assert "if=$panelops_loggable;" in condition
