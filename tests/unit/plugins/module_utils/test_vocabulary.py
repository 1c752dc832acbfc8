# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's vocabulary, and the pin that holds it together with the panel's single definition
(panel/reseller_panel/core/terms.py, whose bounds core/numbers.py applies): operators, time units, currencies,
configuration sections, the names in a rule and the bounds of every number are the same words on both sides.

That the panel's models, quote engine and forms take their words from core.terms is the panel's own test
(panel/tests/test_collection_contract.py); that both sides read every number alike is panel/tests/test_numbers.py.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _canonical, _seed_validation, _vocabulary

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))

# Runs in a process of its own from the panel's directory: core.terms and core.numbers are plain Python (no
# Django, no database), read as the panel reads them.
PANEL_SIDE = r"""
import json
import sys
from reseller_panel.core import numbers, terms

def accepts(text):
    try:
        numbers.bounded_decimal(text)
    except numbers.NumberError:
        return False
    return True

print(json.dumps({
    "OPERATORS": list(terms.OPERATORS),
    "LIST_OPERATORS": list(terms.LIST_OPERATORS),
    "TIME_UNITS": list(terms.TIME_UNITS),
    "DEFAULT_TIME_UNIT": terms.DEFAULT_TIME_UNIT,
    "DEFAULT_PRIORITY": terms.DEFAULT_PRIORITY,
    "CURRENCIES": sorted(terms.CURRENCIES),
    "CONFIGURATION_SECTIONS": list(terms.CONFIGURATION_SECTIONS),
    "MAX_INTEGER_DIGITS": terms.MAX_INTEGER_DIGITS,
    "MAX_FRACTION_DIGITS": terms.MAX_FRACTION_DIGITS,
    "PRIORITY_RANGE": list(terms.PRIORITY_RANGE),
    "IDENTIFIER_PATTERN": terms.IDENTIFIER_PATTERN,
    "DISPLAY_NAME_PATTERN": terms.DISPLAY_NAME_PATTERN,
    "numbers_accept": {text: accepts(text) for text in json.loads(sys.argv[1])},
}))
"""


def edge_numbers():
    """The numbers on either side of each bound, written from the collection's constants."""
    whole, places = _canonical.MAX_PRICE_INTEGER_DIGITS, _canonical.MAX_PRICE_PLACES
    return ["9" * whole, "1" + "0" * whole, "0." + "0" * (places - 1) + "1", "0." + "0" * places + "1",
            "9" * whole + "." + "9" * places, "1e%d" % (whole - 1), "1e%d" % whole, "1e-%d" % places,
            "1e-%d" % (places + 1)]


@pytest.fixture(scope="module")
def panel():
    proc = subprocess.run([sys.executable, "-c", PANEL_SIDE, json.dumps(edge_numbers())], capture_output=True,
                          text=True, cwd=os.path.join(REPO, "panel"), check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_the_collection_vocabulary_is_consistent():
    assert set(_vocabulary.LIST_OPERATORS) <= set(_vocabulary.OPERATORS)
    assert _vocabulary.DEFAULT_TIME_UNIT in _vocabulary.TIME_UNITS
    assert set(_vocabulary.SERVED_STATES) < set(_vocabulary.RESELLER_STATES)
    assert set(_vocabulary.RESELLER_STATUS) == set(_vocabulary.RESELLER_STATES)
    assert all(re.match(r"^[A-Z]{3}$", code) for code in _vocabulary.CURRENCIES)
    assert {"EUR", "USD", "GBP", "JPY"} <= _vocabulary.CURRENCIES and "EURO" not in _vocabulary.CURRENCIES
    low, high = _vocabulary.PRIORITY_RANGE
    assert (low, high) == (-2 ** 31, 2 ** 31 - 1)


def test_operators_are_the_panels(panel):
    assert list(_vocabulary.OPERATORS) == panel["OPERATORS"]
    assert list(_vocabulary.LIST_OPERATORS) == panel["LIST_OPERATORS"]


def test_time_units_are_the_panels(panel):
    assert list(_vocabulary.TIME_UNITS) == panel["TIME_UNITS"]


def test_currencies_are_the_panels(panel):
    assert sorted(_vocabulary.CURRENCIES) == panel["CURRENCIES"]


def test_configuration_sections_are_the_panels(panel):
    assert list(_vocabulary.CONFIGURATION_SECTIONS) == panel["CONFIGURATION_SECTIONS"]


def test_the_names_in_a_rule_are_the_panels(panel):
    assert _seed_validation._IDENT.pattern == panel["IDENTIFIER_PATTERN"]
    assert _seed_validation._NAME.pattern == panel["DISPLAY_NAME_PATTERN"]


def test_the_bounds_of_numbers_are_the_panels(panel):
    assert _canonical.MAX_PRICE_INTEGER_DIGITS == panel["MAX_INTEGER_DIGITS"] == 12
    assert _canonical.MAX_PRICE_PLACES == panel["MAX_FRACTION_DIGITS"] == 8
    assert list(_vocabulary.PRIORITY_RANGE) == panel["PRIORITY_RANGE"]


def test_the_panel_applies_the_bounds_where_the_collection_does(panel):
    """Each number just inside or just outside a bound: core.numbers and the collection agree on every one,
    and the edges fall where the constants say."""
    collection = dict((text, _canonical.parse_price(text)[1] is None) for text in edge_numbers())
    assert panel["numbers_accept"] == collection
    assert [collection[t] for t in edge_numbers()] == [True, False, True, False, True, True, False, True, False]


def test_a_rules_defaults_are_the_panels(panel):
    assert _vocabulary.DEFAULT_PRIORITY == panel["DEFAULT_PRIORITY"]
    assert _vocabulary.DEFAULT_TIME_UNIT == panel["DEFAULT_TIME_UNIT"]
