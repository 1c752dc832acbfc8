# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nginx site sets: the vhost model built from the inventory, and the writer that ships a whole set at once.

Two halves:

* the vhost records (controller side, used by the `nginx_sites` action plugin before it renders anything): the
  sites come from the inventory model (_model; `reseller_sites()` and `provider_site()` give them as the
  records templates read) and `validate_vhost_settings()` checks the shared settings, listing every problem.
  Only values that passed these checks reach a template, so nothing from the inventory can inject an nginx
  directive (host names are IDNA + DNS labels, paths a strict character set, addresses parsed by `ipaddress`).
* the writer (host side, used by the `nginx_sites` module): `apply_site_set()` writes every vhost file and
  every certificate/key of a set atomically, retires the set's stale files, runs `nginx -t` over the whole
  configuration and, when that fails, puts every file back as it was and raises with nginx's own message.

A vhost file belongs to a set when its first line is the marker `MARKER_PREFIX + set name`; certificate files
belong to a set when they are listed in the set's manifest in the TLS directory. Files of other sets, and files
without the marker, are never touched (writing over an unmarked file is refused).
"""

from __future__ import annotations

import base64
import contextlib
import difflib
import hashlib
import ipaddress
import json
import os
import re

from ansible_collections.panelops.reseller.plugins.module_utils import _locks, _model
from ansible_collections.panelops.reseller.plugins.module_utils._files import atomic_write, write_atomically
from ansible_collections.panelops.reseller.plugins.module_utils._handover import read_json_list
from ansible_collections.panelops.reseller.plugins.module_utils._names import check_site_name

MARKER_PREFIX = "# Managed by panelops.reseller nginx_sites, set="
RETIRED_DIR = "retired"

_SET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_PATH = re.compile(r"^/(?:[a-z0-9][a-z0-9._-]*/)+$")
_FS_PATH = re.compile(r"^/[A-Za-z0-9._/+-]*$")
_LOG_FORMAT = re.compile(r"^[A-Za-z0-9_]+$")
# reload: nginx reads the reseller certificates with its configuration; handshake: at each TLS handshake.
CERTIFICATE_LOADING = ("reload", "handshake")
_UPSTREAM_HOST = re.compile(r"^[A-Za-z0-9.-]+$")


class NginxSitesError(Exception):
    """A site set could not be applied; the message is meant for the operator."""

    def __init__(self, msg, problems=None, nginx_output=None):
        super(NginxSitesError, self).__init__(msg)
        self.problems = problems or []
        self.nginx_output = nginx_output


def marker(set_name):
    return MARKER_PREFIX + set_name


def set_file_name(set_name):
    """The name of a set's shared file (`<sites_dir>/_<set>.conf`): what every site of the set uses once (the
    upstream, the policy maps, the reseller domains' plain-HTTP server). No FQDN starts with "_", so it never
    collides with a site's file, and adding a site changes this file and the site's own, no other site's."""
    return "_" + set_name


def check_set_name(set_name):
    if not isinstance(set_name, str) or not _SET_NAME.match(set_name):
        return ["set_name: %r must be lowercase letters, digits, '-' or '_'" % (set_name,)]
    return []


# --------------------------------------------------------------------------------------------- the model

def check_upstream(value):
    """Problems with an upstream `host:port` (host a name or IPv4, or [IPv6]) or `unix:/path`."""
    if not isinstance(value, str) or not value:
        return ["must be host:port or unix:/path, got %r" % (value,)]
    if value.startswith("unix:"):
        return [] if _FS_PATH.match(value[5:]) else ["unix socket path %r has unsafe characters" % value[5:]]
    if value.startswith("["):
        host, sep, port = value[1:].partition("]:")
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return ["%r is not [IPv6]:port" % value]
    else:
        host, sep, port = value.rpartition(":")
        if not sep or not _UPSTREAM_HOST.match(host):
            return ["must be host:port or unix:/path, got %r" % value]
    if not port.isdigit() or not 0 < int(port) < 65536:
        return ["%r has no valid port" % value]
    return []


