"""Talking to the reseller API in tests: a token per reseller user, JSON in and out, a snapshot of the records."""
import json

from django.apps import apps
from django.test import Client as Browser

from world import PROVIDER_HOST

API = "/reseller/api/v1/"


class Api:
    """A client holding one token (or none); methods return the response, with .json() for the body."""

    def __init__(self, secret=None, host=PROVIDER_HOST):
        headers = {"HTTP_HOST": host}
        if secret:
            headers["HTTP_AUTHORIZATION"] = "Bearer " + secret
        self.browser = Browser(**headers)

    def get(self, path, **extra):
        return self.browser.get(API + path, **extra)

    def put(self, path, body, **extra):
        return self.browser.put(API + path, json.dumps(body), content_type="application/json", **extra)

    def delete(self, path, **extra):
        return self.browser.delete(API + path, **extra)

    def post(self, path, body, **extra):
        return self.browser.post(API + path, json.dumps(body), content_type="application/json", **extra)

    def raw(self, method, path, data, content_type="application/json", **extra):
        return getattr(self.browser, method)(API + path, data, content_type=content_type, **extra)


def token_for(user, scope="write", **kwargs):
    from reseller_panel.core.models import ApiToken

    return ApiToken.objects.issue(user, "test", scope, **kwargs)[1]


def snapshot():
    """Every row of every panel table but the tokens' own (a request notes when a token was last used)."""
    rows = {}
    for model in apps.get_app_config("core").get_models():
        if model._meta.db_table != "panel_api_token":
            rows[model._meta.db_table] = sorted(map(repr, model.objects.values_list()))
    return rows


def fields(response):
    """{field: message} of an error answer."""
    return {item["field"]: item["message"] for item in response.json()["errors"]}


VCPU = {"name": "vCPU", "resource": "instance", "attribute": "vcpus",
        "tiers": [{"from": "0", "price": "0.01"}, {"from": 4, "price": 0.008}],
        "conditions": [{"attribute": "region", "op": "in", "value": ["RegionOne", "RegionTwo"]}],
        "modifiers": [{"name": "Windows licence", "price": "0.02", "time_unit": "h",
                       "when": [{"attribute": "os_type", "op": "eq", "value": "windows"}]}]}
