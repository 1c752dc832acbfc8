#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: frontend_health
short_description: Check a frontend over TLS, one virtual host after the other, through its own address
version_added: 0.1.0
description:
  - Sends C(GET https://<host>:<port><path>) for every host of O(hosts) to O(address):O(port) (SNI and the
    certificate check name the host) and passes when each answers 200 with a certificate that verifies against
    O(ca_file) (or the system's trust store).
  - With two hosts or more, once every host passed, one request more asks for the second host over a connection
    opened for the first, and passes only when it is refused as misdirected (421). A frontend whose panel does
    not answer the frontends' misdirected mark (a panel older than this release) fails, since one connection
    would serve two tenants. Its result is keyed C(<second> on <first>'s connection).
  - Meant to run on the controller right after a frontend reloaded nginx, before the next frontend is touched
    (site.yml's rolling frontends play); the role restores the frontend's previous files when it fails.
  - Reads only; makes no change.
author:
  - panelops.reseller contributors (@panelops)
options:
  address:
    description: The frontend's own address (where its nginx listens).
    type: str
    required: true
  port:
    description: Its HTTPS port.
    type: int
    default: 443
  hosts:
    description: The virtual hosts to request (for example the provider's host and one reseller's).
    type: list
    elements: str
    required: true
  path:
    description: The path requested on every host; the panel answers C(/healthz) on every host.
    type: str
    default: /healthz
  ca_file:
    description: PEM trust anchors for the certificates (internal CA, a test CA); default the system's.
    type: path
  timeout:
    description: Seconds for each connection and answer.
    type: float
    default: 10
  attempts:
    description:
      - Tries per host before it counts as failed, one second apart; that is, a host may take O(attempts) - 1
        seconds to answer.
    type: int
    default: 3
  interval:
    description:
      - Seconds between two tries of a host within that time; a host is tried every O(interval) seconds for
        O(attempts) - 1 seconds. A shorter interval finds a host that came up sooner (after a reload, say)
        without shortening the time it may take.
      - More than 0.
    type: float
    default: 1.0
    version_added: 0.2.0
attributes:
  check_mode:
    description: Whether the module can report what it would change without changing anything.
    support: full
    details: It changes nothing; the requests are sent in check mode too.
  diff_mode:
    description: Whether the module shows what it changes (or would change) as a diff.
    support: none
"""

EXAMPLES = r"""
- name: Check fe1 over TLS before the next frontend
  panelops.reseller.frontend_health:
    address: 203.0.113.21
    port: 443
    hosts: [panel.provider.example, cloud.globex.example]
  delegate_to: localhost
"""

RETURN = r"""
checks:
  description: Per host, whether it passed and what was seen.
  returned: always
  type: dict
  sample: {"panel.provider.example": {"ok": true, "detail": "HTTP 200"},
           "cloud.globex.example": {"ok": true, "detail": "HTTP 200"},
           "cloud.globex.example on panel.provider.example's connection": {"ok": true, "detail": "HTTP 421"}}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._health import check_frontend


def main():
    module = AnsibleModule(
        argument_spec=dict(
            address=dict(type="str", required=True),
            port=dict(type="int", default=443),
            hosts=dict(type="list", elements="str", required=True),
            path=dict(type="str", default="/healthz"),
            ca_file=dict(type="path"),
            timeout=dict(type="float", default=10.0),
            attempts=dict(type="int", default=3),
            interval=dict(type="float", default=1.0),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if not p["hosts"]:
        module.fail_json(msg="hosts: at least one virtual host to check")
    if not p["interval"] > 0:
        module.fail_json(msg="interval: must be more than 0 seconds, got %s" % p["interval"])
    checks = check_frontend(p["address"], p["port"], p["hosts"], p["path"], p["ca_file"], p["timeout"],
                            p["attempts"], interval=p["interval"])
    bad = ["%s (%s)" % (fqdn, check["detail"]) for fqdn, check in checks.items() if not check["ok"]]
    if bad:
        module.fail_json(msg="health check of %s:%d failed: %s" % (p["address"], p["port"], "; ".join(bad)),
                         checks=checks)
    module.exit_json(changed=False, checks=checks)


if __name__ == "__main__":
    main()
