"""Exercises of ``notebooks/03_phase_matters.ipynb``: the exact magnitude with the mixture phase (03.1), the
phase-sensitive mask (03.2), Griffin-Lim from the mixture phase (03.3) and the prediction "which start
converges further?"."""

from __future__ import annotations

import numpy as np

from .framework import Stop, as_array, as_waveform_answer, exercise, forbid, is_close, prediction, rel_error

__all__ = ["check_mixture_phase_estimate", "check_psm", "check_griffin_lim"]


@exercise("03.1", "The exact magnitude with the mixture phase", answer="my_estimate", solution="""
my_estimate = sm.istft(np.abs(S) * np.exp(1j * np.angle(Y)), config, length=len(target))
""", hint="Polar form: the target's magnitude times e^{j·(the mixture's phase)} is a complex STFT; go back with "
          "the inverse STFT at the target's length.")
def check_mixture_phase_estimate(fb, my_estimate, target, mixture, config=None):
    r"""Exercise 03.1: ``istft(|S| e^{j∠Y})``, what the IAM produces: every bin's magnitude exactly right, the
    mixture's phase kept (the best *magnitude* estimate with the mixture phase, not the best real mask)."""
    from ..masks import phase_sensitive_mask
    from ..metrics import si_sdr
    from ..separation import separate
    from ..stft import STFTConfig, istft, stft

    cfg = config if config is not None else STFTConfig()
    target, mixture = np.asarray(target, float), np.asarray(mixture, float)
    y = as_waveform_answer(fb, my_estimate, "my_estimate", target.size, "the target", "length=len(target) to sm.istft",
                           config=cfg)
    S, Y = stft(target, cfg), stft(mixture, cfg)
    expected = istft(np.abs(S) * np.exp(1j * np.angle(Y)), cfg, length=target.size)
    score = si_sdr(expected, target)
    if fb.expect(is_close(y, expected, 1e-4),
                 f"it is |S| with the mixture phase (the IAM's estimate): SI-SDR {score:.1f} dB",
                 "it is not |S| combined with the mixture phase"):
        raw_psm = si_sdr(separate(mixture, phase_sensitive_mask(S, Y, truncate=None), cfg), target)
        better = "more" if raw_psm > score else "no more"
        fb.ok(f"it is the best magnitude estimate with the mixture phase (per bin exactly |S|), not the best real "
              f"mask: the raw phase-sensitive mask, which also turns bins down where the mixture phase is wrong, "
              f"scores {raw_psm:.1f} dB here ({better} than the exact magnitude; section 4)")
        return None
    if is_close(y, target, 1e-4):
        fb.fail("it equals the clean target: you used the clean phase, which a real mask never has")
    elif is_close(y, mixture, 1e-4):
        fb.fail("it is the mixture: that is |Y| where |S| was meant; take the target's magnitude np.abs(S)")
    elif is_close(y, istft((np.abs(S) * np.exp(np.angle(Y))).astype(complex), cfg, length=target.size), 1e-4):
        fb.fail("np.exp(phase) without 1j: e^{phase} is a real gain, not a rotation; the polar form is "
                "magnitude * np.exp(1j * phase)")
    elif is_close(y, istft(np.abs(S) + 0j, cfg, length=target.size), 1e-4):
        fb.fail("it has zero phase: take the phase of the mixture, np.angle(Y)")
    elif is_close(y, istft(np.abs(Y) * np.exp(1j * np.angle(S)), cfg, length=target.size), 1e-4):
        fb.fail("magnitude and phase are swapped: the mixture's magnitude |Y| with the target's phase; it is the "
                "target's magnitude |S| with the mixture's phase")
    return None


@exercise("03.2", "The phase-sensitive mask", answer="my_psm", solution="""
my_psm = np.clip(np.abs(S) / np.maximum(np.abs(Y), 1e-12) * np.cos(np.angle(S) - np.angle(Y)), 0, 1)
""", hint="PSM = |S|/|Y| · cos(∠S − ∠Y) (np.angle gives ∠), then truncated to [0, 1]; guard the division.")
def check_psm(fb, my_psm, target_stft, mixture_stft):
    """Exercise 03.2: the phase-sensitive mask truncated to [0, 1], written with NumPy."""
    from ..masks import ideal_amplitude_mask, phase_sensitive_mask

    S, Y = np.asarray(target_stft), np.asarray(mixture_stft)
    M = as_array(fb, my_psm, "my_psm", ndim=2)
    if not fb.expect(M.shape == S.shape, f"shape {M.shape} matches the STFTs", f"shape {M.shape}, expected {S.shape}"):
        raise Stop
    if forbid(fb, my_psm, "my_psm", {r"\b(phase_sensitive_mask|psm|oracle_mask)\s*\(":
                                     "it calls the package's phase_sensitive_mask; the exercise is to write the "
                                     "formula with NumPy"}):
        raise Stop
    active = np.abs(Y) > 1e-10
    expected = phase_sensitive_mask(S, Y)
    if fb.expect(np.allclose(M[active], expected[active], atol=1e-4), "it is the PSM, truncated to [0, 1]",
                 "it is not the truncated PSM"):
        return None
    raw = phase_sensitive_mask(S, Y, truncate=None)
    if np.allclose(M[active], raw[active], atol=1e-4):
        fb.fail(f"this is the raw PSM (from {raw.min():.2g} to {raw.max():.2g}); truncate it with np.clip(..., 0, 1)")
    elif np.allclose(M[active], ideal_amplitude_mask(S, Y)[active], atol=1e-4) or np.allclose(
            M[active], np.clip(ideal_amplitude_mask(S, Y), 0, 1)[active], atol=1e-4):
        fb.fail("this is the IAM |S|/|Y|: the PSM also multiplies by cos(∠S − ∠Y)")
    elif np.allclose(M[active], np.clip(ideal_amplitude_mask(S, Y) * np.cos(np.angle(S) + np.angle(Y)), 0, 1)[active],
                     atol=1e-4):
        fb.fail("the cosine takes the phase difference ∠S − ∠Y, not the sum")
    return None


