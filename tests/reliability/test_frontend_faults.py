# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults injected for real into a converged two-frontend deployment: each run fails clearly and leaves the
previous state intact, and the next run (fault removed) converges."""
from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import ssl
import sqlite3
import subprocess
import threading
import time

import pytest

from tests.reliability.site import recap


def add_reseller(site, name, fqdn):
    site.vars["panel_resellers"].append(dict(
        name=name, state="present", company=name.title(), email="ops@%s.test" % name, currency="EUR",
        plan="reseller-wholesale", enduser_panel_url="https://%s:%d/" % (fqdn, site.ports["one"]["https"])))
    site.write_inventory()


def frontend_tree(site, host):
    return {path: value for path, value in site.trees().items() if path.startswith(site.prefix(host) + "/")}


def workers(site, host):
    """The master's pid and its worker pids: a reload replaces the workers."""
    master = site.nginx_master(host)
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True,
                         check=False).stdout
    return master, sorted(out.split())


def frontend_play(output):
    return output.split("PLAY [Configure the frontends", 1)[-1]


def assert_converged(site, fqdn):
    proc = site.run()
    assert proc.returncode == 0, proc.output[-4000:]
    for host in ("one", "two"):
        assert site.nginx_test(host).returncode == 0
        assert os.path.exists(os.path.join(site.prefix(host), "sites", fqdn + ".conf"))
        resp, _body = site.https_get(host, fqdn, "/healthz")
        assert resp.status == 200


def test_nginx_t_failure_keeps_the_frontend_and_stops_before_the_next(fault_site):
    site = fault_site
    foreign = os.path.join(site.prefix("one"), "sites", "zz-foreign.conf")
    with open(foreign, "w") as handle:
        handle.write("this_is_not_a_directive on;\n")
    before_one, before_two = frontend_tree(site, "one"), frontend_tree(site, "two")
    pids_one, pids_two = workers(site, "one"), workers(site, "two")
    add_reseller(site, "initech", "panel.initech.test")
    try:
        proc = site.run()
        assert proc.returncode != 0
        # nginx's own error, with the file it is about.
        assert 'unknown directive "this_is_not_a_directive"' in proc.output
        assert "zz-foreign.conf" in proc.output
        # Frontend one keeps its old vhosts and is not reloaded; frontend two is not even visited.
        assert frontend_tree(site, "one") == before_one
        assert workers(site, "one") == pids_one
        assert frontend_tree(site, "two") == before_two
        assert workers(site, "two") == pids_two
        assert "[two]" not in frontend_play(proc.output)
        assert recap(proc.output)["one"]["failed"] == 1
    finally:
        os.unlink(foreign)
    assert_converged(site, "panel.initech.test")


