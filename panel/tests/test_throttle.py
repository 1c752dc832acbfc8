"""Log-in throttling (django-axes): 10 failures for one username within 15 minutes lock it out on every host,
the right password included, for a cool-down; the page says so in the host's brand."""
from datetime import timedelta

import pytest
from axes.models import AccessAttempt

from reseller_panel.core.models import User
from django.test import Client as Browser

from world import PASSWORD, PROVIDER_HOST

WRONG = "not-the-password"


def log_in(host, username, password, path="/login/"):
    return Browser().post(path, {"username": username, "password": password}, HTTP_HOST=host)


def fail(host, username, times, path="/login/"):
    for attempt in range(times):
        assert log_in(host, username, WRONG, path).status_code == 403


@pytest.mark.django_db
def test_ten_failures_lock_the_username_out_with_the_right_password_too(world, brands):
    username = world["a"]["end_user"].username
    fail("cloud.a.test", username, 9)
    assert log_in("cloud.a.test", username, WRONG).status_code == 429
    locked = log_in("cloud.a.test", username, PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert 'id="locked-out"' in page and "locked for 15 minutes" in page and "After 10 failed log-ins" in page
    assert "Alpha Hosting" in page and "Beta Systems" not in page and "Provider Cloud" not in page
    assert "sessionid" not in locked.cookies
    # The lock is the account's, however its name is spelt (case, width).
    assert log_in("cloud.a.test", username.upper(), PASSWORD).status_code == 429
    assert log_in("cloud.a.test", "ｅｎｄｕｓｅｒ-of-a", PASSWORD).status_code == 429
    # Usernames are per reseller: the same name on another reseller's domain is another account, not locked.
    twin = User.objects.create_user(username, "twin@b.test", PASSWORD, client=world["b"]["end_client"])
    assert twin.username_namespace != world["a"]["end_user"].username_namespace
    assert log_in("cloud.b.test", username, PASSWORD).status_code == 302
    # Another username is not affected.
    assert log_in("cloud.b.test", world["b"]["end_user"].username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_after_the_cool_down_the_right_password_works_and_attempts_during_it_do_not_prolong_it(world):
    username = world["a"]["end_user"].username
    fail("cloud.a.test", username, 9)
    # The tenth failure is refused as a lock-out already.
    assert log_in("cloud.a.test", username, WRONG).status_code == 429
    stamp = AccessAttempt.objects.get().attempt_time
    assert log_in("cloud.a.test", username, WRONG).status_code == 429
    assert AccessAttempt.objects.get().attempt_time == stamp
    AccessAttempt.objects.update(attempt_time=stamp - timedelta(minutes=14))
    assert log_in("cloud.a.test", username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=stamp - timedelta(minutes=16))
    assert log_in("cloud.a.test", username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_successful_log_in_clears_the_count(world):
    username = world["a"]["end_user"].username
    fail("cloud.a.test", username, 9)
    assert log_in("cloud.a.test", username, PASSWORD).status_code == 302
    fail("cloud.a.test", username, 9)
    assert log_in("cloud.a.test", username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_failures_count_within_the_hosts_name_space(world):
    username = world["a"]["end_user"].username
    # On B's domain this name is nobody (usernames are per reseller): the failures lock that name there only.
    for attempt in range(9):
        assert log_in("cloud.b.test", username, PASSWORD).status_code == 403
    assert log_in("cloud.b.test", username, PASSWORD).status_code == 429
    assert log_in("cloud.a.test", username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_right_password_refused_by_the_dashboard_counts_as_a_failure(world):
    # provider-staff's password is right, but it is not a reseller account: ten such log-ins lock it out.
    for attempt in range(9):
        response = log_in(PROVIDER_HOST, "provider-staff", PASSWORD, path="/reseller/login/")
        assert response.status_code == 403
    assert log_in(PROVIDER_HOST, "provider-staff", PASSWORD, path="/reseller/login/").status_code == 429
    assert log_in(PROVIDER_HOST, "provider-staff", PASSWORD, path="/staff/login/").status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/reseller/login/", "/staff/login/"])
def test_the_dashboard_and_staff_log_ins_are_throttled_too(world, path):
    username = "admin-of-a" if path.startswith("/reseller") else "provider-staff"
    for attempt in range(10):
        Browser().post(path, {"username": username, "password": WRONG}, HTTP_HOST=PROVIDER_HOST)
    response = Browser().post(path, {"username": username, "password": PASSWORD}, HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 429 and b'id="locked-out"' in response.content


@pytest.mark.django_db
def test_an_overlong_username_is_counted_under_a_digest_that_fits_the_column(world):
    # Django's admin log-in form passes any length to authenticate(): axes' 255-character column must hold it.
    for attempt in range(2):
        log_in(PROVIDER_HOST, "x" * 10240, WRONG, path="/staff/login/")
    [row] = AccessAttempt.objects.all()
    assert row.username.startswith("0:sha256:") and len(row.username) == len("0:sha256:") + 64
    assert row.failures_since_start == 2
