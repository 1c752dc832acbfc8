# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The panel database on a real PostgreSQL: its password never shows, and when the server goes away in the
middle of a seeding batch nothing partial is committed and the next run converges."""
from __future__ import annotations

import os
import subprocess
import threading
import time

import pytest
import yaml

from tests.reliability.conftest import converge
from tests.reliability.site import Site
from tests.reliability.test_secrets import logs_of
from tests.support import servers

pytestmark = pytest.mark.skipif(servers.missing("postgresql") is not None, reason="PostgreSQL is not installed")

DB_PASSWORD = "Pg-pr0visioner-S3cret"
N = 1500


@pytest.fixture(scope="module")
def pg_site(scratch):
    import psycopg
    base = os.path.join(scratch, "postgresql")
    spec = servers.start("postgresql", base)
    try:
        with psycopg.connect(host=spec["host"], port=spec["port"], dbname=spec["name"], user=spec["user"],
                             password=spec["password"], autocommit=True) as conn:
            conn.execute("ALTER ROLE %s PASSWORD '%s'" % (spec["user"], DB_PASSWORD))
        spec["password"] = DB_PASSWORD
        site = Site(os.path.join(scratch, "pg-site"), panel_db=spec)
        site.server_dir = base
        try:
            site.runs = converge(site)
            yield site
        finally:
            site.stop()
    finally:
        servers.stop(base)


def test_database_password_never_shown(pg_site):
    site = pg_site
    runs = site.runs
    texts = {"first run": runs[0].output, "re-run": runs[1].output}
    texts.update(logs_of(site))
    assert os.path.join(site.state, "ansible.log") in texts
    assert [where for where, text in texts.items() if DB_PASSWORD in text] == []
    # The panel's environment file holds it, readable by its owner only.
    with open(os.path.join(site.state, "panel.env")) as handle:
        assert DB_PASSWORD in handle.read()
    assert os.stat(os.path.join(site.state, "panel.env")).st_mode & 0o777 == 0o600


def advisory_lock_held(spec):
    import psycopg
    try:
        with psycopg.connect(host=spec["host"], port=spec["port"], dbname=spec["name"], user=spec["user"],
                             password=spec["password"], autocommit=True, connect_timeout=2) as conn:
            return conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                                ).fetchone()[0] > 0
    except psycopg.Error:
        return False


def stop_immediately(base):
    """The server dies as on a crash (no clean shutdown, open transactions just vanish)."""
    bindir = servers._pg_bindir()  # pylint: disable=protected-access
    subprocess.run(["runuser", "-u", "postgres", "--", os.path.join(bindir, "pg_ctl"), "-D",
                    os.path.join(base, "data"), "-m", "immediate", "-w", "stop"], check=True, capture_output=True)


def test_database_gone_mid_batch_commits_nothing_and_the_next_run_converges(pg_site):
    site = pg_site
    resellers = [dict(name="bulk%04d" % i, state="present", company="Bulk %d" % i, email="ops@bulk%d.test" % i,
                      currency="EUR", plan="reseller-wholesale",
                      enduser_panel_url="https://panel.bulk%d.test:%d/" % (i, site.ports["one"]["https"]))
                 for i in range(N)]
    with open(os.path.join(site.root, "bulk.yml"), "w") as handle:
        yaml.safe_dump({"panel_resellers": resellers}, handle)
    playbook = os.path.join(site.root, "seed.yml")
    with open(playbook, "w") as handle:
        handle.write("- name: Seed a large batch\n  hosts: panel_app\n  gather_facts: false\n  roles:\n"
                     "    - role: panelops.reseller.resellers\n")
    before = site.dump()
    proc = site.popen("-e", "@" + os.path.join(site.root, "bulk.yml"), playbook=playbook)
    output = []
    reader = threading.Thread(target=lambda: output.append(proc.stdout.read()), daemon=True)
    reader.start()
    # Wait until the batch holds the panel lock (its transaction is open), then let it write for a moment.
    deadline = time.monotonic() + 300
    while not advisory_lock_held(site.db_spec) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the batch finished before the fault could be injected:\n" + "".join(output)
    stop_immediately(site.server_dir)
    proc.wait(timeout=600)
    reader.join(timeout=60)
    text = "".join(output)
    assert proc.returncode != 0, "the batch committed before the server went away; raise N:\n" + text[-3000:]
    assert "TASK [panelops.reseller.resellers : Seed the resellers" in text
    assert "postgresql database error:" in text and "server closed the connection" in text, text[-4000:]
    servers.start("postgresql", site.server_dir, port=site.db_spec["port"])
    assert site.dump() == before
    # The next run converges: every reseller of the batch is there.
    rerun = site.run("-e", "@" + os.path.join(site.root, "bulk.yml"), playbook=playbook)
    assert rerun.returncode == 0, rerun.output[-4000:]
    dump = site.dump()
    assert all("bulk%04d" % i in dump for i in (0, N // 2, N - 1))
