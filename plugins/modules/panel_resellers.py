#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: panel_resellers
short_description: Seed resellers with their clients, users, plans and configurations in one transaction
version_added: 0.1.0
description:
  - For every reseller in the list, in one transaction, makes the panel hold its client account (company,
    e-mail, currency), its reseller users, its reseller record (provider plan, end-user panel URL, derived
    host, status) and, when given, its own plans and configurations. Records are found by natural key
    (reseller name, username, plan or configuration name) and marked managed; only what differs is written.
  - Existing rows are read in a few queries for the whole list, so the cost grows with the changes, not with
    the number of resellers.
  - O(resellers[].state=suspended) sets the status C(suspended) and deactivates the reseller's managed users
    (log-in and sign-up on its domain are refused), deleting nothing.
  - "O(resellers[].state=absent) offboards: status C(archived), managed users deactivated, the clients of the
    reseller's end users moved to the provider (or to O(resellers[].offboard_to)) without the reseller's retail
    plan and configuration, its managed plans and configurations archived. Nothing is deleted."
  - Managed users of a reseller that the list no longer names are deactivated (reported as removed).
  - "A user's credential: O(resellers[].users[].password_hash), a ready Django hash stored as given (see the
    P(panelops.reseller.panel_password_hash#filter) filter); or O(resellers[].users[].password), hashed here
    with Django's PBKDF2-SHA256 at the panel's iteration count; or neither: the user gets an unusable password
    and a one-time set-password link valid for 72 hours."
  - "Set-password links are never returned in the task result: they are appended, one line per user
    (C(<time> <username> <link>)), to O(links_file) on the host running the module, a file written through an
    atomic rename with mode 0600. The result names the file and the users. Only a SHA-256 of each token is
    stored in the database. Check mode issues no link and writes no file."
  - "With O(set_password_delivery=email) the links are e-mailed instead, by the panel's own mailer
    (O(mail_command)), through Django with the provider's brand; a mailer failure rolls the whole call back."
  - "O(resellers[].brand) is the reseller's brand (name, logo, colour, support and legal links), stored managed
    (read-only in the dashboard); a reseller without it keeps, or may now edit, its own brand. The logo arrives
    embedded by the action plugin, which reads the file on the controller."
author:
  - panelops.reseller contributors (@panelops)
extends_documentation_fragment:
  - panelops.reseller.resellers_var
  - panelops.reseller.panel_db
  - panelops.reseller.seeding
options:
  resellers:
    description:
      - The resellers. The whole list is validated first; every problem is reported naming the reseller, user,
        plan or configuration and the field.
      - Resellers in the database that the list does not name are left as they are.
      - One of O(resellers) and O(resellers_var) is required.
      - The action plugin hands the list to the module as O(resellers_file).
    type: list
    elements: dict
    suboptions:
      name:
        description: The reseller's slug, its natural key.
        type: str
        required: true
      state:
        description: Whether the reseller is active, suspended, or offboarded.
        type: str
        choices: [present, suspended, absent]
        default: present
      company:
        description: Company name of the reseller's client account.
        type: str
      email:
        description: Contact e-mail of the reseller's client account.
        type: str
      currency:
        description: ISO 4217 currency of the reseller's client account.
        type: str
      plan:
        description: Name of the provider plan the reseller is billed on.
        type: str
      enduser_panel_url:
        description:
          - The reseller's end-user panel, C(https://FQDN/); a port only when it equals O(frontend_https_port).
        type: str
      offboard_to:
        description: With O(resellers[].state=absent), the reseller that takes over the end users' clients.
        type: str
      users:
        description: The reseller's dashboard users.
        type: list
        elements: dict
        suboptions:
          username:
            description: Username, the natural key.
            type: str
            required: true
          email:
            description: E-mail address.
            type: str
            required: true
          password:
            description: Plaintext password, hashed by the module.
            type: str
          password_hash:
            description: A ready Django password hash (C(pbkdf2_sha256), C(argon2), C(bcrypt_sha256), C(scrypt)).
            type: str
          update_password:
            description:
              - C(on_create) sets the credential only when the user is created; C(always) also replaces a
                different stored one (a plaintext password is compared by verifying it against the stored hash).
            type: str
            choices: [on_create, always]
            default: on_create
      plans:
        description:
          - The reseller's own plans, as in M(panelops.reseller.panel_plans). When given (even empty), the
            reseller's managed plans not listed are deleted (unless in use); when omitted they are left alone.
        type: list
        elements: dict
      configurations:
        description:
          - The reseller's configurations, as in M(panelops.reseller.panel_configurations); purged like
            O(resellers[].plans).
        type: list
        elements: dict
      dns:
        description:
          - The reseller's DNS settings, read by the C(reseller_dns) role; accepted and ignored here, so the
            inventory's list can be passed as it is.
        type: dict
      tls:
        description:
          - The reseller's TLS settings, read by the TLS role; accepted and ignored here.
        type: dict
      brand:
        description:
          - "The reseller's brand: C(name) (required), C(logo) (a PNG, JPEG or WebP file on the controller, at
            most 256 KiB; SVG is refused), C(primary_color) (C(#rrggbb)), C(support_email), C(support_url),
            C(terms_url), C(privacy_url) (https URLs). See docs/seeding.md."
          - Omitted, the reseller's brand is left to the reseller (a brand this module managed is released).
        type: dict
      smtp:
        description:
          - The reseller's own SMTP server for the e-mails of its end-user panel; omitted, the provider's.
        type: dict
        suboptions:
          host:
            description: SMTP server name or address.
            type: str
            required: true
          port:
            description: Port; by default the panel uses 587 (starttls), 465 (tls) or 25 (none).
            type: int
          username:
            description: Log-in name, with O(resellers[].smtp.password).
            type: str
          password:
            description: Password; stored for the panel's mailer, never shown in a result or diff.
            type: str
          security:
            description: C(starttls), C(tls) (implicit TLS) or C(none).
            type: str
            choices: [starttls, tls, none]
            default: starttls
  resellers_file:
    description:
      - Filled by the action plugin with the reseller list; do not set it yourself.
      - A JSON file in the task's private temporary directory holding a list like O(resellers), validated
        like O(resellers) (the same defaults, types and required fields; passwords and hashes kept out of
        every message); the module reads and removes it. As an argument, 1000 resellers cost a tenth of a
        second more per run (decoded, deep-copied and searched for no_log values as a whole).
    type: path
    version_added: 0.1.0
  frontend_https_port:
    description:
      - The HTTPS port the frontends declare (C(panel_frontend_https_port)); an end-user panel URL may carry a
        port only when it equals this one.
    type: int
  links_file:
    description:
      - File on the module's host to which set-password links are appended (mode 0600). Required when a new
        user has neither O(resellers[].users[].password) nor O(resellers[].users[].password_hash).
    type: path
  set_password_delivery:
    description:
      - How one-time set-password links reach their users; C(file) appends them to O(links_file), C(email)
        sends them through O(mail_command).
    type: str
    choices: [file, email]
    default: file
  mail_command:
    description:
      - The panel's mailer, run on the module's host with the links as JSON on its standard input, e.g. the
        C(manage) wrapper the panel role writes followed by C(mail_set_password_links). Required with
        O(set_password_delivery=email) when a link is issued.
    type: list
    elements: str
  provider_plans:
    description:
      - The provider plans the same run declares (the inventory's C(panel_plans)), used only in check mode.
      - A dry run of the plans is rolled back before this module runs, so a reseller billed on a plan that the
        same run creates would look unresolvable; in check mode these plans are applied first inside this
        module's own (rolled back) transaction, so the report matches what a real run would do. Ignored
        outside check mode, where the plans are already in the database.
    type: list
    elements: dict
"""

EXAMPLES = r"""
- name: Seed the resellers
  panelops.reseller.panel_resellers:
    db: "{{ panel_db }}"
    links_file: /var/lib/panelops/set-password-links
    resellers:
      - name: acme
        company: ACME Cloud
        email: ops@acme.test
        currency: EUR
        plan: reseller-wholesale
        enduser_panel_url: https://cloud.acme.test/
        users:
          - username: acme-admin
            email: admin@acme.test
            password_hash: "{{ vault_acme_admin_hash }}"
        configurations:
          - {name: default, default: true, options: {billing: {credit_limit: 0}}}
      - name: initech
        state: absent
        offboard_to: acme

- name: Seed the inventory's resellers, read from the host variable on the controller (large lists)
  panelops.reseller.panel_resellers:
    db: "{{ panel_db }}"
    resellers_var: panel_resellers
  run_once: true
"""

RETURN = r"""
resellers:
  description: Per-reseller result (C(created), C(updated), C(unchanged), C(archived)).
  returned: always
  type: dict
  sample: {"acme": "created", "initech": "archived"}
users:
  description: Per-user result (C(created), C(updated), C(unchanged), C(removed) meaning deactivated).
  returned: always
  type: dict
plans:
  description: Per-plan result of the resellers' own plans, named C(reseller/plan).
  returned: always
  type: dict
configurations:
  description: Per-configuration result of the resellers' configurations, named C(reseller/name).
  returned: always
  type: dict
brands:
  description: Per-reseller result of the brands (C(created), C(updated) — released included — or C(unchanged)).
  returned: always
  type: dict
offboarded:
  description: For each reseller offboarded by this run, how many clients moved and to whom.
  returned: always
  type: dict
  sample: {"initech": {"clients_moved": 3, "moved_to": "acme"}}
set_password_links:
  description: Where the set-password links of this run went, and for which users (never the links).
  returned: always
  type: dict
  contains:
    delivery:
      description: C(file) or C(email).
      type: str
    path:
      description: The links file, or null when no link was written to a file.
      type: str
    users:
      description: Usernames that received a link.
      type: list
      elements: str
created:
  description:
    - What was created, each named with its kind (C(reseller acme), C(user acme-admin), C(plan acme/retail),
      C(configuration acme/default)).
  returned: always
  type: list
  elements: str
updated:
  description: What changed, named as in RV(created).
  returned: always
  type: list
  elements: str
unchanged:
  description: What already matched, named as in RV(created).
  returned: always
  type: list
  elements: str
removed:
  description: Users deactivated and plans or configurations purged, named as in RV(created).
  returned: always
  type: list
  elements: str
archived:
  description: Resellers offboarded and their plans and configurations archived, named as in RV(created); nothing is deleted.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._handover import take_handed_over_list
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import DB_ARGUMENT_SPEC, PanelDBError
from ansible_collections.panelops.reseller.plugins.module_utils._plans import sync_plans
from ansible_collections.panelops.reseller.plugins.module_utils._resellers import mail_links, sync_resellers, write_links
from ansible_collections.panelops.reseller.plugins.module_utils._results import echo_compactly
from ansible_collections.panelops.reseller.plugins.module_utils._seed_runner import run_seed
from ansible_collections.panelops.reseller.plugins.module_utils._seed_validation import (
    validate_plans,
    validate_resellers,
)

USER_SPEC = dict(
    username=dict(type="str", required=True),
    email=dict(type="str", required=True),
    password=dict(type="str", no_log=True),
    password_hash=dict(type="str", no_log=True),
    update_password=dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False),
)
SMTP_SPEC = dict(
    host=dict(type="str", required=True),
    port=dict(type="int"),
    username=dict(type="str"),
    password=dict(type="str", no_log=True),
    security=dict(type="str", choices=["starttls", "tls", "none"], default="starttls"),
)
RESELLER_SPEC = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "suspended", "absent"], default="present"),
    company=dict(type="str"),
    email=dict(type="str"),
    currency=dict(type="str"),
    plan=dict(type="str"),
    enduser_panel_url=dict(type="str"),
    offboard_to=dict(type="str"),
    users=dict(type="list", elements="dict", options=USER_SPEC),
    plans=dict(type="list", elements="dict"),
    configurations=dict(type="list", elements="dict"),
    dns=dict(type="dict"),
    tls=dict(type="dict"),
    brand=dict(type="dict"),
    smtp=dict(type="dict", options=SMTP_SPEC),
)
ARGUMENT_SPEC = dict(
    db=DB_ARGUMENT_SPEC,
    resellers=dict(type="list", elements="dict", options=RESELLER_SPEC),
    resellers_var=dict(type="str"),
    resellers_file=dict(type="path"),
    frontend_https_port=dict(type="int"),
    links_file=dict(type="path"),
    set_password_delivery=dict(type="str", choices=["file", "email"], default="file", no_log=False),
    mail_command=dict(type="list", elements="str"),
    provider_plans=dict(type="list", elements="dict"),
)


