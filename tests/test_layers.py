"""Imports point one way (docs/architecture.md): content (cms/) knows neither the
applications (forms/) nor search (search/); the core of content knows no page type
of the content apps; nothing of the product imports the demo city.

Read from the source with ast, so an import inside a function counts as much as
one at the top of a module.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The few places that wire the layers together on purpose: the project's URLconf
# includes the applications' and search's routes, the settings name their
# classes, and `load_demo` is the demo city's own entry point.
WIRING = {
    "cms/urls.py",
    "cms/home/management/commands/load_demo.py",
}
DEMO_ENTRY = {"cms/home/management/commands/load_demo.py"}
# The content apps whose page types the core must not know.
CONTENT_APPS = (
    "accounts",
    "api",
    "departments",
    "home",
    "news",
    "policies",
    "services",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from cms import demo` names the module in the alias.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def source_files(top: str) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / top).rglob("*.py")
        if "migrations" not in path.parts and ".venv" not in path.parts
    )


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def violations(files, rule) -> list[str]:
    found = []
    for path in files:
        relative = path.relative_to(ROOT).as_posix()
        for line, module in imported_modules(path):
            if rule(relative, module):
                found.append(f"{relative}:{line} imports {module}")
    return sorted(set(found))


def content_imports_upper_layer(relative: str, module: str) -> bool:
    # The demo city sits above the whole product and fills every layer.
    if relative in WIRING or relative.startswith(("cms/settings/", "cms/demo/")):
        return False
    return _under(module, "forms") or _under(module, "search")


def core_imports_page_types(relative: str, module: str) -> bool:
    if not relative.startswith("cms/core/"):
        return False
    return any(_under(module, f"cms.{app}") for app in CONTENT_APPS)


def product_imports_demo(relative: str, module: str) -> bool:
    if relative.startswith("cms/demo/") or relative in DEMO_ENTRY:
        return False
    return _under(module, "cms.demo")


def test_content_imports_neither_applications_nor_search():
    assert violations(source_files("cms"), content_imports_upper_layer) == []


def test_core_knows_no_content_app():
    assert violations(source_files("cms/core"), core_imports_page_types) == []


@pytest.mark.parametrize("top", ["cms", "forms", "search"])
def test_product_never_imports_the_demo(top):
    assert violations(source_files(top), product_imports_demo) == []


# The rules themselves must be able to fail: each catches what it is meant to.


def test_rules_catch_what_they_forbid(tmp_path, monkeypatch):
    # Modules are named from the fixture tree.
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "cms" / "core").mkdir(parents=True)
    (tmp_path / "cms" / "services").mkdir(parents=True)
    core = tmp_path / "cms" / "core" / "models.py"
    core.write_text(
        "def get_module():\n    from cms.departments.models import ModulePage\n"
    )
    guide = tmp_path / "cms" / "services" / "models.py"
    guide.write_text(
        "from forms.models import ApplicationFormPage\nfrom cms import demo\n"
        "from ..demo.loader import load_demo\n"
    )
    files = [core, guide]
    assert violations(files, core_imports_page_types) == [
        "cms/core/models.py:2 imports cms.departments.models",
        "cms/core/models.py:2 imports cms.departments.models.ModulePage",
    ]
    assert violations(files, content_imports_upper_layer) == [
        "cms/services/models.py:1 imports forms.models",
        "cms/services/models.py:1 imports forms.models.ApplicationFormPage",
    ]
    assert violations(files, product_imports_demo) == [
        "cms/services/models.py:2 imports cms.demo",
        "cms/services/models.py:3 imports cms.demo.loader",
        "cms/services/models.py:3 imports cms.demo.loader.load_demo",
    ]
