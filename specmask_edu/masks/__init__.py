r"""Every spectral mask of the course, real-valued and complex.

Notation used in all docstrings: :math:`S` is the target STFT, :math:`Y` the mixture STFT and
:math:`N = Y - S` the interference, all complex arrays shaped ``(freq, frames)``. A mask :math:`M` gives
the estimate :math:`\hat S = M \odot Y` (see :func:`specmask_edu.separation.apply_mask`).

* Real-valued masks scale the magnitude and keep the mixture phase:
  random (the source article's baseline), IBM, IRM, Wiener, IAM, PSM, multi-source soft masks.
  Taught in ``notebooks/02_real_masks.ipynb`` and ``notebooks/03_phase_matters.ipynb`` (PSM).
* Complex masks also rotate the phase: random :math:`A e^{j\phi}`, cIRM :math:`S/Y`, polar construction,
  compression and bounding. Taught in ``notebooks/04_complex_masks.ipynb``.

One module per idea; this package re-exports them all, so ``masks.ideal_ratio_mask`` keeps working:
:mod:`~specmask_edu.masks.real` (random real, IBM, local SNR, IRM, Wiener, IAM, PSM, low-pass),
:mod:`~specmask_edu.masks.complex` (random complex, polar, cIRM, compression, bounding),
:mod:`~specmask_edu.masks.sources` (multi-source soft masks, HPSS), :mod:`~specmask_edu.masks.registry`
(:data:`MASKS`, :func:`mask_label`, :func:`oracle_mask`, the aliases) and
:mod:`~specmask_edu.masks._common` (``EPS``, the guarded division).

Silent bins. No mask is ever NaN or infinite. Every division is guarded inside the division:
where the denominator is below ``EPS`` (``1e-12`` in STFT magnitude units) the mask takes a documented
value instead (see each function's *Silent bins* note).
"""

from __future__ import annotations

from ._common import (  # noqa: F401  (private names too: other modules import them)
    EPS,
    _safe_divide,
    _target_and_mixture,
    _check_shape,
)
from .real import (  # noqa: F401  (private names too: other modules import them)
    random_real_mask,
    ideal_binary_mask,
    local_snr_db,
    ideal_ratio_mask,
    wiener_mask,
    ideal_amplitude_mask,
    phase_sensitive_mask,
    lowpass_mask,
)
from .complex import (  # noqa: F401  (private names too: other modules import them)
    random_complex_mask,
    polar_mask,
    complex_ideal_ratio_mask,
    _check_k_c,
    compress_mask,
    decompress_mask,
    bound_complex_mask,
)
from .sources import (  # noqa: F401  (private names too: other modules import them)
    soft_masks,
    hpss_masks,
    _check_margin_power,
    hpss_medians,
    hpss_soft_masks,
)
from .registry import (  # noqa: F401  (private names too: other modules import them)
    MaskInfo,
    _psm_raw,
    _cirm_bounded,
    MASKS,
    ORACLE_MASKS,
    mask_info,
    mask_label,
    oracle_mask,
    ibm,
    irm,
    iam,
    psm,
    cirm,
)

__all__ = [
    "EPS",
    "random_real_mask",
    "random_complex_mask",
    "ideal_binary_mask",
    "local_snr_db",
    "ideal_ratio_mask",
    "wiener_mask",
    "ideal_amplitude_mask",
    "phase_sensitive_mask",
    "soft_masks",
    "hpss_masks",
    "hpss_medians",
    "hpss_soft_masks",
    "lowpass_mask",
    "polar_mask",
    "complex_ideal_ratio_mask",
    "compress_mask",
    "decompress_mask",
    "bound_complex_mask",
    "oracle_mask",
    "ORACLE_MASKS",
    "MASKS",
    "MaskInfo",
    "mask_info",
    "mask_label",
    "ibm",
    "irm",
    "iam",
    "psm",
    "cirm",
]
