# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A reseller's own catalogue through the panel's reseller API (docs/api.md): no database access.

The reseller modules (reseller_plans, reseller_configurations, reseller_brand) are thin shells over this file:

1. the list is checked with the collection's own validation (_seed_validation), before any request;
2. what the panel holds is read (every page of the list), and each declared record compared with it;
3. every record that would change is sent once as a dry run (``?dry_run=true``): the panel checks it with the
   dashboard's own forms and answers what it would store; a record whose answer equals what is stored is
   unchanged after all (the panel's spelling of a price wins), and every refusal is collected, so a bad list
   fails naming every plan and field before anything is written;
4. in check mode that is all; otherwise the same requests are sent for real, each with the If-Match of the
   record as read, so a record changed in the dashboard meanwhile is refused (412), not overwritten.

A fault in step 4 (the panel going away, a concurrent edit) can leave the records before it written: the
failure says which were, which failed and which were not tried, and running again finishes the job.
"""

from __future__ import annotations

import copy
import json
import time

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.six.moves.urllib.error import HTTPError, URLError
from ansible.module_utils.six.moves.urllib.parse import quote, urlencode, urlsplit
from ansible.module_utils.urls import open_url

from ansible_collections.panelops.reseller.plugins.module_utils._canonical import canonical_decimal, normalize_color
from ansible_collections.panelops.reseller.plugins.module_utils._results import echo_compactly
from ansible_collections.panelops.reseller.plugins.module_utils._seed_validation import (
    BRAND_TEXT_KEYS,
    validate_brand,
    validate_configurations,
    validate_plans,
)
from ansible_collections.panelops.reseller.plugins.module_utils._vocabulary import (
    DEFAULT_BRAND_COLOR,
    DEFAULT_PRIORITY,
    DEFAULT_TIME_UNIT,
)

API_ARGUMENT_SPEC = dict(
    api_url=dict(type="str", required=True),
    api_token=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["PANELOPS_RESELLER_API_TOKEN"])),
    api_unix_socket=dict(type="path"),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    timeout=dict(type="int", default=30),
)
LIST_OPTION = dict(type="list", elements="dict", required=True)
PURGE_OPTION = dict(type="bool", default=False)
# How often and how long a request refused with 429 (the per-token rate limit) is tried again.
RETRIES_ON_429 = 5
MAX_RETRY_WAIT = 60
PAGE_SIZE = 100


class ApiError(Exception):
    """An answer that is not a success: the HTTP status, the panel's sentence and its field problems."""

    def __init__(self, status, detail, errors=()):
        self.status, self.detail, self.errors = status, detail, list(errors)
        super(ApiError, self).__init__(detail)

    def problems(self, label):
        """One line per problem, each naming `label` (the record) and the field."""
        if not self.errors:
            return ["%s: %s" % (label, self.detail)]
        return ["%s: %s%s" % (label, "%s: " % e["field"] if e.get("field") else "", e.get("message"))
                for e in self.errors]


def api_argument_spec(**extra):
    """The connection options every reseller module has (doc fragment reseller_api), plus its own."""
    spec = copy.deepcopy(API_ARGUMENT_SPEC)
    spec.update(extra)
    return spec


def _error_of(status, raw):
    try:
        body = json.loads(raw)
        return ApiError(status, body.get("detail") or "HTTP %d" % status, body.get("errors") or [])
    except (ValueError, AttributeError):
        return ApiError(status, "HTTP %d from the panel (not its API's JSON: is api_url right?)" % status)


class ResellerApi(object):
    """JSON requests to one panel's reseller API with one token."""

    def __init__(self, params, sleep=time.sleep, opener=open_url):
        self.base = params["api_url"].rstrip("/") + "/"
        self.params, self.sleep, self.opener = params, sleep, opener
        if urlsplit(self.base).scheme not in ("http", "https"):
            raise ApiError(0, "api_url must be an http(s) URL such as https://panel.example.com/reseller/api/v1/")
        if params.get("api_unix_socket") and urlsplit(self.base).scheme != "http":
            raise ApiError(0, "api_unix_socket is for plain-http access to the panel's own socket: api_url must "
                              "then be http://<the provider's host>/<dashboard path>api/v1/")

    def _headers(self, extra):
        headers = {"Authorization": "Bearer %s" % self.params["api_token"], "Accept": "application/json"}
        headers.update(extra or {})
        return headers

    def _open(self, method, url, data, headers):
        return self.opener(url, method=method, data=data, headers=headers, timeout=self.params.get("timeout", 30),
                           validate_certs=self.params.get("validate_certs", True),
                           ca_path=self.params.get("ca_path"), follow_redirects="none", use_proxy=True,
                           unix_socket=self.params.get("api_unix_socket"))

    def request(self, method, path, body=None, headers=None, query=None):
        """(status, decoded JSON body, response headers); raises ApiError for anything but a success."""
        url = self.base + path + ("?" + urlencode(query) if query else "")
        data = json.dumps(body).encode("utf-8") if body is not None else None
        headers = self._headers(dict(headers or {}, **({"Content-Type": "application/json"} if data else {})))
        for attempt in range(RETRIES_ON_429 + 1):
            try:
                response = self._open(method, url, data, headers)
                raw = response.read()
                return response.getcode(), json.loads(raw) if raw else None, dict(response.headers)
            except HTTPError as error:
                if error.code != 429 or attempt == RETRIES_ON_429:
                    raise _error_of(error.code, error.read())
                self.sleep(min(MAX_RETRY_WAIT, max(1, int(error.headers.get("Retry-After") or 1))))
            except URLError as error:
                raise ApiError(0, "cannot reach the panel at %s: %s" % (self.base, getattr(error, "reason", error)))
            except ValueError:
                raise ApiError(0, "the panel's answer to %s %s is not JSON" % (method, path))
        raise ApiError(429, "rate limited")  # pragma: no cover - the loop returns or raises

    def list_all(self, collection):
        """Every record of a paginated list, page by page (numbered from 1, not the absolute `next` links,
        which name the host the panel saw)."""
        found, page = [], 1
        while True:
            body = self.request("GET", collection + "/", query={"page": page, "page_size": PAGE_SIZE})[1]
            found.extend(body["results"])
            if not body.get("next"):
                return found
            page += 1

    def get(self, path):
        """The record at `path`, or None when the panel has none (404)."""
        try:
            return self.request("GET", path)[1]
        except ApiError as error:
            if error.status == 404:
                return None
            raise

    def write(self, method, path, body, etag, dry_run):
        """PUT or DELETE with If-Match (If-None-Match: * for a record that did not exist); the stored record."""
        headers = {"If-Match": etag} if etag else {"If-None-Match": "*"}
        return self.request(method, path, body, headers, {"dry_run": "true"} if dry_run else None)[1]


def record_path(collection, name):
    return "%s/%s" % (collection, quote(name, safe=""))


def shown(record):
    """A record as stored, without what is not the record's content (its ETag)."""
    return dict((key, value) for key, value in (record or {}).items() if key != "etag")


# -- what the inventory declares, in the API's shape ---------------------------------------------------------

def _decimal(value):
    try:
        return canonical_decimal(value)
    except Exception:  # noqa: BLE001 - the panel will refuse it, naming the field
        return value


def _conditions(items):
    return [{"attribute": c.get("attribute"), "op": c.get("op"), "value": c.get("value")} for c in items or []]


def _rule(rule):
    return {"name": rule.get("name"), "resource": rule.get("resource"), "attribute": rule.get("attribute") or None,
            "time_unit": rule.get("time_unit", DEFAULT_TIME_UNIT), "priority": rule.get("priority", DEFAULT_PRIORITY),
            "tiers": [{"from": _decimal(t.get("from")), "price": _decimal(t.get("price"))}
                      for t in rule.get("tiers") or []],
            "conditions": _conditions(rule.get("conditions")),
            "modifiers": [{"name": m.get("name"), "price": _decimal(m.get("price")),
                           "time_unit": m.get("time_unit", DEFAULT_TIME_UNIT), "is_percent": m.get("is_percent", False),
                           "when": _conditions(m.get("when"))} for m in rule.get("modifiers") or []]}


def plan_body(plan):
    """A plan of the inventory (panel_plans' shape) as the API's plan, with the panel's defaults filled in."""
    return {"name": plan["name"], "currency": plan.get("currency"), "is_default": plan.get("is_default", False),
            "archived": False, "rules": [_rule(rule) for rule in plan.get("rules") or []]}


def configuration_body(conf):
    """A configuration of the inventory (`default`, as panel_configurations has it) as the API's."""
    return {"name": conf["name"], "description": conf.get("description", ""),
            "is_default": conf.get("default", False), "archived": False, "options": conf.get("options", {})}


def brand_body(brand):
    """The inventory's brand (its logo embedded by the action plugin) as the API's; no logo: none."""
    body = dict((key, brand.get(key) or "") for key in BRAND_TEXT_KEYS)
    body["primary_color"] = normalize_color(brand.get("primary_color") or DEFAULT_BRAND_COLOR)
    logo = brand.get("logo")
    body["logo"] = logo["data"] if isinstance(logo, dict) else None
    return body, (logo["sha256"] if isinstance(logo, dict) else None)


# -- comparing and syncing -----------------------------------------------------------------------------------

def _comparable(body):
    return dict((key, value) for key, value in body.items() if key not in ("managed", "etag", "name"))


def same_record(current, body):
    """Whether the stored record already is `body` (a client-side guess: a 'no' is checked by a dry run)."""
    return json.dumps(_comparable(shown(current)), sort_keys=True) == json.dumps(_comparable(body), sort_keys=True)


class Change(object):
    """One write the sync would make: which record, what it is now, what it becomes."""

    def __init__(self, name, action, path, body, current):
        self.name, self.action, self.path, self.body, self.current = name, action, path, body, current
        self.after = None

    @property
    def method(self):
        return "DELETE" if self.action == "archived" else "PUT"

    @property
    def etag(self):
        return (self.current or {}).get("etag")


def plan_changes(collection, kind, bodies, current, purge):
    """(changes, unchanged names, problems) for the declared `bodies` against the `current` records."""
    changes, unchanged, problems = [], [], []
    by_name = dict((record["name"], record) for record in current)
    for body in bodies:
        record = by_name.get(body["name"])
        if record is not None and same_record(record, body):
            unchanged.append(body["name"])
        elif record is not None and record.get("managed"):
            problems.append("%s %r: managed by the provider's inventory, read-only here (it differs from this "
                            "list: remove it from the list, or ask the provider)" % (kind, body["name"]))
        else:
            changes.append(Change(body["name"], "created" if record is None else "updated",
                                  record_path(collection, body["name"]), body, record))
    if purge:
        declared = set(body["name"] for body in bodies)
        for record in current:
            if record["name"] not in declared and not record.get("managed") and not record.get("archived"):
                changes.append(Change(record["name"], "archived", record_path(collection, record["name"]), None,
                                      record))
    return changes, unchanged, problems


def rehearse(api, kind, changes):
    """Dry-run every change: (changes that still change something, names unchanged after all, problems)."""
    kept, unchanged, problems = [], [], []
    for change in changes:
        try:
            change.after = api.write(change.method, change.path, change.body, change.etag, dry_run=True)
        except ApiError as error:
            problems.extend(error.problems("%s %r" % (kind, change.name)))
            continue
        if change.current is not None and shown(change.after) == shown(change.current):
            unchanged.append(change.name)
        else:
            kept.append(change)
    return kept, unchanged, problems


def apply_changes(api, kind, changes):
    """Send the changes for real; on the first failure raise SyncFailed saying what was and was not written."""
    done = []
    for index, change in enumerate(changes):
        try:
            change.after = api.write(change.method, change.path, change.body, change.etag, dry_run=False)
        except ApiError as error:
            raise SyncFailed(error.problems("%s %r" % (kind, change.name)), done,
                             [c.name for c in changes[index + 1:]])
        done.append(change.name)
    return done


class SyncFailed(Exception):
    def __init__(self, problems, written=(), not_tried=()):
        self.problems, self.written, self.not_tried = list(problems), list(written), list(not_tried)
        super(SyncFailed, self).__init__("; ".join(self.problems))

    def message(self, kind):
        text = "\n".join(self.problems)
        if self.written or self.not_tried:
            text += "\nwritten before the failure: %s; not tried: %s (run again to finish)" % (
                ", ".join(self.written) or "none", ", ".join(self.not_tried) or "none")
        else:
            text += "\nnothing was changed"
        return "%s refused:\n%s" % (kind, text)


def _diff_lines(records):
    return "".join("%s\n" % json.dumps(shown(r), sort_keys=True) for r in records if r is not None)


def sync_result(kind, changes, unchanged):
    """The module result: per-record actions, the lists by action, and a readable diff."""
    actions = dict((name, "unchanged") for name in unchanged)
    actions.update((change.name, change.action) for change in changes)
    result = {"changed": bool(changes), kind + "s": actions}
    for action in ("created", "updated", "unchanged", "archived"):
        result[action] = sorted(name for name, done in actions.items() if done == action)
    result["diff"] = {"before": _diff_lines(c.current for c in changes),
                      "after": _diff_lines(c.after for c in changes)}
    return result


def sync_collection(api, kind, collection, bodies, purge, check_mode):
    """Make the reseller's records of one collection what `bodies` declare; returns the module result."""
    changes, unchanged, problems = plan_changes(collection, kind, bodies, api.list_all(collection), purge)
    changes, rehearsed_unchanged, refused = rehearse(api, kind, changes) if not problems else (changes, [], [])
    problems += refused
    if problems:
        raise SyncFailed(problems)
    if not check_mode:
        apply_changes(api, kind, changes)
    return sync_result(kind, changes, unchanged + rehearsed_unchanged)


# -- the three modules' work ---------------------------------------------------------------------------------

def _checked(problems):
    if problems:
        raise SyncFailed(problems)


def sync_plans(api, plans, purge, check_mode):
    _checked(validate_plans(plans, owner_label="reseller"))
    return sync_collection(api, "plan", "plans", [plan_body(p) for p in plans], purge, check_mode)


def sync_configurations(api, configurations, purge, check_mode):
    _checked(validate_configurations(configurations, owner_label="reseller"))
    return sync_collection(api, "configuration", "configurations", [configuration_body(c) for c in configurations],
                           purge, check_mode)


def _brand_matches(current, body, logo_sha256):
    return all(current.get(key) == body[key] for key in BRAND_TEXT_KEYS) and current.get("logo_sha256") == logo_sha256


def sync_brand(api, brand, check_mode):
    """Make the reseller's brand what `brand` declares (a logo left out means no logo)."""
    _checked(validate_brand(brand, "brand"))
    body, logo_sha256 = brand_body(brand)
    current = api.get("brand")
    if current is not None and _brand_matches(current, body, logo_sha256):
        return {"changed": False, "brand": "unchanged", "diff": {"before": "", "after": ""}}
    if current is not None and current.get("managed"):
        raise SyncFailed(["brand: managed by the provider's inventory, read-only here (it differs from this "
                          "one: ask the provider)"])
    change = Change("brand", "created" if current is None else "updated", "brand", body, current)
    changes, _unchanged, problems = rehearse(api, "brand", [change])
    _checked(problems)
    if changes and not check_mode:
        apply_changes(api, "brand", changes)
    result = sync_result("brand", changes, [] if changes else ["brand"])
    return {"changed": result["changed"], "brand": change.action if changes else "unchanged", "diff": result["diff"]}


def run_module(module_class, what, options, work):
    """The whole of a reseller module: its options (plus the connection's), `work(api, params, check_mode)`
    returning the result, failures as one message listing every problem. Big options are echoed as a count."""
    module = module_class(argument_spec=api_argument_spec(**options), supports_check_mode=True)
    echo_compactly(module, *options)
    try:
        result = work(ResellerApi(module.params), module.params, module.check_mode)
    except SyncFailed as failure:
        module.fail_json(msg=failure.message(what), problems=failure.problems)
    except ApiError as error:
        module.fail_json(msg="%s: %s" % (what, error.detail), problems=error.problems(what), status=error.status)
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result)
