# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bring the panel to its desired state on this host, in one step, and report what changed.

Run with the panel's virtualenv Python; the desired state is a JSON document on stdin:
    {"state_dir": ..., "panel_dir": ..., "env": {"PANEL_DB_ENGINE": ..., ...}, "bind": "unix:/path|host:port",
     "workers": 2, "service_manager": "auto|systemd|process", "service_name": "panelops-panel",
     "serve": true, "check": false, "migrate": true}
`panelctl.py ensure` writes the environment file (0600, atomically) and a `manage` wrapper beside it (the panel's
`manage.py` with that environment, for operators and for the provisioner's mailer), applies pending migrations, and makes
gunicorn run with exactly that configuration and code: a systemd unit where systemd runs, otherwise a
background gunicorn (its master supervises the workers) with a pid file, restarted when the configuration or
the panel's code changed and started again when it is not running. `panelctl.py stop` stops it.
Prints one JSON object: {"changed": bool, "actions": [...], "url": ...}.
"""
import hashlib
import http.client
import importlib
import importlib.util
import json
import os
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request


def atomic_write(path, text, mode=0o600):
    """Write `text` to `path` through a temporary file and a rename; True when the content changed."""
    try:
        with open(path) as handle:
            if handle.read() == text:
                os.chmod(path, mode)
                return False
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return True


def env_file_text(env):
    # KEY="value" lines: read by systemd's EnvironmentFile= and by this script.
    lines = []
    for key in sorted(env):
        value = str(env[key]).replace("\\", "\\\\").replace('"', '\\"')
        lines.append('%s="%s"' % (key, value))
    return "".join(line + "\n" for line in lines)


def manage_wrapper_text(config, env_path):
    """A shell wrapper that runs the panel's manage.py with the service's environment file.

    The file is parsed by the panel's settings (PANEL_ENV_FILE), not sourced by the shell, so values with $ or
    backquotes stay as they are."""
    return "".join(line + "\n" for line in [
        "#!/bin/sh",
        "# Written by panelctl.py: the panel's manage.py with the environment of the service.",
        "PANEL_ENV_FILE=%s exec %s %s \"$@\"" % (
            shlex.quote(env_path), shlex.quote(sys.executable),
            shlex.quote(os.path.join(config["panel_dir"], "manage.py"))),
    ])


def ensure_file(path, text, mode, check, actions):
    if check:
        try:
            with open(path) as handle:
                if handle.read() != text:
                    actions.append("would update %s" % path)
        except FileNotFoundError:
            actions.append("would write %s" % path)
    elif atomic_write(path, text, mode):
        actions.append("wrote %s" % path)


def code_fingerprint(panel_dir):
    digest = hashlib.sha256()
    root = os.path.join(panel_dir, "reseller_panel")
    for base, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".html", ".txt", ".css", ".js")):
                path = os.path.join(base, name)
                digest.update(os.path.relpath(path, root).encode())
                with open(path, "rb") as handle:
                    digest.update(handle.read())
    return digest.hexdigest()


def _panel_settings(config):
    """The panel's settings module, imported as a plain module (Django itself is not set up by this)."""
    os.environ.update({k: str(v) for k, v in config["env"].items()})
    os.environ["DJANGO_SETTINGS_MODULE"] = "reseller_panel.settings"
    if config["panel_dir"] not in sys.path:
        sys.path.insert(0, config["panel_dir"])
    return importlib.import_module("reseller_panel.settings")


def migration_files(settings):
    """{app label: migration names on disk} of every installed app, found without importing the apps; None
    when an app is not found this way (a dotted AppConfig path, MIGRATION_MODULES, a module that is not a
    package on disk)."""
    if getattr(settings, "MIGRATION_MODULES", None):
        return None
    found = {}
    for app in settings.INSTALLED_APPS:
        # find_spec imports the parent packages only, never the app itself.
        try:
            spec = importlib.util.find_spec(app)
        except ImportError:  # "package.apps.SomeConfig": a parent that is not a package
            return None
        if spec is None or not spec.submodule_search_locations:
            return None
        directory = os.path.join(list(spec.submodule_search_locations)[0], "migrations")
        if os.path.isdir(directory):
            # Django's loader takes every module of the package whose name does not start with _ or ~.
            found[app.rsplit(".", 1)[-1]] = set(
                name[:-3] for name in os.listdir(directory) if name.endswith(".py") and not name.startswith(("_", "~")))
    return found


def recorded_migrations(database):
    """{(app, name)} of the django_migrations table, read with the database's own driver (no Django)."""
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        conn = sqlite3.connect("file:%s?mode=ro" % urllib.request.pathname2url(database["NAME"]), uri=True)
    elif engine == "postgresql":
        conn = importlib.import_module("psycopg").connect(
            host=database["HOST"], port=database["PORT"] or 5432, dbname=database["NAME"], user=database["USER"],
            password=database["PASSWORD"] or None, connect_timeout=10)
    else:
        conn = importlib.import_module("pymysql").connect(
            host=database["HOST"], port=int(database["PORT"] or 3306), database=database["NAME"],
            user=database["USER"], password=database["PASSWORD"], connect_timeout=10)
    try:
        cursor = conn.cursor()
        cursor.execute("SELECT app, name FROM django_migrations")
        return set((app, name) for app, name in cursor.fetchall())
    finally:
        conn.close()


def all_migrations_recorded(config):
    """Whether every migration on disk is recorded as applied: then Django's plan is empty, and its start
    (about half a second, on every run) is not needed. Whatever this cannot tell (an app found another way, a
    squashed migration, a database without the table, any error) answers False, and Django decides."""
    try:
        settings = _panel_settings(config)
        on_disk = migration_files(settings)
        if on_disk is None:
            return False
        recorded = recorded_migrations(settings.DATABASES["default"])
    except Exception:  # noqa: BLE001 - any doubt goes to Django's own answer
        return False
    return all((label, name) in recorded for label, names in on_disk.items() for name in names)


def pending_migrations(config):
    """Names of unapplied migrations (the database is not written)."""
    _panel_settings(config)
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return ["%s.%s" % (m.app_label, m.name) for m, backwards in plan if not backwards]


def migrate():
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def read_pid(path):
    try:
        with open(path) as handle:
            pid = int(handle.read().strip())
        os.kill(pid, 0)
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            if b"gunicorn" not in handle.read():
                return None
        return pid
    except (OSError, ValueError):
        return None


def socket_path(bind):
    """The path of a `unix:/path` bind, or None for host:port."""
    return bind[len("unix:"):] if bind.startswith("unix:") else None


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a Unix socket (the health check of a panel bound to one)."""

    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def health(bind, timeout=2):
    """(status, body) of GET /healthz on `bind`."""
    path = socket_path(bind)
    if path is None:
        with urllib.request.urlopen("http://%s/healthz" % bind, timeout=timeout) as response:
            return response.status, response.read()
    connection = UnixHTTPConnection(path, timeout)
    try:
        connection.request("GET", "/healthz", headers={"Host": "localhost"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_healthy(bind, timeout=30):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            status, body = health(bind)
            if status == 200:
                return json.loads(body)
        except OSError as error:
            last = error
        time.sleep(0.2)
    raise RuntimeError("the panel did not answer on %s within %d s: %s" % (bind, timeout, last))


def gunicorn_argv(config):
    state = config["state_dir"]
    # gunicorn takes addresses only ("unix" is the panel's own word for peers on its socket, which gunicorn
    # trusts by itself); the panel's ProxyMiddleware applies the same list to what Django reads.
    proxies = [p.strip() for p in config["env"].get("PANEL_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
               if p.strip() and p.strip() != "unix"]
    argv = [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "reseller_panel.wsgi:application",
            "--chdir", config["panel_dir"], "--bind", config["bind"], "--workers", str(config.get("workers", 2)),
            "--forwarded-allow-ips", ",".join(proxies) or "127.0.0.1",
            "--access-logfile", os.path.join(state, "gunicorn-access.log"),
            # One-time links carry their secret in the path: the access log gets them redacted.
            "--logger-class", "reseller_panel.gunicorn_logging.RedactingLogger",
            "--error-logfile", os.path.join(state, "gunicorn.log")]
    if socket_path(config["bind"]):
        # The socket is rw for its owner and group only: who may connect is whom the frontends run as.
        argv += ["--umask", "0o007"]
    return argv


def ensure_socket_free(path):
    """Fail clearly when another process serves on the socket; a stale file (nobody listening) is fine: gunicorn
    replaces it."""
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        os.makedirs(directory, mode=0o750)
    if not os.path.exists(path):
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(path)
        except OSError:
            return
    raise RuntimeError("%s is already in use by another process" % path)


def ensure_port_free(bind):
    """Fail clearly when something else already listens where this panel should."""
    if socket_path(bind):
        return ensure_socket_free(socket_path(bind))
    host, _sep, port = bind.rpartition(":")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host.strip("[]"), int(port)))
        except OSError as error:
            raise RuntimeError("%s is already in use by another process (%s)" % (bind, error)) from error


def stop_process(pid, timeout=30):
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def ensure_process(config, fingerprint, actions):
    state = config["state_dir"]
    pid_file = os.path.join(state, "gunicorn.pid")
    mark_file = os.path.join(state, "gunicorn.fingerprint")
    pid = read_pid(pid_file)
    try:
        with open(mark_file) as handle:
            running_with = handle.read().strip()
    except FileNotFoundError:
        running_with = None
    if pid and running_with == fingerprint:
        return
    if config.get("check"):
        actions.append("would restart gunicorn" if pid else "would start gunicorn")
        return
    if pid:
        stop_process(pid)
        actions.append("stopped gunicorn (configuration or code changed)")
    ensure_port_free(config["bind"])
    env = dict(os.environ, **{k: str(v) for k, v in config["env"].items()})
    subprocess.run(gunicorn_argv(config) + ["--daemon", "--pid", pid_file], env=env, check=True,
                   stdin=subprocess.DEVNULL)
    # The daemon binds after it has detached: make sure it is ours that runs, not something else on the port.
    deadline = time.monotonic() + 30
    while read_pid(pid_file) is None:
        if time.monotonic() > deadline:
            raise RuntimeError("gunicorn did not start; see %s" % os.path.join(state, "gunicorn.log"))
        time.sleep(0.1)
    atomic_write(mark_file, fingerprint + "\n", 0o644)
    actions.append("started gunicorn on %s" % config["bind"])


def ensure_systemd(config, fingerprint, actions):
    name = config.get("service_name", "panelops-panel")
    unit_path = "/etc/systemd/system/%s.service" % name
    unit = "\n".join([
        "[Unit]", "Description=panelops reseller panel (gunicorn)", "After=network.target", "",
        "[Service]", "Type=simple",
        "EnvironmentFile=%s" % os.path.join(config["state_dir"], "panel.env"),
        "ExecStart=%s" % " ".join(shlex.quote(a) for a in gunicorn_argv(config)),
        "Restart=always", "RestartSec=2", "NoNewPrivileges=true", "PrivateTmp=true", "",
        "# code %s" % fingerprint, "",
        "[Install]", "WantedBy=multi-user.target", ""])
    if config.get("check"):
        try:
            with open(unit_path) as handle:
                same = handle.read() == unit
        except FileNotFoundError:
            same = False
        if not same:
            actions.append("would write %s and restart %s" % (unit_path, name))
        return
    changed = atomic_write(unit_path, unit, 0o644)
    if changed:
        subprocess.run(["systemctl", "daemon-reload"], check=True)
        subprocess.run(["systemctl", "enable", name], check=True, capture_output=True)
        subprocess.run(["systemctl", "restart", name], check=True)
        actions.append("wrote %s and restarted %s" % (unit_path, name))
    elif subprocess.run(["systemctl", "is-active", "--quiet", name], check=False).returncode != 0:
        subprocess.run(["systemctl", "start", name], check=True)
        actions.append("started %s" % name)


def uses_systemd(config):
    manager = config.get("service_manager", "auto")
    if manager == "auto":
        return os.path.isdir("/run/systemd/system")
    return manager == "systemd"


def ensure(config):
    actions = []
    state = config["state_dir"]
    check = bool(config.get("check"))
    if not os.path.isdir(state):
        if check:
            actions.append("would create %s" % state)
        else:
            os.makedirs(state, mode=0o700)
            actions.append("created %s" % state)
    env = dict(config["env"], PANEL_STATE_DIR=state)
    config["env"] = env
    env_text = env_file_text(env)
    env_path = os.path.join(state, "panel.env")
    ensure_file(env_path, env_text, 0o600, check, actions)
    ensure_file(os.path.join(state, "manage"), manage_wrapper_text(config, env_path), 0o700, check, actions)
    sqlite_missing = env.get("PANEL_DB_ENGINE", "sqlite") == "sqlite" and not os.path.exists(
        env.get("PANEL_DB_PATH", os.path.join(state, "panel.sqlite3")))
    if check and sqlite_missing:
        pending = ["all (new database)"]
    else:
        pending = [] if all_migrations_recorded(config) else pending_migrations(config)
    if pending and not config.get("migrate", True):
        # Several panel hosts share the database: only the first one migrates it (the role runs the hosts one
        # at a time, that one first). A later host finding migrations pending means that one did not.
        if not check:
            raise RuntimeError("migrations pending (%s): they are applied by the first panel host, which did not "
                               "apply them; run the play with that host reachable" % ", ".join(pending))
        actions.append("migrations pending, applied by the first panel host: %s" % ", ".join(pending))
    elif pending:
        if check:
            actions.append("would apply migrations: %s" % ", ".join(pending))
        else:
            migrate()
            actions.append("applied migrations: %s" % ", ".join(pending))
    fingerprint = hashlib.sha256((env_text + json.dumps(gunicorn_argv(config)) + code_fingerprint(
        config["panel_dir"])).encode()).hexdigest()
    if not config.get("serve", True):
        return {"changed": bool(actions), "actions": actions, "health": None, "url": None}
    if uses_systemd(config):
        ensure_systemd(config, fingerprint, actions)
    else:
        ensure_process(config, fingerprint, actions)
    status = None if check else wait_healthy(config["bind"])
    url = "http+unix://%s" % socket_path(config["bind"]) if socket_path(config["bind"]) else "http://%s/" % config["bind"]
    return {"changed": bool(actions), "actions": actions, "health": status, "url": url}


def stop(config):
    pid = read_pid(os.path.join(config["state_dir"], "gunicorn.pid"))
    if pid:
        stop_process(pid)
    return {"changed": bool(pid), "actions": ["stopped gunicorn"] if pid else []}


def main(argv):
    command = argv[1] if len(argv) > 1 else "ensure"
    config = json.load(sys.stdin)
    try:
        result = {"ensure": ensure, "stop": stop}[command](config)
    except Exception as error:  # reported as JSON to the calling task
        print(json.dumps({"failed": True, "msg": str(error)}))
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
