# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Renewal due by the fraction of the lifetime left, for short and long lifetimes, and its settings."""
from __future__ import annotations

import datetime

from ansible_collections.panelops.reseller.plugins.module_utils import _tls_renewal

START = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
DAY = datetime.timedelta(days=1)


def test_a_third_of_the_lifetime_for_six_47_and_90_day_certificates():
    for days, due_day in ((6, 4), (47, 31.34), (90, 60)):
        end = START + days * DAY
        assert _tls_renewal.renewal_due(START, end, START + (due_day - 0.1) * DAY) is None
        reason = _tls_renewal.renewal_due(START, end, START + (due_day + 0.1) * DAY)
        assert reason is not None and "of its lifetime left" in reason
    assert _tls_renewal.due_at(START, START + 90 * DAY) == START + 60 * DAY


def test_expired_fraction_override_and_the_optional_days_floor():
    end = START + 90 * DAY
    assert _tls_renewal.renewal_due(START, end, end + DAY).startswith("expired on 2027-01-30")
    assert _tls_renewal.renewal_due(START, end, START + 50 * DAY, fraction=0.5).startswith("44% of its lifetime")
    # renew_days keeps the rule of earlier releases as an additional floor.
    assert _tls_renewal.renewal_due(START, end, START + 50 * DAY, renew_days=45) == \
        "expires in 40 day(s), fewer than renew_days 45"
    assert _tls_renewal.due_at(START, end, renew_days=45) == START + 45 * DAY
    # A 6-day certificate in hours.
    assert "(24 hours of 6 days)" in _tls_renewal.renewal_due(START, START + 6 * DAY, START + 5 * DAY)


def test_fraction_for_a_mode_and_settings_problems():
    tls = {"renew_fraction": 0.25, "renew_fraction_per_mode": {"acme": 0.4}}
    assert _tls_renewal.fraction_for(tls, "acme") == 0.4
    assert _tls_renewal.fraction_for(tls, "internal_ca") == 0.25
    assert abs(_tls_renewal.fraction_for({}, "acme") - 1.0 / 3) < 1e-9
    assert _tls_renewal.renewal_settings_problems(tls) == []
    assert _tls_renewal.renewal_settings_problems(
        {"renew_fraction": 0, "renew_fraction_per_mode": {"acme": "half", "x": 0.2}, "renew_days": -1}) == [
        "panel_tls.renew_fraction: must be a number between 0 and 1 (the part of the lifetime left), got 0",
        "panel_tls.renew_fraction_per_mode.acme: must be a number between 0 and 1 (the part of the lifetime left), "
        "got 'half'",
        "panel_tls.renew_fraction_per_mode.x: unknown mode (known: internal_ca, provided, acme)",
        "panel_tls.renew_days: must be a whole number of days >= 0, got -1"]
