# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A user-space nginx under one prefix (panel_nginx_user_space: true): its directories, its main
configuration and its master process, brought to the wanted state in one module run.

One run instead of three (a directory, a template, a shell probe) on every site.yml: each module run costs a
Python start and the unpacking of its payload, and this path runs on every run with nothing to do.
"""
from __future__ import annotations

import grp
import os

from ansible_collections.panelops.reseller.plugins.module_utils._files import atomic_write

CONFIG_NAME = "nginx.conf"
PID_NAME = "nginx.pid"
# Request bodies over the buffer and proxied responses go to tmp/ (nginx.conf.j2's *_temp_path).
TEMP_DIR = "tmp"


class UserSpaceError(Exception):
    pass


def user_block(owner_uid, owner_gid):
    """The `user` directive for a prefix owned by (owner_uid, owner_gid), with the reason as a comment.

    A prefix that belongs to root makes nginx run as root; its workers must then stay root too instead of
    dropping to nobody, who could not enter this private directory (request bodies go to tmp/, the ACME
    webroot is read from it). A prefix owned by another user runs nginx, and its workers, as that user: no
    directive at all."""
    if owner_uid != 0:
        return ""
    try:
        group = grp.getgrgid(owner_gid).gr_name
    except KeyError:
        group = str(owner_gid)
    return ("# The prefix belongs to root, so nginx runs as root: its workers stay root too instead of dropping\n"
            "# to nobody, who could not enter this private directory (request bodies over the buffer go to tmp/,\n"
            "# the ACME webroot is read from it). A prefix owned by another user runs nginx as that user.\n"
            "user root %s;\n" % group)


def main_config(body, owner_uid, owner_gid):
    """`body` (the rendered nginx.conf.j2) with the `user` directive for the prefix's owner placed after its
    leading comment lines (nginx reads main-context directives in any order)."""
    lines = body.splitlines(True)
    head = 0
    while head < len(lines) and lines[head].startswith("#"):
        head += 1
    return "".join(lines[:head]) + user_block(owner_uid, owner_gid) + "".join(lines[head:])


def _read(path):
    try:
        with open(path) as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def master_pid(prefix):
    """The pid of the running master of the nginx under `prefix`, or None (no pid file, or a stale one)."""
    text = (_read(os.path.join(prefix, PID_NAME)) or "").strip()
    if not text.isdigit():
        return None
    try:
        os.kill(int(text), 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # alive, but another user's
        pass
    return int(text)


def _ensure_directories(prefix, check_mode):
    """The prefix and its tmp/ (0755): the names of those made or whose mode was corrected."""
    made = []
    for path in (prefix, os.path.join(prefix, TEMP_DIR)):
        if not os.path.isdir(path):
            made.append(path)
            if not check_mode:
                os.makedirs(path, mode=0o755, exist_ok=True)
                os.chmod(path, 0o755)
        elif path != prefix and os.stat(path).st_mode & 0o7777 != 0o755:
            made.append(path)
            if not check_mode:
                os.chmod(path, 0o755)
    return made


def ensure(prefix, body, start, run_command, check_mode=False):
    """Bring the user-space nginx under `prefix` to its wanted state: directories, main configuration (`body`
    plus the `user` directive for the prefix's owner), and a running master (started with the argv `start`
    through `run_command`, AnsibleModule.run_command's signature, when none runs).

    Returns a dict: directories (made), config_changed, before/after (the configuration), started, and
    reload (whether a running master must reload for the new configuration)."""
    directories = _ensure_directories(prefix, check_mode)
    owner = os.stat(prefix) if os.path.isdir(prefix) else os.stat(os.path.dirname(prefix) or ".")
    config_path = os.path.join(prefix, CONFIG_NAME)
    before = _read(config_path)
    after = main_config(body, owner.st_uid, owner.st_gid)
    changed = before != after or (before is not None and os.stat(config_path).st_mode & 0o777 != 0o644)
    if changed and not check_mode:
        atomic_write(config_path, after.encode(), 0o644)
    running = master_pid(prefix) is not None
    if not running and not check_mode:
        rc, out, err = run_command(start)
        if rc != 0:
            raise UserSpaceError("the user-space nginx under %s did not start (%s, exit %d): %s" % (
                prefix, " ".join(start), rc, (err or out).strip() or "no output"))
    return dict(directories=directories, config_changed=changed, before=before or "", after=after,
                started=not running, reload=changed and running)
