# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory's TLS settings: panel_tls and the resellers' tls choices (no cryptography or acme needed)."""
from __future__ import annotations

from ansible_collections.panelops.reseller.plugins.module_utils import _tls_settings


def test_validate_panel_tls():
    assert _tls_settings.validate_panel_tls({"mode": "internal_ca", "renew_days": 30}) == []
    assert _tls_settings.validate_panel_tls({"mode": "acme", "acme_directory": "https://127.0.0.1:14000/dir",
                                             "challenge": "dns-01"}) == []
    problems = _tls_settings.validate_panel_tls({"mode": "acme", "acme_directory": "http://ca.test/dir",
                                                 "renew_days": "soon", "challenge": "http-02"})
    # renew_days belongs to _tls_renewal (test_tls_renewal.py), checked beside this function by _validation.
    assert problems == [
        "panel_tls.acme_directory: must be an absolute https:// URL, got 'http://ca.test/dir'",
        "panel_tls.challenge: must be one of http-01, dns-01, got 'http-02'",
    ]
    assert _tls_settings.validate_panel_tls({"mode": "letsencrypt"}) == [
        "panel_tls.mode: must be one of internal_ca, provided, acme, got 'letsencrypt'"]


def test_reseller_choices_and_acme_settings():
    resellers = [{"name": "acme", "tls": {"mode": "selfsigned", "challenge": "dns-01"}},
                 {"name": "globex", "tls": {"challenge": "tls-alpn-01"}}, {"name": "initech", "tls": "acme"}]
    assert _tls_settings.reseller_tls_problems(resellers) == [
        "reseller 'acme': tls.mode: must be one of internal_ca, provided, acme, got 'selfsigned'",
        "reseller 'globex': tls.challenge: must be one of http-01, dns-01, got 'tls-alpn-01'",
    ]
    assert _tls_settings.acme_settings_problems("panel_tls", {"acme_directory": "https://ca.test/dir"}, False) == []
    assert _tls_settings.acme_settings_problems("panel_tls", {"acme_directory": "https://ca.test/dir",
                                                              "acme_timeout": 0, "acme_trust_anchor": 3}, True) == [
        "panel_tls.acme_trust_anchor: must be a path to a PEM CA bundle",
        "panel_tls.acme_timeout: must be a positive number of seconds, got 0",
    ]
    assert _tls_settings.challenge_of({}) == "http-01" and _tls_settings.challenge_of({"challenge": "dns-01"}) == "dns-01"
