# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the reliability suite: scratch deployments converged by real site.yml runs."""
from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from tests.reliability.site import Site


@pytest.fixture(scope="session")
def scratch():
    """Where the suite keeps its deployments: $RELIABILITY_TMP when set, otherwise a fresh temporary dir."""
    base = os.environ.get("RELIABILITY_TMP")
    if base:
        os.makedirs(base, exist_ok=True)
    root = tempfile.mkdtemp(prefix="reliability-", dir=base)
    os.chmod(root, 0o755)  # database servers run as their own users and must reach their directories
    yield root
    shutil.rmtree(root, ignore_errors=True)


def converge(site):
    """Two runs with -vvv --diff and a log file, as an operator would run them; both outputs are kept."""
    runs = []
    for number in (1, 2):
        env = site.env(ANSIBLE_LOG_PATH=os.path.join(site.state, "ansible.log"))
        proc = site.run("-vvv", "--diff", env=env)
        assert proc.returncode == 0, "converge run %d failed:\n%s" % (number, proc.output[-6000:])
        runs.append(proc)
    return runs


@pytest.fixture(scope="session")
def converged(scratch):
    """The demo-like deployment, converged: (site, [first run, re-run])."""
    site = Site(os.path.join(scratch, "main"))
    try:
        runs = converge(site)
        yield site, runs
    finally:
        site.stop()


@pytest.fixture(scope="module")
def fault_site(scratch, request):
    """A converged deployment of its own for a module that injects faults into it."""
    site = Site(os.path.join(scratch, request.module.__name__.rsplit(".", 1)[-1]))
    try:
        converge(site)
        yield site
    finally:
        site.stop()
