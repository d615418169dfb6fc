r"""The one mask registry: every mask of the course by short name, with its display label, kind
(real/complex), range and function (:data:`MASKS`, :func:`mask_info`, :func:`mask_label`), the oracle
masks by name (:data:`ORACLE_MASKS`, :func:`oracle_mask`) and the short aliases (``ibm``, ``irm``...).

Tables, plots, the separation helpers and the explorers take their names and labels from here.
Part of :mod:`specmask_edu.masks`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .._validation import SpecmaskInputError
from .complex import bound_complex_mask, complex_ideal_ratio_mask, random_complex_mask
from .real import (
    ideal_amplitude_mask,
    ideal_binary_mask,
    ideal_ratio_mask,
    phase_sensitive_mask,
    random_real_mask,
    wiener_mask,
)


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class MaskInfo:
    """One entry of the mask registry :data:`MASKS`.

    Attributes
    ----------
    name : str
        Short name used in code (``oracle_mask(name, ...)``, ``oracle_separate(..., mask=name)``).
    label : str
        Display label for tables, legends and explorers (``"IRM"``, ``"cIRM"``...).
    kind : str
        ``"real"`` (scales the magnitude, keeps the mixture phase) or ``"complex"`` (also rotates the phase).
    value_range : str
        The mask's range, e.g. ``"[0, 1]"``, ``"{0, 1}"``, ``"[0, inf)"``, ``"|M| < 1"``.
    function : callable
        Oracle masks: ``function(target_stft, mixture_stft, **params)``; random masks:
        ``function(shape, rng=None)``.
    params : tuple of str
        Keyword parameters the function accepts (``("lc_db",)`` for the IBM).
    oracle : bool
        True for masks computed from the true target (the oracles), False for the random baselines.
    """

    name: str
    label: str
    kind: str
    value_range: str
    function: Callable
    params: tuple = ()
    oracle: bool = True


def _psm_raw(target, mixture):
    return phase_sensitive_mask(target, mixture, truncate=None)


def _cirm_bounded(target, mixture):
    return bound_complex_mask(complex_ideal_ratio_mask(target, mixture))


#: Every mask of the course by short name: label, real/complex, range and function. Tables, plots, the
#: separation helpers and the explorers take their names and labels from here.
MASKS = {
    info.name: info
    for info in (
        MaskInfo("random_real", "random real", "real", "[0, 1)", random_real_mask, ("rng",), oracle=False),
        MaskInfo("random_complex", "random complex", "complex", "|M| < 1", random_complex_mask, ("rng",),
                 oracle=False),
        MaskInfo("ibm", "IBM", "real", "{0, 1}", ideal_binary_mask, ("lc_db",)),
        MaskInfo("irm", "IRM", "real", "[0, 1]", ideal_ratio_mask, ("beta",)),
        MaskInfo("wiener", "Wiener", "real", "[0, 1]", wiener_mask),
        MaskInfo("iam", "IAM", "real", "[0, inf)", ideal_amplitude_mask),
        MaskInfo("psm", "PSM", "real", "[0, 1]", phase_sensitive_mask, ("truncate",)),
        MaskInfo("psm_raw", "raw PSM", "real", "(-inf, inf)", _psm_raw),
        MaskInfo("cirm", "cIRM", "complex", "unbounded", complex_ideal_ratio_mask),
        MaskInfo("cirm_bounded", "bounded cIRM", "complex", "|M| < 1", _cirm_bounded),
    )
}

#: Oracle masks by short name: each takes ``(target, mixture, **params)`` (the oracle entries of :data:`MASKS`).
ORACLE_MASKS = {name: info.function for name, info in MASKS.items() if info.oracle}


def mask_info(name: str) -> MaskInfo:
    """The registry entry of a mask by its short name (case-insensitive), or an error naming the choices."""
    key = name.lower() if isinstance(name, str) else name
    if key not in MASKS:
        close = difflib.get_close_matches(key, MASKS, n=1) if isinstance(key, str) else []
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise SpecmaskInputError(f"Unknown mask {name!r}. Choose one of {sorted(MASKS)}.{hint}")
    return MASKS[key]


def mask_label(name: str) -> str:
    """Display label of a mask by short name (``mask_label("cirm") == "cIRM"``)."""
    return mask_info(name).label


def oracle_mask(name: str, target, mixture, **params) -> np.ndarray:
    """Compute an oracle mask by its short name (``"ibm"``, ``"irm"``, ``"wiener"``, ``"iam"``,
    ``"psm"``, ``"psm_raw"``, ``"cirm"``, ``"cirm_bounded"``; see :data:`MASKS`), passing ``params`` on
    (``lc_db`` for IBM, ``beta`` for IRM, ``truncate`` for PSM); a parameter the mask does not take is refused.
    """
    info = mask_info(name)
    if not info.oracle:
        raise SpecmaskInputError(
            f"{name!r} is not an oracle mask (it needs no target). Choose one of {sorted(ORACLE_MASKS)}, or call "
            f"{info.function.__name__}(Y.shape, rng=...) for the random baseline."
        )
    unknown = sorted(set(params) - set(info.params))
    if unknown:
        takes = f"takes only {', '.join(info.params)}" if info.params else "takes no parameters"
        raise SpecmaskInputError(
            f"The {info.label} mask ({info.name!r}) {takes}, not {', '.join(unknown)}. "
            "(beta is the IRM's exponent, lc_db the IBM's local criterion.)"
        )
    return info.function(target, mixture, **params)


# --------------------------------------------------------------------------- aliases


# Short aliases (the full names above are the documented ones).
ibm = ideal_binary_mask
irm = ideal_ratio_mask
iam = ideal_amplitude_mask
psm = phase_sensitive_mask
cirm = complex_ideal_ratio_mask
