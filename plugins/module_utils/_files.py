# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Atomic writes of many files with one sync.

Writing 1000 certificates (4 files each) or 1000 vhosts with an fsync per file costs seconds (7 s for 4000
files on a 2-core machine). Here every file is written to a temporary file next to its target first, one
os.sync() makes all of them durable, and only then is each renamed over its target: a reader (or a crash)
sees either the old or the new content of each file, never a partial one.
"""

from __future__ import annotations

import os
import tempfile


def atomic_write(path, data, mode, make_dirs_mode=None):
    """Write one file through a temporary file in its directory, an fsync and a rename."""
    directory = os.path.dirname(path)
    if make_dirs_mode is not None:
        os.makedirs(directory, mode=make_dirs_mode, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=directory)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_atomically(files, make_dirs_mode=None):
    """Write [(path, data bytes, mode)], each through a temporary file and a rename, with one sync for all.

    make_dirs_mode: create missing parent directories with this mode (None: they must exist).
    On an error no target has been replaced by a partial file; temporary files are removed.
    """
    staged = []
    try:
        for path, data, mode in files:
            directory = os.path.dirname(path)
            if make_dirs_mode is not None:
                os.makedirs(directory, mode=make_dirs_mode, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=directory)
            staged.append((tmp, path))
            os.fchmod(fd, mode)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        if staged:
            os.sync()
        while staged:
            tmp, path = staged[0]
            os.rename(tmp, path)
            staged.pop(0)
    finally:
        for tmp, _path in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
