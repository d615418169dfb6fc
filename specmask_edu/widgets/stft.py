r"""Lesson 01 (``notebooks/01_stft_magnitude_phase.ipynb``): the STFT explorer."""

from __future__ import annotations

import numpy as np

from .. import plots
from .._defaults import DEFAULT_SR
from .._validation import as_waveform, check_seed
from ..phase import rebuild_with_phase
from ..stft import STFTConfig, istft, stft
from ._base import Explorer
from ._controls import dropdown, selection_slider

__all__ = ["STFTExplorer"]


class STFTExplorer(Explorer):
    r"""Explore the STFT's parameters: frame length ``n_fft``, hop and window (notebook 01).

    Shows the whole spectrogram, a zoom in which every time-frequency tile is visible
    (:math:`\Delta t` = hop / sr wide, :math:`\Delta f` = sr / n_fft high), the window, the number of frames
    and bins and the reconstruction error, and plays the clip, its inverse STFT, and its magnitude with
    a random phase (long frames smear in time, short frames sound rough).

    Parameters
    ----------
    x : ndarray
        Mono waveform (the bundled clips are about 5 s at 16 kHz).
    sr : int
        Sample rate in Hz.
    zoom : (t0, t1, f_max)
        The zoomed region: seconds and the highest frequency in Hz.
    seed : int
        Seed of the random phase.
    **initial : n_fft, hop_length, window
        Starting values. A ``hop_length`` larger than ``n_fft`` is shown as ``n_fft`` (with a note).

    Examples
    --------
    >>> ex = STFTExplorer(sm.load_example("speech_female_1"), sr=16000)        # doctest: +SKIP
    >>> ex.widget                                                                 # doctest: +SKIP
    >>> ex.update(n_fft=2048, hop_length=512).info()                              # doctest: +SKIP
    """

    title = "STFT explorer: frame length, hop and window"
    picture = ("Spectrogram of the clip with the chosen frame length, hop and window, a zoom in which each rectangle is one STFT bin, and the window's shape: longer frames sharpen frequency and blur time")
    figsize = (11.0, 5.6)
    example = "clip"
    WINDOW_AXIS_MS = 300.0
    N_FFTS = (64, 128, 256, 512, 1024, 2048, 4096)
    HOPS = (16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
    WINDOWS = ("hann", "hamming", "blackman", "boxcar")

    def __init__(self, x, sr: int = DEFAULT_SR, zoom=(1.0, 1.4, 2000.0), seed: int = 0, **initial):
        self.x = as_waveform(x, "x", min_length=max(self.N_FFTS))
        self.zoom = tuple(float(v) for v in zoom)
        self.seed = check_seed(seed)
        super().__init__(sr, **initial)

    def _make_controls(self):
        return {
            "n_fft": selection_slider("n_fft", self.N_FFTS, 512),
            "hop_length": selection_slider("hop_length", self.HOPS, 128),
            "window": dropdown("window", self.WINDOWS, "hann"),
        }

    @property
    def config(self) -> STFTConfig:
        """The STFTConfig in use (hop limited to ``n_fft``)."""
        p = self.params
        return STFTConfig(n_fft=p["n_fft"], hop_length=min(p["hop_length"], p["n_fft"]), window=p["window"])

    def _compute(self, changed):
        cfg = self.config
        self.X = stft(self.x, cfg)
        self.reconstruction = istft(self.X, cfg, length=len(self.x))
        # heard, not seen: made when the players ask (see magnitude_only), into this holder, which a kept state
        # shares, so going back to a setting does not make it again
        self._magnitude_only = {}

    @property
    def magnitude_only(self) -> np.ndarray:
        """The clip rebuilt from ``|X|`` with a random phase (seed ``seed``), made on first use for the current
        setting: only the players need it, so the picture does not wait for it (up to 0.1 s at n_fft 4096)."""
        if "clip" not in self._magnitude_only:
            self._magnitude_only["clip"] = rebuild_with_phase(np.abs(self.X), "random", config=self.config,
                                                              length=len(self.x), rng=self.seed)
        return self._magnitude_only["clip"]

    def _draw_first(self):
        fig = self.fig
        gs = fig.add_gridspec(2, 3, height_ratios=(1, 1))
        ax_full = fig.add_subplot(gs[0, :])
        ax_zoom = fig.add_subplot(gs[1, :2])
        self.ax_window = fig.add_subplot(gs[1, 2])
        cfg = self.config
        self.h_full = plots.plot_spectrogram(self.X, self.sr, cfg, ax=ax_full, title="spectrogram")
        self.h_zoom = plots.plot_spectrogram(self.X, self.sr, cfg, ax=ax_zoom, colorbar=False,
                                             fmax=self.zoom[2], title="zoom: each rectangle is one STFT bin")
        ax_zoom.set_xlim(self.zoom[0], self.zoom[1])
        self.window_lines = [self.ax_window.plot([], [], color=plots._CYCLE[i % 2], linewidth=1.2)[0]
                             for i in range(4)]
        self.ax_window.set_xlabel("time (ms)")
        self.ax_window.set_ylabel("w[n - m·hop]")
        self.ax_window.set_ylim(-0.05, 1.15)
        self.ax_window.set_xlim(0, self.WINDOW_AXIS_MS)
        self.ax_window.grid(True, alpha=0.3)
        self.ax_window.set_title(" ", fontsize=9)
        self.animate(self.h_full.image, self.h_zoom.image, *self.window_lines, self.ax_window.title)

    def _draw(self):
        from scipy.signal import get_window  # SciPy loads on first use (see specmask_edu.stft)

        cfg = self.config
        level = plots.magnitude_db(self.X, cfg)  # what both pictures of X show: converted once
        self.h_full.show(level, config=cfg)
        self.h_zoom.show(level, config=cfg)
        win = get_window(cfg.window, cfg.n_fft, fftbins=True)
        t = np.arange(cfg.n_fft) / self.sr * 1000
        for m, line in enumerate(self.window_lines):
            line.set_data(t + m * cfg.time_resolution(self.sr) * 1000, win)
        self.ax_window.set_title(
            f"4 frames: {cfg.window}, {cfg.n_fft / self.sr * 1000:.0f} ms long, hop {cfg.hop_length / self.sr * 1000:.0f} ms",
            fontsize=9)

    def signals(self):
        return {"original": self.x, "inverse STFT": self.reconstruction,
                "magnitude only (random phase)": self.magnitude_only}

    def descriptions(self):
        return {"original": self._words("The clip as recorded."),
                "inverse STFT": "The clip taken to the STFT and back with these settings: the same sound.",
                "magnitude only (random phase)": "The same STFT magnitudes with a random phase: rough and smeared."}

    def numbers(self) -> dict:
        """Frames, bins, resolutions and reconstruction error of the current setting."""
        cfg = self.config
        return {
            "n_frames": self.X.shape[1],
            "n_bins": self.X.shape[0],
            "frame_ms": cfg.n_fft / self.sr * 1000,
            "hop_ms": cfg.time_resolution(self.sr) * 1000,
            "bin_hz": cfg.frequency_resolution(self.sr),
            "overlap_percent": 100.0 * (1 - cfg.hop_length / cfg.n_fft),
            "max_reconstruction_error": float(np.max(np.abs(self.reconstruction - self.x))),
        }

    def info(self):
        n = self.numbers()
        note = ""
        if self.params["hop_length"] > self.params["n_fft"]:
            note = (f"<br><span style='color:#b00'>hop_length {self.params['hop_length']} is longer than the frame "
                    f"(n_fft {self.params['n_fft']}); samples between frames would be skipped, so hop_length = n_fft "
                    "is used.</span>")
        return (
            "<div style='font-family:monospace'>"
            f"{n['n_bins']} frequency bins x {n['n_frames']} frames &nbsp;|&nbsp; frame {n['frame_ms']:.1f} ms, "
            f"hop {n['hop_ms']:.1f} ms (&Delta;t), overlap {n['overlap_percent']:.0f} % &nbsp;|&nbsp; "
            f"bin spacing {n['bin_hz']:.1f} Hz (&Delta;f) &nbsp;|&nbsp; "
            f"max |x - istft(stft(x))| = {n['max_reconstruction_error']:.1e}{note}</div>"
        )
