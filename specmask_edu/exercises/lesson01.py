"""Exercises of ``notebooks/01_stft_magnitude_phase.ipynb``: the STFT's shape (01.1), frequency resolution
(01.2), and rebuilding a waveform from magnitude and phase (01.3)."""

from __future__ import annotations

import numpy as np

from .framework import Stop, as_function, as_waveform_answer, call_student_function, exercise, rel_error

__all__ = ["check_stft_size", "check_resolution", "check_rebuild", "count_peaks"]


@exercise("01.1", "How many bins and frames?", answer="my_stft_shape", solution="""
def my_stft_shape(n_samples, n_fft, hop_length):
    return (n_fft // 2 + 1, 1 + n_samples // hop_length)
""", hint="Bins: a real signal keeps the frequencies from 0 Hz up to sr/2 of an n_fft-point FFT. Frames: with "
          "centred frames the signal is padded by n_fft // 2 at both ends and a frame starts every hop_length "
          "samples.")
def check_stft_size(fb, my_stft_shape, n_samples, config):
    """Exercise 01.1: ``my_stft_shape(n_samples, n_fft, hop_length)`` returns ``(n_bins, n_frames)`` of a
    centred STFT, without calling ``sm.stft``.

    It is tried on the lesson's signal length and ``config`` and on other lengths and frame sizes.
    """
    from ..stft import STFTConfig

    as_function(fb, my_stft_shape, "my_stft_shape", "my_stft_shape(n_samples, n_fft, hop_length)",
                why="it returns a pair (n_bins, n_frames), and the check tries it on several signals",
                forbidden={r"(?<![\w])(sm\.|specmask_edu\.|librosa\.)?stft\s*\(": "it calls an STFT; compute the "
                           "shape from n_samples, n_fft and hop_length alone"})
    cases = [(int(n_samples), config.n_fft, config.hop_length), (16000, 1024, 256), (12345, 400, 160), (300, 512, 128)]
    for n, n_fft, hop in cases:
        value = call_student_function(fb, my_stft_shape, "my_stft_shape", n, n_fft, hop)
        try:
            bins, frames = (int(v) for v in value)
        except (TypeError, ValueError):
            fb.fail(f"my_stft_shape should return a pair (n_bins, n_frames), e.g. (257, 531); it returned {value!r}")
            raise Stop from None
        cfg = STFTConfig(n_fft=n_fft, hop_length=hop)
        want_bins, want_frames = cfg.n_freqs, cfg.n_frames(n)
        if (bins, frames) == (want_bins, want_frames):
            continue
        where = f"for {n} samples, n_fft {n_fft}, hop {hop}"
        if (bins, frames) == (want_frames, want_bins):
            fb.fail(f"{where} the two numbers are swapped: STFTs here are shaped (freq, frames), so bins come first")
            raise Stop
        if bins == want_bins:
            fb.ok(f"{bins} frequency bins {where} (n_fft // 2 + 1: from 0 Hz up to sr/2)")
        elif bins == n_fft:
            fb.fail(f"{bins} bins {where} is n_fft; for a real signal only n_fft // 2 + 1 bins are kept (the "
                    "rest mirror them)")
        elif bins == n_fft // 2:
            fb.fail(f"{bins} bins {where}: almost, the bin at exactly sr/2 counts too (n_fft // 2 + 1)")
        else:
            fb.fail(f"{bins} is not the number of frequency bins for n_fft = {n_fft}")
        if frames == want_frames:
            fb.ok(f"{frames} frames {where}")
        elif frames == n // hop:
            fb.fail(f"{frames} frames {where}: one short. With centred frames the first frame is centred on "
                    "sample 0, so there is one more frame: 1 + n_samples // hop_length")
        elif frames == 1 + (n - n_fft) // hop:
            fb.fail(f"{frames} frames {where} is the count without padding (center=False); this course pads "
                    "(center=True)")
        else:
            fb.fail(f"{frames} is not the number of frames {where}")
        raise Stop
    fb.ok(f"right for all {len(cases)} signals tried: n_fft // 2 + 1 bins (0 Hz up to sr/2) and "
          "1 + n_samples // hop_length frames (the signal is padded at both ends)")
    return None


