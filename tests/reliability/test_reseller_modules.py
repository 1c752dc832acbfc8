# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reseller modules and playbooks/reseller-catalog.yml against a real panel under gunicorn (free loopback
port, SQLite): create, unchanged, update, purge; check mode writes nothing; bad input and the provider's records
fail naming the plan and field with nothing written; another reseller's records are never touched."""
from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from tests.support.images import png as png_bytes
from tests.support.served_panel import REPO, ServedPanel

BIN = os.path.dirname(sys.executable)
SAMPLE = os.path.join(REPO, "inventory", "reseller-sample")
VAULT_ID = "reseller@" + os.path.join(SAMPLE, "vault-password.sample.txt")


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    served = ServedPanel(tmp_path_factory.mktemp("reseller-api")).start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def token(panel):
    return panel.token("acme-admin")


def sample_catalogue():
    with open(os.path.join(SAMPLE, "group_vars", "all", "catalog.yml")) as handle:
        return yaml.safe_load(handle)


def playbook(panel, token, tmp_path, *args, **overrides):
    """Run the catalogue playbook on the sample inventory, pointed at the test panel; (rc, output)."""
    extra = dict(reseller_api_url=panel.api_url, reseller_api_unix_socket=panel.socket, vault_reseller_api_token=token)
    extra.update(overrides)
    path = os.path.join(str(tmp_path), "extra.json")
    with open(path, "w") as handle:
        json.dump(extra, handle)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_HOME=os.path.join(REPO, ".ansible-home"), ANSIBLE_RETRY_FILES_ENABLED="0")
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", SAMPLE, "--vault-id", VAULT_ID,
                           os.path.join(REPO, "playbooks", "reseller-catalog.yml"), "-e", "@" + path] + list(args),
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def recap(output):
    match = re.search(r"localhost\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", output)
    assert match, output
    return dict(zip(("ok", "changed", "unreachable", "failed"), map(int, match.groups())))


def task_status(output, task):
    """'ok', 'changed', 'failed' or 'skipping' of one task of the run."""
    block = output.split("TASK [%s]" % task, 1)[1].split("TASK [", 1)[0].split("PLAY RECAP", 1)[0]
    return re.search(r"^(ok|changed|failed|fatal|skipping): \[localhost\]", block, re.M).group(1)


def plans_of(panel, reseller):
    return dict(panel.rows("SELECT p.name, p.archived FROM panel_plan p JOIN panel_reseller r "
                           "ON r.id = p.owner_reseller_id WHERE r.name = ? ORDER BY p.name", (reseller,)))


def test_check_mode_then_create_then_unchanged(panel, token, tmp_path):
    before = panel.dump()
    rc, output = playbook(panel, token, tmp_path, "--check", "--diff")
    assert rc == 0, output
    assert recap(output)["changed"] == 2 and '"name": "acme-compute"' in output
    assert panel.dump() == before, "check mode wrote to the panel"
    assert "[WARNING]" not in output and "DEPRECATION" not in output

    rc, output = playbook(panel, token, tmp_path, "--diff")
    assert rc == 0 and recap(output)["changed"] == 2, output
    assert plans_of(panel, "acme") == {"acme-retail": 0, "acme-own": 0, "acme-compute": 0, "acme-storage": 0}
    tiers = panel.rows("SELECT r.tiers FROM panel_pricing_rule r JOIN panel_plan p ON p.id = r.plan_id "
                       "WHERE p.name = 'acme-compute' AND r.name = 'vCPU'")
    assert json.loads(tiers[0][0]) == [{"from": "0", "price": "0.008"}, {"from": "16", "price": "0.0065"}]
    assert token not in output

    rc, output = playbook(panel, token, tmp_path)
    assert rc == 0 and recap(output)["changed"] == 0, output
    assert task_status(output, "Brand") == "skipping"


def test_update_and_purge_touch_only_the_resellers_own_records(panel, token, tmp_path):
    catalogue = sample_catalogue()
    catalogue["reseller_plans"][0]["rules"][0]["tiers"][0]["price"] = "0.0085"
    globex_before = plans_of(panel, "globex")
    rc, output = playbook(panel, token, tmp_path, "--diff", reseller_plans=catalogue["reseller_plans"][:1],
                          reseller_purge=True)
    assert rc == 0, output
    # acme-compute updated; acme-storage and acme-own archived; the provider's acme-retail untouched.
    assert plans_of(panel, "acme") == {"acme-retail": 0, "acme-own": 1, "acme-compute": 0, "acme-storage": 1}
    assert '"price": "0.0085"' in output
    assert plans_of(panel, "globex") == globex_before
    # Declared again, the archived plan is live again.
    rc, output = playbook(panel, token, tmp_path, reseller_plans=catalogue["reseller_plans"])
    assert rc == 0 and plans_of(panel, "acme")["acme-storage"] == 0, output


