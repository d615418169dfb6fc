"""Exercises 03.1-03.3 and the prediction 03.3: the exact magnitude with the mixture phase (called what it
is, not "the ceiling of real masks"), the PSM, and Griffin-Lim written as the lesson's formula or with
momentum."""

import numpy as np
import pytest

import specmask_edu as sm
from specmask_edu import exercises as ex


@pytest.fixture(scope="module")
def gl(lesson):
    target, mixture, cfg, S, Y = (lesson[k] for k in ("target", "mixture", "config", "S", "Y"))
    start = dict(initial_phase=np.angle(Y), config=cfg, length=len(target))
    return {
        "fast": sm.griffin_lim(np.abs(S), n_iter=20, **start),
        "momentum 0": sm.griffin_lim(np.abs(S), n_iter=20, momentum=0.0, **start),
        "from zero": sm.griffin_lim(np.abs(S), n_iter=20, initial_phase="zero", config=cfg, length=len(target)),
        "|Y|": sm.griffin_lim(np.abs(Y), n_iter=20, **start),
        "5 iterations": sm.griffin_lim(np.abs(S), n_iter=5, momentum=0.0, **start),
    }


def test_reference_solutions_pass(lesson, verdict):
    cfg = lesson["config"]
    verdict.right(ex.check_mixture_phase_estimate(verdict.solution("03.1", **lesson)["my_estimate"], lesson["target"],
                                                  lesson["mixture"], config=cfg))
    verdict.right(ex.check_psm(verdict.solution("03.2", **lesson)["my_psm"], lesson["S"], lesson["Y"]))
    verdict.right(ex.check_griffin_lim(verdict.solution("03.3", **lesson)["my_estimate_gl"], lesson["target"],
                                       lesson["mixture"], n_iter=20, config=cfg))


def test_03_1_mixture_phase_estimate(lesson, verdict):
    target, mixture, cfg, S, Y = (lesson[k] for k in ("target", "mixture", "config", "S", "Y"))
    right = sm.istft(np.abs(S) * np.exp(1j * np.angle(Y)), cfg, length=len(target))
    verdict.right(ex.check_mixture_phase_estimate(right, target, mixture, config=cfg))
    np.testing.assert_allclose(right, sm.oracle_separate(target, mixture - target, "iam", cfg), atol=1e-9)
    verdict.wrong(ex.check_mixture_phase_estimate(target, target, mixture, config=cfg), "clean phase")
    verdict.wrong(ex.check_mixture_phase_estimate(sm.istft(np.abs(S) + 0j, cfg, length=len(target)), target, mixture,
                                                  config=cfg), "zero phase")
    verdict.wrong(ex.check_mixture_phase_estimate(mixture, target, mixture, config=cfg), "np.abs(S)")
    verdict.wrong(ex.check_mixture_phase_estimate(sm.istft(np.abs(S) * np.exp(1j * np.angle(Y)), cfg)[:-64], target,
                                                  mixture, config=cfg), "length=len(target)")


def test_03_1_success_message_says_what_the_estimate_truly_is(lesson, verdict):
    """Not "the ceiling of real-valued masks": the raw PSM beats it (and a real mask fitted through the
    inverse STFT beats the PSM); it is the best *magnitude* estimate with the mixture phase."""
    target, mixture, cfg, S, Y = (lesson[k] for k in ("target", "mixture", "config", "S", "Y"))
    right = sm.istft(np.abs(S) * np.exp(1j * np.angle(Y)), cfg, length=len(target))
    text = str(verdict.right(ex.check_mixture_phase_estimate(right, target, mixture, config=cfg)))
    assert "ceiling" not in text
    assert "best magnitude estimate with the mixture phase" in text and "not the best real mask" in text
    iam = sm.si_sdr(right, target)
    raw_psm = sm.si_sdr(sm.separate(mixture, sm.phase_sensitive_mask(S, Y, truncate=None), cfg), target)
    assert raw_psm > iam + 1                                               # what the message claims, measured
    assert f"{raw_psm:.1f} dB" in text and f"{iam:.1f} dB" in text


def test_03_1_usual_slips_are_named(lesson, verdict):
    target, mixture, cfg, S, Y = (lesson[k] for k in ("target", "mixture", "config", "S", "Y"))
    no_j = sm.istft((np.abs(S) * np.exp(np.angle(Y))).astype(complex), cfg, length=len(target))
    result = verdict.wrong(ex.check_mixture_phase_estimate(no_j, target, mixture, config=cfg), "without 1j")
    assert "np.exp(1j * np.angle(Y))" not in result.hint                 # the hint does not paste the solution
    verdict.wrong(ex.check_mixture_phase_estimate(mixture, target, mixture, config=cfg), "|Y| where |S| was meant")
    swapped = sm.istft(np.abs(Y) * np.exp(1j * np.angle(S)), cfg, length=len(target))
    verdict.wrong(ex.check_mixture_phase_estimate(swapped, target, mixture, config=cfg), "swapped")
    frames = np.fft.irfft(np.abs(S) * np.exp(1j * np.angle(Y)), n=cfg.n_fft, axis=0)
    verdict.wrong(ex.check_mixture_phase_estimate(frames.T.ravel(), target, mixture, config=cfg), "overlap-added")


