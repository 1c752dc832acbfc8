# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""External programs a module runs on its host, checked before the module changes anything.

A program that is not installed must be reported as missing — with the variable that names it and the package
that provides it — and never mistaken for a program that ran and said no (an nginx that "rejected the
configuration" when there is no nginx at all sends the operator to the wrong place).
"""

from __future__ import annotations

import os
import shutil


def locate(name):
    """The executable file `name` stands for here (looked up on PATH when it has no slash), or None."""
    if os.sep in name:
        return name if os.path.isfile(name) and os.access(name, os.X_OK) else None
    return shutil.which(name)


def missing_program(command, variable, package):
    """None when `command[0]` can be run on this host; otherwise one sentence saying what is missing, the
    inventory variable that points at it and the package that provides it."""
    if not command:
        return "%s is empty: it must name the program to run" % variable
    name = str(command[0])
    if locate(name) is not None:
        return None
    if os.sep in name:
        where = "%s is not an executable file on this host" % name
    else:
        where = "%s was not found on this host's PATH (%s)" % (name, os.environ.get("PATH", ""))
    return ("%s: install the package %s (Debian: apt-get install %s), or set %s to the program's path"
            % (where, package, package, variable))
