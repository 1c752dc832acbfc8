"""Shared fixtures: a provider with two active resellers (A, B), a suspended and an archived one, and users."""
import importlib.util
import os

import pytest

from collection import CHECKOUT
from world import PASSWORD, PROVIDER_URL


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """PBKDF2 at Django's cost takes 0.4 s per password here; the tests are about who may do what."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test browser builds its own middleware: WhiteNoise then looks static files up per request instead of
    # indexing every app's files each time.
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def world(db):
    from reseller_panel.core.models import (Client, Configuration, Plan, PricingRule, Reseller, Setting, User)

    Setting.objects.update_or_create(key="provider.frontend_url", defaults={"value": PROVIDER_URL})
    Setting.objects.update_or_create(key="reseller.enabled", defaults={"value": True})
    Setting.objects.update_or_create(key="reseller.force_registration", defaults={"value": True})
    wholesale = Plan.objects.create(name="wholesale", currency="EUR", managed=True)
    PricingRule.objects.create(plan=wholesale, name="vCPU", resource="instance", attribute="vcpus",
                               tiers=[{"from": "0", "price": "0.004"}])
    provider_default = Plan.objects.create(name="provider-retail-secret", currency="EUR", is_default=True)
    provider_conf = Configuration.objects.create(name="provider-conf-secret", is_default=True)
    w = {"wholesale": wholesale, "provider_plan": provider_default, "provider_conf": provider_conf}

    def reseller(key, status="active"):
        client = Client.objects.create(name="reseller-%s-account" % key, email="%s@resellers.test" % key,
                                       currency="EUR")
        r = Reseller.objects.create(name="res-%s" % key, client=client, plan=wholesale, status=status,
                                    enduser_panel_url="https://cloud.%s.test/" % key, host="cloud.%s.test" % key)
        plan = Plan.objects.create(owner_reseller=r, name="plan-of-%s" % key, currency="EUR", is_default=True)
        managed_plan = Plan.objects.create(owner_reseller=r, name="managed-plan-of-%s" % key, currency="EUR",
                                           managed=True)
        conf = Configuration.objects.create(owner_reseller=r, name="conf-of-%s" % key, is_default=True)
        user = User.objects.create_user("admin-of-%s" % key, "admin@%s.test" % key, PASSWORD, client=client,
                                        is_reseller=True)
        end_client = Client.objects.create(name="enduser-client-of-%s" % key, email="e@%s.test" % key,
                                           currency="EUR", reseller=r, plan=plan, configuration=conf)
        end_user = User.objects.create_user("enduser-of-%s" % key, "e@%s.test" % key, PASSWORD,
                                            client=end_client)
        w[key] = {"reseller": r, "plan": plan, "managed_plan": managed_plan, "conf": conf, "user": user,
                  "end_client": end_client, "end_user": end_user, "host": r.host}

    reseller("a")
    reseller("b")
    reseller("s", status="suspended")
    reseller("x", status="archived")
    w["staff"] = User.objects.create_superuser("provider-staff", "staff@provider.test", PASSWORD)
    return w


def pytest_configure(config):
    os.environ.setdefault("PANEL_TRUSTED_PROXIES", "127.0.0.1,::1")
    # A SIGTERM ends the run through the fixtures' teardown (the checkout's tests/support/interrupt.py).
    spec = importlib.util.spec_from_file_location("interrupt", CHECKOUT / "tests" / "support" / "interrupt.py")
    interrupt = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(interrupt)
    interrupt.install()


def tiny_png(rgb):
    """A real 2x2 PNG of one colour (the collection's test helper, without importing the collection)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * 2
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * 2)) + chunk(b"IEND", b""))


@pytest.fixture
def brands(world):
    """Distinct brands for the provider and resellers A, B and S (suspended); X (archived) has none."""
    import hashlib

    from reseller_panel.core.models import Brand

    def make(reseller, name, color, rgb, email):
        logo = tiny_png(rgb)
        return Brand.objects.create(reseller=reseller, name=name, primary_color=color, support_email=email,
                                    support_url="https://help.%s/" % email.split("@")[1],
                                    terms_url="https://%s/terms" % email.split("@")[1],
                                    privacy_url="https://%s/privacy" % email.split("@")[1],
                                    logo=logo, logo_content_type="image/png",
                                    logo_sha256=hashlib.sha256(logo).hexdigest(), managed=True)

    made = {"provider": make(None, "Provider Cloud", "#1f4e79", (31, 78, 121), "support@provider.test"),
            "a": make(world["a"]["reseller"], "Alpha Hosting", "#c2410c", (194, 65, 12), "help@alpha.test"),
            "b": make(world["b"]["reseller"], "Beta Systems", "#15803d", (21, 128, 61), "care@beta.test"),
            "s": make(world["s"]["reseller"], "Sigma Suspended", "#6d28d9", (109, 40, 217), "hi@sigma.test")}
    return made
