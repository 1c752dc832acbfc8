# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Memory and CPU of a process and all of its descendants, sampled from /proc while it runs.

Three memory figures are kept, each the largest seen over the run:
  rss_sum      the resident sets of every process of the tree added up. Ansible forks its workers from
               ansible-playbook, so the pages they share copy-on-write with it are counted once per process:
               an upper bound, not the footprint.
  pss_sum      the proportional set sizes (Pss of /proc/PID/smaps_rollup) added up. A page shared by k
               processes counts 1/k in each, so the sum counts every page of the tree once: the memory the run
               really occupies. The bench's memory goals use this one.
  largest_rss  the resident set of the largest single process (in practice ansible-playbook itself).

At the highest PSS sum the largest contributors are kept too (`pss_peak_top`: command name and MB), so that a
peak can be attributed: ansible-playbook and its forks, a module's Python, or the `nginx -t` a module runs.
"""
from __future__ import annotations

import os
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
# Reading smaps_rollup makes the kernel walk the page tables (about 1 ms for a large Ansible process), which
# would compete with the measured run on a 2-core machine if done every 50 ms: it is read every PSS_EVERY-th
# sample and whenever the summed RSS reaches a new high, where the peak of the proportional sizes is too.
PSS_EVERY = 5
# How many processes the peak's breakdown names.
TOP = 4


def stat_fields(text):
    """The fields of /proc/PID/stat after the command name (which may itself hold spaces and parentheses)."""
    return text.rsplit(")", 1)[1].split()


def pss_kib(text):
    """The Pss line of /proc/PID/smaps_rollup, in KiB (None when the kernel does not report it)."""
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return None


def descendants(root, parents):
    """Every pid below root, given {pid: parent pid}; root itself first."""
    children = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _read(path):
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:  # the process ended between the listing and the read
        return None


def command_name(pid):
    """What a process runs, short: the script a Python runs (AnsiballZ_<module>.py, ansible-playbook), else the
    program's name with its first argument (nginx -t, ...)."""
    raw = _read("/proc/%d/cmdline" % pid)
    args = [a for a in (raw or "").split("\0") if a]
    if not args:
        return "?"
    program = os.path.basename(args[0])
    if program.startswith("python") and len(args) > 1 and not args[1].startswith("-"):
        return os.path.basename(args[1])
    return " ".join([program] + args[1:][:1])


def all_stats():
    """{pid: stat fields} of every process (see stat_fields)."""
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            text = _read("/proc/%s/stat" % name)
            if text is not None:
                stats[int(name)] = stat_fields(text)
    return stats


class TreeSampler(threading.Thread):
    """Samples the memory (see the module's description) and the CPU time of a process tree."""

    def __init__(self, pid, interval=0.05):
        super().__init__(daemon=True)
        self.root, self.interval = pid, interval
        self.peak = dict(rss_sum=0, pss_sum=0, largest_rss=0)  # bytes
        self.peak_top = []  # [(command name, bytes)] of the largest PSS at the highest PSS sum
        # Kernels before 4.14 have no smaps_rollup: then no proportional figure at all rather than a zero.
        self.pss_available = os.path.exists("/proc/self/smaps_rollup")
        self.cpu = {}  # pid -> last seen utime+stime (ticks), so exited children keep their count
        self.samples = 0
        self.stop = threading.Event()

    def sample(self):
        stats = all_stats()
        if self.root not in stats:
            return
        # fields[1]: parent pid; fields[11], fields[12]: utime, stime; fields[21]: rss pages (field numbers - 3)
        tree = descendants(self.root, dict((pid, int(fields[1])) for pid, fields in stats.items()))
        rss = dict((pid, int(stats[pid][21]) * PAGE) for pid in tree if pid in stats)
        for pid in rss:
            self.cpu[pid] = int(stats[pid][11]) + int(stats[pid][12])
        rss_sum = sum(rss.values())
        new_high = rss_sum > self.peak["rss_sum"]
        self.peak["rss_sum"] = max(self.peak["rss_sum"], rss_sum)
        self.peak["largest_rss"] = max([self.peak["largest_rss"]] + list(rss.values()))
        if self.pss_available and (new_high or self.samples % PSS_EVERY == 0):
            self._sample_pss(rss)
        self.samples += 1

    def _sample_pss(self, rss):
        sizes = {}
        for pid in rss:
            text = _read("/proc/%d/smaps_rollup" % pid)
            kib = pss_kib(text) if text is not None else None
            if kib is None and text is not None:
                self.pss_available = False  # a kernel without Pss in smaps_rollup: report none rather than less
                return
            sizes[pid] = (kib or 0) * 1024
        total = sum(sizes.values())
        if total > self.peak["pss_sum"]:
            self.peak["pss_sum"] = total
            largest = sorted(sizes.items(), key=lambda item: -item[1])[:TOP]
            self.peak_top = [(command_name(pid), size) for pid, size in largest]

    def run(self):
        while not self.stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def cpu_seconds(self):
        return sum(self.cpu.values()) / float(CLK_TCK)

    def memory_mb(self):
        """The peaks in MB (MiB); peak_pss_mb is None when the kernel has no smaps_rollup Pss."""
        mib = 1048576.0
        return dict(peak_rss_mb=self.peak["rss_sum"] / mib,
                    peak_pss_mb=self.peak["pss_sum"] / mib if self.pss_available else None,
                    peak_largest_rss_mb=self.peak["largest_rss"] / mib,
                    pss_peak_top=[[name, round(size / mib, 1)] for name, size in self.peak_top])
