# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark behind docs/performance.md (`make bench`).

For each N it generates an inventory of N resellers (group_vars files), then, per repetition, from an empty
(migrated) panel database and empty frontend state:
  full      site.yml converges everything (and the reseller files are parsed with an empty parse cache)
  unchanged site.yml again, nothing to do
  renew     renew.yml with no certificate due (the daily scheduled run; compared with unchanged)
  added     site.yml after one reseller was added to the inventory
  drift     a row and a vhost changed behind the provisioner's back, then site.yml --check: must report changes
On the largest state below 10 000 it compares when nginx reads the reseller certificates (bench/handshake.py:
`nginx -t`, and server CPU per full and resumed TLS handshake). It also runs the naive per-item playbook
(bench/naive/site.yml) at one N. Each case reports wall time, CPU
(user+sys of every process of the run), peak memory (bench/sampler.py: RSS and PSS summed over the run's
process tree, and the largest single process, sampled), changed count.
Before them it times a playbook of one ansible.builtin.ping task (bench/calibration/ping.yml, same
ansible-playbook, same ansible.cfg) as often as each case: the yardstick of site.yml's fixed cost.
Medians over the repetitions are printed as one table and written to bench/results/ as JSON and a PNG chart,
followed by the goals of bench/goals.py, each met, missed or not measured (reported, never a failure).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)

from bench import goals, handshake, scenario  # noqa: E402  (path set just above)
from bench.sampler import TreeSampler  # noqa: E402

BIN = os.path.dirname(sys.executable)
CALIBRATION = os.path.join(HERE, "calibration", "ping.yml")


def run_playbook(playbook, inventory, extra=(), env=None):
    args = [os.path.join(BIN, "ansible-playbook"), "-i", inventory, playbook] + list(extra)
    run_env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
                   PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    run_env.update(env or {})
    started = time.monotonic()
    usage_before = os.times()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=run_env,
                            cwd=REPO)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    output = proc.communicate()[0]
    sampler.stop.set()
    sampler.join()
    wall = time.monotonic() - started
    usage_after = os.times()
    # Children's CPU as the kernel accounts it once they are reaped (covers processes the sampler missed).
    cpu = (usage_after.children_user - usage_before.children_user
           + usage_after.children_system - usage_before.children_system)
    measured = dict(rc=proc.returncode, wall=wall, cpu=max(cpu, sampler.cpu_seconds()),
                    changed=changed_count(output), output=output)
    measured.update(sampler.memory_mb())
    return measured


def changed_count(output):
    total = 0
    for line in output.splitlines():
        if " changed=" in line and " ok=" in line:
            total += int(line.split(" changed=")[1].split()[0])
    return total


def drift_missed(output):
    """What of scenario.make_drift's changes the --check --diff run did not report (empty: all found)."""
    lines = output.splitlines()
    missed = []
    if not any(line.startswith("-reseller r00000:") and '"status": "suspended"' in line for line in lines):
        missed.append("the row (reseller r00000 suspended in the database) is not in the diff")
    header = [i for i, line in enumerate(lines)
              if line.startswith("+++ after: ") and line.endswith("/cloud.r00000.bench.test.conf")]
    if not header or not any(line == "-# edited by hand" for line in lines[header[0]:header[0] + 80]):
        missed.append("the hand edit of cloud.r00000.bench.test.conf is not in the diff")
    return missed


# Sizes from which a repetition takes minutes: these get --large-reps repetitions.
LARGE = 10000
MEDIAN_KEYS = ("wall", "cpu", "peak_rss_mb", "peak_pss_mb", "peak_largest_rss_mb", "changed")


def median_case(runs):
    medians = {}
    for key in MEDIAN_KEYS:
        values = [run[key] for run in runs if run.get(key) is not None]
        medians[key] = statistics.median(values) if values else None  # peak_pss_mb: None without smaps_rollup
    # Who held the memory, in the repetition with the highest PSS peak.
    medians["pss_peak_top"] = max(runs, key=lambda run: run.get("peak_pss_mb") or 0).get("pss_peak_top") or []
    return medians


def check(result, what):
    if result["rc"] != 0:
        sys.stderr.write(result["output"][-6000:])
        raise SystemExit("bench: %s failed (rc=%d)" % (what, result["rc"]))


