# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets stay out of every output and log, even with -vvv --diff; key files are 0600 and owned by the user
that ran the play."""
from __future__ import annotations

import glob
import os
import re
import subprocess

from tests.reliability.site import ACME_PASSWORD, REPO, USER_PASSWORD
from tests.support.files import read_text

PEM_BODY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----\n(.*?)\n-----END", re.S)


def key_files(site):
    files = glob.glob(os.path.join(site.state, "pki", "**", "*.key"), recursive=True)
    files += glob.glob(os.path.join(site.state, "pki", "**", "privkey.pem"), recursive=True)
    for host in ("one", "two"):
        files += glob.glob(os.path.join(site.prefix(host), "tls", "*.key"))
    return sorted(files)


def secrets_of(site):
    """(label, text) of every secret the deployment holds; each must never be printed or logged."""
    found = [("user password", USER_PASSWORD), ("user password", ACME_PASSWORD)]
    password_hash = site.reseller("acme")["users"][0]["password_hash"]
    found += [("password hash", password_hash), ("password hash digest", password_hash.rsplit("$", 1)[-1])]
    with open(os.path.join(site.state, "secret_key")) as handle:
        found.append(("panel secret key", handle.read().strip()))
    pems = glob.glob(os.path.join(site.state, "pki", "**", "*.pem"), recursive=True)
    public = "".join(read_text(path) for path in pems if "privkey" not in path)
    for path in key_files(site):
        with open(path) as handle:
            body = PEM_BODY.search(handle.read()).group(1)
        # Any line of the base64 body gives the key away, except lines that only carry the public key (the
        # certificate has the same bytes, at times with the same base64 alignment).
        found += [("private key %s" % path, line) for line in body.splitlines()
                  if len(line) >= 32 and line not in public]
    with open(os.path.join(site.state, "set-password-links")) as handle:
        for token in re.findall(r"/set-password/([^/\s]+/[^/\s]+)/", handle.read()):
            found.append(("set-password link token", token))
    return found


def logs_of(site):
    """Every log file of the deployment and the run summaries (reports/), by path."""
    logs = {}
    paths = glob.glob(os.path.join(site.state, "**", "*.log"), recursive=True)
    paths += glob.glob(os.path.join(site.state, "reports", "**", "*"), recursive=True)
    for path in [p for p in paths if os.path.isfile(p)]:
        with open(path, errors="replace") as handle:
            logs[path] = handle.read()
    return logs


def test_no_secret_in_outputs_or_logs(converged):
    site, runs = converged
    secrets = secrets_of(site)
    assert len(secrets) > 10  # keys were found and parsed: the check below has something to look for
    texts = {"first run output": runs[0].output, "re-run output": runs[1].output}
    texts.update(logs_of(site))
    assert os.path.join(site.state, "ansible.log") in texts
    assert os.path.join(site.state, "reports", "run-summary.json") in texts
    leaks = ["%s in %s" % (label, where) for where, text in texts.items() for label, secret in secrets
             if secret in text]
    assert leaks == []


def test_key_files_are_private_and_owned_by_the_runner(converged):
    site, _runs = converged
    keys = key_files(site) + [os.path.join(site.state, "pki", "ca", "ca.key"),
                              os.path.join(site.state, "secret_key"),
                              os.path.join(site.state, "panel.env"),
                              os.path.join(site.state, "set-password-links")]
    assert os.path.join(site.state, "pki", "ca", "ca.key") in keys
    wrong = []
    for path in keys:
        info = os.stat(path)
        if info.st_mode & 0o777 != 0o600 or info.st_uid != os.geteuid():
            wrong.append("%s: mode %o uid %d" % (path, info.st_mode & 0o777, info.st_uid))
    assert wrong == []


def test_the_panel_secret_key_is_never_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert not [name for name in tracked.splitlines() if os.path.basename(name) in ("secret_key", "panel.env")]
    ignored = subprocess.run(["git", "check-ignore", "-q", ".demo/secret_key"], cwd=REPO, check=False)
    assert ignored.returncode == 0
