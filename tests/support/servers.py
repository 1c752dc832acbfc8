# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start PostgreSQL and MariaDB from Debian's packages on loopback, in a scratch directory, for tests.

Used by the pytest fixtures and, as a command, by the molecule scenarios:
    python tests/support/servers.py start postgresql DIR PORT   -> prints the panel_db mapping as JSON
    python tests/support/servers.py stop DIR
    python tests/support/servers.py migrate DIR                 -> runs the panel's migrations on it
Servers run only on 127.0.0.1 and are stopped by their PID.
"""
from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DB_NAME = "panel"
DB_USER = "panel"
DB_PASSWORD = "panel-test-password"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bindir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _mariadb_bins():
    return shutil.which("mariadbd") or (os.path.exists("/usr/sbin/mariadbd") and "/usr/sbin/mariadbd"), \
        shutil.which("mariadb-install-db"), shutil.which("mariadb")


def missing(engine):
    """Why `engine` cannot be started here, or None."""
    if engine == "postgresql" and not _pg_bindir():
        return "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin): apt-get install postgresql"
    if engine == "mariadb" and not all(_mariadb_bins()):
        return "MariaDB server binaries not found: apt-get install mariadb-server"
    return None


def _wait_port(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("server on 127.0.0.1:%d did not come up in %d s" % (port, timeout))


def _as_postgres(cmd, **kwargs):
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    return _run(cmd, **kwargs)


def _run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if proc.returncode:
        raise RuntimeError("%s failed (%d): %s%s" % (" ".join(cmd), proc.returncode, proc.stdout, proc.stderr))
    return proc


def start_postgresql(base, port):
    bindir = _pg_bindir()
    data, sock = os.path.join(base, "data"), os.path.join(base, "sock")
    os.makedirs(sock, exist_ok=True)
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        for path in (base, sock):
            os.chown(path, pw.pw_uid, pw.pw_gid)
    if not os.path.exists(os.path.join(data, "PG_VERSION")):
        _as_postgres([os.path.join(bindir, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"])
    _as_postgres([os.path.join(bindir, "pg_ctl"), "-D", data, "-l", os.path.join(base, "server.log"), "-w",
                  "-o", "-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off" % (port, sock), "start"])
    psql = [os.path.join(bindir, "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-v",
            "ON_ERROR_STOP=1", "-q", "-c"]
    exists = _as_postgres(psql[:-1] + ["-tAc", "SELECT 1 FROM pg_roles WHERE rolname = '%s'" % DB_USER]).stdout
    if not exists.strip():
        _as_postgres(psql + ["CREATE ROLE %s LOGIN CREATEDB PASSWORD '%s'" % (DB_USER, DB_PASSWORD)])
        _as_postgres(psql + ["CREATE DATABASE %s OWNER %s" % (DB_NAME, DB_USER)])
    info = dict(engine="postgresql", host="127.0.0.1", port=port, name=DB_NAME, user=DB_USER,
                password=DB_PASSWORD)
    _save(base, info, stop=[os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"])
    return info


def start_mariadb(base, port):
    mariadbd, install_db, client = _mariadb_bins()
    data, sock = os.path.join(base, "data"), os.path.join(base, "mysqld.sock")
    user = ["--user=root"] if os.geteuid() == 0 else []
    if not os.path.isdir(os.path.join(data, "mysql")):
        _run([install_db, "--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal",
              "--skip-test-db"] + user)
    # The server keeps its own copy of the log descriptor; ours is closed once it has started.
    with open(os.path.join(base, "server.log"), "ab") as log:
        proc = subprocess.Popen(
            [mariadbd, "--no-defaults", "--datadir=" + data, "--bind-address=127.0.0.1", "--port=%d" % port,
             "--socket=" + sock, "--pid-file=" + os.path.join(base, "mariadb.pid"), "--skip-name-resolve",
             "--innodb-flush-log-at-trx-commit=0", "--skip-log-bin"] + user,
            stdout=log, stderr=log, start_new_session=True)
    _wait_port(port)
    sql = ("CREATE DATABASE IF NOT EXISTS {db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
           "CREATE USER IF NOT EXISTS '{u}'@'127.0.0.1' IDENTIFIED BY '{p}';"
           "GRANT ALL PRIVILEGES ON *.* TO '{u}'@'127.0.0.1';FLUSH PRIVILEGES;").format(
        db=DB_NAME, u=DB_USER, p=DB_PASSWORD)
    _run([client, "--no-defaults", "-uroot", "--socket=" + sock, "-e", sql])
    info = dict(engine="mariadb", host="127.0.0.1", port=port, name=DB_NAME, user=DB_USER, password=DB_PASSWORD)
    _save(base, info, pid=proc.pid)
    return info


def _save(base, info, stop=None, pid=None):
    with open(os.path.join(base, "server.json"), "w") as handle:
        json.dump(dict(info=info, stop=stop, pid=pid), handle)


def start(engine, base, port=None):
    os.makedirs(base, exist_ok=True)
    port = port or free_port()
    return (start_postgresql if engine == "postgresql" else start_mariadb)(base, port)


def stop(base):
    path = os.path.join(base, "server.json")
    if not os.path.exists(path):
        return
    with open(path) as handle:
        state = json.load(handle)
    if state.get("stop"):
        try:
            _as_postgres(state["stop"])
        except RuntimeError:
            pass
    elif state.get("pid"):
        try:
            os.kill(state["pid"], signal.SIGTERM)
            for dummy in range(100):
                os.kill(state["pid"], 0)
                time.sleep(0.1)
        except ProcessLookupError:
            pass
    os.unlink(path)


def panel_env(info):
    """Environment variables that point the panel (manage.py, gunicorn) at a panel_db mapping."""
    env = dict(PANEL_DB_ENGINE=info["engine"])
    if info["engine"] == "sqlite":
        env["PANEL_DB_PATH"] = info["path"]
    else:
        env.update(PANEL_DB_HOST=info["host"], PANEL_DB_PORT=str(info["port"]), PANEL_DB_NAME=info["name"],
                   PANEL_DB_USER=info["user"], PANEL_DB_PASSWORD=info["password"])
    return env


def migrate(info, state_dir=None):
    """Run the panel's migrations against `info` (a panel_db mapping)."""
    env = dict(os.environ, **panel_env(info))
    if state_dir:
        env["PANEL_STATE_DIR"] = state_dir
    subprocess.run([sys.executable, os.path.join(REPO, "panel", "manage.py"), "migrate", "--no-input", "-v0"],
                   check=True, env=env)


def main(argv):
    if argv[:1] == ["start"]:
        engine, base = argv[1], os.path.abspath(argv[2])
        port = int(argv[3]) if len(argv) > 3 else None
        print(json.dumps(start(engine, base, port)))
    elif argv[:1] == ["stop"]:
        stop(os.path.abspath(argv[1]))
    elif argv[:1] == ["migrate"]:
        with open(os.path.join(os.path.abspath(argv[1]), "server.json")) as handle:
            migrate(json.load(handle)["info"], state_dir=os.path.abspath(argv[1]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
