# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The performance goals of docs/performance.md, judged from the results of one bench run.

Every goal is a ratio of two figures of the same run (or, for memory, a peak against a limit), so it does not
depend on how fast the machine is. A goal whose sizes were not run is `not measured`, never met. The bench
reports the goals; it does not fail on a missed one (it fails only when a case breaks).
"""
from __future__ import annotations

MET, MISSED, NOT_MEASURED = "met", "missed", "not measured"
LARGE = 10000  # the scale goal's size
REFERENCE = 1000  # the size the growth, added and memory goals are stated at
GOAL_SIZES = (10, 1000, 10000)  # the sizes `make bench` runs by default (the naive baseline adds its own)
NAIVE_SIZE = 200


def _goal(name, what, relation, threshold, value=None, reason=None, unit=""):
    if value is None:
        status = NOT_MEASURED
    elif relation == "<=":
        status = MET if value <= threshold else MISSED
    else:
        status = MET if value >= threshold else MISSED
    goal = dict(name=name, what=what, relation=relation, threshold=threshold, value=value, status=status,
                unit=unit)
    if reason:
        goal["reason"] = reason
    return goal


def sizes_run(results):
    return sorted(int(count) for count in results.get("ours", {}))


def _wall(results, count, case, approach="ours"):
    return results[approach][str(count)][case]["wall"]


def _reference_size(sizes):
    """1000 when run (the size the issue states its growth goals at), else the largest size below 10 000 above
    the smallest; None without one."""
    below = [count for count in sizes[1:] if count < LARGE]
    return REFERENCE if REFERENCE in sizes[1:] else (below[-1] if below else None)


def _growth(results, name, case, threshold):
    """case(N=1000, else the largest size below 10 000) / case(N min), judged against threshold."""
    sizes = sizes_run(results)
    reference = _reference_size(sizes)
    if reference is None:
        return _goal(name, "%s(N=%d) / %s(N min)" % (case, REFERENCE, case), "<=", threshold,
                     reason="needs a size below %d above the smallest" % LARGE)
    return _goal(name, "%s(N=%d) / %s(N=%d)" % (case, reference, case, sizes[0]), "<=", threshold,
                 _wall(results, reference, case) / _wall(results, sizes[0], case))


def unchanged_flat(results):
    """A run with nothing to do costs the same at any N."""
    return _growth(results, "unchanged_flat", "unchanged", 1.25)


def fixed_cost(results):
    """The smallest run with nothing to do against a playbook of one builtin task, timed in the same run."""
    sizes = sizes_run(results)
    calibration = results.get("calibration")
    if not sizes or not calibration:
        return _goal("fixed_cost", "unchanged(N min) / one-task playbook", "<=", 4,
                     reason="needs a size and the calibration")
    return _goal("fixed_cost", "unchanged(N=%d) / one-task playbook" % sizes[0], "<=", 4,
                 _wall(results, sizes[0], "unchanged") / calibration["wall"])


def full_growth(results):
    """Converging from empty grows slowly with N."""
    return _growth(results, "full_growth", "full", 1.6)


def added_cost(results):
    """One reseller added costs little more than a run with nothing to do (at 1000, else the largest size)."""
    sizes = sizes_run(results)
    if not sizes:
        return _goal("added_cost", "added(N=%d) / unchanged(N=%d)" % (REFERENCE, REFERENCE), "<=", 1.15,
                     reason="needs a size")
    count = REFERENCE if REFERENCE in sizes else sizes[-1]
    return _goal("added_cost", "added(N=%d) / unchanged(N=%d)" % (count, count), "<=", 1.15,
                 _wall(results, count, "added") / _wall(results, count, "unchanged"))


def naive_speedups(results):
    """At the naive baseline's size, the per-item playbook is at least 50 times slower, full and unchanged."""
    naive_sizes = sorted(int(count) for count in results.get("naive", {}))
    goals = []
    for case in ("full", "unchanged"):
        if not naive_sizes:
            goals.append(_goal("naive_%s" % case, "naive / ours, %s, N=%d" % (case, NAIVE_SIZE), ">=", 50,
                               reason="the naive baseline was not run"))
        for count in naive_sizes:
            name, what = "naive_%s_N%d" % (case, count), "naive / ours, %s, N=%d" % (case, count)
            if str(count) not in results.get("ours", {}):
                goals.append(_goal(name, what, ">=", 50, reason="ours was not run at N=%d" % count))
                continue
            goals.append(_goal(name, what, ">=", 50,
                               _wall(results, count, case, "naive") / _wall(results, count, case)))
    return goals


def scale(results):
    """10 000 resellers converge in at most 8 times the time of 1000."""
    sizes = sizes_run(results)
    what = "full(N=%d) / full(N=%d)" % (LARGE, REFERENCE)
    if LARGE not in sizes or REFERENCE not in sizes:
        return _goal("scale", what, "<=", 8, reason="needs N=%d and N=%d" % (REFERENCE, LARGE))
    return _goal("scale", what, "<=", 8, _wall(results, LARGE, "full") / _wall(results, REFERENCE, "full"))


def peak_memory(cases):
    """The largest peak of one N's cases and the measure it is in: summed PSS, else summed RSS (larger)."""
    if all(case.get("peak_pss_mb") is not None for case in cases.values()):
        return max(case["peak_pss_mb"] for case in cases.values()), "PSS sum"
    return max(case["peak_rss_mb"] for case in cases.values()), "RSS sum (no PSS on this kernel)"


def memory(results, count, limit_mb):
    """Peak memory of the whole run at N (every case at that N) within a limit, in MB of 1048576 bytes."""
    name = "memory_N%d" % count
    cases = results.get("ours", {}).get(str(count))
    if not cases:
        return _goal(name, "peak memory of the run at N=%d" % count, "<=", limit_mb,
                     reason="N=%d was not run" % count, unit=" MB")
    value, measure = peak_memory(cases)
    return _goal(name, "peak memory (%s) of the run at N=%d" % (measure, count), "<=", limit_mb, value,
                 unit=" MB")


def evaluate(results):
    """Every goal, in the order docs/performance.md lists them."""
    return ([unchanged_flat(results), fixed_cost(results), full_growth(results), added_cost(results)]
            + naive_speedups(results)
            + [scale(results), memory(results, LARGE, 1024), memory(results, REFERENCE, 250)])


def describe(goal):
    """One line per goal: status, what, value against threshold."""
    relation = {"<=": "\u2264", ">=": "\u2265"}[goal["relation"]]
    limit = "goal %s %g%s" % (relation, goal["threshold"], goal["unit"])
    if goal["value"] is None:
        return "%-12s %s (%s; %s)" % (goal["status"], goal["what"], limit, goal["reason"])
    number = "%.0f" % goal["value"] if goal["unit"] else "%.2f" % goal["value"]
    return "%-12s %s = %s%s (%s)" % (goal["status"], goal["what"], number, goal["unit"], limit)
