"""No import cycle among the panel's modules: every import counts, module-level or inside a function (a local
import only hides a cycle until the code path runs), and so do the URLconfs Django imports by name."""
import ast
from pathlib import Path

PANEL_DIR = Path(__file__).resolve().parents[1]
PACKAGE = "reseller_panel"


def panel_modules():
    """{dotted module name: path} for every module of the panel (migrations are Django's business)."""
    found = {}
    for path in sorted((PANEL_DIR / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(PANEL_DIR).with_suffix("").parts)
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _absolute(module, path, node):
    if not node.level:
        return node.module
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imported_names(module, path):
    """Every dotted name `module` imports, wherever the import statement stands, and every include("x.y")."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, path, node)
            names.add(base)
            names.update("%s.%s" % (base, alias.name) for alias in node.names)
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "include" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            names.add(node.args[0].value)
    return names


def import_graph():
    modules = panel_modules()
    graph = {}
    for module, path in modules.items():
        targets = {name for name in imported_names(module, path) if name in modules and name != module}
        # A package's (empty) __init__ is imported on the way to its modules: not an edge worth following.
        graph[module] = {t for t in targets if modules[t].name != "__init__.py"}
    return graph


def find_cycle(graph):
    """One import cycle as a list of modules (first == last), or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_panel_has_no_import_cycle():
    graph = import_graph()
    # The graph is real: the edges the request path takes are in it.
    assert "reseller_panel.core.urlconfs" in graph["reseller_panel.core.middleware"]
    assert "reseller_panel.dashboard.urls" in graph["reseller_panel.core.urlconfs"]
    assert "reseller_panel.core.models" in graph["reseller_panel.core.pricing"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_cycles_through_local_imports(tmp_path):
    # The shape the panel once had: middleware -> urls -> views -> middleware, the last import inside a function.
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "middleware.py").write_text("def urlconf():\n    from . import urls\n")
    (package / "urls.py").write_text("from pkg import views\n")
    (package / "views.py").write_text("from .middleware import urlconf\n")
    modules = {"pkg.%s" % p.stem: p for p in package.glob("*.py") if p.stem != "__init__"}
    graph = {m: {n for n in imported_names(m, p) if n in modules and n != m} for m, p in modules.items()}
    assert find_cycle(graph) == ["pkg.middleware", "pkg.urls", "pkg.views", "pkg.middleware"]
