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
  - What the plain files parsed to is kept between runs in O(cache_dir), one file per inventory directory, keyed
    by the SHA-256 of each file's text, so an unchanged file is not parsed again (libyaml takes about 0.2 s for
    1000 reseller files on every run). An edited file is parsed anew; files with vaulted values are never kept.
options:
  cache_dir:
    description:
      - Where the parsed plain reseller files are kept between runs; an empty value keeps nothing.
      - Defaults to C(panelops_reseller/reseller_files) in Ansible's home directory (C(ANSIBLE_HOME), normally
        C(~/.ansible)).
      - Each cache file holds what the plain reseller files of one inventory hold (password hashes, for
        example), so it is written with mode 0600 in a directory of mode 0700, and keeps only the files the last
        read found.
    type: str
    env:
      - name: PANELOPS_RESELLER_FILES_CACHE_DIR
    ini:
      - section: panelops_reseller
        key: reseller_files_cache_dir
    version_added: 0.2.0
requirements:
  - Enabled in C(ansible.cfg) by C(vars_plugins_enabled = host_group_vars, panelops.reseller.reseller_files) in
    C([defaults]).
  - PyYAML with libyaml for the speed (the pure-Python loader is used otherwise).
extends_documentation_fragment:
  - ansible.builtin.vars_plugin_staging
"""

import hashlib
import os

from ansible import constants as C
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
            _LOADED[inventory_dir] = self._read(loader, inventory_dir, self._cache_path(inventory_dir))
        return {"panel_resellers": _LOADED[inventory_dir]}

    def _cache_path(self, inventory_dir):
        """This inventory directory's file in cache_dir (None: the option is empty)."""
        directory = self.get_option("cache_dir")
        if directory is None:
            directory = os.path.join(C.config.get_config_value("ANSIBLE_HOME"), "panelops_reseller", "reseller_files")
        if not directory:
            return None
        name = hashlib.sha256(inventory_dir.encode("utf-8")).hexdigest()[:32] + ".json"
        return os.path.join(os.path.expanduser(directory), name)

    @staticmethod
    def _read(loader, inventory_dir, cache_path):
        clashes = list_in_group_vars(inventory_dir)
        if clashes:
            raise AnsibleParserError(
                "panel_resellers is defined twice: by the reseller files in %s and in %s; keep one of them"
                % (os.path.join(inventory_dir, DIRECTORY), ", ".join(clashes)))
        try:
            return load_resellers(inventory_dir, lambda p: loader.load_from_file(
                p, cache="none", unsafe=True, trusted_as_template=True), cache_path)
        except ResellerFilesError as exc:
            raise AnsibleParserError(str(exc))
