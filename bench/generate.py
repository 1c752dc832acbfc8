# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generate an inventory of N resellers, kept as operators keep theirs: one file per reseller in resellers/.

Each reseller has a user (a ready password hash, or no credential: a set-password link), its own retail plan
and a default configuration. Plaintext passwords are never generated: hashing costs 0.4 s per user.

    python bench/generate.py N DIR [--https-port 38443] [--vars JSON] [--layout files|group_vars]
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os

import yaml


def bench_password_hash(password="bench-password-not-secret", salt="benchsalt0000000", iterations=1000000):
    """A real Django pbkdf2_sha256 hash, made once for every generated user: the bench measures the
    provisioner, not PBKDF2."""
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return "pbkdf2_sha256$%d$%s$%s" % (iterations, salt, base64.b64encode(digest).decode("ascii"))


def reseller(index, https_port, password_hash):
    name = "r%05d" % index
    retail = {
        "name": "%s-retail" % name,
        "currency": "EUR",
        "is_default": True,
        "rules": [{
            "name": "vCPU", "resource": "instance", "attribute": "vcpus", "time_unit": "h",
            "tiers": [{"from": 0, "price": "0.006"}, {"from": 8, "price": "0.005"}],
            "conditions": [{"attribute": "region", "op": "eq", "value": "RegionOne"}],
            "modifiers": [{"name": "Windows licence", "price": "0.012", "time_unit": "h",
                           "when": [{"attribute": "os_type", "op": "eq", "value": "windows"}]}],
        }],
    }
    user = {"username": "%s-admin" % name, "email": "admin@%s.bench.test" % name}
    if index % 2 == 0:
        user["password_hash"] = password_hash
    return {
        "name": name,
        "state": "present",
        "company": "Reseller %d Cloud" % index,
        "email": "ops@%s.bench.test" % name,
        "currency": "EUR",
        "plan": "reseller-wholesale",
        "enduser_panel_url": "https://cloud.%s.bench.test:%d/" % (name, https_port),
        "users": [user],
        "plans": [retail],
        "configurations": [{"name": "default", "default": True,
                            "options": {"billing": {"credit_limit": 0}}}],
    }


def provider_plans():
    return [{
        "name": "reseller-wholesale",
        "currency": "EUR",
        "rules": [{
            "name": "vCPU", "resource": "instance", "attribute": "vcpus", "time_unit": "h",
            "tiers": [{"from": 0, "price": "0.004"}],
            "conditions": [{"attribute": "region", "op": "eq", "value": "RegionOne"}],
            "modifiers": [{"name": "Windows licence", "price": "0.01", "time_unit": "h",
                           "when": [{"attribute": "os_type", "op": "eq", "value": "windows"}]}],
        }],
    }]


def write_inventory(count, directory, base_vars, https_port, start=0, layout="files"):
    """hosts.yml + group_vars/all/{main,plans}.yml under `directory`, and the resellers: one file each in
    resellers/ (layout "files", read by the reseller_files vars plugin) or one list in group_vars/all/resellers.yml
    (layout "group_vars")."""
    group_vars = os.path.join(directory, "group_vars", "all")
    os.makedirs(group_vars, exist_ok=True)
    with open(os.path.join(directory, "hosts.yml"), "w") as handle:
        yaml.safe_dump({"all": {"children": {"panel_app": {"hosts": {"bench-panel": None}},
                                             "panel_frontends": {"hosts": {"bench-panel": None}}}}}, handle)
    with open(os.path.join(group_vars, "main.yml"), "w") as handle:
        yaml.safe_dump(base_vars, handle, sort_keys=False)
    with open(os.path.join(group_vars, "plans.yml"), "w") as handle:
        yaml.safe_dump({"panel_plans": provider_plans()}, handle, sort_keys=False)
    password_hash = bench_password_hash()
    resellers = [reseller(i, https_port, password_hash) for i in range(start, start + count)]
    if layout == "group_vars":
        with open(os.path.join(group_vars, "resellers.yml"), "w") as handle:
            yaml.safe_dump({"panel_resellers": resellers}, handle, sort_keys=False, width=4096)
        return
    files = os.path.join(directory, "resellers")
    os.makedirs(files, exist_ok=True)
    for item in resellers:
        with open(os.path.join(files, item["name"] + ".yml"), "w") as handle:
            yaml.safe_dump(item, handle, sort_keys=False, width=4096)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("directory")
    parser.add_argument("--vars", default="{}", help="JSON of base variables (panel_db, ports, ...)")
    parser.add_argument("--https-port", type=int, default=38443)
    parser.add_argument("--layout", choices=("files", "group_vars"), default="files")
    args = parser.parse_args()
    write_inventory(args.count, args.directory, json.loads(args.vars), https_port=args.https_port, layout=args.layout)


if __name__ == "__main__":
    main()
