# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The production fleet on one machine: separate hosts reached over SSH, built in a scratch directory.

Every host has an address of its own in 127.0.0.0/8 (every 127.x address is loopback on Linux), its own sshd
bound to that address, its own root directory under the scratch directory, and services bound to its address
only:

    app1 127.0.0.11, app2 127.0.0.12   the panel under gunicorn (started by site.yml)
    fe1 127.0.0.21, fe2 127.0.0.22     nginx, the hosts' own (started here, configured by site.yml)
    ns1 127.0.0.31                     bind9, authoritative, RFC 2136 with TSIG
    db1 127.0.0.41                     PostgreSQL, password authentication
    pebble 127.0.0.51                  the ACME CA (not a managed host), resolving through ns1

The controller reaches every managed host over real SSH as an unprivileged user made for this run (removed at
teardown) that may `sudo` without a password for `become`. Every port is picked free at run time. The inventory
that runs is a copy of inventory/sample with the fleet's addresses, ports and paths and a vault password of
this run (`inventory()`). Nothing outside the scratch directory is left behind: the user, its sudoers drop-in
and every process go at teardown (`/run/sshd`, which sshd needs, only when this run made it).

    python tests/fleet/fleet.py up DIR      build the fleet in DIR (prints the inventory path); the next
                                            `up` or test run takes it down first (one fleet at a time)
    python tests/fleet/fleet.py down DIR    stop and remove everything `up` made (safe to repeat)
    python tests/fleet/fleet.py watch PID DIR   run `down DIR` and remove DIR once process PID has ended
                                                (the suite's guard against a run killed before its teardown)
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, REPO)

from tests.support import dns_acme_servers  # noqa: E402  (the repo root is on sys.path only from here)

HOSTS = {"app1": "127.0.0.11", "app2": "127.0.0.12", "fe1": "127.0.0.21", "fe2": "127.0.0.22",
         "ns1": "127.0.0.31", "db1": "127.0.0.41"}
GROUPS = {"panel_app": ["app1", "app2"], "panel_frontends": ["fe1", "fe2"], "panel_database": ["db1"],
          "panel_nameservers": ["ns1"]}
PEBBLE = "127.0.0.51"
# The provider's mail server (not a managed host): an SMTP server keeping every message in its directory.
MAIL = "127.0.0.61"
# Where the A record of a reseller whose DNS is not ready points: nothing listens there.
ELSEWHERE = "127.0.0.99"
SAMPLE = os.path.join(REPO, "inventory", "sample")
SAMPLE_VAULT_PASSWORD = os.path.join(SAMPLE, "vault-password.sample.txt")
PROVIDER_FQDN = "panel.provider.example"
RESELLER_FQDNS = {"acme": "acme.resellers.provider.example", "globex": "cloud.globex.example"}
GATED = ("umbrella", "cloud.umbrella.example")
SSHD = "/usr/sbin/sshd"
# The label of the address the fleet puts on the loopback interface (ns1's: named binds only interface addresses).
LO_LABEL = "lo:pfleet"
USER_PREFIX = "pfleet-"
SUDOERS_PREFIX = "/etc/sudoers.d/panelops-fleet-"
# Fleets share fixed addresses (HOSTS, ns1's on lo): one at a time, by this lock, held while a fleet is in use.
LOCK_PATH = os.path.join("/run/lock" if os.path.isdir("/run/lock") else "/tmp", "panelops-fleet.lock")


def missing():
    """Why the fleet cannot be built here, or None."""
    if os.geteuid() != 0:
        return "the fleet suite runs as root (it adds a user, a sudoers drop-in and starts sshd)"
    for path, package in ((SSHD, "openssh-server"), ("/usr/bin/sudo", "sudo"), ("/usr/sbin/nginx", "nginx")):
        if not os.path.exists(path):
            return "%s not found: apt-get install %s" % (path, package)
    return dns_acme_servers.missing()


def free_port(addresses, udp=False):
    """A port free on every one of `addresses` (TCP, and UDP too when asked)."""
    for _attempt in range(100):
        with socket.socket() as probe:
            probe.bind((addresses[0], 0))
            port = probe.getsockname()[1]
        if all(_bindable(address, port, socket.SOCK_STREAM) for address in addresses) and (
                not udp or all(_bindable(address, port, socket.SOCK_DGRAM) for address in addresses)):
            return port
    raise RuntimeError("no port free on all of %s" % ", ".join(addresses))


