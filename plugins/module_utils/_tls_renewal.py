# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""When a certificate is due for renewal: by the fraction of its lifetime that is left.

A fixed number of days is wrong for every lifetime but one: 30 days renews a 6-day or a 47-day certificate on
every run, and a 5-year one far too late to notice a problem. The rule here scales with the certificate: renew
when `renew_fraction` of its lifetime (notAfter - notBefore) remains, by default a third (a 90-day certificate at
30 days left, a 47-day one at about 16, a 6-day one at 2).

Settings of `panel_tls` (a reseller's `tls` may override them for its own certificate):

    renew_fraction            0 < x < 1, the part of the lifetime left when renewal is due (default 1/3)
    renew_fraction_per_mode   {mode: fraction}: per mode (internal_ca, provided, acme), over renew_fraction
    renew_days                optional: also renew when fewer than this many days remain (the rule of earlier
                              releases); unset by default, so only the fraction applies

Pure Python, no library: the caller hands in the certificate's validity bounds.
"""

from __future__ import annotations

import datetime

DEFAULT_RENEW_FRACTION = 1.0 / 3
MODES = ("internal_ca", "provided", "acme")


def _fraction_problem(where, value):
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value < 1:
        return "%s: must be a number between 0 and 1 (the part of the lifetime left), got %r" % (where, value)
    return None


def renewal_settings_problems(tls, where="panel_tls"):
    """Problems of the renewal keys of one TLS settings mapping, each naming the field."""
    problems = []
    if "renew_fraction" in tls:
        problems.append(_fraction_problem("%s.renew_fraction" % where, tls["renew_fraction"]))
    per_mode = tls.get("renew_fraction_per_mode")
    if per_mode is not None:
        if not isinstance(per_mode, dict):
            problems.append("%s.renew_fraction_per_mode: must be a mapping of mode to fraction" % where)
        else:
            for mode in sorted(per_mode, key=str):
                if mode not in MODES:
                    problems.append("%s.renew_fraction_per_mode.%s: unknown mode (known: %s)"
                                    % (where, mode, ", ".join(MODES)))
                else:
                    problems.append(_fraction_problem("%s.renew_fraction_per_mode.%s" % (where, mode),
                                                      per_mode[mode]))
    renew_days = tls.get("renew_days")
    if renew_days is not None and (not isinstance(renew_days, int) or isinstance(renew_days, bool) or renew_days < 0):
        problems.append("%s.renew_days: must be a whole number of days >= 0, got %r" % (where, renew_days))
    return [p for p in problems if p]


def fraction_for(tls, mode):
    """The renew fraction that applies to a certificate of `mode` with these TLS settings."""
    per_mode = tls.get("renew_fraction_per_mode") or {}
    if mode in per_mode:
        return float(per_mode[mode])
    return float(tls.get("renew_fraction", DEFAULT_RENEW_FRACTION))


def renewal_due(not_before, not_after, now, fraction=DEFAULT_RENEW_FRACTION, renew_days=None):
    """Why a certificate valid from not_before to not_after is due at `now`, or None when it is not."""
    left = not_after - now
    if left <= datetime.timedelta(0):
        return "expired on %s" % not_after.strftime("%Y-%m-%d %H:%M UTC")
    lifetime = not_after - not_before
    if left <= lifetime * fraction:
        return "%s of its lifetime left (%s of %s), renew_fraction %.2f" % (
            "%d%%" % int(100 * left / lifetime), _span(left), _span(lifetime), fraction)
    if renew_days is not None and left < datetime.timedelta(days=renew_days):
        return "expires in %d day(s), fewer than renew_days %d" % (left.days, renew_days)
    return None


def due_at(not_before, not_after, fraction=DEFAULT_RENEW_FRACTION, renew_days=None):
    """The moment renewal becomes due (the earlier of the two rules)."""
    moment = not_after - (not_after - not_before) * fraction
    if renew_days is not None:
        moment = min(moment, not_after - datetime.timedelta(days=renew_days))
    return moment


def _span(delta):
    if delta >= datetime.timedelta(days=2):
        return "%d days" % delta.days
    if delta >= datetime.timedelta(hours=2):
        return "%d hours" % (delta.total_seconds() // 3600)
    return "%d minutes" % (delta.total_seconds() // 60)
