#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: nginx_sites
short_description: Render, install and validate a whole set of nginx vhosts and their certificates at once
version_added: 0.1.0
description:
  - The action plugin renders one vhost per site from a role template on the controller (one per reseller FQDN
    whose state is C(present) or C(suspended), and/or the provider's vhost), reads each site's certificate and
    key from the controller-side certificate store, and ships everything to the host in one module call.
  - On the host every file is written atomically (temporary file and rename; keys mode 0600). Vhost files of the
    set carry a marker first line; marked files of the set that are no longer wanted (an absent reseller) are
    retired to a C(retired/) directory next to them, not deleted. Certificates are tracked in a per-set manifest
    in O(tls_dir) and retired the same way.
  - After writing, O(test_command) (C(nginx -t)) checks the whole configuration. If it fails, every file is put
    back as it was, nothing is reloaded, and the task fails with nginx's own message.
  - With O(reload_command), the task then reloads nginx itself when the set changed, when an earlier run left a
    reload pending, or when O(reload) asks for it. Without it, reloading is left to a handler notified when the
    task reports a change.
  - Every value that reaches a template is validated first (host names, paths, upstream, addresses); all
    problems are listed, each naming the reseller and the field.
author:
  - panelops.reseller contributors (@panelops)
extends_documentation_fragment:
  - panelops.reseller.resellers_var
options:
  set_name:
    description:
      - Name of the site set (lowercase letters, digits, C(-), C(_)). Only files of this set are replaced or
        retired, so several roles can share one sites directory.
    type: str
    required: true
  sites_dir:
    description:
      - Directory on the host holding the vhost files, C(<fqdn>.conf); the nginx configuration includes
        C(<sites_dir>/*.conf).
    type: path
    required: true
  tls_dir:
    description:
      - Directory on the host receiving C(<fqdn>.crt) (full chain) and C(<fqdn>.key) (mode 0600).
      - Required when O(certificate_store) is set.
    type: path
  template:
    description:
      - Template rendered once per site, found in the calling role's C(templates/) directory. It sees the site as
        C(site) (keys C(name), C(fqdn), C(reseller), C(state)), the validated O(vhost) settings as C(vhost), the
        marker line as C(nginx_sites_marker) (which must be its first line) and the certificate paths as
        C(site_certificate) and C(site_key).
      - Used by the action plugin only.
    type: str
  set_template:
    description:
      - Template of the set's shared file C(<sites_dir>/_<set_name>.conf), rendered once (with C(site) none and
        the set's sites as C(nginx_sites_all)) when the set has at least one site. It holds what every site of
        the set uses once, so that adding or removing a site changes that file and the site's own, no other
        site's.
      - Used by the action plugin only.
    type: str
  resellers:
    description:
      - The inventory's reseller list (C(panel_resellers)); one site per FQDN (the IDNA host of
        C(enduser_panel_url)) of every reseller whose C(state) is C(present) or C(suspended).
      - Used by the action plugin only; not sent to the host.
    type: list
    elements: dict
  provider_url:
    description:
      - The provider's end-user panel URL; adds one site for its host.
      - Used by the action plugin only.
    type: str
  vhost:
    description:
      - Settings shared by the vhosts, validated before anything is rendered. Keys C(upstream) (C(host:port) or
        C(unix:/path)), C(listen_address), C(http_port), C(https_port), C(dashboard_path), C(acme_webroot),
        C(access_log) (the file every vhost logs to, default C(/var/log/nginx/access.log)), C(access_log_format)
        (an nginx C(log_format) name, default C(combined)), C(certificate_loading) (C(reload), the default, or
        C(handshake), which needs C(user_space) true), C(hsts_max_age), C(staff_allow) (list of addresses
        or networks), C(tls_dir) (filled from O(tls_dir)).
      - Other keys are passed to the template as they are.
      - Used by the action plugin only.
    type: dict
    default: {}
  certificate_store:
    description:
      - Directory on the controller written by M(panelops.reseller.tls_certificates); the certificate of each
        site is read from C(<store>/certs/<fqdn>/fullchain.pem) and C(privkey.pem).
      - A site with no C(<store>/certs/<fqdn>/) whose parent zone has a wildcard certificate
        (C(<store>/certs/_wildcard.<zone>/), see C(wildcard_zones) of M(panelops.reseller.tls_certificates)) is
        given that one.
      - A site without a certificate fails the task, unless C(<store>/pending.json) lists it or its zone's wildcard
        (deferred or skipped by the last certificate run); then it is left out (not published) and listed in
        RV(unpublished).
      - Used by the action plugin only.
    type: path
  test_command:
    description:
      - Command (argument list) that tests the whole nginx configuration after the files are written. An empty
        list skips the test.
      - Its program is looked up before anything is written (in check mode too); when it is missing the task
        fails saying so, naming the variable that chooses it and the package that provides it.
    type: list
    elements: str
    default: [nginx, -t]
  reload_command:
    description:
      - Command (argument list) that reloads nginx, run on the host once the files passed O(test_command), when
        this set changed, when a reload is pending (RV(reload_pending)), or when O(reload) is true. It runs under
        the frontend's lock, and only a reload that succeeded removes the pending marker, so a failed reload is
        tried again by the next run; the files stay, since they passed the test.
      - Not given, nothing is reloaded here (notify a handler instead). Never run in check mode.
    type: list
    elements: str
    version_added: 0.2.0
  reload:
    description:
      - With O(reload_command), reload even when nothing of this set changed, because something else of this
        frontend did in this run (its other site set, nginx's main configuration).
    type: bool
    default: false
    version_added: 0.2.0
  rendered_sites:
    description:
      - The rendered vhosts, for a call of the module without its action plugin (the action plugin uses
        O(sites_file) instead).
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The site's FQDN, or C(_<set_name>) for the set's shared file; the file is C(<sites_dir>/<name>.conf).
        type: str
        required: true
      content:
        description: The rendered vhost text, starting with the set's marker line.
        type: str
        required: true
  sites_file:
    description:
      - Filled by the action plugin with the vhosts it rendered; do not set it yourself.
      - A JSON file in the task's private temporary directory holding a list like O(rendered_sites); the module
        reads and removes it. As an argument, every vhost text would be held several times over (in the
        module's wrapper script, its argument buffer and its parsed arguments) while nginx tests the
        configuration.
    type: path
    version_added: 0.1.0
  certificates_file:
    description:
      - Filled by the action plugin from O(certificate_store); do not set it yourself.
      - A JSON file in the task's private temporary directory holding a list like O(certificates); the module
        reads and removes it. Private keys travel this way rather than as module arguments, which are scrubbed
        from the whole result once per no_log value (seconds for 1000 keys).
    type: path
    version_added: 0.1.0
  certificates:
    description:
      - Certificates to install (the action plugin uses O(certificates_file) instead).
    type: list
    elements: dict
    default: []
    suboptions:
      fqdn:
        description: The certificate's host name.
        type: str
        required: true
      fullchain:
        description: Certificate followed by its chain, PEM.
        type: str
        required: true
      key:
        description: The private key, PEM.
        type: str
        required: true
attributes:
  check_mode:
    description: Whether the module can report what it would change without changing anything.
    support: full
    details: Reports what would be written or retired; nothing is written and nginx is not run.
  diff_mode:
    description: Whether the module shows what it changes (or would change) as a diff.
    support: full
    details: A unified diff of every vhost file; certificates appear as fingerprints, keys never.
  action:
    description: Whether part of the work is done on the controller by an action plugin of the same name.
    support: full
    details: Templates are rendered and certificates read on the controller.
"""

EXAMPLES = r"""
- name: Install the reseller vhosts and their certificates
  panelops.reseller.nginx_sites:
    set_name: resellers
    template: reseller.conf.j2
    resellers_var: panel_resellers  # read on the controller; far cheaper than a templated argument
    sites_dir: /etc/nginx/panelops-sites
    tls_dir: /etc/nginx/panelops-tls
    certificate_store: /srv/panelops/pki
    vhost:
      upstream: 127.0.0.1:8000
      http_port: 80
      https_port: 443
      dashboard_path: /reseller/
      acme_webroot: /var/lib/panelops/acme
      hsts_max_age: 31536000
    test_command: [nginx, -t]
  notify: Reload nginx
"""

RETURN = r"""
sites:
  description: Per-site result, one of C(created), C(updated), C(unchanged) or C(removed) (retired).
  returned: always
  type: dict
  sample: {"cloud.acme.test": "created", "panel.globex.test": "unchanged"}
shared_file:
  description: The result for the set's shared file (O(set_template)), same values as RV(sites).
  returned: when the set has a shared file, or had one
  type: str
  sample: updated
certificates:
  description: Per-FQDN result for the certificate and key files, same values as RV(sites).
  returned: always
  type: dict
  sample: {"cloud.acme.test": "updated"}
created:
  description: Sites whose vhost file was created.
  returned: always
  type: list
  elements: str
updated:
  description: Sites whose vhost file changed.
  returned: always
  type: list
  elements: str
unchanged:
  description: Sites whose vhost file was already as wanted.
  returned: always
  type: list
  elements: str
removed:
  description: Sites of the set no longer wanted; their files were moved to C(retired/).
  returned: always
  type: list
  elements: str
tested:
  description: Whether the configuration test ran (it runs only when something changed).
  returned: always
  type: bool
nginx_output:
  description: Output of the configuration test.
  returned: when tested
  type: str
reload_pending:
  description:
    - An earlier run changed this frontend and stopped before nginx reloaded (its C(.reload-pending) marker is in
      O(tls_dir)); the task then reports C(changed) so that the reload (O(reload_command) or the handler) runs
      and removes the marker.
  returned: always
  type: bool
files_changed:
  description:
    - Whether this task wrote (or, in check mode, would write) files of this set. Unlike C(changed), a pending
      reload alone leaves it false; the rollout's health check restores only a set whose files changed.
  returned: always
  type: bool
  version_added: 0.2.0
reloaded:
  description: Whether this task reloaded nginx (O(reload_command)); false in check mode.
  returned: always
  type: bool
  version_added: 0.2.0
certificates_pending:
  description:
    - In check mode, the FQDNs whose certificate is not in O(certificate_store) yet (a dry run of the certificate
      step issues nothing); their vhosts are still compared, and the real run installs them together.
  returned: in check mode, when a certificate is not in the store yet
  type: list
  elements: str
unpublished:
  description:
    - FQDNs left out of the site set because they have no certificate yet and the last
      M(panelops.reseller.tls_certificates) run deferred them (ACME order budget, CA rate limit) or skipped them
      (DNS not ready), with the reason; a later run publishes them once their certificate is in the store.
  returned: when a site was left out
  type: dict
  sample: {"shop.resellers.provider.test": "no certificate yet (deferred: order budget of this run used (orders_per_run 100))"}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._nginx import (
    NginxSitesError,
    apply_site_set,
    read_certificates_file,
    read_sites_file,
)
from ansible_collections.panelops.reseller.plugins.module_utils._programs import missing_program
from ansible_collections.panelops.reseller.plugins.module_utils._results import echo_compactly

# The role variables that choose the nginx program (roles/provider_frontend/defaults/main.yml).
NGINX_VARIABLE = "panel_nginx_binary (or panel_nginx_test_command)"

ARGUMENT_SPEC = dict(
    set_name=dict(type="str", required=True),
    sites_dir=dict(type="path", required=True),
    tls_dir=dict(type="path"),
    template=dict(type="str"),
    set_template=dict(type="str"),
    resellers=dict(type="list", elements="dict"),
    resellers_var=dict(type="str"),
    provider_url=dict(type="str"),
    vhost=dict(type="dict", default={}),
    certificate_store=dict(type="path"),
    test_command=dict(type="list", elements="str", default=["nginx", "-t"]),
    reload_command=dict(type="list", elements="str"),
    reload=dict(type="bool", default=False),
    rendered_sites=dict(type="list", elements="dict", options=dict(
        name=dict(type="str", required=True),
        content=dict(type="str", required=True),
    )),
    sites_file=dict(type="path"),
    certificates_file=dict(type="path"),
    certificates=dict(type="list", elements="dict", default=[], options=dict(
        fqdn=dict(type="str", required=True),
        fullchain=dict(type="str", required=True),
        key=dict(type="str", required=True, no_log=True),
    )),
)


def _handed_over(module, given, path, reader, what):
    """The items given as an argument plus those of the file the action plugin handed over (None: neither)."""
    if not path:
        return given
    try:
        return list(given or []) + reader(path)
    except (OSError, ValueError) as exc:
        module.fail_json(msg="cannot read the %s handed over by the action plugin: %s" % (what, exc))


def main():
    module = echo_compactly(AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True),
                            "rendered_sites", "certificates", "resellers")
    params = module.params
    sites = _handed_over(module, params["rendered_sites"], params["sites_file"], read_sites_file, "vhosts")
    if sites is None:
        module.fail_json(msg="nginx_sites renders its templates on the controller: call it as the task "
                             "panelops.reseller.nginx_sites (its action plugin), not as a bare module")
    if params["test_command"]:
        # Before anything is written, also in check mode: a frontend without nginx is reported as such.
        missing = missing_program(params["test_command"], NGINX_VARIABLE, "nginx")
        if missing:
            module.fail_json(msg="cannot test the nginx configuration: %s; nothing was changed" % missing)
    certificates = _handed_over(module, params["certificates"], params["certificates_file"],
                                read_certificates_file, "certificates")
    try:
        result = apply_site_set(
            params["sites_dir"], params["set_name"], sites, tls_dir=params["tls_dir"],
            certificates=certificates, test_command=params["test_command"], check_mode=module.check_mode,
            run_command=module.run_command, with_diff=module._diff, reload_command=params["reload_command"],
            reload=params["reload"])
    except NginxSitesError as exc:
        module.fail_json(msg=str(exc), problems=exc.problems, nginx_output=exc.nginx_output)
    except OSError as exc:
        module.fail_json(msg="cannot write the site set %r: %s" % (params["set_name"], exc))
    diff = result.pop("diff")
    if module._diff and diff:
        result["diff"] = diff
    module.exit_json(**result)


if __name__ == "__main__":
    main()
