# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Logo files on the controller: read relative to the inventory, checked, embedded; every problem named."""
from __future__ import annotations

from ansible_collections.panelops.reseller.plugins.module_utils._brand_logo import LOGO_MAX_BYTES, decode_embedded_logo
from ansible_collections.panelops.reseller.plugins.plugin_utils._brand_logos import (
    embed_brand_logo,
    embed_reseller_logos,
    logo_problems,
    read_logo,
)
from tests.support.images import SVG, png


def test_a_relative_logo_is_read_from_the_inventory_directory(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "acme.png").write_bytes(png())
    embedded, problem = read_logo("files/acme.png", str(tmp_path))
    assert problem is None
    assert decode_embedded_logo(embedded)[:2] == (png(), "image/png")
    brand, problems = embed_brand_logo({"name": "ACME", "logo": "files/acme.png"}, "panel_brand", str(tmp_path))
    assert problems == [] and brand["logo"] == embedded and brand["name"] == "ACME"


def test_missing_oversized_and_svg_files_are_named(tmp_path):
    (tmp_path / "big.png").write_bytes(b"\x00" * (LOGO_MAX_BYTES + 1))
    (tmp_path / "logo.svg").write_bytes(SVG)
    (tmp_path / "renamed.png").write_bytes(SVG)
    model = {"panel_brand": {"name": "P", "logo": "missing.png"},
             "panel_resellers": [{"name": "acme", "brand": {"name": "A", "logo": "big.png"}},
                                 {"name": "globex", "brand": {"name": "G", "logo": "logo.svg"}},
                                 {"name": "initech", "brand": {"name": "I", "logo": str(tmp_path / "renamed.png")}},
                                 # Offboarded: its brand is not seeded, so its file may be gone.
                                 {"name": "gone", "state": "absent", "brand": {"name": "X", "logo": "nope.png"}}]}
    problems = logo_problems(model, str(tmp_path))
    assert problems[0] == "panel_brand.logo: cannot read %s: No such file or directory" % (tmp_path / "missing.png")
    assert problems[1].startswith("reseller 'acme': brand.logo: %s has %d bytes; at most" % (
        tmp_path / "big.png", LOGO_MAX_BYTES + 1))
    assert problems[2].startswith("reseller 'globex': brand.logo: %s: SVG (or other markup) is refused" % (
        tmp_path / "logo.svg"))
    # Judged by content, not by name.
    assert "renamed.png: SVG (or other markup) is refused" in problems[3]
    assert len(problems) == 4


def test_only_resellers_with_a_logo_are_copied(tmp_path):
    (tmp_path / "a.png").write_bytes(png())
    plain = {"name": "plain"}
    resellers, problems = embed_reseller_logos([plain, {"name": "a", "brand": {"name": "A", "logo": "a.png"}}],
                                               str(tmp_path))
    assert problems == []
    assert resellers[0] is plain
    assert resellers[1]["brand"]["logo"]["content_type"] == "image/png"
