"""The self-checks of notebooks 04-06: each passes the reference solution, fails typical mistakes with a
message that says what to fix, and treats the untouched stub as "not done yet"."""

import numpy as np
import pytest

import specmask_edu as sm
from specmask_edu import exercises

SR = 16000


@pytest.fixture(scope="module")
def speech():
    """1.5 s of speech + babble at 0 dB and their STFTs."""
    mix = sm.load_mixture("speech_female_1", "babble", snr_db=0, duration=1.5)
    config = sm.STFTConfig()
    S, Y = sm.stft(mix["target"], config), sm.stft(mix["mixture"], config)
    return mix["target"], mix["mixture"], S, Y, config


@pytest.fixture(scope="module")
def band():
    stems = sm.synth.band(duration=2.0, sr=SR, seed=1)
    config = sm.STFTConfig(n_fft=2048, hop_length=512)
    mixture = sum(stems.values())
    sources = [sm.stft(x, config) for x in stems.values()]
    estimates = {name: sm.separate(mixture, M, config) for name, M in zip(stems, sm.soft_masks(sources))}
    return stems, mixture, sources, estimates, config


def solution(exercise_id, **namespace):
    """Run the registered reference solution in a namespace and return that namespace."""
    namespace = {"np": np, "sm": sm, **namespace}
    exec(exercises.SOLUTIONS[exercise_id], namespace)  # noqa: S102 - our own reference code
    return namespace


def wrong(result, *fragments):
    assert result.status == "wrong" and not result.passed, str(result)
    text = " ".join(result.wrong).lower()
    for fragment in fragments:
        assert fragment.lower() in text, f"{fragment!r} not in feedback: {result.wrong}"
    return result


def test_every_new_exercise_is_registered():
    ids = exercises.list_exercises()
    for k in ("04.1", "04.2", "04.3", "05.1", "05.2", "05.3", "06.1", "06.2", "06.3"):
        assert k in ids and exercises.SOLUTIONS[k].strip()


# --------------------------------------------------------------------------- 04


def test_check_cirm(speech):
    _, _, S, Y, _ = speech
    right = solution("04.1", S=S, Y=Y)["my_cirm"]
    result = exercises.check_cirm(right, S, Y)
    assert result.passed, str(result)
    assert exercises.check_cirm(..., S, Y).status == "not done"
    wrong(exercises.check_cirm(np.conj(right), S, Y), "conjugate")
    wrong(exercises.check_cirm(right.real, S, Y), "real part")
    wrong(exercises.check_cirm(np.abs(right), S, Y), "iam")
    wrong(exercises.check_cirm(Y / np.where(np.abs(S) > 0, S, 1), S, Y), "upside down")
    wrong(exercises.check_cirm(S * np.conj(Y), S, Y), "|y|²")
    wrong(exercises.check_cirm(right[:, :-1], S, Y), "shape")
    with_nan = right.copy()
    with_nan[0, 0] = np.nan
    wrong(exercises.check_cirm(with_nan, S, Y), "nan")


def test_check_bounded_mask(speech):
    _, _, S, Y, _ = speech
    M = sm.cirm(S, Y)
    assert exercises.check_bounded_mask(solution("04.2", M=M)["my_bounded"], M).passed
    assert exercises.check_bounded_mask(None, M).status == "not done"
    wrong(exercises.check_bounded_mask(np.tanh(M.real) + 1j * np.tanh(M.imag), M), "separately")
    wrong(exercises.check_bounded_mask(np.tanh(np.abs(M)), M), "real-valued")
    wrong(exercises.check_bounded_mask(M, M), "below 1")
    wrong(exercises.check_bounded_mask(np.tanh(np.abs(M)) * np.exp(1j * np.angle(Y)), M), "phase")


def test_check_share_above_one(speech):
    _, _, S, Y, _ = speech
    M = sm.cirm(S, Y)
    share = solution("04.3", M=M)["my_share"]
    result = exercises.check_share_above_one(share, M)
    assert result.passed and "%" in result.right[0]
    assert exercises.check_share_above_one(..., M).status == "not done"
    wrong(exercises.check_share_above_one(100 * share, M), "percentage")
    wrong(exercises.check_share_above_one(float(np.sum(np.abs(M) > 1)), M), "number of bins")
    wrong(exercises.check_share_above_one(1 - share, M), "opposite")
    wrong(exercises.check_share_above_one("a lot", M), "one number")


# --------------------------------------------------------------------------- 05


def test_check_soft_masks(band):
    _, _, sources, _, _ = band
    right = solution("05.1", sources=sources)["my_masks"]
    assert exercises.check_soft_masks(right, sources, power=1).passed
    assert exercises.check_soft_masks(..., sources).status == "not done"
    wrong(exercises.check_soft_masks(sm.soft_masks(sources, power=2), sources, power=1), "power 2")
    wrong(exercises.check_soft_masks(right[:3], sources, power=1), "3 masks")
    wrong(exercises.check_soft_masks(right[0], sources, power=1), "single")
    wrong(exercises.check_soft_masks([np.abs(s) for s in sources], sources, power=1), "sum to one")


