#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: acme_http01
short_description: Serve (or withdraw) ACME HTTP-01 challenge files from a frontend's webroot
version_added: 0.1.0
description:
  - Writes every challenge of the list as C(<webroot>/.well-known/acme-challenge/<token>) (atomically, mode
    0644, the directory made 0755 when missing), or removes them with O(state=absent), in one call.
  - Runs on each frontend, between the C(open) and C(finish) steps of M(panelops.reseller.tls_certificates)
    (its O(panelops.reseller.tls_certificates#module:acme_step) option). So every frontend a domain resolves to
    answers the CA's validation, whichever host the module ordering the certificates runs on.
  - A token must be a plain file name (the ACME base64url alphabet); anything else is refused before a file is
    written.
author:
  - panelops.reseller contributors (@panelops)
options:
  webroot:
    description: The directory nginx serves at C(/.well-known/acme-challenge/) from (C(panel_nginx_acme_webroot)).
    type: path
    required: true
  challenges:
    description: The challenges (RV(panelops.reseller.tls_certificates#module:http01_challenges)).
    type: list
    elements: dict
    default: []
    suboptions:
      token:
        description: The challenge token, the file's name.
        type: str
        required: true
      content:
        description: The key authorization the CA expects as the file's content.
        type: str
        required: true
  state:
    description: C(present) writes the files, C(absent) removes them.
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    description: Whether the module can report what it would change without changing anything.
    support: full
    details: Reports which files would be written or removed.
  diff_mode:
    description: Whether the module shows what it changes (or would change) as a diff.
    support: none
"""

EXAMPLES = r"""
- name: Serve the HTTP-01 challenges from every frontend's webroot
  panelops.reseller.acme_http01:
    webroot: "{{ panel_nginx_acme_webroot }}"
    challenges: "{{ reseller_tls_open.http01_challenges }}"

- name: Remove them once the orders are finalized
  panelops.reseller.acme_http01:
    webroot: "{{ panel_nginx_acme_webroot }}"
    challenges: "{{ reseller_tls_open.http01_challenges }}"
    state: absent
"""

RETURN = r"""
tokens:
  description: The tokens written (or removed, with O(state=absent)).
  returned: always
  type: list
  elements: str
"""

import os
import re

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._acme import WebrootChallenges

# RFC 8555 section 8.3: a token is base64url without padding.
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,255}$")


def main():
    module = AnsibleModule(
        argument_spec=dict(
            webroot=dict(type="path", required=True),
            challenges=dict(type="list", elements="dict", default=[], options=dict(
                token=dict(type="str", required=True, no_log=False),
                content=dict(type="str", required=True),
            )),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        supports_check_mode=True,
    )
    p = module.params
    bad = [c["token"] for c in p["challenges"] if not TOKEN.match(c["token"])]
    if bad:
        module.fail_json(msg="challenges: tokens must be plain base64url names; refused: %s" % ", ".join(bad))
    responder = WebrootChallenges([p["webroot"]])
    changed = []
    for challenge in p["challenges"]:
        path = os.path.join(p["webroot"], ".well-known", "acme-challenge", challenge["token"])
        try:
            with open(path) as handle:
                current = handle.read()
        except FileNotFoundError:
            current = None
        if p["state"] == "present" and current != challenge["content"]:
            changed.append(challenge["token"])
            if not module.check_mode:
                responder.place(challenge["token"], challenge["content"])
        elif p["state"] == "absent" and current is not None:
            changed.append(challenge["token"])
            if not module.check_mode:
                responder.remove(challenge["token"])
    module.exit_json(changed=bool(changed), tokens=changed)


if __name__ == "__main__":
    main()
