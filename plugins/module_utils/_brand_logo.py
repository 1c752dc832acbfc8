# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Brand logos: which files are accepted, and how one travels from the controller to the panel database.

A logo is judged by its bytes, never by its file name: PNG, JPEG or WebP, at most LOGO_MAX_BYTES. SVG is
refused: an SVG is a document that can carry script and external references, and no sanitiser for it is
maintained well enough to trust with every end-user page; a raster export of the logo has none of that.

The controller reads the file and sends it embedded ({content_type, sha256, data: base64}); the module checks
the bytes again before it writes, so a module called on its own refuses the same files. The panel's
dashboard applies the same rule to uploads (panel/reseller_panel/dashboard/brand_forms.py, pinned to this file
by panel/tests/test_brand_editor.py).
"""

from __future__ import annotations

import base64
import binascii
import hashlib

LOGO_MAX_BYTES = 256 * 1024
LOGO_TYPES = ("image/png", "image/jpeg", "image/webp")
EMBEDDED_KEYS = ("content_type", "sha256", "data")


def _png(data):
    # Signature, then the IHDR chunk must come first (length 13).
    return data[:8] == b"\x89PNG\r\n\x1a\n" and data[8:16] == b"\x00\x00\x00\x0dIHDR"


def _jpeg(data):
    return data[:3] == b"\xff\xd8\xff"


def _webp(data):
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP" and data[12:15] == b"VP8"


_SNIFFERS = (("image/png", _png), ("image/jpeg", _jpeg), ("image/webp", _webp))


def _looks_like_markup(data):
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") or b"<svg" in data[:4096].lower()


def sniff_logo(data):
    """(content type, None) for acceptable logo bytes, else (None, a sentence saying why not)."""
    if not isinstance(data, bytes):
        return None, "must be the bytes of an image file"
    if not data:
        return None, "the file is empty"
    if len(data) > LOGO_MAX_BYTES:
        return None, "the file has %d bytes; at most %d (%d KiB) are accepted" % (
            len(data), LOGO_MAX_BYTES, LOGO_MAX_BYTES // 1024)
    for content_type, matches in _SNIFFERS:
        if matches(data):
            return content_type, None
    if _looks_like_markup(data):
        return None, ("SVG (or other markup) is refused: it can carry script; export the logo as PNG or WebP")
    return None, "not a PNG, JPEG or WebP image (judged by its content, not its name)"


def embed_logo(data):
    """The form a checked logo travels in from the controller to the module."""
    content_type, problem = sniff_logo(data)
    if problem:
        raise ValueError(problem)
    return {"content_type": content_type, "sha256": hashlib.sha256(data).hexdigest(),
            "data": base64.b64encode(data).decode("ascii")}


def decode_embedded_logo(value):
    """(bytes, content type, None) from an embedded logo, or (None, None, problem). Checks the bytes again."""
    if not isinstance(value, dict) or sorted(value) != sorted(EMBEDDED_KEYS):
        return None, None, "must be an embedded logo (content_type, sha256, data) made from a file on the controller"
    try:
        data = base64.b64decode(value["data"], validate=True)
    except (binascii.Error, TypeError, ValueError):
        return None, None, "data is not base64"
    content_type, problem = sniff_logo(data)
    if problem:
        return None, None, problem
    if content_type != value["content_type"]:
        return None, None, "content_type %r does not match the image (%s)" % (value["content_type"], content_type)
    if hashlib.sha256(data).hexdigest() != value["sha256"]:
        return None, None, "sha256 does not match the data"
    return data, content_type, None
