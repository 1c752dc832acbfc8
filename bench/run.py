# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark behind docs/performance.md (`make bench`).

For each N it generates an inventory of N resellers (group_vars files), then, per repetition, from an empty
(migrated) panel database and empty frontend state:
  full      site.yml converges everything
  unchanged site.yml again, nothing to do
  renew     renew.yml with no certificate due (the daily scheduled run; compared with unchanged)
  added     site.yml after one reseller was added to the inventory
  drift     a row and a vhost changed behind the provisioner's back, then site.yml --check: must report changes
It also runs the naive per-item playbook (bench/naive/site.yml) at one N. Each case reports wall time, CPU
(user+sys of every process of the run), peak RSS (sum over the run's process tree, sampled), changed count.
Medians over the repetitions are printed as one table and written to bench/results/ as JSON and a PNG chart.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)

from bench import scenario  # noqa: E402  (path set just above)

BIN = os.path.dirname(sys.executable)
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


class TreeSampler(threading.Thread):
    """Samples the summed RSS and the CPU time of a process and all of its descendants."""

    def __init__(self, pid, interval=0.05):
        super().__init__(daemon=True)
        self.root, self.interval = pid, interval
        self.peak_rss = 0
        self.cpu = {}  # pid -> last seen utime+stime (ticks), so exited children keep their count
        self.stop = threading.Event()

    def _tree(self):
        children = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % name) as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append((int(name), fields))
        found, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            for child, fields in children.get(pid, []):
                found.append((child, fields))
                todo.append(child)
        return found

    def sample(self):
        total = 0
        try:
            with open("/proc/%d/stat" % self.root) as handle:
                root_fields = handle.read().rsplit(")", 1)[1].split()
            tree = [(self.root, root_fields)] + self._tree()
        except OSError:
            return
        for pid, fields in tree:
            # fields[11], fields[12]: utime, stime; fields[21]: rss pages (stat field numbers minus 3)
            self.cpu[pid] = int(fields[11]) + int(fields[12])
            total += int(fields[21]) * PAGE
        self.peak_rss = max(self.peak_rss, total)

    def run(self):
        while not self.stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def cpu_seconds(self):
        return sum(self.cpu.values()) / float(CLK_TCK)


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
    return dict(rc=proc.returncode, wall=wall, cpu=max(cpu, sampler.cpu_seconds()),
                peak_rss_mb=sampler.peak_rss / 1048576.0, changed=changed_count(output), output=output)


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


def median_case(runs):
    keys = ("wall", "cpu", "peak_rss_mb", "changed")
    return dict((k, statistics.median(r[k] for r in runs)) for k in keys)


def check(result, what):
    if result["rc"] != 0:
        sys.stderr.write(result["output"][-6000:])
        raise SystemExit("bench: %s failed (rc=%d)" % (what, result["rc"]))


def bench_ours(count, reps, work):
    cases = dict(full=[], unchanged=[], renew=[], added=[], drift=[])
    for rep in range(reps):
        state = scenario.fresh_state(work, count)
        inventory = scenario.inventory(state, count)
        cases["full"].append(run_playbook(scenario.SITE, inventory))
        check(cases["full"][-1], "full converge N=%d" % count)
        cases["unchanged"].append(run_playbook(scenario.SITE, inventory))
        check(cases["unchanged"][-1], "re-run N=%d" % count)
        cases["renew"].append(run_playbook(scenario.RENEW, inventory))
        check(cases["renew"][-1], "renew.yml with nothing due N=%d" % count)
        if cases["renew"][-1]["changed"]:
            raise SystemExit("bench: renew.yml with nothing due changed something (N=%d)" % count)
        inventory = scenario.inventory(state, count + 1)
        cases["added"].append(run_playbook(scenario.SITE, inventory))
        check(cases["added"][-1], "one added N=%d" % count)
        scenario.make_drift(state)
        cases["drift"].append(run_playbook(scenario.SITE, inventory, extra=["--check", "--diff"]))
        check(cases["drift"][-1], "drift check N=%d" % count)
        missed = drift_missed(cases["drift"][-1]["output"])
        if missed:
            raise SystemExit("bench: drift made behind the provisioner's back was not reported by site.yml "
                             "--check (N=%d): %s" % (count, "; ".join(missed)))
        print("  N=%d rep %d: full %.1fs, unchanged %.1fs, renew %.1fs, added %.1fs, drift --check %.1fs" % (
            count, rep + 1, cases["full"][-1]["wall"], cases["unchanged"][-1]["wall"], cases["renew"][-1]["wall"],
            cases["added"][-1]["wall"], cases["drift"][-1]["wall"]), flush=True)
    return dict((name, median_case(runs)) for name, runs in cases.items())


