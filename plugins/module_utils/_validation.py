# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory validation: every problem of the whole provisioning model found in one pass, each naming the
record and the field, before any host is touched (the `validate_inventory` action, first play of site.yml).

The inventory is read once into the model (_model); each step's owner checks its part of it: the database
access (_panel_db_spec), the panel settings (_panel_settings), what the seeding writes (_seed_validation: plans,
configurations, resellers, brands and mail transports), the TLS choices (_tls_settings) and the DNS settings
(_dns_settings). The modules call the same functions on their
own input. Every file imported here is pure Python: validating the inventory on the controller loads no
database driver, no DNS, ACME or cryptography library (tests/unit/test_plugins_structure.py holds it to that).
"""

from __future__ import annotations

from ansible_collections.panelops.reseller.plugins.module_utils import _model, _tls_budget, _tls_renewal, _tls_wildcard
from ansible_collections.panelops.reseller.plugins.module_utils._dns_settings import validate_panel_dns
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db_spec import validate_spec
from ansible_collections.panelops.reseller.plugins.module_utils._panel_settings import validate_settings
from ansible_collections.panelops.reseller.plugins.module_utils._seed_validation import (
    SET_PASSWORD_DELIVERY,
    check_resellers,
    validate_brand,
    validate_configurations,
    validate_plans,
    validate_smtp,
)
from ansible_collections.panelops.reseller.plugins.module_utils._tls_settings import validate_panel_tls

SWITCHES = ("panel_reseller_feature", "panel_force_reseller_registration")


def _check_switches(inventory):
    problems = []
    for name in SWITCHES:
        if name in inventory and not isinstance(inventory[name], bool):
            problems.append("%s: must be a boolean (true/false), got %r" % (name, inventory[name]))
    return problems


def validate_inventory(inventory):
    """Validate the whole provisioning model; returns a list of problems (empty when valid).

    `inventory` maps variable names (panel_db, panel_provider_url, panel_reseller_feature, ...) to values.
    """
    model = _model.read_variables(inventory)
    problems = list(validate_spec(inventory.get("panel_db")))
    problems.extend(model.provider_problems)
    problems.extend(_check_switches(inventory))
    dashboard_path = inventory.get("panel_reseller_dashboard_path", "/reseller/")
    problems.extend("panel_reseller_dashboard_path (%s)" % p
                    for p in validate_settings({"reseller.dashboard_path": dashboard_path}))
    problems.extend(validate_panel_tls(inventory.get("panel_tls"), model.resellers))
    if isinstance(inventory.get("panel_tls"), dict):
        problems.extend(_tls_renewal.renewal_settings_problems(inventory["panel_tls"]))
        problems.extend(_tls_budget.budget_problems(inventory["panel_tls"].get("acme_budget")))
        problems.extend(_tls_wildcard.zones_problems(inventory["panel_tls"].get("wildcard_zones")))
        problems.extend(_tls_wildcard.inventory_problems(inventory["panel_tls"], inventory.get("panel_dns"), model))
    problems.extend(validate_panel_dns(inventory.get("panel_dns"), model.resellers))
    problems.extend(validate_model(inventory, model))
    problems.extend(_check_provider_brand_and_mail(inventory))
    return problems


def _check_provider_brand_and_mail(inventory):
    """The provider's brand and mail transport, and how set-password links are delivered."""
    problems = []
    if inventory.get("panel_brand") is not None:
        problems.extend(validate_brand(inventory["panel_brand"], "panel_brand"))
    if inventory.get("panel_smtp") is not None:
        problems.extend(validate_smtp(inventory["panel_smtp"], "panel_smtp"))
    delivery = inventory.get("panel_set_password_delivery", "file")
    if delivery not in SET_PASSWORD_DELIVERY:
        problems.append("panel_set_password_delivery: must be one of %s, got %r"
                        % (", ".join(SET_PASSWORD_DELIVERY), delivery))
    return problems


def _provider_plans(inventory):
    """{name: currency} of the declared provider plans, or None when panel_plans is not declared."""
    plans = inventory.get("panel_plans")
    if "panel_plans" not in inventory or not isinstance(plans, list):
        return None
    return dict((p.get("name"), p.get("currency")) for p in plans if isinstance(p, dict))


def validate_model(inventory, model=None):
    """Problems with the seeding part of the model: panel_plans, panel_configurations, panel_resellers.

    `model`: the inventory already read by _model.read_variables (read here when not given)."""
    model = _model.read_variables(inventory) if model is None else model
    problems = []
    https_port = inventory.get("panel_frontend_https_port")
    if https_port is not None and not _model.is_port(https_port):
        problems.append("panel_frontend_https_port: must be a TCP port number, got %r" % (https_port,))
    problems.extend(validate_plans(inventory.get("panel_plans")))
    problems.extend(validate_configurations(inventory.get("panel_configurations")))
    problems.extend(model.reseller_problems)
    problems.extend(check_resellers(model, provider_plans=_provider_plans(inventory)))
    return problems
