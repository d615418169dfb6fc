r"""Lesson 06 (``notebooks/06_evaluating_separation.ipynb``): why scale matters (SNR vs SI-SDR)."""

from __future__ import annotations

import numpy as np

from .. import plots
from .._defaults import DEFAULT_SR
from .._validation import SpecmaskInputError, as_waveform, check_same_length
from ..metrics import si_sdr, snr
from ._base import Explorer
from ._controls import dropdown, slider

__all__ = ["ScaleExplorer"]


class ScaleExplorer(Explorer):
    r"""Why scale matters: turn an estimate up or down and watch SNR change while SI-SDR stays (notebook 06).

    The estimate is multiplied by :math:`g = 10^{\text{gain\_db}/20}`. SNR compares sample by sample,

    .. math:: \mathrm{SNR}(g) = 10\log_{10}\frac{\|s\|^2}{\|s - g\hat s\|^2},

    so it peaks at :math:`g^\star = \hat s^\top s / \|\hat s\|^2` and falls on either side; SI-SDR first
    rescales the reference to fit the estimate, so :math:`g` cancels. The curves over the whole gain
    range are drawn once per estimate; a marker shows the current gain. The waveform close-up keeps a
    fixed amplitude range (3.3 times the target's peak), so a much louder estimate runs off it. The players keep true level
    (one gain for the group), so a louder estimate really plays louder.

    Parameters
    ----------
    estimates : dict {name: waveform}
        One or more estimates of ``reference`` (not silent: a silent estimate has no scale).
    reference : ndarray
        The clean target.
    sr : int
    zoom : (t0, t1)
        Seconds shown in the waveform close-up.
    **initial : estimate (a name), gain_db
    """

    title = "Scale explorer: SNR vs SI-SDR when an estimate is turned up or down"
    picture = ("The estimate's waveform against the target at the chosen gain and SNR and SI-SDR as functions of the gain: SNR punishes a turned-down estimate, SI-SDR does not change")
    figsize = (11.0, 5.6)
    example = "oracle_estimates"
    GAINS_DB = np.arange(-20.0, 20.01, 0.5)

    def __init__(self, estimates, reference, sr: int = DEFAULT_SR, zoom=(1.0, 1.05), **initial):
        if not isinstance(estimates, dict) or not estimates:
            raise SpecmaskInputError("`estimates` must be a non-empty dict {name: waveform}.")
        self.reference = as_waveform(reference, "reference")
        self.estimates = {}
        for name, x in estimates.items():
            label = f"estimates[{name!r}]"
            x = as_waveform(x, label)
            check_same_length(self.reference, x, "reference", label)
            if not np.any(x):
                raise SpecmaskInputError(f"{label} is silent (all zeros): turning it up or down changes nothing, "
                                         "so there is no best gain to find. Pass an estimate that is not silent.")
            self.estimates[str(name)] = x
        self.zoom = (float(zoom[0]), float(zoom[1]))
        self.curves = {}
        for name, x in self.estimates.items():
            gains = 10.0 ** (self.GAINS_DB / 20.0)
            self.curves[name] = {"SNR": np.array([snr(g * x, self.reference) for g in gains]),
                                 "SI-SDR": np.full(gains.size, si_sdr(x, self.reference)),
                                 "best_gain_db": 20.0 * np.log10(max(np.dot(x, self.reference) / np.dot(x, x), 1e-12))}
        super().__init__(sr, **initial)

    def _make_controls(self):
        return {
            "estimate": dropdown("estimate", list(self.estimates), next(iter(self.estimates))),
            "gain_db": slider("gain on the estimate (dB)", 0.0, float(self.GAINS_DB[0]), float(self.GAINS_DB[-1]), 0.5),
        }

    def _compute(self, changed):
        p = self.params
        self.gain = 10.0 ** (p["gain_db"] / 20.0)
        self.scaled = self.gain * self.estimates[p["estimate"]]
        self.metrics = {"scaled estimate": {"SNR": snr(self.scaled, self.reference),
                                            "SI-SDR": si_sdr(self.scaled, self.reference)}}

    def _segment(self, x):
        i0, i1 = (int(round(t * self.sr)) for t in self.zoom)
        return x[i0:i1]

    def _draw_first(self):
        gs = self.fig.add_gridspec(2, 3, height_ratios=(1.0, 1.2))
        ax_w = self.fig.add_subplot(gs[0, :])
        ax_c, ax_b = self.fig.add_subplot(gs[1, :2]), self.fig.add_subplot(gs[1, 2])
        t = self.zoom[0] + np.arange(self._segment(self.reference).size) / self.sr
        (self.line_ref,) = ax_w.plot(t, self._segment(self.reference), color=plots.ROLE_COLORS["target"],
                                     linewidth=1.2, label="clean target s")
        (self.line_est,) = ax_w.plot(t, self._segment(self.scaled), color=plots.ROLE_COLORS["estimate"],
                                     linewidth=1.0, label="g · estimate")
        ax_w.set_xlim(t[0], t[-1])
        ax_w.set_xlabel("time (s)")
        ax_w.set_ylabel("amplitude")
        ax_w.grid(True, alpha=0.3)
        ax_w.legend(loc="upper right", fontsize=8)
        self.ax_w = ax_w
        self.ax_c = ax_c
        curve = self.curves[self.params["estimate"]]
        (self.snr_curve,) = ax_c.plot(self.GAINS_DB, curve["SNR"], color=plots._CYCLE[0], label="SNR")
        (self.si_curve,) = ax_c.plot(self.GAINS_DB, curve["SI-SDR"], color=plots._CYCLE[1], label="SI-SDR")
        self.best_line = ax_c.axvline(curve["best_gain_db"], color="0.4", linestyle=":", linewidth=1,
                                      label="best gain for SNR")
        (self.snr_dot,) = ax_c.plot([], [], "o", color=plots._CYCLE[0], markersize=8)
        (self.si_dot,) = ax_c.plot([], [], "o", color=plots._CYCLE[1], markersize=8)
        ax_c.set_xlabel("gain on the estimate (dB)")
        ax_c.set_ylabel("dB")
        ax_c.set_ylim(-25, 30)
        ax_c.grid(True, alpha=0.3)
        ax_c.legend(loc="lower center", fontsize=8, ncols=3)
        self.h_bars = plots.plot_metrics(self.metrics, ("SNR", "SI-SDR"), ax=ax_b, ylim=(-25.0, 30.0),
                                         title="now")
        self._fit_waveform_axis()
        self.animate(self.line_est, ax_w.get_legend(), self.snr_dot, self.si_dot, *self.h_bars.artists)
        self._shown = self.params["estimate"]

    def _fit_waveform_axis(self):
        """A fixed amplitude range, 3 times the reference's peak: louder estimates leave the picture."""
        limit = 3.3 * max(float(np.max(np.abs(self._segment(self.reference)))), 1e-6)
        changed = self.ax_w.get_ylim() != (-limit, limit)
        if changed:
            self.ax_w.set_ylim(-limit, limit)
        return changed

    def _draw(self):
        p = self.params
        full = False
        if p["estimate"] != self._shown:
            curve = self.curves[p["estimate"]]
            self.snr_curve.set_ydata(curve["SNR"])
            self.si_curve.set_ydata(curve["SI-SDR"])
            self.best_line.set_xdata([curve["best_gain_db"]] * 2)
            self._shown = p["estimate"]
            full = True
        self.line_est.set_ydata(self._segment(self.scaled))
        self.snr_dot.set_data([p["gain_db"]], [self.metrics["scaled estimate"]["SNR"]])
        self.si_dot.set_data([p["gain_db"]], [self.metrics["scaled estimate"]["SI-SDR"]])
        self.h_bars.update(self.metrics, ylim=(-25.0, 30.0))
        full |= self._fit_waveform_axis()
        return full

    def signals(self):
        return {f"{self.params['estimate']} × {self.gain:.2f}": self.scaled, "clean target": self.reference}

    def descriptions(self):
        return {f"{self.params['estimate']} × {self.gain:.2f}": f"The {self.params['estimate']} estimate turned "
                                                                f"{self.params['gain_db']:+.1f} dB: the same sound, "
                                                                "quieter or louder.",
                "clean target": self._words("The target alone: the reference both scores use.")}

    def info(self):
        p = self.params
        m = self.metrics["scaled estimate"]
        best = self.curves[p["estimate"]]["best_gain_db"]
        return (f"<div style='font-family:monospace'>gain {p['gain_db']:+.1f} dB (× {self.gain:.3f}): "
                f"SNR {m['SNR']:.2f} dB, SI-SDR {m['SI-SDR']:.2f} dB. SNR is largest at {best:+.1f} dB "
                "(g* = ŝ·s / ŝ·ŝ); SI-SDR is the same at every gain.</div>")
