# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""panel_resellers end to end on SQLite, PostgreSQL and MariaDB: the whole reseller lifecycle."""
from __future__ import annotations

import copy
import hashlib
import json
import os
import stat

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _passwords
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import connect
from ansible_collections.panelops.reseller.plugins.modules import panel_plans, panel_resellers
from tests.support.seeding import RETAIL, WHOLESALE, dump, query, run, set_frontend_url
from tests.support.files import read_text

HASH = _passwords.make_hash("acme-admin-secret", salt="fixedsaltfixedsalt1234", iterations=1000)


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch):
    # The panel's real count costs 0.4 s per hash; the format and the code path are the same.
    monkeypatch.setattr(_passwords, "ITERATIONS", 1000)


@pytest.fixture
def seeded(panel_db, capsys):
    set_frontend_url(panel_db)
    other = dict(WHOLESALE, name="reseller-premium")
    run(panel_plans, dict(db=panel_db, plans=[WHOLESALE, other, RETAIL]), capsys)
    return panel_db


def acme(**changes):
    res = {"name": "acme", "company": "ACME Cloud", "email": "ops@acme.test", "currency": "EUR",
           "plan": "reseller-wholesale", "enduser_panel_url": "https://cloud.acme.test:8443/",
           "users": [{"username": "acme-admin", "email": "admin@acme.test", "password_hash": HASH}],
           "plans": [dict(RETAIL, name="acme-retail")],
           "configurations": [{"name": "default", "default": True, "options": {"billing": {"credit_limit": 0}}}]}
    res.update(changes)
    return res


def globex(**changes):
    res = {"name": "globex", "company": "Globex", "email": "ops@globex.test", "currency": "EUR",
           "plan": "reseller-wholesale", "enduser_panel_url": "https://panel.globex.test:8443/",
           "users": [{"username": "globex-admin", "email": "admin@globex.test"}]}
    res.update(changes)
    return res


def args(db, resellers, tmp_path):
    return dict(db=db, resellers=resellers, frontend_https_port=8443, links_file=str(tmp_path / "links"))


def reseller_row(db, name):
    rows = query(db, "SELECT r.*, c.name AS company, c.email AS client_email FROM panel_reseller r "
                     "JOIN panel_client c ON c.id = r.client_id WHERE r.name = ?", (name,))
    return rows[0] if rows else None


def user_row(db, username):
    return query(db, "SELECT * FROM panel_user WHERE username = ?", (username,))[0]


def add_end_client(db, reseller, name, plan=None, configuration=None):
    conn = connect(db)
    with conn.transaction():
        rid = conn.query("SELECT id FROM panel_reseller WHERE name = ?", (reseller,))[0]["id"]
        plan_id = plan and conn.query("SELECT id FROM panel_plan WHERE name = ?", (plan,))[0]["id"]
        conf_id = configuration and conn.query("SELECT id FROM panel_configuration WHERE owner_reseller_id = ? "
                                               "AND name = ?", (rid, configuration))[0]["id"]
        cid = conn.insert("panel_client", dict(name=name, email="%s@example.test" % name.lower(), currency="EUR",
                                               reseller_id=rid, plan_id=plan_id, configuration_id=conf_id))
    conn.close()
    return cid


