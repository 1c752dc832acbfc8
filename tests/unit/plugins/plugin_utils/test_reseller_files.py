# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reseller files read by libyaml: the same data as Ansible's loader gives, templates still trusted, vaulted and
tagged files through Ansible's loader, and every problem naming the file."""
from __future__ import annotations

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import is_trusted_as_template

from ansible_collections.panelops.reseller.plugins.plugin_utils._reseller_files import (
    ResellerFilesError,
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