def _check_port(problems, key, value):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        problems.append("%s: must be a port number 1-65535, got %r" % (key, value))


def validate_vhost_settings(settings):
    """Every problem with the shared vhost settings (upstream, listen address and ports, paths, allow-list)."""
    problems = []
    for problem in check_upstream(settings.get("upstream")):
        problems.append("upstream: %s" % problem)
    servers = settings.get("upstream_servers", [settings.get("upstream")])
    if not isinstance(servers, list) or not servers:
        problems.append("upstream_servers: must be a non-empty list of host:port or unix:/path")
        servers = []
    for server in servers:
        for problem in check_upstream(server):
            problems.append("upstream_servers: %s" % problem)
    for key in ("upstream_max_fails", "upstream_fail_timeout", "upstream_connect_timeout"):
        value = settings.get(key, 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append("%s: must be a whole number >= 1, got %r" % (key, value))
    listen = settings.get("listen_address", "")
    if listen not in ("", "*"):
        try:
            ipaddress.ip_address(listen)
        except ValueError:
            problems.append("listen_address: must be an IP address or empty, got %r" % (listen,))
    _check_port(problems, "http_port", settings.get("http_port"))
    _check_port(problems, "https_port", settings.get("https_port"))
    path = settings.get("dashboard_path")
    if not isinstance(path, str) or not _PATH.match(path):
        problems.append("dashboard_path: must be a path like /reseller/, got %r" % (path,))
    elif path.startswith("/staff/") or path.startswith("/.well-known/"):
        problems.append("dashboard_path: %s is reserved" % path)
    webroot = settings.get("acme_webroot")
    if not isinstance(webroot, str) or not _FS_PATH.match(webroot) or "/../" in webroot + "/":
        problems.append("acme_webroot: must be an absolute path of letters, digits and ._/+-, got %r" % (webroot,))
    for key in ("tls_dir", "access_log"):
        value = settings.get(key)
        if not isinstance(value, str) or not _FS_PATH.match(value):
            problems.append("%s: must be an absolute path of letters, digits and ._/+-, got %r" % (key, value))
    log_format = settings.get("access_log_format")
    if not isinstance(log_format, str) or not _LOG_FORMAT.match(log_format):
        problems.append("access_log_format: must be the name of an nginx log_format (letters, digits, _), got %r"
                        % (log_format,))
    problems.extend(_certificate_loading_problems(settings))
    hsts = settings.get("hsts_max_age")
    if isinstance(hsts, bool) or not isinstance(hsts, int) or hsts < 0:
        problems.append("hsts_max_age: must be a non-negative integer of seconds, got %r" % (hsts,))
    allow = settings.get("staff_allow") or []
    if not isinstance(allow, list):
        problems.append("staff_allow: must be a list of addresses or networks")
        allow = []
    for entry in allow:
        try:
            ipaddress.ip_network(entry, strict=False)
        except (TypeError, ValueError):
            problems.append("staff_allow: %r is not an IP address or network" % (entry,))
    return problems


def _certificate_loading_problems(settings):
    """When nginx reads the reseller certificates: `reload` (with its configuration) or `handshake` (from the
    files at each handshake, by nginx's workers: only a user-space nginx's workers own the 0600 keys)."""
    loading = settings.get("certificate_loading")
    if loading not in CERTIFICATE_LOADING:
        return ["certificate_loading: must be one of %s, got %r" % (", ".join(CERTIFICATE_LOADING), loading)]
    if loading == "handshake" and settings.get("user_space") is not True:
        return ["certificate_loading: handshake needs the user-space nginx (panel_nginx_user_space): a system "
                "nginx's workers cannot read the keys, which only their owner may read"]
    return []


def reseller_sites(resellers):
    """Vhost records for the resellers: (sites, retired, problems), read through the inventory model.

    `sites` holds one record per FQDN of a reseller whose state is present or suspended; `retired` the FQDNs of
    absent resellers (their vhost and certificate are retired). Every problem names the reseller and field.
    """
    inventory = _model.read_resellers(resellers)
    return [site.vhost() for site in inventory.reseller_sites()], inventory.retired_fqdns(), inventory.problems


def provider_site(provider_url):
    """The provider vhost record: ([site], problems)."""
    site, problems = _model.provider_site(provider_url)
    return ([site.vhost()] if site is not None else []), problems


# --------------------------------------------------------------------------------------------- the writer

def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _mode(path):
    try:
        return os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        return None


def _first_line(data):
    return data.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")


def _managed_set(path):
    """The set name a vhost file's marker names, or None."""
    try:
        with open(path, "rb") as handle:
            line = _first_line(handle.readline())
    except (FileNotFoundError, IsADirectoryError):
        return None
    if line.startswith(MARKER_PREFIX):
        return line[len(MARKER_PREFIX):].strip()
    return None


def _read_handover_file(path, kind, fields):
    """[{field: str}] from a JSON file handed over by the action plugin (a list of `kind` items with those string
    fields); the file is removed once read. Raises ValueError on a malformed file."""
    out = []
    for index, item in enumerate(read_json_list(path, kind)):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in fields):
            raise ValueError("%s: %s %d needs the strings %s and %s"
                             % (path, kind, index, ", ".join(fields[:-1]), fields[-1]))
        out.append(dict((k, item[k]) for k in fields))
    return out


