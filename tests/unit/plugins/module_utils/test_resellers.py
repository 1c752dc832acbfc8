# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_resellers directly (the lifecycle through the module: tests/unit/plugins/modules/test_panel_resellers.py):
the canonical URL stored, the combined result naming each item with its kind, set-password links."""
from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _passwords, _plans, _resellers
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import PanelDBError, open_panel
from tests.support.seeding import RETAIL, WHOLESALE, query, set_frontend_url

HASH = _passwords.make_hash("secret", salt="fixedsaltfixedsalt1234", iterations=1000)
ACME = {"name": "acme", "company": "ACME Cloud", "email": "ops@acme.test", "currency": "EUR",
        "plan": "reseller-wholesale", "enduser_panel_url": "https://Cloud.Bücher.test:8443",
        "users": [{"username": "acme-admin", "email": "admin@acme.test", "password_hash": HASH},
                  {"username": "acme-ops", "email": "ops2@acme.test"}],
        "plans": [dict(RETAIL, name="acme-retail")]}


@pytest.fixture
def plans(panel_db):
    with open_panel(panel_db) as db:
        _plans.sync_plans(db, {None: [WHOLESALE]})
    return panel_db


def test_a_new_reseller_is_stored_under_its_canonical_url_and_reported_by_kind(plans):
    with open_panel(plans) as db:
        sync = _resellers.sync_resellers(db, [ACME])
        result = sync.module_result("/var/lib/panelops/links")
    row = query(plans, "SELECT enduser_panel_url, host, status, managed FROM panel_reseller")[0]
    assert (row["enduser_panel_url"], row["host"], row["status"]) == (
        "https://cloud.xn--bcher-kva.test:8443/", "cloud.xn--bcher-kva.test", "active")
    assert result["created"] == ["plan acme/acme-retail", "reseller acme", "user acme-admin", "user acme-ops"]
    assert result["resellers"] == {"acme": "created"}
    assert result["users"] == {"acme-admin": "created", "acme-ops": "created"}
    assert result["plans"] == {"acme/acme-retail": "created"} and result["configurations"] == {}
    assert result["changed"] is True
    assert result["set_password_links"] == {"delivery": "file", "path": "/var/lib/panelops/links", "users": ["acme-ops"]}
    assert "reseller acme:" in result["diff"]["after"] and "plan acme/acme-retail:" in result["diff"]["after"]
    assert HASH not in result["diff"]["after"]


def test_a_second_run_is_unchanged_and_issues_no_link(plans):
    with open_panel(plans) as db:
        _resellers.sync_resellers(db, [ACME])
    with open_panel(plans) as db:
        result = _resellers.sync_resellers(db, [ACME]).module_result("/x")
    assert result["changed"] is False and result["created"] == []
    assert result["unchanged"] == ["plan acme/acme-retail", "reseller acme", "user acme-admin", "user acme-ops"]
    assert result["set_password_links"] == {"delivery": "file", "path": None, "users": []}


def test_links_need_the_provider_url(plans):
    with open_panel(plans, check_mode=True) as db:
        sync = _resellers.sync_resellers(db, [ACME])
        with pytest.raises(PanelDBError, match="no provider.frontend_url"):
            sync.issue_links()
    set_frontend_url(plans, "https://panel.provider.test")
    with open_panel(plans) as db:
        links = _resellers.sync_resellers(db, [ACME]).issue_links()
    assert [username for username, dummy in links] == ["acme-ops"]
    assert links[0][1].startswith("https://panel.provider.test/set-password/")
    token = links[0][1].rstrip("/").rsplit("/", 1)[1]
    stored = query(plans, "SELECT token_sha256 FROM panel_user_token")[0]["token_sha256"]
    assert token not in stored and len(stored) == 64


def test_write_links_appends_atomically_with_mode_0600(tmp_path):
    path = tmp_path / "private" / "links"
    _resellers.write_links(str(path), [("acme-ops", "https://p.test/set-password/a/")])
    _resellers.write_links(str(path), [("globex-ops", "https://p.test/set-password/b/")])
    lines = path.read_text().splitlines()
    assert [line.split()[1:] for line in lines] == [["acme-ops", "https://p.test/set-password/a/"],
                                                    ["globex-ops", "https://p.test/set-password/b/"]]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert os.listdir(path.parent) == ["links"]  # no temporary file left behind
