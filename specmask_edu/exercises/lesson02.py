"""Exercises of ``notebooks/02_real_masks.ipynb``: a low-pass mask (02.1), the IRM from its formula (02.2),
separating with the IBM (02.3), and the prediction "which local criterion keeps more babble?"."""

from __future__ import annotations

import numpy as np

from .framework import Stop, as_array, as_waveform_answer, exercise, forbid, is_close, prediction

__all__ = ["check_lowpass_mask", "check_irm", "check_ibm_estimate"]


@exercise("02.1", "A low-pass mask by hand", answer="my_mask", solution="""
freqs = config.frequencies(sr)                    # Hz of each bin
my_mask = np.zeros(Y.shape)
my_mask[freqs < 1000, :] = 1.0                    # keep everything below 1 kHz, in every frame
""", hint="config.frequencies(sr) gives each bin's frequency in Hz; the mask is 1 where that is below the cutoff "
          "and 0 above, in every frame.")
def check_lowpass_mask(fb, my_mask, shape, config, sr, cutoff_hz=1000.0):
    """Exercise 02.1: a {0, 1} mask that keeps the bins below ``cutoff_hz`` in every frame."""
    M = as_array(fb, my_mask, "my_mask", ndim=2)
    shape = tuple(shape)
    if M.shape != shape:
        fb.fail(f"shape {M.shape} but the STFT is {shape}" + (" (transposed?)" if M.shape == shape[::-1] else ""))
        raise Stop
    fb.ok(f"shape {shape} matches the STFT")
    freqs = config.frequencies(sr)
    below, above = freqs < cutoff_hz, freqs > cutoff_hz
    low_ok = np.allclose(M[below], 1.0)
    high_ok = np.allclose(M[above], 0.0)
    if np.allclose(M[below], 0.0) and np.allclose(M[above], 1.0):
        fb.fail("it keeps the highs and removes the lows: that is a high-pass mask (swap 0 and 1)")
        raise Stop
    fb.expect(low_ok, f"1 for every bin below {cutoff_hz:g} Hz", f"not 1 everywhere below {cutoff_hz:g} Hz")
    fb.expect(high_ok, f"0 for every bin above {cutoff_hz:g} Hz", f"not 0 everywhere above {cutoff_hz:g} Hz")
    if not (low_ok and high_ok):
        kept = np.flatnonzero(M.mean(axis=1) > 0.5)
        # M[:1000] = 1 keeps every bin when there are fewer than 1000 of them
        used_as_index = kept.size and (abs(kept.max() + 1 - cutoff_hz) < 2
                                       or (cutoff_hz >= M.shape[0] and kept.size == M.shape[0]))
        if used_as_index:
            return (f"It looks like you used the cutoff as a bin index ({cutoff_hz:g} is a frequency in Hz, not a "
                    "bin number); convert Hz to bins with config.frequencies(sr) (bin k is at k * sr / n_fft Hz).")
    return None


@exercise("02.2", "The ideal ratio mask from its formula", answer="my_irm", solution="""
N = Y - S
my_irm = (np.abs(S)**2 / np.maximum(np.abs(S)**2 + np.abs(N)**2, 1e-24)) ** 0.5
""", hint="IRM = (|S|² / (|S|² + |N|²)) ** beta with N = Y - S; guard the division for silent bins.")
def check_irm(fb, my_irm, target_stft, mixture_stft, beta=0.5):
    """Exercise 02.2: the IRM with exponent ``beta`` computed from the target and mixture STFTs (NumPy only)."""
    from ..masks import ideal_amplitude_mask, ideal_ratio_mask

    S, Y = np.asarray(target_stft), np.asarray(mixture_stft)
    M = as_array(fb, my_irm, "my_irm", ndim=2)
    if not fb.expect(M.shape == S.shape, f"shape {M.shape} matches the STFTs",
                     f"shape {M.shape} but the STFTs are {S.shape}"):
        raise Stop
    if forbid(fb, my_irm, "my_irm", {r"\b(ideal_ratio_mask|irm|wiener_mask|oracle_mask)\s*\(":
                                     "it calls the package's mask function; the exercise is to write the formula "
                                     "with NumPy"}):
        raise Stop
    fb.expect(M.min() >= -1e-9 and M.max() <= 1 + 1e-9, "values are within [0, 1]",
              f"values go from {M.min():.3g} to {M.max():.3g}, but an IRM is within [0, 1]")
    expected = ideal_ratio_mask(S, Y, beta=beta)
    active = np.abs(S) ** 2 + np.abs(Y - S) ** 2 > 1e-20  # silent bins may take any guarded value
    if fb.expect(np.allclose(M[active], expected[active], atol=1e-4), f"matches the IRM with beta = {beta:g}",
                 f"does not match the IRM with beta = {beta:g}"):
        return None
    candidates = {
        "the Wiener mask (beta = 1): raise the ratio to the power beta": ideal_ratio_mask(S, Y, beta=1.0),
        "a ratio of magnitudes |S|/(|S|+|N|): the IRM uses powers (squared magnitudes)":
            np.abs(S) / np.maximum(np.abs(S) + np.abs(Y - S), 1e-12),
        "the IAM |S|/|Y|: the denominator is |S|² + |N|² with N = Y - S, not |Y|²": ideal_amplitude_mask(S, Y),
        "the IAM |S|/|Y| clipped to [0, 1]: the IRM's denominator is |S|² + |N|² with N = Y - S, not |Y|²":
            np.clip(ideal_amplitude_mask(S, Y), 0, 1),
        "(|S|²/|Y|²)^beta: the denominator is |S|² + |N|² with N = Y - S, not |Y|²":
            np.clip(ideal_amplitude_mask(S, Y) ** 2, 0, None) ** beta,
        "built with |Y|² where |S|² belongs (|Y|²/(|Y|² + |N|²)): the numerator is the target's power |S|²":
            (np.abs(Y) ** 2 / np.maximum(np.abs(Y) ** 2 + np.abs(Y - S) ** 2, 1e-24)) ** beta,
        "built with N = Y (the mixture as the noise): the noise is N = Y - S":
            (np.abs(S) ** 2 / np.maximum(np.abs(S) ** 2 + np.abs(Y) ** 2, 1e-24)) ** beta,
    }
    for message, candidate in candidates.items():
        if candidate.shape == M.shape and np.allclose(M[active], candidate[active], atol=1e-4):
            fb.fail(f"it is {message}")
            break
    return None


