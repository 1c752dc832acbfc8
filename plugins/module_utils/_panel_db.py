# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One connection layer over the panel database for SQLite, PostgreSQL (psycopg 3) and MariaDB (PyMySQL).

Everything the modules write goes through `PanelDB.transaction()`: one transaction per module call, taken
under a panel-wide lock so two provisioner runs serialize instead of interleaving, rolled back whole on any
error. SQL is written once with `?` placeholders; `_sql()` converts them for the driver.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import json
import time
import traceback

SCHEMA_VERSION = 3
# The same name for every engine's lock, so runs against one panel serialize.
LOCK_NAME = "panelops.reseller"
# A stable 64-bit key for PostgreSQL's advisory lock (crc of LOCK_NAME would also do; a literal stays greppable).
PG_LOCK_KEY = 7305872301

# The driver of each server engine, imported on first use: a run against SQLite never pays for importing
# psycopg (0.3 s) and PyMySQL (0.15 s) in each of the several module runs of a site.yml.
DRIVERS = {"postgresql": ("psycopg", "psycopg"), "mariadb": ("pymysql", "PyMySQL")}

import sqlite3

from ansible_collections.panelops.reseller.plugins.module_utils._canonical import canonical_json
from ansible_collections.panelops.reseller.plugins.module_utils._locks import LockTimeout
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db_spec import (
    DEFAULT_LOCK_TIMEOUT,
    ENGINES,
    validate_spec,
)

# Values bound into one `IN (...)` list at most: well below every engine's limit on a statement's parameters.
IN_CHUNK = 500

# The argument spec every module shares for its `db` option.
DB_ARGUMENT_SPEC = dict(
    type="dict",
    required=True,
    options=dict(
        engine=dict(type="str", default="sqlite", choices=list(ENGINES)),
        path=dict(type="path"),
        host=dict(type="str", default="127.0.0.1"),
        port=dict(type="int"),
        name=dict(type="str"),
        user=dict(type="str"),
        password=dict(type="str", no_log=True),
        lock_timeout=dict(type="int", default=DEFAULT_LOCK_TIMEOUT),
    ),
)


class PanelDBError(Exception):
    """A database problem explained in words an operator can act on.

    Waiting too long for another run's panel lock raises _locks.LockTimeout, the collection's one lock error.
    """


def missing_library(spec):
    """The (library, traceback) a connection to this engine lacks, or None."""
    engine = (spec or {}).get("engine") or "sqlite"
    if engine in DRIVERS:
        try:
            driver(engine)
        except ImportError:
            return DRIVERS[engine][1], traceback.format_exc()
    return None


def driver(engine):
    """The DB-API module of a server engine (`postgresql` or `mariadb`); raises ImportError without it."""
    return importlib.import_module(DRIVERS[engine][0])


def connect(spec):
    """Open a connection from a `panel_db` mapping; raises PanelDBError with a readable message."""
    problems = validate_spec(spec)
    if problems:
        raise PanelDBError("; ".join(problems))
    engine = spec.get("engine") or "sqlite"
    lock_timeout = int(spec.get("lock_timeout") or DEFAULT_LOCK_TIMEOUT)
    try:
        if engine == "sqlite":
            # isolation_level=None: transactions are begun explicitly (BEGIN IMMEDIATE) by transaction().
            conn = sqlite3.connect(spec["path"], timeout=lock_timeout, isolation_level=None)
            conn.execute("PRAGMA foreign_keys = ON")
        elif engine == "postgresql":
            conn = driver(engine).connect(
                host=spec.get("host") or "127.0.0.1",
                port=spec.get("port") or 5432,
                dbname=spec["name"],
                user=spec["user"],
                password=spec.get("password") or None,
                connect_timeout=10,
                autocommit=True,
            )
        else:
            conn = driver(engine).connect(
                host=spec.get("host") or "127.0.0.1",
                port=int(spec.get("port") or 3306),
                database=spec["name"],
                user=spec["user"],
                password=spec.get("password") or "",
                connect_timeout=10,
                charset="utf8mb4",
                autocommit=True,
            )
    except Exception as exc:  # driver-specific classes; all mean the same to the operator
        where = spec.get("path") if engine == "sqlite" else "%s:%s/%s" % (
            spec.get("host") or "127.0.0.1", spec.get("port") or "", spec.get("name"))
        raise PanelDBError("cannot connect to the %s panel database at %s: %s" % (engine, where, _one_line(exc)))
    return PanelDB(engine, conn, lock_timeout)


