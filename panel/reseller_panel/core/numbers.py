"""Numbers from outside the panel, held to the bounds in core.terms before they reach arithmetic or a row.

Form fields and JSON documents may carry anything: exponents that would expand to a million digits, NaN,
Infinity, booleans where numbers belong, fractions where integers belong. Everything here either returns a
bounded value or raises NumberError with a message meant for the person who typed it.
"""
import json
from decimal import Decimal, InvalidOperation

from . import terms

# Longer text is never a number within the bounds (20 digits, a point, a sign, some spaces).
MAX_NUMBER_TEXT = 64


class NumberError(ValueError):
    """A value that is not a number, or not within the bounds; the message says which."""


def _shown(text):
    return text if len(text) <= 40 else text[:37] + "..."


def _decimal_places(number):
    """Significant digits after the point, counted exactly (normalize() would round at 28 digits first)."""
    _sign, digits, exponent = number.as_tuple()
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing_zeros))


def bounded_decimal(value, negative=False):
    """`value` (a decimal string, an int, a float or a Decimal) as a Decimal within the bounds."""
    if isinstance(value, bool) or value is None:
        raise NumberError("must be a number, got %s" % json.dumps(value))
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, (int, str, Decimal)):
        text = str(value).strip()
    else:
        raise NumberError("must be a number, got %s" % type(value).__name__)
    if len(text) > MAX_NUMBER_TEXT:
        raise NumberError("%s is not a number within %d digits before and %d after the point"
                          % (_shown(text), terms.MAX_INTEGER_DIGITS, terms.MAX_FRACTION_DIGITS))
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise NumberError("%s is not a number" % _shown(text)) from None
    if not number.is_finite():
        raise NumberError("%s is not a finite number" % _shown(text))
    if number and number.adjusted() >= terms.MAX_INTEGER_DIGITS:
        raise NumberError("%s has more than %d digits before the point" % (_shown(text), terms.MAX_INTEGER_DIGITS))
    if number and _decimal_places(number) > terms.MAX_FRACTION_DIGITS:
        raise NumberError("%s has more than %d decimal places" % (_shown(text), terms.MAX_FRACTION_DIGITS))
    if number < 0 and not negative:
        raise NumberError("%s is negative" % _shown(text))
    return number


def bounded_integer(value, low, high):
    """`value` as an int in [low, high]: a JSON integer (an int, or an integral Decimal from `loads`)."""
    if isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent >= 0 and \
            value.adjusted() < 20:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise NumberError("must be an integer, got %s" % _shown(str(value)))
    if not low <= value <= high:
        raise NumberError("must be between %d and %d, got %s" % (low, high, _shown(str(value))))
    return value


def _not_a_number(name):
    raise ValueError("%s is not a number" % name)


# Deeper documents are hostile (the pages' documents nest four levels) and would exhaust the stack later.
MAX_JSON_DEPTH = 32


def _depth(value):
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def loads(text):
    """JSON with every number kept exact as a Decimal (integers too, so that 3 and 3.0 stay apart), NaN,
    Infinity and -Infinity refused, and at most MAX_JSON_DEPTH levels of nesting. Raises ValueError
    (json.JSONDecodeError included) on bad input."""
    try:
        document = json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_not_a_number)
    except RecursionError:
        raise ValueError("nested more than %d levels deep" % MAX_JSON_DEPTH) from None
    if _depth(document) > MAX_JSON_DEPTH:
        raise ValueError("nested more than %d levels deep" % MAX_JSON_DEPTH)
    return document


def plain_json(value, where):
    """A document from `loads` as plain JSON values: bounded Decimals become int (integral) or float.

    Raises NumberError naming the place (`where` plus the keys and indexes down to the number)."""
    if isinstance(value, dict):
        return {key: plain_json(item, "%s.%s" % (where, key)) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_json(item, "%s[%d]" % (where, index)) for index, item in enumerate(value)]
    if isinstance(value, Decimal):
        try:
            number = bounded_decimal(value, negative=True)
        except NumberError as error:
            raise NumberError("%s: %s" % (where, error)) from None
        return int(number) if number.as_tuple().exponent >= 0 else float(number)
    return value