def test_lifecycle(seeded, capsys, tmp_path):
    db = seeded
    # create
    result = run(panel_resellers, args(db, [acme(), globex()], tmp_path), capsys, diff=True)
    assert result["changed"] is True
    assert result["resellers"] == {"acme": "created", "globex": "created"}
    assert result["users"] == {"acme-admin": "created", "globex-admin": "created"}
    assert result["plans"] == {"acme/acme-retail": "created"}
    assert result["configurations"] == {"acme/default": "created"}
    row = reseller_row(db, "acme")
    assert row["host"] == "cloud.acme.test" and row["status"] == "active" and bool(row["managed"])
    assert row["enduser_panel_url"] == "https://cloud.acme.test:8443/"
    admin = user_row(db, "acme-admin")
    assert admin["password"] == HASH and bool(admin["is_reseller"]) and bool(admin["is_active"])
    assert admin["client_id"] == row["client_id"]
    plan = query(db, "SELECT owner_reseller_id, managed FROM panel_plan WHERE name = ?", ("acme-retail",))[0]
    assert plan["owner_reseller_id"] == row["id"]
    # globex-admin had no credential: unusable password, a link in the 0600 file, only a digest in the DB.
    assert result["set_password_links"] == {"delivery": "file", "path": str(tmp_path / "links"), "users": ["globex-admin"]}
    assert user_row(db, "globex-admin")["password"].startswith("!")
    assert stat.S_IMODE(os.stat(str(tmp_path / "links")).st_mode) == 0o600
    line = read_text(str(tmp_path / "links")).split()
    assert line[1] == "globex-admin" and line[2].startswith("https://panel.demo.test:8443/set-password/")
    token = line[2].rstrip("/").rsplit("/", 1)[1]
    assert token not in json.dumps(result)
    tokens = query(db, "SELECT token_sha256, purpose, user_id FROM panel_user_token")
    assert tokens == [{"token_sha256": hashlib.sha256(token.encode()).hexdigest(), "purpose": "set_password",
                       "user_id": user_row(db, "globex-admin")["id"]}]
    assert HASH not in json.dumps(result)

    # unchanged: no new link, nothing written
    before = dump(db)
    again = run(panel_resellers, args(db, [acme(), globex()], tmp_path), capsys)
    assert again["changed"] is False, again
    assert again["set_password_links"] == {"delivery": "file", "path": None, "users": []}
    assert dump(db) == before

    # update: company, plan (a plain update shown in the diff)
    result = run(panel_resellers, args(db, [acme(company="ACME Cloud GmbH", plan="reseller-premium"), globex()],
                                       tmp_path), capsys, diff=True)
    assert result["resellers"] == {"acme": "updated", "globex": "unchanged"}
    assert '"plan": "reseller-wholesale"' in result["diff"]["before"]
    assert '"plan": "reseller-premium"' in result["diff"]["after"]
    assert reseller_row(db, "acme")["company"] == "ACME Cloud GmbH"

    # suspend: status and users blocked, nothing deleted
    result = run(panel_resellers, args(db, [acme(company="ACME Cloud GmbH", plan="reseller-premium",
                                                 state="suspended"), globex()], tmp_path), capsys)
    assert result["resellers"]["acme"] == "updated"
    assert reseller_row(db, "acme")["status"] == "suspended"
    assert not bool(user_row(db, "acme-admin")["is_active"])

    # absent with end users: clients move to the provider without the reseller's retail plan; nothing deleted
    client_a = add_end_client(db, "acme", "Alice", plan="acme-retail", configuration="default")
    client_b = add_end_client(db, "acme", "Bob", plan="retail")
    counts = dict((t, len(query(db, "SELECT * FROM %s" % t))) for t in (
        "panel_client", "panel_user", "panel_plan", "panel_configuration", "panel_reseller"))
    result = run(panel_resellers, args(db, [dict(name="acme", state="absent"), globex()], tmp_path), capsys)
    assert result["resellers"]["acme"] == "archived"
    assert result["offboarded"] == {"acme": {"clients_moved": 2, "moved_to": "provider"}}
    assert reseller_row(db, "acme")["status"] == "archived"
    assert not bool(user_row(db, "acme-admin")["is_active"])
    moved = dict((r["id"], r) for r in query(db, "SELECT id, reseller_id, plan_id, configuration_id FROM panel_client "
                                                 "WHERE id IN (?, ?)", (client_a, client_b)))
    assert moved[client_a]["reseller_id"] is None and moved[client_a]["plan_id"] is None
    assert moved[client_a]["configuration_id"] is None
    retail_id = query(db, "SELECT id FROM panel_plan WHERE name = ?", ("retail",))[0]["id"]
    assert moved[client_b]["plan_id"] == retail_id  # a provider plan stays
    assert bool(query(db, "SELECT archived FROM panel_plan WHERE name = ?", ("acme-retail",))[0]["archived"])
    assert bool(query(db, "SELECT archived FROM panel_configuration")[0]["archived"])
    assert counts == dict((t, len(query(db, "SELECT * FROM %s" % t))) for t in counts)
    again = run(panel_resellers, args(db, [dict(name="acme", state="absent"), globex()], tmp_path), capsys)
    assert again["changed"] is False

    # re-present: active again, users back, plans and configurations un-archived
    result = run(panel_resellers, args(db, [acme(), globex()], tmp_path), capsys)
    assert result["resellers"]["acme"] == "updated"
    assert reseller_row(db, "acme")["status"] == "active"
    assert bool(user_row(db, "acme-admin")["is_active"])
    assert not bool(query(db, "SELECT archived FROM panel_plan WHERE name = ?", ("acme-retail",))[0]["archived"])
    assert result["plans"] == {"acme/acme-retail": "updated"}


