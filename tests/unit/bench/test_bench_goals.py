# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""bench/goals.py: which goals a bench run's results meet, miss or do not measure."""
from __future__ import annotations

import pytest

from bench import goals


def case(wall, pss=100.0, rss=None):
    return dict(wall=wall, cpu=wall, peak_rss_mb=rss if rss is not None else pss * 1.5, peak_pss_mb=pss,
                peak_largest_rss_mb=pss, changed=0)


def size(full, unchanged, added, pss=100.0):
    return dict(full=case(full, pss), unchanged=case(unchanged, pss), renew=case(unchanged * 0.5, pss),
                added=case(added, pss), drift=case(unchanged, pss))


def by_name(results):
    return dict((goal["name"], goal) for goal in goals.evaluate(results))


def statuses(results):
    return dict((name, goal["status"]) for name, goal in by_name(results).items())


@pytest.fixture
def all_met():
    """A run of the default sizes where every goal holds."""
    return dict(
        calibration=case(1.0),
        ours={"10": size(5.0, 3.0, 3.3, pss=150), "200": size(5.5, 3.1, 3.4, pss=160),
              "1000": size(7.0, 3.5, 4.0, pss=240), "10000": size(50.0, 3.7, 4.2, pss=900)},
        naive={"200": dict(full=case(300.0), unchanged=case(200.0))})


def test_every_goal_met(all_met):
    assert set(statuses(all_met).values()) == {goals.MET}
    assert sorted(statuses(all_met)) == sorted([
        "unchanged_flat", "fixed_cost", "full_growth", "added_cost", "naive_full_N200", "naive_unchanged_N200",
        "scale", "memory_N10000", "memory_N1000"])


def test_ratios_name_their_sizes(all_met):
    found = by_name(all_met)
    assert found["unchanged_flat"]["what"] == "unchanged(N=1000) / unchanged(N=10)"
    assert found["unchanged_flat"]["value"] == pytest.approx(3.5 / 3.0)
    assert found["fixed_cost"]["what"] == "unchanged(N=10) / one-task playbook"
    assert found["fixed_cost"]["value"] == pytest.approx(3.0)
    assert found["full_growth"]["what"] == "full(N=1000) / full(N=10)"
    assert found["added_cost"]["what"] == "added(N=1000) / unchanged(N=1000)"
    assert found["naive_full_N200"]["value"] == pytest.approx(300.0 / 5.5)
    assert found["scale"]["value"] == pytest.approx(50.0 / 7.0)


@pytest.mark.parametrize("name, change", [
    ("unchanged_flat", lambda r: r["ours"]["1000"]["unchanged"].update(wall=3.0 * 1.26)),
    ("fixed_cost", lambda r: r["calibration"].update(wall=0.7)),
    ("full_growth", lambda r: r["ours"]["1000"]["full"].update(wall=8.1)),
    ("added_cost", lambda r: r["ours"]["1000"]["added"].update(wall=3.5 * 1.16)),
    ("naive_full_N200", lambda r: r["naive"]["200"]["full"].update(wall=5.5 * 49)),
    ("naive_unchanged_N200", lambda r: r["naive"]["200"]["unchanged"].update(wall=3.1 * 49)),
    ("scale", lambda r: r["ours"]["10000"]["full"].update(wall=7.0 * 8.1)),
    ("memory_N10000", lambda r: r["ours"]["10000"]["added"].update(peak_pss_mb=1025)),
    ("memory_N1000", lambda r: r["ours"]["1000"]["drift"].update(peak_pss_mb=251)),
])
def test_one_goal_missed(all_met, name, change):
    change(all_met)
    found = statuses(all_met)
    assert found.pop(name) == goals.MISSED
    assert set(found.values()) == {goals.MET}


def test_thresholds_are_inclusive(all_met):
    all_met["ours"]["1000"]["added"]["wall"] = 3.5 * 1.15
    all_met["naive"]["200"]["full"]["wall"] = 5.5 * 50
    all_met["ours"]["1000"]["full"]["peak_pss_mb"] = 250
    found = statuses(all_met)
    assert found["added_cost"] == found["naive_full_N200"] == found["memory_N1000"] == goals.MET


