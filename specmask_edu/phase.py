r"""Phase experiments (taught in ``notebooks/03_phase_matters.ipynb``).

A complex STFT bin is :math:`X = |X| e^{j\angle X}`. Real-valued masks change only :math:`|X|` and
reuse the mixture phase; these functions let a student hear what each choice of phase does:
the mixture phase, the clean phase, zero phase, random phase, swapped phases, and a phase estimated
from the magnitude alone by Griffin-Lim.
"""

from __future__ import annotations

import numpy as np

from ._validation import (
    SpecmaskInputError,
    as_rng,
    as_stft,
    as_waveform,
    check_int,
    check_number,
    check_positive_int,
    check_same_length,
    check_same_shape,
)
from .masks import polar_mask
from .stft import STFTConfig, _as_config, istft, stft

__all__ = [
    "combine_magnitude_phase",
    "zero_phase",
    "random_phase",
    "rebuild_with_phase",
    "swap_phases",
    "phase_difference",
    "griffin_lim",
    "spectral_convergence_db",
    "quantize_phase",
]


def _as_magnitude(magnitude, name="magnitude"):
    M = np.asarray(magnitude)
    if np.iscomplexobj(M):
        raise SpecmaskInputError(
            f"`{name}` is complex; pass a magnitude, np.abs(X), and give the phase separately."
        )
    M = M.astype(np.float64)
    if M.ndim != 2:
        raise SpecmaskInputError(f"`{name}` must be 2-D (freq, frames), got shape {M.shape}.")
    if not np.all(np.isfinite(M)) or np.any(M < 0):
        raise SpecmaskInputError(f"`{name}` must be finite and >= 0 (it is a magnitude).")
    return M


def combine_magnitude_phase(magnitude, phase) -> np.ndarray:
    r"""Complex STFT :math:`|X| e^{j\phi}` from a magnitude and a phase in radians (same shape)."""
    M = _as_magnitude(magnitude)
    phi = np.asarray(phase, dtype=np.float64)
    if phi.shape != M.shape:
        raise SpecmaskInputError(f"`phase` has shape {phi.shape} but `magnitude` has {M.shape}; they must match.")
    return polar_mask(M, phi)  # the same product as a polar mask A e^{j phi}


def zero_phase(shape) -> np.ndarray:
    """All-zero phase (every bin starts in cosine phase in every frame): sounds buzzy and robotic."""
    return np.zeros(tuple(shape), dtype=np.float64)


def random_phase(shape, rng=None) -> np.ndarray:
    r"""Phase drawn uniformly from :math:`[-\pi, \pi)`: sounds noisy and rough."""
    return as_rng(rng).uniform(-np.pi, np.pi, size=tuple(shape))


_PHASE_CHOICES = ("mixture", "clean", "zero", "random")


def rebuild_with_phase(magnitude, phase: str, mixture_stft=None, target_stft=None,
                       config: STFTConfig | None = None, length: int | None = None, rng=None) -> np.ndarray:
    """Waveform from a magnitude with the ``"mixture"``, ``"clean"``, ``"zero"`` or ``"random"`` phase.

    Parameters
    ----------
    magnitude : ndarray (freq, frames)
        For example the oracle target magnitude ``np.abs(S)`` or a masked mixture magnitude.
    phase : str
        Which phase to attach. ``"mixture"`` needs ``mixture_stft``, ``"clean"`` needs ``target_stft``.
    config, length : as for :func:`specmask_edu.istft`.
    rng : seed or Generator for ``"random"``.
    """
    M = _as_magnitude(magnitude)
    if phase == "mixture":
        if mixture_stft is None:
            raise SpecmaskInputError('phase="mixture" needs `mixture_stft`.')
        phi = np.angle(as_stft(mixture_stft, "mixture_stft"))
    elif phase == "clean":
        if target_stft is None:
            raise SpecmaskInputError('phase="clean" needs `target_stft`.')
        phi = np.angle(as_stft(target_stft, "target_stft"))
    elif phase == "zero":
        phi = zero_phase(M.shape)
    elif phase == "random":
        phi = random_phase(M.shape, rng)
    else:
        raise SpecmaskInputError(f"Unknown phase {phase!r}; choose one of {_PHASE_CHOICES}.")
    return istft(combine_magnitude_phase(M, phi), _as_config(config), length=length)


