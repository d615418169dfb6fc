"""Exercises 02.1-02.3 and the prediction 02.3 ("which local criterion keeps more babble?")."""

import numpy as np

import specmask_edu as sm
from specmask_edu import exercises as ex

SR = 16000


def test_reference_solutions_pass(lesson, verdict):
    ns = verdict.solution("02.1", **lesson)
    verdict.right(ex.check_lowpass_mask(ns["my_mask"], lesson["Y"].shape, lesson["config"], SR, cutoff_hz=1000))
    verdict.right(ex.check_irm(verdict.solution("02.2", **lesson)["my_irm"], lesson["S"], lesson["Y"], beta=0.5))
    verdict.right(ex.check_ibm_estimate(verdict.solution("02.3", **lesson)["my_estimate"], lesson["target"],
                                        lesson["mixture"], lc_db=-6, config=lesson["config"]))


def test_02_1_lowpass_mask(lesson, verdict):
    Y, cfg = lesson["Y"], lesson["config"]
    freqs = cfg.frequencies(SR)
    right = np.zeros(Y.shape)
    right[freqs < 1000] = 1
    verdict.right(ex.check_lowpass_mask(right, Y.shape, cfg, SR, cutoff_hz=1000))
    verdict.wrong(ex.check_lowpass_mask(1 - right, Y.shape, cfg, SR, cutoff_hz=1000), "high-pass")
    verdict.wrong(ex.check_lowpass_mask(right.T, Y.shape, cfg, SR, cutoff_hz=1000), "transposed")
    by_index = np.zeros(Y.shape)
    by_index[:1000] = 1                       # the cutoff used as a bin index: keeps everything
    verdict.wrong(ex.check_lowpass_mask(by_index, Y.shape, cfg, SR, cutoff_hz=1000), "not 0 everywhere above",
                  "bin index")
    too_low = np.zeros(Y.shape)
    too_low[freqs < 500] = 1
    verdict.wrong(ex.check_lowpass_mask(too_low, Y.shape, cfg, SR, cutoff_hz=1000), "not 1 everywhere below")


def test_02_2_irm(lesson, verdict):
    S, Y = lesson["S"], lesson["Y"]
    N = Y - S
    verdict.right(ex.check_irm(sm.ideal_ratio_mask(S, Y, beta=0.5), S, Y))
    verdict.wrong(ex.check_irm(sm.wiener_mask(S, Y), S, Y), "Wiener")
    verdict.wrong(ex.check_irm(np.abs(S) / (np.abs(S) + np.abs(N) + 1e-12), S, Y), "powers")
    verdict.wrong(ex.check_irm(np.clip(sm.ideal_amplitude_mask(S, Y), 0, 1), S, Y), "IAM")
    with np.errstate(divide="ignore", invalid="ignore"):
        unguarded = (np.abs(S) ** 2 / (np.abs(S) ** 2 + np.abs(N) ** 2)) ** 0.5
    unguarded[0, 0] = np.nan
    verdict.wrong(ex.check_irm(unguarded, S, Y), "NaN")
    verdict.wrong(ex.check_irm(sm.ideal_ratio_mask(S, Y)[:, :10], S, Y), "shape")


def test_02_2_usual_slips_are_named(lesson, verdict):
    S, Y = lesson["S"], lesson["Y"]
    N = Y - S
    y_for_s = (np.abs(Y) ** 2 / (np.abs(Y) ** 2 + np.abs(N) ** 2)) ** 0.5
    verdict.wrong(ex.check_irm(y_for_s, S, Y), "|Y|² where |S|² belongs")
    n_is_y = (np.abs(S) ** 2 / (np.abs(S) ** 2 + np.abs(Y) ** 2)) ** 0.5
    verdict.wrong(ex.check_irm(n_is_y, S, Y), "N = Y - S")