def _given(mapping):
    """The keys the inventory gave (the argument spec fills the others with None)."""
    return dict((k, v) for k, v in mapping.items() if v is not None)


def _declared(params):
    resellers = []
    for res in params["resellers"]:
        res = _given(res)
        if "users" in res:
            res["users"] = [_given(u) for u in res["users"]]
        if "smtp" in res:
            res["smtp"] = _given(res["smtp"])
        resellers.append(res)
    return resellers


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True,
                           required_one_of=[("resellers", "resellers_var", "resellers_file")],
                           mutually_exclusive=[("resellers", "resellers_var", "resellers_file")])
    # The action plugin hands the list over as a file: read and validated before the compact echo is taken.
    take_handed_over_list(module, "resellers", "resellers_file", "reseller")
    echo_compactly(module, "resellers")
    if module.params["resellers"] is None:
        module.fail_json(msg="resellers_var is read by the action plugin on the controller; "
                             "run this module as a task (or pass resellers)")
    params = module.params
    resellers = _declared(params)
    # Check mode only: what the plans task would have created exists for this (rolled back) run.
    provider_plans = params["provider_plans"] if module.check_mode else None

    def validate():
        problems = validate_resellers(resellers, https_port=params["frontend_https_port"])
        return problems + (validate_plans(provider_plans, owner_label="provider") if provider_plans else [])

    def step(db):
        if provider_plans:
            sync_plans(db, {None: provider_plans}, purge=False)
        sync = sync_resellers(db, resellers)
        _deliver_links(module, sync)
        return sync.module_result(params["links_file"], params["set_password_delivery"])

    run_seed(module, "resellers", validate, step)


def _check_delivery(params, sync):
    """Fail before anything is issued when the links of this run would have nowhere to go."""
    if not sync.pending_links:
        return
    users = ", ".join(u for u, dummy in sync.pending_links)
    if params["set_password_delivery"] == "email" and not params["mail_command"]:
        raise PanelDBError("users %s have no password or password_hash and set_password_delivery is email: set "
                           "mail_command to the panel's mailer" % users)
    if params["set_password_delivery"] == "file" and not params["links_file"]:
        raise PanelDBError("users %s have no password or password_hash: set links_file to receive their "
                           "set-password links" % users)


def _deliver_links(module, sync):
    """Issue the set-password links of this run and hand them over (file or mailer), before the commit: a
    failure here rolls the tokens back with everything else. Check mode issues none."""
    params = module.params
    _check_delivery(params, sync)
    if module.check_mode:
        return
    links = sync.issue_links()
    if links and params["set_password_delivery"] == "email":
        mail_links(module.run_command, params["mail_command"], links, sync.pending_emails)
    elif links:
        try:
            write_links(params["links_file"], links)
        except (IOError, OSError) as exc:
            raise PanelDBError("cannot write the set-password links to %s: %s" % (params["links_file"], exc))


if __name__ == "__main__":
    main()
