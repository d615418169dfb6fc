"""The exercise machinery shared by every lesson: one registration per id, "not done yet" for stubs (also
functions that still return ``...``), hidden solutions, forbidden shortcuts found in the answer's code,
prediction questions, and per-student data."""

import inspect

import numpy as np
import pytest

import specmask_edu as sm
from specmask_edu import exercises as ex
from specmask_edu.exercises import framework

SR = 16000

# (check function, extra arguments builder) for the "not done yet" test
STUB_CALLS = {
    "check_random_mask": lambda v: (v["X"],),
    "check_level_drop": lambda v: (v["x"], v["x_real"]),
    "check_stft_size": lambda v: (len(v["x"]), v["config"]),
    "check_resolution": lambda v: (),
    "check_rebuild": lambda v: (v["x"],),
    "check_lowpass_mask": lambda v: (v["Y"].shape, v["config"], SR),
    "check_irm": lambda v: (v["S"], v["Y"]),
    "check_ibm_estimate": lambda v: (v["target"], v["mixture"]),
    "check_mixture_phase_estimate": lambda v: (v["target"], v["mixture"]),
    "check_psm": lambda v: (v["S"], v["Y"]),
    "check_griffin_lim": lambda v: (v["target"], v["mixture"]),
    "check_cirm": lambda v: (v["S"], v["Y"]),
    "check_bounded_mask": lambda v: (v["S"] / np.where(v["Y"] == 0, 1, v["Y"]),),
    "check_share_above_one": lambda v: (v["S"],),
    "check_soft_masks": lambda v: ([v["S"], v["Y"] - v["S"]],),
    "check_karaoke": lambda v: ({"melody": v["target"], "rest": v["mixture"] - v["target"]},),
    "check_hpss_drums": lambda v: (v["mixture"], v["target"]),
    "check_si_sdr_function": lambda v: (),
    "check_best_gain": lambda v: (v["mixture"], v["target"]),
    "check_equal_score": lambda v: (v["target"], 10.0),
}


def test_every_check_is_in_the_stub_table():
    checks = {name for name in ex.__all__ if name.startswith("check_") and name != "check_prediction"}
    assert checks == set(STUB_CALLS)


@pytest.mark.parametrize("name", sorted(STUB_CALLS))
@pytest.mark.parametrize("stub", [..., None])
def test_stub_is_not_done_yet_and_does_not_crash(lesson, name, stub):
    result = getattr(ex, name)(stub, *STUB_CALLS[name](lesson))
    assert result.status == "not done" and not result.passed
    assert "Replace the `...`" in result.hint
    assert "not done yet" in result._repr_html_()


@pytest.mark.parametrize("name", ["check_random_mask", "check_stft_size", "check_si_sdr_function"])
def test_a_function_that_still_returns_the_stub_is_not_done_yet(lesson, name):
    def stub(*args):
        return ...

    result = getattr(ex, name)(stub, *STUB_CALLS[name](lesson))
    assert result.status == "not done", str(result)
    assert "still returns `...`" in result.hint


def test_every_exercise_of_lessons_00_to_06_has_a_check_and_a_solution():
    ids = [k for k in ex.EXERCISES if k[:2] in ("00", "01", "02", "03", "04", "05", "06")]
    assert sorted(ids) == ["00.1", "00.2", "01.1", "01.2", "01.3", "02.1", "02.2", "02.3", "03.1", "03.2", "03.3",
                           "04.1", "04.2", "04.3", "05.1", "05.2", "05.3", "06.1", "06.2", "06.3"]
    for k in ids:
        assert ex.SOLUTIONS[k].strip()
        assert callable(getattr(ex, ex.EXERCISES[k]["check"]))
        assert getattr(ex, ex.EXERCISES[k]["check"]).exercise_id == k
    assert ex.list_exercises()["02.2"] == "The ideal ratio mask from its formula"


