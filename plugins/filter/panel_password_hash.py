# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: panel_password_hash
short_description: Make a panel (Django) password hash from a plaintext password
version_added: 0.1.0
description:
  - Returns the Django 5.2 PBKDF2-SHA256 hash of a password, C(pbkdf2_sha256$1000000$<salt>$<digest>), the
    value a reseller user's C(password_hash) takes in the inventory. Make it once and keep it in Vault.
  - Uses the same code as the M(panelops.reseller.panel_resellers) module; about 0.4 s per call.
author:
  - panelops.reseller contributors (@panelops)
options:
  _input:
    description: The plaintext password.
    type: str
    required: true
  salt:
    description:
      - Salt to use (1-128 characters from C(A-Z a-z 0-9 . / +)); a random 22-character salt when omitted.
      - A fixed salt makes the result repeatable, for example to compare with a stored hash.
    type: str
  iterations:
    description: PBKDF2 iteration count; the panel's default when omitted.
    type: int
    default: 1000000
"""

EXAMPLES = r"""
- name: Print a hash to store in Vault as vault_acme_admin_hash
  ansible.builtin.debug:
    msg: "{{ 'correct horse battery staple' | panelops.reseller.panel_password_hash }}"
"""

RETURN = r"""
_value:
  description: The Django password hash.
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.panelops.reseller.plugins.module_utils._passwords import ITERATIONS, make_hash


def panel_password_hash(password, salt=None, iterations=ITERATIONS):
    try:
        return make_hash(password, salt=salt, iterations=iterations)
    except ValueError as exc:
        raise AnsibleFilterError("panel_password_hash: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"panel_password_hash": panel_password_hash}
