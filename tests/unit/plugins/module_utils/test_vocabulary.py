# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's vocabulary, and the pin that holds it together with the panel's: the operators, time units
and currencies the collection accepts are exactly what the panel's models, pricing engine and forms accept."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _vocabulary

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))

# Runs in a process of its own, with Django set up on a scratch state directory (no database is opened).
PANEL_SIDE = r"""
import json
import django
django.setup()
from reseller_panel.core import models, pricing
from reseller_panel.dashboard import forms
print(json.dumps({
    "model_time_units": [value for value, label in models.TIME_UNITS],
    "model_operators": [value for value, label in models.OPERATORS],
    "pricing_operators": list(pricing.OPERATORS),
    "pricing_time_units": sorted(pricing.UNIT_HOURS),
    "form_currency": forms.CURRENCY.pattern,
}))
"""


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    state = tmp_path_factory.mktemp("panel-vocabulary")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="reseller_panel.settings", PANEL_STATE_DIR=str(state),
               PANEL_SECRET_KEY="vocabulary-test", PANEL_DB_PATH=str(state / "unused.sqlite3"))
    proc = subprocess.run([sys.executable, "-c", PANEL_SIDE], capture_output=True, text=True, env=env,
                          cwd=os.path.join(REPO, "panel"), check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_the_collection_vocabulary_is_consistent():
    assert set(_vocabulary.LIST_OPERATORS) <= set(_vocabulary.OPERATORS)
    assert _vocabulary.DEFAULT_TIME_UNIT in _vocabulary.TIME_UNITS
    assert set(_vocabulary.SERVED_STATES) < set(_vocabulary.RESELLER_STATES)
    assert set(_vocabulary.RESELLER_STATUS) == set(_vocabulary.RESELLER_STATES)
    assert all(re.match(r"^[A-Z]{3}$", code) for code in _vocabulary.CURRENCIES)
    assert {"EUR", "USD", "GBP", "JPY"} <= _vocabulary.CURRENCIES and "EURO" not in _vocabulary.CURRENCIES


def test_operators_are_the_panels(panel):
    assert list(_vocabulary.OPERATORS) == panel["model_operators"] == panel["pricing_operators"]


def test_time_units_are_the_panels(panel):
    assert list(_vocabulary.TIME_UNITS) == panel["model_time_units"]
    assert sorted(_vocabulary.TIME_UNITS) == panel["pricing_time_units"]


def test_every_currency_the_collection_accepts_is_accepted_by_the_panel(panel):
    pattern = re.compile(panel["form_currency"])
    assert all(pattern.match(code) for code in _vocabulary.CURRENCIES)