def test_settings_of_other_roles_are_accepted_and_ignored(seeded, capsys, tmp_path):
    result = run(panel_resellers, args(seeded, [acme(dns={"cname": "edge.provider.test"}, tls={"mode": "acme"})],
                                       tmp_path), capsys)
    assert result["resellers"] == {"acme": "created"}, result


def test_offboard_to_another_reseller(seeded, capsys, tmp_path):
    db = seeded
    run(panel_resellers, args(db, [acme(), globex()], tmp_path), capsys)
    cid = add_end_client(db, "globex", "Carol")
    result = run(panel_resellers, args(db, [acme(), dict(name="globex", state="absent", offboard_to="acme")],
                                       tmp_path), capsys)
    assert result["offboarded"] == {"globex": {"clients_moved": 1, "moved_to": "acme"}}
    owner = query(db, "SELECT reseller_id FROM panel_client WHERE id = ?", (cid,))[0]["reseller_id"]
    assert owner == reseller_row(db, "acme")["id"]


def add_end_user(db, client_id, username, namespace):
    """An end user as the panel's sign-up makes one: its name unique within its reseller's name space."""
    conn = connect(db)
    with conn.transaction():
        conn.insert("panel_user", dict(password="!x", username=username, username_key=username.lower(),
                                       username_namespace=namespace, first_name="", last_name="", email="",
                                       is_staff=False, is_active=True, is_superuser=False, date_joined=conn.now(),
                                       client_id=client_id))
    conn.close()


def test_offboarded_end_users_join_their_new_owners_name_space(seeded, capsys, tmp_path):
    db = seeded
    run(panel_resellers, args(db, [acme(), globex()], tmp_path), capsys)
    globex_id, acme_id = reseller_row(db, "globex")["id"], reseller_row(db, "acme")["id"]
    add_end_user(db, add_end_client(db, "globex", "Carol"), "carol", globex_id)
    # acme has a "Dave" of its own: globex's "dave" cannot join acme's name space.
    add_end_user(db, add_end_client(db, "acme", "Dave"), "Dave", acme_id)
    dave = add_end_client(db, "globex", "dave")
    add_end_user(db, dave, "dave", globex_id)
    before = dump(db)
    result = run(panel_resellers, args(db, [acme(), dict(name="globex", state="absent", offboard_to="acme")],
                                       tmp_path), capsys)
    assert result["failed"] is True
    assert ("reseller globex: state absent: end users cannot move to acme, whose users have the same names: "
            "dave (acme has Dave); rename them first") in result["msg"]
    assert dump(db) == before
    # Renamed, the move goes through and the names land in acme's name space.
    conn = connect(db)
    with conn.transaction():
        conn.execute("UPDATE panel_user SET username = ?, username_key = ? WHERE client_id = ?",
                     ("dave2", "dave2", dave))
    conn.close()
    result = run(panel_resellers, args(db, [acme(), dict(name="globex", state="absent", offboard_to="acme")],
                                       tmp_path), capsys)
    assert result["offboarded"] == {"globex": {"clients_moved": 2, "moved_to": "acme"}}
    spaces = dict((r["username"], r["username_namespace"]) for r in query(
        db, "SELECT username, username_namespace FROM panel_user WHERE username IN ('carol', 'dave2', 'Dave')"))
    assert spaces == {"carol": acme_id, "dave2": acme_id, "Dave": acme_id}


