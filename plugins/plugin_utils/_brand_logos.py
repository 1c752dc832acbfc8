# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Brand logos are files on the controller: read and checked here, then sent to the modules embedded.

A relative `logo:` path is taken relative to the inventory directory (where the brand is declared). The file's
size is checked before it is read, its content type by its bytes (module_utils/_brand_logo.py).
"""

from __future__ import annotations

import os

from ansible_collections.panelops.reseller.plugins.module_utils._brand_logo import (
    LOGO_MAX_BYTES,
    embed_logo,
    sniff_logo,
)


def logo_path(path, base_dir):
    path = os.path.expanduser(path)
    if not os.path.isabs(path) and base_dir:
        path = os.path.join(base_dir, path)
    return os.path.normpath(path)


def read_logo(path, base_dir):
    """(embedded logo, None) for the file at `path`, or (None, a sentence naming the file and the problem)."""
    full = logo_path(path, base_dir)
    try:
        size = os.stat(full).st_size
        if size > LOGO_MAX_BYTES:
            return None, "%s has %d bytes; at most %d (%d KiB) are accepted" % (
                full, size, LOGO_MAX_BYTES, LOGO_MAX_BYTES // 1024)
        with open(full, "rb") as handle:
            data = handle.read(LOGO_MAX_BYTES + 1)
    except (IOError, OSError) as exc:
        return None, "cannot read %s: %s" % (full, exc.strerror or exc)
    problem = sniff_logo(data)[1]
    if problem:
        return None, "%s: %s" % (full, problem)
    return embed_logo(data), None


def embed_brand_logo(brand, label, base_dir):
    """A copy of `brand` with its `logo` path replaced by the embedded file; (copy, problems)."""
    if not isinstance(brand, dict) or not isinstance(brand.get("logo"), str) or not brand["logo"]:
        return brand, []
    embedded, problem = read_logo(brand["logo"], base_dir)
    if problem:
        return brand, ["%s.logo: %s" % (label, problem)]
    return dict(brand, logo=embedded), []


def embed_reseller_logos(resellers, base_dir):
    """The reseller list with every `brand.logo` embedded (only those resellers are copied); (list, problems)."""
    out, problems = [], []
    for index, res in enumerate(resellers or []):
        # An offboarded reseller's brand is not seeded, so its files need not exist any more.
        if isinstance(res, dict) and isinstance(res.get("brand"), dict) and res.get("state") != "absent":
            label = "reseller %r: brand" % (res.get("name") or "#%d" % index)
            brand, found = embed_brand_logo(res["brand"], label, base_dir)
            problems.extend(found)
            res = dict(res, brand=brand)
        out.append(res)
    return out, problems


def logo_problems(model, base_dir):
    """Every unreadable or unacceptable logo file of the provider's and the resellers' brands."""
    problems = list(embed_brand_logo(model.get("panel_brand"), "panel_brand", base_dir)[1])
    resellers = model.get("panel_resellers")
    if isinstance(resellers, list):
        problems.extend(embed_reseller_logos(resellers, base_dir)[1])
    return problems
