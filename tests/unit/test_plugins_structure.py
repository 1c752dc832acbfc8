# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shape of plugins/ the project holds itself to: no import cycle (and no function-local import of the
collection's own files to hide one), no function over 80 lines, no run of 20 identical lines in two places,
and a unit test file beside every module_utils file."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGINS = os.path.join(REPO, "plugins")
PACKAGE = "ansible_collections.panelops.reseller."
MAX_FUNCTION_LINES = 80
MIN_DUPLICATE_RUN = 20


def plugin_files():
    for root, _dirs, files in os.walk(PLUGINS):
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(root, name)


def module_name(path):
    return PACKAGE + os.path.relpath(path, REPO)[:-len(".py")].replace(os.sep, ".")


def parse(path):
    with open(path) as handle:
        return ast.parse(handle.read(), path)


def collection_imports(node):
    """The collection's own modules an import statement names (`from X import name` may name a module)."""
    names = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        names = [node.module] + ["%s.%s" % (node.module, alias.name) for alias in node.names]
    return [name for name in names if name.startswith(PACKAGE + "plugins.")]


def import_graph():
    known = dict((module_name(path), path) for path in plugin_files())
    graph = {}
    for name, path in known.items():
        targets = set()
        for node in ast.walk(parse(path)):
            targets.update(t for t in collection_imports(node) if t in known and t != name)
        graph[name] = targets
    return graph


def find_cycle(graph):
    """A list of modules forming a cycle, or None."""
    state = {}  # name -> "open" | "done"

    def visit(name, path):
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state:
                found = visit(target, path + [target])
                if found:
                    return found
        state[name] = "done"
        return None

    for name in sorted(graph):
        if name not in state:
            found = visit(name, [name])
            if found:
                return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_import_graph_sees_the_collections_own_imports():
    graph = import_graph()
    assert PACKAGE + "plugins.module_utils._names" in graph[PACKAGE + "plugins.module_utils._model"]
    assert PACKAGE + "plugins.module_utils._model" in graph[PACKAGE + "plugins.module_utils._tls"]


def test_no_import_cycle_in_plugins():
    assert find_cycle(import_graph()) is None


def test_no_function_local_import_of_the_collection():
    found = []
    for path in plugin_files():
        for func in ast.walk(parse(path)):
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(func):
                    if collection_imports(node):
                        found.append("%s:%d %s" % (os.path.relpath(path, REPO), node.lineno, func.name))
    assert found == []


def test_leaves_import_nothing_of_the_collection():
    graph = import_graph()
    for leaf in ("_names", "_vocabulary", "_canonical", "_files", "_locks", "_seed_items", "_results", "_passwords",
                 "_panel_db_spec", "_tls_settings"):
        assert graph[PACKAGE + "plugins.module_utils." + leaf] == set(), leaf


def test_no_function_over_80_lines():
    long_ones = []
    for path in plugin_files():
        for node in ast.walk(parse(path)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long_ones.append("%s:%d %s (%d lines)" % (os.path.relpath(path, REPO), node.lineno, node.name,
                                                              length))
    assert long_ones == []


def duplicate_runs(files, size=MIN_DUPLICATE_RUN):
    """Pairs of places where `size` consecutive lines (stripped; not all blank) are identical."""
    seen, pairs = {}, []
    for path, lines in files:
        stripped = [line.strip() for line in lines]
        for start in range(len(stripped) - size + 1):
            window = tuple(stripped[start:start + size])
            if not any(window):
                continue
            where = (path, start + 1)
            first = seen.setdefault(window, where)
            if first != where and (first[0] != path or start + 1 - first[1] >= size):
                pairs.append("%s:%d ~ %s:%d" % (first[0], first[1], path, start + 1))
    return pairs


def test_the_duplicate_finder_finds_a_copied_block():
    block = ["line %d" % i for i in range(MIN_DUPLICATE_RUN)]
    assert duplicate_runs([("a.py", ["x"] + block), ("b.py", block + ["y"])]) == ["a.py:2 ~ b.py:1"]
    assert duplicate_runs([("a.py", block[:-1] + ["changed"]), ("b.py", block)]) == []


def test_no_run_of_20_identical_lines_in_two_places():
    files = []
    for path in plugin_files():
        with open(path) as handle:
            files.append((os.path.relpath(path, REPO), handle.read().splitlines()))
    assert duplicate_runs(files) == []


@pytest.mark.parametrize("name", sorted(
    name[:-len(".py")] for name in os.listdir(os.path.join(PLUGINS, "module_utils"))
    if name.startswith("_") and name.endswith(".py") and name != "__init__.py"))
def test_every_module_utils_file_has_its_unit_test_file(name):
    path = os.path.join(REPO, "tests", "unit", "plugins", "module_utils", "test%s.py" % name)
    assert os.path.isfile(path), "no unit test file for plugins/module_utils/%s.py" % name


# Imported by the controller itself (Ansible loads an action plugin's class there before running it, and every
# worker it forks inherits what the controller holds): they must not pull in the drivers and protocol libraries.
CONTROLLER_LIGHT = ("plugins.action.validate_inventory", "plugins.action.nginx_sites", "plugins.action.panel_resellers",
                    "plugins.action.tls_certificates", "plugins.action.frontend_health",
                    "plugins.filter.reseller_dns_records",
                    "plugins.callback.run_summary")
HEAVY = ("acme", "josepy", "requests", "dns", "psycopg", "pymysql", "OpenSSL")


def libraries_loaded(names, libraries, preamble=""):
    """Which of `libraries` importing the collection's `names` (dotted, under the collection) loads, in a fresh
    Python after `preamble`."""
    code = (preamble + "import json, sys\n"
            "for name in %r: __import__('ansible_collections.panelops.reseller.' + name)\n"
            "print(json.dumps(sorted(set(m.split('.')[0] for m in sys.modules) & set(%r))))" % (names, libraries))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.join(REPO, ".collections"), REPO]))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_controller_side_plugins_load_no_driver_or_protocol_library():
    assert libraries_loaded(CONTROLLER_LIGHT, HEAVY, "import ansible.plugins.action, ansible.plugins.callback\n") == []


# The modules of a run with nothing to do (internal CA, SQLite): every module run imports its libraries anew, so
# a driver or protocol library is imported only where it is used (the engine's driver, the acme library,
# dnspython for DNS-01 orders).
EVERY_RUN_MODULES = ("tls_certificates", "panel_settings", "panel_plans", "panel_resellers", "panel_configurations",
                     "nginx_sites", "nginx_user_space")
ON_USE = ("acme", "josepy", "requests", "psycopg", "pymysql", "dns")


def test_modules_import_drivers_and_the_acme_library_only_when_used():
    assert libraries_loaded(["plugins.modules." + name for name in EVERY_RUN_MODULES], ON_USE) == []