def test_reseller_users_are_written_with_their_key_in_the_providers_name_space(seeded, capsys, tmp_path):
    db = seeded
    users = [{"username": "Acme-Ops", "email": "ops@acme.test", "password_hash": HASH}]
    run(panel_resellers, args(db, [acme(users=users)], tmp_path), capsys)
    row = query(db, "SELECT username, username_key, username_namespace FROM panel_user WHERE username = ?",
                ("Acme-Ops",))
    assert row == [{"username": "Acme-Ops", "username_key": "acme-ops", "username_namespace": 0}]
    # The same name in another case is the same user: updated, not doubled.
    users[0]["username"] = "acme-ops"
    result = run(panel_resellers, args(db, [acme(users=users)], tmp_path), capsys)
    assert result["users"] == {"acme-ops": "updated"}
    assert query(db, "SELECT username FROM panel_user WHERE username_key = 'acme-ops'") == [{"username": "acme-ops"}]


def test_check_mode_is_byte_identical_and_diff_hides_secrets(seeded, capsys, tmp_path):
    db = seeded
    before = dump(db)
    users = [{"username": "acme-admin", "email": "admin@acme.test", "password": "plain-secret-123"}]
    result = run(panel_resellers, args(db, [acme(users=users), globex()], tmp_path), capsys,
                 check_mode=True, diff=True)
    assert result["changed"] is True and result["resellers"] == {"acme": "created", "globex": "created"}
    assert dump(db) == before
    assert not os.path.exists(str(tmp_path / "links"))
    text = json.dumps(result)
    assert "plain-secret-123" not in text and "pbkdf2_sha256" not in text and "$" not in result["diff"]["after"]
    run(panel_resellers, args(db, [acme(), globex()], tmp_path), capsys)
    before = dump(db)
    result = run(panel_resellers, args(db, [acme(state="absent"), globex(state="suspended")], tmp_path), capsys,
                 check_mode=True, diff=True)
    assert result["changed"] is True and dump(db) == before
    assert HASH not in json.dumps(result)


def test_plaintext_password_on_create_and_always(seeded, capsys, tmp_path):
    db = seeded
    user = {"username": "acme-admin", "email": "admin@acme.test", "password": "first-password"}
    run(panel_resellers, args(db, [acme(users=[user])], tmp_path), capsys)
    stored = user_row(db, "acme-admin")["password"]
    assert stored.startswith("pbkdf2_sha256$1000$") and _passwords.verify("first-password", stored)
    # on_create: a new password in the inventory does not replace the stored one
    user2 = dict(user, password="second-password")
    assert run(panel_resellers, args(db, [acme(users=[user2])], tmp_path), capsys)["changed"] is False
    # always: replaced, then idempotent (verified, not rehashed)
    user3 = dict(user2, update_password="always")
    result = run(panel_resellers, args(db, [acme(users=[user3])], tmp_path), capsys, diff=True)
    assert result["users"] == {"acme-admin": "updated"} and "second-password" not in json.dumps(result)
    assert _passwords.verify("second-password", user_row(db, "acme-admin")["password"])
    assert run(panel_resellers, args(db, [acme(users=[user3])], tmp_path), capsys)["changed"] is False


def test_dropped_user_is_deactivated_not_deleted(seeded, capsys, tmp_path):
    db = seeded
    two = [{"username": "acme-admin", "email": "admin@acme.test", "password_hash": HASH},
           {"username": "acme-ops", "email": "ops2@acme.test", "password_hash": HASH}]
    run(panel_resellers, args(db, [acme(users=two)], tmp_path), capsys)
    result = run(panel_resellers, args(db, [acme()], tmp_path), capsys)
    assert result["users"] == {"acme-admin": "unchanged", "acme-ops": "removed"}
    assert not bool(user_row(db, "acme-ops")["is_active"])


def test_unmanaged_records_are_never_taken_over(seeded, capsys, tmp_path):
    db = seeded
    conn = connect(db)
    with conn.transaction():
        # Made in the panel, with the declared name in another case: still the same name.
        conn.insert("panel_user", dict(password="!x", username="Acme-Admin", username_key="acme-admin",
                                       first_name="", last_name="",
                                       email="someone@example.test", is_staff=False, is_active=True,
                                       is_superuser=False, date_joined=conn.now(), managed=False))
    conn.close()
    before = dump(db)
    result = run(panel_resellers, args(db, [acme(), globex()], tmp_path), capsys)
    assert result["failed"] is True
    assert "reseller acme user acme-admin: a user with this username exists and is not managed" in result["msg"]
    assert dump(db) == before
    assert not os.path.exists(str(tmp_path / "links"))


