"""Packaging facts a clean machine depends on: pyproject and environment.yml agree, torch is pinned
exactly, .ci/run calls the README's test command, and the bundled data ships with the package."""

import re
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONDA_NAMES = {"soundfile": "pysoundfile", "torch": "pytorch"}


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _split(req):
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    return m.group(1).lower().replace("-", "_"), m.group(2).replace(" ", "")


def _environment():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda, pip = {}, {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for item in dep["pip"]:
                if item.startswith("-") or item == ".":
                    continue
                name, spec = _split(item)
                pip[name] = spec
        else:
            name, spec = _split(dep.replace("=", "==", 1) if re.match(r"^[\w\-]+=[\d]", dep) else dep)
            conda[name] = spec
    return env, conda, pip


def test_environment_matches_pyproject():
    project = _pyproject()["project"]
    wanted = dict(_split(r) for r in project["dependencies"] + project["optional-dependencies"]["learn"])
    env, conda, pip = _environment()
    assert env["channels"] == ["conda-forge"]
    found = {}
    for name, spec in conda.items():
        reverse = {v: k for k, v in CONDA_NAMES.items()}
        found[reverse.get(name, name)] = spec
    found.update(pip)
    found.pop("python", None)
    found.pop("pip", None)
    assert set(found) == set(wanted), f"only in environment.yml: {set(found) - set(wanted)}; only in pyproject: {set(wanted) - set(found)}"
    for name, spec in wanted.items():
        assert found[name] == spec, f"{name}: pyproject says {spec!r}, environment.yml says {found[name]!r}"
    pip_section = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert "." in pip_section, "environment.yml must pip-install the package itself ('.')"


def test_every_dependency_is_bounded_and_torch_pinned():
    project = _pyproject()["project"]
    for req in project["dependencies"] + sum(project["optional-dependencies"].values(), []):
        name, spec = _split(req)
        if name == "torch":
            assert spec == "==2.13.0", "torch must be pinned exactly: a range pulls several GB of CUDA packages"
        else:
            assert "<" in spec and ">=" in spec, f"{req}: give a lower and an upper bound"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"^(python -m pip install .*&& python -m pytest.*)$", readme, flags=re.M)
    assert commands, "README must show the test command (python -m pip install ... && python -m pytest)"
    assert commands[0] in ci.splitlines()


def test_readme_quick_start_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```(?:bash|sh)?\n(.*?)```", readme, flags=re.S)
    assert block, "README needs a '## Quick start' section with a code block"
    lines = [ln for ln in block.group(1).splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert len(lines) == 2, lines


def test_package_data_is_declared():
    data = _pyproject()["tool"]["setuptools"]["package-data"]["specmask_edu.data"]
    shipped = {p.suffix for p in (ROOT / "specmask_edu" / "data").iterdir() if p.is_file() and p.suffix != ".py"}
    for suffix in shipped:
        assert f"*{suffix}" in data, f"{suffix} files in specmask_edu/data would not be installed"


def test_console_script_points_to_main():
    assert _pyproject()["project"]["scripts"]["specmask-edu"] == "specmask_edu.cli:main"
    from specmask_edu import cli

    assert callable(cli.main)


def test_learn_extra_is_optional():
    """The core must not import torch; only specmask_edu.learn may."""
    for path in (ROOT / "specmask_edu").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import torch|from torch)", text, flags=re.M), f"{path.name} imports torch"


@pytest.mark.parametrize("name", ["README.md", "pyproject.toml", "environment.yml", ".ci/run"])
def test_top_level_files_exist(name):
    assert (ROOT / name).is_file()


def test_readme_first_command_is_light_and_ci_runs_the_light_suite():
    """The first README command installs no PyTorch; .ci/run also runs the suite without PyTorch on the newest
    Python, in a venv made with `pip install -e ".[test]"` (the [learn] extra stays out)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```(?:bash|sh)?\n(.*?)```", readme, flags=re.S).group(1)
    first, second = [ln.strip() for ln in block.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert first == "python -m pip install -e . && specmask-edu lab"
    assert second == 'python -m pip install -e ".[test,learn]" && python -m pytest'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert second in ci.splitlines()
    assert "pyenv versions --bare" in ci and '-m pip install -q -e ".[test]"' in ci
    assert re.search(r'pytest .*-m "not browser and not notebook and not slow"', ci)
    assert "[learn]" not in ci.split(second, 1)[1], "the second run must not install PyTorch"


def test_supported_python_versions_agree():
    """README's stated range, requires-python and the classifiers name the same versions."""
    project = _pyproject()["project"]
    versions = sorted(c.rsplit(" :: ", 1)[1] for c in project["classifiers"]
                      if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))
    assert versions, "pyproject classifiers must list the supported Python versions"
    assert project["requires-python"] == f">={versions[0]}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python {versions[0]} to {versions[-1]}" in readme
    assert f"{versions[0]}–{versions[-1]}" in readme


def test_pretrained_models_are_package_data():
    data = _pyproject()["tool"]["setuptools"]["package-data"]["specmask_edu.learn"]
    folder = ROOT / "specmask_edu" / "learn" / "pretrained"
    for suffix in {p.suffix for p in folder.iterdir() if p.is_file()} if folder.is_dir() else ():
        assert f"pretrained/*{suffix}" in data, f"{suffix} files in specmask_edu/learn/pretrained would not be installed"
