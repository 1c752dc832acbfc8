# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spellings shared with the panel: canonical JSON, canonical decimals and prices."""
from __future__ import annotations

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils._canonical import (
    MAX_PRICE_PLACES,
    canonical_decimal,
    canonical_json,
    parse_price,
)


def test_canonical_json_is_sorted_compact_and_keeps_unicode():
    assert canonical_json({"b": [1, 2], "a": {"é": None}}) == '{"a":{"é":null},"b":[1,2]}'
    assert canonical_json({"b": 1, "a": 2}) == canonical_json({"a": 2, "b": 1})


@pytest.mark.parametrize("value, text", [
    ("0.0040", "0.004"), ("1E-5", "0.00001"), ("100", "100"), ("1E+2", "100"), ("0.000", "0"), (2.5, "2.5"),
])
def test_canonical_decimal_has_no_exponent_and_no_trailing_zero(value, text):
    assert canonical_decimal(value) == text


@pytest.mark.parametrize("value, text", [(0.1, "0.1"), (3, "3"), (" 0.50 ", "0.5"), ("0", "0")])
def test_prices_read_as_the_inventory_wrote_them(value, text):
    assert parse_price(value) == (text, None)


@pytest.mark.parametrize("value, problem", [
    (True, "must be a number or a decimal string, got True"),
    (None, "must be a number or a decimal string, got None"),
    ([1], "must be a number or a decimal string, got list"),
    ("one", "'one' is not a decimal number"),
    ("inf", "'inf' is not a finite number"),
    (-1, "-1 is negative"),
    ("0." + "0" * MAX_PRICE_PLACES + "1", "has more than %d decimal places" % MAX_PRICE_PLACES),
])
def test_bad_prices_are_explained(value, problem):
    text, found = parse_price(value)
    assert text is None and problem in found
