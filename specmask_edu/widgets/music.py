r"""Lesson 05 (``notebooks/05_separating_instruments.ipynb``): the mixing console and the HPSS explorer."""

from __future__ import annotations

import html as _html

import numpy as np

from .. import plots
from .._defaults import DEFAULT_SR, MUSIC_CONFIG
from .._validation import SpecmaskInputError, as_waveform
from ..masks import hpss_medians, hpss_soft_masks, soft_masks
from ..masks.sources import _soft_masks_from_magnitudes
from ..metrics import BSSEvalReferences, si_sdr
from ..separation import resynthesize
from ..stft import STFTConfig, _as_config, _istft_stack, stft
from ._base import Explorer
from ._controls import checkbox, dropdown, selection_slider, slider
from ._mixture import as_pair

__all__ = ["MixingConsoleExplorer", "HPSSExplorer"]


def _as_stems(stems) -> dict:
    if not isinstance(stems, dict) or len(stems) < 2:
        raise SpecmaskInputError("`stems` must be a dict {name: waveform} with at least two sources, e.g. "
                                 "load_band(include_mixture=False).")
    out = {str(k): as_waveform(v, f"stems[{k!r}]") for k, v in stems.items()}
    if len({x.size for x in out.values()}) != 1:
        raise SpecmaskInputError("All stems must have the same length.")
    return out


def _apply_masks(masks, mixture_real, mixture_imag, out=None) -> np.ndarray:
    r"""The masked mixtures :math:`M_i \odot Y` (n, freq, frames) of real masks (n, freq, frames), from the
    real and imaginary parts of :math:`Y`: the same numbers as ``masks * Y`` (a real mask scales both parts),
    without first turning every mask into a complex array. Written into ``out`` (complex128, the masks' shape)
    if given."""
    if out is None:
        out = np.empty(masks.shape, dtype=np.complex128)
    np.multiply(masks, mixture_real, out=out.real)
    np.multiply(masks, mixture_imag, out=out.imag)
    return out


