# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Report, Existing and the owned-records sync, with a recording stand-in for the database."""
from __future__ import annotations

from ansible_collections.panelops.reseller.plugins.module_utils._seed_items import (
    Existing,
    OwnedKind,
    Report,
    archive_owned,
    item_name,
    owner_label,
    sync_owned,
)


class RecordingDB(object):
    def __init__(self):
        self.calls = []

    def update(self, table, key, changes):
        self.calls.append(("update", table, key, changes))


class Notes(OwnedKind):
    """A kind whose records are {value}: enough to drive every branch of sync_owned."""
    noun = "note"
    table = "panel_note"
    unmanaged_hint = ": rename it"

    def __init__(self, in_use=()):
        self.in_use = set(in_use)

    def normalize(self, item):
        return {"value": item.get("value", "")}

    def create(self, db, owner_id, item, want):
        db.calls.append(("create", owner_id, item["name"], want["value"]))

    def update(self, db, have, want):
        if have["value"] == want["value"]:
            return False
        db.calls.append(("change", have["id"], want["value"]))
        return True

    def show(self, label, record):
        return "note %s: %s\n" % (label, record["value"])

    def users(self, db, ids):
        return dict((i, ["client 9 (Foo)"]) for i in ids if i in self.in_use)

    def delete(self, db, have):
        db.calls.append(("delete", have["id"]))


def existing():
    rows = Existing()
    for row in ({"id": 1, "owner": None, "name": "same", "value": "a", "managed": True, "archived": False},
                {"id": 2, "owner": None, "name": "changed", "value": "a", "managed": True, "archived": False},
                {"id": 3, "owner": None, "name": "stale", "value": "a", "managed": True, "archived": False},
                {"id": 4, "owner": None, "name": "handmade", "value": "a", "managed": False, "archived": False},
                {"id": 5, "owner": 7, "name": "theirs", "value": "a", "managed": True, "archived": False}):
        rows[(row["owner"], row["name"])] = row
    return rows


def test_names_of_owners_and_items():
    assert owner_label(None, {}) == "provider"
    assert owner_label(7, {7: "acme"}) == "reseller acme"
    assert item_name(None, "retail", {7: "acme"}) == "retail"
    assert item_name(7, "retail", {7: "acme"}) == "acme/retail"
    assert item_name(8, "retail", {}) == "8/retail"


def test_existing_is_indexed_by_owner_in_name_order():
    rows = existing()
    assert [r["name"] for r in rows.owned_by(None)] == ["changed", "handmade", "same", "stale"]
    assert [r["name"] for r in rows.owned_by(7)] == ["theirs"]
    assert rows.owned_by(99) == []


def test_report_lists_states_and_keeps_the_diff_lines():
    report = Report()
    assert report.changed is False
    report.add("a", "unchanged")
    assert report.changed is False
    report.add("b", "created", after="b: new\n")
    report.add("c", "removed", before="c: old\n")
    result = report.module_result("notes", "panel_note")
    assert result == {
        "notes": {"a": "unchanged", "b": "created", "c": "removed"},
        "created": ["b"], "updated": [], "unchanged": ["a"], "removed": ["c"], "archived": [],
        "diff": {"before": "c: old\n", "after": "b: new\n", "before_header": "panel_note",
                 "after_header": "panel_note"},
        "changed": True,
    }


def test_sync_creates_updates_keeps_purges_and_refuses_what_it_does_not_manage():
    db, report = RecordingDB(), Report()
    wanted = {None: [{"name": "same", "value": "a"}, {"name": "changed", "value": "b"}, {"name": "new", "value": "c"},
                     {"name": "handmade", "value": "z"}]}
    problems = sync_owned(db, Notes(), wanted, existing(), report, {}, purge=True)
    assert problems == ["note handmade exists and is not managed (made in the panel): rename it"]
    assert report.items == {"same": "unchanged", "changed": "updated", "new": "created", "stale": "removed"}
    assert db.calls == [("change", 2, "b"), ("create", None, "new", "c"), ("delete", 3)]
    assert report.before == ["note changed: a\n", "note stale: a\n"]
    assert report.after == ["note changed: b\n", "note new: c\n"]


def test_purge_spares_other_owners_unmanaged_records_and_records_in_use():
    db, report = RecordingDB(), Report()
    problems = sync_owned(db, Notes(in_use={3}), {None: []}, existing(), report, {}, purge=True)
    assert problems == ["note stale cannot be removed: still used by client 9 (Foo)"]
    assert db.calls == [("delete", 2), ("delete", 1)]
    assert sync_owned(RecordingDB(), Notes(), {None: []}, existing(), Report(), {}, purge=False) == []


def test_a_resellers_records_are_named_owner_slash_name():
    report = Report()
    sync_owned(RecordingDB(), Notes(), {7: [{"name": "theirs", "value": "b"}]}, existing(), report, {7: "acme"},
               purge=True)
    assert report.items == {"acme/theirs": "updated"}


def test_archive_marks_managed_records_and_reports_each():
    db, report = RecordingDB(), Report()
    archive_owned(db, Notes(), None, {}, existing(), report)
    assert db.calls == [("update", "panel_note", 2, {"archived": True}), ("update", "panel_note", 1, {"archived": True}),
                        ("update", "panel_note", 3, {"archived": True})]
    assert report.names("archived") == ["changed", "same", "stale"]
    assert report.after[0] == "note changed: archived=true\n"
    again = Report()
    archive_owned(RecordingDB(), Notes(), 7, {7: "acme"}, existing(), again, archived=False)
    assert again.items == {}
