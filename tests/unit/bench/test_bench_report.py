# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

from bench import run


def test_memory_holders_name_the_case_with_the_highest_peak_of_each_size():
    results = {"ours": {
        "10": {"full": {"peak_pss_mb": 150, "pss_peak_top": [["ansible-playbook", 90.4]]},
               "unchanged": {"peak_pss_mb": 120, "pss_peak_top": [["ansible-playbook", 80.0]]}},
        "1000": {"unchanged": {"peak_pss_mb": 170, "pss_peak_top": [["ansible-playbook", 100.0]]},
                 "added": {"peak_pss_mb": 300, "pss_peak_top": [["nginx -t", 160.2], ["AnsiballZ_nginx_sites.py", 70]]},
                 "drift": {"peak_pss_mb": None}},
    }}
    assert run.memory_holders(results) == [
        "N=10, full: ansible-playbook 90 MB",
        "N=1000, added: nginx -t 160 MB, AnsiballZ_nginx_sites.py 70 MB",
    ]


def test_the_breakdown_comes_from_the_repetition_with_the_highest_peak():
    runs = [dict(wall=1, cpu=1, peak_rss_mb=1, peak_pss_mb=10, peak_largest_rss_mb=1, changed=0,
                 pss_peak_top=[["low", 10]]),
            dict(wall=2, cpu=2, peak_rss_mb=2, peak_pss_mb=30, peak_largest_rss_mb=2, changed=0,
                 pss_peak_top=[["high", 30]]),
            dict(wall=3, cpu=3, peak_rss_mb=3, peak_pss_mb=20, peak_largest_rss_mb=3, changed=0,
                 pss_peak_top=[["middle", 20]])]
    medians = run.median_case(runs)
    assert medians["peak_pss_mb"] == 20 and medians["pss_peak_top"] == [["high", 30]]