def test_each_lesson_has_its_own_module_and_no_module_is_too_long():
    from pathlib import Path

    folder = Path(framework.__file__).parent
    for n in range(7):
        assert (folder / f"lesson{n:02d}.py").is_file()
    for path in folder.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 600, path.name


def test_solutions_hidden_by_default(monkeypatch):
    monkeypatch.delenv("SPECMASK_INSTRUCTOR", raising=False)
    assert not ex.instructor_mode()
    shown = ex.show_solution("02.1")
    text = str(shown) + shown._repr_markdown_()
    assert "hidden" in text and "SPECMASK_INSTRUCTOR=1" in text
    assert "frequencies" not in text                       # no part of the solution leaks
    monkeypatch.setenv("SPECMASK_INSTRUCTOR", "0")
    assert "hidden" in str(ex.show_solution("02.1"))


def test_solutions_shown_in_instructor_mode(monkeypatch):
    monkeypatch.setenv("SPECMASK_INSTRUCTOR", "1")
    shown = ex.show_solution("02.1")
    assert "config.frequencies(sr)" in str(shown)
    assert "```python" in shown._repr_markdown_()
    with pytest.raises(KeyError, match="02.1"):
        ex.show_solution("99.9")


def test_duplicate_exercise_ids_are_refused():
    with pytest.raises(ValueError, match="twice"):
        ex.exercise("02.1", "again", solution="pass")(lambda: None)
    with pytest.raises(ValueError, match="twice"):
        ex.prediction("02.3", "again")(lambda: None)


def test_the_id_is_written_once_per_exercise():
    """One decorator per check: the id appears once in each lesson module's decorators."""
    import re
    from pathlib import Path

    folder = Path(framework.__file__).parent
    for path in folder.glob("lesson*.py"):
        ids = re.findall(r'@exercise\("(\d\d\.\d)"', path.read_text())
        assert ids and len(ids) == len(set(ids)), path.name
        assert "_checked" not in path.read_text()


def test_hints_never_paste_the_solution():
    """A wrong answer's default hint explains the idea; the reference code is shown only in instructor mode."""
    for k, info in ex.EXERCISES.items():
        check = getattr(ex, info["check"], None)
        if check is None:
            continue
        solution_lines = [line.split("#")[0].strip() for line in ex.SOLUTIONS[k].splitlines()]
        body = inspect.getsource(inspect.getmodule(check))
        hint = re.search(rf'@exercise\("{re.escape(k)}".*?hint=(.*?)\)\ndef ', body, re.S)
        assert hint, k
        for line in solution_lines:
            if len(line) > 25:
                assert line not in hint.group(1), (k, line)


import re  # noqa: E402 - used by the test above


def test_checks_show_the_students_arguments():
    assert list(inspect.signature(ex.check_lowpass_mask).parameters)[:2] == ["my_mask", "shape"]
    assert "fb" not in inspect.signature(ex.check_rebuild).parameters
    assert list(inspect.signature(ex.check_si_sdr_function).parameters) == ["my_si_sdr"]


def test_the_learn_lesson_uses_public_framework_names():
    from pathlib import Path

    text = (Path(sm.__file__).parent / "learn" / "exercises.py").read_text()
    imported = re.search(r"from \.\.exercises(\.framework)? import ([^\n]+)", text).group(2)
    assert "_" not in imported.replace("as_array", "").replace("as_number", "").replace(
        "call_student_function", "").replace("__", "")


# --------------------------------------------------------------------------- forbidden shortcuts


def test_answer_source_reads_a_function_or_the_cell_that_assigned_the_answer(cell_history):
    def my_fn(a):
        return sm.irm(a, a)

    assert "sm.irm" in framework.answer_source(my_fn, "my_fn")
    cell_history(["x = 1", "my_irm = sm.ideal_ratio_mask(S, Y)", "print(my_irm == 2)"])
    assert "ideal_ratio_mask" in framework.answer_source(np.zeros(3), "my_irm")
    cell_history([])
    assert framework.answer_source(np.zeros(3), "my_irm") is None


