"""Sign-up and log-in: the host decides who a new client belongs to; nothing the browser sends can change it."""
import pytest
from django.test import Client as Browser

from reseller_panel.core.models import Client, Setting, User
from world import PASSWORD, PROVIDER_HOST

FORM = {"username": "newcomer", "email": "newcomer@example.test", "password": PASSWORD}


def signup(host, data=None, **extra):
    return Browser().post("/signup/", dict(FORM, **(data or {})), HTTP_HOST=host, **extra)


def new_client():
    return User.objects.get(username=FORM["username"]).client


@pytest.mark.parametrize("key", ["a", "b"])
def test_signup_on_a_reseller_host_lands_under_that_reseller(world, key):
    browser = Browser()
    response = browser.post("/signup/", FORM, HTTP_HOST=world[key]["host"] + ":8443")
    assert response.status_code == 302
    client = new_client()
    assert client.reseller_id == world[key]["reseller"].id
    assert client.plan_id == world[key]["plan"].id
    assert client.configuration_id == world[key]["conf"].id
    home = browser.get("/", HTTP_HOST=world[key]["host"])
    assert home.status_code == 200 and world[key]["reseller"].name.encode() in home.content


def test_signup_on_the_provider_host_lands_under_the_provider(world):
    response = signup(PROVIDER_HOST)
    assert response.status_code == 302
    client = new_client()
    assert client.reseller_id is None
    assert client.plan_id == world["provider_plan"].id
    assert client.configuration_id == world["provider_conf"].id


def test_forced_registration_off_signs_up_under_the_provider(world):
    Setting.objects.filter(key="reseller.force_registration").update(value=False)
    response = signup(world["a"]["host"])
    assert response.status_code == 302
    client = new_client()
    assert client.reseller_id is None and client.plan_id == world["provider_plan"].id


def test_archived_defaults_are_not_used(world):
    world["a"]["plan"].archived = True
    world["a"]["plan"].save()
    assert signup(world["a"]["host"]).status_code == 302
    client = new_client()
    assert client.reseller_id == world["a"]["reseller"].id and client.plan_id is None


@pytest.mark.parametrize("host,status", [("unknown.test", 400), ("cloud.x.test", 404), ("cloud.s.test", 403)])
def test_signup_is_refused_on_unknown_archived_and_suspended_hosts(world, host, status):
    response = signup(host)
    assert response.status_code == status
    assert not User.objects.filter(username=FORM["username"]).exists()
    assert Client.objects.count() == 8  # the fixture's clients only


@pytest.mark.parametrize("forgery", ["form", "header", "cookie"])
@pytest.mark.parametrize("host_key", ["a", "provider"])
def test_a_reseller_id_from_the_browser_is_ignored(world, forgery, host_key):
    host = PROVIDER_HOST if host_key == "provider" else world["a"]["host"]
    expected = None if host_key == "provider" else world["a"]["reseller"].id
    target = world["b"]["reseller"].id
    browser = Browser()
    data, extra = dict(FORM), {}
    if forgery == "form":
        data.update(reseller_id=target, reseller=target, plan=world["b"]["plan"].id)
    elif forgery == "header":
        extra = {"HTTP_X_RESELLER_ID": str(target), "HTTP_X_RESELLER": "res-b"}
    else:
        browser.cookies["reseller_id"] = str(target)
        browser.cookies["reseller"] = "res-b"
    response = browser.post("/signup/", data, HTTP_HOST=host, **extra)
    assert response.status_code == 302
    client = new_client()
    assert client.reseller_id == expected
    assert client.plan_id != world["b"]["plan"].id


def test_signup_applies_password_validators_and_unique_usernames(world):
    response = signup(world["a"]["host"], {"password": "123"})
    assert response.status_code == 200 and b"too short" in response.content
    response = signup(world["a"]["host"], {"password": "newcomer"})
    assert b"too similar" in response.content or b"too short" in response.content
    # Names are unique within the reseller's name space, whatever the case.
    response = signup(world["a"]["host"], {"username": "EndUser-of-A"})
    assert b"taken" in response.content
    assert not User.objects.filter(username="newcomer").exists()


def test_passwords_are_hashed_by_django(world):
    assert signup(world["a"]["host"]).status_code == 302
    user = User.objects.get(username=FORM["username"])
    assert user.password != PASSWORD and user.check_password(PASSWORD)


def test_end_users_log_in_only_on_their_own_host(world):
    credentials = {"username": "enduser-of-a", "password": PASSWORD}
    browser = Browser()
    assert browser.post("/login/", credentials, HTTP_HOST=world["b"]["host"]).status_code == 403
    assert browser.post("/login/", credentials, HTTP_HOST=PROVIDER_HOST).status_code == 403
    response = browser.post("/login/", credentials, HTTP_HOST=world["a"]["host"])
    assert response.status_code == 302
    home = browser.get("/", HTTP_HOST=world["a"]["host"])
    assert b"enduser-client-of-a" in home.content and b"plan-of-a" in home.content
    # The same session cookie presented on another tenant's host is worth nothing there.
    assert browser.get("/", HTTP_HOST=world["b"]["host"]).status_code == 302
    response = browser.post("/logout/", HTTP_HOST=world["a"]["host"])
    assert response.status_code == 302
    assert browser.get("/", HTTP_HOST=world["a"]["host"]).status_code == 302


def test_logout_needs_post(world):
    assert Browser().get("/logout/", HTTP_HOST=world["a"]["host"]).status_code == 405
