"""Bounds on numbers from outside: one definition (core.terms) for the panel, pinned to the collection's
(plugins/module_utils/_canonical.py) by the collection's test_vocabulary.py; every number read alike by both
sides, and the quote engine exact within the bounds."""
from decimal import Decimal, localcontext

import pytest

from collection import module_utils
from reseller_panel.core import numbers, terms
from reseller_panel.core.pricing import QuoteError, quote_rules

canonical = module_utils("_canonical")

# Values a form, a JSON document or an inventory may carry, accepted and refused alike.
CORPUS = ["0", "0.004", "  7 ", "1e3", "1E+3", "0e999999", "999999999999.99999999", "0.00000001", "000012.5000",
          "1e999999", "1e-999999", "-1e999999", "1000000000000", "0.000000001", "1." + "0" * 29 + "1", "NaN",
          "nan", "Infinity", "-Infinity", "inf", "sNaN", "1,5", "1_000", "0x10", "", " ", "9" * 10240,
          "1" + "0" * 10240, "-0.5", "-0", 0, 12, 10 ** 12, 10 ** 12 - 1, -3, 0.1, 1e300, float("inf"),
          float("nan"), True, False, None, [], {}, "١٢"]


def collection_reads(value):
    text, problem = canonical.parse_price(value)
    return None if problem else text


def panel_reads(value):
    from reseller_panel.core.fields import canonical_decimal

    try:
        return canonical_decimal(numbers.bounded_decimal(value))
    except numbers.NumberError:
        return None


@pytest.mark.parametrize("value", CORPUS, ids=lambda v: repr(v)[:30])
def test_panel_and_collection_read_every_number_alike(value):
    assert panel_reads(value) == collection_reads(value)


def test_the_reading_is_the_one_expected():
    assert panel_reads("1e3") == "1000" and panel_reads("000012.5000") == "12.5"
    assert panel_reads("999999999999.99999999") == "999999999999.99999999"
    for refused in ("1e999999", "1e-999999", "1000000000000", "0.000000001", "NaN", "Infinity", "9" * 10240,
                    True, None):
        assert panel_reads(refused) is None, refused


@pytest.mark.parametrize("value,message", [("1e999999", "has more than 12 digits before the point"),
                                           ("0.123456789", "has more than 8 decimal places"),
                                           ("NaN", "is not a finite number"), ("abc", "is not a number"),
                                           ("9" * 10240, "is not a number within"), (True, "must be a number"),
                                           ("-1", "is negative")])
def test_refusals_say_why_and_never_echo_a_long_value(value, message):
    with pytest.raises(numbers.NumberError, match=message) as caught:
        numbers.bounded_decimal(value)
    assert len(str(caught.value)) < 120


@pytest.mark.parametrize("value,expected", [(Decimal("3"), 3), (7, 7), (Decimal("-2"), -2)])
def test_integers_are_integers(value, expected):
    assert numbers.bounded_integer(value, *terms.PRIORITY_RANGE) == expected


@pytest.mark.parametrize("value", [Decimal("1.5"), Decimal("3.0"), "3", "abc", True, None, 1.0, Decimal("1e30"),
                                   Decimal("NaN"), 2 ** 31, -2 ** 31 - 1])
def test_anything_else_is_not_a_priority(value):
    with pytest.raises(numbers.NumberError):
        numbers.bounded_integer(value, *terms.PRIORITY_RANGE)


def test_json_keeps_numbers_exact_and_refuses_nan_and_infinity():
    assert numbers.loads('{"a": 1, "b": 1.0, "c": 1e999999}') == {"a": Decimal(1), "b": Decimal("1.0"),
                                                                  "c": Decimal("1e999999")}
    for text in ("NaN", "[Infinity]", '{"a": -Infinity}'):
        with pytest.raises(ValueError):
            numbers.loads(text)
    assert numbers.plain_json(numbers.loads('{"a": [1, 2.5, "x", 1e3]}'), "o") == {"a": [1, 2.5, "x", 1000]}
    with pytest.raises(numbers.NumberError, match=r"o\.a\[1\]: 1E\+999999 has more than 12 digits"):
        numbers.plain_json(numbers.loads('{"a": [1, 1e999999]}'), "o")


RULE = {"name": "vCPU", "resource": "instance", "attribute": "vcpus", "time_unit": "h",
        "tiers": [{"from": "0", "price": "999999999999.99999999"}], "conditions": [],
        "modifiers": [{"name": "m", "price": "999999999999.99999999", "time_unit": "h", "is_percent": True,
                       "conditions": []}]}


def test_a_quote_at_the_bounds_is_exact():
    item = {"resource": "instance", "attributes": {"vcpus": "999999999999.99999999"},
            "hours": "999999999999.99999999"}
    result = quote_rules([RULE], [item])
    # 60 significant digits: Python's default 28 would round them; the quote does not.
    amount = "999999999999999999970000000000000000.000299999999999999999999"
    assert result["items"][0]["rules"][0]["amount"] == amount
    with localcontext() as context:
        context.prec = 100
        price = Decimal("999999999999.99999999")
        assert Decimal(amount) == price * price * price
        assert result["total"] == str((Decimal(amount) * (1 + price / 100)).quantize(Decimal("0.0001")))


@pytest.mark.parametrize("item,message", [
    ({"resource": "instance", "attributes": {"vcpus": 1e30}, "hours": 1}, "item 0: item attribute vcpus: 1E+30 has more than 12 digits"),
    ({"resource": "instance", "attributes": {"vcpus": "2"}, "hours": "1e999999"}, "item 0: item hours"),
    ({"resource": "instance", "attributes": {"vcpus": 2}, "hours": -1}, "is negative"),
    ({"resource": "instance", "attributes": {"vcpus": float("nan")}, "hours": 1}, None),
    ({"resource": {"x": 1}, "attributes": {}, "hours": 1}, "item 0: resource must be a name"),
])
def test_hostile_quote_items_are_refused_with_the_field_named(item, message):
    if message is None:
        # NaN is not a quantity: the rule does not apply, and nothing raises.
        assert quote_rules([RULE], [item])["total"] == "0.0000"
        return
    with pytest.raises(QuoteError, match=message.replace("+", r"\+")):
        quote_rules([RULE], [item])
