r"""Lesson 04 (``notebooks/04_complex_masks.ipynb``): complex masks in polar form, and compressing the cIRM."""

from __future__ import annotations

import numpy as np

from .. import plots
from .._defaults import DEFAULT_SR
from .._validation import as_rng, check_seed
from ..audio import mix_at_snr
from ..masks import (
    MASKS,
    bound_complex_mask,
    complex_ideal_ratio_mask,
    compress_mask,
    decompress_mask,
    ideal_ratio_mask,
    mask_label,
    phase_sensitive_mask,
    polar_mask,
)
from ..metrics import si_sdr
from ..phase import quantize_phase
from ..separation import apply_mask, resynthesize
from ..stft import STFTConfig, _as_config, istft, stft
from ._base import Explorer
from ._controls import dropdown, slider
from ._mixture import MixtureExplorer, as_pair

__all__ = ["ComplexMaskExplorer", "CompressionExplorer", "PSM_LABEL"]

#: How the compression explorer names the PSM it compares with (:func:`specmask_edu.phase_sensitive_mask`,
#: truncated to its registry range): "truncated PSM [0, 1]".
PSM_LABEL = f"truncated {mask_label('psm')} {MASKS['psm'].value_range}"


class ComplexMaskExplorer(MixtureExplorer):
    r"""A complex mask in polar form :math:`M = A\,e^{j\phi}`, amplitude and phase chosen separately
    (notebook 04).

    The phase is the cIRM's rotation :math:`\angle(S/Y)` scaled by ``phase_scale`` (0 = no rotation, a
    real mask; 1 = the full cIRM phase) and optionally rounded to ``phase_levels`` values; the amplitude
    is ``"cirm"`` :math:`|S/Y|`, ``"bounded"`` :math:`\tanh|S/Y|`, ``"irm"`` (the IRM, β = 0.5) or ``"one"``
    (phase only). With ``amplitude="cirm"`` and ``phase_scale=1`` the estimate is the target exactly.
    Shows the mask as colour (hue = phase, brightness = magnitude), the estimate, the phase error that is
    left, waveforms and SNR/SI-SDR bars; plays mixture, estimate, target and what was removed.

    Parameters are those of :class:`~specmask_edu.widgets.MaskExplorer` (``target``, ``interference``,
    ``sr``, ``config``; no ``seed``); ``**initial``: amplitude, phase_scale, phase_levels, snr_db.
    """

    title = "Complex-mask explorer: M = A·exp(jφ), phase φ = phase scale × ∠(S/Y)"
    picture = ("The complex mask (hue = phase, brightness = magnitude, with a colour wheel), the estimate's and the remaining error's spectrograms, the target and estimate waveforms and SNR and SI-SDR bars: the full cIRM rotation and amplitude recover the target exactly")
    AMPLITUDES = (("|S/Y| (cIRM)", "cirm"), ("tanh|S/Y| (bounded)", "bounded"), ("IRM (β=0.5)", "irm"),
                  ("1 (phase only)", "one"))
    PHASE_LEVELS = (("continuous", 0), ("2 values", 2), ("4 values", 4), ("8 values", 8), ("16 values", 16),
                    ("32 values", 32))

    def _make_controls(self):
        return {
            "amplitude": dropdown("amplitude A", self.AMPLITUDES, "cirm"),
            "phase_scale": slider("phase scale", 1.0, 0.0, 1.0, 0.05),
            "phase_levels": dropdown("phase rounded to", self.PHASE_LEVELS, 0),
            "snr_db": self.snr_slider(),
        }

    def _on_new_mixture(self):
        # S/Y changes with the input SNR only: its amplitudes and angle are kept for every other move
        cirm = complex_ideal_ratio_mask(self.S, self.Y)
        self._cirm_parts = {"magnitude": np.abs(cirm), "angle": np.angle(cirm),
                            "bounded": np.abs(bound_complex_mask(cirm)), "irm": ideal_ratio_mask(self.S, self.Y)}

    def mask_array(self):
        """The current complex mask (freq, frames): :func:`specmask_edu.masks.polar_mask` of the chosen
        amplitude and the scaled (and rounded, :func:`specmask_edu.phase.quantize_phase`) cIRM angle."""
        p = self.params
        parts = self._cirm_parts
        amplitude = np.ones(parts["angle"].shape) if p["amplitude"] == "one" else parts[
            {"cirm": "magnitude", "bounded": "bounded", "irm": "irm"}[p["amplitude"]]]
        return polar_mask(amplitude, quantize_phase(p["phase_scale"] * parts["angle"], p["phase_levels"]))

    def _compute(self, changed):
        super()._compute(changed)
        self.error_stft = self.S - self.estimate_stft

    def _draw_first(self):
        gs = self.fig.add_gridspec(2, 12, height_ratios=(1.15, 1.0))
        ax_m, ax_e, ax_d = (self.fig.add_subplot(gs[0, 4 * i:4 * i + 4]) for i in range(3))
        ax_w, ax_c, ax_b = self.fig.add_subplot(gs[1, :7]), self.fig.add_subplot(gs[1, 7:9]), self.fig.add_subplot(gs[1, 9:])
        cfg, sr = self.config, self.sr
        self.h_mask = plots.plot_complex_mask(self.mask, sr, cfg, ax=ax_m, title="mask M (hue = phase)", legend=False)
        plots.plot_color_wheel(ax_c)
        self.h_est = plots.plot_spectrogram(self.estimate_stft, sr, cfg, ax=ax_e, title="estimate |M·Y|",
                                            colorbar=False)
        self.h_err = plots.plot_spectrogram(self.error_stft, sr, cfg, ax=ax_d, title="error |S − M·Y|")
        for ax in (ax_e, ax_d):
            ax.set_ylabel("")
        # One scale for (nearly) every setting, so that moving a control rarely redraws the whole figure:
        # with A = 1 and no rotation the estimate is the mixture, loudest at the lowest SNR of the slider.
        row = self._plot_signal_row(ax_w, ax_b, self._waveforms(), self._loudest_limit())
        # the legend sits above the waveform axes, where nothing moves: it stays in the background
        self.animate(self.h_mask.image, self.h_est.image, self.h_err.image, ax_m.title, *row)

    def _draw(self):
        self.h_mask.update(self.mask, title=f"mask: {self._mask_label()}")
        self.h_est.update(self.estimate_stft)
        self.h_err.update(self.error_stft)
        return self._update_signal_row(self._waveforms())

    def _waveforms(self):
        return {"target": self.target, "estimate": self.estimate}

    def _mask_label(self):
        p = self.params
        amp = dict((v, k) for k, v in self.AMPLITUDES)[p["amplitude"]].split(" (")[0]
        levels = f", {p['phase_levels']} values" if p["phase_levels"] else ""
        return f"A = {amp}, φ = {p['phase_scale']:.2f}·∠(S/Y){levels}"


