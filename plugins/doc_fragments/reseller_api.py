# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The connection options of the reseller modules (plugins/module_utils/_reseller_api.py API_ARGUMENT_SPEC)
    # and what they all do the same way.
    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - The reseller API of the provider's panel, for example C(https://panel.provider.example/reseller/api/v1/)
        (the dashboard's path followed by C(api/v1/)).
    type: str
    required: true
  api_token:
    description:
      - A reseller API token with scope C(write) (C(read) is enough in check mode), made in the dashboard's
        API tokens page or with C(manage.py create_api_token). Keep it in Ansible Vault.
      - When omitted, the environment variable E(PANELOPS_RESELLER_API_TOKEN) is used.
    type: str
    required: true
  api_unix_socket:
    description:
      - Reach the panel through the Unix socket its gunicorn listens on (for example the demo's
        C(.demo/gunicorn.sock)) instead of over the network; O(api_url) then is
        C(http://<the provider's host>/<dashboard path>api/v1/), its host sent as the Host header.
    type: path
  validate_certs:
    description: Verify the panel's TLS certificate.
    type: bool
    default: true
  ca_path:
    description: A PEM file of the CA certificates to verify the panel's certificate with.
    type: path
  timeout:
    description: Seconds to wait for each answer of the panel.
    type: int
    default: 30
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Every change is sent to the panel as a dry run, which checks it with the dashboard's own rules and stores nothing.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details: One JSON line per record before and after, as the panel stores it; never the token, never a logo's bytes.
notes:
  - Talks to the panel's reseller API only (docs/api.md), never to its database. Every declared record is checked
    with the collection's validation, then every change with the panel's (a dry run) before anything is written;
    a refused list fails naming every record and field, and nothing is changed.
  - Records the provider's inventory manages are read-only; declaring one that differs fails naming it.
  - Writes carry the ETag of the record as read, so a record changed in the dashboard in the meantime is not
    overwritten (the task fails; run it again).
  - Requests refused by the panel's rate limit (HTTP 429) are retried after the time the panel asks for.
requirements:
  - A token of a reseller user of an active reseller.
"""

    # The purge option of the list modules.
    PURGE = r"""
options:
  purge:
    description:
      - Archive the reseller's own records that the list does not name (archived records stay in the panel,
        hidden from new sign-ups; they are never deleted). Records the provider manages are never touched.
    type: bool
    default: false
"""
