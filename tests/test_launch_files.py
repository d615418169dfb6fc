"""Binder and Colab launch files agree with each other and with the lessons.

notebooks/ <-> README badges (one Colab badge per lesson, a Binder badge opening 00_welcome in
JupyterLab) <-> postBuild (installs the package if needed, warms librosa up) <-> the Colab install cell
(the first code cell of every lesson). Dependency lists (environment.yml vs pyproject) are checked by
tests/test_packaging.py.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

import specmask_edu

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPO = "specmask-edu/specmask_edu"
BRANCH = "main"
WELCOME = "notebooks/00_welcome.ipynb"

# The Colab cell installs the release of this version (tag v<version>), never the moving main branch: bump the
# tag in every lesson with each release (this test fails until the lessons and the package version agree).
COLAB_CELL = f'''# On Google Colab, install the course package first (this cell does nothing anywhere else).
import sys
if "google.colab" in sys.modules:
    %pip install -q "specmask_edu @ git+https://github.com/specmask-edu/specmask_edu@v{specmask_edu.__version__}"
    from google.colab import output
    output.enable_custom_widget_manager()  # Colab draws ipywidgets 8 sliders with this widget manager'''

BINDER_URL = re.compile(r"https://mybinder\.org/v2/gh/(?P<repo>[\w.-]+/[\w.-]+)/(?P<branch>[\w.%-]+)(?P<query>\?[^\s)\"'<>]*)?")
COLAB_URL = re.compile(r"https://colab\.research\.google\.com/github/(?P<repo>[\w.-]+/[\w.-]+)/blob/(?P<branch>[\w.-]+)/(?P<path>[^\s)\"'<>#?]+)")


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def _colab_badge(nb: Path) -> str:
    url = f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/notebooks/{nb.name}"
    return f"[![Open {nb.stem} in Colab](https://colab.research.google.com/assets/colab-badge.svg)]({url})"


def test_lessons_exist():
    assert NOTEBOOKS, "no notebooks in notebooks/"
    assert (ROOT / WELCOME).is_file(), f"{WELCOME} (where Binder opens) is missing"


def test_launch_repository_is_the_projects_source():
    """Badges and the Colab cell point at the repository pyproject names as the source."""
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert urls["Source"].rstrip("/") == f"https://github.com/{REPO}"
    assert f"git+https://github.com/{REPO}@v{specmask_edu.__version__}\"" in COLAB_CELL


# ---- README badges ------------------------------------------------------------------------------

def test_every_lesson_has_a_colab_badge():
    readme = _readme()
    linked = {m.group("path") for m in COLAB_URL.finditer(readme)}
    missing = [nb for nb in NOTEBOOKS if f"notebooks/{nb.name}" not in linked]
    assert not missing, "README.md lacks a Colab badge for these lessons; add:\n" + "\n".join(_colab_badge(nb) for nb in missing)


def test_colab_badges_point_at_existing_lessons_of_this_repo():
    links = list(COLAB_URL.finditer(_readme()))
    assert links, "README.md has no Colab badge"
    for m in links:
        assert m.group("repo") == REPO and m.group("branch") == BRANCH, f"Colab link to another repo/branch: {m.group(0)}"
        assert m.group("path").startswith("notebooks/") and (ROOT / m.group("path")).is_file(), f"Colab link to a missing file: {m.group(0)}"


def test_binder_badge_opens_the_welcome_lesson_in_jupyterlab():
    links = list(BINDER_URL.finditer(_readme()))
    assert links, "README.md has no Binder badge (https://mybinder.org/v2/gh/...)"
    for m in links:
        assert m.group("repo") == REPO and m.group("branch") == BRANCH, f"Binder link to another repo/branch: {m.group(0)}"
        query = dict(part.split("=", 1) for part in (m.group("query") or "?").lstrip("?").split("&") if "=" in part)
        urlpath = unquote(query.get("urlpath", ""))
        assert urlpath.startswith("lab/tree/"), f"Binder link does not open JupyterLab on a lesson: {m.group(0)}"
        target = urlpath[len("lab/tree/"):]
        assert (ROOT / target).is_file(), f"Binder link opens a missing file: {target}"
    assert any(unquote(m.group(0)).endswith(f"urlpath=lab/tree/{WELCOME}") for m in links), f"no Binder badge opens {WELCOME}"


# ---- the Colab cell ----------------------------------------------------------------------------

@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_is_the_colab_install_cell(notebook):
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, f"{notebook.name} has no code cell"
    assert code[0].source.rstrip("\n") == COLAB_CELL, (
        f"{notebook.name}: the first code cell must be exactly the Colab install cell (COLAB_CELL in tests/test_launch_files.py):\n"
        f"{COLAB_CELL}\n--- found ---\n{code[0].source}"
    )
    others = [i for i, c in enumerate(code[1:], 1) if "%pip install" in c.source or "!pip install" in c.source]
    assert not others, f"{notebook.name}: only the first code cell may install packages (code cells {others})"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_needs_no_file_beside_it(notebook):
    """Colab opens the notebook alone (no clone): cells must load data through the package."""
    nb = nbformat.read(notebook, as_version=4)
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        assert not re.search(r"""["']\.\.?/""", cell.source), (
            f"{notebook.name}, code cell {i}: a relative path only works in a clone; load files with "
            f"specmask_edu (load_example / load_mixture) instead:\n{cell.source}"
        )


# ---- postBuild (Binder) ----------------------------------------------------------------------

POSTBUILD = ROOT / "postBuild"


def test_postbuild_is_an_executable_bash_script():
    assert POSTBUILD.is_file(), "postBuild is missing (Binder runs it after creating the environment)"
    assert POSTBUILD.stat().st_mode & stat.S_IXUSR, "postBuild must be executable (chmod +x postBuild)"
    text = POSTBUILD.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash\n") and "set -euo pipefail" in text
    assert "\r" not in text, "postBuild has Windows line endings"
    subprocess.run(["bash", "-n", str(POSTBUILD)], check=True)


def test_postbuild_calls_warmup():
    commands = [line.strip() for line in POSTBUILD.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.strip().startswith("#")]
    assert "specmask-edu warmup" in commands


def test_warmup_subcommand_exists():
    out = subprocess.run([sys.executable, "-m", "specmask_edu.cli", "warmup", "--help"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_postbuild_runs(tmp_path):
    """Run postBuild with stand-ins for python and specmask-edu: it must install nothing when the
    package is installed, call warmup, and write valid JupyterLab overrides into the environment."""
    bin_dir, prefix, log = tmp_path / "bin", tmp_path / "prefix", tmp_path / "calls.log"
    bin_dir.mkdir()
    (bin_dir / "python").write_text(
        "#!/bin/bash\n"
        f'echo "python $*" >> {log}\n'
        f'if [ "$1" = "-c" ]; then echo {prefix}; fi\n'
        "exit 0\n")
    (bin_dir / "specmask-edu").write_text(f'#!/bin/bash\necho "specmask-edu $*" >> {log}\n')
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    subprocess.run(["bash", str(POSTBUILD)], cwd=ROOT, env=env, check=True, timeout=60)
    calls = log.read_text().splitlines()
    assert "python -m pip show specmask_edu" in calls
    assert not any("pip install" in c for c in calls), calls
    assert "specmask-edu warmup" in calls
    overrides = json.loads((prefix / "share/jupyter/lab/settings/overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
