"""The packages stand on each other in one direction: a module imports only from its own
package and the floors below it, and no two modules import each other. Read from the
source (every import statement, at module level or inside a function), not by importing."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# From the ground floor up; a package may import from the ones before it.
FLOORS = (
    "core",
    "accounts",
    "regions",
    "organisations",
    "listings",
    "inquiries",
    "pools",
    "api",
    "embeds",
    "alerts",
    "impact",
    "trips",
    "matching",
    "watchlist",
    "moderation",
    "agreements",
    "demo",
    "starkeregion",
)


def project_modules() -> dict[str, Path]:
    """Dotted name → file of every module of the floors, without migrations and tests."""
    modules = {}
    for package in FLOORS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "tests" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imported_names(module: str, path: Path, modules) -> set[str]:
    """What `module` imports, as module names: `from listings import search` names
    listings.search, `from listings.models import Listing` names listings.models."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..models import y
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                names.add(submodule if submodule in modules else base)
    return names


def project_imports() -> set[tuple[str, str]]:
    """Every (importing module, imported module) pair between modules of the floors."""
    modules = project_modules()
    return {
        (module, name)
        for module, path in modules.items()
        for name in imported_names(module, path, modules)
        if floor(name) in FLOORS and name != module
    }


def floor(module: str) -> str:
    return module.split(".")[0]


def upward_imports() -> set[tuple[str, str]]:
    ranks = {package: rank for rank, package in enumerate(FLOORS)}
    return {
        (importing, imported)
        for importing, imported in project_imports()
        if ranks[floor(importing)] < ranks[floor(imported)]
    }


def mutual_imports() -> set[tuple[str, str]]:
    imports = project_imports()
    return {
        (importing, imported) for importing, imported in imports if (imported, importing) in imports
    }


def test_the_ground_floor_imports_no_app():
    assert {pair for pair in upward_imports() if floor(pair[0]) == "core"} == set()


def test_no_app_imports_a_higher_one():
    # A lower page that shows a higher app's part gets it through a hook point (core.hooks).
    assert upward_imports() == set()


def test_no_two_modules_import_each_other():
    assert mutual_imports() == set()


def test_the_reading_sees_imports_of_every_kind():
    imports = project_imports()
    assert ("regions.models", "core.uploads") in imports  # from core.uploads import …
    assert ("demo.management.commands.load_demo", "demo.listings") in imports  # from demo import
    assert ("regions.apps", "regions.pages") in imports  # from . import, inside a method
    assert ("listings.indexing", "listings.signals") in imports  # from .signals, in a function


def test_every_package_of_the_project_has_a_floor():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert packages - {"tests"} == set(FLOORS)


# Templates: templates/<app>/ stand on their app's floor. The others (base.html and the
# header, error pages, includes/, forms/, admin/, account/ …) are the project's frame and
# shared snippets: any app's template may use them, and the frame may show any app's part.

TEMPLATES = ROOT / "templates"
TEMPLATE_REFERENCE = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")


def template_floor(name: str) -> str | None:
    folder = name.split("/")[0]
    return folder if "/" in name and folder in FLOORS else None


def upward_template_references() -> set[tuple[str, str]]:
    ranks = {package: rank for rank, package in enumerate(FLOORS)}
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        for referenced in TEMPLATE_REFERENCE.findall(path.read_text()):
            floors = template_floor(name), template_floor(referenced)
            if None not in floors and ranks[floors[0]] < ranks[floors[1]]:
                found.add((name, referenced))
    return found


def test_no_apps_template_includes_a_higher_apps_template():
    # A lower page shows a higher app's part through its hook's `parts` (core.hooks).
    assert upward_template_references() == set()


def test_the_template_reading_sees_includes_and_extends():
    assert template_floor("listings/_card.html") == "listings"
    assert template_floor("includes/_pagination.html") is None
    references = TEMPLATE_REFERENCE.findall((TEMPLATES / "listings/detail.html").read_text())
    assert {"base.html", "listings/_member_actions.html"} <= set(references)
