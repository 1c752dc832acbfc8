# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""write_atomically: many files, one sync, each replaced by a rename; nothing partial on an error."""
from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils._files import write_atomically


def test_writes_every_file_with_its_mode_and_replaces_old_content(tmp_path):
    old = tmp_path / "a.conf"
    old.write_bytes(b"old\n")
    key = tmp_path / "deep" / "er" / "x.key"
    write_atomically([(str(old), b"new\n", 0o644), (str(key), b"secret\n", 0o600)], make_dirs_mode=0o700)
    assert old.read_bytes() == b"new\n"
    assert key.read_bytes() == b"secret\n"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(old).st_mode) == 0o644
    assert stat.S_IMODE(os.stat(tmp_path / "deep" / "er").st_mode) == 0o700  # the directory holding the file
    assert sorted(os.listdir(tmp_path)) == ["a.conf", "deep"]  # no temporary file left behind


def test_an_error_leaves_every_target_as_it_was_and_no_temporary_file(tmp_path):
    first = tmp_path / "first.conf"
    first.write_bytes(b"before\n")
    missing_dir = tmp_path / "missing" / "second.conf"
    with pytest.raises(FileNotFoundError):
        # Without make_dirs_mode the second file's directory must exist: staging fails before any rename.
        write_atomically([(str(first), b"after\n", 0o644), (str(missing_dir), b"x", 0o644)])
    assert first.read_bytes() == b"before\n"
    assert os.listdir(tmp_path) == ["first.conf"]


def test_nothing_to_write_is_a_no_op(tmp_path):
    write_atomically([])
    assert os.listdir(tmp_path) == []
