# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the run summary from the per-item results the provisioning modules return.

Controller-side only (used by the run_summary callback). Every value read here is a name, a state, a URL, a plan
name, a certificate fact or a per-item status: nothing secret is ever copied out of a result. What a task
declared (its resellers and provider URL) is read only through _summary_contract.declared().
"""

from __future__ import annotations

import datetime
import json
import os
from urllib.parse import urlsplit

from ansible_collections.panelops.reseller.plugins.module_utils import _tls_wildcard
from ansible_collections.panelops.reseller.plugins.module_utils._files import atomic_write
from ansible_collections.panelops.reseller.plugins.plugin_utils._summary_contract import declared, declared_set_name

PREFIX = "panelops.reseller."
ACTIONS = ("panel_resellers", "tls_certificates", "dns_check", "dns_records", "nginx_sites", "frontend_health",
           "nginx_sites_restore")
COLUMNS = (
    ("reseller", "reseller"),
    ("state", "state"),
    ("url", "end-user URL"),
    ("plan", "plan"),
    ("issuer", "certificate issuer"),
    ("expires", "expires"),
    ("dns", "DNS"),
    ("changes", "changes"),
)
PROVIDER = "(provider)"


def _short(action):
    action = str(action or "")
    if action.startswith(PREFIX):
        return action[len(PREFIX):]
    if action.startswith("ansible_collections." + PREFIX):
        return action[len("ansible_collections." + PREFIX):]
    return action if action in ACTIONS else None


def _host(url):
    try:
        return (urlsplit(str(url)).hostname or "").rstrip(".").lower() or None
    except ValueError:
        return None


def _cn(name):
    """The CN of an RFC 4514 name, or the whole name when it has none."""
    for part in str(name or "").split(","):
        key, dummy, value = part.strip().partition("=")
        if key.upper() == "CN" and value:
            return value
    return str(name or "") or None


class RunSummary(object):
    """Collects results task by task; report() turns them into one row per reseller."""

    def __init__(self):
        self.resellers = {}  # name -> {state, url, plan}
        self.order = []
        self.provider_url = None
        self.usernames = {}  # username -> reseller
        self.panel = {}  # reseller -> [change]
        self.certificates = {}  # fqdn -> facts
        self.cert_changes = {}  # fqdn -> status
        self.dns = {}  # fqdn -> status
        self.vhosts = {}  # fqdn -> {host: status}
        self.vhost_sets = {}  # (fqdn, host) -> the site set its vhost belongs to
        self.rolled_back = set()  # (host, set name) restored after the host failed its health check
        self.failures = []
        self.check_mode = False
        self.seen = set()

    def has_data(self):
        return bool(self.seen)

    # --- collecting -------------------------------------------------------------------------------------
    def _declare(self, resellers, override=False):
        for item in resellers or []:
            if not isinstance(item, dict) or not item.get("name"):
                continue
            name = str(item["name"])
            if name not in self.resellers:
                self.resellers[name] = {}
                self.order.append(name)
            row = self.resellers[name]
            for key, source in (("state", "state"), ("url", "enduser_panel_url"), ("plan", "plan")):
                value = item.get(source)
                if value is not None and (override or key not in row):
                    row[key] = str(value)
            if row.get("state") is None:
                row["state"] = "present"
            for user in item.get("users") or []:
                if isinstance(user, dict) and user.get("username"):
                    self.usernames[str(user["username"])] = name

    def add(self, action, host, result, failed=False, check_mode=False):
        """Record one task result; results of other actions are ignored."""
        action = _short(action)
        if action not in ACTIONS or not isinstance(result, dict) or result.get("skipped"):
            return
        self.seen.add(action)
        self.check_mode = self.check_mode or bool(check_mode)
        resellers, provider_url = declared(result)
        getattr(self, "_add_" + action)(host, result, resellers, provider_url)
        if failed:
            self.failures.append("%s on %s: %s" % (action, host, str(result.get("msg", "failed")).splitlines()[0]))

    def _add_panel_resellers(self, host, result, resellers, provider_url):
        self._declare(resellers, override=True)
        for name, status in (result.get("resellers") or {}).items():
            if status != "unchanged":
                self.panel.setdefault(name, []).append("reseller %s" % status)
        for username, status in (result.get("users") or {}).items():
            if status != "unchanged":
                owner = self.usernames.get(username)
                if owner:
                    self.panel.setdefault(owner, []).append("user %s %s" % (username, status))
        for kind in ("plans", "configurations"):
            for key, status in (result.get(kind) or {}).items():
                owner, dummy, name = str(key).partition("/")
                if status != "unchanged" and name:
                    self.panel.setdefault(owner, []).append("%s %s %s" % (kind[:-1], name, status))
        for name, info in (result.get("offboarded") or {}).items():
            if isinstance(info, dict):
                self.panel.setdefault(name, []).append(
                    "%s client(s) moved to %s" % (info.get("clients_moved", 0), info.get("moved_to") or "the provider"))

    def _add_tls_certificates(self, host, result, resellers, provider_url):
        self._declare(resellers)
        if provider_url:
            self.provider_url = str(provider_url)
        for fqdn, facts in (result.get("certificates") or {}).items():
            if isinstance(facts, dict):
                self.certificates[fqdn] = dict(
                    issuer=_cn(facts.get("issuer")) if facts.get("issuer") else None,
                    not_after=facts.get("not_after"),
                    mode=facts.get("mode"),
                )
        for key, status in (("opened", "order opened"), ("created", "created"), ("renewed", "renewed"),
                            ("removed", "removed"),
                            ("failed_fqdns", "failed"), ("skipped_fqdns", "skipped")):
            for fqdn in result.get(key) or []:
                self.cert_changes[fqdn] = status
        for fqdn in result.get("deferred_fqdns") or []:
            facts = (result.get("certificates") or {}).get(fqdn) or {}
            self.cert_changes[fqdn] = "deferred (%s)" % facts.get("deferred", "order budget")
        self._add_wildcard_changes(result.get("certificates") or {})

    def _add_wildcard_changes(self, certificates):
        """A reseller served by its zone's wildcard shows what happened to the wildcard (one order for all)."""
        for fqdn, facts in certificates.items():
            wildcard = facts.get("wildcard") if isinstance(facts, dict) else None
            shared = self.cert_changes.get(_tls_wildcard.wildcard_for(fqdn)) if wildcard else None
            if shared is not None:
                retired = "; own certificate retired" if self.cert_changes.get(fqdn) == "removed" else ""
                self.cert_changes[fqdn] = "%s (the wildcard %s)%s" % (shared, wildcard, retired)

    def _add_dns_check(self, host, result, resellers, provider_url):
        for fqdn, info in (result.get("domains") or {}).items():
            if isinstance(info, dict) and info.get("status"):
                self.dns[fqdn] = str(info["status"])

    def _add_dns_records(self, host, result, resellers, provider_url):
        for status, label in (("created", "record created"), ("updated", "record updated"),
                              ("removed", "record removed"), ("unchanged", "managed"),
                              ("failed_fqdns", "update failed")):
            for fqdn in result.get(status) or []:
                self.dns[fqdn] = label

    def _add_nginx_sites(self, host, result, resellers, provider_url):
        self._declare(resellers)
        if provider_url:
            self.provider_url = self.provider_url or str(provider_url)
        sites = result.get("sites") or {}
        set_name = declared_set_name(result)
        for fqdn in list(sites) + list(result.get("certificates") or {}):
            self.vhost_sets[(fqdn, host)] = set_name
        for fqdn, status in sites.items():
            if status != "unchanged":
                self.vhosts.setdefault(fqdn, {}).setdefault("vhost %s on" % status, set()).add(host)
        for fqdn in result.get("unpublished") or {}:
            self.vhosts.setdefault(fqdn, {}).setdefault("vhost not published (no certificate yet) on", set()).add(host)
        for fqdn, status in (result.get("certificates") or {}).items():
            # A new or changed vhost ships its certificate anyway; report copies only for kept vhosts.
            if status != "unchanged" and sites.get(fqdn, "unchanged") == "unchanged":
                self.vhosts.setdefault(fqdn, {}).setdefault("certificate installed on", set()).add(host)

    def _add_frontend_health(self, host, result, resellers, provider_url):
        """Nothing to collect: the check changes nothing, and add() lists it when it fails."""

    def _add_nginx_sites_restore(self, host, result, resellers, provider_url):
        for set_name in result.get("restored") or []:
            self.rolled_back.add((host, str(set_name)))

    def _vhost_changes(self, fqdn):
        """What happened to the vhost of fqdn, frontend by frontend; a change a failed health check undid says so."""
        changes = []
        for what, hosts in sorted((self.vhosts.get(fqdn) or {}).items()):
            undone = sorted(h for h in hosts if (h, self.vhost_sets.get((fqdn, h))) in self.rolled_back)
            kept = sorted(h for h in hosts if h not in undone)
            if kept:
                changes.append("%s %s" % (what, ", ".join(kept)))
            if undone:
                changes.append("%s %s, then rolled back (health check failed)" % (what, ", ".join(undone)))
        return changes

    # --- reporting --------------------------------------------------------------------------------------
    def _row(self, name, state, url, plan, changes):
        fqdn = _host(url) if url else None
        cert = self.certificates.get(fqdn) or {}
        if fqdn in self.cert_changes:
            changes.append("certificate %s" % self.cert_changes[fqdn])
        dns = self.dns.get(fqdn)
        if dns in ("record created", "record updated", "record removed"):
            changes.append("DNS %s" % dns)
        changes.extend(self._vhost_changes(fqdn))
        prefix = "would: " if self.check_mode and changes else ""
        return dict(
            reseller=name, state=state, url=url, fqdn=fqdn, plan=plan,
            issuer=cert.get("issuer"), expires=cert.get("not_after"), certificate_mode=cert.get("mode"),
            dns=dns or ("not checked" if fqdn else None),
            changes=changes, changed=bool(changes), summary=(prefix + "; ".join(changes)) if changes else "unchanged",
        )

    def report(self, now=None):
        now = now or datetime.datetime.now(datetime.timezone.utc)
        rows = []
        for name in sorted(self.order):
            info = self.resellers[name]
            rows.append(self._row(name, info.get("state"), info.get("url"), info.get("plan"),
                                  list(self.panel.get(name, []))))
        provider = None
        if self.provider_url:
            provider = self._row(PROVIDER, "present", self.provider_url, None, [])
        changed = sum(1 for row in rows if row["changed"])
        return dict(
            generated=now.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            check_mode=self.check_mode,
            resellers=rows,
            provider=provider,
            totals=dict(resellers=len(rows), changed=changed, unchanged=len(rows) - changed,
                        by_state=_count(row["state"] for row in rows)),
            failures=list(self.failures),
        )