def test_smoke_sizes_leave_most_goals_unmeasured():
    smoke = dict(calibration=case(1.0), ours={"10": size(9.0, 8.0, 9.5)},
                 naive={"10": dict(full=case(30.0), unchanged=case(20.0))})
    assert statuses(smoke) == {
        "unchanged_flat": goals.NOT_MEASURED, "fixed_cost": goals.MISSED, "full_growth": goals.NOT_MEASURED,
        "added_cost": goals.MISSED, "naive_full_N10": goals.MISSED, "naive_unchanged_N10": goals.MISSED,
        "scale": goals.NOT_MEASURED, "memory_N10000": goals.NOT_MEASURED, "memory_N1000": goals.NOT_MEASURED}
    assert by_name(smoke)["added_cost"]["what"] == "added(N=10) / unchanged(N=10)"


def test_not_measured_is_never_met_and_has_no_value():
    empty = dict(ours={}, naive={})
    for goal in goals.evaluate(empty):
        assert goal["status"] == goals.NOT_MEASURED
        assert goal["value"] is None and goal["reason"]


def test_growth_reference_falls_back_to_the_largest_size_below_10000(all_met):
    del all_met["ours"]["1000"]
    found = by_name(all_met)
    assert found["full_growth"]["what"] == "full(N=200) / full(N=10)"
    assert found["added_cost"]["what"] == "added(N=10000) / unchanged(N=10000)"
    assert found["scale"]["status"] == found["memory_N1000"]["status"] == goals.NOT_MEASURED


def test_growth_needs_a_second_size_below_10000():
    results = dict(calibration=case(1.0), ours={"10": size(5, 3, 3), "10000": size(40, 3, 3)}, naive={})
    assert statuses(results)["full_growth"] == goals.NOT_MEASURED


def test_naive_not_run_or_ours_missing_at_its_size(all_met):
    all_met["naive"] = {}
    found = statuses(all_met)
    assert found["naive_full"] == found["naive_unchanged"] == goals.NOT_MEASURED
    all_met["naive"] = {"300": dict(full=case(300.0), unchanged=case(200.0))}
    assert statuses(all_met)["naive_full_N300"] == goals.NOT_MEASURED


def test_fixed_cost_needs_the_calibration(all_met):
    del all_met["calibration"]
    assert statuses(all_met)["fixed_cost"] == goals.NOT_MEASURED


def test_memory_is_the_largest_case_of_that_size_in_pss(all_met):
    all_met["ours"]["1000"]["renew"].update(peak_pss_mb=245, peak_rss_mb=600)
    found = by_name(all_met)["memory_N1000"]
    assert found["value"] == 245 and found["status"] == goals.MET
    assert "PSS sum" in found["what"]


def test_memory_falls_back_to_rss_sum_without_pss(all_met):
    for cases in all_met["ours"].values():
        for measured in cases.values():
            measured["peak_pss_mb"] = None
    found = by_name(all_met)["memory_N1000"]
    assert found["value"] == 240 * 1.5 and found["status"] == goals.MISSED
    assert "RSS sum" in found["what"]


def test_describe_says_status_value_and_threshold(all_met):
    found = by_name(all_met)
    assert goals.describe(found["unchanged_flat"]) == (
        "met          unchanged(N=1000) / unchanged(N=10) = 1.17 (goal \u2264 1.25)")
    assert goals.describe(found["naive_full_N200"]).endswith("= 54.55 (goal \u2265 50)")
    assert goals.describe(found["memory_N1000"]).endswith("N=1000 = 240 MB (goal \u2264 250 MB)")
    del all_met["ours"]["10000"]
    assert goals.describe(by_name(all_met)["scale"]) == (
        "not measured full(N=10000) / full(N=1000) (goal \u2264 8; needs N=1000 and N=10000)")
