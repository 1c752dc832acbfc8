# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Headless Chromium that trusts the demo CA the way a person's browser does: as a root in its NSS database.

The frontends send the leaf (and any intermediates) but never a self-signed root, so the CA has to be a trust
anchor of the browser itself; pinning its key with --ignore-certificate-errors-spki-list only works when the
server sends the root. Each launch gets a throw-away HOME holding nothing but that database.
"""
import contextlib
import os
import subprocess
import tempfile

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * 127.0.0.1"]


def _nss_database(home, ca_path):
    """Create $HOME/.pki/nssdb with the CA as a trusted issuer of server certificates ("C,,")."""
    directory = os.path.join(home, ".pki", "nssdb")
    os.makedirs(directory)
    database = "sql:" + directory
    for argv in (["certutil", "-N", "--empty-password", "-d", database],
                 ["certutil", "-A", "-d", database, "-n", "panel demo CA", "-t", "C,,", "-i", ca_path]):
        subprocess.run(argv, check=True, capture_output=True, text=True)


@contextlib.contextmanager
def launch(play, ca_path):
    """Yield a Chromium browser whose only extra trust anchor is the CA at ca_path."""
    with tempfile.TemporaryDirectory(prefix="chromium-home-") as home:
        _nss_database(home, ca_path)
        browser = play.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=dict(os.environ, HOME=home))
        try:
            yield browser
        finally:
            browser.close()
