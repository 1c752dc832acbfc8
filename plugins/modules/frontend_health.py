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
  - Meant to run right after a frontend reloaded nginx, before the next frontend is touched (site.yml's rolling
    frontends play); the role restores the frontend's previous files when it fails.
  - Runs on the controller, in the task's own process (an action plugin), whatever host the task is for; it
    opens no connection to that host and runs no module there. The requests leave from the controller.
  - Reads only; makes no change.
author:
  - panelops.reseller contributors (@panelops)
extends_documentation_fragment:
  - action_common_attributes
  - action_common_attributes.flow
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
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  check_mode:
    support: full
    details: It changes nothing; the requests are sent in check mode too.
  diff_mode:
    support: none
  platform:
    support: full
    platforms: all
"""

EXAMPLES = r"""
- name: Check fe1 over TLS before the next frontend
  panelops.reseller.frontend_health:
    address: 203.0.113.21
    port: 443
    hosts: [panel.provider.example, cloud.globex.example]
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