class CompressionExplorer(Explorer):
    r"""Compressing and bounding the cIRM, and what each costs in SI-SDR (notebook 04).

    The cIRM :math:`M = S/Y` is unbounded, so a network learns the compressed target
    :math:`\tilde M = K\tanh(C M / 2)` (:func:`specmask_edu.compress_mask`, on real and imaginary parts)
    and the estimate is decompressed (:func:`specmask_edu.decompress_mask`). Compression alone loses
    nothing (it is exactly invertible); the cost shows up when the prediction is imperfect. Here the
    "prediction" is :math:`\tilde M` plus a small complex Gaussian error of standard deviation ``error``
    (in compressed units, fixed seed), decompressed and applied. ``K`` sets the range, ``C`` the
    steepness: a steep curve fits large mask values into the range but amplifies the error when
    decompressed. The bounded mask :math:`\tanh|M| e^{j\angle M}` (:func:`specmask_edu.bound_complex_mask`)
    and the truncated PSM (a real mask in [0, 1], :data:`PSM_LABEL`) are shown for comparison. (Not "the best
    real mask": the raw PSM scores higher, and a real mask fitted through the inverse STFT beats both;
    lesson 03.)

    Parameters
    ----------
    target, interference : ndarray
    sr : int
    config : STFTConfig, optional
    snr_db : float
        Input SNR of the mixture (fixed).
    seed : int
        Seed of the prediction error.
    **initial : K, C, error
    """

    title = "Compression explorer: K·tanh(C·M/2), prediction error and bounding"
    picture = ("The compression curve K·tanh(C·x/2) over the histogram of cIRM values, the error and estimate spectrograms of the decompressed noisy prediction, and SI-SDR bars for it, the bounded cIRM, the PSM and the mixture")
    figsize = (11.0, 6.0)
    #: SI-SDR range of the bars (dB).
    YLIM = (-10.0, 60.0)

    def __init__(self, target, interference, sr: int = DEFAULT_SR, config: STFTConfig | None = None,
                 snr_db: float = 0.0, seed: int = 0, **initial):
        self.config = _as_config(config)
        s, n = as_pair(target, interference)
        self.target = s
        self.mixture, _ = mix_at_snr(s, n, snr_db)
        self.S = stft(self.target, self.config)
        self.Y = stft(self.mixture, self.config)
        self.cirm = complex_ideal_ratio_mask(self.S, self.Y)
        rng = as_rng(check_seed(seed))
        self.unit_error = (rng.standard_normal(self.cirm.shape) + 1j * rng.standard_normal(self.cirm.shape)) / np.sqrt(2)
        n_samples = len(self.target)
        self.bounded = resynthesize(self.Y, bound_complex_mask(self.cirm), self.config, n_samples)
        self.psm = resynthesize(self.Y, phase_sensitive_mask(self.S, self.Y), self.config, n_samples)
        self.fixed_scores = {"mixture": si_sdr(self.mixture, self.target), PSM_LABEL: si_sdr(self.psm, self.target),
                             "bounded cIRM": si_sdr(self.bounded, self.target)}
        parts = np.concatenate([self.cirm.real.ravel(), self.cirm.imag.ravel()])
        self.histogram = np.histogram(np.clip(parts, -20, 20), bins=np.linspace(-20, 20, 161))
        super().__init__(sr, **initial)

    def _make_controls(self):
        return {
            "K": slider("range K", 10.0, 1.0, 20.0, 1.0),
            "C": slider("steepness C", 0.1, 0.02, 2.0, 0.02),
            "error": slider("prediction error (std)", 0.1, 0.0, 1.0, 0.05),
        }

    def _compute(self, changed):
        p = self.params
        K, C = p["K"], p["C"]
        if changed & {"K", "C"}:
            self.compressed = compress_mask(self.cirm, K, C)
            roundtrip = resynthesize(self.Y, decompress_mask(self.compressed, K, C), self.config, len(self.target))
            self.roundtrip_score = si_sdr(roundtrip, self.target)
        self.prediction = self.compressed + p["error"] * self.unit_error
        self.mask = decompress_mask(self.prediction, K, C)
        self.estimate_stft = apply_mask(self.Y, self.mask)
        self.estimate = istft(self.estimate_stft, self.config, length=len(self.target))
        self.scores = dict(self.fixed_scores)
        self.scores["decompressed prediction"] = si_sdr(self.estimate, self.target)

    def target_stft_error(self):
        r""":math:`S - \hat M Y`: what the decompressed prediction gets wrong, bin by bin."""
        return self.S - self.estimate_stft

    def _curve(self):
        """The compression curve in units of K: tanh(C·x/2) (so the axes never need rescaling)."""
        x = np.linspace(-20, 20, 401)
        return x, np.tanh(self.params["C"] * x / 2)

    def _draw_first(self):
        gs = self.fig.add_gridspec(2, 2, height_ratios=(1.0, 1.0), width_ratios=(1.0, 1.25))
        ax_t, ax_m = self.fig.add_subplot(gs[0, 0]), self.fig.add_subplot(gs[0, 1])
        ax_b, ax_e = self.fig.add_subplot(gs[1, 0]), self.fig.add_subplot(gs[1, 1])
        counts, edges = self.histogram
        ax_h = ax_t.twinx()
        ax_h.bar(edges[:-1], counts / counts.sum(), width=np.diff(edges), align="edge", color="0.8")
        ax_h.set_yscale("log")
        ax_h.set_ylabel("share of cIRM values (log)", fontsize=8)
        ax_h.tick_params(labelsize=7)
        ax_t.set_zorder(ax_h.get_zorder() + 1)
        ax_t.patch.set_visible(False)
        x, y = self._curve()
        (self.curve,) = ax_t.plot(x, y, color="#d62728", linewidth=2, label="K·tanh(C·x/2), in units of K")
        (self.band_hi,) = ax_t.plot(x, y, color="#d62728", linewidth=0.6, linestyle="--", label="± prediction error")
        (self.band_lo,) = ax_t.plot(x, y, color="#d62728", linewidth=0.6, linestyle="--")
        self.curve_text = ax_t.text(0.98, 0.04, "", transform=ax_t.transAxes, ha="right", va="bottom", fontsize=9)
        ax_t.set_xlim(-20, 20)
        ax_t.set_ylim(-1.6, 1.6)
        ax_t.set_xlabel("real or imaginary part of the cIRM")
        ax_t.set_ylabel("compressed value / K")
        ax_t.grid(True, alpha=0.3)
        ax_t.legend(fontsize=8, loc="upper left")
        self.ax_t = ax_t
        self.h_err = plots.plot_spectrogram(self.target_stft_error(), self.sr, self.config, ax=ax_m,
                                            title="error |S − M̂·Y| of the decompressed prediction", colorbar=False)
        self.h_est = plots.plot_spectrogram(self.estimate_stft, self.sr, self.config, ax=ax_e,
                                            title="estimate from the decompressed prediction")
        self.h_bars = plots.plot_metrics(self._rows(), ("SI-SDR",), ax=ax_b, ylim=self.YLIM,
                                         title="SI-SDR against the clean target")
        self.animate(self.curve, self.band_hi, self.band_lo, self.curve_text, ax_t.get_legend(), self.h_err.image,
                     self.h_est.image, *self.h_bars.artists)

    def _rows(self):
        return {name: {"SI-SDR": value} for name, value in self.scores.items()}

    def _draw(self):
        p = self.params
        x, y = self._curve()
        band = p["error"] / p["K"]                     # the same error is smaller relative to a larger range
        self.curve.set_data(x, y)
        self.band_hi.set_data(x, y + band)
        self.band_lo.set_data(x, y - band)
        self.curve_text.set_text(f"K = {p['K']:g}, C = {p['C']:g}, error ± {p['error']:g}")
        self.h_err.update(self.target_stft_error())
        self.h_est.update(self.estimate_stft)
        self.h_bars.update(self._rows(), ylim=self.YLIM)
        return False

    def signals(self):
        return {"mixture": self.mixture, "decompressed prediction": self.estimate, "bounded cIRM": self.bounded,
                "clean target": self.target}

    def descriptions(self):
        return {"mixture": "The target mixed with the interference: what the masks are applied to.",
                "decompressed prediction": f"The mixture with a cIRM predicted with error {self.params['error']:g} in "
                                           "the compressed domain, then decompressed.",
                "bounded cIRM": "The mixture with the bounded cIRM (magnitude squashed below 1, phase kept).",
                "clean target": self._words("The target alone: the reference the scores use.")}

    def info(self):
        p = self.params
        s = self.scores
        return ("<div style='font-family:monospace'>"
                f"K={p['K']:g}, C={p['C']:g}: exact round trip decompress(compress(M)) {self.roundtrip_score:.1f} dB; "
                f"prediction with error {p['error']:g}: "
                f"SI-SDR {s['decompressed prediction']:.1f} dB; bounded cIRM {s['bounded cIRM']:.1f} dB; "
                f"{PSM_LABEL} {s[PSM_LABEL]:.1f} dB; mixture {s['mixture']:.1f} dB</div>")
