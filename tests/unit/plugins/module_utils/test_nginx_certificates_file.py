# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The certificates file the nginx_sites action hands to its module: read once, then removed."""
from __future__ import annotations

import json

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils._nginx import read_certificates_file


def test_read_and_removed(tmp_path):
    path = tmp_path / "certificates.json"
    path.write_text(json.dumps([{"fqdn": "cloud.acme.test", "fullchain": "CHAIN", "key": "KEY", "extra": 1}]))
    assert read_certificates_file(str(path)) == [{"fqdn": "cloud.acme.test", "fullchain": "CHAIN", "key": "KEY"}]
    assert not path.exists()


@pytest.mark.parametrize("content, message", [
    ({"fqdn": "x"}, "a list of certificates expected"),
    ([{"fqdn": "x", "fullchain": "C"}], "certificate 0 needs the strings fqdn, fullchain and key"),
    ([{"fqdn": "x", "fullchain": "C", "key": "K"}, "nope"], "certificate 1 needs"),
])
def test_malformed_file_is_refused_and_still_removed(tmp_path, content, message):
    path = tmp_path / "certificates.json"
    path.write_text(json.dumps(content))
    with pytest.raises(ValueError, match=message):
        read_certificates_file(str(path))
    assert not path.exists()