def test_forbid_ignores_comments(cell_history):
    fb = ex.Feedback("02.2")
    cell_history(["my_irm = np.abs(S)  # not sm.ideal_ratio_mask(S, Y)"])
    assert not framework.forbid(fb, np.zeros(2), "my_irm", {r"ideal_ratio_mask": "no"})
    cell_history(["my_irm = sm.ideal_ratio_mask(S, Y)"])
    assert framework.forbid(fb, np.zeros(2), "my_irm", {r"ideal_ratio_mask": "no"}) and fb.wrong == ["no"]


# --------------------------------------------------------------------------- prediction questions


def test_every_prediction_question_is_listed_and_stub_is_not_done():
    assert set(ex.list_predictions()) == {"00.2", "02.3", "03.3", "04.3", "05.3"}
    result = ex.check_prediction("02.3", ...)
    assert result.status == "not done" and "LC -6 dB" in result.hint
    assert "Prediction 02.3" in str(result)
    with pytest.raises(KeyError, match="02.3"):
        ex.check_prediction("99.1", "x")


def test_a_prediction_without_the_lessons_data_says_what_it_needs():
    with pytest.raises(sm.SpecmaskInputError, match=r"\(target, mixture, config=None\)"):
        ex.check_prediction("02.3", "LC -6 dB")


def test_a_prediction_that_is_not_a_choice_says_which_are(lesson, verdict):
    result = verdict.wrong(ex.check_prediction("02.3", "the blue one", lesson["target"], lesson["mixture"]),
                           "not one of the choices", "LC -6 dB")
    assert "Prediction 02.3" in str(result)


# --------------------------------------------------------------------------- per-student data


def test_student_data_is_deterministic_and_differs_between_students():
    a = ex.student_data("ada.lovelace", 2)
    assert a == ex.student_data(" Ada.Lovelace ", "02")
    assert set(a) == {"student_id", "lesson", "clip", "noise", "snr_db", "seed"}
    assert a["clip"] in sm.list_examples("speech") and a["noise"] in sm.list_examples("noise")
    assert sm.example_info(a["noise"]).get("split") != "heldout"
    assert isinstance(a["seed"], int) and 0 <= a["seed"] < 2**31
    many = [ex.student_data(f"student{i}", 2) for i in range(40)]
    assert len({(d["clip"], d["noise"], d["snr_db"]) for d in many}) > 20
    assert len({d["clip"] for d in many}) > 3 and len({d["snr_db"] for d in many}) > 3
    assert ex.student_data("ada.lovelace", 3) != a


@pytest.mark.parametrize("bad", ["", "   ", None, 2.5, True])
def test_student_data_refuses_a_missing_id(bad):
    with pytest.raises(sm.SpecmaskInputError, match="student_id"):
        ex.student_data(bad, 2)


def test_student_data_refuses_a_bad_lesson():
    with pytest.raises(sm.SpecmaskInputError, match="lesson"):
        ex.student_data("ada", "two")


def test_two_students_get_different_numbers_from_the_same_check(verdict):
    """The checks judge each student on their own data: the same exercise, different right answers."""
    answers = {}
    for student in ("ada", "grace"):
        mix = ex.load_student_mixture(student, 2, duration=1.0)
        assert mix["seed"] == ex.student_data(student, 2)["seed"]
        S, Y = sm.stft(mix["target"]), sm.stft(mix["mixture"])
        irm = sm.ideal_ratio_mask(S, Y)
        verdict.right(ex.check_irm(irm, S, Y))
        answers[student] = irm
    assert answers["ada"].shape != answers["grace"].shape or not np.allclose(answers["ada"], answers["grace"])
    first = ex.load_student_mixture("ada", 2, duration=1.0)
    assert not np.allclose(answers["grace"][:, :5], sm.ideal_ratio_mask(sm.stft(first["target"]),
                                                                        sm.stft(first["mixture"]))[:, :5])
