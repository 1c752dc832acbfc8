#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: nginx_user_space
short_description: Keep a user-space nginx under its own prefix configured and running
version_added: 0.1.0
description:
  - Used by the C(panelops.reseller.provider_frontend) role with C(panel_nginx_user_space=true) (the demo, the
    bench, test frontends). Makes the prefix and its C(tmp/) (mode 0755), writes the main configuration
    C(<prefix>/nginx.conf) (atomically, mode 0644), and starts nginx when no master runs under the prefix; all
    in one module run.
  - The configuration is O(config) with a C(user) directive added when the prefix belongs to root (nginx then
    runs as root, and its workers stay root instead of dropping to C(nobody), who could not read the private
    prefix). A prefix owned by another user runs nginx as that user.
  - A master that runs already is not touched; RV(reload) says whether it must reload for a new configuration
    (notify the role's C(Reload nginx) handler).
  - A failed start is an error quoting nginx's own message; nothing else is undone (the configuration written is
    the wanted one).
author:
  - panelops.reseller contributors (@panelops)
options:
  prefix:
    description: The nginx prefix (C(panel_nginx_prefix)); the pid file is C(<prefix>/nginx.pid).
    type: path
    required: true
  config:
    description: The main configuration, rendered (the role's C(nginx.conf.j2)), without the C(user) directive.
    type: str
    required: true
  start_command:
    description: The argv that starts nginx with this prefix and configuration.
    type: list
    elements: str
    required: true
attributes:
  check_mode:
    description: Whether the module can report what it would change without changing anything.
    support: full
    details: Reports the directories, the configuration and the start it would make; starts nothing.
  diff_mode:
    description: Whether the module shows what it changes (or would change) as a diff.
    support: full
"""

EXAMPLES = r"""
- name: Configure the user-space nginx and start it when it is not running
  panelops.reseller.nginx_user_space:
    prefix: "{{ panel_nginx_prefix }}"
    config: "{{ lookup('ansible.builtin.template', 'nginx.conf.j2') }}"
    start_command: [nginx, -p, "{{ panel_nginx_prefix }}", -c, "{{ panel_nginx_prefix }}/nginx.conf"]
  notify: Reload nginx
"""

RETURN = r"""
directories:
  description: The directories made (or whose mode was corrected).
  returned: always
  type: list
  elements: str
config_changed:
  description: Whether the main configuration was (or would be) written.
  returned: always
  type: bool
started:
  description: Whether nginx was (or, in check mode, would be) started because no master ran.
  returned: always
  type: bool
reload:
  description: Whether a master that was already running must reload for the new configuration.
  returned: always
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._nginx_user_space import UserSpaceError, ensure


def main():
    module = AnsibleModule(
        argument_spec=dict(
            prefix=dict(type="path", required=True),
            config=dict(type="str", required=True),
            start_command=dict(type="list", elements="str", required=True),
        ),
        supports_check_mode=True,
    )
    p = module.params
    try:
        result = ensure(p["prefix"], p["config"], p["start_command"], module.run_command, module.check_mode)
    except (UserSpaceError, OSError) as error:
        module.fail_json(msg=str(error))
    before, after = result.pop("before"), result.pop("after")
    path = p["prefix"] + "/nginx.conf"
    diff = dict(before_header=path, after_header=path, before=before, after=after) if result["config_changed"] else {}
    changed = bool(result["directories"]) or result["config_changed"] or result["started"]
    module.exit_json(changed=changed, diff=diff, **result)


if __name__ == "__main__":
    main()
