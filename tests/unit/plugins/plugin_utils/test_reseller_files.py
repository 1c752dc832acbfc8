# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reseller files read by libyaml: the same data as Ansible's loader gives, templates still trusted, vaulted and
tagged files through Ansible's loader, and every problem naming the file."""
from __future__ import annotations

import datetime
import json
import os
import stat

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import is_trusted_as_template

from ansible_collections.panelops.reseller.plugins.plugin_utils import _reseller_files
from ansible_collections.panelops.reseller.plugins.plugin_utils._reseller_files import (
    ResellerFilesError,
    is_json_exact,
    list_in_group_vars,
    load_resellers,
    reseller_files,
)

EVERY_KIND = """\
name: acme
state: present
company: "ACME: Cloud & Co"
quoted: 'it''s'
enabled: yes
disabled: off
count: 017
mode: 0o17
ratio: 1.5e3
nothing: ~
since: 2026-12-01
price: "0.006"
users:
  - {username: acme-admin, password: "{{ vault_acme_password }}", email: admin@acme.example}
note: |
  two
  lines
"""


def ansible_load(path):
    return DataLoader().load_from_file(str(path), cache="none", unsafe=True, trusted_as_template=True)


def write(root, relative, text):
    path = root / "resellers" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_plain_files_give_what_ansibles_loader_gives(tmp_path):
    path = write(tmp_path, "acme.yml", EVERY_KIND)
    ours = load_resellers(str(tmp_path), lambda p: pytest.fail("a plain file went through Ansible's loader"))
    assert ours == [ansible_load(path)]
    assert ours[0]["enabled"] is True and ours[0]["count"] == 15 and ours[0]["price"] == "0.006"


def test_only_strings_with_a_template_are_trusted(tmp_path):
    write(tmp_path, "acme.yml", EVERY_KIND)
    acme = load_resellers(str(tmp_path), None)[0]
    assert is_trusted_as_template(acme["users"][0]["password"])
    assert not is_trusted_as_template(acme["company"])


def test_vaulted_and_tagged_files_go_through_ansibles_loader(tmp_path):
    write(tmp_path, "a.yml", "name: a\npassword: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n")
    write(tmp_path, "b.yml", "$ANSIBLE_VAULT;1.1;AES256\n6162\n")
    write(tmp_path, "c.yml", "name: c\nnote: !unsafe '{{ not a template }}'\n")
    write(tmp_path, "d.yml", "name: d\ncompany: Wow! Cloud\n")
    seen = []
    resellers = load_resellers(str(tmp_path), lambda p: seen.append(p) or {"name": "via-ansible"})
    assert [p.rsplit("/", 1)[1] for p in seen] == ["a.yml", "b.yml", "c.yml"]
    assert resellers[-1] == {"name": "d", "company": "Wow! Cloud"}


def test_files_in_sorted_path_order_lists_flattened_hidden_and_other_files_skipped(tmp_path):
    write(tmp_path, "b.yml", "name: b\n")
    write(tmp_path, "a.yaml", "- name: a1\n- name: a2\n")
    write(tmp_path, "eu/c.json", '{"name": "c"}')
    write(tmp_path, ".d.yml", "name: hidden\n")
    write(tmp_path, "README.md", "not a reseller\n")
    write(tmp_path, ".git/e.yml", "name: hidden-dir\n")
    assert [r["name"] for r in load_resellers(str(tmp_path), None)] == ["a1", "a2", "b", "c"]
    assert len(reseller_files(str(tmp_path))) == 3


@pytest.mark.parametrize("text, where", [
    ("just a string\n", "bad.yml: must be a reseller"),
    ("- name: a\n- 42\n", "bad.yml[1]: must be a reseller"),
    ("name: [unclosed\n", "bad.yml: cannot be read"),
])
def test_a_bad_file_is_named(tmp_path, text, where):
    write(tmp_path, "bad.yml", text)
    with pytest.raises(ResellerFilesError, match=r"reseller file .*%s" % where.replace("[", r"\[").replace("]", r"\]")):
        load_resellers(str(tmp_path), None)


def test_a_second_list_in_group_vars_of_all_is_found(tmp_path):
    (tmp_path / "group_vars" / "all").mkdir(parents=True)
    (tmp_path / "group_vars" / "all" / "main.yml").write_text("panel_provider_url: https://p.test/\n")
    assert list_in_group_vars(str(tmp_path)) == []
    (tmp_path / "group_vars" / "all" / "old.yml").write_text("x: 1\npanel_resellers:\n  - name: a\n")
    (tmp_path / "group_vars" / "panel_app.yml").write_text("panel_resellers: []\n")  # not group all: not a clash
    assert [p.rsplit("/", 1)[1] for p in list_in_group_vars(str(tmp_path))] == ["old.yml"]