def read_certificates_file(path):
    """The certificates [{fqdn, fullchain, key}] the action plugin handed over (it holds private keys)."""
    return _read_handover_file(path, "certificate", ("fqdn", "fullchain", "key"))


def read_sites_file(path):
    """The rendered vhosts [{name, content}] the action plugin handed over."""
    return _read_handover_file(path, "site", ("name", "content"))


def _manifest_path(tls_dir, set_name):
    return os.path.join(tls_dir, ".nginx_sites-%s.json" % set_name)


def _fingerprint(data):
    return hashlib.sha256(data).hexdigest()[:16]


def _site_set_problems(sites_dir, set_name, sites, tls_dir, certificates):
    """Every problem with a site set's input, before anything is read from disk."""
    problems = check_set_name(set_name)
    if not isinstance(sites_dir, str) or not os.path.isabs(sites_dir):
        problems.append("sites_dir: must be an absolute path, got %r" % (sites_dir,))
    if certificates and (not isinstance(tls_dir, str) or not os.path.isabs(tls_dir)):
        problems.append("tls_dir: must be an absolute path when certificates are given, got %r" % (tls_dir,))
    head = marker(set_name)
    names = set()
    for site in sites:
        name = site.get("name")
        if name != set_file_name(set_name):
            problems.extend("site %r: name: %s" % (name, problem) for problem in check_site_name(name))
        if name in names:
            problems.append("site %r: declared twice" % name)
        names.add(name)
        content = site.get("content")
        if not isinstance(content, str) or _first_line(content.encode("utf-8")) != head:
            problems.append("site %r: content must start with the marker line %r" % (name, head))
    fqdns = set()
    for cert in certificates:
        fqdn = cert.get("fqdn")
        problems.extend("certificate %r: fqdn: %s" % (fqdn, problem) for problem in check_site_name(fqdn))
        if fqdn in fqdns:
            problems.append("certificate %r: declared twice" % fqdn)
        fqdns.add(fqdn)
        for key in ("fullchain", "key"):
            if not isinstance(cert.get(key), str) or "-----BEGIN" not in cert.get(key):
                problems.append("certificate %r: %s: must be PEM text" % (fqdn, key))
    return problems


