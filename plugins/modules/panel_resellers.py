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
offboarded:
  description: For each reseller offboarded by this run, how many clients moved and to whom.
  returned: always
  type: dict
  sample: {"initech": {"clients_moved": 3, "moved_to": "acme"}}
set_password_links:
  description: Where the set-password links of this run were written, and for which users (never the links).
  returned: always
  type: dict
  contains:
    path:
      description: The links file, or null when no link was issued.
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

from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import DB_ARGUMENT_SPEC, PanelDBError
from ansible_collections.panelops.reseller.plugins.module_utils._plans import sync_plans
from ansible_collections.panelops.reseller.plugins.module_utils._resellers import sync_resellers, write_links
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
)
ARGUMENT_SPEC = dict(
    db=DB_ARGUMENT_SPEC,
    resellers=dict(type="list", elements="dict", options=RESELLER_SPEC),
    resellers_var=dict(type="str"),
    frontend_https_port=dict(type="int"),
    links_file=dict(type="path"),
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
        resellers.append(res)
    return resellers


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True,
                           required_one_of=[("resellers", "resellers_var")],
                           mutually_exclusive=[("resellers", "resellers_var")])
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
        if sync.pending_links and not params["links_file"]:
            raise PanelDBError("users %s have no password or password_hash: set links_file to receive their "
                               "set-password links" % ", ".join(u for u, dummy in sync.pending_links))
        if not module.check_mode:
            _write_links(sync, params["links_file"])
        return sync.module_result(params["links_file"])

    run_seed(module, "resellers", validate, step)


def _write_links(sync, links_file):
    """Issue the set-password tokens and append their links to the file, before the commit: a failure here
    rolls the tokens back with everything else."""
    links = sync.issue_links()
    if links:
        try:
            write_links(links_file, links)
        except (IOError, OSError) as exc:
            raise PanelDBError("cannot write the set-password links to %s: %s" % (links_file, exc))


if __name__ == "__main__":
    main()
