# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A callback for profiling site.yml: prints every task's wall time (slowest first) at the end of the run.

    ANSIBLE_CALLBACK_PLUGINS=bench/profile ANSIBLE_CALLBACKS_ENABLED=task_times ansible-playbook ...
"""
from __future__ import annotations

import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: task_times
type: aggregate
short_description: wall time per task, slowest first
description: Records when each task starts and prints the durations at the end of the playbook.
requirements:
  - enabled in the configuration (callbacks_enabled)
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.started = time.monotonic()
        self.current = None
        self.times = []

    def _close(self):
        if self.current:
            name, since = self.current
            self.times.append((time.monotonic() - since, name))
            self.current = None

    def _open(self, name):
        self._close()
        self.current = (name, time.monotonic())

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._open("%s (%s)" % (task.get_name(), task.action))

    def v2_playbook_on_handler_task_start(self, task):
        self._open("handler %s" % task.get_name())

    def v2_playbook_on_play_start(self, play):
        self._open("play start: %s" % play.get_name())

    def v2_playbook_on_stats(self, stats):
        self._close()
        total = time.monotonic() - self.started
        self._display.display("task times (s), slowest first; playbook %.2f s after callback load" % total)
        for seconds, name in sorted(self.times, reverse=True)[:25]:
            self._display.display("%7.2f  %s" % (seconds, name))
