r"""Drums: kick, snare, hi-hat and a looped pattern of them (:mod:`specmask_edu.synth`)."""

from __future__ import annotations

import numpy as np

from .._defaults import DEFAULT_SR
from .._validation import SpecmaskInputError, as_rng, check_int, check_number, check_sr
from ..audio import peak_gain
from ._common import _add, _check_freq, _grid, _check_tempo, _n_samples, _scale_to_peak
from .tones import _envelope


#: Default :func:`drum_loop` pattern: one 4/4 bar on a sixteenth-note grid ("x" hit, "o" soft hit, "." rest).
DEFAULT_DRUM_PATTERN = {
    "kick": "x.....x.x.......",
    "snare": "....x.......x..o",
    "hihat": "x.o.x.o.x.o.x.o.",
}


def kick_drum(sr=DEFAULT_SR, duration=0.35, f_start=150.0, f_end=45.0, sweep_time=0.04, decay=0.12,
              peak=0.5) -> np.ndarray:
    r"""A kick drum: a sine whose pitch drops quickly, under an exponential decay.

    .. math::

        f(t) = f_\mathrm{end} + (f_\mathrm{start} - f_\mathrm{end})\, e^{-t/\tau_s},\qquad
        x(t) = e^{-t/\tau_d} \sin\Bigl(2\pi \int_0^t f(\tau)\, d\tau\Bigr)

    with :math:`\tau_s` = ``sweep_time`` and :math:`\tau_d` = ``decay`` (seconds). A 2 ms fade-in and a
    fade-out over the last 20 % avoid clicks.
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    f_start = _check_freq(f_start, "f_start", sr)
    f_end = _check_freq(f_end, "f_end", sr)
    sweep_time = check_number(sweep_time, "sweep_time", low=0.0, low_open=True, unit="seconds")
    decay = check_number(decay, "decay", low=0.0, low_open=True, unit="seconds")
    t = np.arange(n) / sr
    # closed-form integral of f(t)
    phase = f_end * t + (f_start - f_end) * sweep_time * (1.0 - np.exp(-t / sweep_time))
    x = np.sin(2 * np.pi * phase) * np.exp(-t / decay)
    x *= _envelope(n, sr, 0.002, None, 0.2 * n / sr)
    return _scale_to_peak(x, peak)


def snare_drum(sr=DEFAULT_SR, duration=0.25, tone_hz=185.0, noise_decay=0.06, tone_decay=0.04, noise_mix=0.7,
               seed=0, peak=0.5) -> np.ndarray:
    r"""A snare drum: a burst of white noise plus a short tone, both decaying exponentially.

    .. math::

        x(t) = \Bigl(m\, w(t)\, e^{-t/\tau_n} + (1-m) \sin(2\pi f_t t)\, e^{-t/\tau_t}\Bigr)

    with white Gaussian noise :math:`w` (std 1), noise share :math:`m` = ``noise_mix`` in [0, 1], tone
    frequency :math:`f_t` = ``tone_hz`` and decay times ``noise_decay``, ``tone_decay`` (seconds).
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    tone_hz = _check_freq(tone_hz, "tone_hz", sr)
    noise_decay = check_number(noise_decay, "noise_decay", low=0.0, low_open=True, unit="seconds")
    tone_decay = check_number(tone_decay, "tone_decay", low=0.0, low_open=True, unit="seconds")
    noise_mix = check_number(noise_mix, "noise_mix", low=0.0, high=1.0)
    rng = as_rng(seed)
    t = np.arange(n) / sr
    noise = rng.standard_normal(n) * np.exp(-t / noise_decay)
    tone = np.sin(2 * np.pi * tone_hz * t) * np.exp(-t / tone_decay)
    x = noise_mix * noise + (1.0 - noise_mix) * tone
    x *= _envelope(n, sr, 0.001, None, 0.2 * n / sr)
    return _scale_to_peak(x, peak)


