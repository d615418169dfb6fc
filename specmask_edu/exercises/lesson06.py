"""Exercises of ``notebooks/06_evaluating_separation.ipynb``: SI-SDR from its formula (06.1), the gain that
maximises SNR (06.2), and a different estimate with the same SI-SDR (06.3)."""

from __future__ import annotations

import numpy as np

from .framework import Stop, as_array, as_function, as_number, call_student_function, exercise, is_close

__all__ = ["check_si_sdr_function", "check_best_gain", "check_equal_score"]


@exercise("06.1", "SI-SDR from its formula", answer="my_si_sdr", solution="""
def my_si_sdr(estimate, reference):
    estimate = estimate - estimate.mean()
    reference = reference - reference.mean()
    alpha = np.dot(estimate, reference) / np.dot(reference, reference)
    target = alpha * reference
    return 10 * np.log10(np.sum(target**2) / np.sum((target - estimate)**2))
""", hint="Remove the means; scale the reference by alpha = estimate·reference / reference·reference; SI-SDR is "
          "10·log10 of the energy of the scaled reference over the energy of what is left (scaled reference "
          "minus estimate).")
def check_si_sdr_function(fb, my_si_sdr):
    """Exercise 06.1: a function ``my_si_sdr(estimate, reference)`` that returns SI-SDR in dB.

    It is tried on Le Roux et al.'s example and on speech-like signals, scaled and unscaled.
    """
    from ..metrics import si_sdr, snr

    as_function(fb, my_si_sdr, "my_si_sdr", "my_si_sdr(estimate, reference) that returns SI-SDR in dB",
                forbidden={r"(?<![\w])(sm|metrics|specmask_edu)\.(metrics\.)?si_sdr\b|import\s+si_sdr|"
                           r"from\s+specmask_edu": "it calls the package's si_sdr; the exercise is to write the "
                           "formula with NumPy"})
    rng = np.random.default_rng(6)
    reference = np.sin(2 * np.pi * np.arange(4000) / 37.0) * (1 + 0.5 * np.sin(np.arange(4000) / 300.0))
    estimate = reference + 0.3 * rng.standard_normal(reference.size)
    value = as_number(fb, call_student_function(fb, my_si_sdr, "my_si_sdr", estimate.copy(), reference.copy()),
                      "my_si_sdr")
    expected = si_sdr(estimate, reference)
    if not fb.expect(abs(value - expected) < 0.05, f"{value:.2f} dB on a noisy sine (expected {expected:.2f} dB)",
                     f"{value:.2f} dB on a noisy sine, expected {expected:.2f} dB"):
        # the projection the wrong way round: alpha = estimate·reference / estimate·estimate
        e0, r0 = estimate - estimate.mean(), reference - reference.mean()
        wrong_target = np.dot(e0, r0) / np.dot(e0, e0) * r0
        wrong_way = 10 * np.log10(np.sum(wrong_target**2) / np.sum((wrong_target - e0) ** 2))
        if abs(value - snr(estimate, reference)) < 0.05:
            fb.fail("that is the plain SNR: scale the reference by alpha first")
        elif abs(value - wrong_way) < 0.05:
            fb.fail("alpha is the wrong way round: divide estimate·reference by reference·reference (the "
                    "reference is what gets scaled)")
        elif abs(value - 10 ** (expected / 10)) < 0.05 * 10 ** (expected / 10):
            fb.fail("that is the power ratio; convert it to dB with 10·log10")
        elif abs(value - expected / 2) < 0.05 or abs(value - 2 * expected) < 0.1:
            fb.fail("off by a factor of two: energies are sums of squares, so the ratio goes into 10·log10")
        elif abs(value + expected) < 0.05:
            fb.fail("the sign is flipped: signal (alpha·reference) goes on top, the error below")
        raise Stop
    scaled = as_number(fb, call_student_function(fb, my_si_sdr, "my_si_sdr", 0.25 * estimate, reference.copy()),
                       "my_si_sdr")
    fb.expect(abs(scaled - value) < 0.05, "the same value when the estimate is 4 times quieter (scale-invariant)",
              f"{scaled:.2f} dB when the estimate is 4 times quieter: it must not depend on the estimate's gain")
    paper_e, paper_r = np.array([2.5, 0.0, 2.0, 8.0]), np.array([3.0, -0.5, 2.0, 7.0])
    paper = as_number(fb, call_student_function(fb, my_si_sdr, "my_si_sdr", paper_e.copy(), paper_r.copy()),
                      "my_si_sdr")
    expected_paper = si_sdr(paper_e, paper_r)
    fb.expect(abs(paper - expected_paper) < 0.05,
              f"{paper:.2f} dB on Le Roux et al.'s 4-sample example (with the means removed)",
              f"{paper:.2f} dB on Le Roux et al.'s 4-sample example, expected {expected_paper:.2f} dB "
              "(remove the means of both signals first)")
    return None


