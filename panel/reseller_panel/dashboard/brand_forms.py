"""A reseller's own brand, edited in the dashboard (when the inventory does not manage it).

The fields follow the collection's rules for `brand:` (plugins/module_utils/_seed_validation.validate_brand, and
_brand_logo for the logo: PNG, JPEG or WebP by content, at most 256 KiB, no SVG); tests/test_brand_editor.py
pins the two together. The panel checks an upload further by decoding it (Pillow).
"""
import hashlib
import io
import re
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone

from reseller_panel.core import terms
from reseller_panel.core.models import Brand

LOGO_MAX_BYTES = 256 * 1024
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@([A-Za-z0-9-]{1,63}\.)+[A-Za-z0-9-]{2,63}$")
_DISPLAY_NAME = re.compile(terms.DISPLAY_NAME_PATTERN)


def normalize_color(value):
    value = value.lower()
    return "#" + "".join(c * 2 for c in value[1:]) if len(value) == 4 else value


def check_https_url(url):
    """The sentence saying why `url` is not an absolute https URL on a domain name, or None."""
    if any(c.isspace() or ord(c) < 32 for c in url) or any(c in url for c in "\"'<>\\`{};"):
        return "must be an https:// address, without spaces or quotes"
    try:
        parts = urlsplit(url)
        parts.port
    except ValueError:
        return "not a valid URL"
    if parts.scheme != "https":
        return "must start with https://"
    if parts.username or parts.password:
        return "must not carry a user name or password"
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return "the host is not a valid domain name"
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return "needs a full domain name, such as https://help.example.com/"
    if parts.query or parts.fragment:
        return "must not have a query (?…) or fragment (#…)"
    return None


def sniff_logo(data):
    """(content type, None) for acceptable logo bytes, else (None, why not): the collection's rule."""
    if not data:
        return None, "the file is empty"
    if len(data) > LOGO_MAX_BYTES:
        return None, "the file has %d bytes; at most %d (%d KiB) are accepted" % (
            len(data), LOGO_MAX_BYTES, LOGO_MAX_BYTES // 1024)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        kind = None
    if kind in LOGO_FORMATS:
        return LOGO_FORMATS[kind], None
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") or b"<svg" in head:
        return None, "SVG (or other markup) is refused: it can carry script; export the logo as PNG or WebP"
    return None, "not a PNG, JPEG or WebP image (judged by its content, not its name)"


class BrandForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Shown in page titles, headers and e-mails.")
    primary_color = forms.CharField(label="Main colour", max_length=7, initial=Brand.DEFAULT_COLOR,
                                    widget=forms.TextInput(attrs={"type": "color"}))
    support_email = forms.CharField(label="Support e-mail", max_length=254, required=False,
                                    help_text="Also the sender of your panel's e-mails.")
    support_url = forms.CharField(label="Support page", max_length=255, required=False)
    terms_url = forms.CharField(label="Terms of service", max_length=255, required=False)
    privacy_url = forms.CharField(label="Privacy policy", max_length=255, required=False)
    logo = forms.FileField(required=False, help_text="PNG, JPEG or WebP, at most 256 KiB. SVG is not accepted.")
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)

    def clean_name(self):
        if not _DISPLAY_NAME.match(self.cleaned_data["name"]):
            raise ValidationError("1-100 printable characters")
        return self.cleaned_data["name"]

    def clean_primary_color(self):
        if not COLOR.match(self.cleaned_data["primary_color"]):
            raise ValidationError("a colour like #1a7f5a")
        return normalize_color(self.cleaned_data["primary_color"])

    def clean_support_email(self):
        email = self.cleaned_data["support_email"].strip()
        if email and not _EMAIL.match(email):
            raise ValidationError("an e-mail address such as support@example.com")
        if email:
            EmailValidator()(email)
        return email

    def _url(self, key):
        url = self.cleaned_data[key].strip()
        problem = check_https_url(url) if url else None
        if problem:
            raise ValidationError(problem)
        return url

    def clean_support_url(self):
        return self._url("support_url")

    def clean_terms_url(self):
        return self._url("terms_url")

    def clean_privacy_url(self):
        return self._url("privacy_url")

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise ValidationError("the file has %d bytes; at most %d (%d KiB) are accepted"
                                  % (upload.size, LOGO_MAX_BYTES, LOGO_MAX_BYTES // 1024))
        data = upload.read()
        content_type, problem = sniff_logo(data)
        if problem:
            raise ValidationError(problem)
        return {"data": data, "content_type": content_type, "sha256": hashlib.sha256(data).hexdigest()}

    def save(self, reseller, brand):
        """Write the reseller's (unmanaged) brand row; returns it."""
        brand = brand or Brand(reseller=reseller, managed=False)
        data = self.cleaned_data
        for key in ("name", "primary_color", "support_email", "support_url", "terms_url", "privacy_url"):
            setattr(brand, key, data[key])
        if data["logo"]:
            brand.logo, brand.logo_content_type, brand.logo_sha256 = (
                data["logo"]["data"], data["logo"]["content_type"], data["logo"]["sha256"])
        elif data["remove_logo"]:
            brand.logo, brand.logo_content_type, brand.logo_sha256 = None, "", ""
        brand.updated_at = timezone.now()
        brand.save()
        return brand