def _plan_site(plan, sites_dir, set_name, site):
    path = os.path.join(sites_dir, site["name"] + ".conf")
    text = site["content"] if site["content"].endswith("\n") else site["content"] + "\n"
    data = text.encode("utf-8")
    before = _read(path)
    if before is not None and _managed_set(path) != set_name:
        owner = _managed_set(path)
        raise NginxSitesError(
            "site %r: %s exists and is %s; refusing to overwrite it"
            % (site["name"], path, "managed by set %r" % owner if owner else "not managed by nginx_sites"))
    if before == data and _mode(path) == 0o644:
        plan["sites"][site["name"]] = "unchanged"
        return
    plan["sites"][site["name"]] = "created" if before is None else "updated"
    plan["writes"].append((path, text, 0o644, "site", site["name"]))
    if plan["diff"] is None:
        return
    plan["diff"].append({
        "before_header": path if before is not None else "/dev/null",
        "after_header": path,
        "before": (before or b"").decode("utf-8", "replace"),
        "after": data.decode("utf-8"),
    })


def _plan_stale_sites(plan, sites_dir, set_name, names):
    """Vhost files of the set that it no longer declares are retired."""
    if not os.path.isdir(sites_dir):
        return
    for entry in sorted(os.listdir(sites_dir)):
        path = os.path.join(sites_dir, entry)
        if not entry.endswith(".conf") or not os.path.isfile(path):
            continue
        name = entry[:-len(".conf")]
        if name not in names and _managed_set(path) == set_name:
            plan["sites"][name] = "removed"
            plan["retire"].append((path, "site", name))
            if plan["diff"] is not None:
                plan["diff"].append({"before_header": path, "after_header": "/dev/null",
                                     "before": _read(path).decode("utf-8", "replace"), "after": ""})


def _plan_certificate(plan, tls_dir, set_name, cert, managed):
    fqdn = cert["fqdn"]
    crt_path = os.path.join(tls_dir, fqdn + ".crt")
    key_path = os.path.join(tls_dir, fqdn + ".key")
    crt = cert["fullchain"].encode("ascii")
    key = cert["key"].encode("ascii")
    old_crt, old_key = _read(crt_path), _read(key_path)
    if (old_crt is not None or old_key is not None) and fqdn not in managed:
        raise NginxSitesError("certificate %r: %s or %s exists and is not managed by set %r; refusing to "
                              "overwrite it" % (fqdn, crt_path, key_path, set_name))
    state = "unchanged"
    if old_crt != crt or _mode(crt_path) != 0o644:
        plan["writes"].append((crt_path, cert["fullchain"], 0o644, "certificate", fqdn))
        state = "updated"
    if old_key != key or _mode(key_path) != 0o600:
        plan["writes"].append((key_path, cert["key"], 0o600, "key", fqdn))
        state = "updated"
    if state != "unchanged" and old_crt is None:
        state = "created"
    plan["certificates"][fqdn] = state
    if old_crt != crt and plan["diff"] is not None:
        # Certificates are public; keys never appear in a diff, only that they changed.
        plan["diff"].append({
            "before_header": crt_path if old_crt is not None else "/dev/null",
            "after_header": crt_path,
            "before": "sha256 %s\n" % _fingerprint(old_crt) if old_crt is not None else "",
            "after": "sha256 %s\n" % _fingerprint(crt),
        })


def _plan_certificates(plan, tls_dir, set_name, certificates):
    """Certificate and key files of the set, the ones it no longer declares retired, and its manifest."""
    manifest = _read(_manifest_path(tls_dir, set_name))
    managed = set(json.loads(manifest.decode("utf-8")).get("certificates", [])) if manifest else set()
    fqdns = set(cert["fqdn"] for cert in certificates)
    for cert in sorted(certificates, key=lambda c: c["fqdn"]):
        _plan_certificate(plan, tls_dir, set_name, cert, managed)
    for fqdn in sorted(managed - fqdns):
        plan["certificates"][fqdn] = "removed"
        for suffix, kind in ((".crt", "certificate"), (".key", "key")):
            path = os.path.join(tls_dir, fqdn + suffix)
            if os.path.exists(path):
                plan["retire"].append((path, kind, fqdn))
    if plan["writes"] or plan["retire"] or manifest is None or managed != fqdns:
        wanted = json.dumps({"certificates": sorted(fqdns)}, indent=1).encode("utf-8") + b"\n"
        if manifest != wanted:
            plan["manifest"] = (_manifest_path(tls_dir, set_name), wanted)


