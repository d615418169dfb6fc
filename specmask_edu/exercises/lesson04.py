"""Exercises of ``notebooks/04_complex_masks.ipynb``: the cIRM from its real and imaginary parts (04.1),
bounding a complex mask (04.2), the share of bins with |M| > 1 (04.3) and the prediction "where are those
bins?"."""

from __future__ import annotations

import numpy as np

from .framework import Stop, as_array, exercise, forbid, prediction

__all__ = ["check_cirm", "check_bounded_mask", "check_share_above_one"]


@exercise("04.1", "The cIRM from its real and imaginary parts", answer="my_cirm", solution="""
den = np.maximum(Y.real**2 + Y.imag**2, 1e-24)
my_cirm = (Y.real * S.real + Y.imag * S.imag) / den + 1j * (Y.real * S.imag - Y.imag * S.real) / den
""", hint="Multiply S / Y above and below by the conjugate of Y: the denominator becomes Yr² + Yi² (real), the "
          "numerator S·conj(Y) gives the real part Yr·Sr + Yi·Si and the imaginary part Yr·Si − Yi·Sr; guard the "
          "denominator against silent bins.")
def check_cirm(fb, my_cirm, target_stft, mixture_stft):
    """Exercise 04.1: the complex ideal ratio mask :math:`S/Y` written from real and imaginary parts
    (complex, same shape, gives back the target), without ``S / Y`` or the package's function."""
    from ..masks import complex_ideal_ratio_mask, ideal_amplitude_mask, phase_sensitive_mask

    S, Y = np.asarray(target_stft), np.asarray(mixture_stft)
    M = as_array(fb, my_cirm, "my_cirm", ndim=2, complex_ok=True)
    if not fb.expect(M.shape == S.shape, f"shape {M.shape} matches the STFTs", f"shape {M.shape}, expected {S.shape}"):
        raise Stop
    if forbid(fb, my_cirm, "my_cirm", {
            r"\b(complex_ideal_ratio_mask|cirm|oracle_mask)\s*\(": "it calls the package's cIRM; the exercise is to "
                                                                  "write it from the real and imaginary parts",
            r"(?<![\w.])S\s*/\s*Y(?![\w.])|np\.divide\(\s*S\s*,\s*Y\s*\)": "it divides S / Y directly; the exercise "
            "is to write the real and imaginary parts with S.real, S.imag, Y.real, Y.imag"}):
        raise Stop
    active = np.abs(Y) > 1e-10
    if not np.iscomplexobj(M):
        if np.allclose(M[active], phase_sensitive_mask(S, Y, truncate=None)[active], atol=1e-4):
            fb.fail("this is only the real part of S/Y (the raw PSM); add the imaginary part: 1j * (...)")
        elif np.allclose(M[active], ideal_amplitude_mask(S, Y)[active], atol=1e-4):
            fb.fail("this is |S|/|Y| (the IAM): the cIRM is complex, it also carries the phase rotation")
        else:
            fb.fail("the mask is real-valued; the cIRM is complex (it rotates the phase as well as scaling)")
        raise Stop
    fb.ok("it is complex")
    expected = complex_ideal_ratio_mask(S, Y)
    if fb.expect(np.allclose(M[active], expected[active], rtol=1e-6, atol=1e-6),
                 "it equals S / Y, so M·Y gives back the target exactly", "it is not S / Y"):
        return None
    if np.allclose(M[active], np.conj(expected[active]), rtol=1e-6, atol=1e-6):
        fb.fail("it is the complex conjugate of S/Y: the sign of the imaginary part is flipped "
                "(it is Yr·Si − Yi·Sr)")
    elif np.allclose(M[active] * S[active], Y[active], rtol=1e-4, atol=1e-9):
        fb.fail("it is Y / S, upside down: the mask turns the mixture into the target, so M = S / Y")
    elif np.allclose(M[active], expected[active] * np.abs(Y[active]) ** 2, rtol=1e-4, atol=1e-12):
        fb.fail("the division by Yr² + Yi² = |Y|² is missing")
    return None


@exercise("04.2", "Bound a complex mask", answer="my_bounded", solution="""
my_bounded = np.tanh(np.abs(M)) * np.exp(1j * np.angle(M))
""", hint="Bounding squashes the magnitude and keeps the phase: apply tanh to |M| only, then give the result "
          "the phase of M again in polar form (magnitude · e^{j·phase}).")
