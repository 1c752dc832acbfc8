# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # What every seeding module does the same way (plugins/module_utils/_seed_runner.py run_seed): one
    # transaction, rolled back in check mode; a readable diff of rows.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: The same transaction runs and is rolled back.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details: Rows before and after, one line per plan, reseller, user or configuration; never a password or hash.
notes:
  - The whole input is validated before the database is opened; every problem is reported at once.
  - Runs in one transaction under the panel-wide lock (see O(db.lock_timeout)), after checking the panel's
    schema version; on any error the database is left as it was.
"""

    # The options of the modules that seed the records of one owner (_seed_runner.OWNED_OPTIONS).
    OWNED = r"""
options:
  owner:
    description:
      - Name of the reseller that owns the records; the provider when omitted.
    type: str
  purge:
    description:
      - Delete the owner's managed records that the list does not name. A record still in use is not deleted;
        the task then fails naming who uses it.
    type: bool
    default: true
"""