def _bindable(address, port, kind):
    with socket.socket(socket.AF_INET, kind) as sock:
        try:
            sock.bind((address, port))
            return True
        except OSError:
            return False


def _run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if proc.returncode:
        raise RuntimeError("%s failed (%d): %s%s" % (" ".join(cmd), proc.returncode, proc.stdout, proc.stderr))
    return proc


def _wait(predicate, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError("%s did not happen within %d s" % (what, timeout))


def _listening(address, port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((address, port)) == 0


def _pid_from(path):
    try:
        with open(path) as handle:
            pid = int(handle.read().split()[0])
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError, IndexError):
        return None


def _kill(pid, timeout=15):
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            pass
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


def _write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    os.chmod(path, mode)


def sample_secrets():
    """The sample inventory's vault values in clear (its password is public): the fleet's servers use them."""
    from ansible.parsing.vault import VaultLib, VaultSecret

    with open(SAMPLE_VAULT_PASSWORD, "rb") as handle:
        vault = VaultLib([("prod", VaultSecret(handle.read().strip()))])
    with open(os.path.join(SAMPLE, "group_vars", "all", "vault.yml")) as handle:
        text = handle.read()
    return {name: vault.decrypt(_vault_text(block)).decode() for name, block in _VAULT_VALUE.findall(text)}


# `name: !vault |` followed by its indented lines.
_VAULT_VALUE = re.compile(r"^ *([A-Za-z_][A-Za-z0-9_]*): !vault \|\n((?:[ ]+(?:\$ANSIBLE_VAULT;\S+|[0-9a-f]+)\n)+)",
                          re.MULTILINE)


def _vault_text(block):
    return "\n".join(line.strip() for line in block.splitlines())


class Fleet(object):
    """The fleet in `scratch`; its state (pids, ports, user) is kept in scratch/fleet.json for `down`."""

    def __init__(self, scratch):
        self.scratch = os.path.abspath(scratch)
        self.state_path = os.path.join(self.scratch, "fleet.json")
        self.state = {"ports": {}, "pids": {}, "user": None, "made_run_sshd": False}
        if os.path.exists(self.state_path):
            with open(self.state_path) as handle:
                self.state = json.load(handle)
        self.controller = os.path.join(self.scratch, "controller")
        self.inventory_dir = os.path.join(self.scratch, "inventory")

    # ------------------------------------------------------------------------------------------ layout

    def root(self, host):
        return os.path.join(self.scratch, "hosts", host)

    def path(self, host, *parts):
        return os.path.join(self.root(host), *parts)

    @property
    def ports(self):
        return self.state["ports"]

    @property
    def user(self):
        return self.state["user"]

    def save(self):
        _write(self.state_path, json.dumps(self.state, indent=1), 0o600)

    # ------------------------------------------------------------------------------------------ build

    def up(self):
        """Build every host; on any failure everything made so far is taken down again. A fleet an earlier run
        left in the scratch directory is taken down first, and the directory emptied."""
        self.down()
        if os.path.isdir(self.scratch):
            for entry in os.listdir(self.scratch):
                path = os.path.join(self.scratch, entry)
                shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.unlink(path)
        self.state = {"ports": {}, "pids": {}, "user": None, "made_run_sshd": False}
        os.makedirs(self.controller, exist_ok=True)
        # sshd, sudo and the unprivileged user walk these paths; nothing in them is secret but the keys (0600).
        os.chmod(self.scratch, 0o755)
        try:
            self.secrets = sample_secrets()
            self._pick_ports()
            self._make_user()
            self._start_sshds()
            self._start_postgresql()
            self._start_bind()
            self._start_pebble()
            self._start_mail()
            self._start_nginx()
            self._deploy_panel_checkout()
            self.write_inventory()
        except BaseException:
            self.down()
            raise
        return self.inventory_dir

    def _pick_ports(self):
        fronts = [HOSTS["fe1"], HOSTS["fe2"]]
        ports = {"ssh": {host: free_port([address]) for host, address in HOSTS.items()},
                 "http": free_port(fronts), "https": free_port(fronts),
                 "app": {host: free_port([HOSTS[host]]) for host in GROUPS["panel_app"]},
                 "dns": free_port([HOSTS["ns1"]], udp=True), "postgresql": free_port([HOSTS["db1"]]),
                 "acme": free_port([PEBBLE]), "acme_management": free_port([PEBBLE]),
                 "acme_tls": free_port(fronts), "smtp": free_port([MAIL])}
        self.state["ports"] = ports
        self.save()

    def _make_user(self):
        name = USER_PREFIX + secrets.token_hex(3)
        self.state["user"] = name
        self.state["sudoers"] = SUDOERS_PREFIX + name
        self.save()
        home = os.path.join(self.scratch, "home", name)
        os.makedirs(os.path.dirname(home), exist_ok=True)
        _run(["useradd", "--create-home", "--home-dir", home, "--shell", "/bin/sh", "--user-group", name])
        # "*": no password, but not a locked account ("!"), which sshd without PAM refuses.
        _run(["usermod", "-p", "*", name])
        rule = "%s ALL=(ALL:ALL) NOPASSWD: ALL\n" % name
        tmp = os.path.join(self.controller, "sudoers")
        _write(tmp, rule, 0o440)
        _run(["visudo", "-cqf", tmp])
        shutil.move(tmp, self.state["sudoers"])
        os.chown(self.state["sudoers"], 0, 0)
        key = os.path.join(self.controller, "id_ed25519")
        _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "panelops fleet controller", "-f", key])
        with open(key + ".pub") as handle:
            _write(os.path.join(self.controller, "authorized_keys"), handle.read(), 0o644)

    def _start_sshds(self):
        if not os.path.isdir("/run/sshd"):
            os.makedirs("/run/sshd", mode=0o755)
            self.state["made_run_sshd"] = True
            self.save()
        known = []
        for host, address in HOSTS.items():
            etc = self.path(host, "etc", "ssh")
            os.makedirs(etc, exist_ok=True)
            os.makedirs(self.path(host, "run"), exist_ok=True)
            _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(etc, "ssh_host_ed25519_key")])
            config = os.path.join(etc, "sshd_config")
            _write(config, "\n".join([
                "ListenAddress %s" % address, "Port %d" % self.ports["ssh"][host],
                "HostKey %s/ssh_host_ed25519_key" % etc, "PidFile %s" % self.path(host, "run", "sshd.pid"),
                "AuthorizedKeysFile %s" % os.path.join(self.controller, "authorized_keys"),
                "AllowUsers %s" % self.user, "UsePAM no", "StrictModes no", "PasswordAuthentication no",
                "KbdInteractiveAuthentication no", "PermitRootLogin no", "MaxStartups 64:30:128",
                "MaxSessions 64", "Subsystem sftp internal-sftp", ""]))
            _run([SSHD, "-f", config, "-E", self.path(host, "run", "sshd.log")])
            pid_file = self.path(host, "run", "sshd.pid")
            _wait(lambda: _pid_from(pid_file) and _listening(address, self.ports["ssh"][host]), "sshd on " + host)
            self.state["pids"]["sshd-" + host] = {"pid_file": pid_file}
            self.save()
            with open(os.path.join(etc, "ssh_host_ed25519_key.pub")) as handle:
                known.append("[%s]:%d %s" % (address, self.ports["ssh"][host], " ".join(handle.read().split()[:2])))
        _write(os.path.join(self.controller, "known_hosts"), "\n".join(known) + "\n")

    def _start_postgresql(self):
        from tests.support import servers

        base = self.path("db1", "var", "lib", "postgresql")
        data, sock = os.path.join(base, "data"), os.path.join(base, "run")
        os.makedirs(sock, exist_ok=True)
        postgres = pwd.getpwnam("postgres")
        for path in (base, sock):
            os.chown(path, postgres.pw_uid, postgres.pw_gid)
        bindir = servers._pg_bindir()
        servers._as_postgres([os.path.join(bindir, "initdb"), "-D", data, "-A", "trust", "-U", "postgres",
                              "--no-sync", "--auth-host=scram-sha-256"])
        # Only the local socket trusts (for this setup); over TCP the panel's password is checked.
        with open(os.path.join(data, "pg_hba.conf"), "w") as handle:
            handle.write("local all postgres trust\nhost all all 127.0.0.0/8 scram-sha-256\n")
        port = self.ports["postgresql"]
        servers._as_postgres([os.path.join(bindir, "pg_ctl"), "-D", data, "-l", os.path.join(base, "server.log"),
                              "-w", "-o", "-c listen_addresses=%s -p %d -k %s -c fsync=off" % (HOSTS["db1"], port, sock),
                              "start"])
        self.state["pids"]["postgresql"] = {"pid_file": os.path.join(data, "postmaster.pid"),
                                            "stop": [os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "fast", "-w",
                                                     "stop"]}
        self.save()
        psql = [os.path.join(bindir, "psql"), "-h", sock, "-p", str(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1",
                "-q", "-c"]
        password = self.secrets["vault_panel_db_password"].replace("'", "''")
        servers._as_postgres(psql + ["CREATE ROLE panel LOGIN PASSWORD '%s'" % password])
        servers._as_postgres(psql + ["CREATE DATABASE panel OWNER panel"])

    def _start_bind(self):
        # named listens only on addresses of an interface (it does not bind any 127.x as others do): ns1's
        # address goes on the loopback interface for the run (a /32, removed at teardown).
        # It carries the label LO_LABEL, so that one left by a fleet run killed before its teardown is known as
        # a fleet's (reap_stale removes it; fleets run one at a time, under `exclusive()`).
        address = HOSTS["ns1"] + "/32"
        label = _lo_label(address)
        if label in (None, LO_LABEL):
            self.state["lo_address"] = address
            self.save()
            if label is None:
                _run(["ip", "addr", "add", address, "dev", "lo", "label", LO_LABEL])
        fronts = [HOSTS["fe1"], HOSTS["fe2"]]
        # Names outside the provider zone point at both frontends (round robin); the gated one elsewhere.
        records = [(PROVIDER_FQDN, "A", address) for address in fronts]
        records += [(RESELLER_FQDNS["globex"], "A", address) for address in fronts]
        records.append((GATED[1], "A", ELSEWHERE))
        info = dns_acme_servers.start_bind(
            self.path("ns1", "var", "lib", "bind"), self.ports["dns"], ["resellers.provider.example"], records,
            keyname="panel-update", secret=self.secrets["vault_dns_tsig_secret"],
            readonly_zones=["provider.example", "globex.example", "umbrella.example"], address=HOSTS["ns1"])
        self.state["pids"]["named"] = {"pid": info["pid"]}
        self.save()

    def mail_dir(self):
        return os.path.join(self.scratch, "hosts", "mail", "received")

    def _start_mail(self):
        os.makedirs(os.path.join(self.scratch, "hosts", "mail"), exist_ok=True)
        log = open(os.path.join(self.scratch, "hosts", "mail", "smtp.log"), "ab")
        with log:
            proc = subprocess.Popen([sys.executable, os.path.join(REPO, "tests", "fleet", "smtp_sink.py"), MAIL,
                                     str(self.ports["smtp"]), self.mail_dir()], stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=log, start_new_session=True)
        self.state["pids"]["smtp"] = {"pid": proc.pid}
        self.save()
        _wait(lambda: _listening(MAIL, self.ports["smtp"]), "the SMTP server on %s" % MAIL)

    def _start_pebble(self):
        info = dns_acme_servers.start_pebble(
            os.path.join(self.scratch, "hosts", "pebble"), self.ports["acme"], self.ports["acme_management"],
            self.ports["http"], self.ports["acme_tls"], self.ports["dns"], address=PEBBLE, dns_address=HOSTS["ns1"])
        self.state["pids"]["pebble"] = {"pid": info["pid"]}
        self.state["acme"] = info
        self.save()
        # Its issuing root is made at start: what clients of the fleet trust.
        context = ssl.create_default_context(cafile=info["trust_anchor"])
        with urllib.request.urlopen(info["management"] + "/roots/0", context=context, timeout=10) as reply:
            _write(self.acme_root, reply.read().decode("ascii"))

    @property
    def acme_root(self):
        return os.path.join(self.controller, "pebble-root.pem")

    def nginx_paths(self, host):
        prefix = self.path(host, "etc", "nginx")
        return {"prefix": prefix, "conf": os.path.join(prefix, "nginx.conf"),
                "error_log": self.path(host, "var", "log", "nginx", "error.log"),
                "access_log": self.path(host, "var", "log", "nginx", "access.log"),
                "pid": self.path(host, "run", "nginx.pid"),
                "sites": os.path.join(prefix, "panelops-sites"), "tls": os.path.join(prefix, "panelops-tls"),
                "webroot": self.path(host, "var", "lib", "panelops", "acme")}

    def nginx_command(self, host, *args):
        paths = self.nginx_paths(host)
        return ["/usr/sbin/nginx", "-p", paths["prefix"], "-c", paths["conf"], "-e", paths["error_log"]] + list(args)

    def _start_nginx(self):
        """Each frontend's own nginx, as a host with Debian's nginx has it: a main configuration that includes
        the directory site.yml writes, and a catch-all answering ACME HTTP-01 from the webroot before any vhost
        exists (the first run orders certificates before it configures nginx)."""
        for host in GROUPS["panel_frontends"]:
            paths = self.nginx_paths(host)
            for directory in (paths["sites"], paths["tls"], paths["webroot"], os.path.dirname(paths["error_log"]),
                              self.path(host, "var", "lib", "nginx")):
                os.makedirs(directory, exist_ok=True)
            address, temp = HOSTS[host], self.path(host, "var", "lib", "nginx")
            _write(paths["conf"], "\n".join([
                "worker_processes 1;", "pid %s;" % paths["pid"], "error_log %s;" % paths["error_log"],
                "events { worker_connections 256; }", "http {", "    include /etc/nginx/mime.types;",
                "    default_type application/octet-stream;",
                "    log_format fleet '$server_addr $host \"$request\" $status $upstream_addr';",
                "    access_log %s fleet;" % paths["access_log"],
                "".join("    %s_temp_path %s/%s;\n" % (kind, temp, kind)
                        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")).rstrip("\n"),
                "    server_names_hash_bucket_size 128;", "    server_tokens off;",
                "    include %s/*.conf;" % paths["sites"],
                "    server {", "        listen %s:%d;" % (address, self.ports["http"]), "        server_name _;",
                "        location ^~ /.well-known/acme-challenge/ {", "            root %s;" % paths["webroot"],
                "            default_type text/plain;", "            try_files $uri =404;", "        }",
                "        location / { return 404; }", "    }", "}", ""]))
            _run(self.nginx_command(host))
            _wait(lambda: _pid_from(paths["pid"]) and _listening(address, self.ports["http"]), "nginx on " + host)
            self.state["pids"]["nginx-" + host] = {"pid_file": paths["pid"],
                                                   "stop": self.nginx_command(host, "-s", "quit")}
            self.save()

    def _deploy_panel_checkout(self):
        """The panel and its control script, deployed into each app host's /opt/panelops-reseller."""
        files = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "panel",
                      "roles/panel/files"], cwd=REPO).stdout.split("\0")
        for host in GROUPS["panel_app"]:
            target = self.path(host, "opt", "panelops-reseller")
            for name in filter(None, files):
                source = os.path.join(REPO, name)
                if os.path.isfile(source):
                    os.makedirs(os.path.join(target, os.path.dirname(name)), exist_ok=True)
                    shutil.copy2(source, os.path.join(target, name))

    # ------------------------------------------------------------------------------------------ inventory

    @property
    def vault_password_file(self):
        return os.path.join(self.controller, "vault-password")

    def write_inventory(self):
        """inventory/sample copied, its vault values re-encrypted with this run's password, and the fleet's
        hosts, addresses, ports and paths written over the sample's (hosts.yml, host_vars/, zz_fleet.yml)."""
        from ansible.parsing.vault import VaultLib, VaultSecret

        if os.path.exists(self.inventory_dir):
            shutil.rmtree(self.inventory_dir)
        shutil.copytree(SAMPLE, self.inventory_dir, ignore=shutil.ignore_patterns("README.md", "*.sample.txt"))
        _write(self.vault_password_file, secrets.token_urlsafe(24) + "\n", 0o600)
        with open(SAMPLE_VAULT_PASSWORD, "rb") as handle:
            sample_vault = VaultLib([("prod", VaultSecret(handle.read().strip()))])
        with open(self.vault_password_file, "rb") as handle:
            fleet_vault = VaultLib([("prod", VaultSecret(handle.read().strip()))])
        for base, _dirs, names in os.walk(self.inventory_dir):
            for name in names:
                if name.endswith(".yml"):
                    self._rewrite_file(os.path.join(base, name), sample_vault, fleet_vault)
        self._write_hosts()
        self._write_overrides()

    def _rewrite_file(self, path, sample_vault, fleet_vault):
        with open(path) as handle:
            text = handle.read()

        def reencrypt(match):
            indent = re.match(r"^ *", match.group(0)).group(0)
            clear = sample_vault.decrypt(_vault_text(match.group(2)))
            body = fleet_vault.encrypt(clear, vault_id="prod").decode("ascii")
            lines = "".join("%s          %s\n" % (indent, line) for line in body.splitlines())
            return "%s%s: !vault |\n%s" % (indent, match.group(1), lines)

        text = _VAULT_VALUE.sub(reencrypt, text)
        # Reseller URLs get the frontends' HTTPS port of this run.
        text = re.sub(r"(enduser_panel_url: https://[a-z0-9.-]+)/", r"\1:%d/" % self.ports["https"], text)
        _write(path, text)

    def _connection_vars(self, host):
        return {"ansible_host": HOSTS[host], "ansible_port": self.ports["ssh"][host], "ansible_user": self.user,
                "ansible_ssh_private_key_file": os.path.join(self.controller, "id_ed25519"),
                "ansible_ssh_common_args": "-o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes "
                                           "-o IdentitiesOnly=yes" % os.path.join(self.controller, "known_hosts"),
                "ansible_python_interpreter": sys.executable}

    def _write_hosts(self):
        import yaml

        children = {group: {"hosts": {host: self._connection_vars(host) for host in hosts}}
                    for group, hosts in GROUPS.items()}
        _write(os.path.join(self.inventory_dir, "hosts.yml"),
               "---\n# The fleet of this run (tests/fleet/fleet.py); each host reached over SSH.\n"
               + yaml.safe_dump({"all": {"children": children}}, sort_keys=False))
        for host in GROUPS["panel_app"]:
            self._dump_host_vars(host, {
                "panel_source_dir": self.path(host, "opt", "panelops-reseller"),
                "panel_state_dir": self.path(host, "var", "lib", "panelops-panel"),
                "panel_set_password_links_file": self.path(host, "var", "lib", "panelops-reseller",
                                                           "set-password-links"),
                "panel_upstream": "%s:%d" % (HOSTS[host], self.ports["app"][host]),
            })
        for host in GROUPS["panel_frontends"]:
            paths = self.nginx_paths(host)
            self._dump_host_vars(host, {
                # Host variables: group_vars/panel_frontends/nginx.yml of the sample sets these for the group.
                "panel_nginx_http_port": self.ports["http"], "panel_nginx_https_port": self.ports["https"],
                "panel_nginx_staff_allow": ["127.0.0.0/8"],
                "panel_nginx_listen_address": HOSTS[host],
                "panel_nginx_sites_dir": paths["sites"], "panel_nginx_tls_dir": paths["tls"],
                "panel_nginx_acme_webroot": paths["webroot"],
                # The host's own log and format (its main configuration defines `fleet`), as an operator declares.
                "panel_nginx_access_log": paths["access_log"], "panel_nginx_access_log_format": "fleet",
                "panel_nginx_test_command": self.nginx_command(host, "-t", "-q"),
                "panel_nginx_reload_command": self.nginx_command(host, "-s", "reload"),
            })

    def _dump_host_vars(self, host, data):
        import yaml

        _write(os.path.join(self.inventory_dir, "host_vars", host + ".yml"),
               "---\n# %s's own root directory: %s\n" % (host, self.root(host)) + yaml.safe_dump(data, sort_keys=False))

    def _write_overrides(self):
        import yaml

        fronts = [HOSTS["fe1"], HOSTS["fe2"]]
        overrides = {
            "panel_db": {"engine": "postgresql", "host": HOSTS["db1"], "port": self.ports["postgresql"],
                         "name": "panel", "user": "panel", "password": "{{ vault_panel_db_password }}"},
            "panel_provider_url": "https://%s:%d/" % (PROVIDER_FQDN, self.ports["https"]),
            "panel_frontend_https_port": self.ports["https"],
            # The app hosts run the panel from the controller's virtualenv (same machine) instead of installing
            # one from the package index on every host: the deployed code is still each host's own copy.
            "panel_install_mode": "checkout", "panel_venv": os.path.dirname(os.path.dirname(sys.executable)),
            # nginx reaches the panel from 127.0.0.1 (the kernel's source address for loopback).
            "panel_trusted_proxies": ",".join(["127.0.0.1"] + fronts),
            "panel_tls": {"mode": "acme", "acme_directory": self.state["acme"]["directory"],
                          "acme_trust_anchor": self.state["acme"]["trust_anchor"],
                          "acme_email": "hostmaster@provider.example", "acme_timeout": 30, "challenge": "http-01",
                          "renew_days": 30},
            "panel_tls_store": os.path.join(self.controller, "pki"),
            "panel_frontend_health_ca_file": self.acme_root,
            "panel_dns": {"servers": [HOSTS["ns1"]], "port": self.ports["dns"], "frontend_addresses": fronts,
                          "on_mismatch": "{{ fleet_on_mismatch | default('fail') }}", "check_timeout": 1.0,
                          "check_retries": 1, "zones": ["resellers.provider.example"], "update_server": HOSTS["ns1"],
                          "ttl": 60, "tsig": {"name": "panel-update", "secret": "{{ vault_dns_tsig_secret }}",
                                              "algorithm": "hmac-sha256"}},
            "panel_report_dir": os.path.join(self.controller, "reports"),
            # The provider's SMTP server of the sample, as the fleet's mail host (plain SMTP on loopback).
            "panel_smtp": {"host": MAIL, "port": self.ports["smtp"], "security": "none"},
        }
        _write(os.path.join(self.inventory_dir, "group_vars", "all", "zz_fleet.yml"),
               "---\n# The fleet's addresses, ports and paths over the sample's (loaded after main.yml).\n"
               + yaml.safe_dump(overrides, sort_keys=False))

    def add_gated_reseller(self):
        """A reseller whose own domain points elsewhere (not at the frontends)."""
        _write(os.path.join(self.inventory_dir, "resellers", GATED[0] + ".yml"), "\n".join([
            "---", "name: %s" % GATED[0], "state: present",
            "company: Umbrella Cloud", "email: ops@umbrella.example", "currency: EUR",
            "plan: reseller-wholesale", "enduser_panel_url: https://%s:%d/" % (GATED[1], self.ports["https"]),
            ""]))

    # ------------------------------------------------------------------------------------------ teardown

    def down(self):
        """Stop every process by its pid, remove the user and its sudoers drop-in (and /run/sshd when made here).
        Safe to call more than once and after a partial build."""
        for host in GROUPS["panel_app"]:
            pid = _pid_from(self.path(host, "var", "lib", "panelops-panel", "gunicorn.pid"))
            if pid:
                _kill(pid)
        for name, entry in sorted(self.state.get("pids", {}).items()):
            pid = entry.get("pid") or (_pid_from(entry["pid_file"]) if entry.get("pid_file") else None)
            if entry.get("stop") and pid:
                if name == "postgresql":
                    from tests.support import servers
                    try:
                        servers._as_postgres(entry["stop"])
                    except RuntimeError:
                        _kill(pid)
                else:
                    subprocess.run(entry["stop"], capture_output=True, check=False)
                    _wait_gone(pid)
            elif pid:
                _kill(pid)
        self.state["pids"] = {}
        user = self.state.get("user")
        if user and _user_exists(user):
            subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True, check=False)
            _run(["userdel", user])
        if self.state.get("sudoers") and os.path.exists(self.state["sudoers"]):
            os.unlink(self.state["sudoers"])
        if self.state.get("lo_address"):
            subprocess.run(["ip", "addr", "del", self.state["lo_address"], "dev", "lo"], capture_output=True,
                           check=False)
            self.state["lo_address"] = None
        # A session's privileged sshd process outlives its listener for a moment after the user's processes are
        # killed: wait for it before deciding that /run/sshd is still needed.
        if self.state.get("made_run_sshd") and os.path.isdir("/run/sshd") and not _sshd_running(wait=5):
            os.rmdir("/run/sshd")
            self.state["made_run_sshd"] = False
        if os.path.isdir(self.scratch):
            self.save()