def test_02_2_the_package_function_is_refused_in_a_notebook(lesson, verdict, cell_history):
    S, Y = lesson["S"], lesson["Y"]
    answer = sm.ideal_ratio_mask(S, Y, beta=0.5)
    cell_history(["import numpy as np", "my_irm = sm.ideal_ratio_mask(S, Y, beta=0.5)"])
    verdict.wrong(ex.check_irm(answer, S, Y), "package's mask function")
    cell_history(["my_irm = sm.irm(S, Y)"])
    verdict.wrong(ex.check_irm(answer, S, Y), "package's mask function")
    cell_history(["N = Y - S\nmy_irm = (np.abs(S)**2 / np.maximum(np.abs(S)**2 + np.abs(N)**2, 1e-24)) ** 0.5"])
    verdict.right(ex.check_irm(answer, S, Y))


def test_02_3_ibm_estimate(lesson, verdict):
    target, mixture, cfg = lesson["target"], lesson["mixture"], lesson["config"]
    S, Y = lesson["S"], lesson["Y"]
    right = sm.separate(mixture, sm.ideal_binary_mask(S, Y, lc_db=-6), cfg)
    verdict.right(ex.check_ibm_estimate(right, target, mixture, lc_db=-6, config=cfg))
    verdict.wrong(ex.check_ibm_estimate(sm.separate(mixture, sm.ideal_binary_mask(S, Y, lc_db=6), cfg), target,
                                        mixture, lc_db=-6, config=cfg), "LC = 6 dB")
    verdict.wrong(ex.check_ibm_estimate(mixture, target, mixture, lc_db=-6, config=cfg), "mask was not applied")
    verdict.wrong(ex.check_ibm_estimate(target, target, mixture, lc_db=-6, config=cfg), "clean target itself")
    verdict.wrong(ex.check_ibm_estimate(sm.apply_mask(Y, sm.ideal_binary_mask(S, Y, lc_db=-6)), target, mixture,
                                        lc_db=-6, config=cfg), "an STFT")
    verdict.wrong(ex.check_ibm_estimate(right[:-100], target, mixture, lc_db=-6, config=cfg), "length=len(mixture)")


def test_02_3_usual_slips_are_named_and_the_hint_does_not_paste_the_solution(lesson, verdict):
    target, mixture, cfg = lesson["target"], lesson["mixture"], lesson["config"]
    S, Y = lesson["S"], lesson["Y"]
    mask = sm.ideal_binary_mask(S, Y, lc_db=-6)
    result = verdict.wrong(ex.check_ibm_estimate(sm.separate(target, mask, cfg), target, mixture, lc_db=-6,
                                                 config=cfg), "applied to the target")
    assert "sm.ideal_binary_mask(" not in result.hint and "sm.separate(mixture" not in result.hint
    with_n = sm.separate(mixture, sm.ideal_binary_mask(S, Y - S, lc_db=-6), cfg)
    verdict.wrong(ex.check_ibm_estimate(with_n, target, mixture, lc_db=-6, config=cfg), "interference (Y - S)")
    frames = np.fft.irfft(sm.apply_mask(Y, mask), n=cfg.n_fft, axis=0)
    verdict.wrong(ex.check_ibm_estimate(frames, target, mixture, lc_db=-6, config=cfg), "overlap-add")


def test_02_3_prediction_more_babble_at_a_lower_criterion(lesson, verdict):
    target, mixture, cfg = lesson["target"], lesson["mixture"], lesson["config"]
    result = verdict.right(ex.check_prediction("02.3", "LC -6 dB", target, mixture, config=cfg))
    assert any("keeps more babble" in m and "% of the bins" in m for m in result.right), str(result)
    verdict.right(ex.check_prediction("02.3", -6, target, mixture, config=cfg))
    result = verdict.wrong(ex.check_prediction("02.3", "0 dB", target, mixture, config=cfg), "shows 'LC -6 dB'")
    assert "keeps more babble" in result.hint
