# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
""".ci/install-system-deps.sh, run against stand-ins for dpkg-query, id, apt-get, sudo and service: only missing
packages are installed, as root directly, otherwise through sudo, otherwise the packages and the command are
named and nothing is run."""
from __future__ import annotations

import os
import re
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, ".ci", "install-system-deps.sh")


def fake_bin(tmp_path, installed, uid, sudo=True, locales=("C", "C.utf8", "en_US.utf8")):
    """A PATH of stand-ins that log every call to calls.log; `installed` are the packages dpkg-query knows,
    `locales` those `locale -a` lists."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    scripts = {
        "dpkg-query": 'case " %s " in *" ${@: -1} "*) printf "install ok installed";; *) exit 1;; esac'
                      % " ".join(installed),
        "id": 'echo %d' % uid,
        "apt-get": 'echo "apt-get $*" >> %s' % log,
        "service": 'echo "service $*" >> %s' % log,
        "grep": 'exec /bin/grep "$@"',
        "locale": "printf '%s\\n' " + " ".join(locales),
        "localedef": 'echo "localedef $*" >> %s' % log,
    }
    if sudo:
        scripts["sudo"] = 'echo "sudo $1" >> %s; "$@"' % log
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text("#!/bin/bash\n" + body + "\n")
        path.chmod(0o755)
    return str(bin_dir), log


def run(tmp_path, profile, installed, uid, sudo=True, **locales):
    bin_dir, log = fake_bin(tmp_path, installed, uid, sudo, **locales)
    proc = subprocess.run(["/bin/bash", SCRIPT, profile], capture_output=True, text=True, check=False,
                          env={"PATH": bin_dir, "HOME": str(tmp_path)})
    calls = log.read_text().splitlines() if log.exists() else []
    return proc, calls


def profile_packages(profile):
    """The packages the script lists for a profile, read from the script itself (one list to keep)."""
    with open(SCRIPT) as handle:
        found = re.search(r"^\s*%s\) packages=\(([^)]*)\)" % profile, handle.read(), re.M)
    return found.group(1).split()


def test_nothing_missing_runs_nothing(tmp_path):
    proc, calls = run(tmp_path, "demo", ["nginx"], uid=0)
    assert proc.returncode == 0 and "system packages (demo): all present" in proc.stdout
    assert calls == []


def test_root_installs_only_what_is_missing(tmp_path):
    proc, calls = run(tmp_path, "demo", [], uid=0)
    assert proc.returncode == 0, proc.stderr
    assert "apt-get install -y -qq --no-install-recommends nginx" in calls
    assert not any(c.startswith("sudo") for c in calls)


def test_a_user_with_sudo_installs_through_sudo(tmp_path):
    proc, calls = run(tmp_path, "demo", [], uid=1000)
    assert proc.returncode == 0, proc.stderr
    assert "sudo apt-get" in calls and "apt-get install -y -qq --no-install-recommends nginx" in calls


def test_without_root_or_sudo_the_packages_and_the_command_are_named(tmp_path):
    proc, calls = run(tmp_path, "demo", [], uid=1000, sudo=False)
    assert proc.returncode == 1 and calls == []
    assert "The demo needs Debian packages that are not installed: nginx." in proc.stderr
    assert "apt-get install --no-install-recommends nginx" in proc.stderr


@pytest.mark.parametrize("profile", ["test"])
def test_the_test_profile_adds_the_servers(tmp_path, profile):
    proc, calls = run(tmp_path, profile, ["nginx", "postgresql"], uid=0)
    assert proc.returncode == 0, proc.stderr
    (install,) = [c for c in calls if c.startswith("apt-get install")]
    assert "nginx" not in install.split() and "postgresql" not in install.split()
    assert {"mariadb-server", "bind9", "pebble", "chromium"} <= set(install.split())


def test_the_test_profile_compiles_the_locale_ansible_test_runs_in_when_it_is_missing(tmp_path):
    test_packages = profile_packages("test")
    proc, calls = run(tmp_path, "test", test_packages, uid=1000, locales=("C", "C.utf8", "POSIX"))
    assert proc.returncode == 0, proc.stderr
    assert calls == ["sudo localedef", "localedef -i en_US -f UTF-8 en_US.UTF-8"]
    # Once it is there, nothing runs; the demo never needs it.
    for profile, locales in (("test", ("C", "en_US.utf8")), ("demo", ("C",))):
        scratch = tmp_path / profile
        scratch.mkdir()
        proc, calls = run(scratch, profile, test_packages, uid=1000, locales=locales)
        assert proc.returncode == 0 and calls == [] and "all present" in proc.stdout, profile


def test_without_root_or_sudo_a_missing_locale_is_named_with_its_command(tmp_path):
    proc, calls = run(tmp_path, "test", [], uid=1000, sudo=False, locales=("C",))
    assert proc.returncode == 1 and calls == []
    assert "localedef -i en_US -f UTF-8 en_US.UTF-8" in proc.stderr and "apt-get install" in proc.stderr


def test_an_unknown_profile_is_refused(tmp_path):
    proc, _calls = run(tmp_path, "everything", [], uid=0)
    assert proc.returncode == 2 and "usage:" in proc.stderr
