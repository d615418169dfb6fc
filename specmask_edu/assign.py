"""Graded assignments with Otter-Grader: build them, and the helpers their tests use.

The assignment sources are Otter Assign master notebooks in the repository's ``assignments/`` folder, one per
lesson 01-06 and a final project (``a01_stft.ipynb`` ... ``p1_own_voice.ipynb``). Each one holds the
questions, the reference solution (between ``# BEGIN SOLUTION`` / ``# END SOLUTION``), public tests a
student sees and can run (``grader.check("q1")``) and **hidden** tests that only the autograder has.

``specmask-edu assign OUT`` (:func:`build_assignments`) runs Otter Assign on every source and writes, for
each assignment, ``OUT/<name>/student/`` (the notebook to hand out and its public tests: no solutions, no
hidden tests) and ``OUT/<name>/autograder/`` (the solution notebook, every test, and the autograder zip that
``otter run`` and Gradescope take). Otter Assign executes the reference solution against all tests while it
builds, so a build that finishes is a build whose reference scores full marks.

How the hidden tests make copying useless (INSTRUCTORS.md explains it to instructors):

- a question asks for a **function**; the hidden tests call it on other data and parameters (other
  random STFTs, another ``beta``, another sample rate) than the public ones, so a printed value copied
  into the notebook, or code that only works for the example, loses the points;
- where a task says "from the formula", the hidden tests fail a function that calls the package's own
  implementation (:func:`references_any` looks at the names its code uses);
- each student's data (clip, noise, SNR, seed) follows from their ``STUDENT_ID``
  (:func:`specmask_edu.exercises.student_data`), and the hidden tests recompute the expected numbers on
  exactly that data.

Otter-Grader is optional: ``pip install "specmask_edu[assign]"`` (``otter run`` grades locally, no Docker).
"""

from __future__ import annotations

import shutil
import types
from pathlib import Path

import numpy as np

from ._validation import SpecmaskInputError

__all__ = ["assignments_dir", "list_assignments", "build_assignments", "references_any", "forbid",
           "random_stft_pair", "ASSIGNMENT_NAMES"]

_REPO = Path(__file__).resolve().parent.parent

#: The assignments, in course order: one per lesson 01-06, then the final project.
ASSIGNMENT_NAMES = ("a01_stft", "a02_real_masks", "a03_phase", "a04_complex_masks", "a05_instruments",
                    "a06_evaluation", "p1_own_voice")


# ---- helpers the assignment tests call ---------------------------------------------------------------


def _code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)  # globals, attributes and imported names (not the function's own locals)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def references_any(func, names) -> set[str]:
    """The names in ``names`` that the code of ``func`` (and of functions defined inside it) uses: globals,
    attributes (``sm.ideal_ratio_mask`` uses ``ideal_ratio_mask``) and imported names.

    A task that says "from the formula, without ``sm.ideal_ratio_mask``" is checked with
    ``forbid(my_irm, {"ideal_ratio_mask", "irm"})``. Calling a helper of one's own that in turn calls
    the package is not seen; the hidden tests also replace the package functions while they run.
    """
    code = getattr(func, "__code__", None)
    if code is None:
        return set()
    return _code_names(code) & set(names)


def forbid(func, names, task: str = "this question") -> None:
    """Raise ``AssertionError`` (a failed test) when ``func`` is missing or uses any of ``names``."""
    if not callable(func):
        raise AssertionError(f"{task}: define the function first (it is missing or not a function).")
    used = references_any(func, names)
    if used:
        raise AssertionError(f"{task} asks you to write it from the formula, but your function uses "
                             f"{', '.join(sorted(used))} from the package.")


def random_stft_pair(seed: int, shape=(65, 40), target_level: float = 1.0):
    """``(S, Y)``: a random complex target STFT and a mixture ``Y = S + N`` with an independent random
    interference, for tests that need data other than the lesson's. Some bins of ``S`` are exactly 0 and a
    few bins of ``Y`` are exactly 0 (both silent), to exercise the silent-bin rules."""
    rng = np.random.default_rng(seed)
    S = target_level * (rng.standard_normal(shape) + 1j * rng.standard_normal(shape))
    N = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    S[0, :3] = 0
    N[0, :2] = 0
    return S, S + N


# ---- building ------------------------------------------------------------------------------------------


def assignments_dir() -> Path:
    """The folder of assignment sources: the repository's ``assignments/`` (not part of the wheel)."""
    folder = _REPO / "assignments"
    if not folder.is_dir():
        raise SpecmaskInputError(
            "The assignment sources (an assignments/ folder) are not in this installation: they are for "
            "instructors and live in the repository. Clone it and run specmask-edu assign there."
        )
    return folder


def list_assignments() -> list[Path]:
    """The master notebooks, in course order."""
    folder = assignments_dir()
    paths = [folder / f"{name}.ipynb" for name in ASSIGNMENT_NAMES]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise SpecmaskInputError(f"Missing assignment sources in {folder}: {', '.join(missing)}.")
    return paths


def _otter():
    try:
        from otter.assign import main as otter_assign
    except ImportError as err:
        raise SpecmaskInputError(
            "Building assignments needs Otter-Grader: python -m pip install \"specmask_edu[assign]\"."
        ) from err
    return otter_assign


def build_assignments(out, names=None, run_tests: bool = True, log=print) -> dict[str, Path]:
    """Run Otter Assign on the sources; return ``{name: OUT/name}``.

    ``OUT`` must be new or empty (nothing is overwritten). ``names`` picks some assignments (default all).
    With ``run_tests`` (default), Otter executes each reference solution against every test and stops with
    an error if one fails.
    """
    otter_assign = _otter()
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise SpecmaskInputError(f"{out} already exists and is not empty: give a new folder for the assignments.")
    sources = list_assignments()
    if names:
        unknown = sorted(set(names) - set(ASSIGNMENT_NAMES))
        if unknown:
            raise SpecmaskInputError(f"Unknown assignment(s) {unknown}; choose from {list(ASSIGNMENT_NAMES)}.")
        sources = [p for p in sources if p.stem in names]
    out.mkdir(parents=True, exist_ok=True)
    built = {}
    for source in sources:
        target = out / source.stem
        log(f"building {source.stem} ...")
        otter_assign(str(source), str(target), no_pdfs=True, no_run_tests=not run_tests)
        _check_student_folder(target / "student")
        built[source.stem] = target
    log(f"Built {len(built)} assignment(s) in {out.resolve()}: hand out <name>/student/, grade with "
        f"otter run -a <name>/autograder/<name>-autograder_*.zip SUBMISSION.ipynb")
    return built


def _check_student_folder(student: Path) -> None:
    """The student folder must carry no solution and no hidden test (a safety net over Otter's own rules)."""
    for path in student.rglob("*"):
        if path.suffix in (".ipynb", ".py"):
            text = path.read_text(encoding="utf-8")
            if "BEGIN SOLUTION" in text or "hidden=True" in text or "# HIDDEN" in text:
                shutil.rmtree(student)
                raise SpecmaskInputError(f"{path} would leak a solution or a hidden test; the build was stopped.")
