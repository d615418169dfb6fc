r"""Lesson 02 (``notebooks/02_real_masks.ipynb``): the explorer of real-valued masks."""

from __future__ import annotations

from functools import cached_property

from .. import plots
from .._defaults import DEFAULT_SR
from .._validation import check_seed
from ..masks import MASKS, oracle_mask, random_real_mask
from ..stft import STFTConfig
from ._canvas import two_row_grid
from ._controls import dropdown, slider
from ._mixture import MixtureExplorer

__all__ = ["MaskExplorer"]


class MaskExplorer(MixtureExplorer):
    r"""Real-valued masks on a mixture of a target and an interference (notebook 02).

    Mask types: ``"random"`` (the source article's :math:`\mathcal U[0,1)` mask, fixed seed), ``"IBM"``
    (local criterion ``lc_db``), ``"IRM"`` (exponent ``beta``), ``"Wiener"`` and ``"IAM"``; the input SNR
    slider re-mixes the target with the interference. Shows the mixture, the mask and the estimate
    spectrograms, the waveforms of target and estimate, SNR/SI-SDR bars, and plays mixture, estimate,
    clean target and what was removed at true level (one gain for the group).

    The mixture STFT is :math:`Y = S + g N` with the STFTs :math:`S`, :math:`N` computed once (the STFT is
    linear), so moving the SNR slider costs no forward STFT; every move costs one mask and one inverse STFT.

    Parameters
    ----------
    target, interference : ndarray
        Waveforms (the interference is cut or repeated to the target's length and scaled to the SNR).
    sr : int
    config : STFTConfig, optional
    seed : int
        Seed of the random mask.
    **initial : mask, lc_db, beta, snr_db
    """

    title = "Mask explorer: real-valued masks"
    picture = ("Spectrograms of the mixture, the chosen real mask (shown from 0 to 1, 0 to 2 for the IAM) and the masked estimate, the target and estimate waveforms, and SNR and SI-SDR bars against the clean target")
    MASKS = ("random", "IBM", "IRM", "Wiener", "IAM")
    #: The oracle masks of the menu by their :func:`specmask_edu.masks.oracle_mask` names, and the
    #: parameter each takes from a slider.
    ORACLE = {"IBM": ("ibm", "lc_db"), "IRM": ("irm", "beta"), "Wiener": ("wiener", None), "IAM": ("iam", None)}

    def __init__(self, target, interference, sr: int = DEFAULT_SR, config: STFTConfig | None = None, seed: int = 0,
                 **initial):
        self.seed = check_seed(seed)
        super().__init__(target, interference, sr=sr, config=config, **initial)

    def _make_controls(self):
        return {
            "mask": dropdown("mask", self.MASKS, "IRM"),
            "snr_db": self.snr_slider(),
            "lc_db": slider("IBM local criterion (dB)", 0.0, -20.0, 20.0, 1.0),
            "beta": slider("IRM exponent β", 0.5, 0.1, 3.0, 0.1),
        }

    def _enable_controls(self):
        self.controls["lc_db"].disabled = self.params["mask"] != "IBM"
        self.controls["beta"].disabled = self.params["mask"] != "IRM"

    def mask_array(self):
        """The current mask (freq, frames): the random mask, or :func:`specmask_edu.masks.oracle_mask` of the
        cached STFTs."""
        p = self.params
        if p["mask"] == "random":
            return self.random_mask
        name, param = self.ORACLE[p["mask"]]
        return oracle_mask(name, self.S, self.Y, **({param: p[param]} if param else {}))

    @cached_property
    def random_mask(self):
        r"""The source article's random mask, :math:`\mathcal U[0,1)` in every bin (drawn once, from ``seed``)."""
        return random_real_mask(self.S.shape, rng=self.seed)

    def _draw_first(self):
        (ax_y, ax_m, ax_e), ax_w, ax_b = two_row_grid(self.fig, 3)
        cfg, sr = self.config, self.sr
        self.h_mix = plots.plot_spectrogram(self.Y, sr, cfg, ax=ax_y, title="mixture |Y|", colorbar=False)
        # colour range [0, 1] for the masks bounded by 1; the IAM gets [0, 2] with gains above 1 in red
        self.h_mask = plots.plot_mask(self.mask, sr, cfg, ax=ax_m, title="mask M", vmax=self._mask_vmax())
        self.h_est = plots.plot_spectrogram(self.estimate_stft, sr, cfg, ax=ax_e, title="estimate |M·Y|")
        for ax in (ax_m, ax_e):
            ax.set_ylabel("")
        row = self._plot_signal_row(ax_w, ax_b, self._waveforms(), self._loudest_limit())
        self.animate(self.h_mix.image, self.h_mask.image, self.h_est.image, ax_m.title, *row)
        self.animate_rarely(self.h_mask.colorbar.ax)

    def _waveforms(self):
        return {"mixture": self.mixture, "target": self.target, "estimate": self.estimate}

    def _mask_vmax(self):
        """Top of the mask's colour range: 2 for the IAM (it exceeds 1 where noise cancels target), else 1."""
        return 2.0 if self.params["mask"] == "IAM" else 1.0

    def _draw(self):
        self.h_mix.update(self.Y)
        self.h_mask.update(self.mask, title=f"mask: {self._mask_label()}")
        vmax = self._mask_vmax()
        if self.h_mask.image.get_clim()[1] != vmax:  # switching to or from the IAM: the colour bar follows
            self.h_mask.image.set_cmap(plots.gain_colormap(vmax) if vmax > 1 else "viridis")
            self.h_mask.image.set_clim(0.0, vmax)
            self.background_changed()
        self.h_est.update(self.estimate_stft)
        return self._update_signal_row(self._waveforms())

    def _mask_label(self):
        """The mask's label and range from the registry (:data:`specmask_edu.masks.MASKS`), with its parameter:
        ``"IBM {0, 1}, LC = 0 dB"``, ``"IRM [0, 1], β = 0.5"``, ``"IAM [0, inf), shown 0-2"``."""
        p = self.params
        name, param = self.ORACLE.get(p["mask"], ("random_real", None))
        info = MASKS[name]
        extra = {"lc_db": f", LC = {p['lc_db']:g} dB", "beta": f", β = {p['beta']:g}"}.get(param, "")
        shown = f", shown 0-{self._mask_vmax():g}" if self._mask_vmax() != 1.0 else ""
        return f"{info.label} {info.value_range}{extra}{shown}"

    def _estimate_name(self):
        return self.params["mask"]
