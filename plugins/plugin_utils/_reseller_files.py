# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reseller files of an inventory (`<inventory>/resellers/*.yml`) read into one `panel_resellers` list, fast.

Ansible's YAML loader tags every value it reads with its origin: 1000 resellers (1 MB of YAML) take it over two
seconds, 10 000 over twenty, paid at the start of every run. libyaml's C loader reads the same data in a
fraction of that. Files that need Ansible's loader (a `!vault` value, a vaulted file, any other `!` tag) go
through it, so vaulted values are decrypted as anywhere else in the inventory. A string holding a template marker
is marked trusted, as Ansible marks inventory strings, so `"{{ vault_acme_password }}"` still works; every other
string is plain data.

Each file holds one reseller (a mapping) or a list of them; files are read in sorted path order (subdirectories
included), and the order of the list is that order. Every problem names the file.
"""

from __future__ import annotations

import os
import re

import yaml
from ansible.template import trust_as_template

DIRECTORY = "resellers"
EXTENSIONS = (".yml", ".yaml", ".json")
# A YAML tag (`!vault`, `!unsafe`, ...) where a value starts, or a vaulted file: Ansible's loader must read it.
_NEEDS_ANSIBLE = re.compile(r"(^|[\s:\-\[,{])!\w|\$ANSIBLE_VAULT")
_TEMPLATE_MARKERS = ("{{", "{%", "{#")
# A top-level `panel_resellers:` in a group_vars file of group all (a second, silently overridden list).
_LIST_IN_GROUP_VARS = re.compile(r"^panel_resellers\s*:", re.MULTILINE)
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ResellerFilesError(Exception):
    """A reseller file that cannot be read or is not a reseller (or a list of them); the message names it."""


def reseller_files(inventory_dir):
    """The reseller files under `<inventory_dir>/resellers/`, sorted; hidden files and other extensions skipped."""
    top = os.path.join(inventory_dir, DIRECTORY)
    found = []
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, name) for name in files
                     if not name.startswith(".") and name.endswith(EXTENSIONS))
    return sorted(found)


def trust_templates(value):
    """`value` with every string that holds a template marker marked as a trusted template (a new structure)."""
    if isinstance(value, str):
        return trust_as_template(value) if any(m in value for m in _TEMPLATE_MARKERS) else value
    if isinstance(value, dict):
        return dict((key, trust_templates(item)) for key, item in value.items())
    if isinstance(value, list):
        return [trust_templates(item) for item in value]
    return value


def _load(path, ansible_loader):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if _NEEDS_ANSIBLE.search(text):
        return ansible_loader(path)
    data = yaml.load(text, Loader=_FastLoader)
    # Most files hold no template at all: walking them for one costs about a sixth of the load at 1000 resellers.
    return trust_templates(data) if any(m in text for m in _TEMPLATE_MARKERS) else data


def load_resellers(inventory_dir, ansible_loader):
    """[reseller mapping] of every reseller file, in file order; `ansible_loader(path)` reads a file that needs
    Ansible's loader. Raises ResellerFilesError naming the file and what is wrong with it."""
    resellers = []
    for path in reseller_files(inventory_dir):
        try:
            data = _load(path, ansible_loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ResellerFilesError("reseller file %s: cannot be read: %s" % (path, exc))
        items = data if isinstance(data, list) else [data]
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                where = path if data is item else "%s[%d]" % (path, index)
                raise ResellerFilesError("reseller file %s: must be a reseller (a mapping with `name`) or a list of "
                                         "them, got %s" % (where, type(item).__name__))
        resellers.extend(items)
    return resellers


def list_in_group_vars(inventory_dir):
    """The group_vars files of group all that also define `panel_resellers` (one list must not hide the other)."""
    group_vars = os.path.join(inventory_dir, "group_vars")
    candidates = [os.path.join(group_vars, "all" + ext) for ext in ("",) + EXTENSIONS]
    for root, dirs, files in os.walk(os.path.join(group_vars, "all")):
        dirs.sort()
        candidates.extend(os.path.join(root, name) for name in sorted(files))
    clashes = []
    for path in candidates:
        if os.path.isfile(path) and path.endswith(EXTENSIONS + ("/all",)):
            with open(path, encoding="utf-8", errors="replace") as handle:
                if _LIST_IN_GROUP_VARS.search(handle.read()):
                    clashes.append(path)
    return clashes
