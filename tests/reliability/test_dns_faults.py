# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reseller DNS against a real bind9 with a TSIG key: the key never shows; a silent or stopped name server
makes the run fail within its configured timeouts, before any certificate or vhost is touched."""
from __future__ import annotations

import contextlib
import os
import socket

import pytest

from tests.reliability.conftest import converge
from tests.reliability.site import Site
from tests.reliability.test_frontend_faults import add_reseller, workers
from tests.reliability.test_secrets import logs_of
from tests.support import dns_acme_servers

pytestmark = pytest.mark.skipif(dns_acme_servers.missing() is not None, reason="bind9 is not installed")

ZONES = ["acme.test", "globex.test", "demo.test"]


@pytest.fixture(scope="module")
def dns_site(scratch):
    base = os.path.join(scratch, "bind")
    servers = dns_acme_servers.start(base, zones=ZONES, pebble=False)
    dns = servers["dns"]
    panel_dns = dict(servers=["127.0.0.1"], port=dns["port"], frontend_addresses=["127.0.0.1"], zones=ZONES,
                     tsig=dns["tsig"], check_timeout=1.0, check_retries=1)
    site = Site(os.path.join(scratch, "dns-site"), extra_vars={"panel_dns": panel_dns})
    site.dns, site.dns_base = dns, base
    try:
        site.runs = converge(site)
        yield site
    finally:
        site.stop()
        dns_acme_servers.stop(base)


def test_tsig_secret_never_shown(dns_site):
    site = dns_site
    texts = {"first run": site.runs[0].output, "re-run": site.runs[1].output}
    texts.update(logs_of(site))
    # The records were really managed with the key (so the key was used in these runs).
    assert "cloud.acme.test" in site.runs[0].output.split("Manage the records of reseller domains", 1)[1]
    assert [where for where, text in texts.items() if site.dns["tsig"]["secret"] in text] == []


@contextlib.contextmanager
def silent_name_server():
    """A port that takes DNS queries over UDP and TCP and never answers."""
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    port = udp.getsockname()[1]
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", port))
    tcp.listen(16)
    try:
        yield port
    finally:
        udp.close()
        tcp.close()


def dns_vars(site, **changes):
    site.vars["panel_dns"] = dict(site.vars["panel_dns"], **changes)
    site.write_inventory()


def test_silent_name_server_fails_within_the_timeout_and_keeps_certificates(dns_site):
    site = dns_site
    saved = dict(site.vars["panel_dns"])
    trees, pids = site.trees(), (workers(site, "one"), workers(site, "two"))
    with silent_name_server() as port:
        # Checked domains (no managed zone): every lookup meets the silent server.
        dns_vars(site, port=port, zones=[])
        try:
            proc = site.run(timeout=300)
        finally:
            site.vars["panel_dns"] = saved
            site.write_inventory()
    assert proc.returncode != 0
    assert "do not resolve to the frontends" in proc.output
    assert "no answer for cloud.acme.test within 2.0 s" in proc.output, proc.output[-3000:]
    assert "TASK [panelops.reseller.reseller_tls" not in proc.output
    assert site.trees() == trees
    assert (workers(site, "one"), workers(site, "two")) == pids


def test_stopped_name_server_fails_clearly_and_the_next_run_converges(dns_site):
    site = dns_site
    add_reseller(site, "initrode", "cloud.globex.test")
    trees = site.trees()
    dns_acme_servers.stop(site.dns_base)
    proc = site.run(timeout=300)
    assert proc.returncode != 0
    assert "zone globex.test" in proc.output, proc.output[-3000:]
    assert "TASK [panelops.reseller.reseller_tls" not in proc.output
    assert site.trees() == trees
    # The same server back (same port, same key): the run converges.
    site.dns = dns_acme_servers.start_bind(os.path.join(site.dns_base, "bind"), site.dns["port"], ZONES,
                                           secret=site.dns["tsig"]["secret"])
    # Recorded where the fixture's stop() finds it.
    dns_acme_servers._save(site.dns_base, dict(dns=site.dns, acme=None))  # pylint: disable=protected-access
    rerun = site.run()
    assert rerun.returncode == 0, rerun.output[-4000:]
    assert os.path.exists(os.path.join(site.prefix("two"), "sites", "cloud.globex.test.conf"))
