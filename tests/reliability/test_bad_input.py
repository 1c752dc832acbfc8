# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile inventory values: each is refused by validation (naming the reseller and the field, before anything
is written) or stored inert (the row holds exactly the input; no nginx directive or SQL statement runs)."""
from __future__ import annotations

import copy
import glob
import json
import os

from tests.reliability.site import recap
from tests.support.files import read_text

TEN_KB = 10 * 1024


def base(site, name, **fields):
    reseller = dict(name=name, state="present", company="Ok", email="ops@%s.test" % name, currency="EUR",
                    plan="reseller-wholesale",
                    enduser_panel_url="https://panel.%s.test:%d/" % (name, site.ports["one"]["https"]))
    reseller.update(fields)
    return reseller


def test_hostile_values_are_refused_naming_reseller_and_field(fault_site):
    site = fault_site
    port = site.ports["one"]["https"]
    saved = copy.deepcopy(site.vars)
    db, trees = site.dump(), site.trees()
    site.vars["panel_resellers"] += [
        base(site, "evil;rm -rf /"),
        base(site, "x" * TEN_KB),
        base(site, "urlnl", enduser_panel_url="https://urlnl.test/;\nserver { listen 80; }"),
        base(site, "urldirective", enduser_panel_url="https://a.test:%d/ssl_certificate /etc/shadow" % port),
        base(site, "urlshell", enduser_panel_url="https://urlshell.test:%d/$(reboot)" % port),
        base(site, "urlquote", enduser_panel_url="https://urlquote.test:%d/'\"" % port),
        base(site, "bigcompany", company="C" * TEN_KB),
        base(site, "mailnl", email="a@mailnl.test\nBcc: victim@example.test"),
        base(site, "badplan", plans=[dict(name="p\n}", currency="EUR", rules=[]),
                                     dict(name="P" * TEN_KB, currency="EUR", rules=[])]),
        base(site, "baduser", users=[dict(username="u;id", email="u@baduser.test", password="x-Pa55-word")]),
    ]
    site.write_inventory()
    try:
        proc = site.run()
    finally:
        site.vars = saved
        site.write_inventory()
    assert proc.returncode != 0
    expected = [
        "reseller 'evil;rm -rf /': name: must be a slug",
        "reseller '%s': name: must be a slug" % ("x" * TEN_KB),
        "reseller 'urlnl': enduser_panel_url: 'https://urlnl.test/;\\nserver { listen 80; }' contains whitespace",
        "reseller 'urldirective': enduser_panel_url: ",
        "reseller 'urlshell': enduser_panel_url: 'https://urlshell.test:%d/$(reboot)' must have the path /" % port,
        "reseller 'urlquote': enduser_panel_url: ",
        "reseller 'bigcompany': company: required, up to 255 characters",
        "reseller 'mailnl': email: must be an e-mail address",
        "reseller 'badplan' plan 'p\\n}': name: required, 1-100 printable characters",
        "reseller 'badplan' plan '%s': name: required, 1-100 printable characters" % ("P" * TEN_KB),
        "reseller 'baduser' user 'u;id': username: required",
    ]
    missing = [line for line in expected if line not in proc.output]
    assert missing == [], proc.output[-3000:]
    assert "nothing was changed" in proc.output
    assert site.dump() == db
    assert site.trees() == trees


def test_hostile_values_that_pass_validation_are_stored_inert(fault_site):
    site = fault_site
    port = site.ports["one"]["https"]
    company = "O'Brien \"&\" Sons; DROP TABLE panel_reseller;-- $(touch /tmp/pwned) `id`\n}\nserver_name evil.test;"
    plan_name = "gold 'x'); DROP TABLE panel_plan;-- $(id) { return 301 https://evil.test; }"
    options = {"signup": {"terms": "'; DELETE FROM panel_user;-- \n include /etc/shadow; $(reboot) \u202e"}}
    lookalike = "\u0440\u0430\u0443\u0440\u0430l.test"  # Cyrillic letters that look like "paypal"
    site.vars["panel_resellers"].append(base(
        site, "inert", company=company, enduser_panel_url="https://%s:%d/" % (lookalike, port),
        plans=[dict(name=plan_name, currency="EUR", rules=[])],
        configurations=[dict(name="hostile", description=company, options=options)]))
    site.write_inventory()
    users_before = site.query("SELECT count(*) AS n FROM panel_user")[0]["n"]
    proc = site.run()
    assert proc.returncode == 0, proc.output[-4000:]
    assert recap(proc.output)["one"]["failed"] == 0
    row = site.query("SELECT c.name AS company, r.host, r.enduser_panel_url FROM panel_reseller r "
                     "JOIN panel_client c ON c.id = r.client_id WHERE r.name = 'inert'")[0]
    assert row["company"] == company
    # The lookalike domain is kept in its IDNA (ASCII) form: it cannot pass for the Latin name anywhere.
    ascii_host = lookalike.encode("idna").decode()
    assert row["host"] == ascii_host and ascii_host.startswith("xn--")
    plans = site.query("SELECT p.name FROM panel_plan p JOIN panel_reseller r ON r.id = p.owner_reseller_id "
                       "WHERE r.name = 'inert'")
    assert [p["name"] for p in plans] == [plan_name]
    conf = site.query("SELECT c.options, c.description FROM panel_configuration c JOIN panel_reseller r "
                      "ON r.id = c.owner_reseller_id WHERE r.name = 'inert'")[0]
    assert json.loads(conf["options"]) == options and conf["description"] == company
    # Every table is still there and no statement ran that was not the module's own.
    assert site.query("SELECT count(*) AS n FROM panel_user")[0]["n"] == users_before
    for host in ("one", "two"):
        assert site.nginx_test(host).returncode == 0
        sites = glob.glob(os.path.join(site.prefix(host), "sites", "*.conf"))
        assert os.path.join(site.prefix(host), "sites", ascii_host + ".conf") in sites
        text = "".join(read_text(path) for path in sites)
        assert "evil.test" not in text and "/etc/shadow" not in text and lookalike not in text
    assert not os.path.exists("/tmp/pwned")