def swap_phases(a, b, config: STFTConfig | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Swap magnitude and phase between two waveforms of the same length.

    Returns ``(|A| e^{j∠B}, |B| e^{j∠A})`` as waveforms. The classic demonstration (Oppenheim & Lim,
    1981) that much of what we recognise in a sound lives in its phase.
    """
    config = _as_config(config)
    a = as_waveform(a, "a")
    b = as_waveform(b, "b")
    check_same_length(a, b, "a", "b")
    A, B = stft(a, config), stft(b, config)
    ab = istft(combine_magnitude_phase(np.abs(A), np.angle(B)), config, length=len(a))
    ba = istft(combine_magnitude_phase(np.abs(B), np.angle(A)), config, length=len(a))
    return ab, ba


def phase_difference(target_stft, mixture_stft) -> np.ndarray:
    r"""Phase error of the mixture phase per bin, wrapped to :math:`(-\pi, \pi]`.

    .. math:: \Delta\theta = \angle S - \angle Y = \angle (S \bar Y)

    Zero where the target dominates; large where the interference dominates. A real mask
    leaves this error in place; the PSM scales each bin by :math:`\cos\Delta\theta` to account for it.
    """
    S = as_stft(target_stft, "target_stft")
    Y = as_stft(mixture_stft, "mixture_stft")
    check_same_shape(S, Y, "target_stft", "mixture_stft", "Use STFTs made with the same STFTConfig and length.")
    return np.angle(S * np.conj(Y))


def griffin_lim(magnitude, n_iter: int = 32, initial_phase="zero", config: STFTConfig | None = None,
                length: int | None = None, momentum: float = 0.99, rng=None) -> np.ndarray:
    r"""Estimate a signal from a magnitude alone, starting from a chosen phase.

    Fast Griffin-Lim (Perraudin et al., 2013), the algorithm and update rule of ``librosa.griffinlim``:

    .. math::

        x_i = \mathrm{iSTFT}(|X| e^{j\phi_i}),\quad T_i = \mathrm{STFT}(x_i),\quad
        c_i = T_i - \tfrac{\alpha}{1+\alpha}\,T_{i-1},\quad e^{j\phi_{i+1}} = c_i / |c_i|

    Unlike librosa's function (which starts only from zero or random phase), ``initial_phase`` may
    be any phase array, e.g. the mixture phase, which converges much faster.

    Parameters
    ----------
    magnitude : ndarray (freq, frames)
    n_iter : int >= 0
        Iterations; 0 returns the initial estimate.
    initial_phase : "zero", "random" or ndarray (freq, frames) in radians
    momentum : float in [0, 1)
        :math:`\alpha`; 0 gives the original Griffin & Lim (1984) algorithm.

    References
    ----------
    Griffin, D., & Lim, J. (1984). Signal estimation from modified short-time Fourier transform.
    Perraudin, N., Balazs, P., & Søndergaard, P. L. (2013). A fast Griffin-Lim algorithm.
    """
    config = _as_config(config)
    S = _as_magnitude(magnitude)
    n_iter = check_int(n_iter, "n_iter", low=0)
    momentum = check_number(momentum, "momentum", low=0.0, high=1.0, high_open=True,
                            hint="0.99 is fast Griffin-Lim, 0 the original.")
    if isinstance(initial_phase, str):
        if initial_phase == "zero":
            phi = zero_phase(S.shape)
        elif initial_phase == "random":
            phi = as_rng(rng).random(S.shape) * 2.0 * np.pi
        else:
            raise SpecmaskInputError('`initial_phase` must be "zero", "random" or an array of phases.')
    else:
        phi = np.asarray(initial_phase, dtype=np.float64)
        if phi.shape != S.shape:
            raise SpecmaskInputError(f"`initial_phase` has shape {phi.shape}, magnitude has {S.shape}.")
    if length is not None:
        length = check_positive_int(length, "length")
    eps = np.finfo(np.float64).tiny
    angles = S * np.exp(1j * phi)
    previous = None
    for _ in range(int(n_iter)):
        rebuilt = stft(istft(angles, config, length=length), config)
        if rebuilt.shape != S.shape:
            raise SpecmaskInputError(
                "The magnitude's frame count does not match the signal length; pass the original `length`."
            )
        angles = rebuilt.copy()
        if previous is not None:
            angles -= (momentum / (1.0 + momentum)) * previous
        angles /= np.abs(angles) + eps
        angles *= S
        previous = rebuilt
    return istft(angles, config, length=length)


def spectral_convergence_db(x, magnitude, config: STFTConfig | None = None) -> float:
    r"""How far the STFT magnitude of ``x`` is from a wanted ``magnitude``, in dB.

    .. math:: \mathrm{SC} = 20\log_{10}\frac{\big\| |\mathrm{STFT}(x)| - |S| \big\|_F}{\| |S| \|_F}

    The quantity Griffin-Lim makes smaller (more negative is better); taught in
    ``notebooks/03_phase_matters.ipynb``.
    """
    config = _as_config(config)
    A = np.abs(np.asarray(magnitude))
    B = np.abs(stft(as_waveform(x, "x"), config))
    if B.shape != A.shape:
        raise SpecmaskInputError(f"STFT of x has shape {B.shape} but magnitude has {A.shape}.")
    num = float(np.linalg.norm(B - A))
    den = float(np.linalg.norm(A))
    if den == 0.0:
        raise SpecmaskInputError("`magnitude` is all zeros.")
    return 20.0 * np.log10(max(num, 1e-12 * den) / den)


def quantize_phase(phase, levels: int):
    r"""Round phases (radians) to ``levels`` equally spaced values on the circle, multiples of
    :math:`2\pi/\text{levels}` (``levels=0``: leave them as they are). How precise must a complex mask's
    rotation be? Taught in ``notebooks/04_complex_masks.ipynb``."""
    if not levels:
        return phase
    levels = check_positive_int(levels, "levels")
    step = 2.0 * np.pi / levels
    return np.round(np.asarray(phase) / step) * step
