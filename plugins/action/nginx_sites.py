# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nginx_sites on the controller: build the vhost model, render every vhost, read the certificates, then ship
the whole set to the host in one call of the nginx_sites module (which writes, tests and restores)."""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.panelops.reseller.plugins.module_utils import _model, _tls_budget, _tls_wildcard
from ansible_collections.panelops.reseller.plugins.module_utils._nginx import (
    check_set_name,
    marker,
    set_file_name,
    validate_vhost_settings,
)
from ansible_collections.panelops.reseller.plugins.plugin_utils import _summary_contract
from ansible_collections.panelops.reseller.plugins.plugin_utils._handover import (
    execute_with_files,
    refuse_handover_options,
)
from ansible_collections.panelops.reseller.plugins.plugin_utils._inventory_lists import take_list_from_variable
from ansible_collections.panelops.reseller.plugins.plugin_utils._vhost_templates import (
    VhostTemplateError,
    render_set_file,
    render_sites,
)

# Options the action consumes; everything else goes to the module as given.
CONTROLLER_ONLY = ("template", "set_template", "resellers", "provider_url", "vhost", "certificate_store")
# Options the action fills itself: the rendered vhosts and the certificates it hands over to the module.
HANDED_OVER = ("certificates", "certificates_file", "rendered_sites", "sites_file")
VHOST_DEFAULTS = {
    "upstream": "127.0.0.1:8000",
    "listen_address": "",
    "http_port": 80,
    "https_port": 443,
    "dashboard_path": "/reseller/",
    "acme_webroot": "/var/lib/panelops/acme",
    "access_log": "/var/log/nginx/access.log",
    "access_log_format": "combined",
    "certificate_loading": "reload",
    "user_space": False,
    "hsts_max_age": 31536000,
    "staff_allow": [],
}


def read_certificates(store, fqdns):
    """({fqdn: {fqdn, fullchain, key}}, missing fqdns) from the controller-side certificate store."""
    found, missing = {}, []
    for fqdn in fqdns:
        base = os.path.join(store, "certs", fqdn)
        wildcard = _tls_wildcard.wildcard_for(fqdn)
        if not os.path.isdir(base) and wildcard and os.path.isdir(os.path.join(store, "certs", wildcard)):
            # A reseller subdomain of a panel_tls.wildcard_zones zone: served the zone's *. certificate.
            base = os.path.join(store, "certs", wildcard)
        try:
            with open(os.path.join(base, "fullchain.pem")) as handle:
                fullchain = handle.read()
            with open(os.path.join(base, "privkey.pem")) as handle:
                key = handle.read()
        except FileNotFoundError:
            missing.append(fqdn)
            continue
        found[fqdn] = {"fqdn": fqdn, "fullchain": fullchain, "key": key}
    return found, missing


def unpublished_sites(missing, pending):
    """{fqdn: why} of the sites without a certificate that tls_certificates deferred or skipped (its
    `<store>/pending.json`), or whose zone's wildcard it deferred or skipped: these are left out, not an error.
    Any other missing certificate still is one."""
    out = {}
    for fqdn in missing:
        wildcard = _tls_wildcard.wildcard_for(fqdn)
        if fqdn in pending:
            out[fqdn] = "no certificate yet (%s)" % pending[fqdn]
        elif wildcard in pending:
            zone = wildcard[len(_tls_wildcard.STORE_PREFIX):]
            out[fqdn] = "no certificate yet (the wildcard of %s: %s)" % (zone, pending[wildcard])
    return out


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def _plan(self, args):
        """(sites, vhost settings, problems) of the task: the sites from the inventory model (the provider's
        and/or the resellers'), the shared vhost settings with their defaults, every problem of either."""
        problems = list(check_set_name(args.get("set_name")))
        inventory = _model.read(args.get("resellers"), args.get("provider_url"))
        problems.extend(inventory.problems)
        sites = [site.vhost() for site in inventory.served_sites()]
        vhost = dict(VHOST_DEFAULTS)
        vhost.update(args.get("vhost") or {})
        # Every panel_app host is a server of the frontends' upstream; one `upstream` alone is a list of one.
        vhost["upstream_servers"] = vhost.get("upstream_servers") or [vhost.get("upstream")]
        # Each set defines its upstream once (in its first vhost file), so a set never needs another set's file.
        vhost["upstream_name"] = "panelops_%s" % args.get("set_name")
        vhost["tls_dir"] = args.get("tls_dir") or "/nonexistent"
        problems.extend("vhost.%s" % p for p in validate_vhost_settings(vhost))
        if not args.get("template"):
            problems.append("template: required (the vhost template of the calling role)")
        if args.get("certificate_store") and not args.get("tls_dir"):
            problems.append("tls_dir: required when certificate_store is set")
        return sites, vhost, problems

    def _certificates(self, store, sites):
        """(certificates, pending FQDNs, {fqdn: why} not published) of the sites from the store; fails outside
        check mode when one is missing that tls_certificates did not defer."""
        if not store:
            return [], [], {}
        found, missing = read_certificates(store, [s["fqdn"] for s in sites])
        unpublished = unpublished_sites(missing, _tls_budget.read_pending(store))
        missing = [fqdn for fqdn in missing if fqdn not in unpublished]
        if missing and not self._task.check_mode:
            raise AnsibleActionFail("no certificate in %s for: %s (run tls_certificates first); nothing was changed"
                                    % (store, ", ".join(missing)))
        # Check mode after a check-mode tls_certificates run: the vhosts are still compared, and the FQDNs whose
        # certificate would be issued first are reported (an expected state of a dry run, not a warning).
        return [found[s["fqdn"]] for s in sites if s["fqdn"] in found], sorted(missing), unpublished

    def _execute(self, module_args, rendered, certificates, task_vars):
        """Run the module once. The vhosts and the certificates travel as files in the task's private temporary
        directory, not as module arguments: an argument is held several times over on both sides, tens of MB at
        10 000 vhosts while nginx tests the configuration; and scrubbing 1000 no_log keys out of every string of
        the result costs seconds, while keys that are never arguments can never be logged as such."""
        files = [("sites_file", "nginx_sites_vhosts.json", rendered, "rendered vhosts")]
        if certificates:
            files.append(("certificates_file", "nginx_sites_certificates.json", certificates, "certificates"))
        return execute_with_files(self, "panelops.reseller.nginx_sites", module_args, files, task_vars)

    def _render(self, args, sites, vhost):
        """The set's vhosts, and its shared file when the task names a set_template (and the set has a site)."""
        head = marker(args["set_name"])
        try:
            rendered = render_sites(self._template_path(args["template"]), sites, vhost, head, args.get("tls_dir"))
            if args.get("set_template"):
                shared = render_set_file(self._template_path(args["set_template"]), sites, vhost, head,
                                         set_file_name(args["set_name"]))
                rendered.extend([shared] if shared else [])
        except VhostTemplateError as exc:
            raise AnsibleActionFail("%s; nothing was changed" % exc)
        return rendered

    def _template_path(self, name):
        try:
            return self._find_needle("templates", name)
        except AnsibleError as exc:
            raise AnsibleActionFail(to_text(exc))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        args = take_list_from_variable(self._templar, dict(self._task.args), task_vars)
        refuse_handover_options("nginx_sites", args, HANDED_OVER)
        sites, vhost, problems = self._plan(args)
        if problems:
            result.update(failed=True, problems=problems,
                          msg="nginx_sites: %d problem(s); nothing was changed:\n- %s"
                              % (len(problems), "\n- ".join(problems)))
            return result
        certificates, pending, unpublished = self._certificates(args.get("certificate_store"), sites)
        # No vhost serving a wrong certificate: a site waiting for its first one is left out until it has it.
        sites = [site for site in sites if site["fqdn"] not in unpublished]
        module_args = {k: v for k, v in args.items() if k not in CONTROLLER_ONLY}
        module_result = self._execute(module_args, self._render(args, sites, vhost), certificates, task_vars)
        # The run summary reads which resellers and provider URL the vhosts are for (args holds both).
        result.update(_summary_contract.attach(module_result, args))
        if pending:
            result["certificates_pending"] = pending
        if unpublished:
            result["unpublished"] = unpublished
        return result
