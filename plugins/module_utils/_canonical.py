# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spellings shared with the panel: canonical JSON text, canonical decimal text, and prices parsed into it.

Values are compared with what the database holds as text, so the collection and the panel must write them the
same way (the panel's reseller_panel.core.fields.canonical_json). A leaf: it imports nothing from this
collection.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

# Fractional digits a price may carry; more is almost certainly a float artefact or a typo.
MAX_PRICE_PLACES = 12


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
    if not number.is_finite():
        return None, "%r is not a finite number" % (text[:40],)
    if number < 0:
        return None, "%s is negative" % text
    if -number.normalize().as_tuple().exponent > MAX_PRICE_PLACES:
        return None, "%s has more than %d decimal places" % (text, MAX_PRICE_PLACES)
    return canonical_decimal(number), None
