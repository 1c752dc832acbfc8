# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""panel_tls.wildcard_zones: 30 resellers under one zone share one *.zone certificate of the internal CA, which
nginx_sites installs for each of their vhosts; a reseller moving to its own domain gets its own certificate."""
from __future__ import annotations

import datetime
import os

from ansible_collections.panelops.reseller.plugins.action.nginx_sites import read_certificates
from ansible_collections.panelops.reseller.plugins.module_utils import _tls, _tls_wildcard

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.timezone.utc)
ZONE = "resellers.provider.test"


def resellers(count, own=()):
    out = []
    for index in range(count):
        name = "r%02d" % index
        fqdn = ("cloud.%s.test" % name) if name in own else "%s.%s" % (name, ZONE)
        out.append({"name": name, "state": "present", "enduser_panel_url": "https://%s/" % fqdn})
    return out


def ensure(store, items, **tls):
    default_tls = dict({"mode": "internal_ca", "wildcard_zones": [ZONE]}, **tls)
    return _tls.ensure_certificates(str(store), items, provider_url="https://panel.provider.test/",
                                    default_tls=default_tls, now=NOW)


def test_zone_rules():
    assert _tls_wildcard.zone_of("a.resellers.provider.test", [ZONE + "."]) == ZONE
    assert _tls_wildcard.zone_of("x.a.resellers.provider.test", [ZONE]) is None
    assert _tls_wildcard.zone_of(ZONE, [ZONE]) is None
    assert _tls_wildcard.zones_problems([ZONE]) == []
    assert _tls_wildcard.zones_problems("x") == ["panel_tls.wildcard_zones: must be a list of zone names"]
    assert _tls_wildcard.zones_problems(["test", 3]) == [
        "panel_tls.wildcard_zones[0]: 'test': 'test' is not fully qualified (needs at least one dot)",
        "panel_tls.wildcard_zones[1]: 3: must be a zone name"]


def test_thirty_resellers_share_one_wildcard_and_one_moves_to_its_own_domain(tmp_path):
    store = tmp_path / "store"
    fqdns = ["r%02d.%s" % (i, ZONE) for i in range(30)]
    first = ensure(store, resellers(30))
    wildcard = _tls_wildcard.store_name(ZONE)
    # The provider's host and one wildcard: two certificates for 31 sites.
    assert first["created"] == [wildcard, "panel.provider.test"]
    assert sorted(os.listdir(store / "certs")) == [wildcard, "panel.provider.test"]
    assert first["certificates"][wildcard]["san"] == ["*." + ZONE]
    assert first["certificates"][fqdns[7]]["wildcard"] == "*." + ZONE
    assert first["certificates"][fqdns[7]]["where"] == "reseller 'r07'"
    found, missing = read_certificates(str(store), fqdns)
    assert missing == [] and len(set(cert["fullchain"] for cert in found.values())) == 1
    leaf = _tls.load_certs(found[fqdns[0]]["fullchain"].encode("ascii"))[0]
    assert all(any(_tls.covers(san, fqdn) for san in _tls.san_names(leaf)) for fqdn in fqdns)

    # Nothing to do on the next run; one reseller moves to its own domain and gets its own certificate.
    assert ensure(store, resellers(30))["changed"] is False
    moved = ensure(store, resellers(30, own=("r03",)))
    assert moved["created"] == ["cloud.r03.test"] and moved["renewed"] == []
    found, _missing = read_certificates(str(store), ["cloud.r03.test", fqdns[4]])
    assert found["cloud.r03.test"]["fullchain"] != found[fqdns[4]]["fullchain"]


def test_own_certificates_of_covered_resellers_are_retired(tmp_path):
    store = tmp_path / "store"
    _tls.ensure_certificates(str(store), resellers(2), default_tls={"mode": "internal_ca"}, now=NOW)
    assert sorted(os.listdir(store / "certs")) == ["r00." + ZONE, "r01." + ZONE]
    result = ensure(store, resellers(2))
    assert result["removed"] == ["r00." + ZONE, "r01." + ZONE]
    assert sorted(os.listdir(store / "retired")) == ["r00." + ZONE, "r01." + ZONE]
    found, missing = read_certificates(str(store), ["r00." + ZONE])
    assert missing == [] and "BEGIN CERTIFICATE" in found["r00." + ZONE]["fullchain"]
