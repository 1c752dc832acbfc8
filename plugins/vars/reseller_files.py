# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Vars plugin: `panel_resellers` of group all from the inventory's `resellers/` directory, read fast."""

from __future__ import annotations

DOCUMENTATION = r"""
name: reseller_files
version_added: 0.2.0
short_description: The reseller list from one file per reseller in the inventory's resellers/ directory
author: panelops.reseller contributors (@panelops)
description:
  - Sets C(panel_resellers) for group C(all) from the files under C(<inventory>/resellers/) (C(.yml), C(.yaml),
    C(.json); subdirectories included; hidden files skipped), read in sorted path order. Each file holds one
    reseller (a mapping) or a list of them.
  - Reads plain files with libyaml's C loader, many times faster than Ansible's own loader at thousands of
    resellers; a file with a C(!vault) value, a vaulted file or any other YAML tag is read by Ansible's loader,
    so vaulted values work as in any other inventory file. Strings holding a template are trusted as templates,
    like inventory strings.
  - An inventory without a C(resellers/) directory is left alone (C(panel_resellers) from C(group_vars) works as
    before). A C(resellers/) directory together with a C(panel_resellers) in the C(group_vars) of group C(all) is
    an error naming both, never a silent override.
  - The inventory source must not read C(resellers/) as hosts, so C(ignore_patterns) in the C([inventory])
    section of C(ansible.cfg) must list it (this collection's C(ansible.cfg) does).
requirements:
  - Enabled in C(ansible.cfg) by C(vars_plugins_enabled = host_group_vars, panelops.reseller.reseller_files) in
    C([defaults]).
  - PyYAML with libyaml for the speed (the pure-Python loader is used otherwise).
extends_documentation_fragment:
  - ansible.builtin.vars_plugin_staging
"""

import os

from ansible.errors import AnsibleParserError
from ansible.inventory.group import InventoryObjectType
from ansible.plugins.vars import BaseVarsPlugin
from ansible.utils.path import basedir

from ansible_collections.panelops.reseller.plugins.plugin_utils._reseller_files import (
    DIRECTORY,
    ResellerFilesError,
    list_in_group_vars,
    load_resellers,
)

# One read per inventory directory and run: Ansible asks for the vars of group all more than once.
_LOADED = {}


class VarsModule(BaseVarsPlugin):
    is_stateless = True

    def get_vars(self, loader, path, entities, cache=True):
        entities = entities if isinstance(entities, list) else [entities]
        if not any(getattr(e, "base_type", None) is InventoryObjectType.GROUP and e.name == "all" for e in entities):
            return {}
        inventory_dir = os.path.realpath(basedir(path))
        if not os.path.isdir(os.path.join(inventory_dir, DIRECTORY)):
            return {}
        if not cache or inventory_dir not in _LOADED:
            _LOADED[inventory_dir] = self._read(loader, inventory_dir)
        return {"panel_resellers": _LOADED[inventory_dir]}

    @staticmethod
    def _read(loader, inventory_dir):
        clashes = list_in_group_vars(inventory_dir)
        if clashes:
            raise AnsibleParserError(
                "panel_resellers is defined twice: by the reseller files in %s and in %s; keep one of them"
                % (os.path.join(inventory_dir, DIRECTORY), ", ".join(clashes)))
        try:
            return load_resellers(inventory_dir, lambda p: loader.load_from_file(
                p, cache="none", unsafe=True, trusted_as_template=True))
        except ResellerFilesError as exc:
            raise AnsibleParserError(str(exc))
