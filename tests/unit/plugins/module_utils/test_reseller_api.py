# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_reseller_api without a panel: the HTTP client (errors, 429 retries, pages), the inventory-to-API shapes, and
the sync (what changes, dry runs first, every problem at once, what a fault mid-way reports). The modules
against a real panel are in tests/reliability/test_reseller_modules.py."""
from __future__ import annotations

import io
import json

import pytest
from ansible.module_utils.six.moves.urllib.error import HTTPError

from ansible_collections.panelops.reseller.plugins.module_utils import _reseller_api as api_utils
from ansible_collections.panelops.reseller.plugins.module_utils._reseller_api import (
    ApiError,
    ResellerApi,
    SyncFailed,
    plan_body,
    plan_changes,
    same_record,
    sync_collection,
)

PARAMS = {"api_url": "https://panel.example.test/reseller/api/v1", "api_token": "pnl_secret", "timeout": 5}


class Answer(object):
    def __init__(self, status, body, headers=None):
        self.status, self.raw, self.headers = status, json.dumps(body).encode(), headers or {}

    def read(self):
        return self.raw

    def getcode(self):
        return self.status


def http_error(status, body, headers=None):
    return HTTPError("https://x/", status, "error", headers or {}, io.BytesIO(json.dumps(body).encode()))


class Opener(object):
    """Answers queued per call; records every request."""

    def __init__(self, *answers):
        self.answers, self.calls = list(answers), []

    def __call__(self, url, **kwargs):
        self.calls.append(dict(kwargs, url=url))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_requests_carry_the_token_and_json():
    opener = Opener(Answer(200, {"reseller": "acme"}))
    api = ResellerApi(dict(PARAMS), opener=opener)
    assert api.request("PUT", "plans/a%20b", {"currency": "EUR"}, {"If-Match": '"x"'})[1] == {"reseller": "acme"}
    call = opener.calls[0]
    assert call["url"] == "https://panel.example.test/reseller/api/v1/plans/a%20b"
    assert call["headers"]["Authorization"] == "Bearer pnl_secret" and call["headers"]["If-Match"] == '"x"'
    assert json.loads(call["data"]) == {"currency": "EUR"} and call["follow_redirects"] == "none"


def test_errors_keep_the_panels_sentence_and_fields():
    opener = Opener(http_error(400, {"detail": "plan 'p' refused", "errors": [
        {"field": "rules[0].tiers[0].price", "message": "-1 is negative"}, {"field": None, "message": "whole"}]}))
    with pytest.raises(ApiError) as caught:
        ResellerApi(dict(PARAMS), opener=opener).request("PUT", "plans/p", {})
    assert caught.value.status == 400
    assert caught.value.problems("plan 'p'") == ["plan 'p': rules[0].tiers[0].price: -1 is negative",
                                                 "plan 'p': whole"]
    opener = Opener(HTTPError("https://x/", 502, "bad gateway", {}, io.BytesIO(b"<html>")))
    with pytest.raises(ApiError, match="not its API's JSON"):
        ResellerApi(dict(PARAMS), opener=opener).request("GET", "plans/")


def test_429_is_retried_after_the_time_the_panel_asks_for():
    waited = []
    opener = Opener(http_error(429, {"detail": "slow down"}, {"Retry-After": "3"}),
                    http_error(429, {"detail": "slow down"}, {"Retry-After": "9999"}), Answer(200, {"ok": True}))
    api = ResellerApi(dict(PARAMS), sleep=waited.append, opener=opener)
    assert api.request("GET", "account")[1] == {"ok": True}
    assert waited == [3, api_utils.MAX_RETRY_WAIT]
    opener = Opener(*[http_error(429, {"detail": "slow down"}, {"Retry-After": "1"})] * 6)
    with pytest.raises(ApiError) as caught:
        ResellerApi(dict(PARAMS), sleep=lambda s: None, opener=opener).request("GET", "account")
    assert caught.value.status == 429 and len(opener.calls) == api_utils.RETRIES_ON_429 + 1


def test_lists_are_read_page_by_page():
    opener = Opener(Answer(200, {"results": [{"name": "a"}], "next": "http://elsewhere/?page=2"}),
                    Answer(200, {"results": [{"name": "b"}], "next": None}))
    assert [r["name"] for r in ResellerApi(dict(PARAMS), opener=opener).list_all("plans")] == ["a", "b"]
    assert opener.calls[1]["url"].startswith("https://panel.example.test/reseller/api/v1/plans/?")
    assert "page=2" in opener.calls[1]["url"]


def test_the_unix_socket_is_for_plain_http_only():
    with pytest.raises(ApiError, match="plain-http"):
        ResellerApi(dict(PARAMS, api_unix_socket="/run/panel/gunicorn.sock"))
    opener = Opener(Answer(200, {}))
    ResellerApi(dict(PARAMS, api_url="http://panel.example.test/reseller/api/v1/",
                     api_unix_socket="/run/panel/gunicorn.sock"), opener=opener).request("GET", "account")
    assert opener.calls[0]["unix_socket"] == "/run/panel/gunicorn.sock"
    assert opener.calls[0]["url"].startswith("http://panel.example.test/")
    with pytest.raises(ApiError, match="http"):
        ResellerApi(dict(PARAMS, api_url="ftp://x/"))


PLAN = {"name": "retail", "currency": "EUR", "rules": [
    {"name": "vCPU", "resource": "instance", "attribute": "vcpus", "tiers": [{"from": 0, "price": 0.0040}]}]}
STORED_RULE = {"name": "vCPU", "resource": "instance", "attribute": "vcpus", "time_unit": "h", "priority": 0,
               "tiers": [{"from": "0", "price": "0.004"}], "conditions": [], "modifiers": []}
STORED = {"name": "retail", "currency": "EUR", "is_default": False, "archived": False, "managed": False,
          "etag": '"e1"', "rules": [STORED_RULE]}


def test_an_inventory_plan_compares_equal_to_its_stored_form():
    assert same_record(STORED, plan_body(PLAN))
    assert not same_record(STORED, plan_body(dict(PLAN, is_default=True)))
    assert not same_record(dict(STORED, archived=True), plan_body(PLAN))


def test_what_changes():
    others = [dict(STORED, name="mine", etag='"e2"'), dict(STORED, name="theirs", managed=True),
              dict(STORED, name="old", archived=True)]
    theirs = plan_body(dict(PLAN, name="theirs", currency="USD"))
    bodies = [plan_body(PLAN), plan_body(dict(PLAN, name="new")), theirs]
    changes, unchanged, problems = plan_changes("plans", "plan", bodies, [STORED] + others, purge=True)
    assert unchanged == ["retail"]
    assert [(c.name, c.action, c.path) for c in changes] == [("new", "created", "plans/new"),
                                                             ("mine", "archived", "plans/mine")]
    assert changes[1].etag == '"e2"' and changes[0].etag is None
    assert problems == ["plan 'theirs': managed by the provider's inventory, read-only here (it differs from this "
                        "list: remove it from the list, or ask the provider)"]
    assert [c.name for c in plan_changes("plans", "plan", bodies[:2], [STORED] + others, purge=False)[0]] == ["new"]


class FakeApi(object):
    """The API's list and writes in memory; `refuse` maps names to an ApiError for every write of them."""

    def __init__(self, records, refuse=None, fail_for_real=None):
        self.records = dict((r["name"], dict(r)) for r in records)
        self.refuse, self.fail_for_real, self.writes = refuse or {}, fail_for_real, []

    def list_all(self, collection):
        return [dict(r) for r in self.records.values()]

    def write(self, method, path, body, etag, dry_run):
        name = path.split("/", 1)[1]
        if name in self.refuse:
            raise self.refuse[name]
        if not dry_run and name == self.fail_for_real:
            raise ApiError(0, "cannot reach the panel")
        after = dict(self.records.get(name) or {}, **(body or {"archived": True}))
        after.update(managed=False, etag='"new"')
        after["rules"] = [dict(r, tiers=[{"from": "0", "price": "0.004"}]) for r in after.get("rules", [])]
        if not dry_run:
            self.writes.append((method, name, etag))
            self.records[name] = after
        return after


