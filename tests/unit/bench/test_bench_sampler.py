# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""bench/sampler.py: the /proc parsing and the process-tree walk behind the bench's memory figures."""
from __future__ import annotations

import os
import subprocess
import sys

from bench import sampler


def test_stat_fields_survive_a_command_name_with_spaces_and_parentheses():
    text = "4242 (ansible-playbook (w) x) S 4200 4242 4200 0 -1 4194560 1 2 3 4 17 5 0 0 20 0 1 0 9 4096 321 0"
    fields = sampler.stat_fields(text)
    assert fields[0] == "S" and fields[1] == "4200"
    assert fields[11] == "17" and fields[12] == "5" and fields[21] == "321"


def test_pss_kib_reads_the_pss_line_only():
    text = "55a0-7fff ---p 00000000 00:00 0 [rollup]\nRss: 13632 kB\nPss: 8591 kB\nPss_Dirty: 6912 kB\n"
    assert sampler.pss_kib(text) == 8591
    assert sampler.pss_kib("Rss: 13632 kB\n") is None


def test_descendants_walks_the_whole_tree_and_nothing_else():
    parents = {1: 0, 10: 1, 11: 10, 12: 10, 13: 12, 20: 1, 21: 20}
    assert sorted(sampler.descendants(10, parents)) == [10, 11, 12, 13]
    assert sampler.descendants(10, parents)[0] == 10
    assert sampler.descendants(99, parents) == [99]


def test_a_live_tree_is_measured_with_pss_below_the_rss_sum():
    # A parent holding 40 MB and a forked child sharing it copy-on-write: the RSS sum counts it twice,
    # the PSS sum once.
    code = ("import os, time\nblock = bytearray(40 * 1048576)\n"
            "pid = os.fork()\ntime.sleep(1.5)\nif pid: os.waitpid(pid, 0)\n")
    proc = subprocess.Popen([sys.executable, "-c", code])
    tree = sampler.TreeSampler(proc.pid, interval=0.05)
    tree.start()
    proc.wait()
    tree.stop.set()
    tree.join()
    measured = tree.memory_mb()
    assert measured["peak_largest_rss_mb"] >= 40
    assert measured["peak_rss_mb"] >= 80
    if os.path.exists("/proc/self/smaps_rollup"):
        assert 40 <= measured["peak_pss_mb"] < measured["peak_rss_mb"] - 30
        # The peak's breakdown: both processes, each holding half of the shared 40 MB (and its own Python).
        names = [name for name, _mb in measured["pss_peak_top"]]
        assert names == [os.path.basename(sys.executable) + " -c"] * 2
        assert all(20 <= size < 40 for _name, size in measured["pss_peak_top"])
    assert tree.samples > 5 and tree.cpu_seconds() >= 0