@exercise("03.3", "Griffin-Lim from the mixture phase", answer="my_estimate_gl", solution="""
phi = np.angle(Y)                                   # start from the mixture phase
for i in range(20):
    x_i = sm.istft(np.abs(S) * np.exp(1j * phi), config, length=len(target))
    phi = np.angle(sm.stft(x_i, config))            # keep the re-analysed phase, put |S| back
my_estimate_gl = sm.istft(np.abs(S) * np.exp(1j * phi), config, length=len(target))
# or: sm.griffin_lim(np.abs(S), n_iter=20, initial_phase=np.angle(Y), config=config, length=len(target))
""", hint="Start from the mixture's phase; each iteration goes to a waveform with |S| and the current phase, "
          "back to an STFT, and keeps that STFT's phase. The package's sm.griffin_lim does the same (with "
          "momentum) and takes the initial phase as an argument.")
def check_griffin_lim(fb, my_estimate_gl, target, mixture, n_iter=20, config=None):
    """Exercise 03.3: ``n_iter`` Griffin-Lim iterations on ``|S|`` starting from the mixture phase.

    Accepted: the update of the lesson's formula (Griffin & Lim 1984, no momentum) and the fast variant
    with momentum (``sm.griffin_lim``'s default), written by hand or with the package, with ``n_iter``
    iterations give or take one.
    """
    from ..metrics import si_sdr
    from ..phase import griffin_lim, spectral_convergence_db
    from ..stft import STFTConfig, stft

    cfg = config if config is not None else STFTConfig()
    target, mixture = np.asarray(target, float), np.asarray(mixture, float)
    y = as_waveform_answer(fb, my_estimate_gl, "my_estimate_gl", target.size, "the target", "length=len(target)",
                           config=cfg)
    S, Y = stft(target, cfg), stft(mixture, cfg)
    # the lesson's update (momentum 0) and the package's fast default; one iteration more or less changes the
    # waveform by about 0.5 % (momentum 0) or 1.3 % (fast), a different start or count by far more
    variants = {momentum: griffin_lim(np.abs(S), n_iter=n_iter, initial_phase=np.angle(Y), config=cfg,
                                      length=target.size, momentum=momentum) for momentum in (0.0, 0.99)}
    errors = {momentum: rel_error(y, v) for momentum, v in variants.items()}
    best = min(errors, key=errors.get)
    sc = spectral_convergence_db(y, np.abs(S), cfg)
    if fb.expect(errors[best] < 2e-2, f"it is {n_iter} Griffin-Lim iterations from the mixture phase "
                 + ("(the original update, no momentum)" if best == 0 else f"(fast Griffin-Lim, momentum {best:g})"),
                 f"it is not {n_iter} Griffin-Lim iterations on |S| from the mixture phase"):
        fb.ok(f"spectral convergence {sc:.1f} dB: its magnitude is close to |S|")
        return None
    if spectral_convergence_db(y, np.abs(Y), cfg) < sc - 3:
        fb.fail("its magnitude follows |Y|, the mixture's: that is |Y| where |S| was meant (Griffin-Lim gets the "
                "target's magnitude np.abs(S), only the starting phase comes from the mixture)")
        return None
    reference = variants[best]
    sc_ref = spectral_convergence_db(reference, np.abs(S), cfg)
    if si_sdr(y, target) < si_sdr(reference, target) - 6:
        fb.fail(f"its SI-SDR against the target is {si_sdr(y, target):.1f} dB, far below the "
                f"{si_sdr(reference, target):.1f} dB that the mixture phase as a start gives: did it start from zero "
                "or random phase instead of np.angle(Y)?")
    elif sc > sc_ref + 3:
        fb.fail(f"its magnitude is further from |S| ({sc:.1f} dB) than {n_iter} iterations from the mixture phase "
                f"reach ({sc_ref:.1f} dB): fewer iterations?")
    return None


@prediction("03.3", "after 20 iterations, which start is closer to |S|: the mixture phase or zero phase?",
            choices={"mixture phase": ("mixture", "y", "angle(y)", "the mixture phase"),
                     "zero phase": ("zero", "0", "the zero phase")})
def _predict_griffin_lim_start(target, mixture, n_iter=20, config=None):
    from ..phase import griffin_lim, spectral_convergence_db
    from ..stft import STFTConfig, stft

    cfg = config if config is not None else STFTConfig()
    target, mixture = np.asarray(target, float), np.asarray(mixture, float)
    S, Y = stft(target, cfg), stft(mixture, cfg)
    sc = {name: spectral_convergence_db(griffin_lim(np.abs(S), n_iter=n_iter, initial_phase=start, config=cfg,
                                                    length=target.size), np.abs(S), cfg)
          for name, start in (("mixture phase", np.angle(Y)), ("zero phase", "zero"))}
    truth = min(sc, key=sc.get)
    return truth, (f"spectral convergence after {n_iter} iterations: {sc['mixture phase']:.1f} dB from the mixture "
                   f"phase, {sc['zero phase']:.1f} dB from zero phase (lower is closer). The mixture phase is already "
                   "right where the target dominates, so Griffin-Lim only has to repair the rest")
