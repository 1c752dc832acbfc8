# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ACME order budget: which of the certificates that need an order may be ordered in this run.

A public CA limits how fast an account may order (Let's Encrypt: 300 new orders per account per 3 hours, 50 new
certificates per registered domain per 7 days, 5 failed validations per name per hour). A first run for 1000
resellers would exceed them after about 300 orders, and every refused order counts against the account. So the
list of FQDNs to order is chosen here, before any order is placed, against `panel_tls.acme_budget`:

    orders_per_run                 orders one run may place (default 100)
    orders_per_3_hours             orders of the account in any 3 hours, this run's included (default 250)
    certificates_per_domain_week   certificates per registered domain in any 7 days (default 40)
    failed_validations_per_hour    failed orders of one FQDN in the last hour before it waits (default 3)

Renewals of certificates still valid go first (soonest expiry first), then the provider's own host, then new
names in inventory order. What does not fit is *deferred*: reported with the reason, kept as it is (a reseller
without a certificate yet is not published by nginx_sites), and ordered by a later run.

The registered domain of an FQDN is its public suffix plus one label, from the Public Suffix List snapshot bundled
with the `publicsuffixlist` package (read offline, never downloaded).

The history of orders is kept in the certificate store, `<store>/acme/orders.json`, written atomically; entries
older than 7 days are dropped. An order opened by step 1 of a two-step run is recorded as `opened` (it counts as
the certificate it is about to be); step 2 gives that entry its outcome (`issued`, or `failed` with the time it
failed, for failed_validations_per_hour). A zone's wildcard is one FQDN here (its store name): one order, one
certificate of its registered domain. The FQDNs deferred or skipped by the last run are in `<store>/pending.json`, read by
nginx_sites to leave out the vhosts that have no certificate yet.
"""

from __future__ import annotations

import datetime
import json
import os

from ansible_collections.panelops.reseller.plugins.module_utils._files import atomic_write

DEFAULT_BUDGET = {
    "orders_per_run": 100,
    "orders_per_3_hours": 250,
    "certificates_per_domain_week": 40,
    "failed_validations_per_hour": 3,
}
HISTORY_VERSION = 1
WEEK = datetime.timedelta(days=7)
ACCOUNT_WINDOW = datetime.timedelta(hours=3)
FAILURE_WINDOW = datetime.timedelta(hours=1)
_PSL = []  # the parsed list, loaded once per process (parsing it costs about 50 ms)


class BudgetError(Exception):
    """The budget settings or the order history cannot be used; nothing was ordered or written."""


class MissingLibrary(BudgetError):
    """publicsuffixlist is not installed on the host running the module."""

    def __init__(self, error):
        super(MissingLibrary, self).__init__("publicsuffixlist")
        self.library = "publicsuffixlist"
        self.error = error


def budget_problems(budget, where="panel_tls.acme_budget"):
    """Problems of an `acme_budget` mapping, each naming the field."""
    if budget is None:
        return []
    if not isinstance(budget, dict):
        return ["%s: must be a mapping" % where]
    problems = []
    for key in sorted(budget):
        value = budget[key]
        if key not in DEFAULT_BUDGET:
            problems.append("%s.%s: unknown setting (known: %s)" % (where, key, ", ".join(sorted(DEFAULT_BUDGET))))
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append("%s.%s: must be a whole number >= 1, got %r" % (where, key, value))
    return problems


def effective_budget(budget):
    merged = dict(DEFAULT_BUDGET)
    merged.update(budget or {})
    return merged


def registered_domain(fqdn):
    """The registered domain of fqdn (public suffix + one label); fqdn itself when it is a public suffix."""
    if not _PSL:
        # Imported here, not at the top: the inventory validation imports this file for budget_problems and
        # loads no library on the controller.
        try:
            from publicsuffixlist import PublicSuffixList
        except ImportError as exc:
            raise MissingLibrary(str(exc))
        _PSL.append(PublicSuffixList())
    return _PSL[0].privatesuffix(fqdn.lower().rstrip(".")) or fqdn.lower().rstrip(".")


# ----------------------------------------------------------------------------------------------- history

def history_path(store):
    return os.path.join(store, "acme", "orders.json")


def pending_path(store):
    return os.path.join(store, "pending.json")


def _stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(stamp):
    return datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)


def load_history(store, now):
    """The orders of the last 7 days: [{fqdn, domain, at (datetime), renewal, status}]."""
    path = history_path(store)
    try:
        with open(path) as handle:
            data = json.load(handle)
        entries = data["orders"] if data.get("version") == HISTORY_VERSION else None
        if not isinstance(entries, list):
            raise ValueError("not an order history of version %d" % HISTORY_VERSION)
        out = [_parsed(entry) for entry in entries]
    except FileNotFoundError:
        return []
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        # Guessing an empty history could exceed the CA's limits: the operator decides.
        raise BudgetError("the ACME order history %s cannot be read (%s); restore it, or remove it to start "
                          "counting from zero" % (path, exc))
    return [entry for entry in out if now - entry["at"] < WEEK]


def _parsed(entry):
    out = dict(entry, at=_parse(entry["at"]))
    if entry.get("finished_at"):
        out["finished_at"] = _parse(entry["finished_at"])
    return out


def _stamped(entry):
    out = dict(entry, at=_stamp(entry["at"]))
    if entry.get("finished_at"):
        out["finished_at"] = _stamp(entry["finished_at"])
    return out


def save_history(store, entries):
    data = {"version": HISTORY_VERSION,
            "orders": [_stamped(entry) for entry in sorted(entries, key=lambda e: e["at"])]}
    atomic_write(history_path(store), (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"), 0o600,
                 make_dirs_mode=0o700)


def history_entry(fqdn, now, renewal, status):
    return {"fqdn": fqdn, "domain": registered_domain(fqdn), "at": now, "renewal": bool(renewal), "status": status}


def finish_entries(history, finished, now):
    """The history with the outcome of orders opened by step 1 of a two-step run and finished now: the order's
    `opened` entry takes the outcome (`issued` or `failed`) and `finished_at`, so it stays one order of the account
    while a failed validation counts against failed_validations_per_hour and is no certificate of the weekly
    budget. An outcome whose opened entry is not in the history (removed by hand) is added as an order of now.

    finished: [(fqdn, renewal, status)]."""
    entries = [dict(entry) for entry in history]
    for fqdn, renewal, status in finished:
        opened = [entry for entry in entries if entry["fqdn"] == fqdn and entry["status"] == "opened"]
        if opened:
            entry = max(opened, key=lambda e: e["at"])
            entry.update(status=status, finished_at=now)
        else:
            entries.append(dict(history_entry(fqdn, now, renewal, status), finished_at=now))
    return entries


def read_pending(store):
    """{fqdn: reason} of the FQDNs the last run deferred or skipped ({} when none or unreadable)."""
    try:
        with open(pending_path(store)) as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return dict((str(k), str(v)) for k, v in data.items()) if isinstance(data, dict) else {}


def save_pending(store, pending):
    atomic_write(pending_path(store), (json.dumps(pending, indent=1, sort_keys=True) + "\n").encode("utf-8"),
                 0o644, make_dirs_mode=0o700)


# ----------------------------------------------------------------------------------------------- selection

def priority(candidate, now):
    """Sort key: live renewals by expiry, then expired renewals, then the provider's host, then new names."""
    not_after = candidate.get("not_after")
    if not_after is not None and not_after > now:
        return (0, not_after, candidate["index"])
    if not_after is not None:
        return (1, not_after, candidate["index"])
    return (2 if candidate.get("provider") else 3, now, candidate["index"])


