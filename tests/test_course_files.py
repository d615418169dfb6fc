"""What a course needs around the lessons: licences, citation, changelog, version, issue templates,
the licence footer of every lesson, and the README's pointers to them.

CITATION.cff is validated against the Citation File Format 1.2.0 JSON schema, vendored in
tests/data/citation_cff_1.2.0.schema.json (CC BY 4.0, from the citation-file-format project, as shipped in
cffconvert 2.0.0). cffconvert itself cannot be installed next to Jupyter (it needs jsonschema < 4), so the
schema is checked with the jsonschema that Jupyter already brings.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path

import nbformat
import pytest
import yaml

import specmask_edu

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("0[0-7]_*.ipynb"))
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def test_licence_files():
    mit = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert mit.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in mit
    content = (ROOT / "LICENSE-content.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in content and CC_BY in content
    assert "specmask_edu/data/README.md" in content, "the content licence must point to the per-clip audio licences"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert set(project["tool"]["setuptools"]["license-files"]) == {"LICENSE", "LICENSE-content.md"}


def test_citation_cff_is_valid_and_current():
    import jsonschema

    schema = json.loads((ROOT / "tests" / "data" / "citation_cff_1.2.0.schema.json").read_text(encoding="utf-8"))
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    citation = json.loads(json.dumps(citation, default=str))   # dates as the strings the schema expects
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(citation)
    assert citation["version"] == specmask_edu.__version__, "bump CITATION.cff's version with the package"
    assert citation["license"] == "MIT"


def test_a_broken_citation_is_caught():
    """Guard for the test above: the schema really rejects a wrong file."""
    import jsonschema

    schema = json.loads((ROOT / "tests" / "data" / "citation_cff_1.2.0.schema.json").read_text(encoding="utf-8"))
    broken = {"cff-version": "1.2.0", "message": "x", "title": "x", "authors": [{"nickname": 3}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)


def test_version_has_one_source():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "specmask_edu.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", specmask_edu.__version__)
    assert importlib.metadata.version("specmask_edu") == specmask_edu.__version__, (
        "the installed metadata is stale: reinstall with python -m pip install -e .")


def test_changelog_has_this_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(specmask_edu.__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, flags=re.M)


def test_contributing_and_issue_templates():
    assert "CC BY 4.0" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    templates = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.md")}
    names = set()
    for text in templates.values():
        front = yaml.safe_load(text.split("---")[1])
        assert front["about"] and front["name"]
        names.add(front["name"])
    assert {"A lesson is wrong", "It does not install"} <= names


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_ends_with_the_licence_footer(lesson):
    nb = nbformat.read(str(lesson), as_version=4)
    last = nb.cells[-1]
    assert last.cell_type == "markdown" and "licence-footer" in last.metadata.get("tags", [])
    assert CC_BY in last.source and "MIT" in last.source and "CITATION.cff" in last.source


def test_readme_states_licences_citation_instructors_and_frontends():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in ("LICENSE", "LICENSE-content.md", "CC BY 4.0", "CITATION.cff", "INSTRUCTORS.md",
                   "JupyterLab 4", "Notebook 7", "VS Code"):
        assert needle in readme, f"README does not mention {needle}"
    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    for needle in ("nbgitpuller", "mem_limit", "cpu_limit", "otter run", "nbgrader", "90-minute", "benchmarks/results/hub.md"):
        assert needle in guide, f"INSTRUCTORS.md does not cover {needle}"
