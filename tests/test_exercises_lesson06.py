"""Exercises 06.1-06.3: SI-SDR as a function (through the shared machinery, no sm.si_sdr), the best gain,
and a *different* estimate with the same SI-SDR (scaled or sign-flipped copies and the lesson's low-passed
speech are refused, with the reason)."""

import numpy as np
import pytest

import specmask_edu as sm
from specmask_edu import exercises


def test_check_si_sdr_function(verdict):
    right = verdict.solution("06.1")["my_si_sdr"]
    result = exercises.check_si_sdr_function(right)
    assert result.passed and len(result.right) == 3, str(result)

    def stub(estimate, reference):
        return ...

    assert exercises.check_si_sdr_function(stub).status == "not done"
    assert exercises.check_si_sdr_function(...).status == "not done"
    verdict.wrong(exercises.check_si_sdr_function(lambda e, r: sm.snr(e, r)), "snr")

    def ratio(e, r):
        a = np.dot(e - e.mean(), r - r.mean()) / np.dot(r - r.mean(), r - r.mean())
        t = a * (r - r.mean())
        return np.sum(t**2) / np.sum((t - (e - e.mean())) ** 2)

    verdict.wrong(exercises.check_si_sdr_function(ratio), "power ratio")

    def backwards(e, r):  # alpha = e·r / e·e: the projection the wrong way round
        e, r = e - e.mean(), r - r.mean()
        t = np.dot(e, r) / np.dot(e, e) * r
        return 10 * np.log10(np.sum(t**2) / np.sum((t - e) ** 2))

    verdict.wrong(exercises.check_si_sdr_function(backwards), "wrong way round")

    calls = []

    def text_later(e, r):  # right on the first call, then a string
        calls.append(1)
        return right(e, r) if len(calls) == 1 else "8 dB"

    verdict.wrong(exercises.check_si_sdr_function(text_later), "one number")

    def no_mean(e, r):
        a = np.dot(e, r) / np.dot(r, r)
        return 10 * np.log10(np.sum((a * r) ** 2) / np.sum((a * r - e) ** 2))

    verdict.wrong(exercises.check_si_sdr_function(no_mean), "le roux", "remove the means")

    def crashes(e, r):
        raise ZeroDivisionError("oops")

    verdict.wrong(exercises.check_si_sdr_function(crashes), "zerodivisionerror")
    verdict.wrong(exercises.check_si_sdr_function(42), "function")


def test_check_si_sdr_function_refuses_the_packages_si_sdr(verdict):
    def my_si_sdr(estimate, reference):
        return sm.si_sdr(estimate, reference)

    verdict.wrong(exercises.check_si_sdr_function(my_si_sdr), "package's si_sdr")

    def my_si_sdr(estimate, reference):  # noqa: F811 - a student's second try, without it
        estimate, reference = estimate - estimate.mean(), reference - reference.mean()
        alpha = np.dot(estimate, reference) / np.dot(reference, reference)
        return 10 * np.log10(np.sum((alpha * reference) ** 2) / np.sum((alpha * reference - estimate) ** 2))

    verdict.right(exercises.check_si_sdr_function(my_si_sdr))


def test_check_best_gain(speech, verdict):
    target, mixture, S, Y, config = speech
    irm = sm.separate(mixture, sm.irm(S, Y), config)
    right = verdict.solution("06.2", irm=irm, target=target)["my_gain"]
    result = exercises.check_best_gain(right, irm, target)
    assert result.passed and any("any gain" in m for m in result.right)
    assert exercises.check_best_gain(..., irm, target).status == "not done"
    verdict.wrong(exercises.check_best_gain(np.dot(irm, target) / np.dot(target, target), irm, target), "alpha")
    verdict.wrong(exercises.check_best_gain(20 * np.log10(right), irm, target), "in db")
    verdict.wrong(exercises.check_best_gain(1.0, irm, target), "not the best")
    verdict.wrong(exercises.check_best_gain([1, 2], irm, target), "one number")