class _Counts(object):
    def __init__(self, history, now):
        self.account = sum(1 for e in history if now - e["at"] < ACCOUNT_WINDOW)
        self.domains = {}
        self.failures = {}
        for entry in history:
            # An order opened by step 1 of a two-step run counts as the certificate it is about to be.
            if entry["status"] in ("issued", "opened"):
                self.domains[entry["domain"]] = self.domains.get(entry["domain"], 0) + 1
            elif now - entry.get("finished_at", entry["at"]) < FAILURE_WINDOW:
                # A failure counts from when it was known: the finish step of a two-step order may come later.
                self.failures.setdefault(entry["fqdn"], []).append(entry.get("finished_at", entry["at"]))
        self.run = 0


def _refusal(candidate, counts, budget, domain):
    """Why candidate may not be ordered now, or None."""
    failures = counts.failures.get(candidate["fqdn"], [])
    if len(failures) >= budget["failed_validations_per_hour"]:
        return ("failed %d time(s) in the last hour (failed_validations_per_hour %d); next try after %s"
                % (len(failures), budget["failed_validations_per_hour"],
                   _stamp(sorted(failures)[-budget["failed_validations_per_hour"]] + FAILURE_WINDOW)))
    if counts.run >= budget["orders_per_run"]:
        return "order budget of this run used (orders_per_run %d)" % budget["orders_per_run"]
    if counts.account >= budget["orders_per_3_hours"]:
        return ("order budget of the account used (orders_per_3_hours %d: %d orders in the last 3 hours)"
                % (budget["orders_per_3_hours"], counts.account))
    if counts.domains.get(domain, 0) >= budget["certificates_per_domain_week"]:
        return ("weekly budget of the registered domain %s used (certificates_per_domain_week %d)"
                % (domain, budget["certificates_per_domain_week"]))
    return None


def select(candidates, history, budget, now):
    """(fqdns to order in priority order, {fqdn: reason deferred}).

    candidates: [{fqdn, index, provider (bool), not_after (datetime of the stored certificate or None)}].
    """
    budget = effective_budget(budget)
    counts = _Counts(history, now)
    chosen, deferred = [], {}
    for candidate in sorted(candidates, key=lambda c: priority(c, now)):
        domain = registered_domain(candidate["fqdn"])
        reason = _refusal(candidate, counts, budget, domain)
        if reason is not None:
            deferred[candidate["fqdn"]] = reason
            continue
        chosen.append(candidate["fqdn"])
        counts.run += 1
        counts.account += 1
        counts.domains[domain] = counts.domains.get(domain, 0) + 1
    return chosen, deferred
