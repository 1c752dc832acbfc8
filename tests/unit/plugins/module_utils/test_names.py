# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The naming rules, each defined once: slugs, FQDNs, https URLs and their canonical spellings."""
from __future__ import annotations

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _names


@pytest.mark.parametrize("name", ["acme", "a", "acme-cloud", "a1", "9lives", "a" * 63])
def test_valid_slugs(name):
    assert _names.is_slug(name) and _names.check_slug(name) == []


@pytest.mark.parametrize("name", ["Acme", "-acme", "acme-", "ac_me", "ac me", "", "a" * 64, None, 7, "acmé"])
def test_invalid_slugs_name_the_rule(name):
    assert not _names.is_slug(name)
    assert _names.check_slug(name) == ["must be a slug (a-z, 0-9, '-', 1-63 characters, not starting or ending "
                                       "with '-')"]


@pytest.mark.parametrize("given, expected", [
    ("Cloud.ACME.test", "cloud.acme.test"),
    ("cloud.acme.test.", "cloud.acme.test"),
    ("bücher.test", "xn--bcher-kva.test"),
])
def test_fqdns_are_idna_encoded_and_lowercase(given, expected):
    assert _names.normalize_fqdn(given) == (expected, [])


@pytest.mark.parametrize("given, fragment", [
    ("192.0.2.1", "is an IP address"),
    ("[2001:db8::1]", "is an IP address"),
    ("localhost", "is not fully qualified"),
    ("cloud_acme.test", "is not a valid DNS label"),
    ("-cloud.test", "is not a valid DNS label"),
    ("cloud.test.42", "has a numeric top-level label"),
    (".".join(["abcdefghi"] * 26) + ".test", "is longer than 253 characters"),
    ("", "must be a non-empty host name"),
    (None, "must be a non-empty host name"),
])
def test_bad_fqdns_are_explained(given, fragment):
    name, problems = _names.normalize_fqdn(given)
    assert any(fragment in p for p in problems), problems


def test_a_label_of_64_characters_is_refused():
    problems = _names.check_fqdn("%s.test" % ("a" * 64))
    assert problems == ["label 'aaaaaaaaaaaaaaaaaaaa'... is longer than 63 characters"]


@pytest.mark.parametrize("url", ["https://cloud.acme.test/", "https://cloud.acme.test", "https://cloud.acme.test:8443/",
                                 "https://bücher.test/"])
def test_good_https_urls(url):
    assert _names.check_https_url(url) == []


@pytest.mark.parametrize("url, fragment", [
    ("http://cloud.acme.test/", "must use https://"),
    ("https://user:pw@cloud.acme.test/", "must not carry credentials"),
    ("https://cloud.acme.test/panel/", "must have the path /"),
    ("https://cloud.acme.test/?next=/", "must not have a query or fragment"),
    ("https://cloud.acme.test/#top", "must not have a query or fragment"),
    ("https://[2001:db8::1]/", "uses an IP literal"),
    ("https://192.0.2.1/", "is an IP address"),
    ("https://x.test/;include /etc/passwd", "contains whitespace, control or quoting characters"),
    ("https://x.test/\u00a0", "contains whitespace, control or quoting characters"),
    ("https://x.test/\x1b[2J", "contains whitespace, control or quoting characters"),
    ("https://x.test/\u2028", "contains whitespace, control or quoting characters"),
    ("https://x.test/`id`", "contains whitespace, control or quoting characters"),
    ("https://x.test:99999/", "is not a valid URL"),
    ("https:///", "has no host"),
    ("", "must be an absolute https:// URL"),
    (None, "must be an absolute https:// URL"),
])
def test_bad_https_urls_are_explained(url, fragment):
    problems = _names.check_https_url(url)
    assert any(fragment in p for p in problems), problems


def test_a_port_can_be_refused_and_a_deeper_path_allowed():
    assert _names.check_https_url("https://cloud.acme.test:8443/", allow_port=False) == [
        "'https://cloud.acme.test:8443/' must not name a port"]
    assert _names.check_https_url("https://cloud.acme.test/acme/directory", require_root_path=False) == []


def test_one_spelling_of_hosts_ports_origins_and_urls():
    assert _names.url_host("https://Cloud.Bücher.test:8443/") == "cloud.xn--bcher-kva.test"
    assert _names.url_port("https://cloud.acme.test:8443/") == 8443
    assert _names.url_port("https://cloud.acme.test/") is None
    assert _names.url_origin("https://Cloud.acme.test:8443/") == "https://cloud.acme.test:8443"
    assert _names.url_origin("https://cloud.acme.test/") == "https://cloud.acme.test"
    assert _names.canonical_url("https://CLOUD.acme.test") == "https://cloud.acme.test/"
    assert _names.canonical_url("https://bücher.test:8443/") == "https://xn--bcher-kva.test:8443/"


def test_site_names_must_already_be_normalized():
    assert _names.check_site_name("cloud.acme.test") == []
    assert _names.check_site_name("Cloud.acme.test") == ["'Cloud.acme.test' is not in normalized form (expected "
                                                         "'cloud.acme.test')"]
    assert _names.check_site_name("../etc") != []
