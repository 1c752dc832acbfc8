"""API tokens: only a hash is stored, the secret is shown once, scopes, expiry, and the events that end a token
(revocation, the user deactivated, the reseller suspended or archived); made in the dashboard or by
`manage.py create_api_token`."""
import hashlib
import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as Browser
from django.utils import timezone

from api_client import Api, token_for
from reseller_panel.core.models import ApiToken, Reseller, User
from world import PROVIDER_HOST


def test_only_the_hash_is_stored(world):
    row, secret = ApiToken.objects.issue(world["a"]["user"], "ci", "write")
    assert secret.startswith("pnl_") and len(secret) > 40
    stored = ApiToken.objects.values().get(pk=row.pk)
    assert stored["token_sha256"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(stored) and stored["token_prefix"] == secret[:10]


@pytest.mark.parametrize("event,reason", [
    ("revoke", "unknown or revoked token"),
    ("expire", "the token expired"),
    ("deactivate", "is deactivated"),
    ("not_reseller", "not a user of an active reseller"),
    ("suspend", "not a user of an active reseller"),
    ("archive", "not a user of an active reseller"),
])
def test_a_token_stops_working(world, event, reason):
    row, secret = ApiToken.objects.issue(world["a"]["user"], "ci", "write", expires_days=30)
    api = Api(secret)
    assert api.get("account").status_code == 200
    user, reseller = world["a"]["user"], world["a"]["reseller"]
    if event == "revoke":
        row.delete()
    elif event == "expire":
        ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif event in ("deactivate", "not_reseller"):
        User.objects.filter(pk=user.pk).update(**{"is_active" if event == "deactivate" else "is_reseller": False})
    else:
        Reseller.objects.filter(pk=reseller.pk).update(status="suspended" if event == "suspend" else "archived")
    refused = api.get("plans/")
    assert refused.status_code == 401 and reason in refused.json()["detail"]
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_requests_without_a_valid_token_are_401(world):
    for header in (None, "Bearer", "Bearer pnl_nope", "Bearer a b", "Basic dXNlcjpwYXNz", "Bearer tok\u00e9n"):
        browser = Browser(HTTP_HOST=PROVIDER_HOST, **({"HTTP_AUTHORIZATION": header} if header else {}))
        response = browser.get("/reseller/api/v1/plans/")
        assert response.status_code == 401, header
        assert response.json()["detail"]


def test_the_api_is_never_served_on_reseller_hosts_nor_with_the_feature_off(world):
    from reseller_panel.core.models import Setting

    secret = token_for(world["a"]["user"])
    for host in (world["a"]["host"], world["b"]["host"]):
        for path in ("plans/", "openapi.json", "account"):
            assert Api(secret, host=host).get(path).status_code == 404
    Setting.objects.filter(key="reseller.enabled").update(value=False)
    assert Api(secret).get("plans/").status_code == 404


def test_create_api_token_prints_a_working_token(world):
    out = io.StringIO()
    call_command("create_api_token", "admin-of-a", "--scope", "write", "--expires-days", "7", stdout=out)
    secret = out.getvalue().strip()
    row = ApiToken.objects.get(token_sha256=hashlib.sha256(secret.encode()).hexdigest())
    assert row.scope == "write" and row.user == world["a"]["user"]
    assert timedelta(days=6) < row.expires_at - timezone.now() <= timedelta(days=7)
    assert Api(secret).get("account").json()["reseller"] == "res-a"
    out = io.StringIO()
    call_command("create_api_token", "ADMIN-OF-B", stdout=out)
    assert Api(out.getvalue().strip()).get("account").json()["token"]["scope"] == "read"


@pytest.mark.parametrize("args,message", [
    (["nobody"], "no user 'nobody'"),
    (["enduser-of-a"], "no user"),
    (["provider-staff"], "not an active reseller user"),
    (["admin-of-s"], "not an active reseller user"),
    (["admin-of-a", "--expires-days", "0"], "expires-days"),
    (["admin-of-a", "--expires-days", "99999"], "expires-days"),
])
def test_create_api_token_refuses_clearly(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *args, stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def dashboard(user):
    browser = Browser(HTTP_HOST=PROVIDER_HOST)
    browser.force_login(user)
    return browser


def test_the_dashboard_makes_lists_and_revokes_tokens(world):
    browser = dashboard(world["a"]["user"])
    page = browser.get("/reseller/tokens/")
    assert page.status_code == 200 and b"No tokens yet" in page.content
    made = browser.post("/reseller/tokens/", {"name": "Nightly CI", "scope": "write", "expires_days": "90"})
    assert made.status_code == 200
    secret = re.search(r'aria-label="The new token">(pnl_[^<]+)<', made.content.decode()).group(1)
    assert b"shown only this once" in made.content
    assert Api(secret).get("account").json()["token"]["name"] == "Nightly CI"
    listed = browser.get("/reseller/tokens/").content.decode()
    assert "Nightly CI" in listed and secret[:10] in listed and secret not in listed
    row = ApiToken.objects.get()
    # Another reseller cannot see or revoke it.
    other = dashboard(world["b"]["user"])
    assert "Nightly CI" not in other.get("/reseller/tokens/").content.decode()
    assert other.post("/reseller/tokens/%d/revoke/" % row.pk).status_code == 404
    assert Api(secret).get("account").status_code == 200
    revoked = browser.post("/reseller/tokens/%d/revoke/" % row.pk)
    assert revoked.status_code == 302 and not ApiToken.objects.exists()
    assert Api(secret).get("account").status_code == 401


def test_the_token_form_names_its_problems(world):
    browser = dashboard(world["a"]["user"])
    refused = browser.post("/reseller/tokens/", {"name": "", "scope": "admin", "expires_days": "-1"})
    assert refused.status_code == 400 and not ApiToken.objects.exists()
    body = refused.content.decode()
    assert "This field is required." in body and "Select a valid choice." in body
    assert "greater than or equal to 1" in body


def test_the_token_page_needs_no_inline_script_or_style(world):
    body = dashboard(world["a"]["user"]).post("/reseller/tokens/", {"name": "x", "scope": "read"}).content.decode()
    assert "<script>" not in body and " style=" not in body and "<style" not in body
    assert re.search(r"<script[^>]*>[^<]+</script>", body) is None
