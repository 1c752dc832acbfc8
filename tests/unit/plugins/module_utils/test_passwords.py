# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Django-compatible hashes made with hashlib, checked against Django's own hasher."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _passwords


def _django(code):
    """Run `code` with Django's hashers in a separate interpreter (Django's settings are process-global)."""
    pytest.importorskip("django")
    script = ("import json, sys\n"
              "from django.conf import settings\n"
              "settings.configure()\n"
              "from django.contrib.auth.hashers import PBKDF2PasswordHasher\n"
              "hasher = PBKDF2PasswordHasher()\n" + code)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_same_hash_as_django_at_the_panels_iteration_count():
    ours = _passwords.make_hash("correct horse", salt="abcdefghijklmnopqrstuv")
    theirs = _django(
        "encoded = %r\n"
        "print(json.dumps(dict(iterations=hasher.iterations, encoded=hasher.encode('correct horse', "
        "'abcdefghijklmnopqrstuv'), verify=hasher.verify('correct horse', encoded), "
        "must_update=hasher.must_update(encoded))))" % ours)
    assert theirs["iterations"] == _passwords.ITERATIONS == 1000000
    assert ours == theirs["encoded"]
    assert theirs["verify"] is True and theirs["must_update"] is False


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
