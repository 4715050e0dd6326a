"""Structure enforced by tests: the dependency direction, no import cycle, and the README
documenting every configuration key (in the spirit of CKAN's test_coding_standards and
datasette's test_docs)."""
import ast
from collections import defaultdict
from pathlib import Path

import pytest

from app.config import DefaultConfig

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "practices": {"flask", "flask_wtf", "flask_login", "werkzeug", "app", "search_index"},
    "search_index": {"flask", "werkzeug", "app", "practices", "sqlalchemy"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_inner_packages_never_import_the_layers_above_them(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


PACKAGES = ("app", "practices", "search_index")


def project_modules() -> dict[str, Path]:
    """Return {dotted module name: file} of every module of the project's packages."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Return {module: project modules it imports}, wherever the import statement stands (a
    function's deferred import counts); imports only for type checkers do not."""
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
                node.body = []
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            graph[name].update(t for t in _targets(node, package, modules) if t != name)
    return graph


def _targets(node: ast.AST, package: str, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in modules]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        parts = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*parts, base] if base else parts)
    named = [f"{base}.{a.name}" for a in node.names]
    return [n if n in modules else base for n in named if n in modules or base in modules]


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycle_among_the_projects_modules():
    graph = import_graph(project_modules())
    assert sum(len(targets) for targets in graph.values()) > 100, "the graph lost its edges"
    assert import_cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert import_cycles(graph) == [["a", "b", "c"]]


# Where the system actor (practices.permissions.SYSTEM, allowed everything) may be named: its
# definition, the operator's commands and the jobs they (or an upload, after checking the
# uploader's permission) queue. Views and the API act as the signed-in person.
SYSTEM_ALLOWED = ("practices/permissions.py", "app/cli/", "app/jobs/tasks.py")


def names_system(path: Path) -> bool:
    """Tell whether a module imports SYSTEM or reads it as an attribute (permissions.SYSTEM)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "SYSTEM" for a in node.names):
            return True
        if isinstance(node, ast.Attribute) and node.attr == "SYSTEM":
            return True
    return False


def test_only_the_commands_act_as_the_system():
    modules = [p for package in ("app", "practices") for p in (ROOT / package).rglob("*.py")]
    naming = {str(p.relative_to(ROOT)) for p in modules if names_system(p)}
    assert "app/cli/users.py" in naming  # the check sees the commands that do
    assert {m for m in naming if not m.startswith(SYSTEM_ALLOWED)} == set()


def test_every_service_takes_its_actor_without_default():
    import inspect

    from practices import services

    defaults = {
        name: str(inspect.signature(getattr(services, name)).parameters["actor"].default)
        for name in services.__all__
        if callable(getattr(services, name))
        and "actor" in inspect.signature(getattr(services, name)).parameters
    }
    assert len(defaults) > 30
    assert {n: d for n, d in defaults.items() if d != str(inspect.Parameter.empty)} == {}


def test_every_configuration_key_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    keys = [k for k in vars(DefaultConfig) if k.isupper()]
    assert keys, "DefaultConfig lost its keys"
    assert [k for k in keys if f"`{k}`" not in readme] == []


def readme_config_keys() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return {line.split("`")[1] for line in section.splitlines() if line.startswith("| `")}


def test_the_readme_configuration_table_names_only_real_keys():
    keys = {k for k in vars(DefaultConfig) if k.isupper()}
    assert readme_config_keys() - keys == set()


def test_env_example_lists_every_configuration_key_without_secrets():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    listed = {line.split("=", 1)[0].removeprefix("FLASK_") for line in lines if "=" in line}
    expected = {k for k in vars(DefaultConfig) if k.isupper()} - {
        "WTF_CSRF_TIME_LIMIT", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    }
    assert expected - listed == set()


def readme_architecture() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]


def defines(path: Path, dotted: str) -> bool:
    """Tell whether the module at `path` defines `dotted` (a function, class, method or
    module-level name)."""
    scope: list[ast.stmt] = ast.parse(path.read_text(encoding="utf-8")).body
    for part in dotted.split("."):
        found = None
        for node in scope:
            named = getattr(node, "name", None)
            targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets.append(node.target.id)
            if part == named or part in targets:
                found = node
                break
        if found is None:
            return False
        scope = getattr(found, "body", [])
    return True


def test_every_step_the_readme_architecture_names_exists_under_that_name():
    import re

    steps = re.findall(r"`((?:app|practices|search_index)/[\w/]+\.py):([\w.]+)`",
                       readme_architecture())
    assert len(steps) > 30
    missing = [f"{path}:{name}" for path, name in steps
               if not (ROOT / path).is_file() or not defines(ROOT / path, name)]
    assert missing == []