def parse_cache(work):
    """The reseller_files plugin's parse cache of the bench, emptied: a full converge starts with none (as on a
    fresh controller); the runs after it find the files it parsed, as an operator's next run does."""
    directory = os.path.join(work, "reseller-files-cache")
    shutil.rmtree(directory, ignore_errors=True)
    return dict(PANELOPS_RESELLER_FILES_CACHE_DIR=directory)


def bench_ours(count, reps, work):
    cases = dict(full=[], unchanged=[], renew=[], added=[], drift=[])
    for rep in range(reps):
        state = scenario.fresh_state(work, count)
        inventory = scenario.inventory(state, count)
        cache = parse_cache(work)
        cases["full"].append(run_playbook(scenario.SITE, inventory, env=cache))
        check(cases["full"][-1], "full converge N=%d" % count)
        cases["unchanged"].append(run_playbook(scenario.SITE, inventory, env=cache))
        check(cases["unchanged"][-1], "re-run N=%d" % count)
        cases["renew"].append(run_playbook(scenario.RENEW, inventory, env=cache))
        check(cases["renew"][-1], "renew.yml with nothing due N=%d" % count)
        if cases["renew"][-1]["changed"]:
            raise SystemExit("bench: renew.yml with nothing due changed something (N=%d)" % count)
        inventory = scenario.inventory(state, count + 1)
        cases["added"].append(run_playbook(scenario.SITE, inventory, env=cache))
        check(cases["added"][-1], "one added N=%d" % count)
        scenario.make_drift(state)
        cases["drift"].append(run_playbook(scenario.SITE, inventory, extra=["--check", "--diff"], env=cache))
        check(cases["drift"][-1], "drift check N=%d" % count)
        missed = drift_missed(cases["drift"][-1]["output"])
        if missed:
            raise SystemExit("bench: drift made behind the provisioner's back was not reported by site.yml "
                             "--check (N=%d): %s" % (count, "; ".join(missed)))
        print("  N=%d rep %d: full %.1fs, unchanged %.1fs, renew %.1fs, added %.1fs, drift --check %.1fs" % (
            count, rep + 1, cases["full"][-1]["wall"], cases["unchanged"][-1]["wall"], cases["renew"][-1]["wall"],
            cases["added"][-1]["wall"], cases["drift"][-1]["wall"]), flush=True)
    return dict((name, median_case(runs)) for name, runs in cases.items())


def calibration_inventory(work):
    """The calibration's inventory: the local host, the venv's Python named explicitly (as site.yml's is)."""
    directory = os.path.join(work, "calibration")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "hosts.yml")
    host = dict(ansible_connection="local", ansible_python_interpreter=sys.executable)
    with open(path, "w") as handle:  # JSON is YAML: the yaml inventory plugin reads it
        json.dump(dict(all=dict(children=dict(bench_calibration=dict(hosts=dict(localhost=host))))), handle)
    return path


def bench_calibration(reps, work):
    """The one-task playbook, as many times as each site.yml case, after one untimed run (cold caches)."""
    inventory = calibration_inventory(work)
    check(run_playbook(CALIBRATION, inventory), "calibration warm-up")
    runs = []
    for rep in range(reps):
        runs.append(run_playbook(CALIBRATION, inventory))
        check(runs[-1], "calibration")
        print("  calibration rep %d: %.2fs" % (rep + 1, runs[-1]["wall"]), flush=True)
    return median_case(runs)


def bench_naive(count, reps, work):
    cases = dict(full=[], unchanged=[])
    for rep in range(reps):
        state = scenario.fresh_state(work, count, naive=True)
        inventory = scenario.inventory(state, count)
        cache = parse_cache(work)
        cases["full"].append(run_playbook(scenario.NAIVE, inventory, env=cache))
        check(cases["full"][-1], "naive full N=%d" % count)
        cases["unchanged"].append(run_playbook(scenario.NAIVE, inventory, env=cache))
        check(cases["unchanged"][-1], "naive re-run N=%d" % count)
        print("  naive N=%d rep %d: full %.1fs, unchanged %.1fs" % (
            count, rep + 1, cases["full"][-1]["wall"], cases["unchanged"][-1]["wall"]), flush=True)
    return dict((name, median_case(runs)) for name, runs in cases.items())


