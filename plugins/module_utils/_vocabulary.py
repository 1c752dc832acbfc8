# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The words the collection and the panel must agree on, defined once on the collection's side.

Pricing operators, time units and currencies are also defined by the panel (its models, pricing engine and
dashboard forms); tests/unit/plugins/module_utils/test_vocabulary.py imports both sides and fails when they drift apart.
Reseller states and the panel statuses they map to belong to the seeding contract (docs/panel-schema.md).

A leaf: it imports nothing from this collection.
"""

from __future__ import annotations

# ISO 4217 active alphabetic codes.
CURRENCIES = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF
CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG
HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD
RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
""".split())

# The time units a price is given per (the panel's PricingRule.time_unit and PricingModifier.time_unit).
TIME_UNITS = ("h", "d", "month")
DEFAULT_TIME_UNIT = "h"

# A rule's priority: a 32-bit signed integer (the column's type on every engine), 0 when none is given; rules
# are applied by (priority, order of declaration).
PRIORITY_RANGE = (-2147483648, 2147483647)
DEFAULT_PRIORITY = 0

# Condition operators of pricing rules and modifiers (the panel's PricingCondition.operator); the last two
# compare with a list of values.
OPERATORS = ("lt", "le", "gt", "ge", "eq", "ne", "in", "ni")
LIST_OPERATORS = ("in", "ni")

# A reseller's state in the inventory, and the status the panel database records for it.
RESELLER_STATES = ("present", "suspended", "absent")
RESELLER_STATUS = {"present": "active", "suspended": "suspended", "absent": "archived"}
# The states whose end-user panel is served (vhost, certificate, DNS record); absent ones are retired.
SERVED_STATES = ("present", "suspended")

# A brand's colour when it names none (the panel's Brand.DEFAULT_COLOR).
DEFAULT_BRAND_COLOR = "#0d6efd"

# The sections of a configuration's options (the panel's Configuration.options).
CONFIGURATION_SECTIONS = ("billing", "signup", "limits", "notifications")
