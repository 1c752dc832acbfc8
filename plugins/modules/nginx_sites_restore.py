#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: nginx_sites_restore
short_description: Put a frontend's site sets back as they were before their last change
version_added: 0.1.0
description:
  - Every change M(panelops.reseller.nginx_sites) makes to a site set keeps what it replaced (vhost files,
    certificates and keys, retired files, the set's manifest) in C(<tls_dir>/.nginx_sites-<set>.previous.json)
    (mode 0600), until the set's next change replaces it (a run that changes nothing in the set leaves it as it
    is). This module puts those files back and removes what the change created, for every set of O(set_names),
    in one call; name only the sets changed by the run being rolled back.
  - Used when a frontend fails its health check after the reload (site.yml's rolling frontends play); reloading
    nginx afterwards is the caller's task.
author:
  - panelops.reseller contributors (@panelops)
options:
  sites_dir:
    description: The frontend's vhost directory (O(panelops.reseller.nginx_sites#module:sites_dir)).
    type: path
    required: true
  tls_dir:
    description: Its certificate directory (O(panelops.reseller.nginx_sites#module:tls_dir)), where the record is.
    type: path
  set_names:
    description: The site sets to restore.
    type: list
    elements: str
    required: true
attributes:
  check_mode:
    description: Whether the module can report what it would change without changing anything.
    support: full
    details: Reports which sets would be restored.
  diff_mode:
    description: Whether the module shows what it changes (or would change) as a diff.
    support: none
"""

EXAMPLES = r"""
- name: Put this frontend's previous vhosts and certificates back
  panelops.reseller.nginx_sites_restore:
    sites_dir: /etc/nginx/panelops-sites
    tls_dir: /etc/nginx/panelops-tls
    set_names: [provider, resellers]
"""

RETURN = r"""
restored:
  description: The sets whose last change was undone.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._nginx import (
    NginxSitesError,
    check_set_name,
    restore_previous,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            sites_dir=dict(type="path", required=True),
            tls_dir=dict(type="path"),
            set_names=dict(type="list", elements="str", required=True),
        ),
        supports_check_mode=True,
    )
    p = module.params
    problems = [problem for name in p["set_names"] for problem in check_set_name(name)]
    if problems:
        module.fail_json(msg="; ".join(problems))
    restored = []
    try:
        for name in p["set_names"]:
            if restore_previous(p["sites_dir"], p["tls_dir"], name, check_mode=module.check_mode):
                restored.append(name)
    except (NginxSitesError, OSError, ValueError) as exc:
        module.fail_json(msg="could not restore the previous files of %s: %s" % (p["sites_dir"], exc),
                         restored=restored)
    module.exit_json(changed=bool(restored), restored=restored)


if __name__ == "__main__":
    main()
