r"""Self-checks for the exercises of ``notebooks/07_learning_masks.ipynb`` (ids ``07.1`` to ``07.4``).

They use the same machinery as :mod:`specmask_edu.exercises.framework` (``exercise``, ``show_solution``,
instructor mode) but live here because lesson 07 needs PyTorch and the core package must not import it.
Importing this module registers the four exercises, so ``sm.exercises.show_solution("07.2")`` works
after ``from specmask_edu.learn import exercises``.
"""

from __future__ import annotations

import numpy as np

from ..exercises.framework import Stop, as_array, as_number, call_student_function, exercise

__all__ = ["check_output_size", "check_psa_loss", "check_compressed_target", "check_share_of_oracle"]


# --------------------------------------------------------------------------- 07.1


@exercise("07.1", "How many numbers must the network output?", answer="my_n_outputs", solution="""
my_n_outputs = 2 * (512 // 2 + 1)     # real and imaginary part for each of the 257 bins
""", hint="Count the frequency bins of one STFT frame (n_fft // 2 + 1), then ask how many "
          "real numbers one complex mask value needs.")
def check_output_size(fb, my_n_outputs, n_fft=512, complex_mask=True):
    """Exercise 07.1: outputs per frame of a mask estimator (``2 * (n_fft // 2 + 1)`` for a complex mask)."""
    try:
        value = float(my_n_outputs)
    except (TypeError, ValueError):
        fb.fail(f"`my_n_outputs` should be one whole number, got a {type(my_n_outputs).__name__}")
        raise Stop from None
    bins = n_fft // 2 + 1
    expected = 2 * bins if complex_mask else bins
    if fb.expect(value == expected, f"{expected}: {bins} bins × {2 if complex_mask else 1} number(s) per bin",
                 f"{value:g} is not the number of outputs"):
        return None
    if value == bins and complex_mask:
        fb.fail(f"{bins} is right for a real mask (one gain per bin); a complex mask needs a real and an imaginary "
                "part for each bin")
    elif value == 2 * bins and not complex_mask:
        fb.fail("a real mask needs only one number per bin")
    elif value in (n_fft, 2 * n_fft, n_fft // 2, n_fft + 2):
        fb.fail(f"a real signal's STFT keeps only the non-negative frequencies: n_fft // 2 + 1 = {bins} bins per frame")
    return None


# --------------------------------------------------------------------------- 07.2


def _psa_reference(mask, Y, S):
    wanted = np.abs(S) * np.cos(np.angle(S) - np.angle(Y))
    return float(np.mean((mask * np.abs(Y) - wanted) ** 2))


@exercise("07.2", "The phase-sensitive signal-approximation loss", answer="my_psa_loss", solution="""
def my_psa_loss(mask, Y, S):
    wanted = np.abs(S) * np.cos(np.angle(S) - np.angle(Y))
    return np.mean((mask * np.abs(Y) - wanted) ** 2)
""", hint="Apply the mask to the mixture magnitude (mask * |Y|) and compare it with the part of the target that "
          "points along the mixture, |S|·cos(angle S − angle Y); average the squared differences.")
def check_psa_loss(fb, my_psa_loss):
    r"""Exercise 07.2: ``my_psa_loss(mask, Y, S)`` returns
    :math:`\frac{1}{KM}\sum (M|Y| - |S|\cos(\angle S - \angle Y))^2` for a real mask (NumPy arrays)."""
    rng = np.random.default_rng(72)
    shape = (33, 20)
    Y = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    S = 0.6 * Y + 0.5 * (rng.standard_normal(shape) + 1j * rng.standard_normal(shape))
    mask = rng.uniform(0, 1, shape)
    value = call_student_function(fb, my_psa_loss, "my_psa_loss", mask.copy(), Y.copy(), S.copy())
    value = as_number(fb, value.detach() if hasattr(value, "detach") else value, "my_psa_loss", unit="")
    expected = _psa_reference(mask, Y, S)
    if fb.expect(abs(value - expected) <= 1e-6 * max(1.0, abs(expected)), f"{value:.5f} on random test data",
                 f"{value:.5f} on random test data, expected {expected:.5f}"):
        psm = np.real(S * np.conj(Y)) / np.abs(Y) ** 2
        best = call_student_function(fb, my_psa_loss, "my_psa_loss", psm, Y.copy(), S.copy())
        best = as_number(fb, best.detach() if hasattr(best, "detach") else best, "my_psa_loss", unit="")
        fb.expect(abs(best) < 1e-9, "0 when the mask is the raw PSM Re(S/Y): per bin, the PSM is the best real mask "
                  "(the sense this loss measures)", f"{best:.3g} for the raw PSM, expected 0")
        return None
    magnitude = float(np.mean((mask * np.abs(Y) - np.abs(S)) ** 2))
    complex_error = float(np.mean(np.abs(mask * Y - S) ** 2))
    mask_error = float(np.mean((mask - np.real(S / Y)) ** 2))
    if abs(value - magnitude) <= 1e-6 * max(1.0, magnitude):
        fb.fail("that is the magnitude SA loss (target |S|): multiply |S| by cos(angle S − angle Y), the part of "
                "the target in the direction of the mixture")
    elif abs(value - complex_error) <= 1e-6 * max(1.0, complex_error):
        fb.fail("that is the complex-spectrum error |M·Y − S|²: for a real mask it is the PSA loss plus a "
                "constant (the part of S at right angles to Y, which no real mask can reach); drop that part")
    elif abs(value - mask_error) <= 1e-6 * max(1.0, mask_error):
        fb.fail("that compares masks (mask approximation); apply the mask to |Y| and compare spectra instead")
    elif abs(value - expected * mask.size) <= 1e-6 * max(1.0, expected * mask.size):
        fb.fail("that is the sum; take the mean over all bins (np.mean)")
    elif abs(value - np.sqrt(expected)) <= 1e-6:
        fb.fail("that is the root of the mean squared error; leave out the square root")
    return None


# --------------------------------------------------------------------------- 07.3


@exercise("07.3", "The compressed cIRM training target", answer="my_target", solution="""
M = S / Y                      # or sm.complex_ideal_ratio_mask(S, Y)
my_target = K * np.tanh(C * M.real / 2) + 1j * K * np.tanh(C * M.imag / 2)
""", hint="Compute the cIRM M = S / Y, then compress its real and imaginary parts separately: "
          "K·tanh(C·Re(M)/2) + j·K·tanh(C·Im(M)/2).")
def check_compressed_target(fb, my_target, target_stft, mixture_stft, K=10.0, C=0.1):
    """Exercise 07.3: the compressed cIRM :math:`K\\tanh(C\\,\\mathrm{Re}M/2) + jK\\tanh(C\\,\\mathrm{Im}M/2)`."""
    from ..masks import complex_ideal_ratio_mask, compress_mask

    S, Y = np.asarray(target_stft), np.asarray(mixture_stft)
    T = as_array(fb, my_target, "my_target", ndim=2, complex_ok=True)
    if not fb.expect(T.shape == Y.shape, f"shape {T.shape} matches the STFTs", f"shape {T.shape}, expected {Y.shape}"):
        raise Stop
    M = complex_ideal_ratio_mask(S, Y)
    expected = compress_mask(M, K, C)
    active = np.abs(Y) > 1e-8
    if not np.iscomplexobj(T):
        fb.fail("the target is real; the cIRM is complex, so its compressed version is complex too "
                "(compress real and imaginary parts separately)")
        raise Stop
    if fb.expect(np.allclose(T[active], expected[active], rtol=1e-6, atol=1e-6),
                 f"it equals compress_mask(S / Y, K={K:g}, C={C:g}): every value lies in (−{K:g}, {K:g})",
                 "it is not the compressed cIRM"):
        return None
    if np.allclose(T[active], M[active], rtol=1e-6, atol=1e-6):
        fb.fail("this is the cIRM itself, not compressed: apply K·tanh(C·x/2) to its real and imaginary parts")
    elif np.allclose(T[active], compress_mask(M, K, 2 * C)[active], rtol=1e-6, atol=1e-6):
        fb.fail("the factor 1/2 inside the tanh is missing: K·tanh(C·x/2)")
    elif np.allclose(T[active], K * np.tanh(C * M[active] / 2), rtol=1e-6, atol=1e-6):
        fb.fail("np.tanh of a complex number is not the same: compress the real and the imaginary part separately")
    elif np.allclose(T[active], compress_mask(M, C, K)[active], rtol=1e-6, atol=1e-6):
        fb.fail("K and C are swapped: K is the range (outside the tanh), C the steepness (inside)")
    elif np.allclose(T[active], np.conj(expected[active]), rtol=1e-6, atol=1e-6):
        fb.fail("the imaginary part has the wrong sign: the cIRM is S / Y, not its conjugate")
    return None


# --------------------------------------------------------------------------- 07.4


@exercise("07.4", "How much of the oracle did the model reach?", answer="my_share", solution="""
rows = evaluation.table()
my_share = rows["learned PSM (MLP)"]["SI-SDRi"] / rows["oracle IRM"]["SI-SDRi"]
""", hint="Divide the learned model's mean SI-SDR improvement by the oracle's, both from "
          "evaluation.table() (a fraction such as 0.7, not dB and not percent).")
def check_share_of_oracle(fb, my_share, result, learned, oracle="oracle IRM"):
    """Exercise 07.4: the learned mask's mean SI-SDRi divided by the oracle's, from an
    :class:`~specmask_edu.learn.evaluate.EvaluationResult`."""
    rows = result.table()
    for name in (learned, oracle):
        if name not in rows:
            fb.fail(f"the evaluation has no method {name!r}; its methods are {list(rows)}")
            raise Stop
    try:
        share = float(my_share)
    except (TypeError, ValueError):
        fb.fail(f"`my_share` should be one number, got a {type(my_share).__name__}")
        raise Stop from None
    a, b = rows[learned]["SI-SDRi"], rows[oracle]["SI-SDRi"]
    expected = a / b
    if fb.expect(abs(share - expected) <= 0.005, f"{share:.3f}: the learned mask gets {100 * expected:.0f} % of the "
                 f"{oracle}'s improvement ({a:.2f} dB of {b:.2f} dB)", f"{share:.3f} is not the share"):
        return None
    if abs(share - 100 * expected) <= 0.5:
        fb.fail("that is a percentage; give the fraction (divide by 100)")
    elif abs(share - b / a) <= 0.005:
        fb.fail("upside down: learned divided by oracle")
    elif abs(share - (a - b)) <= 0.01 or abs(share - (b - a)) <= 0.01:
        fb.fail("that is a difference in dB; the share is a ratio of the two improvements")
    return None