class MixingConsoleExplorer(Explorer):
    r"""A mixing console for separated instruments (notebook 05).

    The mixture :math:`y = \sum_i s_i` is split with soft masks :math:`M_i = |S_i|^p / \sum_j |S_j|^p`
    (:func:`specmask_edu.soft_masks`, oracle: computed from the true stems), which sum to one, so the
    estimates add up to the mixture again. Each stem has a fader (gain in dB), a *mute* and a *solo*
    switch, as on a mixing desk: the console plays :math:`\sum_i g_i \hat s_i` with :math:`g_i = 0` for
    muted stems (and for every stem that is not soloed when any solo is on). ``source="true"`` feeds the
    console the true stems instead, to hear what a perfect separation would give.

    Shows the four masks, the console output's spectrogram and the SI-SDR of every estimate; plays the
    console output, the mixture, and the same console settings applied to the true stems.

    Parameters
    ----------
    stems : dict {name: waveform}
        The sources (e.g. ``load_band(include_mixture=False)``); the mixture is their sum.
    sr : int
    config : STFTConfig, optional
        Default :data:`specmask_edu._defaults.MUSIC_CONFIG` (n_fft 2048, hop 512).
    **initial : power, source, and ``gain_<stem>`` (dB), ``mute_<stem>``, ``solo_<stem>`` for each stem.
    """

    title = "Mixing console: solo, mute and fade the separated instruments"
    picture = ("The soft mask of each instrument of the band, the spectrogram of the console's output and the SI-SDR of each separated stem")
    figsize = (11.0, 6.0)
    example = "band"
    GAIN_RANGE = (-30.0, 6.0)

    def __init__(self, stems, sr: int = DEFAULT_SR, config: STFTConfig | None = None, **initial):
        self.config = MUSIC_CONFIG if config is None else _as_config(config)
        self.stems = _as_stems(stems)
        self.names = list(self.stems)
        self.mixture = sum(self.stems.values())
        self.stem_stfts = [stft(x, self.config) for x in self.stems.values()]
        self.stem_magnitudes = np.abs(np.stack(self.stem_stfts))  # |S_i|, (stems, freq, frames): p changes, not they
        self.Y = stft(self.mixture, self.config)
        self._Y_parts = np.ascontiguousarray(self.Y.real), np.ascontiguousarray(self.Y.imag)
        # The masked mixtures, which only the inverse STFTs read: one array, written over at every change of p.
        # A new one each time cost the first changes ~40 ms more (20 MB of fresh memory: the kernel maps and
        # zeroes its pages; measured with the chorale's 4 stems of 9.6 s).
        # np.full writes every page now (np.zeros may leave them unmapped until the first change touches them)
        self._masked = np.full(self.stem_magnitudes.shape, 0.0, dtype=np.complex128)
        # the power and input menu on the first row, then one row per stem: fader, mute, solo
        self.control_rows = [["power", "source"]] + [[f"gain_{n}", f"mute_{n}", f"solo_{n}"] for n in self.names]
        super().__init__(sr, **initial)

    def _make_controls(self):
        controls = {
            "power": slider("soft-mask power p", 2.0, 0.5, 8.0, 0.5),
            "source": dropdown("console input", [("separated (soft masks)", "separated"), ("true stems", "true")],
                               "separated"),
        }
        for name in self.names:
            controls[f"gain_{name}"] = slider(f"{name} (dB)", 0.0, *self.GAIN_RANGE, 1.0, width="40%")
            # named with the stem: a screen reader (and the alt text) tells the bass's mute from the drums'
            controls[f"mute_{name}"] = checkbox(f"mute {name}")
            controls[f"solo_{name}"] = checkbox(f"solo {name}")
        return controls

    def gains(self) -> dict:
        """Linear gain of every stem on the console (0 for muted or not-soloed stems)."""
        p = self.params
        soloed = [n for n in self.names if p[f"solo_{n}"]]
        out = {}
        for n in self.names:
            audible = (n in soloed) if soloed else not p[f"mute_{n}"]
            out[n] = 10.0 ** (p[f"gain_{n}"] / 20.0) if audible else 0.0
        return out

    def _compute(self, changed):
        # Only what ``changed`` affects: the masks and estimates follow p alone, the mix of true stems the
        # console settings alone, the console output (and its STFT) both when it plays the estimates.
        separated = self.params["source"] == "separated"
        if "power" in changed:
            self.masks = _soft_masks_from_magnitudes(self.stem_magnitudes, self.params["power"])
            # the four inverse STFTs in one pass, each exactly resynthesize(Y, M_i, config, length)
            masked = _apply_masks(self.masks, *self._Y_parts, out=self._masked)
            estimates = _istft_stack(masked, self.config, len(self.mixture))
            self.estimates = dict(zip(self.names, estimates))
            self.scores = {n: {"SI-SDR": si_sdr(self.estimates[n], self.stems[n])} for n in self.names}
        g = self.gains()
        settings = changed - {"power"}
        if settings or separated:
            feed = self.estimates if separated else self.stems
            self.output = sum(g[n] * feed[n] for n in self.names)
            self.output_stft = stft(self.output, self.config)
        if settings - {"source"}:
            self.reference_output = sum(g[n] * self.stems[n] for n in self.names)

    def _draw_first(self):
        outer = self.fig.add_gridspec(2, 1, height_ratios=(1.0, 1.1))
        top = outer[0].subgridspec(1, len(self.names))
        bottom = outer[1].subgridspec(1, 2, width_ratios=(2, 1))
        axes = [self.fig.add_subplot(top[0, i]) for i in range(len(self.names))]
        ax_o, ax_b = self.fig.add_subplot(bottom[0, 0]), self.fig.add_subplot(bottom[0, 1])
        fmax = min(4000.0, self.sr / 2)
        self.h_masks = []
        for i, (ax, name, M) in enumerate(zip(axes, self.names, self.masks)):
            h = plots.plot_mask(M, self.sr, self.config, ax=ax, title=f"mask: {name}", fmax=fmax, colorbar=False)
            if i:
                ax.set_ylabel("")
            self.h_masks.append(h)
        self.h_out = plots.plot_spectrogram(self.output_stft, self.sr, self.config, ax=ax_o, fmax=fmax,
                                            title="console output")
        self.h_bars = plots.plot_metrics(self.scores, ("SI-SDR",), ax=ax_b, ylim=(-10.0, 30.0),
                                         title="SI-SDR of each separated stem")
        # The masks' titles change with the faders only: painted into the background when they do, not
        # re-rendered (~5 ms of text each) on every change of p.
        self.animate_rarely(*(h.ax.title for h in self.h_masks))
        self.animate(*(h.image for h in self.h_masks), self.h_out.image, ax_o.title, *self.h_bars.artists)

    def _draw(self):
        g = self.gains()
        for h, name, M in zip(self.h_masks, self.names, self.masks):
            state = "off" if g[name] == 0 else f"{20 * np.log10(g[name]):+.0f} dB"
            h.update(M)
            if h.ax.title.get_text() != f"mask: {name} ({state})":
                h.ax.set_title(f"mask: {name} ({state})")
                self.background_changed()
        source = "separated stems" if self.params["source"] == "separated" else "true stems"
        self.h_out.update(self.output_stft, title=f"console output ({source}, soft masks p = {self.params['power']:g})")
        self.h_bars.update(self.scores, ylim=(-10.0, 30.0))
        return False

    def signals(self):
        return {"console output": self.output, "same settings on the true stems": self.reference_output,
                "original mixture": self.mixture}

    def descriptions(self):
        return {"console output": "The separated instruments mixed with the faders, mute and solo switches set "
                                  "here.",
                "same settings on the true stems": "The same console settings applied to the true instrument "
                                                   "tracks: what a perfect separation would give.",
                "original mixture": f"All {len(self.names)} instruments together ({', '.join(self.names)}), "
                                    "as the console receives them."}

    def info(self):
        g = self.gains()
        esc = _html.escape
        on = ", ".join(f"{esc(n)} {20 * np.log10(v):+.0f} dB" for n, v in g.items() if v > 0) or "nothing (all muted)"
        scores = ", ".join(f"{esc(n)} {v['SI-SDR']:.1f} dB" for n, v in self.scores.items())
        if np.any(self.reference_output):
            match = f"; console output vs the same mix of true stems: SI-SDR {si_sdr(self.output, self.reference_output):.1f} dB"
        else:
            match = ""
        return (f"<div style='font-family:monospace'>on the console: {on}. SI-SDR of the estimates "
                f"(p = {self.params['power']:g}): {scores}{match}</div>")