@pytest.fixture(scope="module")
def same_score(speech):
    """Notebook 06's pair: the IBM on speech in white noise and the low-passed speech of equal SI-SDR."""
    target, _, S, _, config = speech
    noisy = sm.load_mixture("speech_female_1", "white_noise", snr_db=0, duration=1.5)
    S_w, Y_w = sm.stft(noisy["target"], config), sm.stft(noisy["mixture"], config)
    ibm = sm.separate(noisy["mixture"], sm.ideal_binary_mask(S_w, Y_w, lc_db=5), config)
    score = sm.si_sdr(ibm, target)
    match = sm.match_score(lambda cutoff: sm.separate(target, sm.lowpass_mask(S.shape, 16000, cutoff, config), config),
                           target, score, low=300, high=8000)
    assert abs(match["score"] - score) < 0.5                   # the low-passed speech really scores the same
    return ibm, score, match["estimate"]


def test_check_equal_score(speech, same_score, verdict):
    target = speech[0]
    ibm, score, _ = same_score
    right = verdict.solution("06.3", target=target, ibm_score=score)["my_noisy"]
    result = exercises.check_equal_score(right, target, score, other=ibm)
    assert result.passed, str(result)
    assert exercises.check_equal_score(..., target, score).status == "not done"
    verdict.wrong(exercises.check_equal_score(ibm, target, score, other=ibm), "ibm estimate itself")
    verdict.wrong(exercises.check_equal_score(target, target, score), "clean target")
    verdict.wrong(exercises.check_equal_score(sm.mix_at_snr(target, sm.load_example("white_noise"), score), target,
                                              score), "tuple")
    far = sm.mix_at_snr(target, sm.load_example("white_noise"), score - 6)[0]
    result = verdict.wrong(exercises.check_equal_score(far, target, score), "was asked for")
    assert "noise" in result.hint.lower()


def test_check_equal_score_accepts_any_white_noise_at_any_level(speech, same_score, verdict):
    target = speech[0]
    ibm, score, muffled = same_score
    rng = np.random.default_rng(3)
    gaussian = target + rng.standard_normal(target.size) * np.sqrt(np.mean(target**2) / 10 ** (score / 10))
    verdict.right(exercises.check_equal_score(gaussian, target, score, others={"IBM estimate": ibm,
                                                                               "low-passed speech": muffled}))
    verdict.right(exercises.check_equal_score(0.5 * gaussian, target, score, other=ibm))


def test_check_equal_score_refuses_scaled_and_flipped_copies(speech, same_score, verdict):
    """SI-SDR ignores scale and sign, so these score the same; they are not different estimates."""
    target = speech[0]
    ibm, score, muffled = same_score
    verdict.wrong(exercises.check_equal_score(0.5 * ibm, target, score, other=ibm), "multiplied by 0.50",
                  "ignores scale and sign", "louder or quieter")
    verdict.wrong(exercises.check_equal_score(-ibm, target, score, other=ibm), "multiplied by -1.00", "sign-flipped")
    others = {"low-passed speech": muffled}
    verdict.wrong(exercises.check_equal_score(muffled, target, score, other=ibm, others=others),
                  "low-passed speech itself")
    verdict.wrong(exercises.check_equal_score(2 * muffled, target, score, other=ibm, others=others),
                  "low-passed speech multiplied by 2.00")
    right = sm.mix_at_snr(target, sm.load_example("white_noise"), score)[0]
    verdict.wrong(exercises.check_equal_score(-right, target, score, other=ibm), "upside down")


def test_check_equal_score_refuses_an_estimate_that_removes_speech(speech, same_score, verdict):
    """The task is speech *plus* white noise: the low-passed speech (even when the check is not told about it)
    and coloured noise are refused with the reason."""
    target = speech[0]
    ibm, score, muffled = same_score
    verdict.wrong(exercises.check_equal_score(muffled, target, score, other=ibm), "follows the speech",
                  "removes or reshapes")
    pink = sm.mix_at_snr(target, sm.load_example("pink_noise"), score)[0]
    verdict.wrong(exercises.check_equal_score(pink, target, score, other=ibm), "not white")
