"""Usernames: one name whatever its case or width, unique per name space at the database, look-alikes refused,
and a reseller's domain never tells whether another reseller's users exist (docs/panel-schema.md, panel_user)."""
import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.test import Client as Browser

from collection import module_utils
from reseller_panel.core import usernames
from reseller_panel.core.forms import SignupForm
from reseller_panel.core.models import Client, User
from world import PASSWORD, PROVIDER_HOST

names = module_utils("_names")
NAMES = ["globex-admin", "Globex-Admin", "ｇlobex-admin", "GLOBEX-ADMIN", "glоbex-admin", "Straße", "STRASSE",
         "ǅemo", "ﬁne", "İstanbul", "ΣΊΣΥΦΟΣ", "user\u0301", "ʀoot", "x" * 150]


@pytest.mark.parametrize("name", NAMES)
def test_the_collection_computes_the_same_key(name):
    assert names.username_key(name) == usernames.key(name)


def test_keys_skeletons_and_normal_forms():
    assert usernames.normalize("ｇlobex-admin") == "globex-admin"
    assert {usernames.key(n) for n in NAMES[:4]} == {"globex-admin"}
    assert usernames.key("Straße") == usernames.key("STRASSE") == "strasse"
    # Look-alikes from other scripts, digits and capitals share one skeleton; different names do not.
    same = {usernames.skeleton(n) for n in ("globex-admin", "glоbex-admin", "g1obex-admin", "gIobex-admin",
                                            "ｇlobex-admin")}
    assert len(same) == 1
    assert usernames.skeleton("globex-admin") != usernames.skeleton("globex-admins")
    assert usernames.skeleton("pаypal") == usernames.skeleton("paypal")


def signup(host, username, **extra):
    form = {"username": username, "email": "%s@example.test" % abs(hash(username)), "password": PASSWORD}
    return Browser().post("/signup/", form, HTTP_HOST=host, **extra)


def count(name):
    return User.objects.filter(username_key=usernames.key(name)).count()


@pytest.mark.parametrize("name", ["ENDUSER-of-a", "ｅnduser-of-a", "enduser-of-а", "enduser-0f-a"])
def test_a_name_of_the_same_reseller_in_any_case_width_or_look_alike_is_refused(world, name):
    response = signup(world["a"]["host"], name)
    assert response.status_code == 200
    assert (SignupForm.TAKEN if usernames.key(name) == "enduser-of-a" else SignupForm.LOOKALIKE).encode() in \
        response.content.replace(b"&#x27;", b"'")
    assert User.objects.count() == 9 and Client.objects.count() == 8


@pytest.mark.parametrize("name", ["ａdmin-of-a", "аdmin-of-a", "ADMIN-of-a"])
def test_the_resellers_own_staff_names_are_refused_on_its_domain(world, name):
    # admin-of-a is reseller a's own reseller user: an end user must not pass for it on a's domain.
    response = signup(world["a"]["host"], name)
    assert response.status_code == 200 and b"taken" in response.content
    assert User.objects.count() == 9 and Client.objects.count() == 8


def test_another_resellers_users_are_not_revealed(world):
    # b's end user and b's reseller user: on a's domain those names are simply free (a's own name space).
    for name in ("enduser-of-b", "admin-of-b", "provider-staff"):
        response = signup(world["a"]["host"], name)
        assert response.status_code == 302, response.content[:2000]
    ours = User.objects.get(username_namespace=world["a"]["reseller"].id, username_key="enduser-of-b")
    theirs = User.objects.get(username_namespace=world["b"]["reseller"].id, username_key="enduser-of-b")
    assert ours.client.reseller == world["a"]["reseller"] and theirs.client.reseller == world["b"]["reseller"]


