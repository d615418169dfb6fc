"""specmask_edu: audio separation with real-valued (magnitude) and complex spectral masks.

The package follows the signal: audio -> STFT -> mask -> masked STFT -> waveform -> metrics.

>>> import specmask_edu as sm
>>> mix = sm.load_mixture("speech_female_1", "babble", snr_db=0)        # doctest: +SKIP
>>> S, Y = sm.stft(mix["target"]), sm.stft(mix["mixture"])                # doctest: +SKIP
>>> estimate = sm.separate(mix["mixture"], sm.ideal_ratio_mask(S, Y))     # doctest: +SKIP

Importing the package is fast: librosa, SciPy, matplotlib and ipywidgets load on first use.
"""

from __future__ import annotations

import importlib

from ._defaults import DEFAULT_SR, MUSIC_CONFIG
from ._validation import SpecmaskInputError
from .audio import load_audio, mix_at_snr, peak_normalize, resample, rms, save_audio, to_mono
from .masks import (
    MASKS,
    bound_complex_mask,
    cirm,
    complex_ideal_ratio_mask,
    compress_mask,
    decompress_mask,
    hpss_masks,
    iam,
    ibm,
    ideal_amplitude_mask,
    ideal_binary_mask,
    ideal_ratio_mask,
    local_snr_db,
    irm,
    lowpass_mask,
    mask_label,
    oracle_mask,
    phase_sensitive_mask,
    polar_mask,
    psm,
    random_complex_mask,
    random_real_mask,
    soft_masks,
    wiener_mask,
)
from .metrics import BSSEvalReferences, bss_eval, format_table, match_score, metrics_table, si_sdr, si_sdr_improvement, snr, stoi
from .separation import apply_mask, fit_real_mask, oracle_separate, resynthesize, separate
from .stft import STFTConfig, istft, magnitude_phase, stft

# The one place the version is written: pyproject.toml reads it from here (dynamic version).
__version__ = "0.2.0"

# Modules and names loaded on first access (they import heavier libraries or are optional).
_LAZY_MODULES = {"synth", "examples", "phase", "plots", "players", "widgets", "exercises", "learn", "cli"}
_LAZY_NAMES = {
    "list_examples": "examples",
    "load_example": "examples",
    "load_mixture": "examples",
    "load_band": "examples",
    "example_info": "examples",
    "griffin_lim": "phase",
    "show": "plots",
}

__all__ = [
    "SpecmaskInputError",
    "DEFAULT_SR",
    "MUSIC_CONFIG",
    "STFTConfig",
    "stft",
    "istft",
    "magnitude_phase",
    "random_real_mask",
    "ideal_binary_mask",
    "ideal_ratio_mask",
    "local_snr_db",
    "wiener_mask",
    "ideal_amplitude_mask",
    "phase_sensitive_mask",
    "soft_masks",
    "hpss_masks",
    "lowpass_mask",
    "random_complex_mask",
    "polar_mask",
    "complex_ideal_ratio_mask",
    "compress_mask",
    "decompress_mask",
    "bound_complex_mask",
    "oracle_mask",
    "MASKS",
    "mask_label",
    "ibm",
    "irm",
    "iam",
    "psm",
    "cirm",
    "apply_mask",
    "resynthesize",
    "separate",
    "fit_real_mask",
    "oracle_separate",
    "snr",
    "si_sdr",
    "si_sdr_improvement",
    "bss_eval",
    "BSSEvalReferences",
    "stoi",
    "metrics_table",
    "format_table",
    "match_score",
    "load_audio",
    "save_audio",
    "to_mono",
    "resample",
    "peak_normalize",
    "rms",
    "mix_at_snr",
    *sorted(_LAZY_NAMES),
]


def __getattr__(name):
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        module = importlib.import_module(f".{_LAZY_NAMES[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'specmask_edu' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _LAZY_MODULES | set(_LAZY_NAMES))