def _count(values):
    out = {}
    for value in values:
        out[value] = out.get(value, 0) + 1
    return dict(sorted(out.items()))


def _cells(report):
    rows = list(report["resellers"])
    if report.get("provider"):
        rows.append(report["provider"])
    out = []
    for row in rows:
        cells = []
        for key, dummy in COLUMNS:
            value = row["summary"] if key == "changes" else row.get(key)
            cells.append("-" if value in (None, "") else str(value))
        out.append(cells)
    return out


def _heading(report):
    totals = report["totals"]
    mode = "check mode (nothing was changed)" if report["check_mode"] else "applied"
    if report["failures"]:
        mode += ", %d task(s) FAILED (listed below; their items are not counted as changed)" % len(report["failures"])
    states = ", ".join("%d %s" % (n, s) for s, n in totals["by_state"].items()) or "none"
    return "%d reseller(s) (%s): %d changed, %d unchanged - %s - %s" % (
        totals["resellers"], states, totals["changed"], totals["unchanged"], mode, report["generated"])


def to_text(report):
    """A fixed-width table for the terminal."""
    header = [title for dummy, title in COLUMNS]
    rows = _cells(report)
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = [_heading(report), ""]
    for cells in [header, ["-" * w for w in widths]] + rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    for failure in report["failures"]:
        lines.append("FAILED: %s" % failure)
    return "\n".join(lines)


def _md(value):
    return value.replace("|", "\\|").replace("\n", " ")


def to_markdown(report):
    """The same table as GitHub/GitLab-flavoured Markdown (what a CI job posts on a merge request)."""
    lines = ["# Run summary", "", _heading(report), ""]
    lines.append("| " + " | ".join(title for dummy, title in COLUMNS) + " |")
    lines.append("|" + "---|" * len(COLUMNS))
    for cells in _cells(report):
        lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
    if report["failures"]:
        lines += ["", "## Failures", ""] + ["- %s" % _md(f) for f in report["failures"]]
    return "\n".join(lines) + "\n"


def write_report(report, directory):
    """Write run-summary.md and run-summary.json into directory (created if missing), each atomically."""
    os.makedirs(directory, exist_ok=True)
    md_path = os.path.join(directory, "run-summary.md")
    json_path = os.path.join(directory, "run-summary.json")
    atomic_write(md_path, to_markdown(report).encode("utf-8"), 0o644)
    atomic_write(json_path, (json.dumps(report, indent=2, sort_keys=True) + "\n").encode("utf-8"), 0o644)
    return [md_path, json_path]
