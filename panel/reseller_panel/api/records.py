"""The reseller's records as the API shows them, and API writes through the dashboard's own forms.

A plan is checked by posting it to the plan editor's forms (dashboard.rule_forms.editor_data), a configuration
by ConfigurationForm, a brand by BrandForm: the API has no rule of its own about what a record may hold, only
about the JSON shape it arrives in (api.serializers). Every lookup starts from the token's reseller, so another
reseller's records are never found.
"""
import base64
import binascii
import hashlib
import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from reseller_panel.core import numbers
from reseller_panel.dashboard.brand_forms import BrandForm
from reseller_panel.dashboard.forms import ConfigurationForm, save_configuration, save_plan
from reseller_panel.dashboard.rule_forms import PlanEditor, editor_data, editor_errors

from .errors import Conflict, Invalid

READ_ONLY = "%s is managed by the provider's inventory: read-only here (ask the provider to change it)"


def etag_of(data):
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return '"%s"' % hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def with_etag(data):
    return dict(data, etag=etag_of(data))


# -- what the API shows --------------------------------------------------------------------------------------

def plan_data(plan):
    return {"name": plan.name, "currency": plan.currency, "is_default": plan.is_default,
            "archived": plan.archived, "managed": plan.managed, "rules": plan.rules_as_inventory()}


def configuration_data(record):
    return {"name": record.name, "description": record.description, "is_default": record.is_default,
            "archived": record.archived, "managed": record.managed, "options": record.options}


BRAND_TEXT = ("name", "primary_color", "support_email", "support_url", "terms_url", "privacy_url")


def brand_data(brand):
    data = {key: getattr(brand, key) for key in BRAND_TEXT}
    data.update(logo_content_type=brand.logo_content_type or None, logo_sha256=brand.logo_sha256 or None,
                managed=brand.managed)
    return data


def client_data(client):
    return {"id": client.pk, "name": client.name, "email": client.email, "currency": client.currency,
            "plan": client.plan.name if client.plan_id else None,
            "configuration": client.configuration.name if client.configuration_id else None,
            "created_at": client.created_at}


# -- paths of fields ---------------------------------------------------------------------------------------

_EDITOR_KEYS = {"start": "from"}


def editor_field_path(name):
    """The body path of a field of the plan editor's form: rules-0-tiers-1-start -> rules[0].tiers[1].from."""
    if not name:
        return None
    parts, path = name.split("-"), ""
    for part in parts:
        path += "[%s]" % part if part.isdigit() else (("." if path else "") + _EDITOR_KEYS.get(part, part))
    return path


def _plain(values, where):
    """Numbers from the exact JSON reader as plain JSON values (condition values are typed as text in the
    editor's form); out-of-bounds numbers are refused naming `where`."""
    try:
        return numbers.plain_json(values, where)
    except numbers.NumberError as error:
        raise Invalid([(where, str(error))], "the body") from None


def _plain_conditions(rules):
    for r, rule in enumerate(rules):
        for c, condition in enumerate(rule.get("conditions", [])):
            condition["value"] = _plain(condition.get("value"), "rules[%d].conditions[%d].value" % (r, c))
        for m, modifier in enumerate(rule.get("modifiers", [])):
            for c, condition in enumerate(modifier.get("when", [])):
                condition["value"] = _plain(condition.get("value"),
                                            "rules[%d].modifiers[%d].when[%d].value" % (r, m, c))
    return rules


def _same_name(cleaned, name, what):
    if cleaned != name:
        raise Invalid([("name", "must not begin or end with white space")], "%s %r" % (what, name))


def refuse_managed(record, what):
    if record is not None and record.managed:
        raise Conflict(READ_ONLY % what)


# -- writes ------------------------------------------------------------------------------------------------

def write_plan(reseller, name, body, plan):
    """Create or replace the reseller's plan `name` from a shape-checked body; returns the saved plan."""
    what = "plan %r" % name
    refuse_managed(plan, what)
    rules = _plain_conditions(body.get("rules", []))
    editor = PlanEditor(reseller, plan, data=editor_data(dict(body, name=name), rules))
    if not editor.is_valid():
        raise Invalid([(editor_field_path(field), message) for field, message in editor_errors(editor)], what)
    _same_name(editor.details.cleaned_data["name"], name, "plan")
    return save_plan(reseller, plan, editor.details.cleaned_data, editor.cleaned_rules)


def write_configuration(reseller, name, body, record):
    what = "configuration %r" % name
    refuse_managed(record, what)
    options = _plain(body.get("options", {}), "options")
    form = ConfigurationForm({"name": name, "description": body.get("description", ""),
                              "is_default": body.get("is_default", False), "archived": body.get("archived", False),
                              "options": json.dumps(options)}, reseller=reseller, instance=record)
    if not form.is_valid():
        raise Invalid(_form_problems(form), what)
    _same_name(form.cleaned_data["name"], name, "configuration")
    return save_configuration(reseller, record, form.cleaned_data)


def _form_problems(form):
    return [(None if field == "__all__" else field, message)
            for field, messages in form.errors.items() for message in messages]


_BASE64 = re.compile(r"^[A-Za-z0-9+/\s]*={0,2}\s*$")


def _logo_upload(logo):
    """The logo of a brand body as the upload BrandForm checks: (files, remove)."""
    if logo is None:
        return {}, True
    if not _BASE64.match(logo) or len(logo) > 2 * 1024 * 1024:
        raise Invalid([("logo", "must be the image file in base64")], "the brand")
    try:
        data = base64.b64decode(logo, validate=False)
    except (binascii.Error, ValueError):
        raise Invalid([("logo", "must be the image file in base64")], "the brand") from None
    return {"logo": SimpleUploadedFile("logo", data)}, False


def write_brand(reseller, body, brand):
    refuse_managed(brand, "the brand of %s" % reseller.name)
    files, remove = ({}, False) if "logo" not in body else _logo_upload(body["logo"])
    data = {key: body.get(key, "") for key in BRAND_TEXT}
    data["remove_logo"] = remove
    form = BrandForm(data, files)
    if not form.is_valid():
        raise Invalid(_form_problems(form), "the brand")
    return form.save(reseller, brand)


def applied(write, before, dry_run):
    """Run `write` (returns the record's shown data) in a transaction; roll it back for a dry run, or when
    the record came out as it was (so an unchanged PUT writes nothing). Returns the data."""
    with transaction.atomic():
        after = write()
        if dry_run or after == before:
            transaction.set_rollback(True)
    return after