def _mb(value):
    return "-" if value is None else "%.0f" % value


def _row(approach, count, case, m):
    return "| %s | %s | %s | %.2f | %.2f | %s | %s | %s | %d |" % (
        approach, count, case, m["wall"], m["cpu"], _mb(m.get("peak_rss_mb")), _mb(m.get("peak_pss_mb")),
        _mb(m.get("peak_largest_rss_mb")), m["changed"])


def table(results):
    lines = ["| approach | N | case | wall s | CPU s | peak RSS MB (sum) | peak PSS MB (sum) "
             "| largest process RSS MB | changed |", "|---|---|---|---|---|---|---|---|---|"]
    if results.get("calibration"):
        lines.append(_row("calibration", "-", "one ping task", results["calibration"]))
    for approach in ("ours", "naive"):
        for count, cases in sorted(results[approach].items(), key=lambda kv: int(kv[0])):
            for case, m in cases.items():
                lines.append(_row(approach, count, case, m))
    return "\n".join(lines)


def memory_holders(results):
    """One line per size: who held the memory at the highest PSS peak of that size's cases."""
    lines = []
    for count, cases in sorted(results["ours"].items(), key=lambda kv: int(kv[0])):
        case, m = max(cases.items(), key=lambda item: item[1].get("peak_pss_mb") or 0)
        if m.get("pss_peak_top"):
            lines.append("N=%s, %s: %s" % (count, case, ", ".join(
                "%s %.0f MB" % (name, size) for name, size in m["pss_peak_top"])))
    return lines


def derived(results):
    ours = results["ours"]
    out = {}
    sizes = sorted(int(n) for n in ours)
    if len(sizes) >= 2:
        small, big = sizes[-2], sizes[-1]
        out["marginal_ms_per_reseller"] = 1000.0 * (
            ours[str(big)]["full"]["wall"] - ours[str(small)]["full"]["wall"]) / (big - small)
    for count, cases in ours.items():
        # The scheduled renewal against a site.yml run with nothing to do (a ratio, never a timed assertion).
        if "renew" in cases:
            out["renew_vs_unchanged_site_N%s" % count] = cases["renew"]["wall"] / cases["unchanged"]["wall"]
    for count, naive in results["naive"].items():
        if count in ours:
            out["speedup_full_N%s" % count] = naive["full"]["wall"] / ours[count]["full"]["wall"]
            out["speedup_unchanged_N%s" % count] = naive["unchanged"]["wall"] / ours[count]["unchanged"]["wall"]
    return out


def _plot_cases(ax, results):
    lines = (("ours", "full", "o-", "ours: full converge"),
             ("ours", "unchanged", "o:", "ours: re-run, nothing to change"),
             ("naive", "full", "s--", "naive: full converge"),
             ("naive", "unchanged", "s:", "naive: re-run"))
    for approach, case, style, label in lines:
        points = sorted((int(n), cases[case]["wall"]) for n, cases in results[approach].items())
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], style, label=label)
    if results.get("calibration"):
        ax.axhline(results["calibration"]["wall"], color="grey", linestyle="-.", linewidth=1,
                   label="one-task playbook (calibration)")


def _plain_log_ticks(axis, ticker):
    """Log axes labelled 20 and 1000 rather than 2x10^1 and 10^3; of the minor ticks only 2x and 5x."""
    def minor(value, _position):
        leading = value / 10 ** math.floor(math.log10(value)) if value > 0 else 0
        return "%g" % value if round(leading) in (2, 5) else ""
    axis.set_major_formatter(ticker.FuncFormatter(lambda value, _position: "%g" % value))
    axis.set_minor_formatter(ticker.FuncFormatter(minor))


