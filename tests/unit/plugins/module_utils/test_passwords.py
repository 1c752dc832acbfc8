# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Django-compatible hashes made with hashlib, checked against Django's own hasher."""
from __future__ import annotations

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _passwords
from ansible_collections.panelops.reseller.plugins.filter.panel_password_hash import panel_password_hash


def _django_hasher():
    django_settings = pytest.importorskip("django.conf").settings
    if not django_settings.configured:
        django_settings.configure()
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    return PBKDF2PasswordHasher()


def test_same_hash_as_django_at_the_panels_iteration_count():
    hasher = _django_hasher()
    ours = _passwords.make_hash("correct horse", salt="abcdefghijklmnopqrstuv")
    assert hasher.iterations == _passwords.ITERATIONS == 1000000
    assert ours == hasher.encode("correct horse", "abcdefghijklmnopqrstuv")
    assert hasher.verify("correct horse", ours)
    assert not hasher.must_update(ours)


def test_random_salt_verify_and_format():
    encoded = _passwords.make_hash("pw", iterations=1000)
    algorithm, iterations, salt = encoded.split("$")[:3]
    assert (algorithm, iterations, len(salt)) == ("pbkdf2_sha256", "1000", 22)
    assert _passwords.verify("pw", encoded) and not _passwords.verify("pw2", encoded)
    assert _passwords.check_hash_format(encoded) is None
    assert _passwords.make_hash("pw", iterations=1000) != encoded


@pytest.mark.parametrize("encoded, problem", [
    ("argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$6gIkPSAXB0oAZtYZ4nCsBA", None),
    ("bcrypt_sha256$$2b$12$" + "a" * 53, None),
    ("scrypt$16384$salt123$8$1$" + "Q" * 43 + "=", None),
    ("sha1$salt$abc", "uses algorithm 'sha1'"),
    ("plaintext", "is not a Django password hash"),
    ("pbkdf2_sha256$1000000$salt$tooshort", "is not a well-formed pbkdf2_sha256 hash"),
    ("!unusable", "is not a Django password hash"),
])
def test_hash_formats(encoded, problem):
    found = _passwords.check_hash_format(encoded)
    if problem is None:
        assert found is None
    else:
        assert problem in found and encoded[-8:] not in found


def test_unusable_password_and_token():
    value = _passwords.unusable_password()
    assert value.startswith("!") and len(value) == 41
    token, digest = _passwords.new_token()
    import hashlib
    assert hashlib.sha256(token.encode()).hexdigest() == digest and len(token) >= 40


def test_filter():
    assert panel_password_hash("pw", salt="s", iterations=1000) == _passwords.make_hash("pw", salt="s", iterations=1000)
    from ansible.errors import AnsibleFilterError
    with pytest.raises(AnsibleFilterError, match="non-empty"):
        panel_password_hash("")
