# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory's TLS settings validated: `panel_tls` (mode, renewal, budget, the ACME settings) and the
resellers' own `tls` choices (mode, challenge).

Pure Python (no cryptography, no acme library), so the inventory validation on the controller loads neither;
_tls and _tls_acme, which issue certificates, take their modes, challenges and ACME checks from here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MODES = ("internal_ca", "provided", "acme")
CHALLENGES = ("http-01", "dns-01")
# Seconds for each HTTP request to the CA and for the polling of each order.
DEFAULT_ACME_TIMEOUT = 60


def challenge_of(tls):
    """The ACME challenge a TLS settings mapping asks for (http-01 unless it says otherwise)."""
    return tls.get("challenge") or "http-01"


def validate_panel_tls(panel_tls, resellers=None):
    """Problems of the inventory's `panel_tls` mapping and of the resellers' `tls` overrides (mode, challenge),
    for the inventory validation; each names the variable (and reseller) and the field."""
    reseller_problems = reseller_tls_problems(resellers or [])
    if panel_tls in (None, {}):
        return reseller_problems
    if not isinstance(panel_tls, dict):
        return ["panel_tls: must be a mapping"] + reseller_problems
    problems = []
    mode = panel_tls.get("mode", "internal_ca")
    if mode not in MODES:
        problems.append("panel_tls.mode: must be one of %s, got %r" % (", ".join(MODES), mode))
    # The renewal keys and the ACME budget are checked by their own files (_tls_renewal, _tls_budget), called
    # beside this function by _validation and _tls: this file stays a leaf of the import graph.
    problems.extend(acme_settings_problems("panel_tls", panel_tls, mode == "acme"))
    return problems + reseller_problems


def reseller_tls_problems(resellers):
    """Problems of the resellers' own `tls` choices (their mode and challenge), each naming the reseller."""
    problems = []
    for reseller in resellers:
        # Inventory mappings or _model.Reseller records; a choice that is not a mapping is reported by the model.
        tls = reseller.get("tls") if hasattr(reseller, "get") else None
        if not isinstance(tls, dict):
            continue
        where = "reseller %r: tls" % reseller.get("name")
        if "mode" in tls and tls["mode"] not in MODES:
            problems.append("%s.mode: must be one of %s, got %r" % (where, ", ".join(MODES), tls["mode"]))
        if "challenge" in tls and tls["challenge"] not in CHALLENGES:
            problems.append("%s.challenge: must be one of %s, got %r"
                            % (where, ", ".join(CHALLENGES), tls["challenge"]))
    return problems


def acme_settings_problems(where, tls, is_acme):
    """Problems of the ACME keys of one TLS settings mapping (`where` names it in messages)."""
    problems = []
    if not is_acme:
        return problems
    directory = tls.get("acme_directory")
    if not directory:
        problems.append("%s.acme_directory: required in mode acme (the CA's directory URL)" % where)
    else:
        try:
            parts = urlsplit(str(directory))
            bad = parts.port is not None and parts.port <= 0
            bad = bad or parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in str(directory))
        except ValueError:
            bad = True
        if bad:
            problems.append("%s.acme_directory: must be an absolute https:// URL, got %r" % (where, directory))
    anchor = tls.get("acme_trust_anchor")
    if anchor is not None and not isinstance(anchor, str):
        problems.append("%s.acme_trust_anchor: must be a path to a PEM CA bundle" % where)
    email = tls.get("acme_email")
    if email is not None and (not isinstance(email, str) or "@" not in email or " " in email):
        problems.append("%s.acme_email: must be an e-mail address, got %r" % (where, email))
    timeout = tls.get("acme_timeout", DEFAULT_ACME_TIMEOUT)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        problems.append("%s.acme_timeout: must be a positive number of seconds, got %r" % (where, timeout))
    challenge = challenge_of(tls)
    if challenge not in CHALLENGES:
        problems.append("%s.challenge: must be one of %s, got %r" % (where, ", ".join(CHALLENGES), challenge))
    retries = tls.get("acme_retries", 3)
    if not isinstance(retries, int) or isinstance(retries, bool) or not 1 <= retries <= 10:
        problems.append("%s.acme_retries: must be a whole number from 1 to 10, got %r" % (where, retries))
    wait = tls.get("acme_retry_max_wait", 30)
    if not isinstance(wait, (int, float)) or isinstance(wait, bool) or wait < 0:
        problems.append("%s.acme_retry_max_wait: must be a number of seconds >= 0, got %r" % (where, wait))
    return problems