def test_log_in_finds_the_user_of_the_hosts_name_space_whatever_the_case(world):
    assert signup(world["a"]["host"], "enduser-of-b").status_code == 302
    for host, key in ((world["a"]["host"], "a"), (world["b"]["host"], "b")):
        browser = Browser()
        response = browser.post("/login/", {"username": "EndUser-Of-B", "password": PASSWORD}, HTTP_HOST=host)
        assert response.status_code == 302
        user = User.objects.get(pk=browser.session["_auth_user_id"])
        assert user.client.reseller == world[key]["reseller"]
    # Reseller users and staff are the provider's: they log in on the provider host only.
    browser = Browser()
    assert browser.post("/login/", {"username": "ADMIN-OF-A", "password": PASSWORD},
                        HTTP_HOST=PROVIDER_HOST).status_code == 302
    assert Browser().post("/login/", {"username": "admin-of-a", "password": PASSWORD},
                          HTTP_HOST=world["a"]["host"]).status_code == 403


@pytest.mark.parametrize("first,second", [("racer", "RACER"), ("racer", "ｒacer")])
def test_the_database_refuses_a_second_spelling_of_a_name(world, first, second):
    client = world["a"]["end_client"]
    User.objects.create_user(first, client=client)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(second, client=client)
    # In another name space the same name is another user.
    User.objects.create_user(second, client=world["b"]["end_client"])


def test_a_sign_up_that_loses_a_race_gets_the_taken_answer_and_leaves_nothing(world, monkeypatch):
    assert signup(world["a"]["host"], "Racest55617").status_code == 302
    clients = Client.objects.count()
    # The parallel request passed the form's check before the first one's insert: only the database decides.
    monkeypatch.setattr(User.objects.__class__, "name_conflict", lambda self, owner, username: None)
    response = signup(world["a"]["host"], "racest55617")
    assert response.status_code == 200 and SignupForm.TAKEN.encode() in response.content
    assert count("racest55617") == 1 and Client.objects.count() == clients


def test_users_written_by_the_provisioner_are_checked_for_look_alikes_too(world):
    # The provisioner writes no skeleton: the panel fills it before it compares.
    User.objects.filter(pk=world["a"]["end_user"].pk).update(username_skeleton=None)
    response = signup(world["a"]["host"], "enduser-оf-a")  # Cyrillic о
    assert SignupForm.LOOKALIKE.encode() in response.content.replace(b"&#x27;", b"'")
    assert User.objects.get(pk=world["a"]["end_user"].pk).username_skeleton == usernames.skeleton("enduser-of-a")


def test_the_migration_stops_on_names_that_would_collide(world):
    migration = __import__("reseller_panel.core.migrations.0003_username_namespaces", fromlist=["fill_keys"])
    User.objects.filter(pk=world["a"]["end_user"].pk).update(username="ENDUSER-of-A", username_key="x")
    migration.fill_keys(apps, connection.schema_editor())  # alone, a differing case is fine
    User.objects.create_user("other", client=world["a"]["end_client"])
    User.objects.filter(username="other").update(username="enduser-OF-a", username_key="y")
    with pytest.raises(RuntimeError, match="'ENDUSER-of-A' and 'enduser-OF-a'"):
        migration.fill_keys(apps, connection.schema_editor())


def test_names_that_differ_by_more_than_case_are_different_names_on_every_engine(world):
    # MariaDB's default collation would equate "rene" and "rené" (and ignore a trailing space): the key column
    # compares bytes there, like SQLite and PostgreSQL.
    client = world["a"]["end_client"]
    for name in ("rene", "rené", "rene.", "renee"):
        User.objects.create_user(name, client=client)
    assert User.objects.filter(username_namespace=world["a"]["reseller"].id, username_key__startswith="ren").count() == 4


@pytest.mark.parametrize("name", ["пользователь", "用户", "ǅemo", "rené"])
def test_names_in_any_script_can_sign_up(world, name):
    response = signup(world["a"]["host"], name)
    assert response.status_code == 302, response.content[:2000]
    assert User.objects.get(username_namespace=world["a"]["reseller"].id, username_key=usernames.key(name))