@exercise("06.2", "The gain that maximises SNR", answer="my_gain", solution="""
my_gain = np.dot(irm, target) / np.dot(irm, irm)     # estimate·target / estimate·estimate
""", hint="SNR is best when g·estimate is as close as possible to the target: a least-squares fit of one "
          "number g (set the derivative of |target − g·estimate|² to zero).")
def check_best_gain(fb, my_gain, estimate, target):
    """Exercise 06.2: the linear gain :math:`g^\\star = \\hat s^\\top s / \\hat s^\\top \\hat s` that maximises SNR."""
    from ..metrics import si_sdr, snr

    estimate, target = np.asarray(estimate, float), np.asarray(target, float)
    try:
        g = float(my_gain)
    except (TypeError, ValueError):
        fb.fail(f"`my_gain` should be one number (a linear gain such as 0.8), got a {type(my_gain).__name__}")
        raise Stop from None
    best = float(np.dot(estimate, target) / np.dot(estimate, estimate))
    if fb.expect(abs(g - best) <= 1e-3 * abs(best), f"g* = {best:.4f}: SNR {snr(best * estimate, target):.2f} dB "
                 f"(at g = 1: {snr(estimate, target):.2f} dB)", f"{g:.4f} is not the best gain"):
        fb.ok(f"and SI-SDR is {si_sdr(best * estimate, target):.2f} dB at any gain: it already assumes the best one")
        return None
    alpha = float(np.dot(estimate, target) / np.dot(target, target))
    if abs(g - alpha) <= 1e-3 * abs(alpha):
        fb.fail("that is alpha of SI-SDR, which scales the reference to fit the estimate; here the estimate is "
                "scaled to fit the target, so divide by estimate·estimate")
    elif g > 0 and abs(20 * np.log10(g) - 20 * np.log10(best)) < 0.01:
        fb.fail("right value but close is not enough here; compute it exactly with np.dot")
    elif abs(g - 20 * np.log10(abs(best))) < 0.01:
        fb.fail("that is the gain in dB; give the linear factor g*")
    return None


def _band_powers_db(x, n_bands=8, config=None):
    """Mean power (dB) of ``x`` in ``n_bands`` equal-width frequency bands, and its STFT magnitude."""
    from ..stft import stft

    E = np.abs(stft(x, config))
    power = np.mean(E ** 2, axis=1)[1:]                    # leave out 0 Hz
    bands = np.array_split(power, n_bands)
    return 10 * np.log10(np.maximum([b.mean() for b in bands], 1e-30)), E


@exercise("06.3", "A different estimate with the same SI-SDR", answer="my_noisy", solution="""
white = sm.load_example("white_noise")
my_noisy, _ = sm.mix_at_snr(target, white, snr_db=ibm_score)    # SNR of x dB -> SI-SDR of about x dB
""", hint="The clean target plus independent white noise at an SNR of x dB has an SI-SDR of about x dB: more "
          "noise lowers it, less raises it. sm.mix_at_snr mixes at a chosen SNR (it returns two arrays).")