def test_failure_in_the_middle_of_a_batch_changes_nothing(seeded, capsys, tmp_path):
    db = seeded
    resellers = [dict(name="r%03d" % i, company="R %d" % i, email="ops@r%03d.test" % i, currency="EUR",
                      plan="reseller-wholesale", enduser_panel_url="https://panel.r%03d.test/" % i,
                      users=[{"username": "r%03d-admin" % i, "email": "a@r%03d.test" % i, "password_hash": HASH}])
                 for i in range(100)]
    run(panel_resellers, args(db, resellers[:10], tmp_path), capsys)
    # A reseller made in the panel holds the host the 50th reseller declares: the unique index on host fails
    # in the middle of the batch, after 49 inserts and updates.
    conn = connect(db)
    with conn.transaction():
        plan_id = conn.query("SELECT id FROM panel_plan WHERE name = ?", ("reseller-wholesale",))[0]["id"]
        cid = conn.insert("panel_client", dict(name="Hand", email="h@example.test", currency="EUR"))
        conn.insert("panel_reseller", dict(name="hand-made", client_id=cid, plan_id=plan_id,
                                           enduser_panel_url="https://x.test/", host="panel.r049.test",
                                           status="active", managed=False))
    conn.close()
    changed = copy.deepcopy(resellers)
    for res in changed[:10]:
        res["company"] += " (renamed)"
    before = dump(db)
    result = run(panel_resellers, args(db, changed, tmp_path), capsys)
    assert result["failed"] is True and "database error" in result["msg"]
    assert dump(db) == before


def test_invalid_resellers_fail_before_any_write(seeded, capsys, tmp_path):
    before = dump(seeded)
    result = run(panel_resellers, args(seeded, [acme(enduser_panel_url="https://cloud.acme.test:9000/"),
                                                globex(email="nope", name="Globex")], tmp_path), capsys)
    assert result["failed"] is True and len(result["problems"]) == 3
    assert dump(seeded) == before


def test_unknown_provider_plan_fails_naming_the_reseller(seeded, capsys, tmp_path):
    before = dump(seeded)
    result = run(panel_resellers, args(seeded, [acme(plan="gold"), globex()], tmp_path), capsys)
    assert result["failed"] is True and "reseller acme: plan: 'gold' is not a provider plan" in result["msg"]
    assert dump(seeded) == before


def test_user_without_credential_needs_links_file(seeded, capsys):
    result = run(panel_resellers, dict(db=seeded, resellers=[globex()], frontend_https_port=8443), capsys)
    assert result["failed"] is True and "set links_file" in result["msg"]


def test_check_mode_sees_the_provider_plans_the_same_run_declares(panel_db, capsys, tmp_path):
    # A fresh panel: the plans task's dry run was rolled back, so the wholesale plan is not in the database.
    set_frontend_url(panel_db)
    before = dump(panel_db)
    blind = run(panel_resellers, args(panel_db, [acme(), globex()], tmp_path), capsys, check_mode=True)
    assert blind["failed"] is True and "'reseller-wholesale' is not a provider plan" in blind["msg"]
    seeing = run(panel_resellers, dict(args(panel_db, [acme(), globex()], tmp_path), provider_plans=[WHOLESALE]),
                 capsys, check_mode=True, diff=True)
    assert seeing.get("failed") is not True, seeing.get("msg")
    assert seeing["changed"] is True and seeing["resellers"] == {"acme": "created", "globex": "created"}
    # The plans applied for the dry run are neither reported as this module's changes nor left behind.
    assert "reseller-wholesale" not in json.dumps(seeing["plans"])
    assert dump(panel_db) == before