def plan_site_set(sites_dir, set_name, sites, tls_dir=None, certificates=None, with_diff=True):
    """What applying the set would do, without touching anything.

    sites: [{name, content}] -> <sites_dir>/<name>.conf (the content must start with the set's marker line).
    certificates: [{fqdn, fullchain, key}] -> <tls_dir>/<fqdn>.crt (0644) and <tls_dir>/<fqdn>.key (0600).
    Returns a plan dict: writes [(path, text, mode, kind, name)], retire [(path, kind, name)], per-name results,
    and diff (None without with_diff: a full converge's diff is a second copy of every vhost, held while nginx
    tests the configuration).
    A write holds the text it came with, not its encoded bytes: those are made one file at a time as it is
    written, so that the whole set is not held twice over while `nginx -t` runs beside this process.
    """
    certificates = certificates or []
    problems = _site_set_problems(sites_dir, set_name, sites, tls_dir, certificates)
    if problems:
        raise NginxSitesError("invalid site set: " + "; ".join(problems), problems=problems)
    plan = {"writes": [], "retire": [], "sites": {}, "certificates": {}, "diff": [] if with_diff else None}
    for site in sorted(sites, key=lambda s: s["name"]):
        _plan_site(plan, sites_dir, set_name, site)
    _plan_stale_sites(plan, sites_dir, set_name, set(site["name"] for site in sites))
    if tls_dir:
        _plan_certificates(plan, tls_dir, set_name, certificates)
    return plan


def run_test(command, run_command):
    """Run the configuration test with `run_command` (AnsibleModule.run_command, or a callable with its
    signature); returns (ok, output). A test that cannot even start is not nginx rejecting the configuration:
    NginxSitesError says so (the caller restores the previous files)."""
    try:
        rc, out, err = run_command(command, handle_exceptions=False)
    except OSError as exc:
        raise NginxSitesError("could not run the nginx configuration test %s (%s); the previous files were "
                              "restored and nothing was reloaded" % (" ".join(command), exc))
    return rc == 0, "\n".join(part.strip() for part in (out, err) if part and part.strip())


# Two runs configuring one frontend at once serialize on a lock of its sites directory (_locks).
LOCK_TIMEOUT = _locks.DEFAULT_TIMEOUT


@contextlib.contextmanager
def frontend_lock(sites_dir, timeout=LOCK_TIMEOUT):
    """Hold the frontend's lock; NginxSitesError when another run keeps it longer than `timeout` seconds."""
    try:
        with _locks.directory_lock(sites_dir, timeout):
            yield
    except _locks.LockTimeout as exc:
        raise NginxSitesError("another run is configuring this frontend: %s" % exc)


def apply_site_set(sites_dir, set_name, sites, tls_dir=None, certificates=None, test_command=None,
                   check_mode=False, lock_timeout=LOCK_TIMEOUT, run_command=None, with_diff=True,
                   reload_command=None, reload=False):
    """Apply a whole site set; returns a result dict (changed, sites, certificates, created, ..., diff, reloaded).

    On a failed configuration test every written file is restored, every retired file put back, and
    NginxSitesError carries nginx's output. With `reload_command`, nginx is reloaded once the new files passed
    the test, when the set changed, a reload is pending, or `reload` asks for it (something else of this
    frontend changed in this run); without it nothing is reloaded and the caller notifies a handler.
    Outside check mode the plan, the writes and the reload happen under the frontend's lock (frontend_lock).
    `test_command` and `reload_command` run through `run_command` (the module's AnsibleModule.run_command).
    with_diff=False leaves the result's diff empty (the module asks for one only in diff mode).
    """
    if (test_command or reload_command) and run_command is None:
        raise TypeError("apply_site_set: test_command and reload_command need run_command")
    tester = (lambda: run_test(test_command, run_command)) if test_command else None
    if check_mode or not isinstance(sites_dir, str) or not os.path.isabs(sites_dir):
        result = _apply_site_set(sites_dir, set_name, sites, tls_dir, certificates, tester, check_mode, with_diff)
        result["reloaded"] = False
        return result
    os.makedirs(sites_dir, exist_ok=True)
    with frontend_lock(sites_dir, lock_timeout):
        result = _apply_site_set(sites_dir, set_name, sites, tls_dir, certificates, tester, check_mode, with_diff)
        result["reloaded"] = bool(reload_command and (result["changed"] or reload))
        if result["reloaded"]:
            reload_frontend(reload_command, run_command, tls_dir)
    return result