def check_equal_score(fb, my_noisy, target, score_db, other=None, others=None, tolerance_db=0.5):
    """Exercise 06.3: the clean ``target`` plus white noise, with an SI-SDR within ``tolerance_db`` of ``score_db``.

    What the task asks is checked, not only the number: the estimate is the target (not sign-flipped) plus
    something added; that addition is noise, independent of the speech (its STFT magnitude does not follow
    the target's) and white (its power is the same in every frequency band, within ±6 dB). So a scaled or
    sign-flipped copy of another estimate (``other``: the IBM estimate; ``others``: ``{name: waveform}``,
    e.g. the lesson's low-passed speech), which SI-SDR scores the same, is refused with the reason, and so is
    an estimate that removes part of the speech instead of adding noise.
    """
    from ..metrics import si_sdr
    from ..stft import stft

    target = np.asarray(target, float)
    if isinstance(my_noisy, tuple):
        fb.fail("`my_noisy` is a tuple: sm.mix_at_snr returns (mixture, scaled_noise); keep the first, "
                "e.g. my_noisy, _ = sm.mix_at_snr(...)")
        raise Stop
    y = as_array(fb, my_noisy, "my_noisy", ndim=1)
    if not fb.expect(y.size == target.size, "same length as the target",
                     f"{y.size} samples but the target has {target.size}"):
        raise Stop
    known = dict(others or {})
    if other is not None:
        known = {"IBM estimate": other, **known}
    for name, estimate in known.items():
        estimate = np.asarray(estimate, float)
        if estimate.shape != y.shape:
            continue
        if is_close(y, estimate, 1e-6):
            fb.fail(f"that is the {name} itself; make a different kind of estimate")
            raise Stop
        corr = float(np.dot(y, estimate) / max(np.linalg.norm(y) * np.linalg.norm(estimate), 1e-30))
        if abs(corr) > 0.999:
            gain = float(np.dot(y, estimate) / np.dot(estimate, estimate))
            fb.fail(f"that is the {name} multiplied by {gain:.2f}: SI-SDR ignores scale and sign, so it scores the "
                    "same, but it is the same estimate, only " + ("sign-flipped" if gain < 0 else "louder or quieter")
                    + ". Make a different estimate: the clean speech plus white noise")
            raise Stop
    if is_close(y, target, 1e-9):
        fb.fail("that is the clean target (SI-SDR at its maximum); add something that costs the right amount")
        raise Stop
    alpha = float(np.dot(y, target) / np.dot(target, target))
    if alpha <= 0:
        fb.fail("it is the target upside down (a negative multiple of it plus something): SI-SDR ignores the sign, "
                "but the task is the clean speech plus noise; keep the sign")
        raise Stop
    added = y - alpha * target
    bands, E = _band_powers_db(added)
    S = np.abs(stft(target))
    follows = float(np.corrcoef(E.ravel(), S.ravel())[0, 1]) if E.shape == S.shape else 0.0
    if not fb.expect(follows < 0.3, "what is added to the speech is independent of it (noise)",
                     f"what differs from the speech follows the speech's own spectrogram (correlation {follows:.2f}): "
                     "this estimate removes or reshapes part of the speech (like the lesson's low-passed speech) "
                     "instead of adding noise; the task is the clean speech plus white noise"):
        raise Stop
    spread = float(bands.max() - bands.min())
    fb.expect(spread <= 12.0, f"the added noise is white (its band powers differ by {spread:.1f} dB at most)",
              f"the added noise is not white: its power differs by {spread:.0f} dB between frequency bands (pink, "
              "brown or babble noise?); use white noise, sm.load_example('white_noise')")
    value = si_sdr(y, target)
    if fb.expect(abs(value - score_db) <= tolerance_db,
                 f"SI-SDR {value:.2f} dB, within {tolerance_db:g} dB of {score_db:.2f} dB",
                 f"SI-SDR {value:.2f} dB, but {score_db:.2f} dB ± {tolerance_db:g} was asked for"):
        if not fb.wrong:
            fb.ok("now listen: the same number, a different sound")
        return None
    return ("More noise lowers SI-SDR, less noise raises it; the SNR you mix at is close to the SI-SDR you get"
            if value < score_db + 20 else None)