@contextlib.contextmanager
def exclusive():
    """Hold the fleet lock (waiting for another fleet's run to end), and take down first what a run killed
    before its teardown left: while nobody holds the lock, no fleet is in use, so every fleet found is stale."""
    with open(LOCK_PATH, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            reap_stale()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def reap_stale():
    """Take down every fleet whose user still exists (its scratch directory is found from the user's home),
    then what no scratch directory accounts for any more: such users, their sudoers drop-ins, lo addresses
    carrying the fleet's label. Returns the names of the users found."""
    with open("/etc/passwd") as handle:
        entries = [line.split(":") for line in handle if line.startswith(USER_PREFIX)]
    for fields in entries:
        name, home = fields[0], fields[5]
        scratch = os.path.dirname(os.path.dirname(home))
        if os.path.basename(os.path.dirname(home)) == "home" and os.path.exists(os.path.join(scratch, "fleet.json")):
            Fleet(scratch).down()
            shutil.rmtree(scratch, ignore_errors=True)
        if _user_exists(name):
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True, check=False)
            _run(["userdel", name])
        if os.path.exists(SUDOERS_PREFIX + name):
            os.unlink(SUDOERS_PREFIX + name)
    for address in _lo_addresses_labelled(LO_LABEL):
        subprocess.run(["ip", "addr", "del", address, "dev", "lo"], capture_output=True, check=False)
    return [fields[0] for fields in entries]


