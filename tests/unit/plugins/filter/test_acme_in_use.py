# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible_collections.panelops.reseller.plugins.filter.acme_in_use import acme_in_use

INTERNAL = [{"name": "a", "tls": {"mode": "internal_ca"}}, {"name": "b"}, {"name": "c", "tls": None}]


@pytest.mark.parametrize("resellers, default_tls, provider_tls, expected", [
    (INTERNAL, {}, {}, False),
    (INTERNAL, None, None, False),
    ([], {"mode": "internal_ca"}, {}, False),
    (INTERNAL, {"mode": "acme"}, {}, True),
    (INTERNAL, {}, {"mode": "acme"}, True),
    (INTERNAL + [{"name": "d", "tls": {"mode": "acme"}}], {}, {}, True),
    # A reseller without a mode of its own takes the default's: acme only through it.
    ([{"name": "e", "tls": {"challenge": "dns-01"}}], {"mode": "acme"}, {}, True),
    ([{"name": "e", "tls": {"challenge": "dns-01"}}], {}, {}, False),
    (["not a reseller", {"name": "f", "tls": "acme"}], {}, {}, False),
])
def test_acme_in_use(resellers, default_tls, provider_tls, expected):
    assert acme_in_use(resellers, default_tls, provider_tls) is expected
