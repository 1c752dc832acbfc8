# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""tests/fixed-ports.yml is the one list of fixed ports: every suite's port is listed under that suite only, and
none but the demo uses the demo's ports, so `make test` runs beside a live demo."""
from __future__ import annotations

import glob
import os
import re

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(REPO, "tests", "fixed-ports.yml")) as _handle:
    REGISTRY = yaml.safe_load(_handle)
# Files whose numbers are checked: every molecule scenario, the bench, the demo inventory.
SCANNED = sorted(set(glob.glob(os.path.join(REPO, "extensions", "molecule", "*", "*.yml")) +
                     glob.glob(os.path.join(REPO, "bench", "*.py")) +
                     [os.path.join(REPO, "inventory", "demo", "group_vars", "all.yml")]))
# A port-like number: after "host:" or a key/variable naming a port, or standing alone as a quoted argument.
PORT = re.compile(r"(?:\w:|port\w*[\"']?\s*[:=]\s*[\"']?|^\s*- \")(\d{1,5})\b", re.IGNORECASE | re.MULTILINE)


def ports_in(path):
    with open(path) as handle:
        text = handle.read()
    return {int(number) for number in PORT.findall(text)}


def test_no_port_belongs_to_two_suites():
    owners = {}
    for suite, entry in REGISTRY.items():
        for port in entry["ports"]:
            assert port not in owners, "port %d is listed for %s and %s" % (port, owners.get(port), suite)
            owners[port] = suite


def test_every_port_in_a_scanned_file_is_its_suites_own():
    allowed = {}
    for entry in REGISTRY.values():
        for name in entry["files"]:
            allowed.setdefault(os.path.join(REPO, name), set()).update(entry["ports"])
    demo_ports = set(REGISTRY["demo"]["ports"])
    for path in SCANNED:
        found = ports_in(path)
        stray = sorted(found - allowed.get(path, set()))
        assert not stray, "%s uses ports not listed for it in tests/fixed-ports.yml: %s" % (
            os.path.relpath(path, REPO), stray)
        if not path.endswith(os.path.join("inventory", "demo", "group_vars", "all.yml")):
            assert not found & demo_ports, "%s uses the demo's ports" % os.path.relpath(path, REPO)


def test_every_listed_port_is_used_where_it_is_listed():
    for suite, entry in REGISTRY.items():
        found = set()
        for name in entry["files"]:
            found |= ports_in(os.path.join(REPO, name))
        assert set(entry["ports"]) <= found, "%s: listed but not used: %s" % (suite, set(entry["ports"]) - found)


def test_the_scan_sees_ports_where_they_are_written():
    sample = ("panel_upstream: 127.0.0.1:18000\nhttp_port: 15002\nurl: https://x.test:15443/\n  - \"14000\"\n"
              "HTTP_PORT = 38080\n--resolve \"$h:{{ https_port }}:127.0.0.1\"\n")
    assert {int(n) for n in PORT.findall(sample)} == {18000, 15002, 15443, 14000, 38080}
