"""The pricing vocabulary, defined once for the models, the quote engine and the dashboard's forms.

The collection validates the inventory with the same words (plugins/module_utils/_vocabulary.py, _canonical.py);
the panel does not import it at run time (the panel is deployed without the collection), so a test pins the two
definitions together (the collection's tests/unit/plugins/module_utils/test_vocabulary.py), and
tests/test_collection_contract.py checks that the models, the quote engine and the forms use these words.
"""

# Condition operators: ordering (numbers only), equality, membership in a list.
OPERATORS = ("lt", "le", "gt", "ge", "eq", "ne", "in", "ni")
LIST_OPERATORS = ("in", "ni")

# Time units a price is quoted per, with their length in hours (a month is 730 h, a twelfth of 8760 h).
TIME_UNIT_HOURS = {"h": 1, "d": 24, "month": 730}
TIME_UNITS = tuple(TIME_UNIT_HOURS)
TIME_UNIT_LABELS = {"h": "hour", "d": "day", "month": "month (730 h)"}
DEFAULT_TIME_UNIT = "h"

# A rule's priority when none is given; rules are applied by (priority, order of declaration).
DEFAULT_PRIORITY = 0

# ISO 4217 active alphabetic codes.
CURRENCIES = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF
CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG
HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD
RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
""".split())
DEFAULT_CURRENCY = "EUR"

# Bounds of every number from outside (dashboard forms, quotes, the inventory through the collection): at most
# 12 digits before the point and 8 after it. An exponent is read as the number it stands for and then held to the
# same bounds ("1e3" is 1000; "1e999999" is refused, never written out as a million digits).
MAX_INTEGER_DIGITS = 12
MAX_FRACTION_DIGITS = 8
# A rule's priority: a 32-bit signed integer, the column's type on every engine.
PRIORITY_RANGE = (-2147483648, 2147483647)

# Names in a rule: resources and attributes are identifiers (instance, vcpus, os_type, flavor.ram); rule and
# modifier names are any printable text.
IDENTIFIER_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$"
DISPLAY_NAME_PATTERN = r"^[^\x00-\x1f\x7f]{1,100}$"

# The sections of a configuration's options; each holds a mapping.
CONFIGURATION_SECTIONS = ("billing", "signup", "limits", "notifications")
