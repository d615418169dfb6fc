r"""What every mask shares: the silent-bin threshold ``EPS``, the guarded division and the input checks.

No mask is ever NaN or infinite: every division goes through :func:`_safe_divide`, which gives a
documented value where the denominator is below ``EPS`` (``1e-12`` in STFT magnitude units).
Part of :mod:`specmask_edu.masks`.
"""

from __future__ import annotations

import numpy as np

from .._validation import SpecmaskInputError, as_stft, check_same_shape


#: Smallest denominator (STFT magnitude units) a mask divides by; below it the silent-bin value is used.
EPS = 1e-12


def _safe_divide(numerator, denominator, fill, threshold):
    """``numerator / denominator`` where ``|denominator| > threshold``, else ``fill`` (never NaN/Inf)."""
    numerator = np.asarray(numerator)
    denominator = np.asarray(denominator)
    out_dtype = np.result_type(numerator, denominator, np.float64)
    out = np.full(np.broadcast(numerator, denominator).shape, fill, dtype=out_dtype)
    np.divide(numerator, denominator, out=out, where=np.abs(denominator) > threshold)
    return out


def _target_and_mixture(target, mixture):
    S = as_stft(target, "target")
    Y = as_stft(mixture, "mixture")
    check_same_shape(
        S,
        Y,
        "target",
        "mixture",
        "Compute both with the same STFTConfig from waveforms of the same length.",
    )
    return S, Y


def _check_shape(shape):
    try:
        shape = tuple(int(s) for s in np.atleast_1d(shape))
    except (TypeError, ValueError):
        raise SpecmaskInputError(f"`shape` must be a tuple of sizes such as (257, 626), got {shape!r}.") from None
    if any(s <= 0 for s in shape):
        raise SpecmaskInputError(f"`shape` must contain positive sizes, got {shape}.")
    return shape
