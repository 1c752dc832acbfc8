# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The user-space nginx module's rules, against a real nginx started in a scratch prefix."""
from __future__ import annotations

import os
import signal
import time

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _nginx_user_space as user_space
from tests.support.nginx import MAIN_CONF, NGINX, run_command


def body(prefix):
    """The test nginx's main configuration (no `user` line: the module adds it), with a leading comment."""
    return "# Managed by a test\n" + MAIN_CONF.format(user="", prefix=prefix)


@pytest.fixture()
def prefix(tmp_path):
    path = str(tmp_path / "nginx")
    yield path
    pid = user_space.master_pid(path)
    if pid:
        os.kill(pid, signal.SIGQUIT)
        for _attempt in range(100):
            if user_space.master_pid(path) is None:
                break
            time.sleep(0.05)


def start_command(prefix):
    return [NGINX, "-p", prefix, "-c", os.path.join(prefix, "nginx.conf"), "-e", os.path.join(prefix, "error.log")]


def test_the_user_directive_follows_the_owner_of_the_prefix():
    assert user_space.user_block(1000, 1000) == ""
    block = user_space.user_block(0, 0)
    assert block.endswith("user root root;\n") and block.startswith("# ")
    config = user_space.main_config("# one\n# two\nworker_processes 1;\n", 0, 0)
    assert config.index("# two") < config.index("user root root;") < config.index("worker_processes")
    assert user_space.main_config("worker_processes 1;\n", 1000, 1000) == "worker_processes 1;\n"


def test_first_run_makes_the_prefix_writes_the_config_and_starts_then_nothing_changes(prefix):
    config = body(prefix)
    first = user_space.ensure(prefix, config, start_command(prefix), run_command)
    assert first["directories"] == [prefix, os.path.join(prefix, "tmp")]
    assert first["config_changed"] and first["started"] and not first["reload"]
    assert user_space.master_pid(prefix) is not None
    assert oct(os.stat(os.path.join(prefix, "tmp")).st_mode & 0o777) == "0o755"
    assert oct(os.stat(os.path.join(prefix, "nginx.conf")).st_mode & 0o777) == "0o644"
    if os.geteuid() == 0:
        with open(os.path.join(prefix, "nginx.conf")) as handle:
            assert "user root " in handle.read()
    second = user_space.ensure(prefix, config, start_command(prefix), run_command)
    assert second["directories"] == [] and not second["config_changed"] and not second["started"]


def test_a_new_config_for_a_running_master_asks_for_a_reload_and_check_mode_writes_nothing(prefix):
    user_space.ensure(prefix, body(prefix), start_command(prefix), run_command)
    pid = user_space.master_pid(prefix)
    changed = body(prefix).replace("connections 64", "connections 32")
    dry = user_space.ensure(prefix, changed, start_command(prefix), run_command, check_mode=True)
    assert dry["config_changed"] and dry["reload"] and "connections 32" in dry["after"]
    with open(os.path.join(prefix, "nginx.conf")) as handle:
        assert "connections 64" in handle.read()
    real = user_space.ensure(prefix, changed, start_command(prefix), run_command)
    assert real["config_changed"] and real["reload"] and not real["started"]
    assert user_space.master_pid(prefix) == pid  # a running master is left to the reload handler


def test_check_mode_on_a_new_prefix_reports_everything_and_makes_nothing(prefix):
    result = user_space.ensure(prefix, body(prefix), start_command(prefix),
                               run_command, check_mode=True)
    assert result["directories"] and result["config_changed"] and result["started"]
    assert not os.path.exists(prefix)


def test_a_stale_pid_file_is_not_a_running_master_and_a_failed_start_quotes_nginx(prefix):
    os.makedirs(prefix)
    with open(os.path.join(prefix, "nginx.pid"), "w") as handle:
        handle.write("999999999\n")
    assert user_space.master_pid(prefix) is None
    broken = body(prefix).replace("worker_processes 1;", "worker_processes x;")
    with pytest.raises(user_space.UserSpaceError, match=r"did not start .*\"worker_processes\" directive invalid value"):
        user_space.ensure(prefix, broken, start_command(prefix), run_command)