def test_bad_input_fails_naming_the_plan_and_field_and_writes_nothing(panel, token, tmp_path):
    before = panel.dump()
    bad = [{"name": "broken", "currency": "EUR", "rules": [
        {"name": "vCPU", "resource": "instance", "attribute": "vcpus", "tiers": [{"from": 1, "price": "0.01"}]}]},
        {"name": "acme-storage", "currency": "EURO"}]
    rc, output = playbook(panel, token, tmp_path, reseller_plans=bad)
    assert rc != 0
    assert "plan 'broken'" in output and "first tier" in output and "currency" in output
    assert panel.dump() == before
    # What only the panel can know (a rule its forms refuse) is also found before anything is written.
    refused = [{"name": "acme-new", "currency": "EUR"},
               {"name": "acme-odd", "currency": "EUR", "rules": [
                   {"name": "vCPU", "resource": "instance", "attribute": "vcpus",
                    "tiers": [{"from": 0, "price": "0.01"}, {"from": 0, "price": "0.02"}]}]}]
    rc, output = playbook(panel, token, tmp_path, reseller_plans=refused)
    assert rc != 0 and "plan 'acme-odd'" in output and "nothing was changed" in output, output
    assert panel.dump() == before


def test_the_providers_records_are_read_only(panel, token, tmp_path):
    before = panel.dump()
    rc, output = playbook(panel, token, tmp_path, reseller_plans=[{"name": "acme-retail", "currency": "USD"}])
    assert rc != 0 and "plan 'acme-retail': managed by the provider's inventory" in output
    assert panel.dump() == before


def test_globex_is_unreachable_with_acmes_token(panel, token, tmp_path):
    rc, output = playbook(panel, token, tmp_path, "--diff", reseller_plans=[{"name": "globex-own",
                                                                             "currency": "USD"}])
    assert rc == 0, output
    # A plan of acme's own, of that name: globex's is what it was.
    rows = panel.rows("SELECT r.name, p.currency FROM panel_plan p JOIN panel_reseller r "
                      "ON r.id = p.owner_reseller_id WHERE p.name = 'globex-own' ORDER BY r.name")
    assert rows == [("acme", "USD"), ("globex", "EUR")]


def test_the_brand_with_its_logo(panel, token, tmp_path):
    logo = os.path.join(str(tmp_path), "logo.png")
    with open(logo, "wb") as handle:
        handle.write(png_bytes())
    brand = {"name": "ACME Cloud", "primary_color": "#C2410C", "support_email": "help@acme.test", "logo": logo}
    for expected in ("changed", "ok"):
        rc, output = playbook(panel, token, tmp_path, "--diff", reseller_brand=brand)
        assert rc == 0 and task_status(output, "Brand") == expected, output
    assert base64.b64encode(png_bytes()).decode() not in output
    row = panel.rows("SELECT b.name, b.primary_color, b.logo_content_type FROM panel_brand b JOIN panel_reseller r "
                     "ON r.id = b.reseller_id WHERE r.name = 'acme'")
    assert row == [("ACME Cloud", "#c2410c", "image/png")]
    svg = os.path.join(str(tmp_path), "logo.svg")
    with open(svg, "w") as handle:
        handle.write("<svg xmlns='http://www.w3.org/2000/svg'/>")
    rc, output = playbook(panel, token, tmp_path, reseller_brand=dict(brand, logo=svg))
    assert rc != 0 and "SVG" in output


def test_a_read_token_can_plan_but_not_write(panel, tmp_path):
    reader = panel.token("acme-admin", scope="read")
    changed = dict(sample_catalogue(), reseller_configurations=[{"name": "acme-trial", "description": "new"}])
    rc, output = playbook(panel, reader, tmp_path, "--check", **changed)
    assert rc == 0, output
    rc, output = playbook(panel, reader, tmp_path, **changed)
    assert rc != 0 and "read-only" in output


def test_a_revoked_or_wrong_token_fails_clearly(panel, tmp_path):
    rc, output = playbook(panel, "pnl_not-a-token", tmp_path)
    assert rc != 0 and "unknown or revoked token" in output
