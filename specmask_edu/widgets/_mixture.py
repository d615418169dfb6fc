r"""What the explorers of a target and an interference share (lessons 02-04).

* :class:`SignalRowMixin`: the row most explorers end with: the waveforms of target and estimate on a
  fixed amplitude scale and the SNR / SI-SDR bars against the clean target.
* :class:`MixtureExplorer`: a target :math:`s` and an interference :math:`n` whose STFTs :math:`S`,
  :math:`N` are computed once; the input SNR slider sets :math:`y = s + g n` and :math:`Y = S + g N`
  (the STFT is linear, so moving the SNR costs no forward STFT). A masking explorer only says which mask
  to apply (``mask_array()``); the estimate is the masked mixture taken back to a waveform, as
  :func:`specmask_edu.separate` does.
"""

from __future__ import annotations

import html as _html

from .. import plots
from .._defaults import DEFAULT_SR
from .._validation import as_waveform
from ..audio import fit_length, mix_at_snr, snr_gain
from ..metrics import si_sdr, snr
from ..separation import apply_mask
from ..stft import STFTConfig, _as_config, istft, stft
from ._base import Explorer
from ._canvas import amplitude_limit, fit_amplitude
from ._controls import slider

__all__ = ["METRIC_YLIM", "SignalRowMixin", "MixtureExplorer", "as_pair", "scores", "metrics_html"]

#: Fixed amplitude of the metric bars in the explorers (dB), so bars compare between slider moves.
METRIC_YLIM = (-30.0, 40.0)


def as_pair(target, interference):
    """Target and interference as waveforms, the interference cut or repeated to the target's length."""
    s = as_waveform(target, "target")
    return s, fit_length(as_waveform(interference, "interference"), s.size)


def scores(estimate, target):
    """SNR and SI-SDR (dB) of one signal against the target: one row of the explorers' bar charts."""
    return {"SNR": snr(estimate, target), "SI-SDR": si_sdr(estimate, target)}


def metrics_html(rows):
    """The numbers line: every row's SNR and SI-SDR, and the SI-SDR improvement of the estimate."""
    cells = "; ".join(
        f"<b>{_html.escape(name)}</b>: " + ", ".join(f"{k} {v:.1f} dB" for k, v in row.items())
        for name, row in rows.items()
    )
    improvement = rows["estimate"]["SI-SDR"] - rows["mixture"]["SI-SDR"]
    return f"<div style='font-family:monospace'>{cells}; <b>SI-SDRi</b> {improvement:+.1f} dB</div>"


class SignalRowMixin:
    """Waveforms on a fixed amplitude scale and the SNR / SI-SDR bars of ``self.metrics``."""

    def _plot_signal_row(self, ax_waves, ax_bars, waveforms: dict, limit: float) -> list:
        """Draw ``waveforms`` on a fixed amplitude scale (±``limit``) and the SNR / SI-SDR bars of
        ``self.metrics``; return the artists to register with :meth:`Explorer.animate`."""
        self.h_wave = plots.plot_waveforms(waveforms, self.sr, ax=ax_waves, ylim=(-limit, limit))
        self.h_bars = plots.plot_metrics(self.metrics, ("SNR", "SI-SDR"), ax=ax_bars, ylim=METRIC_YLIM,
                                         title="against the clean target")
        return [*self.h_wave.artists, *self.h_bars.artists]

    def _update_signal_row(self, waveforms: dict) -> bool:
        """Show new waveforms and metrics in place; True if the amplitude scale had to grow (full redraw)."""
        full = fit_amplitude(self.h_wave.ax, list(waveforms.values()))
        self.h_wave.update(waveforms)
        self.h_bars.update(self.metrics, ylim=METRIC_YLIM)
        return full


class MixtureExplorer(SignalRowMixin, Explorer):
    r"""Base of the explorers of a target mixed with an interference at an input SNR (``snr_db``).

    Subclasses give ``mask_array()`` (the mask to apply to :math:`Y`, real or complex), the controls
    (with an ``snr_db`` slider) and the drawing; this class keeps :math:`S`, :math:`N`, the mixture,
    the estimate :math:`\hat s = \mathrm{iSTFT}(M \odot Y)` and its scores up to date. Override
    ``_on_new_mixture()`` to cache what depends only on the SNR.

    Parameters: ``target``, ``interference`` (cut or repeated to the target's length), ``sr``, ``config``
    and the starting values, as for :class:`~specmask_edu.widgets.MaskExplorer`.
    """

    #: Ends of the input SNR slider (dB).
    SNR_RANGE = (-10.0, 20.0)

    def __init__(self, target, interference, sr: int = DEFAULT_SR, config: STFTConfig | None = None, **initial):
        self.config = _as_config(config)
        self.target, self.noise = as_pair(target, interference)
        self.S = stft(self.target, self.config)
        self.N = stft(self.noise, self.config)
        super().__init__(sr, **initial)

    def snr_slider(self):
        """The input SNR control every mixture explorer has."""
        return slider("input SNR (dB)", 0.0, *self.SNR_RANGE, 1.0)

    def mask_array(self):
        raise NotImplementedError

    def _set_mixture(self, snr_db):
        """Mix ``target`` with ``noise`` at ``snr_db``: sets ``mixture``, ``Y = S + gN`` (the STFT is linear, so
        no new STFT) and the mixture's row of scores, which only the SNR changes."""
        g = snr_gain(self.target, self.noise, snr_db)
        self.mixture = self.target + g * self.noise
        self.Y = self.S + g * self.N
        self.mixture_scores = scores(self.mixture, self.target)
        self._on_new_mixture()

    def _on_new_mixture(self):
        """Hook: recompute what depends only on the mixture (called after every SNR change)."""

    def _compute(self, changed):
        if "snr_db" in changed:
            self._set_mixture(self.params["snr_db"])
        self.mask = self.mask_array()
        self.estimate_stft = apply_mask(self.Y, self.mask)
        self.estimate = istft(self.estimate_stft, self.config, length=len(self.target))
        self.metrics = {"mixture": self.mixture_scores, "estimate": scores(self.estimate, self.target)}

    def _loudest_limit(self):
        """One amplitude scale for every SNR of the slider: the loudest mixture is the one at the lowest SNR."""
        loudest, _ = mix_at_snr(self.target, self.noise, self.controls["snr_db"].min)
        return amplitude_limit([loudest, self.target])

    def signals(self):
        return {"mixture": self.mixture, f"estimate ({self._estimate_name()})": self.estimate,
                "clean target": self.target, "removed (mixture - estimate)": self.mixture - self.estimate}

    def descriptions(self):
        name = self._estimate_name()
        return {"mixture": f"The target mixed with the interference at an input SNR of {self.params['snr_db']:g} dB: "
                           "what the mask is applied to.",
                f"estimate ({name})": f"The mixture with the {name} mask applied, taken back to a waveform: what "
                                      "the mask keeps.",
                "clean target": self._words("The target alone, before mixing: the reference the scores use."),
                "removed (mixture - estimate)": "What the mask took out of the mixture: ideally the interference "
                                                "alone."}

    def _estimate_name(self):
        return "M·Y"

    def info(self):
        return metrics_html(self.metrics)
