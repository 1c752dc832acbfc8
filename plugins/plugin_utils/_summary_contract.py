# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The contract between the batch tasks and the run summary: what a task declared, in one place.

A task result's `invocation` is where Ansible echoes a task's arguments. For the tasks that take the whole
reseller list (panel_resellers, tls_certificates, nginx_sites) the action plugin replaces that echo, which
would be megabytes at 1000 resellers and would carry credentials, by the summary block built here:

    {"module_args": {"resellers": [{"name", "state", "enduser_panel_url", "plan", "users": [{"username"}]}],
                     "provider_url": "https://...", "set_name": "resellers"}}

Each reseller keeps only RESELLER_FIELDS (and its users only their `username`); `provider_url` and `set_name`
(the nginx site set a vhost belongs to, so that a set restored after a failed health check is shown as such)
are there when the task had them. The run summary (_run_summary) reads a result only through declared() below, so a field it
shows is a field listed here, and nothing else of a task's arguments (a password, a hash, a key, a TSIG
secret) can reach it, whatever a result holds.
"""

from __future__ import annotations

# What the run summary shows of each declared reseller.
RESELLER_FIELDS = ("name", "state", "enduser_panel_url", "plan")
USER_FIELDS = ("username",)


def _slim(reseller):
    slim = dict((key, reseller[key]) for key in RESELLER_FIELDS if key in reseller)
    users = [dict((key, user[key]) for key in USER_FIELDS if key in user)
             for user in reseller.get("users") or [] if isinstance(user, dict) and "username" in user]
    if users:
        slim["users"] = users
    return slim


def summary_block(module_args):
    """The summary block of a task's arguments: {"resellers": [...], "provider_url": ...} (see above)."""
    block = {"resellers": [_slim(item) for item in module_args.get("resellers") or [] if isinstance(item, dict)]}
    for key in ("provider_url", "set_name"):
        if module_args.get(key):
            block[key] = module_args[key]
    return block


def attach(result, module_args):
    """Replace the module's `invocation` echo of its arguments by their summary block; returns `result`."""
    result.pop("invocation", None)
    result["invocation"] = {"module_args": summary_block(module_args)}
    return result


def declared(result):
    """(resellers, provider_url) a task result declares, each reseller cut down to the contract's fields."""
    invocation = result.get("invocation") or {}
    args = invocation.get("module_args") if isinstance(invocation, dict) else None
    if not isinstance(args, dict):
        return [], None
    block = summary_block(args)
    return block["resellers"], block.get("provider_url")


def declared_set_name(result):
    """The nginx site set a task result declares (its `set_name`), or None."""
    invocation = result.get("invocation") or {}
    args = invocation.get("module_args") if isinstance(invocation, dict) else None
    return summary_block(args).get("set_name") if isinstance(args, dict) else None