def chart(results, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import ticker
    except ImportError:
        print("bench: matplotlib not installed, no chart")
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    _plot_cases(ax, results)
    ax.set_xlabel("resellers (N)")
    ax.set_ylabel("wall time (s), median")
    ax.set_xscale("log")
    ax.set_yscale("log")
    _plain_log_ticks(ax.xaxis, ticker)
    _plain_log_ticks(ax.yaxis, ticker)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    ax.set_title("site.yml vs a per-item loop playbook")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _write_json(path, results):
    with open(path, "w") as handle:
        json.dump(results, handle, indent=2, sort_keys=True)


def parse_args():
    parser = argparse.ArgumentParser(description="panelops.reseller benchmark")
    parser.add_argument("--sizes", default=",".join(str(n) for n in goals.GOAL_SIZES))
    parser.add_argument("--reps", type=int, default=3, help="repetitions of every case and of the calibration")
    parser.add_argument("--large-reps", type=int, default=1,
                        help="repetitions at sizes of %d and more (one takes minutes there)" % LARGE)
    parser.add_argument("--naive-size", type=int, default=goals.NAIVE_SIZE, help="0 to skip the naive baseline")
    parser.add_argument("--naive-reps", type=int, default=3)
    parser.add_argument("--work", default=os.path.join(HERE, "work"))
    parser.add_argument("--results", default=os.path.join(HERE, "results"))
    parser.add_argument("--label", default="bench")
    return parser.parse_args()


def measure(args, partial):
    """Every case of the run: the calibration, site.yml at each size (the naive size included), the naive one."""
    sizes = sorted(set(int(n) for n in args.sizes.split(",") if n) | ({args.naive_size} - {0}))
    results = dict(ours={}, naive={}, machine=scenario.machine(), date=time.strftime("%Y-%m-%d"))
    print("bench: calibration, one ansible.builtin.ping task", flush=True)
    results["calibration"] = bench_calibration(args.reps, args.work)
    # The certificate-loading comparison runs on the largest state below 10 000 (N=1000 in `make bench`).
    handshake_size = max([count for count in sizes if count < LARGE] or [0])
    for count in sizes:
        print("bench: ours, N=%d" % count, flush=True)
        results["ours"][str(count)] = bench_ours(count, args.reps if count < LARGE else args.large_reps, args.work)
        if count == handshake_size:
            print("bench: reseller certificates read with the configuration and at the handshake, N=%d" % count,
                  flush=True)
            scenario.stop_all(args.work)
            results["handshake"] = dict(size=count, loading=handshake.measure(scenario.state_dir(args.work, count)))
        _write_json(partial, results)  # what is measured so far survives an interrupted run
    if args.naive_size:
        print("bench: naive, N=%d" % args.naive_size, flush=True)
        results["naive"][str(args.naive_size)] = bench_naive(args.naive_size, args.naive_reps, args.work)
    return results


def report(results):
    print(table(results))
    if results.get("handshake"):
        print("\nbench: when nginx reads the reseller certificates (panel_nginx_certificate_loading)")
        print(handshake.describe(results["handshake"]["loading"], results["handshake"]["size"]))
    print("\nbench: the largest processes at the highest PSS peak of each size")
    for line in memory_holders(results):
        print("  " + line)
    for key, value in sorted(results["derived"].items()):
        print("%s: %.2f" % (key, value))
    print("\nbench: goals (ratios within this run; memory is the summed PSS of the process tree)")
    for goal in results["goals"]:
        print("  " + goals.describe(goal))
    counts = dict((status, sum(1 for g in results["goals"] if g["status"] == status))
                  for status in (goals.MET, goals.MISSED, goals.NOT_MEASURED))
    print("bench: %d met, %d missed, %d not measured." % (
        counts[goals.MET], counts[goals.MISSED], counts[goals.NOT_MEASURED]))
    print("bench: goals are reported, not enforced: the bench fails only when a case breaks (a playbook fails,\n"
          "bench: renew.yml with nothing due changes something, drift goes unreported by --check --diff).")


def main():
    args = parse_args()
    os.makedirs(args.results, exist_ok=True)
    partial = os.path.join(args.results, "%s.partial.tmp" % args.label)
    results = measure(args, partial)
    results["derived"] = derived(results)
    results["goals"] = goals.evaluate(results)
    _write_json(os.path.join(args.results, "%s.json" % args.label), results)
    if os.path.exists(partial):
        os.unlink(partial)
    chart(results, os.path.join(args.results, "%s.png" % args.label))
    report(results)
    scenario.stop_all(args.work)


if __name__ == "__main__":
    main()