def test_check_mode_writes_nothing_and_reports_the_changes():
    api = FakeApi([STORED])
    result = sync_collection(api, "plan", "plans", [plan_body(dict(PLAN, currency="USD"))], False, check_mode=True)
    assert result["changed"] is True and result["updated"] == ["retail"] and api.writes == []
    assert '"currency": "EUR"' in result["diff"]["before"] and '"currency": "USD"' in result["diff"]["after"]


def test_a_change_the_panel_spells_the_same_is_unchanged():
    api = FakeApi([STORED])
    body = plan_body(PLAN)
    body["rules"][0]["tiers"][0]["price"] = "0.00400"  # not what the client guesses, but what the panel stores
    result = sync_collection(api, "plan", "plans", [body], False, check_mode=False)
    assert result["changed"] is False and result["unchanged"] == ["retail"] and api.writes == []


def test_every_refusal_is_reported_before_anything_is_written():
    refusals = {"a": ApiError(400, "x", [{"field": "currency", "message": "an ISO 4217 currency code"}]),
                "c": ApiError(400, "x", [{"field": "rules[0].tiers[0].from", "message": "must start at 0"}])}
    api = FakeApi([], refuse=refusals)
    bodies = [plan_body(dict(PLAN, name=name)) for name in ("a", "b", "c")]
    with pytest.raises(SyncFailed) as caught:
        sync_collection(api, "plan", "plans", bodies, False, check_mode=False)
    assert caught.value.problems == ["plan 'a': currency: an ISO 4217 currency code",
                                     "plan 'c': rules[0].tiers[0].from: must start at 0"]
    assert caught.value.message("the reseller's plans").endswith("nothing was changed") and api.writes == []


def test_a_fault_while_writing_says_what_was_written():
    api = FakeApi([], fail_for_real="b")
    bodies = [plan_body(dict(PLAN, name=name)) for name in ("a", "b", "c")]
    with pytest.raises(SyncFailed) as caught:
        sync_collection(api, "plan", "plans", bodies, False, check_mode=False)
    message = caught.value.message("the reseller's plans")
    assert "plan 'b': cannot reach the panel" in message
    assert "written before the failure: a; not tried: c (run again to finish)" in message
    assert [w[1] for w in api.writes] == ["a"]


def test_writes_carry_the_etag_read_and_create_only_if_absent():
    api = FakeApi([dict(STORED, etag='"e1"')])
    sync_collection(api, "plan", "plans", [plan_body(dict(PLAN, currency="USD")), plan_body(dict(PLAN, name="n"))],
                    False, check_mode=False)
    assert api.writes == [("PUT", "retail", '"e1"'), ("PUT", "n", None)]


def test_the_collections_validation_runs_first():
    with pytest.raises(SyncFailed) as caught:
        api_utils.sync_plans(FakeApi([]), [{"name": "p", "currency": "XYZ"}, {"name": "p", "currency": "EUR"}],
                             False, True)
    assert any("currency" in p for p in caught.value.problems)
    assert any("duplicate plan name" in p for p in caught.value.problems)


def test_brand_bodies():
    body, digest = api_utils.brand_body({"name": "ACME", "primary_color": "#ABC"})
    assert body["primary_color"] == "#aabbcc" and body["logo"] is None and digest is None
    assert body["support_email"] == ""
