r"""Lesson 03 (``notebooks/03_phase_matters.ipynb``): the phase explorer and the Griffin-Lim explorer."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from .. import plots
from .._defaults import DEFAULT_SR
from .._validation import SpecmaskInputError, as_waveform, check_number, check_seed
from ..audio import mix_at_snr
from ..phase import (
    combine_magnitude_phase,
    griffin_lim,
    phase_difference,
    random_phase,
    rebuild_with_phase,
    spectral_convergence_db,
    zero_phase,
)
from ..stft import STFTConfig, _as_config, stft
from ._base import Explorer
from ._canvas import amplitude_limit, two_row_grid
from ._controls import dropdown, selection_slider
from ._mixture import MixtureExplorer, SignalRowMixin, as_pair, scores

__all__ = ["PhaseExplorer", "GriffinLimExplorer"]


class PhaseExplorer(MixtureExplorer):
    r"""An oracle magnitude :math:`|S|` with a phase of your choice (notebook 03).

    Phase sources: ``"mixture"`` (what every real-valued mask uses), ``"clean"`` (the target's own
    phase: perfect), ``"zero"`` and ``"random"``. Shows the phase used, its error against the clean phase
    (:func:`specmask_edu.phase.phase_difference`), the spectrogram of the rebuilt signal re-analysed (its
    magnitude is no longer :math:`|S|` unless the phase is consistent), waveforms and metrics; plays the
    result next to the clean target and the mixture. The result is
    :func:`specmask_edu.phase.rebuild_with_phase` of :math:`|S|`.

    Parameters
    ----------
    target, interference : ndarray
    sr : int
    config : STFTConfig, optional
    seed : int
        Seed of the random phase.
    **initial : phase, snr_db
    """

    title = "Phase explorer: the right magnitude with different phases"
    picture = ("The phase used with the target's true magnitude, its error against the target's phase, the magnitude of the re-analysed result, the waveforms and SNR and SI-SDR bars: the wrong phase costs quality even with the right magnitude")
    PHASES = ("mixture", "clean", "zero", "random")

    def __init__(self, target, interference, sr: int = DEFAULT_SR, config: STFTConfig | None = None, seed: int = 0,
                 **initial):
        self.seed = check_seed(seed)
        super().__init__(target, interference, sr=sr, config=config, **initial)

    @cached_property
    def magnitude(self):
        """The oracle magnitude :math:`|S|` every phase is attached to."""
        return np.abs(self.S)

    def _make_controls(self):
        return {"phase": dropdown("phase", self.PHASES, "mixture"), "snr_db": self.snr_slider()}

    def phase_array(self):
        """The phase (radians, (freq, frames)) that :func:`~specmask_edu.phase.rebuild_with_phase` attaches
        to the oracle magnitude for the current choice (for the picture)."""
        choice = self.params["phase"]
        if choice == "mixture":
            return np.angle(self.Y)
        if choice == "clean":
            return np.angle(self.S)
        if choice == "zero":
            return zero_phase(self.S.shape)
        return random_phase(self.S.shape, rng=self.seed)  # the same draw as rebuild_with_phase(rng=seed)

    def _compute(self, changed):
        if "snr_db" in changed:
            self._set_mixture(self.params["snr_db"])
        # the estimate depends on the SNR only through the mixture's phase
        choice = self.params["phase"]
        if "phase" in changed or choice == "mixture":
            self.phase = self.phase_array()
            self.phase_error = phase_difference(self.S, combine_magnitude_phase(self.magnitude, self.phase) + 0j)
            self.estimate = rebuild_with_phase(self.magnitude, choice, mixture_stft=self.Y, target_stft=self.S,
                                               config=self.config, length=len(self.target), rng=self.seed)
            self.reanalysed = stft(self.estimate, self.config)
        self.metrics = {"mixture": self.mixture_scores, "estimate": scores(self.estimate, self.target)}

    def _draw_first(self):
        (ax_p, ax_d, ax_r), ax_w, ax_b = two_row_grid(self.fig, 3)
        cfg, sr = self.config, self.sr
        self.h_phase = plots.plot_phase(self.phase, sr, cfg, ax=ax_p, colorbar=False, title="phase used")
        self.h_error = plots.plot_phase(self.phase_error, sr, cfg, ax=ax_d, title="phase error ∠S − phase used")
        self.h_re = plots.plot_spectrogram(self.reanalysed, sr, cfg, ax=ax_r, title="|STFT| of the result")
        for ax in (ax_d, ax_r):
            ax.set_ylabel("")
        row = self._plot_signal_row(ax_w, ax_b, {"target": self.target, "estimate": self.estimate},
                                    amplitude_limit([self.target]))
        self.animate(self.h_phase.image, self.h_error.image, self.h_re.image, ax_p.title, *row)

    def _draw(self):
        self.h_phase.update(self.phase, title=f"phase used: {self.params['phase']}")
        self.h_error.update(self.phase_error)
        self.h_re.update(self.reanalysed)
        return self._update_signal_row({"target": self.target, "estimate": self.estimate})

    def signals(self):
        return {f"|S| with {self.params['phase']} phase": self.estimate, "clean target": self.target,
                "mixture": self.mixture}

    def descriptions(self):
        return {f"|S| with {self.params['phase']} phase": f"The target's exact magnitude with the "
                                                          f"{self.params['phase']} phase: only the phase is wrong.",
                "clean target": self._words("The target alone, with its own phase: the reference."),
                "mixture": f"The target mixed with the interference at {self.params['snr_db']:g} dB input SNR."}


class GriffinLimExplorer(SignalRowMixin, Explorer):
    r"""Griffin-Lim: a phase estimated from the magnitude alone, iteration by iteration (notebook 03).

    The target magnitude :math:`|S|` is fixed; ``initial`` picks the starting phase (``"zero"``,
    ``"random"``, or ``"mixture"``, the phase of the target mixed with the interference at ``snr_db``)
    and ``n_iter`` the number of iterations of :func:`specmask_edu.phase.griffin_lim`. The figure shows the
    target and the result spectrograms, the spectral convergence
    (:func:`specmask_edu.phase.spectral_convergence_db`) of every iteration count for every starting phase, waveforms and metrics.

    One iteration costs one STFT and one inverse STFT (a few ms for 5 s), and 100 iterations would keep a
    slider waiting, so every checkpoint of every starting phase is computed when the explorer is built
    (about 1.5 s for a 5-s clip): the slider never waits, and the convergence plot shows all starting
    phases from the start. Each checkpoint continues from the one below it
    (``griffin_lim(..., initial_phase=angle(STFT(previous result)))``). With ``momentum=0`` (the original
    algorithm) this equals exactly one ``griffin_lim(n_iter)`` call; with the default fast Griffin-Lim
    momentum the momentum restarts at each checkpoint, so values differ slightly from a single call.
    Checkpoints are always computed in order, so a result never depends on how the slider got there.

    Parameters
    ----------
    target : ndarray
    interference : ndarray, optional
        Needed for ``initial="mixture"``.
    sr : int
    config : STFTConfig, optional
    snr_db : float
        SNR of the mixture whose phase is used by ``initial="mixture"``.
    momentum : float
        As in :func:`specmask_edu.phase.griffin_lim` (0.99: fast Griffin-Lim; 0: the original).
    seed : int
        Seed of the random initial phase.
    **initial : n_iter, initial
    """

    title = "Griffin-Lim explorer: phase from magnitude alone"
    picture = ("The target magnitude Griffin-Lim is given, the magnitude of its result after the chosen number of iterations, the waveforms and the scores: more iterations make the magnitudes agree better")
    ITERATIONS = (0, 1, 2, 5, 10, 20, 50, 100)
    INITIAL = ("zero", "random", "mixture")

    def __init__(self, target, interference=None, sr: int = DEFAULT_SR, config: STFTConfig | None = None,
                 snr_db: float = 0.0, momentum: float = 0.99, seed: int = 0, **initial):
        self.config = _as_config(config)
        self.target = as_waveform(target, "target")
        self.S = stft(self.target, self.config)
        self.magnitude = np.abs(self.S)
        self.momentum = check_number(momentum, "momentum")
        self.initial_phases = {
            "zero": zero_phase(self.S.shape),
            "random": random_phase(self.S.shape, rng=check_seed(seed)),
        }
        self.mixture = None
        if interference is not None:
            s, n = as_pair(self.target, interference)
            self.mixture, _ = mix_at_snr(s, n, snr_db)
            self.initial_phases["mixture"] = np.angle(stft(self.mixture, self.config))
        self._cache = {name: {} for name in self.INITIAL}  # initial -> {n_iter: waveform}
        self._convergence = {name: {} for name in self.INITIAL}  # initial -> {n_iter: dB}
        for name in self.initial_phases:
            self.result(name, self.ITERATIONS[-1])
        self._mixture_metrics = {} if self.mixture is None else {"mixture": scores(self.mixture, self.target)}
        super().__init__(sr, **initial)

    def _make_controls(self):
        initial = list(self.INITIAL) if self.mixture is not None else ["zero", "random"]
        return {
            "n_iter": selection_slider("iterations", self.ITERATIONS, 10, width="40%"),
            "initial": dropdown("initial phase", initial, "zero"),
        }

    def result(self, initial: str, n_iter: int) -> np.ndarray:
        """The Griffin-Lim waveform for a starting phase and a checkpoint (cached)."""
        if initial not in self.initial_phases:
            raise SpecmaskInputError('initial="mixture" needs the interference: pass interference=... .')
        if n_iter not in self.ITERATIONS:
            raise SpecmaskInputError(f"`n_iter` must be one of {self.ITERATIONS}, got {n_iter!r}.")
        cache = self._cache[initial]
        length = len(self.target)
        for checkpoint in self.ITERATIONS:
            if checkpoint > n_iter:
                break
            if checkpoint in cache:
                continue
            done = [c for c in cache if c < checkpoint]
            if not done:
                x = griffin_lim(self.magnitude, checkpoint, self.initial_phases[initial], self.config,
                                length=length, momentum=self.momentum)
            else:
                previous = max(done)
                phase = np.angle(stft(cache[previous], self.config))
                x = griffin_lim(self.magnitude, checkpoint - previous - 1, phase, self.config, length=length,
                                momentum=self.momentum)
            cache[checkpoint] = x
            self._convergence[initial][checkpoint] = spectral_convergence_db(x, self.magnitude, self.config)
        return cache[n_iter]

    def _compute(self, changed):
        p = self.params
        self.estimate = self.result(p["initial"], p["n_iter"])
        self.estimate_stft = stft(self.estimate, self.config)
        self.metrics = {**self._mixture_metrics, "estimate": scores(self.estimate, self.target)}

    def _draw_first(self):
        (ax_s, ax_e, ax_c), ax_w, ax_b = two_row_grid(self.fig, 3)
        cfg, sr = self.config, self.sr
        plots.plot_spectrogram(self.S, sr, cfg, ax=ax_s, title="target |S| (what GL is given)", colorbar=False)
        self.h_est = plots.plot_spectrogram(self.estimate_stft, sr, cfg, ax=ax_e, title="|STFT| of the result")
        ax_e.set_ylabel("")
        # every checkpoint was computed when the explorer was built: the curves are drawn once, and an
        # update only moves the ring that marks the current setting
        self.ax_conv = ax_c
        self.conv_lines = {}
        for i, (name, values) in enumerate(self._convergence.items()):
            points = sorted(values.items())
            (self.conv_lines[name],) = ax_c.plot([k for k, _ in points], [v for _, v in points], marker="o",
                                                 markersize=3, label=name, color=plots._CYCLE[i])
        (self.conv_now,) = ax_c.plot([], [], marker="o", markersize=9, markerfacecolor="none", color="black",
                                     linestyle="none")
        lowest = min([-30.0] + [v for values in self._convergence.values() for v in values.values()])
        ax_c.set_xscale("symlog", linthresh=1)
        ax_c.set_xlim(-0.2, max(self.ITERATIONS) * 1.3)
        ax_c.set_ylim(np.floor((lowest - 3.0) / 10.0) * 10.0, 5.0)
        ax_c.set_xlabel("iterations")
        ax_c.set_ylabel("spectral convergence (dB)")
        ax_c.set_title("lower = magnitude closer to |S|")
        ax_c.grid(True, alpha=0.3)
        ax_c.legend(fontsize=8, loc="lower left")
        row = self._plot_signal_row(ax_w, ax_b, {"target": self.target, "estimate": self.estimate},
                                    amplitude_limit([self.target]))
        self.animate(self.h_est.image, ax_e.title, self.conv_now, *row)

    def _draw(self):
        p = self.params
        self.h_est.update(self.estimate_stft, title=f"after {p['n_iter']} iterations from {p['initial']} phase")
        self.conv_now.set_data([p["n_iter"]], [self._convergence[p["initial"]][p["n_iter"]]])
        return self._update_signal_row({"target": self.target, "estimate": self.estimate})

    def signals(self):
        p = self.params
        out = {f"Griffin-Lim, {p['n_iter']} it. from {p['initial']} phase": self.estimate, "clean target": self.target}
        if self.mixture is not None:
            out["mixture"] = self.mixture
        return out

    def descriptions(self):
        p = self.params
        return {f"Griffin-Lim, {p['n_iter']} it. from {p['initial']} phase": (
                    f"The target's magnitude with a phase estimated by {p['n_iter']} Griffin-Lim iterations, "
                    f"starting from the {p['initial']} phase."),
                "clean target": self._words("The target alone, with its own phase: the reference."),
                "mixture": "The target mixed with the interference (where the mixture phase comes from)."}

    def info(self):
        p = self.params
        sc = self._convergence[p["initial"]][p["n_iter"]]
        rows = "; ".join(f"<b>{k}</b>: SNR {v['SNR']:.1f} dB, SI-SDR {v['SI-SDR']:.1f} dB" for k, v in self.metrics.items())
        return (f"<div style='font-family:monospace'>spectral convergence {sc:.1f} dB after {p['n_iter']} "
                f"iterations; {rows}</div>")
