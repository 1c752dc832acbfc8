# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The files the nginx_sites action hands to its module (certificates, rendered vhosts): read once, then removed."""
from __future__ import annotations

import json

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils._nginx import read_certificates_file, read_sites_file


def test_certificates_read_and_removed(tmp_path):
    path = tmp_path / "certificates.json"
    path.write_text(json.dumps([{"fqdn": "cloud.acme.test", "fullchain": "CHAIN", "key": "KEY", "extra": 1}]))
    assert read_certificates_file(str(path)) == [{"fqdn": "cloud.acme.test", "fullchain": "CHAIN", "key": "KEY"}]
    assert not path.exists()


def test_sites_read_and_removed(tmp_path):
    path = tmp_path / "vhosts.json"
    path.write_text(json.dumps([{"name": "cloud.acme.test", "content": "# marker\nserver {}\n"},
                                {"name": "_resellers", "content": "# marker\n"}]))
    assert read_sites_file(str(path)) == [{"name": "cloud.acme.test", "content": "# marker\nserver {}\n"},
                                          {"name": "_resellers", "content": "# marker\n"}]
    assert not path.exists()


@pytest.mark.parametrize("reader, content, message", [
    (read_certificates_file, {"fqdn": "x"}, "a list of certificates expected"),
    (read_certificates_file, [{"fqdn": "x", "fullchain": "C"}], "certificate 0 needs the strings fqdn, fullchain and key"),
    (read_certificates_file, [{"fqdn": "x", "fullchain": "C", "key": "K"}, "nope"], "certificate 1 needs"),
    (read_sites_file, "server {}", "a list of sites expected"),
    (read_sites_file, [{"name": "a.test", "content": None}], "site 0 needs the strings name and content"),
])
def test_malformed_file_is_refused_and_still_removed(tmp_path, reader, content, message):
    path = tmp_path / "handed-over.json"
    path.write_text(json.dumps(content))
    with pytest.raises(ValueError, match=message):
        reader(str(path))
    assert not path.exists()
