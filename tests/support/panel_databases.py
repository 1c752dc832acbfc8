# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest fixtures: a freshly migrated panel database on SQLite, PostgreSQL and MariaDB.

The servers start once per session on free loopback ports (tests/support/servers.py) and the panel's
migrations run once per engine; each test then gets an emptied database with the migrations' settings.
PostgreSQL and MariaDB tests are skipped only when the server binaries are missing (`make test` installs them;
set PANELOPS_REQUIRE_ALL_ENGINES=1, as CI does, to turn a missing engine into a failure instead).
"""
from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from tests.support import servers

ENGINES = ("sqlite", "postgresql", "mariadb")


class _Engines(object):
    def __init__(self, base):
        self.base = base
        self.specs = {}
        self.dirs = {}

    def spec(self, engine):
        if engine not in self.specs:
            why = servers.missing(engine)
            if why:
                if os.environ.get("PANELOPS_REQUIRE_ALL_ENGINES"):
                    pytest.fail("%s (PANELOPS_REQUIRE_ALL_ENGINES is set)" % why)
                pytest.skip(why)
            if engine == "sqlite":
                spec = dict(engine="sqlite", path=os.path.join(self.base, "template.sqlite3"))
            else:
                # Not under pytest's tmp dir: that is private to root, and PostgreSQL runs as `postgres`.
                self.dirs[engine] = tempfile.mkdtemp(prefix="panelops-%s-" % engine)
                spec = servers.start(engine, self.dirs[engine])
            servers.migrate(spec, state_dir=self.base)
            self.specs[engine] = spec
        return self.specs[engine]

    def stop(self):
        for path in self.dirs.values():
            servers.stop(path)
            shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def panel_engines(tmp_path_factory):
    engines = _Engines(str(tmp_path_factory.mktemp("panel-engines")))
    yield engines
    engines.stop()


def _reset(spec, baseline):
    """Empty every panel table and put back the migrations' settings, in one transaction."""
    from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import connect

    db = connect(spec)
    try:
        tables = db.panel_tables()
        if db.engine == "mariadb":
            db.execute("SET FOREIGN_KEY_CHECKS = 0")
            for table in tables:
                db.execute("DELETE FROM %s" % table)
            db.execute("SET FOREIGN_KEY_CHECKS = 1")
        elif db.engine == "postgresql":
            db.execute("TRUNCATE %s RESTART IDENTITY CASCADE" % ", ".join(tables))
        for key, text in baseline:
            db.insert_setting(key, text)
    finally:
        db.close()


@pytest.fixture(params=ENGINES)
def panel_db(request, panel_engines, tmp_path):
    """A `panel_db` mapping for an empty, migrated panel database on each engine."""
    spec = panel_engines.spec(request.param)
    if spec["engine"] == "sqlite":
        path = str(tmp_path / "panel.sqlite3")
        shutil.copyfile(spec["path"], path)
        return dict(spec, path=path)
    if "baseline" not in spec:
        from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import connect

        db = connect(spec)
        q = db.quote
        spec["baseline"] = [(r["key"], r["value"]) for r in db.query(
            "SELECT %s, %s FROM panel_setting" % (q("key"), q("value")))]
        db.close()
    _reset(spec, spec["baseline"])
    return dict((k, v) for k, v in spec.items() if k != "baseline")
