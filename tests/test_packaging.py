"""A plain `pip install .` gives a working app (issue #17): every app is packaged, and the
wheel carries the templates, static files, catalogues and region data, and runs without the
source tree."""

import json
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from setuptools import find_packages

ROOT = Path(settings.BASE_DIR)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PACKAGED = find_packages(
    where=str(ROOT), include=PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
)


def project_apps():
    """The apps of INSTALLED_APPS that live in this repository (the demo's included)."""
    return [
        config
        for config in apps.get_app_configs()
        if (ROOT / config.name.split(".")[0] / "__init__.py").is_file()
    ]


def test_every_app_of_the_project_is_packaged_with_its_subpackages():
    assert {config.name for config in project_apps()} >= {"accounts", "inquiries", "demo"}
    for config in project_apps():
        assert config.name in PACKAGED, f"{config.name} is missing from pyproject.toml"
        for folder in Path(config.path).rglob("__init__.py"):
            package = ".".join(folder.parent.relative_to(ROOT).parts)
            assert package in PACKAGED, f"{package} is missing from the package"
    assert "starkeregion" in PACKAGED
    assert not [name for name in PACKAGED if name.split(".")[0] == "tests"]


def test_the_project_package_finds_its_files_in_the_source_tree():
    assert settings.SOURCE_TREE
    assert settings.TEMPLATES[0]["DIRS"] == [ROOT / "templates"]
    assert settings.STATICFILES_DIRS == [ROOT / "static"]


def copy_of_the_source(target: Path) -> Path:
    """What `pip install .` sees, without caches, local databases or uploads."""
    source = target / "source"
    source.mkdir()
    for name in ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md"]:
        shutil.copy2(ROOT / name, source / name)
    folders = {name.split(".")[0] for name in PACKAGED} | {"templates", "static", "locale"}
    for name in folders:
        shutil.copytree(
            ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    return source


INSTALLED_CHECK = """
import django, json, sys
from pathlib import Path
django.setup()
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.utils import translation
import regions.places, starkeregion
get_template("base.html"); get_template("account/email_confirm.html")
with translation.override("de"):
    german = translation.gettext("My account")
print(json.dumps({
    "package": starkeregion.__file__,
    "source_tree": settings.SOURCE_TREE,
    "css": bool(finders.find("css/site.css")),
    "german": german,
    "places": regions.places.DATA_FILE.is_file(),
}))
"""


def test_the_wheel_carries_the_files_and_runs_without_the_source_tree(tmp_path):
    source = copy_of_the_source(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path, source],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("starkeregion-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in [
        "starkeregion/templates/base.html",
        "starkeregion/templates/account/email_confirm.html",
        "starkeregion/static/css/site.css",
        "starkeregion/locale/de/LC_MESSAGES/django.mo",
        "starkeregion/locale/formal/de/LC_MESSAGES/django.mo",
        "regions/data/zipcodes.de.csv",
        "inquiries/models.py",
        "starkeregion/__main__.py",
    ]:
        assert expected in names, f"{expected} is not in the wheel"
    assert not [name for name in names if name.startswith("tests/")]

    installed = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "-t", installed, wheel],
        check=True,
        capture_output=True,
    )
    workdir = tmp_path / "work"
    workdir.mkdir()
    environment = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(installed),
        "DJANGO_SETTINGS_MODULE": "starkeregion.settings",
        "SECRET_KEY": "packaging-test-key-0123456789-0123456789-0123456789",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", INSTALLED_CHECK],
        cwd=workdir,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(report["package"]).is_relative_to(installed)
    assert report == {**report, "source_tree": False, "css": True, "places": True}
    assert report["german"] == "Mein Konto"

    check = subprocess.run(
        [sys.executable, "-m", "starkeregion", "check"],
        cwd=workdir,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
