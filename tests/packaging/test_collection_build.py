# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection as users get it: built with ansible-galaxy, installed into an empty path, documented."""
from __future__ import annotations

import glob
import os
import subprocess
import sys
import tarfile

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
EXCLUDED_TOPS = ("tests/", "bench/", ".demo/", ".venv/", ".collections/", "extensions/", ".ci/", ".git/")


def _run(args, **kwargs):
    proc = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
    assert proc.returncode == 0, "%s failed:\n%s\n%s" % (" ".join(args), proc.stdout, proc.stderr)
    return proc


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    _run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", REPO, "--output-path", str(out)])
    (tarball,) = glob.glob(str(out / "panelops-reseller-*.tar.gz"))
    return tarball


def test_the_archive_leaves_out_tests_bench_and_demo_state(built):
    with tarfile.open(built) as archive:
        names = archive.getnames()
    assert "plugins/modules/panel_settings.py" in names
    assert "panel/reseller_panel/core/models.py" in names
    leaked = [n for n in names if n.startswith(EXCLUDED_TOPS) or "__pycache__" in n]
    assert leaked == []


def test_installed_copy_documents_every_module(built, tmp_path):
    # --force: a copy installed elsewhere (tools put one under ~/.ansible) must not make this a no-op.
    target = tmp_path / "collections"
    _run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--force", built, "-p", str(target)])
    modules = sorted(os.path.splitext(os.path.basename(p))[0]
                     for p in glob.glob(os.path.join(REPO, "plugins", "modules", "*.py")))
    assert "panel_settings" in modules
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(target))
    env.pop("ANSIBLE_CONFIG", None)
    for module in modules:
        proc = _run([os.path.join(BIN, "ansible-doc"), "panelops.reseller." + module], env=env, cwd=str(tmp_path))
        assert "panelops.reseller." + module in proc.stdout
        assert "WARNING" not in proc.stderr, proc.stderr
