"""Run the panel's test suite once per database engine, against servers started on loopback.

    python panel/tests/run_engines.py postgresql mariadb

Each engine's server starts in a scratch directory on a free port (tests/support/servers.py) and is stopped by
its PID afterwards; pytest-django creates and drops its own test database on it. The gunicorn test
(test_served.py) runs on SQLite only: it is about serving, not about the engine.
"""
import os
import shutil
import subprocess
import sys
import tempfile

PANEL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(PANEL_DIR))

from tests.support import servers  # noqa: E402


def run(engine):
    why = servers.missing(engine)
    if why:
        print("%s: skipped (%s)" % (engine, why))
        return 0 if not os.environ.get("PANELOPS_REQUIRE_ALL_ENGINES") else 1
    base = tempfile.mkdtemp(prefix="panel-tests-%s-" % engine)
    try:
        info = servers.start(engine, base)
        env = dict(os.environ, **servers.panel_env(info))
        env["PANEL_STATE_DIR"] = base
        print("%s: running the panel tests on 127.0.0.1:%s" % (engine, info["port"]), flush=True)
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "--deselect", "tests/test_served.py"], cwd=PANEL_DIR, env=env, check=False).returncode
    finally:
        servers.stop(base)
        shutil.rmtree(base, ignore_errors=True)


def main(engines):
    failed = [engine for engine in engines if run(engine)]
    if failed:
        print("panel tests failed on: %s" % ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["postgresql", "mariadb"]))
