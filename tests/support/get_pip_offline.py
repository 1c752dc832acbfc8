# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the get-pip bootstrap script that ansible-test downloads from a host this network cannot reach.

ansible-test runs its cached copy as a module with pip's install arguments in sys.argv[1:]. This installs pip
from the interpreter's own ensurepip, then lets pip install what was asked for from the package index.
`make sanity` copies it to ~/.ansible/test/cache/get_pip_<version>.py when that file is missing.
"""
import subprocess
import sys

DROPPED = ("--no-setuptools", "--no-wheel")

subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
args = [arg for arg in sys.argv[1:] if arg not in DROPPED]
subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)