def count_peaks(n_fft: int, sr: float = 16000, tones_hz=(1000.0, 1010.0)) -> int:
    """How many peaks two equal tones make in the Hann-window magnitude spectrogram (averaged over frames).

    Counts the local maxima of at least half the largest one between the lower tone minus three gaps and
    the upper tone plus three gaps; 1 means the tones merge, 2 that ``n_fft`` resolves them. Used by
    exercise 01.2 (lesson 01, section on frequency resolution).
    """
    from ..stft import STFTConfig, stft

    f1, f2 = sorted(float(f) for f in tones_hz)
    gap = f2 - f1
    t = np.arange(4 * int(n_fft)) / float(sr)
    x = np.cos(2 * np.pi * f1 * t) + np.cos(2 * np.pi * f2 * t)
    config = STFTConfig(n_fft=int(n_fft), hop_length=max(1, int(n_fft) // 4))
    spectrum = np.abs(stft(x, config)).mean(axis=1)
    freqs = config.frequencies(sr)
    band = spectrum[(freqs >= f1 - 3 * gap) & (freqs <= f2 + 3 * gap)]
    if band.size < 3:
        return 1
    inner = band[1:-1]
    peaks = (inner > band[:-2]) & (inner >= band[2:]) & (inner >= 0.5 * band.max())
    return int(np.count_nonzero(peaks))


@exercise("01.2", "Pick n_fft to resolve two tones", answer="my_n_fft", solution="""
my_n_fft = 4096   # Hann main lobe 4 * 16000 / 4096 = 15.6 Hz wide: ±7.8 Hz per tone, less than the 10 Hz gap
""", hint="Frequency resolution is set by the window's main lobe, not by the bin spacing: with a Hann window "
          "each tone is smeared over a main lobe 4·sr/n_fft Hz wide (±2·sr/n_fft around it). Two tones Δf apart "
          "make two peaks when that half-width 2·sr/n_fft is at most Δf.")
def check_resolution(fb, my_n_fft, sr=16000, tones_hz=(1000.0, 1010.0)):
    """Exercise 01.2: a power-of-two ``n_fft`` whose Hann window resolves two tones ``tones_hz`` apart.

    Judged by the main lobe: a Hann window's main lobe is ``4·sr/n_fft`` Hz wide (null to null), and two
    equal tones ``Δf`` apart show as two peaks when its half-width ``2·sr/n_fft`` is at most ``Δf``. The
    bin spacing ``sr/n_fft`` is four times finer and does not decide it. Any resolving ``n_fft`` passes; the
    feedback names the smallest one (a longer frame blurs time) and the measured number of peaks
    (:func:`count_peaks`).
    """
    try:
        n = int(my_n_fft)
    except (TypeError, ValueError):
        fb.fail("`my_n_fft` should be a whole number of samples, e.g. 512.")
        raise Stop from None
    if n <= 0 or n & (n - 1):
        fb.fail(f"{n} is not a power of two (256, 512, 1024, ...): the FFT is fastest for those, the course uses them")
        raise Stop
    f1, f2 = sorted(float(f) for f in tones_hz)
    gap = f2 - f1
    spacing, lobe = sr / n, 4.0 * sr / n
    peaks = count_peaks(n, sr, tones_hz)
    smallest = 1 << int(np.ceil(np.log2(2.0 * sr / gap)))
    if lobe / 2 <= gap:
        fb.ok(f"the Hann main lobe is 4·sr/n_fft = {lobe:.1f} Hz wide, ±{lobe / 2:.1f} Hz around each tone, at most "
              f"the {gap:g} Hz gap: the tones at {f1:g} and {f2:g} Hz show as two peaks (measured: {peaks})")
        fb.ok(f"the bins are {spacing:.2f} Hz apart, four times finer than the main lobe: the bin spacing is not the "
              "resolution")
        frame_ms = 1000 * n / sr
        if n == smallest:
            fb.ok(f"and {n} is the smallest power of two that does it: frames of {frame_ms:.0f} ms")
        else:
            fb.ok(f"{smallest} would already do it; {n} makes frames of {frame_ms:.0f} ms instead of "
                  f"{1000 * smallest / sr:.0f} ms, which blurs the time axis for nothing: the time-frequency "
                  "trade-off")
        return None
    fb.fail(f"with n_fft = {n} the Hann main lobe is 4·sr/n_fft = {lobe:.1f} Hz wide, ±{lobe / 2:.1f} Hz around each "
            f"tone, more than the {gap:g} Hz gap: the two tones merge (measured: {peaks} peak"
            f"{'s' if peaks != 1 else ''} between {f1 - 3 * gap:g} and {f2 + 3 * gap:g} Hz)")
    if spacing <= gap:
        fb.fail(f"the bins are {spacing:.2f} Hz apart, finer than {gap:g} Hz, yet that is not enough: the bin "
                "spacing is how finely the spectrum is sampled, the main lobe how much each tone is smeared")
    return None


@exercise("01.3", "Back from magnitude and phase", answer="my_x", solution="""
my_x = sm.istft(magnitude * np.exp(1j * phase), config, length=len(x))
""", hint="Polar form: a complex number is its magnitude times e^{j·phase}; with the complex STFT back, the "
          "inverse STFT gives the waveform, and length=len(x) gives it the original length.")
def check_rebuild(fb, my_x, x, config=None):
    """Exercise 01.3: the waveform rebuilt from magnitude and phase equals the original ``x``."""
    from ..stft import STFTConfig, istft, stft

    x = np.asarray(x, dtype=float)
    cfg = config if config is not None else STFTConfig()
    y = as_waveform_answer(fb, my_x, "my_x", x.size, "the original", "length=len(x) to sm.istft", config=cfg)
    err = rel_error(y, x)
    if fb.expect(err < 1e-6, f"equal to the original (relative error {err:.1e}): the STFT lost nothing",
                 f"differs from the original (relative error {err:.2f})"):
        return None
    X = stft(x, cfg)
    magnitude, phase = np.abs(X), np.angle(X)
    if rel_error(y, istft((magnitude * np.exp(phase)).astype(complex), cfg, length=x.size)) < 1e-6:
        fb.fail("np.exp(phase) without 1j: e^{phase} is a real number, not a rotation; the polar form is "
                "magnitude * np.exp(1j * phase)")
    elif abs(np.corrcoef(y, x)[0, 1]) < 0.5:
        return "Did you use the phase? magnitude alone (or a made-up phase) does not give the signal back."
    return None
