r"""Complex masks: they scale the magnitude and also rotate the phase.

The random :math:`A e^{j\phi}` of the source article, the polar construction, the complex ideal ratio
mask (cIRM :math:`S/Y`), its compression and decompression for training, and bounding :math:`|M|`.
Taught in ``notebooks/04_complex_masks.ipynb``. Part of :mod:`specmask_edu.masks`.
"""

from __future__ import annotations

import numpy as np

from .._validation import SpecmaskInputError, as_mask, as_rng, check_finite_number
from ._common import EPS, _check_shape, _safe_divide, _target_and_mixture


# --------------------------------------------------------------------------- random baseline


def random_complex_mask(shape, rng=None) -> np.ndarray:
    r"""Random complex mask :math:`A e^{j\phi}` as in the source article's script.

    .. math:: A \sim \mathcal{U}[0, 1), \quad \phi \sim \mathcal{U}[0, 2\pi), \quad M = A\, e^{j\phi}

    Besides scaling each bin like :func:`random_real_mask`, it scrambles the phase, so consecutive frames
    no longer add up coherently in the inverse STFT: the result sounds noisy and "phasey".

    Returns
    -------
    ndarray of complex128 with ``|M| < 1``
    """
    shape = _check_shape(shape)
    rng = as_rng(rng)
    amplitude = rng.random(shape)
    phase = rng.random(shape) * 2.0 * np.pi
    return polar_mask(amplitude, phase)


# --------------------------------------------------------------------------- building and computing complex masks


def polar_mask(amplitude, phase) -> np.ndarray:
    r"""Build a complex mask from an amplitude and a phase: :math:`M = A\, e^{j\phi}`.

    Parameters
    ----------
    amplitude : array_like, >= 0
        Gain :math:`A` of each bin (broadcast against ``phase``).
    phase : array_like
        Rotation :math:`\phi` in radians.

    Returns
    -------
    ndarray of complex128
    """
    A = np.asarray(amplitude, dtype=np.float64)
    phi = np.asarray(phase, dtype=np.float64)
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(phi))):
        raise SpecmaskInputError("`amplitude` and `phase` must be finite.")
    if np.any(A < 0):
        raise SpecmaskInputError(
            "`amplitude` has negative values. A polar mask needs A >= 0; put a sign change into the phase "
            "instead (a negative gain is a rotation by pi)."
        )
    return A * np.exp(1j * phi)


def complex_ideal_ratio_mask(target, mixture) -> np.ndarray:
    r"""Complex ideal ratio mask (cIRM): :math:`M = S / Y`.

    .. math::

        M_\mathrm{cIRM} = \frac{S}{Y} = \frac{Y_r S_r + Y_i S_i}{Y_r^2 + Y_i^2}
        + j\,\frac{Y_r S_i - Y_i S_r}{Y_r^2 + Y_i^2}

    Applied to the mixture it gives the target exactly (magnitude and phase). Unbounded; the cIRMs of
    all sources of a mixture sum to 1. Silent mixture bins (:math:`|Y| <` ``EPS``): 0.
    For learning, compress it (:func:`compress_mask`) or bound it (:func:`bound_complex_mask`).

    References
    ----------
    Williamson, D. S., Wang, Y., & Wang, D. (2016). Complex ratio masking for monaural speech
    separation. IEEE/ACM TASLP 24(3), 483-492.
    """
    S, Y = _target_and_mixture(target, mixture)
    return _safe_divide(S * np.conj(Y), np.abs(Y) ** 2, fill=0.0, threshold=EPS**2)


# --------------------------------------------------------------------------- compression and bounding


def _check_k_c(K, C):
    K = check_finite_number(K, "K")
    C = check_finite_number(C, "C")
    if K <= 0 or C <= 0:
        raise SpecmaskInputError(f"`K` and `C` must be positive (Williamson et al. use K=10, C=0.1), got K={K}, C={C}.")
    return K, C


