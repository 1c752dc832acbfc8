# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every test session keeps the reseller_files vars plugin's parse cache in a directory of its own, removed at
the end: the playbooks the tests run would otherwise leave one cache file per test inventory in Ansible's home
directory."""
from __future__ import annotations

import os
import shutil
import tempfile

import pytest

CACHE_VARIABLE = "PANELOPS_RESELLER_FILES_CACHE_DIR"


@pytest.fixture(autouse=True, scope="session")
def reseller_files_cache_of_the_session():
    directory = tempfile.mkdtemp(prefix="panelops-reseller-files-cache-")
    before = os.environ.get(CACHE_VARIABLE)
    os.environ[CACHE_VARIABLE] = directory
    yield directory
    if before is None:
        del os.environ[CACHE_VARIABLE]
    else:
        os.environ[CACHE_VARIABLE] = before
    shutil.rmtree(directory, ignore_errors=True)