class HPSSExplorer(Explorer):
    r"""Blind harmonic/percussive separation beside the oracle masks (notebook 05).

    The harmonic and percussive masks of :func:`specmask_edu.masks.hpss_masks` are computed from the
    mixture alone by median filtering (no access to the stems); the oracle masks are soft masks from the
    true harmonic group and the true drums. ``margin`` > 1 makes both blind masks stricter and leaves a
    residual (bins that are neither), ``kernel_size`` sets the median filters' length, ``power`` the
    softness. BSS Eval splits each estimate's error into interference (SIR: how much of the other source
    leaks in) and artefacts (SAR); a larger margin trades SAR for SIR.

    Parameters
    ----------
    harmonic, percussive : ndarray
        The true sources (e.g. bass + chords + melody, and drums); the mixture is their sum.
    sr : int
    config : STFTConfig, optional
        Default :data:`specmask_edu._defaults.MUSIC_CONFIG`.
    **initial : margin, kernel_size, power
    """

    title = "HPSS explorer: blind harmonic/percussive masks vs oracle masks"
    picture = ("The mixture's spectrogram, the blind harmonic and percussive masks from median filtering, and BSS Eval bars comparing them with oracle masks against the true sources")
    figsize = (11.0, 6.0)
    example = "harmonic_percussive"
    KERNELS = (5, 9, 17, 31, 63)
    YLIM = (-15.0, 30.0)

    def __init__(self, harmonic, percussive, sr: int = DEFAULT_SR, config: STFTConfig | None = None, **initial):
        self.config = MUSIC_CONFIG if config is None else _as_config(config)
        self.harmonic, self.percussive = as_pair(harmonic, percussive)
        self.mixture = self.harmonic + self.percussive
        self.Y = stft(self.mixture, self.config)
        H, P = stft(self.harmonic, self.config), stft(self.percussive, self.config)
        self.oracle_masks = soft_masks([H, P], power=2.0)
        self.oracle = [self._resynthesize(M) for M in self.oracle_masks]
        # The expensive parts, done once: the reference half of BSS Eval, and the median filters for every
        # kernel length on the slider (about 0.4 s together). An update then costs masks + inverse STFT +
        # scoring, well under 100 ms, for any setting, visited before or not.
        self._scorer = BSSEvalReferences([self.harmonic, self.percussive])
        self.oracle_scores = self._scores(*self.oracle)
        magnitude = np.abs(self.Y)
        self._medians = {k: hpss_medians(magnitude, k) for k in self.KERNELS}
        super().__init__(sr, **initial)

    def _resynthesize(self, mask):
        return resynthesize(self.Y, mask, self.config, len(self.mixture))

    def _scores(self, harmonic_estimate, percussive_estimate):
        values = self._scorer.evaluate([harmonic_estimate, percussive_estimate])
        return {name: {"SDR": float(values["sdr"][i]), "SIR": float(values["sir"][i]), "SAR": float(values["sar"][i])}
                for i, name in enumerate(("harmonic", "drums"))}

    def _make_controls(self):
        return {
            "margin": slider("margin μ", 1.0, 1.0, 8.0, 0.5),
            "kernel_size": selection_slider("median length", self.KERNELS, 17),
            "power": slider("mask power p", 2.0, 0.5, 8.0, 0.5),
        }

    def _compute(self, changed):
        p = self.params
        self.masks = hpss_soft_masks(*self._medians[p["kernel_size"]], p["margin"], p["power"])
        self.estimates = [self._resynthesize(M) for M in self.masks]
        self.blind_scores = self._scores(*self.estimates)
        self.residual = self.mixture - self.estimates[0] - self.estimates[1]
        self.residual_share = float(np.sum(self.residual**2) / np.sum(self.mixture**2))

    def _rows(self):
        rows = {f"{k} (HPSS)": v for k, v in self.blind_scores.items()}
        rows.update({f"{k} (oracle)": v for k, v in self.oracle_scores.items()})
        return rows

    def _draw_first(self):
        gs = self.fig.add_gridspec(2, 3, height_ratios=(1.0, 1.1))
        ax_y, ax_h, ax_p = (self.fig.add_subplot(gs[0, i]) for i in range(3))
        ax_b = self.fig.add_subplot(gs[1, :])
        fmax = min(4000.0, self.sr / 2)
        plots.plot_spectrogram(self.Y, self.sr, self.config, ax=ax_y, title="mixture |Y|", fmax=fmax, colorbar=False)
        self.h_h = plots.plot_mask(self.masks[0], self.sr, self.config, ax=ax_h, title="harmonic mask (blind)",
                                   fmax=fmax, colorbar=False)
        self.h_p = plots.plot_mask(self.masks[1], self.sr, self.config, ax=ax_p, title="percussive mask (blind)",
                                   fmax=fmax)
        for ax in (ax_h, ax_p):
            ax.set_ylabel("")
        self.h_bars = plots.plot_metrics(self._rows(), ("SDR", "SIR", "SAR"), ax=ax_b, ylim=self.YLIM,
                                         title="BSS Eval against the true sources (dB)")
        self.animate(self.h_h.image, self.h_p.image, *self.h_bars.artists)

    def _draw(self):
        self.h_h.update(self.masks[0])
        self.h_p.update(self.masks[1])
        self.h_bars.update(self._rows(), ylim=self.YLIM)
        return False

    def signals(self):
        clips = {"mixture": self.mixture, "harmonic (HPSS)": self.estimates[0], "drums (HPSS)": self.estimates[1]}
        if self.params["margin"] > 1.0:  # with margin 1 the masks sum to one and the residual is silence
            clips["residual (neither)"] = self.residual
        return {**clips, "harmonic (oracle)": self.oracle[0], "drums (oracle)": self.oracle[1]}

    def descriptions(self):
        return {"mixture": "The harmonic instruments and the drums together.",
                "harmonic (HPSS)": "What the blind harmonic mask keeps: held notes, ideally without the drums.",
                "drums (HPSS)": "What the blind percussive mask keeps: the drum hits, ideally without notes.",
                "residual (neither)": "What neither blind mask keeps when the margin is above 1.",
                "harmonic (oracle)": "The harmonic group from the oracle soft mask (made with the true sources).",
                "drums (oracle)": "The drums from the oracle soft mask (made with the true sources)."}

    def info(self):
        b, o = self.blind_scores, self.oracle_scores
        return ("<div style='font-family:monospace'>"
                f"HPSS: harmonic SDR {b['harmonic']['SDR']:.1f} dB, drums SDR {b['drums']['SDR']:.1f} dB "
                f"(oracle {o['harmonic']['SDR']:.1f} / {o['drums']['SDR']:.1f} dB); residual holds "
                f"{100 * self.residual_share:.1f} % of the mixture's energy</div>")