def compress_mask(mask, K: float = 10.0, C: float = 0.1) -> np.ndarray:
    r"""Compress a mask into (-K, K) with a hyperbolic tangent, on real and imaginary parts separately.

    .. math:: \tilde M = K \tanh\!\left(\frac{C\, M}{2}\right) = K\,\frac{1 - e^{-C M}}{1 + e^{-C M}}
              \quad\text{(for the real and the imaginary part)}

    This is the bounded training target of Williamson et al. (2016): ``K`` sets the range, ``C`` the
    steepness. A real mask stays real. Values whose :math:`|C M / 2|` exceeds about 19 saturate at
    :math:`\pm K` in float64 and cannot be recovered exactly.

    References
    ----------
    Williamson, D. S., Wang, Y., & Wang, D. (2016). Complex ratio masking for monaural speech separation.
    """
    K, C = _check_k_c(K, C)
    M = as_mask(mask)
    if np.iscomplexobj(M):
        return K * np.tanh(C * M.real / 2.0) + 1j * (K * np.tanh(C * M.imag / 2.0))
    return K * np.tanh(C * M.astype(np.float64) / 2.0)


def decompress_mask(compressed, K: float = 10.0, C: float = 0.1) -> np.ndarray:
    r"""Exact inverse of :func:`compress_mask` for any ``K`` and ``C``.

    .. math:: M = \frac{2}{C}\,\operatorname{artanh}\!\left(\frac{\tilde M}{K}\right)
              = -\frac{1}{C}\ln\frac{K - \tilde M}{K + \tilde M}

    Values at or beyond :math:`\pm K` (which a network's output can reach) are clipped just inside the
    open interval, so the result is always finite.
    """
    K, C = _check_k_c(K, C)
    Mc = as_mask(compressed, "compressed")
    limit = np.nextafter(1.0, 0.0)

    def _inverse(part):
        return (2.0 / C) * np.arctanh(np.clip(part / K, -limit, limit))

    if np.iscomplexobj(Mc):
        return _inverse(Mc.real) + 1j * _inverse(Mc.imag)
    return _inverse(Mc.astype(np.float64))


def bound_complex_mask(mask, method: str = "tanh") -> np.ndarray:
    r"""Bound a complex mask's magnitude to at most 1, keeping its phase.

    .. math::

        M_b = \tanh(|M|)\, e^{j \angle M} \quad (\texttt{method="tanh"}), \qquad
        M_b = \min(|M|, 1)\, e^{j \angle M} \quad (\texttt{method="clip"})

    Range: :math:`|M_b| \le 1` (``"tanh"``: below 1, reached in float64 once :math:`|M| > 19`). Zero stays
    zero; the phase is never changed.

    The two are not the same bound. ``"tanh"`` is the output layer of DCCRN (Hu et al., 2020): it squashes a
    **network's output**, whose magnitude the network learns to push where it needs it. Applied to the oracle
    cIRM it shrinks **every** bin, not only those with :math:`|M| > 1`: :math:`\tanh 1 = 0.76`,
    :math:`\tanh 0.5 = 0.46`. On lesson 04's clip (recorded speech ``speech_allison_1`` in ``babble_real`` at
    0 dB, 32 ms frames) the estimate comes out about 2.4 dB too quiet, so its SNR (12.0 dB) is far below its
    SI-SDR (20.7 dB), which ignores the overall level (the truncated PSM: 10.4 dB SNR). ``"clip"`` caps the
    magnitude at 1 and leaves every other bin exact: it costs accuracy only where :math:`|M| > 1` (target and
    interference partly cancel, :math:`|S| > |Y|`), and on the same clip reaches 18.6 dB SNR (20.3 dB SI-SDR,
    level −0.65 dB). Taught in ``notebooks/04_complex_masks.ipynb``.

    Parameters
    ----------
    mask : complex (or real) ndarray
    method : ``"tanh"`` (default) or ``"clip"``

    References
    ----------
    Hu, Y., et al. (2020). DCCRN: Deep complex convolution recurrent network for phase-aware speech
    enhancement. Interspeech.
    """
    M = as_mask(mask)
    magnitude = np.abs(M)
    if method == "tanh":
        bounded = np.tanh(magnitude)
    elif method == "clip":
        bounded = np.minimum(magnitude, 1.0)
    else:
        raise SpecmaskInputError(
            f"`method` must be 'tanh' (DCCRN's squashing, shrinks every bin) or 'clip' (caps |M| at 1, "
            f"keeps every other bin), got {method!r}."
        )
    return bounded * np.exp(1j * np.angle(M))