@exercise("02.3", "Separate with the IBM", answer="my_estimate", solution="""
S, Y = sm.stft(target, config), sm.stft(mixture, config)
my_estimate = sm.separate(mixture, sm.ideal_binary_mask(S, Y, lc_db=-6), config)
""", hint="Three steps: the STFTs of the target and of the mixture; the ideal binary mask from them at the "
          "local criterion; the masked mixture back to a waveform of the mixture's length (sm.separate does "
          "the masking and the inverse STFT).")
def check_ibm_estimate(fb, my_estimate, target, mixture, lc_db=-6.0, config=None):
    """Exercise 02.3: the waveform separated from ``mixture`` with the IBM at ``lc_db``."""
    from ..masks import ideal_binary_mask
    from ..metrics import si_sdr
    from ..separation import separate
    from ..stft import STFTConfig, stft

    cfg = config if config is not None else STFTConfig()
    target, mixture = np.asarray(target, float), np.asarray(mixture, float)
    y = as_waveform_answer(fb, my_estimate, "my_estimate", mixture.size, "the mixture",
                           "length=len(mixture) (or use sm.separate, which does the whole way)", config=cfg)
    S, Y = stft(target, cfg), stft(mixture, cfg)
    mask = ideal_binary_mask(S, Y, lc_db=lc_db)
    expected = separate(mixture, mask, cfg)
    if fb.expect(is_close(y, expected, 1e-4), f"it is the IBM estimate with LC = {lc_db:g} dB "
                 f"(SI-SDR {si_sdr(expected, target):.1f} dB against the mixture's {si_sdr(mixture, target):.1f} dB)",
                 f"it is not the IBM estimate with LC = {lc_db:g} dB"):
        return None
    if is_close(y, mixture, 1e-6):
        fb.fail("it is the unchanged mixture: the mask was not applied")
    elif is_close(y, target, 1e-6):
        fb.fail("it is the clean target itself: the point is what the mask gets out of the mixture")
    elif is_close(y, separate(target, mask, cfg), 1e-4):
        fb.fail("the mask was applied to the target; a mask acts on the mixture (the target is unknown in practice)")
    elif is_close(y, separate(mixture, ideal_binary_mask(S, Y - S, lc_db=lc_db), cfg), 1e-4):
        fb.fail("the mask was computed from the target and the interference (Y - S); the mask functions take the "
                "target STFT and the mixture STFT and work out the interference themselves")
    else:
        for other in (0.0, -lc_db):
            if is_close(y, separate(mixture, ideal_binary_mask(S, Y, lc_db=other), cfg), 1e-4):
                fb.fail(f"it is the IBM with LC = {other:g} dB; use lc_db={lc_db:g}")
                break
    return None


@prediction("02.3", "which local criterion keeps more babble?",
            choices={"LC -6 dB": ("-6", "-6 dB", "lc=-6", "lc-6", "minus 6"), "LC 0 dB": ("0", "0 dB", "lc=0", "lc0")})
def _predict_babble_kept(target, mixture, config=None):
    from ..masks import ideal_binary_mask
    from ..stft import STFTConfig, istft, stft

    cfg = config if config is not None else STFTConfig()
    target, mixture = np.asarray(target, float), np.asarray(mixture, float)
    S, Y = stft(target, cfg), stft(mixture, cfg)
    N = Y - S
    kept = {}
    for lc in (-6.0, 0.0):
        mask = ideal_binary_mask(S, Y, lc_db=lc)
        babble = istft(mask * N, cfg, length=mixture.size)
        kept[lc] = (10 * np.log10(np.sum(babble ** 2) / np.sum((mixture - target) ** 2)), float(mask.mean()))
    truth = "LC -6 dB" if kept[-6.0][0] > kept[0.0][0] else "LC 0 dB"
    return truth, (f"the mask at LC = −6 dB keeps every bin where the target is at most 6 dB weaker than the babble: "
                   f"{100 * kept[-6.0][1]:.0f} % of the bins against {100 * kept[0.0][1]:.0f} % at 0 dB. The extra bins "
                   f"are babble-dominated, so it keeps more babble: what is left of the babble in its estimate is "
                   f"{kept[-6.0][0]:.1f} dB relative to the whole babble, against {kept[0.0][0]:.1f} dB at LC = 0 dB. "
                   "In exchange it cuts less of the speech")
