# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""`site.yml --check --diff` never writes: database dump and frontend file trees stay byte-identical, and it
still reports what a real run would change."""
from __future__ import annotations

import copy

from tests.reliability.site import recap


def test_check_on_a_converged_deployment_changes_nothing(converged):
    site, _runs = converged
    db, trees = site.dump(), site.trees()
    proc = site.run("--check", "--diff")
    assert proc.returncode == 0, proc.output[-4000:]
    counters = recap(proc.output)
    assert counters["one"]["changed"] == 0 and counters["two"]["changed"] == 0, proc.output[-4000:]
    assert site.dump() == db
    assert site.trees() == trees


def test_check_reports_pending_changes_and_still_writes_nothing(converged):
    site, _runs = converged
    saved = copy.deepcopy(site.vars)
    db, trees = site.dump(), site.trees()
    try:
        site.reseller("acme")["company"] = "ACME Cloud Holdings"
        site.vars["panel_resellers"].append(dict(
            name="initech", state="present", company="Initech", email="ops@initech.test", currency="EUR",
            plan="reseller-wholesale",
            enduser_panel_url="https://panel.initech.test:%d/" % site.ports["one"]["https"]))
        site.write_inventory()
        proc = site.run("--check", "--diff")
        assert proc.returncode == 0, proc.output[-4000:]
        counters = recap(proc.output)
        assert counters["one"]["changed"] > 0 and counters["two"]["changed"] > 0
        # The diff shows the new company, the new reseller row and its vhost on both frontends.
        assert "ACME Cloud Holdings" in proc.output
        assert "initech" in proc.output
        for host in ("one", "two"):
            assert "%s/sites/" % site.prefix(host) in proc.output
            assert "server_name panel.initech.test" in proc.output
        assert site.dump() == db
        assert site.trees() == trees
    finally:
        site.vars = saved
        site.write_inventory()
