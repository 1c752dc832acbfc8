# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Brand logos: accepted by their bytes (PNG, JPEG, WebP, size-capped), SVG refused, embedding checked."""
from __future__ import annotations

import base64
import hashlib

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils._brand_logo import (
    LOGO_MAX_BYTES,
    decode_embedded_logo,
    embed_logo,
    sniff_logo,
)
from tests.support.images import SVG, png

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 40 + b"\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8L" + b"\x00" * 30


@pytest.mark.parametrize("data, content_type", [(png(), "image/png"), (JPEG, "image/jpeg"),
                                                (WEBP, "image/webp")])
def test_images_are_recognised_by_their_bytes(data, content_type):
    assert sniff_logo(data) == (content_type, None)


@pytest.mark.parametrize("data, message", [
    (SVG, "SVG (or other markup) is refused"),
    (b"\xef\xbb\xbf  <svg xmlns='http://www.w3.org/2000/svg'/>", "SVG (or other markup) is refused"),
    (b"<html><script>x()</script></html>", "SVG (or other markup) is refused"),
    (b"GIF89a" + b"\x00" * 20, "not a PNG, JPEG or WebP image"),
    # A PNG signature followed by something else is not a PNG.
    (b"\x89PNG\r\n\x1a\n" + b"garbage" * 3, "not a PNG, JPEG or WebP image"),
    (b"", "the file is empty"),
    (png() + b"\x00" * LOGO_MAX_BYTES, "at most %d (256 KiB) are accepted" % LOGO_MAX_BYTES),
    ("a string", "must be the bytes of an image file"),
])
def test_everything_else_is_refused_with_the_reason(data, message):
    content_type, problem = sniff_logo(data)
    assert content_type is None and message in problem


def test_embedding_round_trips_and_is_checked_again():
    data = png(3, 1)
    embedded = embed_logo(data)
    assert embedded == {"content_type": "image/png", "sha256": hashlib.sha256(data).hexdigest(),
                        "data": base64.b64encode(data).decode()}
    assert decode_embedded_logo(embedded) == (data, "image/png", None)
    with pytest.raises(ValueError, match="SVG"):
        embed_logo(SVG)


@pytest.mark.parametrize("change, message", [
    ({"data": base64.b64encode(SVG).decode()}, "SVG (or other markup) is refused"),
    ({"data": "***"}, "data is not base64"),
    ({"content_type": "image/webp"}, "content_type 'image/webp' does not match the image (image/png)"),
    ({"sha256": "0" * 64}, "sha256 does not match the data"),
    ({"extra": 1}, "must be an embedded logo"),
])
def test_a_tampered_embedded_logo_is_refused(change, message):
    embedded = dict(embed_logo(png()), **change)
    assert message in decode_embedded_logo(embedded)[2]
