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

Even libyaml takes about 0.2 s for 1000 reseller files, on every run, while a run usually changes none of them:
`ParsedFiles` keeps what plain files parsed to between runs, by the SHA-256 of their text, in one JSON file per
inventory directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile

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


def is_json_exact(value):
    """True when JSON gives `value` back as it is: mappings with string keys, lists, strings, numbers, booleans
    and null only (a YAML date or an integer key would come back as something else)."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            if not all(isinstance(key, str) for key in item):
                return False
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
        elif not isinstance(item, (str, int, float, type(None))):
            return False
    return True


class ParsedFiles:
    """What plain reseller files parsed to, by the SHA-256 of their text, kept between runs in one JSON file.

    Keyed by content, an edited file is a new key, never a stale value; each save keeps only the files of this
    read, so a removed reseller's data leaves the cache with the next run. A file JSON cannot hold exactly is
    parsed on every run. Only plain files come here: vaulted and tagged ones go through Ansible's loader. The
    cache file holds what the plain files hold (mode 0600, in a 0700 directory); a cache that is missing,
    damaged or cannot be written only makes the read slower. `path` None keeps nothing.
    """

    VERSION = 1

    def __init__(self, path):
        self.path = path
        self._known = self._read(path) if path else {}
        self._kept = {}

    @classmethod
    def _read(cls, path):
        try:
            with open(path, encoding="utf-8") as handle:
                cached = json.load(handle)
        except (OSError, ValueError):
            return {}
        if not isinstance(cached, dict) or cached.get("version") != cls.VERSION:
            return {}
        files = cached.get("files")
        return files if isinstance(files, dict) else {}

    def parse(self, text):
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest in self._known:
            data = self._known[digest]
        else:
            data = yaml.load(text, Loader=_FastLoader)
            if not is_json_exact(data):
                return data
        self._kept[digest] = data
        return data

    def save(self):
        if self.path is None or self._kept.keys() == self._known.keys():
            return
        directory = os.path.dirname(self.path)
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".reseller-files-")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    # dumps, not dump: json.dump writes through the pure-Python encoder, several times slower.
                    out.write(json.dumps({"version": self.VERSION, "files": self._kept}))
                os.replace(temporary, self.path)
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
        except OSError:
            pass  # the next run parses the files again


def _load(path, ansible_loader, parsed):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if _NEEDS_ANSIBLE.search(text):
        return ansible_loader(path)
    data = parsed.parse(text)
    # Most files hold no template at all: walking them for one costs about a sixth of the load at 1000 resellers.
    return trust_templates(data) if any(m in text for m in _TEMPLATE_MARKERS) else data


def load_resellers(inventory_dir, ansible_loader, cache_path=None):
    """[reseller mapping] of every reseller file, in file order; `ansible_loader(path)` reads a file that needs
    Ansible's loader; `cache_path`, the ParsedFiles file of this inventory directory (None: none). Raises
    ResellerFilesError naming the file and what is wrong with it."""
    resellers = []
    parsed = ParsedFiles(cache_path)
    for path in reseller_files(inventory_dir):
        try:
            data = _load(path, ansible_loader, parsed)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ResellerFilesError("reseller file %s: cannot be read: %s" % (path, exc))
        items = data if isinstance(data, list) else [data]
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                where = path if data is item else "%s[%d]" % (path, index)
                raise ResellerFilesError("reseller file %s: must be a reseller (a mapping with `name`) or a list of "
                                         "them, got %s" % (where, type(item).__name__))
        resellers.extend(items)
    parsed.save()
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