def hi_hat(sr=DEFAULT_SR, duration=0.08, cutoff=None, decay=0.02, seed=0, peak=0.5) -> np.ndarray:
    r"""A closed hi-hat: white noise through a 4th-order Butterworth high-pass at ``cutoff`` Hz,
    with an exponential decay :math:`e^{-t/\tau}` (:math:`\tau` = ``decay`` s).

    ``cutoff`` must be below the Nyquist frequency ``sr/2``. The default None means 5000 Hz, or
    ``0.35 * sr`` when that is lower (so at 16 kHz the hat lives between 5 and 8 kHz, at 8 kHz above 2.8 kHz).
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    cutoff = min(5000.0, 0.35 * sr) if cutoff is None else _check_freq(cutoff, "cutoff", sr)
    decay = check_number(decay, "decay", low=0.0, low_open=True, unit="seconds")
    from scipy.signal import butter, sosfilt

    rng = as_rng(seed)
    t = np.arange(n) / sr
    sos = butter(4, cutoff, btype="highpass", fs=sr, output="sos")
    x = sosfilt(sos, rng.standard_normal(n)) * np.exp(-t / decay)
    x *= _envelope(n, sr, 0.0005, None, 0.2 * n / sr)
    return _scale_to_peak(x, peak)


def drum_loop(duration=5.0, sr=DEFAULT_SR, tempo=96.0, pattern=None, steps_per_beat=4, seed=0,
              peak=0.5) -> np.ndarray:
    r"""A drum loop: kick, snare and hi-hat one-shots placed on a step grid, repeating.

    Step :math:`j` starts at :math:`j \cdot 60 / (\mathrm{tempo} \cdot s)` seconds with :math:`s` =
    ``steps_per_beat`` (4 = sixteenth notes). In each pattern string ``"x"`` is a hit, ``"o"`` a soft hit
    (half amplitude) and ``"."`` a rest; each string repeats independently, so strings of 16 steps
    give a one-bar loop in 4/4. Every hit gets fresh noise from ``seed``, so hits vary slightly like
    real ones while the loop stays reproducible.

    Parameters
    ----------
    pattern : dict or None
        Maps ``"kick"``, ``"snare"``, ``"hihat"`` (any subset) to a pattern string. None uses
        :data:`DEFAULT_DRUM_PATTERN` (kick on 1 and the "and" of 2 and 3, snare on 2 and 4, hi-hat on eighths).
    seed : int or np.random.Generator
        Noise of the snare and hi-hat hits.

    Other parameters are as in :func:`chord_progression`.
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    tempo = _check_tempo(tempo)
    steps_per_beat = check_int(steps_per_beat, "steps_per_beat", low=1)
    pattern = DEFAULT_DRUM_PATTERN if pattern is None else pattern
    makers = {"kick": kick_drum, "snare": snare_drum, "hihat": hi_hat}
    if not isinstance(pattern, dict) or not pattern:
        raise SpecmaskInputError(
            f"`pattern` must be a dict like {{'kick': 'x...x...', 'snare': '..x...x.'}}, got {pattern!r}."
        )
    for name, steps in pattern.items():
        if name not in makers:
            raise SpecmaskInputError(f"Unknown drum {name!r} in `pattern`; use any of {sorted(makers)}.")
        if not isinstance(steps, str) or not steps or set(steps) - set("xo."):
            raise SpecmaskInputError(
                f"The pattern for {name!r} must be a non-empty string of 'x' (hit), 'o' (soft hit) and "
                f"'.' (rest), e.g. 'x...x...', got {steps!r}."
            )
    rng = as_rng(seed)
    step = 60.0 / (tempo * steps_per_beat)
    out = np.zeros(n)
    for j, start in _grid(n, step, sr):
        for name in ("kick", "snare", "hihat"):
            steps = pattern.get(name)
            if not steps:
                continue
            symbol = steps[j % len(steps)]
            if symbol == ".":
                continue
            gain = 1.0 if symbol == "x" else 0.5
            if name == "kick":
                hit = kick_drum(sr, peak=None)
            else:
                hit = makers[name](sr, seed=int(rng.integers(2**31)), peak=None)
                hit = hit * peak_gain(hit, 1.0)
            gain *= {"kick": 1.0, "snare": 0.8, "hihat": 0.35}[name]
            _add(out, start, gain * hit)
    return _scale_to_peak(out, peak)