@contextlib.contextmanager
def immutable(path):
    """A directory nobody can write into, root included (the ext4 immutable flag)."""
    subprocess.run(["chattr", "+i", path], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", path], check=True)


@pytest.mark.parametrize("directory", ["sites", "tls"])
def test_read_only_target_directory_keeps_old_files(fault_site, directory):
    site = fault_site
    name = "hooli" if directory == "sites" else "umbrella"
    fqdn = "panel.%s.test" % name
    add_reseller(site, name, fqdn)
    before = frontend_tree(site, "one")
    pids = workers(site, "one")
    with immutable(os.path.join(site.prefix("one"), directory)):
        proc = site.run()
    assert proc.returncode != 0
    assert "Operation not permitted" in proc.output, proc.output[-4000:]
    assert os.path.join(site.prefix("one"), directory) in proc.output
    assert frontend_tree(site, "one") == before
    assert workers(site, "one") == pids
    assert site.nginx_test("one").returncode == 0
    assert_converged(site, fqdn)


@contextlib.contextmanager
def sqlite_write_lock(path):
    """Hold the panel database's write lock the way a run does (BEGIN IMMEDIATE)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_a_held_panel_lock_makes_a_run_fail_clearly_after_lock_timeout(fault_site):
    site = fault_site
    add_reseller(site, "vandelay", "panel.vandelay.test")
    before = site.dump()
    spec = dict(site.db_spec, lock_timeout=3)
    with sqlite_write_lock(site.db_spec["path"]):
        proc = site.run("-e", json.dumps({"panel_db": spec}))
    assert proc.returncode != 0
    assert "locked by another run (waited 3 s)" in proc.output, proc.output[-4000:]
    assert site.dump() == before


def test_two_runs_at_once_serialize_and_lose_nothing(fault_site):
    site = fault_site
    add_reseller(site, "soylent", "panel.soylent.test")
    first, second = site.popen(), site.popen()
    outputs = [first.communicate(timeout=900)[0], second.communicate(timeout=900)[0]]
    assert first.returncode == 0, outputs[0][-4000:]
    assert second.returncode == 0, outputs[1][-4000:]
    rows = [row for row in site.dump().splitlines() if "soylent" in row.lower()]
    assert rows
    final = site.run()
    assert final.returncode == 0
    counters = recap(final.output)
    assert counters["one"]["changed"] == 0 and counters["two"]["changed"] == 0, final.output[-4000:]
    for host in ("one", "two"):
        assert site.nginx_test(host).returncode == 0


def test_a_run_killed_at_a_random_point_is_repaired_by_the_next(fault_site):
    site = fault_site
    add_reseller(site, "tyrell", "panel.tyrell.test")
    seed = int(os.environ.get("RELIABILITY_KILL_SEED", time.time()))
    delay = random.Random(seed).uniform(2.0, 14.0)
    proc = site.popen(start_new_session=True)
    timer = threading.Timer(delay, lambda: os.killpg(proc.pid, signal.SIGKILL))
    timer.start()
    proc.communicate(timeout=900)
    timer.cancel()
    print("killed after %.1f s (RELIABILITY_KILL_SEED=%d), exit %s" % (delay, seed, proc.returncode))
    for host in ("one", "two"):
        # Whatever the moment, nginx's configuration is never left half-written.
        test = site.nginx_test(host)
        # (temporary files are dot-files: nginx's include glob never picks one up half-written)
        assert test.returncode == 0, test.stderr
    assert_converged(site, "panel.tyrell.test")


def test_a_run_killed_after_writing_vhosts_and_before_the_reload_is_reloaded_by_the_next(fault_site, tmp_path):
    site = fault_site
    add_reseller(site, "wonka", "panel.wonka.test")
    # The reseller task reloads in the same module run, right after nginx -t: this run's reload only says that it
    # started (naming the module process that runs it and itself), then waits. The module is killed there, as a
    # frontend losing it (OOM killer, reboot) would, between the tested files and the reload; and the run with it.
    started = tmp_path / "reload-started"
    stalled = ["/bin/sh", "-c", 'echo "$PPID $$" > "$1.tmp" && mv "$1.tmp" "$1"; sleep 60', "stalled-reload",
               str(started)]
    proc = site.popen("-e", json.dumps({"panel_nginx_effective_reload": stalled}), start_new_session=True)
    output = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + 600
    while not started.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists(), "".join(output)[-4000:]
    for pid in started.read_text().split():
        os.kill(int(pid), signal.SIGKILL)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert "TASK [panelops.reseller.reseller_frontends : Install every reseller vhost" in "".join(output)
    assert os.path.exists(os.path.join(site.prefix("one"), "sites", "panel.wonka.test.conf"))
    assert os.path.exists(os.path.join(site.prefix("one"), "tls", ".reload-pending"))
    # nginx still runs the old configuration: the new vhost is not served yet (an unknown name, whose TLS
    # handshake the default server refuses).
    with pytest.raises(ssl.SSLError, match="UNRECOGNIZED_NAME"):
        site.https_get("one", "panel.wonka.test", "/healthz")
    assert_converged(site, "panel.wonka.test")
    assert not os.path.exists(os.path.join(site.prefix("one"), "tls", ".reload-pending"))


def test_a_provider_change_that_fails_its_check_restores_the_provider_set_alone(fault_site):
    site = fault_site
    add_reseller(site, "massive", "panel.massive.test")
    # The reseller set's last change: made, reloaded and checked healthy by this run.
    proc = site.run()
    assert proc.returncode == 0, proc.output[-4000:]
    before_one, before_two = frontend_tree(site, "one"), frontend_tree(site, "two")
    # A change of the provider's vhost alone (its staff allow-list), and a check that cannot pass (a path that
    # does not answer 200). The reseller task reports changed only for the reload the provider's change left
    # pending: it wrote nothing, so there is nothing of it to undo.
    proc = site.run("-e", json.dumps({"panel_nginx_staff_allow": ["127.0.0.9"],
                                      "panel_frontend_health_path": "/no-such-page"}))
    assert proc.returncode != 0
    assert "Its previous files (provider) were restored" in proc.output, proc.output[-4000:]
    # Everything is as before the failed run, the new reseller's vhost included; only the record of the provider
    # set's previous change was used up by the restore.
    record = os.path.join(site.prefix("one"), "tls", ".nginx_sites-provider.previous.json")
    assert record in before_one
    assert frontend_tree(site, "one") == {path: value for path, value in before_one.items() if path != record}
    assert frontend_tree(site, "two") == before_two
    assert_converged(site, "panel.massive.test")


@contextlib.contextmanager
def reloads_go_astray(site, host):
    """nginx's pid file names another process, one that ignores SIGHUP (a pid file left by an nginx started some
    other way): the reload command succeeds and nginx keeps serving its previous configuration."""
    pid_file = os.path.join(site.prefix(host), "nginx.pid")
    with open(pid_file) as handle:
        real = handle.read()
    decoy = subprocess.Popen(["sleep", "900"], preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    try:
        with open(pid_file, "w") as handle:
            handle.write("%d\n" % decoy.pid)
        yield
    finally:
        with open(pid_file, "w") as handle:
            handle.write(real)
        decoy.kill()
        decoy.wait()


def test_a_reload_that_never_took_effect_fails_on_the_new_host_and_is_rolled_back(fault_site):
    site = fault_site
    before_one, before_two = frontend_tree(site, "one"), frontend_tree(site, "two")
    add_reseller(site, "cyberdyne", "panel.cyberdyne.test")
    with reloads_go_astray(site, "one"):
        proc = site.run()
    assert proc.returncode != 0
    # The hosts that existed before still answered (from the old configuration); the new one did not.
    assert "panel.cyberdyne.test" in frontend_play(proc.output)
    assert "failed its health check after the reload" in proc.output
    assert "Its previous files (resellers) were restored" in proc.output
    # The run summary tells the operator the same: the row's vhost change was undone, and the check failed.
    assert "vhost created on one, then rolled back (health check failed)" in proc.output
    assert "FAILED: frontend_health on one: health check of" in proc.output
    assert not os.path.exists(os.path.join(site.prefix("one"), "sites", "panel.cyberdyne.test.conf"))
    assert frontend_tree(site, "two") == before_two
    assert "[two]" not in frontend_play(proc.output)
    assert recap(proc.output)["one"]["failed"] == 1
    # Its vhosts and certificates are back as they were; the record of the previous change was used up by the restore.
    record = os.path.join(site.prefix("one"), "tls", ".nginx_sites-resellers.previous.json")
    assert frontend_tree(site, "one") == {path: value for path, value in before_one.items() if path != record}
    assert_converged(site, "panel.cyberdyne.test")