def reload_frontend(command, run_command, tls_dir):
    """Reload nginx with `command`, then remove the pending-reload marker: only a reload that succeeded does, so
    a failed one is tried again by the next run. The files stay: they passed the configuration test."""
    try:
        rc, out, err = run_command(command, handle_exceptions=False)
    except OSError as exc:
        rc, out, err = None, "", str(exc)
    if rc != 0:
        output = "\n".join(part.strip() for part in (out, err) if part and part.strip())
        raise NginxSitesError("the new files passed the configuration test, but the reload %s failed (%s); they "
                              "stay in place and the next run reloads again" % (" ".join(command), output
                                                                                or "exit status %s" % rc),
                              nginx_output=output)
    if tls_dir:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(tls_dir, RELOAD_PENDING))


# Written to the TLS directory before a change and removed once nginx has reloaded (by reload_frontend or the
# role's handler): a run killed in between leaves it, and the next run reports the frontend changed so that the
# reload happens.
RELOAD_PENDING = ".reload-pending"


def _apply_site_set(sites_dir, set_name, sites, tls_dir, certificates, tester, check_mode, with_diff):
    plan = plan_site_set(sites_dir, set_name, sites, tls_dir, certificates, with_diff)
    changed = bool(plan["writes"] or plan["retire"] or plan.get("manifest"))
    pending_path = os.path.join(tls_dir, RELOAD_PENDING) if tls_dir else None
    pending = bool(pending_path and os.path.exists(pending_path))
    # The per-site results name sites only; the set's shared file is reported on its own.
    shared = plan["sites"].pop(set_file_name(set_name), None)
    result = {
        "changed": changed or pending,
        # Whether this run writes the set's files: a pending reload alone writes none, and leaves nothing to undo.
        "files_changed": changed,
        "reload_pending": pending,
        "sites": plan["sites"],
        "certificates": plan["certificates"],
        "diff": plan["diff"] or [],
        "tested": False,
    }
    if shared:
        result["shared_file"] = shared
    for state in ("created", "updated", "unchanged", "removed"):
        result[state] = sorted(n for n, s in plan["sites"].items() if s == state)
    snapshot = _previous_path(sites_dir, tls_dir, set_name)
    if check_mode:
        return result
    if not changed:
        # Nothing of this set changed: the record of its last change stays as it is (a run that changes nothing
        # writes nothing). Whether that change belongs to the current run is the caller's to know: site.yml
        # restores only the sets whose task reported a change.
        return result
    undo, moved = _write_plan(plan, sites_dir, pending_path if pending_path and not pending else None, tester,
                              result)
    _save_previous(snapshot, [entry for entry in undo if entry[0] != pending_path], moved)
    return result


# What the last change of a set replaced, so that a frontend failing its health check after the reload can be
# put back (restore_previous): one file per set, beside the certificates (it holds previous keys), mode 0600.
def _previous_path(sites_dir, tls_dir, set_name):
    return os.path.join(tls_dir or sites_dir, ".nginx_sites-%s.previous.json" % set_name)


def _save_previous(path, undo, moved):
    data = {"undo": [[p, base64.b64encode(d).decode("ascii") if d is not None else None, m] for p, d, m in undo],
            "moved": [list(pair) for pair in moved]}
    atomic_write(path, json.dumps(data).encode("utf-8"), 0o600)


