# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CI pipeline's steps (docs/ci.md) are the make targets validate, plan and apply: run them on a copy of the
demo inventory whose state directory and ports belong to this test.

The plan (site.yml --check --diff) must change nothing: the database, every file of the state directory (only
the run summary is written) and no nginx started. After an apply, a second plan has nothing left to do, and the
run summary (plugins/callback/run_summary.py) reports it, as Markdown and JSON, under panel_report_dir.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess

import pytest

from tests.support import seeding, servers
from tests.support.no_warnings import warnings_in
from tests.support.nginx import free_port

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def make(target, inventory):
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(["make", "-s", "-C", REPO, target, "INVENTORY=" + inventory],
                          capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    # A pipeline's run on a valid inventory prints no Ansible warning or deprecation (each is a defect).
    assert warnings_in((proc.stdout + proc.stderr).splitlines()) == []
    return proc.stdout


def recap(output):
    match = re.search(r"demo-panel\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", output)
    assert match, output[-2000:]
    return dict(zip(("ok", "changed", "unreachable", "failed"), map(int, match.groups())))


def snapshot(state):
    """Every file under the state directory with its content hash, the run summary left out."""
    out = {}
    for root, _dirs, files in os.walk(state):
        if os.path.relpath(root, state).split(os.sep, maxsplit=1)[0] == "reports":
            continue
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                out[os.path.relpath(path, state)] = hashlib.sha256(handle.read()).hexdigest()
    return out


def dump(db_path):
    return seeding.dump(dict(engine="sqlite", path=db_path))


@pytest.fixture
def demo_copy(tmp_path):
    """inventory/demo copied under tmp_path, its ports replaced by free ones; the state goes to tmp_path/.demo."""
    inventory = tmp_path / "inventory" / "demo"
    shutil.copytree(os.path.join(REPO, "inventory", "demo"), str(inventory))
    group_vars = inventory / "group_vars" / "all.yml"
    text = group_vars.read_text()
    https, http = free_port(), free_port()
    # The panel's socket is in the state directory, which moves with panel_demo_dir: nothing to replace.
    assert 'panel_upstream: "unix:{{ panel_demo_dir }}/gunicorn.sock"' in text
    for old, new in (("panel_demo_https_port: 8443", "panel_demo_https_port: %d" % https),
                     ("panel_demo_http_port: 8080", "panel_demo_http_port: %d" % http)):
        assert old in text, "the demo inventory no longer has %r" % old
        text = text.replace(old, new)
    for port in ("8443", "8080"):
        assert port not in text
    # The panel is migrated and configured but not served: no gunicorn to stop afterwards.
    group_vars.write_text(text + "\npanel_serve: false\n")
    state = tmp_path / ".demo"
    state.mkdir()
    servers.migrate(dict(engine="sqlite", path=str(state / "panel.sqlite3")), state_dir=str(state))
    yield str(inventory), str(state)
    pid_file = state / "nginx" / "nginx.pid"
    if pid_file.exists():
        os.kill(int(pid_file.read_text().strip()), signal.SIGQUIT)


def read_summary(state):
    with open(os.path.join(state, "reports", "run-summary.json")) as handle:
        report = json.load(handle)
    with open(os.path.join(state, "reports", "run-summary.md")) as handle:
        markdown = handle.read()
    return report, markdown


NEW_RESELLER = """
  - name: initech
    state: present
    company: Initech
    email: ops@initech.test
    currency: EUR
    plan: reseller-wholesale
    enduser_panel_url: https://cloud.initech.test:%d/
    users:
      - username: initech-admin
        email: admin@initech.test
"""


def test_validate_apply_plan_then_plan_a_new_reseller(demo_copy):
    inventory, state = demo_copy
    db_path = os.path.join(state, "panel.sqlite3")
    migrated_db = dump(db_path)

    out = make("validate", inventory)
    assert "TASK [Check the whole provisioning model" in out
    assert recap(out) == dict(ok=1, changed=0, unreachable=0, failed=0)
    # Validation alone runs none of the provisioning modules: no summary.
    assert not os.path.exists(os.path.join(state, "reports"))

    # The first plan, on an empty panel: plans and the resellers billed on them are both new, and the dry run
    # reports them without writing anything.
    empty_files = snapshot(state)
    out = make("plan", inventory)
    counts = recap(out)
    assert counts["failed"] == 0 and counts["changed"] > 0
    assert dump(db_path) == migrated_db
    assert snapshot(state) == empty_files
    first_plan = dict((row["reseller"], row) for row in read_summary(state)[0]["resellers"])
    assert first_plan["acme"]["summary"].startswith("would: reseller created")
    shutil.rmtree(os.path.join(state, "reports"))

    out = make("apply", inventory)
    assert recap(out)["failed"] == 0
    assert dump(db_path) != migrated_db
    report = read_summary(state)[0]
    assert report["check_mode"] is False
    rows = dict((row["reseller"], row) for row in report["resellers"])
    assert sorted(rows) == ["acme", "globex"]
    for row in rows.values():
        assert row["changes"][0] == "reseller created"
        assert "certificate created" in row["changes"] and "vhost created on demo-panel" in row["changes"]
        assert row["issuer"] == "panelops.reseller internal CA" and row["expires"] > report["generated"]
    assert rows["acme"]["plan"] == "reseller-wholesale"
    applied_db, applied_files = dump(db_path), snapshot(state)

    # The plan of an unchanged inventory: nothing to do, nothing touched.
    out = make("plan", inventory)
    counts = recap(out)
    assert (counts["changed"], counts["failed"]) == (0, 0)
    assert dump(db_path) == applied_db
    assert snapshot(state) == applied_files
    report, markdown = read_summary(state)
    assert report["check_mode"] is True and report["totals"]["changed"] == 0
    assert [row["summary"] for row in report["resellers"]] == ["unchanged", "unchanged"]
    assert "PANELOPS RUN SUMMARY" in out and "| acme | present |" in markdown

    # A merge request adding a reseller: validation passes, the plan shows what would change and writes nothing.
    group_vars = os.path.join(inventory, "group_vars", "all.yml")
    with open(group_vars) as handle:
        text = handle.read()
    https = int(re.search(r"panel_demo_https_port: (\d+)", text).group(1))
    anchor = "\n# TLS:"
    assert anchor in text
    with open(group_vars, "w") as handle:
        handle.write(text.replace(anchor, (NEW_RESELLER % https) + anchor, 1))
    make("validate", inventory)
    out = make("plan", inventory)
    assert recap(out)["changed"] > 0
    assert dump(db_path) == applied_db
    assert snapshot(state) == applied_files
    report, markdown = read_summary(state)
    rows = dict((row["reseller"], row) for row in report["resellers"])
    assert sorted(rows) == ["acme", "globex", "initech"]
    assert rows["acme"]["summary"] == rows["globex"]["summary"] == "unchanged"
    assert rows["initech"]["summary"].startswith("would: reseller created; user initech-admin created")
    assert "certificate created" in rows["initech"]["changes"]
    assert "vhost created on demo-panel" in rows["initech"]["changes"]
    assert "| initech | present | https://cloud.initech.test:%d/ | reseller-wholesale |" % https in markdown

    # The summary names no secret: the demo's reseller password hash stays out of it.
    password_hash = re.search(r'password_hash: "([^"]+)"', text).group(1)
    assert password_hash not in markdown and password_hash not in json.dumps(report) and password_hash not in out


def test_brands_are_seeded_and_set_password_links_can_be_mailed(demo_copy):
    """The demo with panel_set_password_delivery: email: globex-admin's link arrives by e-mail (the panel's
    mailer, through the manage wrapper the panel role writes), in the provider's brand; the brands and their
    logos are in the database; a second run sends nothing and changes nothing."""
    import email
    import email.policy
    import glob

    from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import connect

    inventory, state = demo_copy
    with open(os.path.join(inventory, "group_vars", "all.yml"), "a") as handle:
        handle.write("panel_set_password_delivery: email\n")
    make("apply", inventory)
    assert not os.path.exists(os.path.join(state, "set-password-links"))
    messages = []
    for path in glob.glob(os.path.join(state, "mail", "*.log")):
        with open(path, "rb") as handle:
            for raw in handle.read().split(b"\n" + b"-" * 79 + b"\n"):
                if raw.strip():
                    messages.append(email.message_from_bytes(raw.strip() + b"\n", policy=email.policy.default))
    [message] = messages
    assert message["From"] == "Nimbus Cloud <support@panel.demo.test>"
    assert message["To"] == "admin@globex.test" and message["Subject"] == "Set your Nimbus Cloud password"
    text = message.get_body(preferencelist=("plain",)).get_content()
    token = re.search(r"https://panel\.demo\.test:\d+/set-password/([^/\s]+)/", text).group(1)
    assert "Nimbus Cloud" in message.get_body(preferencelist=("html",)).get_content()
    db = connect(dict(engine="sqlite", path=os.path.join(state, "panel.sqlite3")))
    try:
        digests = [r["token_sha256"] for r in db.query("SELECT token_sha256 FROM panel_user_token")]
        brands = db.query("SELECT b.name, b.logo_content_type, b.managed, r.name AS reseller FROM panel_brand b "
                          "LEFT JOIN panel_reseller r ON r.id = b.reseller_id ORDER BY b.name")
    finally:
        db.close()
    assert digests == [hashlib.sha256(token.encode()).hexdigest()]
    assert [(b["name"], b["reseller"], b["logo_content_type"], bool(b["managed"])) for b in brands] == [
        ("ACME Cloud", "acme", "image/png", True), ("Globex Hosting", "globex", "image/png", True),
        ("Nimbus Cloud", None, "image/png", True)]
    before = snapshot(state)
    out = make("apply", inventory)
    assert recap(out)["changed"] == 0, out[-3000:]
    assert snapshot(state) == before
