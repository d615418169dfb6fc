"""Build step that puts the lessons into the wheel.

Everything else about the package is in pyproject.toml. The lesson notebooks live once, in the
repository's ``notebooks/`` folder; when a wheel is built, this copies them into the built package as
``specmask_edu/notebooks/*.ipynb`` so that ``pip install specmask_edu`` ships them
(``specmask_edu.lessons`` finds them; an editable install reads ``notebooks/`` directly).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithLessons(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # specmask_edu.lessons reads the repository's notebooks/ folder
        lessons = sorted((HERE / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        if not lessons:
            raise RuntimeError("notebooks/*.ipynb not found: the lessons must be in the source tree to build a wheel")
        target = Path(self.build_lib) / "specmask_edu" / "notebooks"
        self.mkpath(str(target))
        for nb in lessons:
            self.copy_file(str(nb), str(target / nb.name))


setup(cmdclass={"build_py": BuildPyWithLessons})
