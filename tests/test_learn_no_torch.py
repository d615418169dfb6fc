"""Lessons 00-06 without PyTorch: the light install, the missing-PyTorch message, lesson 07's first cell in a
kernel where PyTorch is hidden. None of these tests imports torch, so they run (and must pass) without it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Put first on PYTHONPATH to hide PyTorch from a Python process (see its docstring).
NO_TORCH = Path(__file__).resolve().parent / "no_torch"
CPU_COMMAND = "python -m pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"


def _env_without_torch():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(NO_TORCH), str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("COLAB_RELEASE_TAG", None)
    return env


def _run_python(code: str, hide_torch: bool = True):
    env = _env_without_torch() if hide_torch else dict(os.environ)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env,
                          timeout=300)


def _expects_cpu_build() -> bool:
    import platform
    import shutil

    return platform.system() == "Linux" and not (
        os.path.exists("/proc/driver/nvidia/version") or shutil.which("nvidia-smi"))


def test_the_blocker_hides_torch():
    out = _run_python("import torch")
    assert out.returncode != 0 and "No module named 'torch'" in out.stderr


def test_missing_torch_gives_install_hint_not_a_traceback_chain():
    code = """
        import specmask_edu as sm
        try:
            import specmask_edu.learn
        except ImportError as err:
            print("MESSAGE:", err)
            print("TYPE:", type(err).__name__)
            print("CHAINED:", err.__cause__ is not None or not err.__suppress_context__)
            print("COMMAND:", err.advice["command"])
        else:
            print("NO ERROR")
    """
    out = _run_python(code)
    assert out.returncode == 0, out.stderr
    assert "TYPE: MissingPyTorchError" in out.stdout
    assert "CHAINED: False" in out.stdout
    assert "Every other lesson (00-06) works without it" in out.stdout
    if _expects_cpu_build():
        assert f"COMMAND: {CPU_COMMAND}" in out.stdout
        assert "%pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu" in out.stdout
    # As a script, the error a student sees is the message, with no "During handling..." chain.
    out = _run_python("import specmask_edu.learn")
    assert out.returncode != 0
    assert "needs PyTorch" in out.stderr and "pip install" in out.stderr
    assert "During handling of the above exception" not in out.stderr
    assert "No module named" not in out.stderr
    # The lazy attribute sm.learn gives the same message.
    out = _run_python("import specmask_edu as sm\nsm.learn")
    assert "needs PyTorch" in out.stderr and "pip install" in out.stderr


def test_core_package_does_not_import_torch():
    code = """
        import importlib, pkgutil, sys
        import specmask_edu
        assert "torch" not in sys.modules, "import specmask_edu imported torch"
        names = [m.name for m in pkgutil.iter_modules(specmask_edu.__path__) if m.name not in ("learn",)]
        for name in names:
            importlib.import_module("specmask_edu." + name)
        bad = "torch" in sys.modules
        print("MODULES", names)
        print("TORCH", bad)
    """
    out = _run_python(code, hide_torch=False)
    assert out.returncode == 0, out.stderr
    assert "TORCH False" in out.stdout, out.stdout
    # and with PyTorch hidden, every core module still imports
    out = _run_python(code)
    assert out.returncode == 0, out.stderr


def test_first_readme_command_does_not_install_torch():
    """The README's first command installs the base dependencies only: no PyTorch among them (or theirs)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    base = [req.split(";")[0].strip().lower() for req in project["dependencies"]]
    assert not [r for r in base if r.startswith(("torch", "pytorch"))], base
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    first = next(line.strip() for line in quick.splitlines() if "pip install" in line)
    assert first.startswith("python -m pip install -e . "), first
    assert "[learn]" not in first and "torch" not in first


def test_lesson_07_first_cell_explains_missing_torch():
    """Run lesson 07's cells in a kernel where PyTorch is hidden: the first cell that imports the learning
    package stops with the explanation and the command for this computer, not a bare ImportError."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(ROOT / "notebooks" / "07_learning_masks.ipynb", as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    first = next(i for i, c in enumerate(code_cells) if "specmask_edu import learn" in c.source
                 or "import specmask_edu.learn" in c.source)
    nb.cells = [nbformat.v4.new_code_cell(c.source) for c in code_cells[: first + 1]]
    env = _env_without_torch()
    old = dict(os.environ)
    os.environ.update(env)  # the kernel inherits this environment
    try:
        client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True)
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    outputs = [o for c in nb.cells for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    assert errors, "lesson 07's first cell ran without PyTorch and did not say it is missing"
    assert errors[-1].ename == "MissingPyTorchError", (errors[-1].ename, errors[-1].evalue)
    assert "needs PyTorch" in errors[-1].evalue and "pip install" in errors[-1].evalue
    if _expects_cpu_build():
        assert "--index-url https://download.pytorch.org/whl/cpu" in errors[-1].evalue
    assert all(e.ename != "ModuleNotFoundError" for e in errors)


def test_html_edition_shows_lesson_07_without_torch():
    """Without PyTorch the HTML edition does not fail on lesson 07: its page says what to install and lists the
    pretrained models' held-out scores from their training records (no cell is run)."""
    code = f"""
        from specmask_edu.edition import execute_notebook
        nb = execute_notebook({str(ROOT / 'notebooks' / '07_learning_masks.ipynb')!r})
        print("NOTE:", nb.cells[1].source)
        print("OUTPUTS:", sum(len(c.get("outputs", [])) for c in nb.cells))
    """
    out = _run_python(code)
    assert out.returncode == 0, out.stderr
    assert "This lesson needs PyTorch" in out.stdout and "pip install torch==2.13.0" in out.stdout
    assert "OUTPUTS: 0" in out.stdout
    if list((ROOT / "specmask_edu" / "learn" / "pretrained").glob("*.json")):
        assert "SI-SDRi at −5 dB" in out.stdout


def test_doctor_says_what_makes_lesson_07_ready():
    out = _run_python("from specmask_edu import cli; cli.doctor()")
    assert "lesson 07 (PyTorch): not ready" in out.stdout, out.stdout + out.stderr
    assert "pip install torch==2.13.0" in out.stdout
    if _expects_cpu_build():
        assert "--index-url https://download.pytorch.org/whl/cpu" in out.stdout
