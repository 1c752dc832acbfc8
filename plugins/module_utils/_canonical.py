# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spellings shared with the panel: canonical JSON text, canonical decimal text, prices parsed into it within
the bounds of every number, and brand colours.

Values are compared with what the database holds as text, so the collection and the panel must write them the
same way (the panel's reseller_panel.core.fields.canonical_json). A leaf: it imports nothing from this
collection.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

# Bounds of every decimal from the inventory (prices, tier limits, numbers in options), the panel's too
# (panel/reseller_panel/core/terms.py; tests/unit/plugins/module_utils/test_vocabulary.py pins them together): at
# most 12 digits before the point and 8 after it. An exponent is read as the number it stands for, then held to
# the same bounds, so "1e3" is 1000 and "1e999999" is refused instead of being written out as a million digits.
MAX_PRICE_INTEGER_DIGITS = 12
MAX_PRICE_PLACES = 8


def canonical_json(value):
    """The JSON spelling shared with the panel (reseller_panel.core.fields.canonical_json)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_decimal(value):
    """The decimal spelling shared with the panel: no exponent, no trailing zeros."""
    d = Decimal(str(value))
    if d == 0:
        return "0"
    return format(d.normalize(), "f")


def parse_price(value):
    """(canonical decimal text, problem) for a price or tier bound given as a string, int or float."""
    if isinstance(value, bool) or value is None:
        return None, "must be a number or a decimal string, got %r" % (value,)
    if isinstance(value, float):
        # repr() is the shortest text that reads back as the same float: what the inventory author wrote.
        text = repr(value)
    elif isinstance(value, (int, str)):
        text = str(value).strip()
    else:
        return None, "must be a number or a decimal string, got %s" % type(value).__name__
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None, "%r is not a decimal number" % (text[:40],)
    problem = decimal_bounds_problem(number, text)
    if problem:
        return None, problem
    if number < 0:
        return None, "%s is negative" % text[:40]
    return canonical_decimal(number), None


def decimal_bounds_problem(number, text):
    """Why a Decimal read from `text` is out of bounds (not finite, too many digits either side), or None."""
    if not number.is_finite():
        return "%r is not a finite number" % (text[:40],)
    if number and number.adjusted() >= MAX_PRICE_INTEGER_DIGITS:
        return "%s has more than %d digits before the point" % (text[:40], MAX_PRICE_INTEGER_DIGITS)
    if number and _decimal_places(number) > MAX_PRICE_PLACES:
        return "%s has more than %d decimal places" % (text[:40], MAX_PRICE_PLACES)
    return None


def _decimal_places(number):
    """Significant digits after the point, counted exactly (normalize() would round at 28 digits first)."""
    dummy, digits, exponent = number.as_tuple()
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing_zeros))


def normalize_color(value):
    """'#rrggbb' in lowercase from '#rgb' or '#rrggbb' (assumes the colour passed validation): how the panel
    stores a brand's colour."""
    value = value.lower()
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value