def test_check_karaoke(band):
    stems, mixture, _, estimates, _ = band
    right = solution("05.2", estimates=estimates)["my_karaoke"]
    result = exercises.check_karaoke(right, estimates, stems)
    assert result.passed and any("SI-SDR" in m for m in result.right)
    assert exercises.check_karaoke(..., estimates).status == "not done"
    wrong(exercises.check_karaoke(mixture, estimates, stems), "still contains")
    wrong(exercises.check_karaoke(estimates["melody"], estimates, stems), "alone")
    wrong(exercises.check_karaoke(sum(v for k, v in stems.items() if k != "melody"), estimates, stems), "true stems")
    wrong(exercises.check_karaoke(right[:100], estimates, stems), "samples")


def test_check_hpss_drums(band):
    stems, mixture, _, _, config = band
    Y = sm.stft(mixture, config)
    right = solution("05.3", Y=Y, mixture=mixture, config=config)["my_drums"]
    result = exercises.check_hpss_drums(right, mixture, stems["drums"], config, margin=3.0)
    assert result.passed and any("SIR" in m and "SAR" in m for m in result.right), str(result)
    assert exercises.check_hpss_drums(..., mixture, stems["drums"], config).status == "not done"
    harmonic_mask, percussive_mask = sm.hpss_masks(Y, margin=3.0)
    wrong(exercises.check_hpss_drums(sm.separate(mixture, harmonic_mask, config), mixture, stems["drums"], config),
          "harmonic")
    wrong(exercises.check_hpss_drums(sm.separate(mixture, sm.hpss_masks(Y)[1], config), mixture, stems["drums"], config),
          "margin 1")
    wrong(exercises.check_hpss_drums(sm.stft(right, config), mixture, stems["drums"], config), "shape")


# --------------------------------------------------------------------------- 06


def test_check_si_sdr_function():
    right = solution("06.1")["my_si_sdr"]
    result = exercises.check_si_sdr_function(right)
    assert result.passed and len(result.right) == 3, str(result)

    def stub(estimate, reference):
        return ...

    assert exercises.check_si_sdr_function(stub).status == "not done"
    assert exercises.check_si_sdr_function(...).status == "not done"
    wrong(exercises.check_si_sdr_function(lambda e, r: sm.snr(e, r)), "snr")

    def ratio(e, r):
        a = np.dot(e - e.mean(), r - r.mean()) / np.dot(r - r.mean(), r - r.mean())
        t = a * (r - r.mean())
        return np.sum(t**2) / np.sum((t - (e - e.mean())) ** 2)

    wrong(exercises.check_si_sdr_function(ratio), "power ratio")

    def backwards(e, r):  # alpha = e·r / e·e: the projection the wrong way round
        e, r = e - e.mean(), r - r.mean()
        t = np.dot(e, r) / np.dot(e, e) * r
        return 10 * np.log10(np.sum(t**2) / np.sum((t - e) ** 2))

    wrong(exercises.check_si_sdr_function(backwards), "wrong way round")

    calls = []

    def text_later(e, r):  # right on the first call, then a string
        calls.append(1)
        return sm.si_sdr(e, r) if len(calls) == 1 else "8 dB"

    wrong(exercises.check_si_sdr_function(text_later), "one number")

    def no_mean(e, r):
        return sm.si_sdr(e, r, zero_mean=False)

    wrong(exercises.check_si_sdr_function(no_mean), "le roux", "remove the means")

    def crashes(e, r):
        raise ZeroDivisionError("oops")

    wrong(exercises.check_si_sdr_function(crashes), "zerodivisionerror")
    wrong(exercises.check_si_sdr_function(42), "function")


def test_check_best_gain(speech):
    target, mixture, S, Y, config = speech
    irm = sm.separate(mixture, sm.irm(S, Y), config)
    right = solution("06.2", irm=irm, target=target)["my_gain"]
    result = exercises.check_best_gain(right, irm, target)
    assert result.passed and any("any gain" in m for m in result.right)
    assert exercises.check_best_gain(..., irm, target).status == "not done"
    wrong(exercises.check_best_gain(np.dot(irm, target) / np.dot(target, target), irm, target), "alpha")
    wrong(exercises.check_best_gain(20 * np.log10(right), irm, target), "in db")
    wrong(exercises.check_best_gain(1.0, irm, target), "not the best")
    wrong(exercises.check_best_gain([1, 2], irm, target), "one number")


def test_check_equal_score(speech):
    target, mixture, S, Y, config = speech
    ibm = sm.separate(mixture, sm.ibm(S, Y, lc_db=5), config)
    score = sm.si_sdr(ibm, target)
    right = solution("06.3", target=target, ibm_score=score)["my_noisy"]
    result = exercises.check_equal_score(right, target, score, other=ibm)
    assert result.passed, str(result)
    assert exercises.check_equal_score(..., target, score).status == "not done"
    wrong(exercises.check_equal_score(ibm, target, score, other=ibm), "ibm estimate itself")
    wrong(exercises.check_equal_score(target, target, score), "clean target")
    wrong(exercises.check_equal_score(sm.mix_at_snr(target, sm.load_example("white_noise"), score), target, score),
          "tuple")
    far = sm.mix_at_snr(target, sm.load_example("white_noise"), score - 6)[0]
    result = wrong(exercises.check_equal_score(far, target, score), "was asked for")
    assert "noise" in result.hint.lower()
