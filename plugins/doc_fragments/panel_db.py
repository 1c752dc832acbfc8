# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The `db` option every panel database module shares (plugins/module_utils/_panel_db.py DB_ARGUMENT_SPEC).
    DOCUMENTATION = r"""
options:
  db:
    description:
      - How to reach the panel database, usually the inventory's C(panel_db).
    type: dict
    required: true
    suboptions:
      engine:
        description: Database engine.
        type: str
        default: sqlite
        choices: [sqlite, postgresql, mariadb]
      path:
        description: SQLite database file (engine C(sqlite)).
        type: path
      host:
        description: Server address (engines C(postgresql) and C(mariadb)).
        type: str
        default: 127.0.0.1
      port:
        description: Server port; the engine's default when omitted.
        type: int
      name:
        description: Database name.
        type: str
      user:
        description: Database user.
        type: str
      password:
        description: Database password.
        type: str
      lock_timeout:
        description:
          - Seconds to wait for another provisioner run holding the panel lock before failing.
        type: int
        default: 120
requirements:
  - psycopg >= 3.1 (engine C(postgresql))
  - PyMySQL >= 1.1 (engine C(mariadb))
"""
