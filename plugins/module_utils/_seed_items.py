# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The items a seeding step handles: what already exists (Existing), what the step did to each (Report), and
how results name them (item_name: `name` for the provider's, `owner/name` for a reseller's).

Shared by the plans, configurations and resellers steps. A leaf: it imports nothing from this collection.
"""

from __future__ import annotations

STATES = ("created", "updated", "unchanged", "removed", "archived")


def owner_label(owner_id, owner_names):
    """How messages name an owner: the provider, or `reseller NAME`."""
    return "provider" if owner_id is None else "reseller %s" % owner_names.get(owner_id, owner_id)


def item_name(owner_id, name, owner_names):
    """An item's name in results: `name` for the provider's, `owner/name` for a reseller's."""
    return name if owner_id is None else "%s/%s" % (owner_names.get(owner_id, owner_id), name)


class Existing(dict):
    """The records read from the database, keyed by (owner_id, name), with an index by owner."""

    _by_owner = None

    def owned_by(self, owner_id):
        if self._by_owner is None:
            self._by_owner = {}
            for (owner, name), have in sorted(self.items(), key=lambda kv: kv[0][1]):
                self._by_owner.setdefault(owner, []).append(have)
        return self._by_owner.get(owner_id, [])


class Report(object):
    """Per-item results (one of STATES each) and the diff lines of what changed."""

    def __init__(self):
        self.items = {}
        self.before = []
        self.after = []

    def add(self, name, state, before=None, after=None):
        self.items[name] = state
        if before:
            self.before.append(before)
        if after:
            self.after.append(after)

    def names(self, state):
        return sorted(n for n, s in self.items.items() if s == state)

    @property
    def changed(self):
        return any(s != "unchanged" for s in self.items.values())

    def diff(self, header):
        return dict(before="".join(self.before), after="".join(self.after), before_header=header,
                    after_header=header)

    def result(self, key, header):
        """{key: {name: state}, created: [...], ..., archived: [...], diff: {...}}."""
        out = {key: dict(self.items)}
        out.update((state, self.names(state)) for state in STATES)
        out["diff"] = self.diff(header)
        return out

    def module_result(self, key, header):
        """result() with `changed`: what a seeding module returns (its runner keeps the diff under --diff)."""
        out = self.result(key, header)
        out["changed"] = self.changed
        return out


class OwnedKind(object):
    """How one kind of owned, named record (plans, configurations) is compared, written and shown.

    A subclass sets `noun`, `table` and `unmanaged_hint` and implements normalize, create, update, show,
    users and delete; sync_owned() and archive_owned() are the same for every kind.
    """

    noun = "record"
    table = None
    unmanaged_hint = ""

    def normalize(self, item):
        """The declared item as the database would hold it (comparable with an Existing record)."""
        raise NotImplementedError

    def create(self, db, owner_id, item, want):
        raise NotImplementedError

    def update(self, db, have, want):
        """Write what differs; returns whether anything did."""
        raise NotImplementedError

    def show(self, label, record):
        """One readable, stable line of a record for --diff (never a secret)."""
        raise NotImplementedError

    def users(self, db, ids):
        """{record id: ['reseller acme', 'client 12 (Foo)', ...]} of the records still in use."""
        raise NotImplementedError

    def delete(self, db, have):
        raise NotImplementedError


def _sync_item(db, kind, owner_id, item, existing, report, owner_names):
    """Create or update one declared item; returns a problem or None."""
    label = item_name(owner_id, item["name"], owner_names)
    want = kind.normalize(item)
    have = existing.get((owner_id, item["name"]))
    if have is None:
        kind.create(db, owner_id, item, want)
        report.add(label, "created", after=kind.show(label, want))
    elif not have["managed"]:
        return "%s %s exists and is not managed (made in the panel)%s" % (kind.noun, label, kind.unmanaged_hint)
    elif kind.update(db, have, want):
        report.add(label, "updated", before=kind.show(label, have), after=kind.show(label, want))
    else:
        report.add(label, "unchanged")
    return None


def _purge(db, kind, candidates, report, owner_names):
    """Delete the managed records no longer declared, unless still in use; returns the problems."""
    problems = []
    used = kind.users(db, [have["id"] for have in candidates]) if candidates else {}
    for have in candidates:
        label = item_name(have["owner"], have["name"], owner_names)
        if have["id"] in used:
            problems.append("%s %s cannot be removed: still used by %s"
                            % (kind.noun, label, ", ".join(sorted(used[have["id"]]))))
            continue
        kind.delete(db, have)
        report.add(label, "removed", before=kind.show(label, have))
    return problems


def sync_owned(db, kind, wanted, existing, report, owner_names, purge):
    """Make each owner's records ({owner_id or None: [item, ...]}) what the inventory says; returns problems.

    Only managed records are updated or purged; a declared name held by an unmanaged record is a problem, as is
    purging a record still in use.
    """
    problems, candidates = [], []
    for owner_id in sorted(wanted, key=lambda o: (o is not None, o)):
        declared = set()
        for item in wanted[owner_id]:
            declared.add(item["name"])
            problem = _sync_item(db, kind, owner_id, item, existing, report, owner_names)
            if problem:
                problems.append(problem)
        if purge:
            candidates.extend(have for have in existing.owned_by(owner_id)
                              if have["managed"] and have["name"] not in declared)
    return problems + _purge(db, kind, candidates, report, owner_names)


def archive_owned(db, kind, owner_id, owner_names, existing, report, archived=True):
    """Mark every managed record of a reseller archived (offboarding) or not; nothing is deleted."""
    for have in existing.owned_by(owner_id):
        if have["managed"] and have["archived"] != archived:
            db.update(kind.table, have["id"], {"archived": archived})
            label = item_name(have["owner"], have["name"], owner_names)
            report.add(label, "archived",
                       before="%s %s: archived=%s\n" % (kind.noun, label, str(have["archived"]).lower()),
                       after="%s %s: archived=%s\n" % (kind.noun, label, str(archived).lower()))
