"""The one thing pyproject.toml cannot say: the project's templates, static files and
catalogues (templates/, static/, locale/ beside the apps) go into the wheel inside the
`starkeregion` package, where settings.py looks for them when there is no source tree.
Everything else about the package is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PROJECT_FILES = ["templates", "static", "locale"]


class BuildWithProjectFiles(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads them from the source tree
            return
        for name in PROJECT_FILES:
            target = Path(self.build_lib, "starkeregion", name)
            shutil.copytree(name, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*~"))


setup(cmdclass={"build_py": BuildWithProjectFiles})