def test_provider_plans_are_ignored_outside_check_mode(panel_db, capsys, tmp_path):
    set_frontend_url(panel_db)
    result = run(panel_resellers, dict(args(panel_db, [acme()], tmp_path), provider_plans=[WHOLESALE]), capsys)
    assert result["failed"] is True and "'reseller-wholesale' is not a provider plan" in result["msg"]


# -- brands, mail transports, set-password links by e-mail ------------------------------------------------

def brand_rows(db):
    rows = query(db, "SELECT r.name AS reseller, b.name, b.primary_color, b.logo_sha256, b.managed "
                     "FROM panel_brand b JOIN panel_reseller r ON r.id = b.reseller_id ORDER BY r.name")
    return [dict(row, managed=bool(row["managed"])) for row in rows]


def test_brand_and_mail_transport_are_seeded_without_showing_secrets(seeded, capsys, tmp_path):
    from ansible_collections.panelops.reseller.plugins.module_utils._brand_logo import embed_logo
    from tests.support.images import png

    logo = embed_logo(png(5, 5))
    brand = {"name": "ACME Cloud", "primary_color": "#1A7F5A", "support_email": "support@acme.test",
             "logo": logo}
    smtp = {"host": "smtp.acme.test", "username": "mailer", "password": "smtp-canary-77"}
    result = run(panel_resellers, args(seeded, [acme(brand=brand, smtp=smtp), globex()], tmp_path), capsys,
                 diff=True)
    assert result["brands"] == {"acme": "created"}
    assert "brand acme" in result["created"]
    assert brand_rows(seeded) == [{"reseller": "acme", "name": "ACME Cloud", "primary_color": "#1a7f5a",
                                   "logo_sha256": logo["sha256"], "managed": True}]
    stored = json.loads(reseller_row(seeded, "acme")["smtp"])
    assert stored == {"host": "smtp.acme.test", "port": None, "username": "mailer", "password": "smtp-canary-77",
                      "security": "starttls"}
    assert json.loads(reseller_row(seeded, "globex")["smtp"]) == {}
    shown = json.dumps(result)
    assert "smtp-canary-77" not in shown and logo["data"] not in shown
    assert '"password": "(set)"' in result["diff"]["after"]

    again = run(panel_resellers, args(seeded, [acme(brand=brand, smtp=smtp), globex()], tmp_path), capsys)
    assert again["changed"] is False and again["brands"] == {"acme": "unchanged"}

    # Without `brand:` the brand becomes the reseller's to edit; without `smtp:` the provider's transport.
    result = run(panel_resellers, args(seeded, [acme(), globex()], tmp_path), capsys)
    assert result["brands"] == {"acme": "updated"} and result["resellers"]["acme"] == "updated"
    assert brand_rows(seeded)[0]["managed"] is False and brand_rows(seeded)[0]["name"] == "ACME Cloud"
    assert json.loads(reseller_row(seeded, "acme")["smtp"]) == {}


def test_an_invalid_brand_fails_before_any_write(seeded, capsys, tmp_path):
    from ansible_collections.panelops.reseller.plugins.module_utils._brand_logo import embed_logo
    from tests.support.images import png

    before = dump(seeded)
    bad = dict(embed_logo(png()), content_type="image/webp")
    result = run(panel_resellers, args(seeded, [acme(brand={"name": "ACME", "primary_color": "teal", "logo": bad})],
                                       tmp_path), capsys)
    assert result["failed"] is True
    assert "reseller 'acme': brand.primary_color: must be a colour like #1a7f5a, got 'teal'" in result["problems"]
    assert any(p.startswith("reseller 'acme': brand.logo: content_type 'image/webp' does not match")
               for p in result["problems"])
    assert dump(seeded) == before


MAILER = """import json, sys
links = json.load(sys.stdin)
with open(sys.argv[1], "a") as out:
    out.write(json.dumps(links) + "\\n")
if sys.argv[2] != "ok":
    sys.stderr.write("SMTP server refused the message\\n")
    sys.exit(3)
"""


