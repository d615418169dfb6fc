"""Exercises 04.1-04.3 and the prediction 04.3 ("where are the bins with |M| > 1?")."""

import numpy as np

import specmask_edu as sm
from specmask_edu import exercises


def test_every_exercise_of_lessons_04_to_06_is_registered():
    ids = exercises.list_exercises()
    for k in ("04.1", "04.2", "04.3", "05.1", "05.2", "05.3", "06.1", "06.2", "06.3"):
        assert k in ids and exercises.SOLUTIONS[k].strip()


def test_check_cirm(speech, verdict):
    _, _, S, Y, _ = speech
    right = verdict.solution("04.1", S=S, Y=Y)["my_cirm"]
    result = exercises.check_cirm(right, S, Y)
    assert result.passed, str(result)
    assert exercises.check_cirm(..., S, Y).status == "not done"
    verdict.wrong(exercises.check_cirm(np.conj(right), S, Y), "conjugate")
    verdict.wrong(exercises.check_cirm(right.real, S, Y), "real part")
    verdict.wrong(exercises.check_cirm(np.abs(right), S, Y), "iam")
    verdict.wrong(exercises.check_cirm(Y / np.where(np.abs(S) > 0, S, 1), S, Y), "upside down")
    verdict.wrong(exercises.check_cirm(S * np.conj(Y), S, Y), "|y|²")
    verdict.wrong(exercises.check_cirm(right[:, :-1], S, Y), "shape")
    with_nan = right.copy()
    with_nan[0, 0] = np.nan
    verdict.wrong(exercises.check_cirm(with_nan, S, Y), "nan")


def test_check_cirm_refuses_the_shortcuts_the_task_forbids(speech, verdict, cell_history):
    _, _, S, Y, _ = speech
    answer = sm.cirm(S, Y)
    for cell in ("my_cirm = S / Y", "my_cirm = S/Y", "my_cirm = np.divide(S, Y)"):
        cell_history([cell])
        verdict.wrong(exercises.check_cirm(answer, S, Y), "divides S / Y directly")
    for cell in ("my_cirm = sm.complex_ideal_ratio_mask(S, Y)", "my_cirm = sm.cirm(S, Y)"):
        cell_history([cell])
        verdict.wrong(exercises.check_cirm(answer, S, Y), "package's cIRM")
    cell_history(["den = np.maximum(Y.real**2 + Y.imag**2, 1e-24)\n"
                  "my_cirm = (Y.real * S.real + Y.imag * S.imag) / den + 1j * (Y.real * S.imag - Y.imag * S.real) / den"])
    verdict.right(exercises.check_cirm(answer, S, Y))


def test_check_bounded_mask(speech, verdict):
    _, _, S, Y, _ = speech
    M = sm.cirm(S, Y)
    assert exercises.check_bounded_mask(verdict.solution("04.2", M=M)["my_bounded"], M).passed
    assert exercises.check_bounded_mask(None, M).status == "not done"
    verdict.wrong(exercises.check_bounded_mask(np.tanh(M.real) + 1j * np.tanh(M.imag), M), "separately")
    verdict.wrong(exercises.check_bounded_mask(np.tanh(np.abs(M)), M), "real-valued")
    verdict.wrong(exercises.check_bounded_mask(M, M), "below 1")
    verdict.wrong(exercises.check_bounded_mask(np.tanh(np.abs(M)) * np.exp(1j * np.angle(Y)), M), "phase")


def test_check_bounded_mask_names_exp_without_1j_and_does_not_paste_the_solution(speech, verdict, cell_history):
    _, _, S, Y, _ = speech
    M = sm.cirm(S, Y)
    no_j = np.tanh(np.abs(M)) * np.exp(np.angle(M))                 # real: e^{angle} without 1j
    result = verdict.wrong(exercises.check_bounded_mask(no_j, M), "without 1j")
    verdict.wrong(exercises.check_bounded_mask(no_j.astype(complex), M), "without 1j")
    assert "np.tanh(np.abs(M)) * np.exp(1j * np.angle(M))" not in result.hint
    cell_history(["my_bounded = sm.bound_complex_mask(M)"])
    verdict.wrong(exercises.check_bounded_mask(sm.bound_complex_mask(M), M), "bound_complex_mask")


def test_check_share_above_one(speech, verdict):
    _, _, S, Y, _ = speech
    M = sm.cirm(S, Y)
    share = verdict.solution("04.3", M=M)["my_share"]
    result = exercises.check_share_above_one(share, M)
    assert result.passed and "%" in result.right[0]
    assert exercises.check_share_above_one(..., M).status == "not done"
    verdict.wrong(exercises.check_share_above_one(100 * share, M), "percentage")
    verdict.wrong(exercises.check_share_above_one(float(np.sum(np.abs(M) > 1)), M), "number of bins")
    result = verdict.wrong(exercises.check_share_above_one(1 - share, M), "opposite")
    assert "np.mean(np.abs(M) > 1)" not in result.hint
    verdict.wrong(exercises.check_share_above_one("a lot", M), "one number")


def test_prediction_04_3_where_the_bins_above_one_are(speech, verdict):
    """Measured, not assumed: most bins with |M| > 1 are target-dominated; similar levels win only for |M| > 2."""
    _, _, S, Y, _ = speech
    N = Y - S
    M = np.abs(sm.cirm(S, Y))
    local = 10 * np.log10(np.maximum(np.abs(S) ** 2, 1e-30) / np.maximum(np.abs(N) ** 2, 1e-30))
    above = M > 1
    assert np.mean(local[above] > 3) > np.mean(np.abs(local[above]) <= 3)
    assert np.mean(np.abs(local[M > 2]) <= 3) > 0.5
    result = verdict.right(exercises.check_prediction("04.3", "target dominates", S, Y))
    assert any("|M| > 2" in m for m in result.right)
    result = verdict.wrong(exercises.check_prediction("04.3", "similar levels", S, Y), "shows 'target dominates'")
    assert "within ±3 dB" in result.hint