def bench_naive(count, reps, work):
    cases = dict(full=[], unchanged=[])
    for rep in range(reps):
        state = scenario.fresh_state(work, count, naive=True)
        inventory = scenario.inventory(state, count)
        cases["full"].append(run_playbook(scenario.NAIVE, inventory))
        check(cases["full"][-1], "naive full N=%d" % count)
        cases["unchanged"].append(run_playbook(scenario.NAIVE, inventory))
        check(cases["unchanged"][-1], "naive re-run N=%d" % count)
        print("  naive N=%d rep %d: full %.1fs, unchanged %.1fs" % (
            count, rep + 1, cases["full"][-1]["wall"], cases["unchanged"][-1]["wall"]), flush=True)
    return dict((name, median_case(runs)) for name, runs in cases.items())


def table(results):
    lines = ["| approach | N | case | wall s | CPU s | peak RSS MB | changed |", "|---|---|---|---|---|---|---|"]
    for approach in ("ours", "naive"):
        for count, cases in sorted(results[approach].items(), key=lambda kv: int(kv[0])):
            for case, m in cases.items():
                lines.append("| %s | %s | %s | %.2f | %.2f | %.0f | %d |" % (
                    approach, count, case, m["wall"], m["cpu"], m["peak_rss_mb"], m["changed"]))
    return "\n".join(lines)


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


def chart(results, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench: matplotlib not installed, no chart")
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for approach, style in (("ours", "o-"), ("naive", "s--")):
        points = sorted((int(n), c["full"]["wall"]) for n, c in results[approach].items())
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], style, label="%s: full converge" % approach)
    points = sorted((int(n), c["unchanged"]["wall"]) for n, c in results["ours"].items())
    ax.plot([p[0] for p in points], [p[1] for p in points], "o:", label="ours: re-run, nothing to change")
    ax.set_xlabel("resellers (N)")
    ax.set_ylabel("wall time (s), median")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    ax.set_title("site.yml vs a per-item loop playbook")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def _write_json(path, results):
    with open(path, "w") as handle:
        json.dump(results, handle, indent=2, sort_keys=True)


def main():
    parser = argparse.ArgumentParser(description="panelops.reseller benchmark")
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--naive-size", type=int, default=200, help="0 to skip the naive baseline")
    parser.add_argument("--naive-reps", type=int, default=3)
    parser.add_argument("--work", default=os.path.join(HERE, "work"))
    parser.add_argument("--results", default=os.path.join(HERE, "results"))
    parser.add_argument("--label", default="bench")
    args = parser.parse_args()

    sizes = [int(n) for n in args.sizes.split(",") if n]
    if args.naive_size and args.naive_size not in sizes:
        sizes_ours = sorted(sizes + [args.naive_size])
    else:
        sizes_ours = sizes
    results = dict(ours={}, naive={}, machine=scenario.machine(), date=time.strftime("%Y-%m-%d"))
    os.makedirs(args.results, exist_ok=True)
    partial = os.path.join(args.results, "%s.partial.tmp" % args.label)
    for count in sizes_ours:
        print("bench: ours, N=%d" % count, flush=True)
        results["ours"][str(count)] = bench_ours(count, args.reps, args.work)
        _write_json(partial, results)  # what is measured so far survives an interrupted run
    if args.naive_size:
        print("bench: naive, N=%d" % args.naive_size, flush=True)
        results["naive"][str(args.naive_size)] = bench_naive(args.naive_size, args.naive_reps, args.work)
    results["derived"] = derived(results)
    _write_json(os.path.join(args.results, "%s.json" % args.label), results)
    if os.path.exists(partial):
        os.unlink(partial)
    chart(results, os.path.join(args.results, "%s.png" % args.label))
    print(table(results))
    for key, value in sorted(results["derived"].items()):
        print("%s: %.2f" % (key, value))
    scenario.stop_all(args.work)


if __name__ == "__main__":
    main()
