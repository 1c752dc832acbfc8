# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ACME order budget: selection rules, the order history, and 12 new resellers against the real pebble with a
budget of 5 (5 issued and 7 deferred, then the rest over two more runs, never more than 5 orders a run)."""
from __future__ import annotations

import datetime
import json
import os

import pytest

from ansible_collections.panelops.reseller.plugins.action.nginx_sites import read_certificates, unpublished_sites
from ansible_collections.panelops.reseller.plugins.module_utils import _dns, _tls, _tls_acme, _tls_budget
from tests.support.dns_acme_servers import Webroot

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.timezone.utc)
assert _tls_acme  # importing it registers mode acme


def candidate(fqdn, index, not_after=None, provider=False):
    return {"fqdn": fqdn, "index": index, "not_after": not_after, "provider": provider}


def entry(fqdn, hours_ago, status="issued", renewal=False):
    return _tls_budget.history_entry(fqdn, NOW - datetime.timedelta(hours=hours_ago), renewal, status)


def test_registered_domain_from_the_bundled_public_suffix_list():
    assert _tls_budget.registered_domain("a.b.example.co.uk") == "example.co.uk"
    assert _tls_budget.registered_domain("Shop.Resellers.Provider.Test.") == "provider.test"
    # A private-section suffix counts as a suffix, as public CAs count it.
    assert _tls_budget.registered_domain("acme.github.io") == "acme.github.io"
    assert _tls_budget.registered_domain("co.uk") == "co.uk"


def test_renewals_of_live_certificates_go_first_then_the_provider_then_new_names_in_order():
    soon, later = NOW + datetime.timedelta(days=3), NOW + datetime.timedelta(days=20)
    expired = NOW - datetime.timedelta(days=1)
    candidates = [candidate("new1.a.test", 0), candidate("late.b.test", 1, later),
                  candidate("gone.c.test", 2, expired), candidate("panel.p.test", 3, provider=True),
                  candidate("soon.d.test", 4, soon), candidate("new2.e.test", 5)]
    chosen, deferred = _tls_budget.select(candidates, [], {"orders_per_run": 4}, NOW)
    assert chosen == ["soon.d.test", "late.b.test", "gone.c.test", "panel.p.test"]
    assert deferred == {"new1.a.test": "order budget of this run used (orders_per_run 4)",
                        "new2.e.test": "order budget of this run used (orders_per_run 4)"}


def test_weekly_budget_of_a_registered_domain_counts_the_history_and_this_run():
    history = [entry("old%d.provider.test" % i, 24 * 3) for i in range(3)] + [entry("x.provider.test", 24 * 8)]
    history = [e for e in history if NOW - e["at"] < _tls_budget.WEEK]  # as load_history returns it
    candidates = [candidate("n%d.provider.test" % i, i) for i in range(3)] + [candidate("other.test", 3)]
    chosen, deferred = _tls_budget.select(candidates, history, {"certificates_per_domain_week": 4}, NOW)
    assert chosen == ["n0.provider.test", "other.test"]
    assert deferred["n1.provider.test"] == ("weekly budget of the registered domain provider.test used "
                                            "(certificates_per_domain_week 4)")
    assert set(deferred) == {"n1.provider.test", "n2.provider.test"}


def test_account_window_and_failed_validations_defer():
    history = [entry("f.provider.test", 0.2, "failed"), entry("f.provider.test", 0.5, "failed"),
               entry("f.provider.test", 2, "failed")] + [entry("o%d.z.test" % i, 1) for i in range(3)]
    chosen, deferred = _tls_budget.select(
        [candidate("f.provider.test", 0), candidate("a.y.test", 1), candidate("b.y.test", 2)], history,
        {"orders_per_3_hours": 7, "failed_validations_per_hour": 2}, NOW)
    assert chosen == ["a.y.test"]
    assert deferred["f.provider.test"].startswith("failed 2 time(s) in the last hour (failed_validations_per_hour 2); "
                                                  "next try after 2026-11-01T12:30:00Z")
    assert deferred["b.y.test"] == ("order budget of the account used (orders_per_3_hours 7: 7 orders in the last "
                                    "3 hours)")


def test_budget_settings_problems_name_the_field():
    assert _tls_budget.budget_problems(None) == []
    assert _tls_budget.budget_problems({"orders_per_run": 5}) == []
    assert _tls_budget.budget_problems([]) == ["panel_tls.acme_budget: must be a mapping"]
    assert _tls_budget.budget_problems({"orders_per_run": True, "per_day": 3}) == [
        "panel_tls.acme_budget.orders_per_run: must be a whole number >= 1, got True",
        "panel_tls.acme_budget.per_day: unknown setting (known: certificates_per_domain_week, "
        "failed_validations_per_hour, orders_per_3_hours, orders_per_run)"]


def test_history_round_trip_drops_old_entries_and_a_broken_file_stops_the_run(tmp_path):
    store = str(tmp_path)
    assert _tls_budget.load_history(store, NOW) == []
    _tls_budget.save_history(store, [entry("a.test", 1), entry("b.test", 24 * 8)])
    assert oct(os.stat(_tls_budget.history_path(store)).st_mode & 0o777) == "0o600"
    assert [e["fqdn"] for e in _tls_budget.load_history(store, NOW)] == ["a.test"]
    with open(_tls_budget.history_path(store), "w") as handle:
        handle.write("{not json")
    with pytest.raises(_tls_budget.BudgetError, match="orders.json cannot be read"):
        _tls_budget.load_history(store, NOW)


def test_pending_file_and_the_sites_nginx_leaves_out(tmp_path):
    store = str(tmp_path)
    assert _tls_budget.read_pending(store) == {}
    _tls_budget.save_pending(store, {"b.test": "deferred: budget"})
    assert unpublished_sites(["a.test", "b.test"], _tls_budget.read_pending(store)) == {
        "b.test": "no certificate yet (deferred: budget)"}


# ----------------------------------------------------------------------------------------------- with pebble
def budget_run(store, dns_acme, resellers, webroot, budget):
    acme = dns_acme["acme"]
    tls = {"mode": "acme", "acme_directory": acme["directory"], "acme_trust_anchor": acme["trust_anchor"],
           "acme_timeout": 30, "challenge": "http-01", "acme_budget": budget}
    options = dict(tls, acme_webroots=[str(webroot)])
    return _tls.ensure_certificates(str(store), resellers, default_tls=tls, options=options)


def test_budget_of_five_with_twelve_new_resellers_against_pebble(dns_acme, tmp_path):
    fqdns = ["bud%02d.provider.test" % i for i in range(12)]
    server = dns_acme["dns"]
    _dns.apply_records([{"fqdn": f} for f in fqdns], ["provider.test"], "127.0.0.1", server["port"], server["tsig"],
                       default_addresses=["127.0.0.1"])
    resellers = [{"name": "bud%02d" % i, "state": "present", "enduser_panel_url": "https://%s/" % f}
                 for i, f in enumerate(fqdns)]
    store, webroot = tmp_path / "store", tmp_path / "webroot"
    with Webroot(webroot, dns_acme["acme"]["http_port"]):
        first = budget_run(store, dns_acme, resellers, webroot, {"orders_per_run": 5})
        found, missing = read_certificates(str(store), fqdns)
        pending = _tls_budget.read_pending(str(store))
        second = budget_run(store, dns_acme, resellers, webroot, {"orders_per_run": 5})
        third = budget_run(store, dns_acme, resellers, webroot, {"orders_per_run": 5})
    runs = [first, second, third]

    assert first["created"] == fqdns[:5] and first["ordered"] == fqdns[:5] and first["failed_fqdns"] == []
    assert first["deferred_fqdns"] == fqdns[5:]
    for fqdn in fqdns[5:]:
        assert first["certificates"][fqdn]["deferred"] == "order budget of this run used (orders_per_run 5)"
    # What nginx_sites publishes after the first run: the 5 with a certificate, the 7 left out with the reason.
    assert sorted(found) == fqdns[:5]
    assert sorted(unpublished_sites(missing, pending)) == fqdns[5:]

    assert second["created"] == fqdns[5:10] and second["unchanged"] == fqdns[:5]
    assert second["deferred_fqdns"] == fqdns[10:]
    assert third["created"] == fqdns[10:] and third["deferred_fqdns"] == [] and third["failed_fqdns"] == []
    assert third["unchanged"] == fqdns[:10]
    assert _tls_budget.read_pending(str(store)) == {}
    assert max(len(run["ordered"]) for run in runs) == 5
    with open(_tls_budget.history_path(str(store))) as handle:
        history = json.load(handle)["orders"]
    assert sorted(e["fqdn"] for e in history) == fqdns
    assert set(e["domain"] for e in history) == {"provider.test"} and all(e["status"] == "issued" for e in history)


def test_domains_whose_dns_is_not_ready_take_no_place_in_the_budget(tmp_path):
    """Check mode (no order placed, no CA needed): with a budget of one, the first reseller's DNS is not ready, so
    the one order goes to the second; the third is deferred."""
    resellers = [{"name": n, "state": "present", "enduser_panel_url": "https://%s.provider.test/" % n}
                 for n in ("aa", "bb", "cc")]
    tls = {"mode": "acme", "acme_directory": "https://127.0.0.1:1/dir", "challenge": "http-01",
           "acme_budget": {"orders_per_run": 1}}
    result = _tls.ensure_certificates(str(tmp_path), resellers, default_tls=tls, check_mode=True, now=NOW,
                                      options=dict(tls, acme_webroots=[str(tmp_path)],
                                                   dns_ready=["bb.provider.test", "cc.provider.test"]))
    assert result["skipped_fqdns"] == ["aa.provider.test"]
    assert result["ordered"] == ["bb.provider.test"]
    assert result["deferred_fqdns"] == ["cc.provider.test"]
    assert not os.path.exists(_tls_budget.pending_path(str(tmp_path)))


def test_finished_orders_take_their_outcome_in_the_history():
    opened = entry("a.test", 2, status="opened")
    later = NOW - datetime.timedelta(minutes=10)
    finished = [("a.test", False, "failed"), ("c.test", True, "issued")]
    entries = _tls_budget.finish_entries([opened, entry("b.test", 1)], finished, later)
    assert [(e["fqdn"], e["status"], e.get("finished_at")) for e in entries] == [
        ("a.test", "failed", later), ("b.test", "issued", None), ("c.test", "issued", later)]
    assert opened["status"] == "opened"  # the history read is not changed in place
    # The failure counts from when it was known (10 minutes ago), not from the order (2 hours ago); the failed
    # order is no certificate of the weekly budget, but still an order of the account.
    budget = {"failed_validations_per_hour": 1, "certificates_per_domain_week": 1, "orders_per_3_hours": 4}
    chosen, deferred = _tls_budget.select([candidate("a.test", 0), candidate("d.a.test", 1)], entries, budget, NOW)
    assert chosen == ["d.a.test"] and "failed 1 time(s) in the last hour" in deferred["a.test"]


def test_the_finished_at_stamp_survives_the_history_file(tmp_path):
    later = NOW - datetime.timedelta(minutes=10)
    _tls_budget.save_history(str(tmp_path), _tls_budget.finish_entries([entry("a.test", 2, "opened")],
                                                                       [("a.test", False, "failed")], later))
    assert [(e["status"], e["finished_at"]) for e in _tls_budget.load_history(str(tmp_path), NOW)] == [
        ("failed", later)]


def test_a_failed_validation_of_the_finish_step_counts_against_the_next_runs(dns_acme, tmp_path):
    """Two-step HTTP-01 with no frontend serving the challenge: pebble's validation fails in the finish step; the
    history records it, and with failed_validations_per_hour 1 the next open step defers the name."""
    fqdn = "finish-fails.provider.test"
    server = dns_acme["dns"]
    _dns.apply_records([{"fqdn": fqdn}], ["provider.test"], "127.0.0.1", server["port"], server["tsig"],
                       default_addresses=["127.0.0.1"])
    acme = dns_acme["acme"]
    tls = {"mode": "acme", "acme_directory": acme["directory"], "acme_trust_anchor": acme["trust_anchor"],
           "acme_timeout": 30, "challenge": "http-01", "acme_budget": {"failed_validations_per_hour": 1}}
    store = tmp_path / "store"

    def step(name):
        return _tls.ensure_certificates(str(store), [{"name": "ff", "state": "present",
                                                      "enduser_panel_url": "https://%s/" % fqdn}],
                                        default_tls=tls, options=dict(tls, acme_webroots=[], acme_step=name))

    assert step("open")["opened"] == [fqdn]
    finished = step("finish")
    assert finished["failed_fqdns"] == [fqdn] and "validation failed" in finished["certificates"][fqdn]["error"]
    with open(_tls_budget.history_path(str(store))) as handle:
        orders = json.load(handle)["orders"]
    assert [(e["fqdn"], e["status"], "finished_at" in e) for e in orders] == [(fqdn, "failed", True)]
    again = step("open")
    assert again["opened"] == [] and again["deferred_fqdns"] == [fqdn]
    assert "failed 1 time(s) in the last hour (failed_validations_per_hour 1)" in again["certificates"][fqdn][
        "deferred"]