def test_03_2_psm(lesson, verdict):
    S, Y = lesson["S"], lesson["Y"]
    verdict.right(ex.check_psm(sm.phase_sensitive_mask(S, Y), S, Y))
    verdict.wrong(ex.check_psm(sm.phase_sensitive_mask(S, Y, truncate=None), S, Y), "raw PSM")
    verdict.wrong(ex.check_psm(sm.ideal_amplitude_mask(S, Y), S, Y), "cos(∠S − ∠Y)")
    verdict.wrong(ex.check_psm(np.clip(sm.ideal_amplitude_mask(S, Y), 0, 1), S, Y), "IAM")
    verdict.wrong(ex.check_psm(sm.phase_sensitive_mask(S, Y) + 1j, S, Y), "complex")
    summed = np.clip(sm.ideal_amplitude_mask(S, Y) * np.cos(np.angle(S) + np.angle(Y)), 0, 1)
    verdict.wrong(ex.check_psm(summed, S, Y), "not the sum")


def test_03_2_the_package_function_is_refused_in_a_notebook(lesson, verdict, cell_history):
    S, Y = lesson["S"], lesson["Y"]
    cell_history(["my_psm = sm.phase_sensitive_mask(S, Y)"])
    verdict.wrong(ex.check_psm(sm.phase_sensitive_mask(S, Y), S, Y), "phase_sensitive_mask")


def test_03_3_griffin_lim_as_the_lessons_formula_or_fast(lesson, verdict, gl):
    target, mixture, cfg = lesson["target"], lesson["mixture"], lesson["config"]
    fast = verdict.right(ex.check_griffin_lim(gl["fast"], target, mixture, n_iter=20, config=cfg))
    assert "momentum 0.99" in str(fast)
    plain = verdict.right(ex.check_griffin_lim(gl["momentum 0"], target, mixture, n_iter=20, config=cfg))
    assert "no momentum" in str(plain) and "zero or random" not in str(plain)


def test_03_3_written_by_hand_from_the_formula(lesson, verdict):
    """x_i = iSTFT(|S| e^{jφ_i}), φ_{i+1} = ∠STFT(x_i), 20 times from the mixture phase: accepted, whether the
    loop returns the last x_i or rebuilds once more."""
    target, mixture, cfg, S, Y = (lesson[k] for k in ("target", "mixture", "config", "S", "Y"))
    phi = np.angle(Y)
    for _ in range(20):
        x_i = sm.istft(np.abs(S) * np.exp(1j * phi), cfg, length=len(target))
        phi = np.angle(sm.stft(x_i, cfg))
    verdict.right(ex.check_griffin_lim(x_i, target, mixture, n_iter=20, config=cfg))
    rebuilt = sm.istft(np.abs(S) * np.exp(1j * phi), cfg, length=len(target))
    verdict.right(ex.check_griffin_lim(rebuilt, target, mixture, n_iter=20, config=cfg))


def test_03_3_wrong_answers_get_their_diagnosis(lesson, verdict, gl):
    target, mixture, cfg = lesson["target"], lesson["mixture"], lesson["config"]
    verdict.wrong(ex.check_griffin_lim(gl["from zero"], target, mixture, n_iter=20, config=cfg), "zero or random phase")
    verdict.wrong(ex.check_griffin_lim(gl["fast"][:1000], target, mixture, n_iter=20, config=cfg),
                  "length=len(target)")
    verdict.wrong(ex.check_griffin_lim(gl["|Y|"], target, mixture, n_iter=20, config=cfg), "|Y| where |S| was meant")
    verdict.wrong(ex.check_griffin_lim(gl["5 iterations"], target, mixture, n_iter=20, config=cfg),
                  "fewer iterations")


def test_03_3_prediction_the_mixture_phase_converges_further(lesson, verdict):
    target, mixture, cfg = lesson["target"], lesson["mixture"], lesson["config"]
    result = verdict.right(ex.check_prediction("03.3", "mixture phase", target, mixture, config=cfg))
    assert any("spectral convergence after 20 iterations" in m for m in result.right)
    verdict.wrong(ex.check_prediction("03.3", "zero", target, mixture, config=cfg), "shows 'mixture phase'")
