# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""tests/support/no_warnings.py: a run that prints an Ansible warning or deprecation fails; its own failure wins."""
from __future__ import annotations

import sys

from tests.support import no_warnings


def test_clean_output_passes(capsys):
    assert no_warnings.main([sys.executable, "-c", "print('ok: [host]')"]) == 0
    assert "ok: [host]" in capsys.readouterr().out


def test_a_warning_or_deprecation_fails_and_is_listed(capsys):
    code = "print('[WARNING]: Value for result key x'); print('[DEPRECATION WARNING]: y is deprecated')"
    assert no_warnings.main([sys.executable, "-c", code]) == 1
    err = capsys.readouterr().err
    assert "2 warning(s) or deprecation(s)" in err
    assert "[WARNING]: Value for result key x" in err and "[DEPRECATION WARNING]: y is deprecated" in err


def test_the_commands_own_failure_wins():
    assert no_warnings.main([sys.executable, "-c", "import sys; print('[WARNING]: w'); sys.exit(3)"]) == 3


def test_molecules_own_warnings_count_too_colour_or_not():
    lines = ["\x1b[35mWARNING \x1b[0m Found symlinked collection, skipping its installation.\n",
             "WARNING  Driver default does not provide a schema.\n", "INFO     Running default > converge\n",
             "ok: [demo-panel] => (item=WARNING_LEVEL)\n"]
    assert no_warnings.warnings_in(lines) == ["WARNING  Found symlinked collection, skipping its installation.",
                                              "WARNING  Driver default does not provide a schema."]