def _user_exists(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _lo_addresses_labelled(label):
    out = subprocess.run(["ip", "-4", "-o", "addr", "show", "dev", "lo", "label", label], capture_output=True,
                         text=True, check=False).stdout
    return re.findall(r"inet (\S+)", out)


def _lo_label(address):
    """The label of `address` (a /32) on the loopback interface, or None when it is not there."""
    out = subprocess.run(["ip", "-4", "-o", "addr", "show", "dev", "lo", "to", address], capture_output=True,
                         text=True, check=False).stdout
    # "1: lo    inet 127.0.0.31/32 scope host lo:pfleet\       valid_lft forever ..."
    return out.split("\\", 1)[0].split()[-1] if out.strip() else None


def watch(parent, scratch, interval=0.5):
    """Take the fleet in `scratch` down and remove the directory if process `parent` (the test run) ends
    without doing so (killed, or its teardown never ran); return as soon as the directory is gone."""
    while os.path.isdir(scratch):
        if not _alive(parent):
            Fleet(scratch).down()
            shutil.rmtree(scratch, ignore_errors=True)
            break
        time.sleep(interval)
    return 0


def _wait_gone(pid, timeout=15):
    try:
        _wait(lambda: not _alive(pid), "process %d to exit" % pid, timeout)
    except RuntimeError:
        _kill(pid)


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return handle.read().split()[2] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _sshd_running(wait=0):
    """Whether any sshd still runs (another fleet's, or the system's) after up to `wait` seconds: /run/sshd then
    stays."""
    deadline = time.monotonic() + wait
    while _an_sshd_runs():
        if time.monotonic() >= deadline:
            return True
        time.sleep(0.1)
    return False


def _an_sshd_runs():
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/comm" % entry) as handle:
                    if handle.read().strip() == "sshd":
                        return True
            except OSError:
                continue
    return False


def main(argv):
    if len(argv) == 3 and argv[0] == "watch":
        return watch(int(argv[1]), os.path.abspath(argv[2]))
    if len(argv) != 2 or argv[0] not in ("up", "down"):
        sys.stderr.write(__doc__)
        return 2
    fleet = Fleet(argv[1])
    if argv[0] == "up":
        reason = missing()
        if reason:
            sys.stderr.write(reason + "\n")
            return 1
        os.makedirs(argv[1], exist_ok=True)
        with exclusive():
            print(fleet.up())
    else:
        fleet.down()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
