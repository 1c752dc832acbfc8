# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resellers as a batch: each reseller's client, users, reseller record, own plans and configurations.

One call reads what exists in a handful of SELECTs (resellers with their clients, reseller users, the
declared usernames in chunks, plans, configurations), computes the difference in Python and writes only the
changes, inside the caller's single transaction. Problems found against the database (an unmanaged record in
the way, an unknown plan) are collected and raised together, so the transaction is rolled back whole.
"""

from __future__ import annotations

import datetime
import json
import os

from ansible_collections.panelops.reseller.plugins.module_utils import _passwords
from ansible_collections.panelops.reseller.plugins.module_utils._brands import RELEASE, sync_brands
from ansible_collections.panelops.reseller.plugins.module_utils._canonical import canonical_json
from ansible_collections.panelops.reseller.plugins.module_utils._configurations import (
    archive_owner_configurations,
    read_configurations,
    sync_configurations,
)
from ansible_collections.panelops.reseller.plugins.module_utils._files import atomic_write
from ansible_collections.panelops.reseller.plugins.module_utils._names import canonical_url, url_host, username_key
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import PanelDBError
from ansible_collections.panelops.reseller.plugins.module_utils._plans import (
    archive_owner_plans,
    read_plans,
    sync_plans,
)
from ansible_collections.panelops.reseller.plugins.module_utils._seed_items import STATES, Report
from ansible_collections.panelops.reseller.plugins.module_utils._vocabulary import RESELLER_STATUS as STATUS

TOKEN_LIFETIME = datetime.timedelta(hours=72)
# panel_user.username_namespace of the provider's users: reseller users, the only users the inventory declares.
PROVIDER_NAMESPACE = 0


def smtp_column(smtp):
    """panel_reseller.smtp as canonical JSON: the declared transport, or {} (the provider's). A missing port
    stays null: the panel, which speaks SMTP, picks the security mode's usual port."""
    if not smtp:
        return canonical_json({})
    return canonical_json(dict(host=smtp["host"], port=smtp.get("port"), username=smtp.get("username") or "",
                               password=smtp.get("password") or "", security=smtp.get("security") or "starttls"))


def smtp_shown(column):
    """The transport as a diff shows it: the password only as whether one is set."""
    smtp = json.loads(column or "{}")
    if "password" in smtp:
        smtp["password"] = "(set)" if smtp["password"] else ""
    return smtp


def _show(kind, name, row):
    return "%s %s: %s\n" % (kind, name, json.dumps(row, sort_keys=True, default=str))


def _read_users(db, usernames):
    """Users that are reseller users of some reseller, plus any provider user holding a declared username
    (case and width ignored: usernames are unique by their key within a name space)."""
    cols = ("u.id, u.username, u.username_key, u.username_namespace, u.email, u.password, u.is_active, "
            "u.is_reseller, u.client_id, u.managed")
    users = {}
    for row in db.query("SELECT %s FROM panel_user u JOIN panel_reseller r ON r.client_id = u.client_id" % cols):
        users[row["id"]] = row
    for row in db.query_in("SELECT %s FROM panel_user u WHERE u.username_namespace = ? AND u.username_key IN (%%s)"
                           % cols, sorted(set(username_key(name) for name in usernames)),
                           params=[PROVIDER_NAMESPACE]):
        users[row["id"]] = row
    for row in users.values():
        for key in ("is_active", "is_reseller", "managed"):
            row[key] = bool(row[key])
    return users


def write_links(path, links, mode=0o600):
    """Append `links` ([(username, url)]) to `path` (its directory made 0700 when missing) through a temporary
    file and an atomic rename: a reader sees the old lines or all of them, never a partial file."""
    path = os.path.abspath(path)
    old = b""
    if os.path.exists(path):
        with open(path, "rb") as handle:
            old = handle.read()
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = "".join("%s %s %s\n" % (stamp, username, url) for username, url in links)
    atomic_write(path, old + text.encode("utf-8"), mode, make_dirs_mode=0o700)


def mail_links(run_command, command, links, emails):
    """Hand set-password links to the panel's mailer (`command`, e.g. the panel's `manage
    mail_set_password_links`), which sends them through Django with the provider's brand.

    `run_command` is AnsibleModule.run_command. The links travel on the mailer's standard input as JSON, never
    on its command line. Raises PanelDBError when the mailer fails, so the caller's transaction (and the tokens
    in it) is rolled back and the next run issues and sends new links.
    """
    payload = json.dumps([{"username": username, "email": emails[username], "link": link}
                          for username, link in links])
    rc, out, err = run_command(list(command), data=payload, binary_data=True)
    if rc != 0:
        last = (err or out or "").strip().splitlines()
        raise PanelDBError("the panel's mailer (%s) failed with exit code %d: %s"
                           % (" ".join(command[-2:]), rc, last[-1] if last else "no output"))
    return [username for username, dummy in links]


class ResellerSync(object):
    def __init__(self, db, resellers):
        self.db = db
        self.resellers = resellers
        self.problems = []
        self.reseller_report = Report()
        self.user_report = Report()
        self.plan_report = Report()
        self.configuration_report = Report()
        self.brand_report = Report()
        self.offboarded = {}
        self.pending_links = []  # (username, user_id)
        self.pending_emails = {}  # username: e-mail address, for links sent by e-mail

    def _read(self):
        """Everything the batch compares with, in a handful of SELECTs."""
        db = self.db
        self.settings = db.read_settings()
        self.plans = read_plans(db)
        self.configurations = read_configurations(db)
        self.provider_plans = dict((name, p) for (owner, name), p in self.plans.items() if owner is None)
        self.existing = dict((r["name"], r) for r in db.query(
            "SELECT r.id, r.name, r.client_id, r.plan_id, r.enduser_panel_url, r.host, r.status, r.managed, r.smtp, "
            "c.name AS company, c.email, c.currency FROM panel_reseller r JOIN panel_client c ON c.id = r.client_id"))
        for row in self.existing.values():
            row["managed"] = bool(row["managed"])
        self.plan_names = dict((p["id"], name) for name, p in self.provider_plans.items())
        declared = [u["username"] for r in self.resellers for u in (r.get("users") or [])]
        self.users = _read_users(db, declared)
        self.by_username = dict((u["username_key"], u) for u in self.users.values()
                                if u["username_namespace"] == PROVIDER_NAMESPACE)
        self.by_client = {}
        for user in sorted(self.users.values(), key=lambda u: u["username"]):
            self.by_client.setdefault(user["client_id"], []).append(user)
        self.ids = dict((name, row["id"]) for name, row in self.existing.items())
        self.owner_names = dict((row["id"], name) for name, row in self.existing.items())
        self.wanted_plans, self.wanted_configurations, self.wanted_brands = {}, {}, {}

    def run(self):
        db = self.db
        self._read()
        live = [r for r in self.resellers if r.get("state", "present") != "absent"]
        gone = [r for r in self.resellers if r.get("state", "present") == "absent"]
        for res in live:
            self._present(res)
        for res in gone:
            self._absent(res)
        if self.problems:
            raise PanelDBError("; ".join(self.problems))
        if self.wanted_plans:
            sync_plans(db, self.wanted_plans, self.owner_names, existing=self.plans, report=self.plan_report)
        if self.wanted_configurations:
            sync_configurations(db, self.wanted_configurations, self.owner_names, existing=self.configurations,
                                report=self.configuration_report)
        if self.wanted_brands:
            sync_brands(db, self.wanted_brands, self.owner_names, self.brand_report)
        return self

    # -- present / suspended ------------------------------------------------------------------------------
    def _present(self, res):
        name = res["name"]
        have = self.existing.get(name)
        if have is not None and not have["managed"]:
            self.problems.append("reseller %s exists and is not managed (made in the panel)" % name)
            return
        plan = self.provider_plans.get(res["plan"])
        if plan is None:
            self.problems.append("reseller %s: plan: %r is not a provider plan in the panel database"
                                 % (name, res["plan"]))
            return
        url = canonical_url(res["enduser_panel_url"])
        smtp = smtp_column(res.get("smtp"))
        want = dict(company=res["company"], email=res["email"], currency=res["currency"], plan=res["plan"],
                    enduser_panel_url=url, host=url_host(url), status=STATUS[res.get("state", "present")],
                    smtp=smtp_shown(smtp))
        if have is None:
            client_id, reseller_id = self._create_reseller(name, want, plan, smtp)
        else:
            client_id, reseller_id = have["client_id"], have["id"]
            self._update_reseller(name, have, want, plan, smtp)
        self._users(res, client_id, active=res.get("state", "present") == "present")
        self._own_catalogue(res, reseller_id)

    def _create_reseller(self, name, want, plan, smtp):
        db = self.db
        client_id = db.insert("panel_client", dict(name=want["company"], email=want["email"],
                                                   currency=want["currency"], reseller_id=None))
        reseller_id = db.insert("panel_reseller", dict(
            name=name, client_id=client_id, plan_id=plan["id"], enduser_panel_url=want["enduser_panel_url"],
            host=want["host"], status=want["status"], managed=True, smtp=smtp))
        self.ids[name] = reseller_id
        self.owner_names[reseller_id] = name
        self.reseller_report.add(name, "created", after=_show("reseller", name, want))
        return client_id, reseller_id

    def _update_reseller(self, name, have, want, plan, smtp):
        """Bring an existing reseller's client and record to `want` (`smtp`: the column's canonical JSON)."""
        db = self.db
        before = dict(company=have["company"], email=have["email"], currency=have["currency"],
                      plan=self.plan_names.get(have["plan_id"], have["plan_id"]),
                      enduser_panel_url=have["enduser_panel_url"], host=have["host"], status=have["status"],
                      smtp=smtp_shown(have["smtp"]))
        pairs = (("company", "name"), ("email", "email"), ("currency", "currency"))
        client_changes = dict((col, want[key]) for key, col in pairs if before[key] != want[key])
        reseller_changes = dict((col, val) for col, val in (
            ("plan_id", plan["id"]), ("enduser_panel_url", want["enduser_panel_url"]), ("host", want["host"]),
            ("status", want["status"]), ("smtp", smtp)) if have[col] != val)
        db.update("panel_client", have["client_id"], client_changes)
        if reseller_changes or client_changes:
            reseller_changes["updated_at"] = db.now()
            db.update("panel_reseller", have["id"], reseller_changes)
            self.reseller_report.add(name, "updated", before=_show("reseller", name, before),
                                     after=_show("reseller", name, want))
        else:
            self.reseller_report.add(name, "unchanged")

    def _own_catalogue(self, res, reseller_id):
        """The reseller's own plans and configurations: synced when declared, otherwise left alone (and
        brought back from the archive after an offboarding was undone). Its brand: the inventory's when
        declared; without `brand:` the reseller's own to edit."""
        if "plans" in res:
            self.wanted_plans[reseller_id] = res.get("plans") or []
        else:
            archive_owner_plans(self.db, reseller_id, self.owner_names, self.plans, self.plan_report, archived=False)
        self.wanted_brands[reseller_id] = res["brand"] if res.get("brand") is not None else RELEASE
        if "configurations" in res:
            self.wanted_configurations[reseller_id] = res.get("configurations") or []
        else:
            archive_owner_configurations(self.db, reseller_id, self.owner_names, self.configurations,
                                         self.configuration_report, archived=False)

    def _users(self, res, client_id, active):
        declared = set()
        for user in res.get("users") or []:
            declared.add(username_key(user["username"]))
            have = self.by_username.get(username_key(user["username"]))
            if have is not None and not have["managed"]:
                self.problems.append("reseller %s user %s: a user with this username exists and is not managed"
                                     % (res["name"], user["username"]))
                continue
            want = dict(email=user["email"], client=res["name"], is_active=active, is_reseller=True)
            if have is None:
                self._create_user(user, client_id, want)
            else:
                self._update_user(user, have, client_id, want)
        # Managed reseller users the inventory no longer lists are deactivated, never deleted.
        for have in self.by_client.get(client_id, []):
            if have["managed"] and have["username_key"] not in declared and have["is_active"]:
                self._deactivate(have)

    def _create_user(self, user, client_id, want):
        username = user["username"]
        token = False
        if user.get("password_hash"):
            password = user["password_hash"]
        elif user.get("password"):
            password = _passwords.make_hash(user["password"], iterations=_passwords.ITERATIONS)
        else:
            password, token = _passwords.unusable_password(), True
        user_id = self.db.insert("panel_user", dict(
            password=password, last_login=None, is_superuser=False, username=username,
            username_key=username_key(username), username_namespace=PROVIDER_NAMESPACE, first_name="",
            last_name="", email=user["email"], is_staff=False, is_active=want["is_active"],
            date_joined=self.db.now(), client_id=client_id, is_reseller=True, managed=True))
        if token:
            self.pending_links.append((username, user_id))
            self.pending_emails[username] = user["email"]
        self.user_report.add(username, "created", after=_show("user", username, dict(
            want, password="(link)" if token else "(set)")))

    def _new_password(self, user, have):
        """The hash to store when update_password is always and the declared credential differs, else None."""
        if (user.get("update_password") or "on_create") != "always":
            return None
        if user.get("password_hash") and have["password"] != user["password_hash"]:
            return user["password_hash"]
        if user.get("password") and not _passwords.verify(user["password"], have["password"]):
            return _passwords.make_hash(user["password"], iterations=_passwords.ITERATIONS)
        return None

    def _update_user(self, user, have, client_id, want):
        username = user["username"]
        changes = dict((col, val) for col, val in (
            ("username", username), ("email", user["email"]), ("client_id", client_id),
            ("is_active", want["is_active"]), ("is_reseller", True)) if have[col] != val)
        password = self._new_password(user, have)
        if password is not None:
            changes["password"] = password
        if not changes:
            self.user_report.add(username, "unchanged")
            return
        self.db.update("panel_user", have["id"], changes)
        before = dict(email=have["email"], client=self.owner_names.get(
            self._reseller_of_client(have["client_id"]), have["client_id"]),
            is_active=have["is_active"], is_reseller=have["is_reseller"])
        after = dict(want)
        if password is not None:
            before["password"], after["password"] = "(old)", "(changed)"
        self.user_report.add(username, "updated", before=_show("user", username, before),
                             after=_show("user", username, after))

    def _deactivate(self, user):
        self.db.update("panel_user", user["id"], {"is_active": False})
        self.user_report.add(user["username"], "removed",
                             before=_show("user", user["username"], dict(is_active=True)),
                             after=_show("user", user["username"], dict(is_active=False)))

    def _free_in_target_namespace(self, name, reseller_id, target_id, target_label):
        """Whether the end users of reseller `reseller_id` can join the name space of their new owner: a name
        already used there (case and width ignored) is a problem naming both users, and nothing moves."""
        moving = self.db.query("SELECT u.username, u.username_key FROM panel_user u WHERE u.username_namespace = ?",
                               (reseller_id,))
        taken = dict((row["username_key"], row["username"]) for row in self.db.query_in(
            "SELECT username, username_key FROM panel_user WHERE username_namespace = ? AND username_key IN (%s)",
            sorted(set(u["username_key"] for u in moving)), params=[target_id or PROVIDER_NAMESPACE]))
        clashes = ["%s (%s has %s)" % (u["username"], target_label, taken[u["username_key"]])
                   for u in moving if u["username_key"] in taken]
        if clashes:
            self.problems.append("reseller %s: state absent: end users cannot move to %s, whose users have the "
                                 "same names: %s; rename them first" % (name, target_label, ", ".join(clashes)))
        return not clashes

    def _reseller_of_client(self, client_id):
        if not hasattr(self, "_client_owner"):
            self._client_owner = dict((row["client_id"], row["id"]) for row in self.existing.values())
        return self._client_owner.get(client_id)

    # -- absent: offboarding --------------------------------------------------------------------------------
    def _absent(self, res):
        db, name = self.db, res["name"]
        have = self.existing.get(name)
        if have is None:
            self.reseller_report.add(name, "unchanged")
            return
        if not have["managed"]:
            self.problems.append("reseller %s exists and is not managed (made in the panel)" % name)
            return
        target = res.get("offboard_to")
        target_id = None
        if target is not None:
            target_id = self.ids.get(target)
            if target_id is None:
                self.problems.append("reseller %s: offboard_to: reseller %r is not in the panel database"
                                     % (name, target))
                return
        if not self._free_in_target_namespace(name, have["id"], target_id, target or "the provider"):
            return
        changed = False
        if have["status"] != "archived":
            db.update("panel_reseller", have["id"], {"status": "archived", "updated_at": db.now()})
            changed = True
        for user in self.by_client.get(have["client_id"], []):
            if user["managed"] and user["is_active"]:
                self._deactivate(user)
        moved = [r["id"] for r in db.query("SELECT id FROM panel_client WHERE reseller_id = ?", (have["id"],))]
        if moved:
            # The reseller's own retail plans and configurations do not follow its clients.
            db.execute("UPDATE panel_client SET plan_id = NULL WHERE reseller_id = ? AND plan_id IN "
                       "(SELECT id FROM panel_plan WHERE owner_reseller_id = ?)", (have["id"], have["id"]))
            db.execute("UPDATE panel_client SET configuration_id = NULL WHERE reseller_id = ? AND configuration_id IN "
                       "(SELECT id FROM panel_configuration WHERE owner_reseller_id = ?)", (have["id"], have["id"]))
            # Its end users' names move into the name space of their new owner (checked free above).
            db.execute("UPDATE panel_user SET username_namespace = ? WHERE client_id IN "
                       "(SELECT id FROM panel_client WHERE reseller_id = ?)",
                       (target_id or PROVIDER_NAMESPACE, have["id"]))
            db.execute("UPDATE panel_client SET reseller_id = ? WHERE reseller_id = ?", (target_id, have["id"]))
            changed = True
        self.offboarded[name] = dict(clients_moved=len(moved), moved_to=target or "provider")
        archive_owner_plans(db, have["id"], self.owner_names, self.plans, self.plan_report)
        archive_owner_configurations(db, have["id"], self.owner_names, self.configurations,
                                     self.configuration_report)
        if changed:
            self.reseller_report.add(name, "archived",
                                     before=_show("reseller", name, dict(status=have["status"])),
                                     after=_show("reseller", name, dict(
                                         status="archived", clients_moved=len(moved), moved_to=target or "provider")))
        else:
            self.reseller_report.add(name, "unchanged")

    # -- set-password links -----------------------------------------------------------------------------
    def issue_links(self):
        """Store a token per user without a credential; returns [(username, link)] (never logged)."""
        if not self.pending_links:
            return []
        base = self.settings.get("provider.frontend_url")
        if not base:
            raise PanelDBError("users %s have no credential and the panel has no provider.frontend_url to build "
                               "set-password links from (run the reseller_feature role first)"
                               % ", ".join(u for u, dummy in self.pending_links))
        if not base.endswith("/"):
            base += "/"
        expires = datetime.datetime.now(datetime.timezone.utc) + TOKEN_LIFETIME
        if self.db.engine != "postgresql":
            expires = expires.replace(tzinfo=None)
            if self.db.engine == "sqlite":
                expires = expires.isoformat(" ")
        links = []
        for username, user_id in self.pending_links:
            token, digest = _passwords.new_token()
            self.db.insert("panel_user_token", dict(user_id=user_id, token_sha256=digest, purpose="set_password",
                                                    expires_at=expires, used_at=None))
            links.append((username, "%sset-password/%s/" % (base, token)))
        return links

    # -- the module's result ----------------------------------------------------------------------------
    def module_result(self, links_file=None, delivery="file"):
        """The panel_resellers result: per-kind results (resellers, users, plans, configurations, brands), the
        per-state lists naming each item with its kind (`reseller acme`, `user acme-admin`, `plan acme/retail`),
        the offboarding counts, where the set-password links went (`delivery`: file or email), `changed` and one
        diff over every kind."""
        reports = (("reseller", "resellers", self.reseller_report), ("user", "users", self.user_report),
                   ("plan", "plans", self.plan_report),
                   ("configuration", "configurations", self.configuration_report),
                   ("brand", "brands", self.brand_report))
        result = dict((state, []) for state in STATES)
        for kind, key, report in reports:
            result[key] = dict(report.items)
            for state in STATES:
                result[state].extend("%s %s" % (kind, name) for name in report.names(state))
        for state in STATES:
            result[state].sort()
        pending = [username for username, dummy in self.pending_links]
        result.update(
            changed=any(report.changed for dummy, dummy2, report in reports),
            offboarded=self.offboarded,
            set_password_links=dict(delivery=delivery, users=pending,
                                    path=links_file if pending and delivery == "file" else None),
            diff=dict(before="".join("".join(report.before) for dummy, dummy2, report in reports),
                      after="".join("".join(report.after) for dummy, dummy2, report in reports),
                      before_header="panel database", after_header="panel database"),
        )
        return result


def sync_resellers(db, resellers):
    """Apply `resellers` inside the caller's transaction; returns the ResellerSync with its reports."""
    return ResellerSync(db, resellers).run()
