# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Panel settings: the known keys, their types, and a batch upsert with per-key results and a diff."""

from __future__ import annotations

import re

from ansible_collections.panelops.reseller.plugins.module_utils._canonical import canonical_json
from ansible_collections.panelops.reseller.plugins.module_utils._names import check_https_url

# Keys the provisioner may write. `schema.version` belongs to the panel's migrations and is read-only.
READ_ONLY_KEYS = ("schema.version",)


def _bool(key, value):
    if not isinstance(value, bool):
        return "%s: must be a boolean (true/false), got %s %r" % (key, type(value).__name__, value)
    return None


def _provider_url(key, value):
    if value is None:
        return None
    problems = check_https_url(value, require_root_path=True)
    if problems:
        return "%s: %s" % (key, "; ".join(problems))
    return None


_DASHBOARD_PATH = re.compile(r"^/(?:[a-z0-9][a-z0-9._-]*/)+$")


def _dashboard_path(key, value):
    if not isinstance(value, str) or not _DASHBOARD_PATH.match(value):
        return "%s: must be a path like /reseller/ (lowercase segments, leading and trailing slash), got %r" % (
            key, value)
    if value in ("/staff/",) or value.startswith("/staff/"):
        return "%s: /staff/ is reserved for Django admin" % key
    return None


KNOWN_SETTINGS = {
    "reseller.enabled": _bool,
    "reseller.force_registration": _bool,
    "provider.frontend_url": _provider_url,
    "reseller.dashboard_path": _dashboard_path,
}


def validate_settings(settings):
    """Every problem with a settings mapping, each naming its key."""
    problems = []
    if not isinstance(settings, dict):
        return ["settings: must be a mapping of setting key to value"]
    for key in sorted(settings):
        if key in READ_ONLY_KEYS:
            problems.append("%s: is managed by the panel's migrations and cannot be set" % key)
        elif key not in KNOWN_SETTINGS:
            problems.append("%s: unknown setting key (known: %s)" % (key, ", ".join(sorted(KNOWN_SETTINGS))))
        else:
            problem = KNOWN_SETTINGS[key](key, settings[key])
            if problem:
                problems.append(problem)
    return problems


def _yaml_line(key, value):
    return "%s: %s\n" % (key, canonical_json(value))


def apply_settings(db, settings):
    """Upsert `settings` inside the caller's transaction. Returns the module result fields."""
    current = db.read_settings()
    results = {}
    before, after = [], []
    for key in sorted(settings):
        value = settings[key]
        if key in current and canonical_json(current[key]) == canonical_json(value):
            results[key] = "unchanged"
            continue
        db.write_setting(key, value, exists=key in current)
        results[key] = "updated" if key in current else "created"
        if key in current:
            before.append(_yaml_line(key, current[key]))
        after.append(_yaml_line(key, value))
    changed = any(state != "unchanged" for state in results.values())
    return dict(
        changed=changed,
        settings=results,
        created=sorted(k for k, v in results.items() if v == "created"),
        updated=sorted(k for k, v in results.items() if v == "updated"),
        unchanged=sorted(k for k, v in results.items() if v == "unchanged"),
        diff=dict(before="".join(before), after="".join(after), before_header="panel_setting",
                  after_header="panel_setting"),
    )
