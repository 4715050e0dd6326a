"""Structure enforced by tests: the dependency direction, and the README documenting every
configuration key (in the spirit of CKAN's test_coding_standards and datasette's test_docs)."""
import ast
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
