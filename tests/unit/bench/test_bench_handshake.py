# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import os

from bench import handshake

RESELLER = ("# Managed by panelops.reseller nginx_sites, set=resellers\nserver {\n"
            "    ssl_certificate %(prefix)s/tls/cloud.a.test.crt$panelops_tls_at_handshake;\n"
            "    ssl_certificate_key %(prefix)s/tls/cloud.a.test.key$panelops_tls_at_handshake;\n}\n")


def _state(tmp_path):
    state = tmp_path / "ours-1"
    sites = state / "nginx" / "sites"
    sites.mkdir(parents=True)
    prefix = str(state / "nginx")
    (state / "nginx" / "nginx.conf").write_text("pid %s/nginx.pid;\ninclude %s/sites/*.conf;\n" % (prefix, prefix))
    (sites / "cloud.a.test.conf").write_text(RESELLER % {"prefix": prefix})
    (sites / "_resellers.conf").write_text("# Managed by panelops.reseller nginx_sites, set=resellers\n")
    (sites / "panel.p.test.conf").write_text("# Managed by panelops.reseller nginx_sites, set=provider\n")
    return str(state), prefix


def test_the_reseller_names_are_the_reseller_sets_own_files(tmp_path):
    state, _prefix = _state(tmp_path)
    assert handshake._reseller_names(state) == ["cloud.a.test"]


def test_the_reload_copy_drops_the_variable_and_both_copies_live_in_their_own_prefix(tmp_path):
    state, prefix = _state(tmp_path)
    for loading in ("reload", "handshake"):
        target = str(tmp_path / loading)
        base = handshake._copy(state, target, loading)
        assert base[1:5] == ["-p", target, "-c", os.path.join(target, "nginx.conf")]
        text = open(os.path.join(target, "sites", "cloud.a.test.conf")).read()
        assert prefix not in text and "%s/tls/cloud.a.test.crt" % target in text
        assert ("$panelops_tls_at_handshake" in text) == (loading == "handshake")
        assert prefix not in open(os.path.join(target, "nginx.conf")).read()


def test_describe_has_a_row_per_setting():
    row = dict(nginx_t_s=0.8, nginx_t_peak_rss_mb=68.2, full_handshake_cpu_ms=0.6, resumed_handshake_cpu_ms=0.2,
               resumed=990)
    text = handshake.describe({"reload": row, "handshake": dict(row, nginx_t_s=0.2)}, 1000)
    assert "| handshake | 0.20 | 68 | 0.60 | 0.20 (990 resumed) |" in text
    assert "| reload | 0.80 |" in text and "(N=1000)" in text
