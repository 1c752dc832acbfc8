# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_programs: a program is found on PATH or by its path; a missing one is named with its variable and package."""
from __future__ import annotations

import os

from ansible_collections.panelops.reseller.plugins.module_utils import _programs


def test_a_program_on_path_is_found():
    assert _programs.locate("sh") is not None
    assert _programs.missing_program(["sh", "-c", "true"], "some_var", "dash") is None


def test_a_program_by_path_must_be_an_executable_file(tmp_path):
    script = tmp_path / "tool"
    script.write_text("#!/bin/sh\n")
    assert _programs.locate(str(script)) is None  # not executable yet
    script.chmod(0o755)
    assert _programs.locate(str(script)) == str(script)
    assert _programs.locate(str(tmp_path)) is None  # a directory is not a program


def test_a_missing_program_names_the_variable_and_the_package(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    message = _programs.missing_program(["nginx", "-t"], "panel_nginx_binary", "nginx")
    assert message.startswith("nginx was not found on this host's PATH (%s)" % tmp_path)
    assert "install the package nginx (Debian: apt-get install nginx)" in message
    assert message.endswith("or set panel_nginx_binary to the program's path")
    absent = os.path.join(str(tmp_path), "sbin", "nginx")
    assert _programs.missing_program([absent], "v", "nginx").startswith("%s is not an executable file" % absent)


def test_an_empty_command_is_a_problem():
    assert _programs.missing_program([], "panel_nginx_test_command", "nginx") == (
        "panel_nginx_test_command is empty: it must name the program to run")
