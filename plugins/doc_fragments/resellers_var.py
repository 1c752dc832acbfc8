# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The option of the batch modules whose action plugin reads the reseller list from a host variable
    # (plugins/plugin_utils/_inventory_lists.py take_list_from_variable).
    DOCUMENTATION = r"""
options:
  resellers_var:
    description:
      - Name of a host variable holding the reseller list (normally C(panel_resellers)), read by the action
        plugin on the controller instead of O(resellers). A list of 1000 resellers passed as a task argument
        costs seconds per task; read this way it costs a fraction of that.
      - Mutually exclusive with O(resellers).
    type: str
    version_added: 0.1.0
"""