def restore_previous(sites_dir, tls_dir, set_name, check_mode=False, lock_timeout=LOCK_TIMEOUT):
    """Put back what the last change of the set replaced (files rewritten, created or retired); True when there
    was such a change to undo. The caller reloads nginx."""
    path = _previous_path(sites_dir, tls_dir, set_name)
    if not os.path.exists(path) or check_mode:
        return os.path.exists(path)
    with frontend_lock(sites_dir, lock_timeout):
        with open(path) as handle:
            data = json.load(handle)
        undo = [(p, base64.b64decode(d) if d is not None else None, m) for p, d, m in data["undo"]]
        _restore(undo, [tuple(pair) for pair in data["moved"]])
        os.unlink(path)
    return True


def _write_plan(plan, sites_dir, pending_path, tester, result):
    """Write and retire the plan's files, test the configuration, then record the manifest; on any failure
    every file is put back as it was (NginxSitesError carries nginx's output)."""
    undo = []  # (path, previous bytes or None, previous mode)
    moved = []  # (retired path, original path)
    try:
        if pending_path:
            os.makedirs(os.path.dirname(pending_path), exist_ok=True)
            undo.append((pending_path, None, None))
            atomic_write(pending_path, b"", 0o600)
        for directory in {os.path.dirname(write[0]) for write in plan["writes"]} | {sites_dir}:
            os.makedirs(directory, exist_ok=True)
        for path, data, mode, _kind, _name in plan["writes"]:
            undo.append((path, _read(path), _mode(path)))
        # All vhosts and certificates at once: one sync for the whole set instead of one per file.
        write_atomically((path, text.encode("utf-8"), mode) for path, text, mode, _kind, _name in plan["writes"])
        for path, _kind, _name in plan["retire"]:
            moved.append(_retire(path))
        if tester:
            _test_configuration(tester, result)
        if plan.get("manifest"):
            undo.append((plan["manifest"][0], _read(plan["manifest"][0]), _mode(plan["manifest"][0])))
            atomic_write(plan["manifest"][0], plan["manifest"][1], 0o600)
    except BaseException:
        _restore(undo, moved)
        raise
    return undo, moved


def _retire(path):
    """Move a file into the retired/ directory beside it; returns (retired path, original path)."""
    retired_dir = os.path.join(os.path.dirname(path), RETIRED_DIR)
    os.makedirs(retired_dir, mode=0o700, exist_ok=True)
    target = os.path.join(retired_dir, os.path.basename(path))
    os.replace(path, target)
    return target, path


def _test_configuration(tester, result):
    """Run the configuration test (`tester`, a callable returning (ok, output)); NginxSitesError when nginx
    rejects the configuration (the caller restores the previous files)."""
    ok, output = tester()
    result["tested"] = True
    result["nginx_output"] = output
    if not ok:
        raise NginxSitesError("nginx rejected the configuration; the previous files were restored and "
                              "nothing was reloaded. nginx said:\n%s" % output, nginx_output=output)


def _restore(undo, moved):
    for target, original in reversed(moved):
        if os.path.exists(target):
            os.replace(target, original)
    for path, data, mode in reversed(undo):
        if data is None:
            if os.path.exists(path):
                os.unlink(path)
        elif _read(path) != data or _mode(path) != mode:
            # Only what was replaced is written back: a file the failed run never reached stays untouched (in a
            # directory that cannot be written, rewriting it would fail and leave the rest unrestored).
            atomic_write(path, data, mode if mode is not None else 0o644)


def unified_diff(diff_entries):
    """The diff entries as one unified diff text (for logs and tests)."""
    out = []
    for entry in diff_entries:
        out.extend(difflib.unified_diff(entry["before"].splitlines(True), entry["after"].splitlines(True),
                                        entry["before_header"], entry["after_header"]))
    return "".join(out)
