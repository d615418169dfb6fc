"""Graded assignments (Otter-Grader): the build, and grading with ``otter run`` (locally, no Docker).

For every assignment in ``assignments/``: ``specmask-edu assign`` builds it (Otter Assign runs the reference
solution against every test while building), the student notebook carries no solution and no hidden test,
and ``otter run`` gives the reference solution full marks, the blank student notebook zero, and each of three
plausible wrong answers fewer points than the reference.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from specmask_edu import assign

ROOT = Path(__file__).resolve().parents[1]

# Three plausible wrong answers per assignment: (what the student did, [(solution text, wrong text), ...]).
WRONG = {
    "a01_stft": [
        ("frame count copied from the printed STFT shape",
         [("return 1 + n_samples // hop_length  # SOLUTION", "return S.shape[1]")]),
        ("frame count without centre padding",
         [("return 1 + n_samples // hop_length  # SOLUTION", "return 1 + (n_samples - n_fft) // hop_length")]),
        ("bin frequency off by a factor of two",
         [("return np.asarray(k) * sr / n_fft  # SOLUTION", "return np.asarray(k) * sr / (2 * n_fft)")]),
    ],
    "a02_real_masks": [
        ("IRM taken from the package although the task forbids it",
         [("ps, pn = np.abs(S) ** 2, np.abs(Y - S) ** 2", "return sm.ideal_ratio_mask(S, Y, beta=beta)")]),
        ("IBM threshold with 10·log10 on magnitudes",
         [("n * 10 ** (lc_db / 20)", "n * 10 ** (lc_db / 10)")]),
        ("IRM ignores beta", [("return ratio ** beta", "return ratio ** 0.5")]),
    ],
    "a03_phase": [
        ("phase error not wrapped",
         [("return np.angle(S * np.conj(Y))  # SOLUTION", "return np.angle(S) - np.angle(Y)")]),
        ("PSM not truncated to [0, 1]",
         [("return np.clip(ratio * np.cos(np.angle(S * np.conj(Y))), 0.0, 1.0)",
           "return ratio * np.cos(np.angle(S * np.conj(Y)))")]),
        ("PSM taken from the package although the task forbids it",
         [("ratio = np.divide(np.abs(S), np.abs(Y), out=np.zeros(np.shape(S)), where=np.abs(Y) > 0)",
           "return sm.phase_sensitive_mask(S, Y)")]),
    ],
    "a04_complex_masks": [
        ("cIRM taken from the package although the task forbids it",
         [("Y = np.asarray(Y)", "return sm.complex_ideal_ratio_mask(S, Y)")]),
        ("tanh on the real and imaginary parts instead of the magnitude",
         [("return np.tanh(np.abs(M)) * np.exp(1j * np.angle(M))  # SOLUTION",
           "return np.tanh(M.real) + 1j * np.tanh(M.imag)")]),
        ("share copied from someone else's printout",
         [("my_share_above_one = float(np.mean(np.abs(my_cirm(S, Y)) > 1))  # SOLUTION",
           "my_share_above_one = 0.0123")]),
    ],
    "a05_instruments": [
        ("soft masks taken from the package although the task forbids it",
         [("p = [np.abs(X) ** power for X in sources]", "return sm.soft_masks(sources, power=power)")]),
        ("power ignored", [("p = [np.abs(X) ** power for X in sources]", "p = [np.abs(X) ** 2 for X in sources]")]),
        ("separate_all ignores the STFT settings it is given",
         [("[sm.stft(x, config) for x in sources]", "[sm.stft(x) for x in sources]"),
          ("sm.separate(mixture, m, config) for m in masks", "sm.separate(mixture, m) for m in masks")]),
    ],
    "a06_evaluation": [
        ("SNR with 20·log10 of an energy ratio",
         [("10 * np.log10(np.sum(reference ** 2)", "20 * np.log10(np.sum(reference ** 2)")]),
        ("SI-SDR without removing the means",
         [("s = np.asarray(reference, float) - np.mean(reference)", "s = np.asarray(reference, float)"),
          ("e_hat = np.asarray(estimate, float) - np.mean(estimate)", "e_hat = np.asarray(estimate, float)")]),
        ("SI-SDR taken from the package although the task forbids it",
         [("s = np.asarray(reference, float) - np.mean(reference)", "return sm.si_sdr(estimate, reference)")]),
    ],
    "p1_own_voice": [
        ("the SNR argument is ignored",
         [("mixture, _ = sm.mix_at_snr(target, noise, snr_db)", "mixture, _ = sm.mix_at_snr(target, noise, 0.0)")]),
        ("the amplitude mask used where the task asks for the IRM",
         [('"irm": sm.ideal_ratio_mask(S, Y, beta=0.5)', '"irm": sm.ideal_amplitude_mask(S, Y)')]),
        ("results computed on the lesson's example, not on the student's voice",
         [("compare_masks(voice, mix[\"interference\"], snr_db, config) for snr_db",
           "compare_masks(sm.load_example(\"speech_female_1\"), mix[\"interference\"], snr_db, config) for snr_db")]),
    ],
}


def test_every_assignment_has_a_source_and_three_wrong_answers():
    names = [p.stem for p in assign.list_assignments()]
    assert names == list(assign.ASSIGNMENT_NAMES)
    assert set(WRONG) == set(names)
    assert all(len(v) == 3 for v in WRONG.values())


def test_sources_are_stored_without_outputs():
    for path in assign.list_assignments():
        nb = nbformat.read(str(path), as_version=4)
        assert any(c.cell_type == "raw" and c.source.startswith("# ASSIGNMENT CONFIG") for c in nb.cells), path.name
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{path.name}: outputs stored"


def test_references_any_sees_globals_attributes_and_imports_but_not_locals():
    import specmask_edu as sm

    def via_attribute(S, Y):
        return sm.ideal_ratio_mask(S, Y)

    def via_import(S, Y):
        from specmask_edu.masks import ideal_ratio_mask
        return ideal_ratio_mask(S, Y)

    def nested(S, Y):
        def inner():
            return sm.irm(S, Y)
        return inner()

    def own(S, Y):
        irm = np.abs(S) / np.maximum(np.abs(Y), 1e-12)   # a local called irm is the student's own
        return irm

    names = {"ideal_ratio_mask", "irm"}
    assert assign.references_any(via_attribute, names) == {"ideal_ratio_mask"}
    assert assign.references_any(via_import, names) == {"ideal_ratio_mask"}
    assert assign.references_any(nested, names) == {"irm"}
    assert assign.references_any(own, names) == set()
    with pytest.raises(AssertionError, match="from the formula"):
        assign.forbid(via_attribute, names, "q1")
    with pytest.raises(AssertionError, match="missing"):
        assign.forbid(None, names, "q1")
    assign.forbid(own, names, "q1")


def test_random_stft_pair_has_silent_bins_and_differs_by_seed():
    S, Y = assign.random_stft_pair(1)
    assert S.shape == Y.shape == (65, 40) and np.iscomplexobj(S)
    assert np.any(S == 0) and np.any(Y == 0)
    assert not np.allclose(assign.random_stft_pair(2)[0], S)


def test_build_refuses_a_folder_that_is_not_empty(tmp_path):
    pytest.importorskip("otter")
    (tmp_path / "keep.txt").write_text("mine")
    from specmask_edu import SpecmaskInputError

    with pytest.raises(SpecmaskInputError, match="not empty"):
        assign.build_assignments(tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"


# ---- the build and grading with otter run (slow: every notebook is executed) --------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """``build(name)`` -> the folder holding ``name/``, built once per module with ``specmask-edu assign --only``."""
    pytest.importorskip("otter", reason="needs Otter-Grader: pip install -e '.[assign]'")
    from specmask_edu.cli import main

    root = tmp_path_factory.mktemp("assignments")
    done = {}

    def build(name):
        if name not in done:
            assert main(["assign", str(root / name), "--only", name]) == 0
            done[name] = root / name
        return done[name]
    return build


def _otter_run(built, name: str, submission: Path, tmp_path: Path) -> tuple[float, float, dict]:
    zips = sorted((built / name / "autograder").glob(f"{name}-autograder_*.zip"))
    assert len(zips) == 1, zips
    out = tmp_path / f"results_{len(list(tmp_path.glob('results_*')))}_{submission.stem}"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    proc = subprocess.run([sys.executable, "-m", "otter", "run", "-a", str(zips[0]), "-o", str(out), "--no-logo",
                           str(submission)], capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    results = json.loads((out / "results.json").read_text())
    scored = [t for t in results["tests"] if "max_score" in t]
    per_question = {t["name"]: t["score"] for t in scored}
    return sum(t["score"] for t in scored), sum(t["max_score"] for t in scored), per_question


def _wrong_submission(built, name, edits, path: Path) -> Path:
    nb = nbformat.read(str(built / name / "autograder" / f"{name}.ipynb"), as_version=4)
    for old, new in edits:
        hits = [c for c in nb.cells if c.cell_type == "code" and old in c.source]
        assert len(hits) == 1, f"{name}: the solution text {old!r} is not in exactly one cell"
        hits[0].source = hits[0].source.replace(old, new)
    nbformat.write(nb, str(path))
    return path


@pytest.mark.slow
@pytest.mark.parametrize("name", assign.ASSIGNMENT_NAMES)
def test_grading_reference_blank_and_wrong_answers(built, name, tmp_path):
    built = built(name)
    student = built / name / "student" / f"{name}.ipynb"
    solution = built / name / "autograder" / f"{name}.ipynb"
    # The handout: no solution, no hidden test (also inside the notebook's metadata, where Otter keeps tests).
    text = student.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "# SOLUTION" not in text and "hidden=True" not in text
    import zipfile

    with zipfile.ZipFile(next((built / name / "autograder").glob("*.zip"))) as z:
        tests = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("tests/"))
    assert "hidden=True" in tests and "hidden=False" in tests, f"{name}: the autograder needs public and hidden tests"

    score, max_score, _ = _otter_run(built, name, solution, tmp_path)
    assert max_score > 0 and score == max_score, f"{name}: the reference scored {score}/{max_score}"
    blank, _, per_q = _otter_run(built, name, student, tmp_path)
    assert blank == 0, f"{name}: the blank notebook scored {blank}: {per_q}"
    lines = [f"{name}: reference {score:g}/{max_score:g}, blank {blank:g}"]
    for i, (what, edits) in enumerate(WRONG[name]):
        wrong = _wrong_submission(built, name, edits, tmp_path / f"{name}_wrong{i}.ipynb")
        got, _, per_q = _otter_run(built, name, wrong, tmp_path)
        assert got < max_score, f"{name}: '{what}' kept full marks ({got}/{max_score})"
        lines.append(f"  wrong: {what}: {got:g}/{max_score:g} {per_q}")
    print("\n".join(lines))
