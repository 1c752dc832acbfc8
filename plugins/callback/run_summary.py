# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run summary: one table per run of what the provisioning modules reported, per reseller."""

from __future__ import annotations

DOCUMENTATION = r"""
name: run_summary
type: aggregate
short_description: One table per run - reseller, state, URL, plan, certificate, DNS, what changed
version_added: 0.1.0
author: panelops.reseller contributors (@panelops)
description:
  - Collects the per-item results that C(panelops.reseller.panel_resellers), C(panelops.reseller.tls_certificates),
    C(panelops.reseller.dns_check), C(panelops.reseller.dns_records) and C(panelops.reseller.nginx_sites) already
    return, and at the end of the run prints one table with a row per reseller - state, end-user panel URL, plan,
    certificate issuer and expiry, DNS status and what changed (or would change, in check mode).
  - Writes the same summary as C(run-summary.md) and C(run-summary.json) into the report directory (atomically).
  - Adds no task and no module run. Reads only names, states, URLs, plans, certificate facts and per-item
    statuses; never a password, hash, key or secret.
  - Prints nothing when none of those modules ran (for example C(playbooks/validate.yml) alone).
requirements:
  - Enabled in C(ansible.cfg) by C(callbacks_enabled = panelops.reseller.run_summary) in C([defaults]).
options:
  report_dir:
    description:
      - Directory that receives C(run-summary.md) and C(run-summary.json).
      - When unset, the inventory variable C(panel_report_dir) of the first host of the last play is used; when
        that is unset too, no file is written (the table is still printed).
    type: path
    env:
      - name: PANEL_REPORT_DIR
    ini:
      - section: panelops_run_summary
        key: report_dir
  display:
    description: Whether to print the table at the end of the run.
    type: bool
    default: true
    env:
      - name: PANEL_REPORT_DISPLAY
    ini:
      - section: panelops_run_summary
        key: display
"""

import os

from ansible.plugins.callback import CallbackBase

from ansible_collections.panelops.reseller.plugins.plugin_utils import _run_summary


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "panelops.reseller.run_summary"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display=display)
        self._summary = _run_summary.RunSummary()
        self._play = None
        self._hosts = []

    def v2_playbook_on_play_start(self, play):
        self._play = play

    def _record(self, result, failed=False):
        task = result._task
        action = getattr(task, "resolved_action", None) or task.action
        self._summary.add(action, result._host.get_name(), result._result, failed=failed,
                          check_mode=bool(task.check_mode))

    def v2_runner_on_ok(self, result):
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, failed=True)

    def _report_dir(self):
        configured = self.get_option("report_dir")
        if configured:
            return configured
        play = self._play
        if play is None:
            return None
        try:
            from ansible.template import Templar

            variable_manager = play.get_variable_manager()
            hosts = variable_manager._inventory.get_hosts(play.hosts)
            if not hosts:
                return None
            variables = variable_manager.get_vars(play=play, host=hosts[0])
            if variables.get("panel_report_dir") in (None, ""):
                return None
            value = Templar(loader=play._loader, variables=variables).template(variables["panel_report_dir"])
        except Exception as exc:  # the summary must never break a run
            self._display.warning("run summary: cannot read panel_report_dir: %s" % exc)
            return None
        return os.path.expanduser(str(value)) if value else None

    def v2_playbook_on_stats(self, stats):
        if not self._summary.has_data():
            return
        report = self._summary.report()
        if self.get_option("display"):
            self._display.banner("PANELOPS RUN SUMMARY")
            self._display.display(_run_summary.to_text(report))
        directory = self._report_dir()
        if directory:
            try:
                paths = _run_summary.write_report(report, directory)
            except OSError as exc:
                self._display.warning("run summary: cannot write the report into %s: %s" % (directory, exc))
            else:
                self._display.display("run summary written to %s" % ", ".join(paths))