@pytest.mark.parametrize("value, exact", [
    ({"name": "a", "users": [{"n": 1, "f": 1.5, "ok": True, "none": None}]}, True),
    ({"since": datetime.date(2026, 12, 1)}, False),
    ({1: "integer key"}, False),
    ([{"nested": [b"bytes"]}], False),
])
def test_json_exact_data(value, exact):
    assert is_json_exact(value) is exact


def no_parse(monkeypatch):
    """From here on, libyaml parsing a reseller file fails the test."""
    monkeypatch.setattr(_reseller_files.yaml, "load", lambda *a, **k: pytest.fail("a cached file was parsed again"))


def cached(cache):
    return json.loads(cache.read_text())["files"]


def test_unchanged_files_come_from_the_cache_the_same_as_parsed(tmp_path, monkeypatch):
    write(tmp_path, "a.yml", "name: a\nusers:\n  - {username: a1, password: '{{ vault_a }}'}\ncount: 017\n")
    write(tmp_path, "b.yml", "- name: b1\n- name: b2\n")
    cache = tmp_path / "cache" / "inventory.json"
    first = load_resellers(str(tmp_path), None, str(cache))
    assert len(cached(cache)) == 2
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o600 and stat.S_IMODE(os.stat(cache.parent).st_mode) == 0o700
    no_parse(monkeypatch)
    again = load_resellers(str(tmp_path), None, str(cache))
    assert again == first and again[0]["count"] == 15
    # A template from the cache is trusted as one parsed now would be.
    assert is_trusted_as_template(again[0]["users"][0]["password"])


def test_an_edited_file_is_parsed_anew_and_a_removed_one_leaves_the_cache(tmp_path):
    write(tmp_path, "a.yml", "name: a\ncompany: Old\n")
    b = write(tmp_path, "b.yml", "name: b\n")
    cache = tmp_path / "cache.json"
    load_resellers(str(tmp_path), None, str(cache))
    write(tmp_path, "a.yml", "name: a\ncompany: New\n")
    b.unlink()
    assert load_resellers(str(tmp_path), None, str(cache)) == [{"name": "a", "company": "New"}]
    assert list(cached(cache).values()) == [{"name": "a", "company": "New"}]


def test_what_json_cannot_hold_and_vaulted_files_are_never_kept(tmp_path):
    write(tmp_path, "a.yml", "name: a\nsince: 2026-12-01\n")
    write(tmp_path, "v.yml", "name: v\npassword: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n")
    write(tmp_path, "p.yml", "name: p\n")
    cache = tmp_path / "cache.json"
    resellers = load_resellers(str(tmp_path), lambda p: {"name": "v", "password": "decrypted"}, str(cache))
    assert str(resellers[0]["since"]) == "2026-12-01" and resellers[2] == {"name": "v", "password": "decrypted"}
    assert list(cached(cache).values()) == [{"name": "p"}]


@pytest.mark.parametrize("damage", ["{not json", '{"version": 0, "files": {}}', '["a list"]', '{"version": 1}'])
def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path, damage):
    write(tmp_path, "a.yml", "name: a\n")
    cache = tmp_path / "cache.json"
    cache.write_text(damage)
    assert load_resellers(str(tmp_path), None, str(cache)) == [{"name": "a"}]
    assert list(cached(cache).values()) == [{"name": "a"}]


def test_a_cache_that_cannot_be_written_only_costs_the_parse(tmp_path):
    write(tmp_path, "a.yml", "name: a\n")
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    assert load_resellers(str(tmp_path), None, str(blocker / "cache.json")) == [{"name": "a"}]
    assert blocker.read_text() == "" and sorted(os.listdir(tmp_path)) == ["not-a-directory", "resellers"]


def test_a_bad_file_leaves_the_cache_as_it_was(tmp_path):
    write(tmp_path, "a.yml", "name: a\n")
    cache = tmp_path / "cache.json"
    load_resellers(str(tmp_path), None, str(cache))
    before = cache.read_text()
    write(tmp_path, "b.yml", "name: [unclosed\n")
    with pytest.raises(ResellerFilesError, match="b.yml: cannot be read"):
        load_resellers(str(tmp_path), None, str(cache))
    assert cache.read_text() == before