def _one_line(exc):
    return " ".join(str(exc).split()) or exc.__class__.__name__


class PanelDB(object):
    """A connection plus the few operations the modules need, identical on every engine."""

    def __init__(self, engine, conn, lock_timeout=DEFAULT_LOCK_TIMEOUT):
        self.engine = engine
        self.conn = conn
        self.lock_timeout = lock_timeout
        self._cursor = conn.cursor()
        self._in_transaction = False

    # -- SQL plumbing ---------------------------------------------------------------------------------
    def quote(self, identifier):
        """Quote an identifier (`key` is a reserved word on MariaDB)."""
        if self.engine == "mariadb":
            return "`%s`" % identifier
        return '"%s"' % identifier

    def _sql(self, sql):
        if self.engine == "sqlite":
            return sql
        # psycopg and PyMySQL use %s; a literal % must be doubled. Queries never hold a literal '?'.
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql, params=()):
        try:
            self._cursor.execute(self._sql(sql), tuple(params))
        except Exception as exc:
            raise PanelDBError("%s database error: %s" % (self.engine, _one_line(exc)))
        return self._cursor

    def query(self, sql, params=()):
        """Rows as dicts keyed by column name."""
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    @staticmethod
    def _in_chunks(sql, values, params=()):
        """(statement, parameters) for each chunk of `values`, its `IN (%s)` filled with one placeholder a value,
        the parameters `params` (those of the placeholders before the list) followed by the chunk."""
        values = list(values)
        for start in range(0, len(values), IN_CHUNK):
            chunk = values[start:start + IN_CHUNK]
            yield sql % ", ".join("?" for dummy in chunk), list(params) + chunk

    def query_in(self, sql, values, params=()):
        """The rows of `sql` (whose last parameter is `IN (%s)`, after `params`) for every value, IN_CHUNK values
        a query."""
        rows = []
        for statement, chunk in self._in_chunks(sql, values, params):
            rows.extend(self.query(statement, chunk))
        return rows

    def execute_in(self, sql, values, params=()):
        """Run `sql` (whose last parameter is `IN (%s)`, after `params`) over every value, IN_CHUNK values a
        statement."""
        for statement, chunk in self._in_chunks(sql, values, params):
            self.execute(statement, chunk)

    def insert(self, table, row):
        """Insert one row and return its id."""
        cols = list(row)
        sql = "INSERT INTO %s (%s) VALUES (%s)" % (
            table, ", ".join(self.quote(c) for c in cols), ", ".join(["?"] * len(cols)))
        if self.engine == "postgresql":
            return self.execute(sql + " RETURNING id", [row[c] for c in cols]).fetchone()[0]
        return self.execute(sql, [row[c] for c in cols]).lastrowid

    def update(self, table, key, changes, key_column="id"):
        if not changes:
            return
        cols = list(changes)
        sql = "UPDATE %s SET %s WHERE %s = ?" % (
            table, ", ".join("%s = ?" % self.quote(c) for c in cols), self.quote(key_column))
        self.execute(sql, [changes[c] for c in cols] + [key])

    def now(self):
        """The current time as each engine's Django backend stores it (UTC)."""
        now = datetime.datetime.now(datetime.timezone.utc)
        if self.engine == "postgresql":
            return now
        naive = now.replace(tzinfo=None)
        if self.engine == "sqlite":
            return naive.isoformat(" ")
        return naive

    # -- transactions and locking ---------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, check_mode=False):
        """One transaction under the panel-wide lock; rolled back on error, and always in check mode.

        Check mode runs the very same reads and writes, then rolls back, so a dry run reports exactly
        what a real run would do and leaves the database byte-identical.
        """
        if self._in_transaction:
            raise PanelDBError("nested transaction")
        self._begin()
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self._rollback()
            raise
        else:
            if check_mode:
                self._rollback()
            else:
                self._commit()
        finally:
            self._in_transaction = False

    def _begin(self):
        started = time.monotonic()
        if self.engine == "sqlite":
            # BEGIN IMMEDIATE takes the write lock now; sqlite3's timeout bounds the wait.
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc):
                    raise LockTimeout(
                        "the panel database is locked by another run (waited %d s): %s"
                        % (time.monotonic() - started, _one_line(exc)))
                raise PanelDBError("sqlite database error: %s" % _one_line(exc))
        elif self.engine == "postgresql":
            self.execute("BEGIN")
            self.execute("SET LOCAL lock_timeout = '%ds'" % self.lock_timeout)
            try:
                self.execute("SELECT pg_advisory_xact_lock(?)", (PG_LOCK_KEY,))
            except PanelDBError as exc:
                self._rollback()
                raise LockTimeout("another run holds the panel lock (waited %d s): %s"
                                  % (time.monotonic() - started, exc))
        else:
            got = self.execute("SELECT GET_LOCK(?, ?)", (LOCK_NAME, self.lock_timeout)).fetchone()[0]
            if got != 1:
                raise LockTimeout("another run holds the panel lock (waited %d s)" % self.lock_timeout)
            self.execute("START TRANSACTION")

    def _commit(self):
        try:
            self.execute("COMMIT")
        finally:
            self._release()

    def _rollback(self):
        try:
            self.conn.rollback() if self.engine != "sqlite" else self.conn.execute("ROLLBACK")
        except Exception:
            pass  # the connection may be gone; the server rolls back what was not committed
        finally:
            self._release()

    def _release(self):
        if self.engine == "mariadb":
            try:
                self._cursor.execute("SELECT RELEASE_LOCK(%s)", (LOCK_NAME,))
            except Exception:
                pass  # a lost connection releases the lock on the server

    def close(self):
        try:
            self.conn.close()
        except Exception:
            pass

    # -- schema contract -------------------------------------------------------------------------------
    def schema_version(self):
        """The panel's `schema.version`, or None when the panel's tables are not there."""
        # Looking before reading keeps a PostgreSQL transaction usable when the table is missing.
        if "panel_setting" not in self.panel_tables():
            return None
        rows = self.query("SELECT %s FROM panel_setting WHERE %s = ?" % (self.quote("value"), self.quote("key")),
                          ("schema.version",))
        if not rows:
            return None
        return json.loads(rows[0]["value"])

    def check_schema(self, expected=SCHEMA_VERSION):
        found = self.schema_version()
        if found is None:
            raise PanelDBError("no panel schema: run the panel's migrations (python panel/manage.py migrate)")
        if found != expected:
            raise PanelDBError("panel schema version %s expected, found %s" % (expected, found))
        return found

    # -- settings ---------------------------------------------------------------------------------------
    def read_settings(self):
        rows = self.query("SELECT %s, %s FROM panel_setting" % (self.quote("key"), self.quote("value")))
        return dict((r["key"], json.loads(r["value"])) for r in rows)

    def write_setting(self, key, value, exists):
        text = canonical_json(value)
        if exists:
            self.update("panel_setting", key, {"value": text}, key_column="key")
        else:
            self.insert_setting(key, text)

    def insert_setting(self, key, text):
        self.execute("INSERT INTO panel_setting (%s, %s) VALUES (?, ?)" % (self.quote("key"), self.quote("value")),
                     (key, text))

    # -- dumps for tests and check-mode proofs ------------------------------------------------------------
    def dump(self, tables=None):
        """Every panel_* table as canonical text, ordered, for byte-for-byte comparisons."""
        if tables is None:
            tables = self.panel_tables()
        out = []
        for table in sorted(tables):
            rows = self.query("SELECT * FROM %s" % table)
            rows.sort(key=lambda r: canonical_json(sorted((k, str(v)) for k, v in r.items())))
            out.append("## %s" % table)
            out.extend(canonical_json(dict((k, str(v)) for k, v in r.items())) for r in rows)
        return "\n".join(out) + "\n"

    def panel_tables(self):
        if self.engine == "sqlite":
            rows = self.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'panel_%'")
        elif self.engine == "postgresql":
            rows = self.query("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() "
                              "AND tablename LIKE 'panel_%'")
        else:
            rows = self.query("SELECT table_name AS name FROM information_schema.tables "
                              "WHERE table_schema = DATABASE() AND table_name LIKE 'panel_%'")
        return [r["name"] for r in rows]


@contextlib.contextmanager
def open_panel(spec, check_mode=False, expected_version=SCHEMA_VERSION):
    """Connect, check the schema version, and run the body in one locked transaction."""
    db = connect(spec)
    try:
        with db.transaction(check_mode=check_mode):
            db.check_schema(expected_version)
            yield db
    finally:
        db.close()
