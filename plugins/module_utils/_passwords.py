# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Django-compatible password hashes made with hashlib alone (no Django on the managed host).

`make_hash` produces Django 5.2's default format, `pbkdf2_sha256$<iterations>$<salt>$<base64 digest>`;
`verify` checks a plaintext against such a hash; `check_hash_format` tells whether a ready hash from the
inventory is well formed for one of Django's hashers. The `panel_password_hash` filter and the
`panel_resellers` module both use this file, so a hash made on the controller is what the module would make.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import string

ALGORITHM = "pbkdf2_sha256"
# Django 5.2's PBKDF2PasswordHasher.iterations: the panel accepts (and does not rehash) this count.
ITERATIONS = 1000000
_SALT_CHARS = string.ascii_letters + string.digits
# ceil(128 bits / log2(62)) characters, as Django's salt() makes them.
SALT_LENGTH = 22
UNUSABLE_PREFIX = "!"

_B64 = r"[A-Za-z0-9+/]+={0,2}"
_FORMATS = {
    "pbkdf2_sha256": re.compile(r"^pbkdf2_sha256\$[1-9][0-9]{0,9}\$[A-Za-z0-9./+]{1,128}\$[A-Za-z0-9+/]{43}=$"),
    "argon2": re.compile(r"^argon2\$argon2(id|i|d)\$v=[0-9]+\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$"),
    "bcrypt_sha256": re.compile(r"^bcrypt_sha256\$\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$"),
    "scrypt": re.compile(r"^scrypt\$[0-9]+\$[A-Za-z0-9./+]{1,128}\$[0-9]+\$[0-9]+\$" + _B64 + "$"),
}


def make_salt():
    return "".join(secrets.choice(_SALT_CHARS) for dummy in range(SALT_LENGTH))


def make_hash(password, salt=None, iterations=ITERATIONS):
    """The Django PBKDF2-SHA256 hash of `password`."""
    if not isinstance(password, str) or password == "":
        raise ValueError("the password must be a non-empty string")
    salt = salt or make_salt()
    if not re.match(r"^[A-Za-z0-9./+]{1,128}$", salt):
        raise ValueError("the salt must be 1-128 characters from A-Z a-z 0-9 . / +")
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("utf-8"), int(iterations))
    return "%s$%d$%s$%s" % (ALGORITHM, int(iterations), salt, base64.b64encode(digest).decode("ascii").strip())


def verify(password, encoded):
    """Whether `password` matches a pbkdf2_sha256 hash (other algorithms: False, i.e. unknown)."""
    if not isinstance(encoded, str) or not encoded.startswith(ALGORITHM + "$"):
        return False
    try:
        iterations, salt = encoded.split("$", 3)[1:3]
        candidate = make_hash(password, salt=salt, iterations=int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(candidate.encode("ascii"), encoded.encode("ascii"))


def unusable_password():
    """What Django stores for a user who cannot log in with a password (yet)."""
    return UNUSABLE_PREFIX + "".join(secrets.choice(_SALT_CHARS) for dummy in range(40))


def check_hash_format(encoded):
    """None when `encoded` is a well-formed Django hash of a known algorithm, else a message (never the hash)."""
    if not isinstance(encoded, str) or "$" not in encoded:
        return "is not a Django password hash (expected <algorithm>$...)"
    algorithm = encoded.split("$", 1)[0]
    if algorithm not in _FORMATS:
        return "uses algorithm %r; expected one of %s" % (algorithm[:20], ", ".join(sorted(_FORMATS)))
    if not _FORMATS[algorithm].match(encoded):
        return "is not a well-formed %s hash" % algorithm
    return None


def new_token():
    """A one-time token and the SHA-256 hex digest the database keeps instead of it."""
    token = secrets.token_urlsafe(32)
    return token, hashlib.sha256(token.encode("ascii")).hexdigest()