def check_bounded_mask(fb, my_bounded, mask):
    """Exercise 04.2: :math:`\\tanh(|M|)\\,e^{j\\angle M}` (magnitude below 1, phase unchanged), with NumPy."""
    from ..masks import bound_complex_mask

    M = np.asarray(mask)
    B = as_array(fb, my_bounded, "my_bounded", ndim=2, complex_ok=True)
    if not fb.expect(B.shape == M.shape, f"shape {B.shape} matches the mask", f"shape {B.shape}, expected {M.shape}"):
        raise Stop
    if forbid(fb, my_bounded, "my_bounded", {r"\bbound_complex_mask\s*\(": "it calls sm.bound_complex_mask; the "
                                             "exercise is to write it with np.tanh, np.abs, np.angle and np.exp"}):
        raise Stop
    fb.expect(np.max(np.abs(B)) < 1.0 + 1e-9, "every magnitude is below 1",
              f"magnitudes reach {np.max(np.abs(B)):.3g}; a bounded mask stays below 1")
    expected = bound_complex_mask(M)
    if fb.expect(np.allclose(B, expected, atol=1e-8), "it is tanh(|M|)·exp(j∠M): bounded, with the cIRM's phase",
                 "it is not tanh(|M|)·exp(j∠M)"):
        return None
    big = np.abs(M) > 1e-6
    if np.allclose(B, np.tanh(np.abs(M)) * np.exp(np.angle(M)), atol=1e-8):
        fb.fail("np.exp(angle) without 1j: e^{angle} is a real gain, not a rotation; the polar form needs "
                "e^{j·angle}")
    elif not np.iscomplexobj(B):
        fb.fail("it is real-valued: the phase of M was lost; give it back in polar form, with e^{j∠M}")
    elif np.allclose(B, np.tanh(M.real) + 1j * np.tanh(M.imag), atol=1e-8):
        fb.fail("tanh was applied to the real and imaginary parts separately (that is compression, "
                "compress_mask); bounding squashes the magnitude |M| and keeps the phase")
    elif np.allclose(B, np.tanh(M), atol=1e-8):
        fb.fail("np.tanh(M) of the complex number changes the phase too; apply tanh to np.abs(M) only")
    elif np.allclose(np.abs(B[big]), np.tanh(np.abs(M[big])), atol=1e-8):
        fb.fail("the magnitude is right but the phase is not that of M: use np.angle(M)")
    return None


@exercise("04.3", "Where does bounding lose?", answer="my_share", solution="""
my_share = np.mean(np.abs(M) > 1)
""", hint="The share is the number of bins whose cIRM magnitude |M| exceeds 1, divided by the number of all "
          "bins: a number between 0 and 1. A boolean array counts True as 1.")
def check_share_above_one(fb, my_share, mask):
    """Exercise 04.3: the share (0 to 1) of bins where :math:`|M| > 1`, which a bounded mask cannot reach."""
    M = np.asarray(mask)
    try:
        value = float(my_share)
    except (TypeError, ValueError):
        fb.fail(f"`my_share` should be one number between 0 and 1, got a {type(my_share).__name__}.")
        raise Stop from None
    expected = float(np.mean(np.abs(M) > 1))
    if abs(value - expected) <= 0.005:
        fb.ok(f"{100 * expected:.1f} % of the bins have |S| > |Y|: there the interference partly cancels the "
              "target, and only a mask that can amplify gets the target back")
        return None
    if abs(value - 100 * expected) <= 0.5:
        fb.fail(f"{value:.1f} looks like a percentage; give the share as a fraction between 0 and 1")
    elif abs(value - float(np.sum(np.abs(M) > 1))) < 0.5:
        fb.fail(f"{value:.0f} is the number of bins; divide by the total number of bins (np.mean does both)")
    elif abs(value - float(np.mean(np.abs(M.real) > 1))) <= 0.005:
        fb.fail("you counted the real part only; the bound is on the magnitude np.abs(M)")
    elif abs(value - (1 - expected)) <= 0.005:
        fb.fail("that is the share of bins with |M| <= 1, the opposite")
    else:
        fb.fail(f"{value:.3f} is not the share of bins with |M| > 1")
    return None


@prediction("04.3", "where are most bins with |M| > 1: where the target dominates, where target and babble "
                    "have similar levels, or where the babble dominates?",
            choices={"target dominates": ("target", "target-dominated", "target dominated"),
                     "similar levels": ("similar", "similar level", "equal", "equal levels"),
                     "babble dominates": ("babble", "babble-dominated", "noise", "interference")})
def _predict_where_above_one(target_stft, mixture_stft):
    from ..masks import complex_ideal_ratio_mask

    S, Y = np.asarray(target_stft), np.asarray(mixture_stft)
    M = np.abs(complex_ideal_ratio_mask(S, Y))
    N = Y - S
    local = 10 * np.log10(np.maximum(np.abs(S) ** 2, 1e-30) / np.maximum(np.abs(N) ** 2, 1e-30))
    shares = {}
    for limit in (1.0, 2.0):
        sel = M > limit
        shares[limit] = {"target dominates": float(np.mean(local[sel] > 3)),
                         "similar levels": float(np.mean(np.abs(local[sel]) <= 3)),
                         "babble dominates": float(np.mean(local[sel] < -3))}
    truth = max(shares[1.0], key=shares[1.0].get)
    dominated = local > 3
    above_in_dominated = float(np.mean(M[dominated] > 1)) if dominated.any() else 0.0
    one, two = shares[1.0], shares[2.0]
    return truth, (f"of the bins with |M| > 1, {100 * one['target dominates']:.0f} % have the target more than 3 dB "
                   f"above the babble, {100 * one['similar levels']:.0f} % are within ±3 dB and "
                   f"{100 * one['babble dominates']:.0f} % have the babble more than 3 dB above. |M| > 1 only needs "
                   f"the babble to point partly against the target, which happens in {100 * above_in_dominated:.0f} % of the "
                   "target-dominated bins, and there are many of those. Large gains are different: of the bins with "
                   "|M| > 2, "
                   f"{100 * two['similar levels']:.0f} % are within ±3 dB, where target and babble can nearly cancel")