def test_links_by_email_go_to_the_mailer_on_stdin_and_a_failure_rolls_back(seeded, capsys, tmp_path):
    import sys

    script = tmp_path / "mailer.py"
    script.write_text(MAILER)
    sent = tmp_path / "sent.jsonl"

    def mail_args(outcome):
        return dict(args(seeded, [globex()], tmp_path), set_password_delivery="email",
                    mail_command=[sys.executable, str(script), str(sent), outcome])

    before = dump(seeded)
    failed = run(panel_resellers, mail_args("fail"), capsys)
    assert failed["failed"] is True
    assert "the panel's mailer" in failed["msg"] and "SMTP server refused the message" in failed["msg"]
    # The transaction was rolled back: no user, no token; the next run tries again.
    assert dump(seeded) == before

    result = run(panel_resellers, mail_args("ok"), capsys)
    assert result["set_password_links"] == {"delivery": "email", "path": None, "users": ["globex-admin"]}
    [attempt, delivered] = [json.loads(line) for line in sent.read_text().splitlines()]
    [link] = delivered
    assert link["username"] == "globex-admin" and link["email"] == "admin@globex.test"
    assert link["link"].startswith("https://panel.demo.test:8443/set-password/")
    token = link["link"].rstrip("/").rsplit("/", 1)[1]
    assert token not in json.dumps(result) and not (tmp_path / "links").exists()
    assert query(seeded, "SELECT token_sha256 FROM panel_user_token") == [
        {"token_sha256": hashlib.sha256(token.encode()).hexdigest()}]


def test_email_delivery_needs_the_mailer(seeded, capsys, tmp_path):
    result = run(panel_resellers, dict(args(seeded, [globex()], tmp_path), set_password_delivery="email"), capsys)
    assert result["failed"] is True and "set mail_command to the panel's mailer" in result["msg"]


def handed_over(tmp_path, content):
    """The file the action plugin hands over instead of the resellers argument."""
    path = tmp_path / "panel_resellers.json"
    path.write_text(json.dumps(content))
    return str(path)


def file_args(db, tmp_path, content):
    module_args = args(db, None, tmp_path)
    del module_args["resellers"]
    return dict(module_args, resellers_file=handed_over(tmp_path, content))


def test_a_handed_over_list_is_validated_like_the_argument_and_removed(seeded, capsys, tmp_path):
    users = [{"username": "acme-admin", "email": "admin@acme.test", "password": "plain-secret-123"}]
    module_args = file_args(seeded, tmp_path, [acme(users=users)])
    result = run(panel_resellers, module_args, capsys)
    assert result["resellers"] == {"acme": "created"} and result["users"] == {"acme-admin": "created"}
    # The argument spec's defaults applied: state present, update_password on_create.
    assert reseller_row(seeded, "acme")["status"] == "active"
    assert _passwords.verify("plain-secret-123", user_row(seeded, "acme-admin")["password"])
    assert not os.path.exists(module_args["resellers_file"])
    assert "plain-secret-123" not in json.dumps(result)
    again = run(panel_resellers, file_args(seeded, tmp_path, [acme(users=users)]), capsys)
    assert again["changed"] is False


@pytest.mark.parametrize("content, message", [
    ([globex(users=[{"username": "globex-admin"}])], "missing required arguments: email found in resellers -> users"),
    ([acme(state="gone")], "value of state must be one of: present, suspended, absent, got: gone"),
    ({"name": "acme"}, "a list of resellers expected"),
])
def test_a_bad_handed_over_list_fails_before_anything_changes(seeded, capsys, tmp_path, content, message):
    before = dump(seeded)
    module_args = file_args(seeded, tmp_path, content)
    result = run(panel_resellers, module_args, capsys)
    assert result["failed"] is True and message in result["msg"]
    assert dump(seeded) == before and not os.path.exists(module_args["resellers_file"])


def test_secrets_of_a_handed_over_list_are_scrubbed_from_its_errors(seeded, capsys, tmp_path):
    # A secret pasted into the wrong field is quoted by the validation message: it must come out masked.
    users = [{"username": "acme-admin", "email": "admin@acme.test", "password": "plain-secret-123",
              "update_password": "plain-secret-123"}]
    result = run(panel_resellers, file_args(seeded, tmp_path, [acme(users=users)]), capsys)
    assert result["failed"] is True and "update_password" in result["msg"]
    assert "plain-secret-123" not in json.dumps(result) and "********" in result["msg"]
