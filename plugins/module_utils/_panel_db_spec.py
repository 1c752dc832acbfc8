# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory's `panel_db` mapping: the engines the collection speaks and what each needs.

Pure Python (no database driver), so the inventory validation on the controller loads neither psycopg nor
PyMySQL; _panel_db, which connects, checks its input with the same validate_spec().
"""

from __future__ import annotations

ENGINES = ("sqlite", "postgresql", "mariadb")
# Seconds a run waits for another run holding the panel lock.
DEFAULT_LOCK_TIMEOUT = 120


def validate_spec(spec):
    """Problems with a `panel_db` mapping, as a list of messages (empty when it can be used)."""
    problems = []
    if not isinstance(spec, dict):
        return ["panel_db: must be a mapping with at least `engine`"]
    engine = spec.get("engine") or "sqlite"
    if engine not in ENGINES:
        problems.append("panel_db.engine: must be one of %s, not %r" % (", ".join(ENGINES), engine))
    elif engine == "sqlite":
        if not spec.get("path"):
            problems.append("panel_db.path: required for engine sqlite")
    else:
        for key in ("name", "user"):
            if not spec.get(key):
                problems.append("panel_db.%s: required for engine %s" % (key, engine))
    return problems
