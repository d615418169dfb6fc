r"""Interactive explorers used by the lessons (ipywidgets + matplotlib, no ipympl needed).

Every explorer is a class with

* ``.widget`` — the ipywidgets container to display (controls on top, the figure, the players, a
  line of numbers). Put ``explorer.widget`` as the last line of a cell.
* ``.update(**params)`` — set parameters from code (tests and benchmarks call it; the sliders call it
  too). Unknown names or values outside a control's range raise :class:`SpecmaskInputError`.
* ``.show_static()`` — display the current state as a plain PNG, a player table and the numbers.
  Every lesson has such a cell right below each explorer, so an exported HTML page or a CI log shows
  the result even where no widget frontend runs.
* ``.params`` (current values), ``.fig`` (the figure), ``.signals()`` (the clips in the players),
  ``.last_timing`` (seconds of the last update: ``compute``, ``draw``, ``encode`` (the picture),
  ``players``, ``total``, and ``cpu_compute_draw``, the process CPU time of compute + draw).

How the figure is shown (and why). ipympl is not part of the course stack, and
``interact`` + ``plt.show()`` redraws a *new* figure on every move (slow, and outputs stack up).
Here each explorer owns one standalone matplotlib figure that pyplot does not track
(``plots.get_figure(managed=False)``), shown as an ``ipywidgets.Image`` below the controls:

1. a control change recomputes only what it affects (typically the mask and one inverse STFT: the STFTs
   of the clips are computed once in ``__init__``);
2. the existing artists are changed in place (``set_data``, ``set_verts``, ``set_height``), and only those
   are re-rendered with Agg over a cached bitmap of everything else ("blitting", see
   :meth:`Explorer.animate`): axes, ticks and labels are not drawn again;
3. the canvas goes into the ``Image`` widget as a JPEG (``Explorer.frame_format``: ~2 ms to encode where
   a PNG of these noisy spectrograms takes ~18 ms, and 2-3 times smaller to send to the browser).

The controls never move or disappear, nothing stacks up and the number of open figures stays constant.
Only core ipywidgets are used (``Image``, ``HTML``, sliders, menus), so it runs wherever ipywidgets 8
does (JupyterLab 4, Notebook 7, ...), with no frontend extension to install. Where no widget frontend runs
(exported HTML, CI logs, nbviewer), the cell below each explorer calls ``show_static()``, which displays
the same figure as a lossless PNG with ``IPython.display.Image`` and the players as plain HTML
``<audio>`` elements.

Sliders that trigger an inverse STFT use ``continuous_update=False``: the picture updates when the
slider is released.

Writing a new explorer (see the section for notebooks 04-06 at the end of this file): subclass
:class:`Explorer` and implement

* ``_make_controls()`` -> ``{param name: ipywidgets control}`` (their initial values are the defaults),
* ``_compute(changed)`` -> recompute results for the parameters in the set ``changed``
  (``self.params`` holds all current values; on the first call ``changed`` holds every name),
* ``_draw_first()`` -> create the artists in ``self.fig`` (called once, after the first ``_compute``) with
  the ``plots.plot_*`` functions (``ax=``), and register the ones that change with
  ``self.animate(*handle.artists, ...)``,
* ``_draw()`` -> update those artists in place (``handle.update(...)``); return True only if something
  that is not registered changed (axis limits, a colour bar), which costs a full redraw,
* ``signals()`` -> ``{label: waveform}`` for the player table, and ``info()`` -> an HTML string.

Taught from ``notebooks/00_welcome.ipynb`` (how to use a slider) onwards.
"""

from __future__ import annotations

import gc
import html as _html
import time

import numpy as np

from . import plots
from ._validation import SpecmaskInputError, as_waveform
from .audio import fit_length, mix_at_snr, snr_gain
from .masks import ideal_amplitude_mask, ideal_binary_mask, ideal_ratio_mask, random_real_mask, wiener_mask
from .metrics import si_sdr, snr
from .phase import quantize_phase, random_phase, spectral_convergence_db, zero_phase  # noqa: F401
from .separation import apply_mask
from .stft import STFTConfig, _as_config, istft, stft

__all__ = [
    "Explorer",
    "STFTExplorer",
    "MaskExplorer",
    "PhaseExplorer",
    "GriffinLimExplorer",
    "ComplexMaskExplorer",
    "CompressionExplorer",
    "MixingConsoleExplorer",
    "HPSSExplorer",
    "ScaleExplorer",
    "MUSIC_CONFIG",
    "spectral_convergence_db",
]

#: Fixed amplitude of the metric bars in the explorers (dB), so bars compare between slider moves.
METRIC_YLIM = (-30.0, 40.0)


def _widgets():
    import ipywidgets

    return ipywidgets


class Explorer:
    """Base class of the explorers: controls + one figure (as PNG) + a player table + numbers.

    Subclasses fill in ``_make_controls``, ``_compute``, ``_draw_first``, ``_draw``, ``signals`` and
    ``info`` (see the module docstring). ``__init__`` of a subclass does its expensive work (loading,
    STFTs) first and then calls ``super().__init__()``, which computes and draws the initial state.
    """

    #: Figure size in inches and resolution of the PNG (80 dpi: 11 x 6 in gives 880 x 480 pixels).
    figsize = (11.0, 6.0)
    dpi = 80
    #: Title shown above the controls.
    title = ""
    #: Format of the live picture: JPEG (quality 90, no chroma subsampling) encodes in ~2 ms where PNG
    #: takes ~18 ms for these noisy spectrograms, and is 2-3 times smaller to send; the static
    #: fallback uses lossless PNG.
    frame_format = "jpeg"

    def __init__(self, sr: int, **initial):
        self.sr = int(sr)
        self.controls = self._make_controls()
        for name, control in self.controls.items():
            control._specmask_param = name  # noqa: SLF001 - used by the observer
        self.params = {name: control.value for name, control in self.controls.items()}
        unknown = set(initial) - set(self.params)
        if unknown:
            raise SpecmaskInputError(f"Unknown parameter(s) {sorted(unknown)}; this explorer has {sorted(self.params)}.")
        for name, value in initial.items():
            self.params[name] = self._check_value(name, value)
        self._syncing = False
        self.last_timing = {}
        self._animated = []
        self._rarely_changing = []
        self._background = self._bare_background = None
        self._background_stale = False
        self.fig, _ = plots.get_figure(type(self).__name__, nrows=0, figsize=self.figsize, managed=False, dpi=self.dpi)
        self._compute(set(self.params))
        self._draw_first()
        self._draw()  # titles and limits of the initial state
        # Lay the figure out once, then freeze the layout: constrained layout on every redraw costs
        # more than the drawing itself.
        self.fig.draw_without_rendering()
        self.fig.set_layout_engine("none")
        self._redraw(full=True)
        self._build_widget()
        self._sync_controls()
        self._publish()
        # Building made many short-lived objects; collect them now (~0.1 s, part of the start-up) rather
        # than let Python's full garbage collection fall into the student's first slider move.
        gc.collect()

    # ---------------------------------------------------------------- to implement
    def _make_controls(self) -> dict:
        raise NotImplementedError

    def _compute(self, changed: set) -> None:
        raise NotImplementedError

    def _draw_first(self) -> None:
        raise NotImplementedError

    def _draw(self):
        """Update the artists in place; return True if something static changed (axis limits, tick
        labels, a title not registered with :meth:`animate`), so the whole figure must be redrawn."""
        raise NotImplementedError

    def signals(self) -> dict:
        """``{label: waveform}`` of the clips in the player table (current state)."""
        raise NotImplementedError

    def info(self) -> str:
        """HTML line of numbers shown under the players."""
        return ""

    # ---------------------------------------------------------------- machinery
    def _check_value(self, name, value):
        control = self.controls[name]
        options = getattr(control, "options", None)
        if options is not None:
            values = [o[1] if isinstance(o, tuple) else o for o in options]
            labels = [o[0] if isinstance(o, tuple) else o for o in options]
            if value in values:
                return value
            if value in labels:  # accept the label shown in a dropdown, too
                return values[labels.index(value)]
            raise SpecmaskInputError(f"`{name}` must be one of {values}, got {value!r}.")
        if hasattr(control, "min") and hasattr(control, "max"):
            try:
                v = float(value)
            except (TypeError, ValueError):
                raise SpecmaskInputError(f"`{name}` must be a number, got {value!r}.") from None
            if not control.min - 1e-9 <= v <= control.max + 1e-9:
                raise SpecmaskInputError(f"`{name}` must be between {control.min} and {control.max}, got {value!r}.")
            return type(control.value)(value)
        return value

    def _build_widget(self):
        w = _widgets()
        self.image = w.Image(format=self.frame_format, layout=w.Layout(max_width="100%", height="auto"))
        self.players_html = w.HTML()
        self.info_html = w.HTML()
        for control in self.controls.values():
            control.observe(self._on_control, names="value")
        controls = list(self.controls.values())
        rows = [w.HBox(controls[i:i + 3]) for i in range(0, len(controls), 3)]
        header = [w.HTML(f"<b>{_html.escape(self.title)}</b>")] if self.title else []
        self.widget = w.VBox(header + rows + [self.image, self.players_html, self.info_html])

    def _on_control(self, change):
        if self._syncing:
            return
        name = change["owner"]._specmask_param  # noqa: SLF001
        try:
            self.update(**{name: change["new"]})
        except Exception as err:  # show the problem in the widget instead of losing it in a log
            self.info_html.value = f"<span style='color:#b00'>{_html.escape(str(err))}</span>"

    def _sync_controls(self):
        self._syncing = True
        try:
            for name, control in self.controls.items():
                if control.value != self.params[name]:
                    control.value = self.params[name]
            self._enable_controls()
        finally:
            self._syncing = False

    def _enable_controls(self):
        """Grey out controls that do not apply to the current state (override if needed)."""

    def update(self, **params):
        """Change parameters (by name, as on the controls) and refresh figure, players and numbers.

        Only what depends on the changed parameters is recomputed. Returns ``self``.
        """
        unknown = set(params) - set(self.params)
        if unknown:
            raise SpecmaskInputError(
                f"Unknown parameter(s) {sorted(unknown)}; this explorer has {sorted(self.params)}."
            )
        checked = {name: self._check_value(name, value) for name, value in params.items()}
        changed = {name for name, value in checked.items() if value != self.params[name]}
        self.params.update(checked)
        t0, c0 = time.perf_counter(), time.process_time()
        if changed:
            self._compute(changed)
        t1 = time.perf_counter()
        full = bool(self._draw())
        self._redraw(full=full)
        t2 = time.perf_counter()
        cpu = time.process_time() - c0
        self._sync_controls()
        self._publish(t0, t1, t2)
        self.last_timing["cpu_compute_draw"] = cpu
        return self

    # ---------------------------------------------------------------- drawing with blitting
    def animate(self, *artists):
        """Register artists that change on updates (``handle.artists`` of the plots, changing titles...).

        Everything else is drawn once into a background bitmap; an update restores that bitmap and
        draws only these artists on top (matplotlib "blitting"), which skips re-rendering every tick
        label and is what keeps an update near 50 ms. Registered artists are drawn in this order,
        after the background, so register legends after the lines they cover.
        """
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)

    def animate_rarely(self, *artists):
        """Register artists that change now and then (a colour bar whose range follows the mask type).

        They are kept out of the full drawing and painted into the background bitmap, so an update costs
        nothing for them unless :meth:`background_changed` was called, which repaints just them (a few ms)
        instead of the whole figure (~100 ms).
        """
        for artist in artists:
            artist.set_animated(True)
            self._rarely_changing.append(artist)

    def background_changed(self):
        """Call from ``_draw`` after changing an artist registered with :meth:`animate_rarely`."""
        self._background_stale = True

    def _redraw(self, full: bool = False):
        canvas = self.fig.canvas
        if full or self._background is None:
            canvas.draw()  # animated artists are skipped here
            self._bare_background = canvas.copy_from_bbox(self.fig.bbox)
            self._background_stale = True
        if self._background_stale:
            canvas.restore_region(self._bare_background)
            for artist in self._rarely_changing:
                self.fig.draw_artist(artist)
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._background_stale = False
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            if artist.get_visible():
                self.fig.draw_artist(artist)

    # ---------------------------------------------------------------- the row most explorers end with
    def _plot_signal_row(self, ax_waves, ax_bars, waveforms: dict, limit: float) -> list:
        """Draw ``waveforms`` on a fixed amplitude scale (±``limit``) and the SNR / SI-SDR bars of
        ``self.metrics``; return the artists to register with :meth:`animate`."""
        self.h_wave = plots.plot_waveforms(waveforms, self.sr, ax=ax_waves, ylim=(-limit, limit))
        self.h_bars = plots.plot_metrics(self.metrics, ("SNR", "SI-SDR"), ax=ax_bars, ylim=METRIC_YLIM,
                                         title="against the clean target")
        return [*self.h_wave.artists, *self.h_bars.artists]

    def _update_signal_row(self, waveforms: dict) -> bool:
        """Show new waveforms and metrics in place; True if the amplitude scale had to grow (full redraw)."""
        full = _fit_amplitude(self.h_wave.ax, list(waveforms.values()))
        self.h_wave.update(waveforms)
        self.h_bars.update(self.metrics, ylim=METRIC_YLIM)
        return full

    def _publish(self, t0=None, t1=None, t2=None):
        t3 = time.perf_counter()
        frame = self._encode(self.frame_format)
        t4 = time.perf_counter()
        self.image.value = frame
        self.players_html.value = self.player_table().html()
        t5 = time.perf_counter()
        self.info_html.value = self.info()
        if t0 is not None:
            self.last_timing = {"compute": t1 - t0, "draw": t2 - t1, "encode": t4 - t3, "players": t5 - t4,
                                "total": time.perf_counter() - t0}

    def _encode(self, fmt: str = "png") -> bytes:
        """The canvas as last drawn (``update`` has just drawn it), as PNG or JPEG bytes."""
        return plots.canvas_to_bytes(self.fig.canvas, fmt)

    def player_table(self):
        """The current clips as a :class:`specmask_edu.players.PlayerTable` (one gain for all).

        The gain only ever turns down (when a louder setting would clip), like the waveform scale: a clip
        that a slider move did not change keeps playing at the same level.
        """
        from .players import group_gain, player_table

        signals = self.signals()
        self._player_gain = min(getattr(self, "_player_gain", 1.0), group_gain(signals))
        return player_table(signals, self.sr, gain=self._player_gain)

    def png(self) -> bytes:
        """The current figure as PNG bytes (what :meth:`show_static` displays).

        Use this rather than ``fig.savefig`` or ``plots.figure_to_png(explorer.fig)``: the artists that
        change are marked *animated* for blitting, and a plain matplotlib draw leaves them out.
        """
        return self._encode("png")

    def show_static(self):
        """Display the current state without widgets: the figure as PNG, the players, the numbers."""
        from IPython.display import HTML, Image, display

        settings = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        display(HTML(f"<div style='font-size:90%;color:#555'>{_html.escape(type(self).__name__)}: "
                     f"{_html.escape(settings)}</div>"))
        display(Image(data=self.png(), format="png"))
        display(self.player_table())
        text = self.info()
        if text:
            display(HTML(text))

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


# --------------------------------------------------------------------------- helpers shared by explorers


def _slider(w, kind, description, value, min, max, step, **kw):
    cls = {"float": w.FloatSlider, "int": w.IntSlider}[kind]
    return cls(value=value, min=min, max=max, step=step, description=description, continuous_update=False,
               style={"description_width": "initial"}, layout=w.Layout(width="32%"), **kw)


def _dropdown(w, description, options, value):
    return w.Dropdown(options=options, value=value, description=description,
                      style={"description_width": "initial"}, layout=w.Layout(width="32%"))


def _two_row_grid(fig, top, bottom_ratio=(2, 1)):
    """Axes for ``top`` images in the first row and a wide + narrow pair in the second row."""
    gs = fig.add_gridspec(2, top * 2, height_ratios=(1.15, 1.0))
    top_axes = [fig.add_subplot(gs[0, 2 * i:2 * i + 2]) for i in range(top)]
    split = 2 * top * bottom_ratio[0] // sum(bottom_ratio)
    wide = fig.add_subplot(gs[1, :split])
    narrow = fig.add_subplot(gs[1, split:])
    return top_axes, wide, narrow


def _fit_amplitude(ax, signals, minimum=1.0):
    """Widen the symmetric amplitude limits (in steps of 0.5) until every signal fits; True if they changed.

    The limits only grow: a fixed scale keeps level differences visible between slider positions and
    avoids redrawing the whole figure (see :meth:`Explorer.animate`).
    """
    limit = _amplitude_limit(signals, minimum)
    if limit > ax.get_ylim()[1]:
        ax.set_ylim(-limit, limit)
        return True
    return False


def _amplitude_limit(signals, minimum=1.0):
    """The smallest multiple of 0.5 (at least ``minimum``) above 1.05 times the largest peak."""
    peak = max(float(np.max(np.abs(x))) for x in signals)
    return max(minimum, float(np.ceil(peak * 1.05 / 0.5)) * 0.5)


def _scores(estimate, target):
    """SNR and SI-SDR (dB) of one signal against the target: one row of the explorers' bar charts."""
    return {"SNR": snr(estimate, target), "SI-SDR": si_sdr(estimate, target)}


def _set_mixture(explorer, snr_db):
    """Mix ``explorer.target`` with ``explorer.noise`` at ``snr_db``: sets ``mixture``, ``Y = S + gN`` (the
    STFT is linear, so no new STFT) and the mixture's row of scores, which only the SNR changes."""
    g = snr_gain(explorer.target, explorer.noise, snr_db)
    explorer.mixture = explorer.target + g * explorer.noise
    explorer.Y = explorer.S + g * explorer.N
    explorer.mixture_scores = _scores(explorer.mixture, explorer.target)


def _metrics_html(rows):
    cells = "; ".join(
        f"<b>{_html.escape(name)}</b>: " + ", ".join(f"{k} {v:.1f} dB" for k, v in row.items())
        for name, row in rows.items()
    )
    improvement = rows["estimate"]["SI-SDR"] - rows["mixture"]["SI-SDR"]
    return f"<div style='font-family:monospace'>{cells}; <b>SI-SDRi</b> {improvement:+.1f} dB</div>"


def _from_mixture_example(cls, speech: str = "speech_female_1", noise: str = "babble", sr: int = 16000, **kwargs):
    """Build an explorer that takes ``(target, interference)`` from bundled clips (see
    :func:`specmask_edu.list_examples`); the input SNR is the explorer's own parameter."""
    from .examples import load_mixture

    mix = load_mixture(speech, noise, snr_db=0.0, sr=sr)
    return cls(mix["target"], mix["interference"], sr=mix["sr"], **kwargs)


def _as_pair(target, interference):
    s = as_waveform(target, "target")
    return s, fit_length(as_waveform(interference, "interference"), s.size)


# --------------------------------------------------------------------------- 01: the STFT


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
    figsize = (11.0, 5.6)
    WINDOW_AXIS_MS = 300.0
    N_FFTS = (64, 128, 256, 512, 1024, 2048, 4096)
    HOPS = (16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
    WINDOWS = ("hann", "hamming", "blackman", "boxcar")

    def __init__(self, x, sr: int = 16000, zoom=(1.0, 1.4, 2000.0), seed: int = 0, **initial):
        self.x = as_waveform(x, "x", min_length=max(self.N_FFTS))
        self.zoom = tuple(float(v) for v in zoom)
        self.seed = int(seed)
        super().__init__(sr, **initial)

    @classmethod
    def from_example(cls, name: str = "speech_female_1", sr: int = 16000, **kwargs):
        """Build from a bundled clip (see :func:`specmask_edu.list_examples`)."""
        from .examples import load_example

        return cls(load_example(name, sr=sr), sr=sr, **kwargs)

    def _make_controls(self):
        w = _widgets()
        return {
            "n_fft": w.SelectionSlider(options=list(self.N_FFTS), value=512, description="n_fft",
                                       continuous_update=False, layout=w.Layout(width="32%")),
            "hop_length": w.SelectionSlider(options=list(self.HOPS), value=128, description="hop_length",
                                            continuous_update=False, layout=w.Layout(width="32%")),
            "window": _dropdown(w, "window", list(self.WINDOWS), "hann"),
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
        phase = random_phase(self.X.shape, rng=self.seed)
        self.magnitude_only = istft(np.abs(self.X) * np.exp(1j * phase), cfg, length=len(self.x))

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
        from scipy.signal import get_window

        cfg = self.config
        self.h_full.update(self.X, config=cfg)
        self.h_zoom.update(self.X, config=cfg)
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


# --------------------------------------------------------------------------- 02: real-valued masks


class MaskExplorer(Explorer):
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
    MASKS = ("random", "IBM", "IRM", "Wiener", "IAM")

    def __init__(self, target, interference, sr: int = 16000, config: STFTConfig | None = None, seed: int = 0,
                 **initial):
        self.config = _as_config(config)
        self.target, self.noise = _as_pair(target, interference)
        self.S = stft(self.target, self.config)
        self.N = stft(self.noise, self.config)
        self.random_mask = random_real_mask(self.S.shape, rng=seed)
        super().__init__(sr, **initial)

    from_example = classmethod(_from_mixture_example)

    def _make_controls(self):
        w = _widgets()
        return {
            "mask": _dropdown(w, "mask", list(self.MASKS), "IRM"),
            "snr_db": _slider(w, "float", "input SNR (dB)", 0.0, -10.0, 20.0, 1.0),
            "lc_db": _slider(w, "float", "IBM local criterion (dB)", 0.0, -20.0, 20.0, 1.0),
            "beta": _slider(w, "float", "IRM exponent β", 0.5, 0.1, 3.0, 0.1),
        }

    def _enable_controls(self):
        self.controls["lc_db"].disabled = self.params["mask"] != "IBM"
        self.controls["beta"].disabled = self.params["mask"] != "IRM"

    def mask_array(self):
        """The current mask (freq, frames), computed from the cached STFTs."""
        p = self.params
        name = p["mask"]
        if name == "random":
            return self.random_mask
        if name == "IBM":
            return ideal_binary_mask(self.S, self.Y, lc_db=p["lc_db"])
        if name == "IRM":
            return ideal_ratio_mask(self.S, self.Y, beta=p["beta"])
        if name == "Wiener":
            return wiener_mask(self.S, self.Y)
        return ideal_amplitude_mask(self.S, self.Y)

    def _compute(self, changed):
        if "snr_db" in changed:
            self._set_mixture()
        self.mask = self.mask_array()
        self.estimate_stft = apply_mask(self.Y, self.mask)
        self.estimate = istft(self.estimate_stft, self.config, length=len(self.target))
        self.metrics = {"mixture": self.mixture_scores, "estimate": _scores(self.estimate, self.target)}

    def _set_mixture(self):
        _set_mixture(self, self.params["snr_db"])

    def _draw_first(self):
        (ax_y, ax_m, ax_e), ax_w, ax_b = _two_row_grid(self.fig, 3)
        cfg, sr = self.config, self.sr
        self.h_mix = plots.plot_spectrogram(self.Y, sr, cfg, ax=ax_y, title="mixture |Y|", colorbar=False)
        # colour range [0, 1] for the masks bounded by 1; the IAM gets [0, 2] with gains above 1 in red
        self.h_mask = plots.plot_mask(self.mask, sr, cfg, ax=ax_m, title="mask M", vmax=self._mask_vmax())
        self.h_est = plots.plot_spectrogram(self.estimate_stft, sr, cfg, ax=ax_e, title="estimate |M·Y|")
        for ax in (ax_m, ax_e):
            ax.set_ylabel("")
        # one fixed scale for every SNR of the slider: the loudest mixture is the one at the lowest SNR
        loudest, _ = mix_at_snr(self.target, self.noise, self.controls["snr_db"].min)
        limit = _amplitude_limit([loudest, self.target])
        row = self._plot_signal_row(ax_w, ax_b, self._waveforms(), limit)
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
        p = self.params
        return {"random": "random U[0,1)", "IBM": f"IBM, LC = {p['lc_db']:g} dB", "IRM": f"IRM, β = {p['beta']:g}",
                "Wiener": "Wiener (IRM β=1)", "IAM": "IAM |S|/|Y| (red: above 1)"}[p["mask"]]

    def signals(self):
        return {"mixture": self.mixture, f"estimate ({self.params['mask']})": self.estimate,
                "clean target": self.target, "removed (mixture - estimate)": self.mixture - self.estimate}

    def info(self):
        return _metrics_html(self.metrics)


# --------------------------------------------------------------------------- 03: phase


class PhaseExplorer(Explorer):
    r"""An oracle magnitude :math:`|S|` with a phase of your choice (notebook 03).

    Phase sources: ``"mixture"`` (what every real-valued mask uses), ``"clean"`` (the target's own
    phase: perfect), ``"zero"`` and ``"random"``. Shows the phase used, its error against the clean phase
    (:func:`specmask_edu.phase.phase_difference`), the spectrogram of the rebuilt signal re-analysed (its
    magnitude is no longer :math:`|S|` unless the phase is consistent), waveforms and metrics; plays the
    result next to the clean target and the mixture.

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
    PHASES = ("mixture", "clean", "zero", "random")

    def __init__(self, target, interference, sr: int = 16000, config: STFTConfig | None = None, seed: int = 0,
                 **initial):
        self.config = _as_config(config)
        self.target, self.noise = _as_pair(target, interference)
        self.S = stft(self.target, self.config)
        self.N = stft(self.noise, self.config)
        self.magnitude = np.abs(self.S)
        self.random_phase = random_phase(self.S.shape, rng=seed)
        super().__init__(sr, **initial)

    from_example = classmethod(_from_mixture_example)

    def _make_controls(self):
        w = _widgets()
        return {
            "phase": _dropdown(w, "phase", list(self.PHASES), "mixture"),
            "snr_db": _slider(w, "float", "input SNR (dB)", 0.0, -10.0, 20.0, 1.0),
        }

    def phase_array(self):
        """The phase (radians, (freq, frames)) attached to the oracle magnitude."""
        choice = self.params["phase"]
        if choice == "mixture":
            return np.angle(self.Y)
        if choice == "clean":
            return np.angle(self.S)
        if choice == "zero":
            return zero_phase(self.S.shape)
        return self.random_phase

    def _compute(self, changed):
        from .phase import combine_magnitude_phase, phase_difference

        if "snr_db" in changed:
            _set_mixture(self, self.params["snr_db"])
        # the estimate depends on the SNR only through the mixture's phase
        if "phase" in changed or self.params["phase"] == "mixture":
            self.phase = self.phase_array()
            rebuilt_stft = combine_magnitude_phase(self.magnitude, self.phase)
            self.phase_error = phase_difference(self.S, rebuilt_stft + 0j)
            self.estimate = istft(rebuilt_stft, self.config, length=len(self.target))
            self.reanalysed = stft(self.estimate, self.config)
        self.metrics = {"mixture": self.mixture_scores, "estimate": _scores(self.estimate, self.target)}

    def _draw_first(self):
        (ax_p, ax_d, ax_r), ax_w, ax_b = _two_row_grid(self.fig, 3)
        cfg, sr = self.config, self.sr
        self.h_phase = plots.plot_phase(self.phase, sr, cfg, ax=ax_p, colorbar=False, title="phase used")
        self.h_error = plots.plot_phase(self.phase_error, sr, cfg, ax=ax_d, title="phase error ∠S − phase used")
        self.h_re = plots.plot_spectrogram(self.reanalysed, sr, cfg, ax=ax_r, title="|STFT| of the result")
        for ax in (ax_d, ax_r):
            ax.set_ylabel("")
        row = self._plot_signal_row(ax_w, ax_b, {"target": self.target, "estimate": self.estimate},
                                    _amplitude_limit([self.target]))
        self.animate(self.h_phase.image, self.h_error.image, self.h_re.image, ax_p.title, *row)

    def _draw(self):
        self.h_phase.update(self.phase, title=f"phase used: {self.params['phase']}")
        self.h_error.update(self.phase_error)
        self.h_re.update(self.reanalysed)
        return self._update_signal_row({"target": self.target, "estimate": self.estimate})

    def signals(self):
        return {f"|S| with {self.params['phase']} phase": self.estimate, "clean target": self.target,
                "mixture": self.mixture}

    def info(self):
        return _metrics_html(self.metrics)


class GriffinLimExplorer(Explorer):
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
    ITERATIONS = (0, 1, 2, 5, 10, 20, 50, 100)
    INITIAL = ("zero", "random", "mixture")

    def __init__(self, target, interference=None, sr: int = 16000, config: STFTConfig | None = None,
                 snr_db: float = 0.0, momentum: float = 0.99, seed: int = 0, **initial):
        self.config = _as_config(config)
        self.target = as_waveform(target, "target")
        self.S = stft(self.target, self.config)
        self.magnitude = np.abs(self.S)
        self.momentum = float(momentum)
        self.initial_phases = {
            "zero": zero_phase(self.S.shape),
            "random": random_phase(self.S.shape, rng=seed),
        }
        self.mixture = None
        if interference is not None:
            s, n = _as_pair(self.target, interference)
            self.mixture, _ = mix_at_snr(s, n, snr_db)
            self.initial_phases["mixture"] = np.angle(stft(self.mixture, self.config))
        self._cache = {name: {} for name in self.INITIAL}  # initial -> {n_iter: waveform}
        self._convergence = {name: {} for name in self.INITIAL}  # initial -> {n_iter: dB}
        for name in self.initial_phases:
            self.result(name, self.ITERATIONS[-1])
        self._mixture_metrics = {} if self.mixture is None else {
            "mixture": {"SNR": snr(self.mixture, self.target), "SI-SDR": si_sdr(self.mixture, self.target)}}
        super().__init__(sr, **initial)

    @classmethod
    def from_example(cls, speech: str = "speech_female_1", noise: str = "babble", sr: int = 16000, snr_db=0.0,
                     **kwargs):
        """Build from bundled clips (see :func:`specmask_edu.list_examples`)."""
        from .examples import load_mixture

        mix = load_mixture(speech, noise, snr_db=snr_db, sr=sr)
        return cls(mix["target"], mix["interference"], sr=mix["sr"], snr_db=snr_db, **kwargs)

    def _make_controls(self):
        w = _widgets()
        initial = list(self.INITIAL) if self.mixture is not None else ["zero", "random"]
        return {
            "n_iter": w.SelectionSlider(options=list(self.ITERATIONS), value=10, description="iterations",
                                        continuous_update=False, layout=w.Layout(width="40%")),
            "initial": _dropdown(w, "initial phase", initial, "zero"),
        }

    def result(self, initial: str, n_iter: int) -> np.ndarray:
        """The Griffin-Lim waveform for a starting phase and a checkpoint (cached)."""
        from .phase import griffin_lim

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
        self.metrics = {**self._mixture_metrics,
                        "estimate": {"SNR": snr(self.estimate, self.target), "SI-SDR": si_sdr(self.estimate, self.target)}}

    def _draw_first(self):
        (ax_s, ax_e, ax_c), ax_w, ax_b = _two_row_grid(self.fig, 3)
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
                                    _amplitude_limit([self.target]))
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

    def info(self):
        p = self.params
        sc = self._convergence[p["initial"]][p["n_iter"]]
        rows = "; ".join(f"<b>{k}</b>: SNR {v['SNR']:.1f} dB, SI-SDR {v['SI-SDR']:.1f} dB" for k, v in self.metrics.items())
        return (f"<div style='font-family:monospace'>spectral convergence {sc:.1f} dB after {p['n_iter']} "
                f"iterations; {rows}</div>")


# =========================================================================== explorers for notebooks 04-06

class ComplexMaskExplorer(MaskExplorer):
    r"""A complex mask in polar form :math:`M = A\,e^{j\phi}`, amplitude and phase chosen separately
    (notebook 04).

    The phase is the cIRM's rotation :math:`\angle(S/Y)` scaled by ``phase_scale`` (0 = no rotation, a
    real mask; 1 = the full cIRM phase) and optionally rounded to ``phase_levels`` values; the amplitude
    is ``"cirm"`` :math:`|S/Y|`, ``"bounded"`` :math:`\tanh|S/Y|`, ``"irm"`` (the IRM, β = 0.5) or ``"one"``
    (phase only). With ``amplitude="cirm"`` and ``phase_scale=1`` the estimate is the target exactly.
    Shows the mask as colour (hue = phase, brightness = magnitude), the estimate, the phase error that is
    left, waveforms and SNR/SI-SDR bars; plays mixture, estimate, target and what was removed.

    Parameters are those of :class:`MaskExplorer`; ``**initial``: amplitude, phase_scale, phase_levels,
    snr_db.
    """

    title = "Complex-mask explorer: amplitude and phase of M = A·exp(jφ)"
    AMPLITUDES = (("|S/Y| (cIRM)", "cirm"), ("tanh|S/Y| (bounded)", "bounded"), ("IRM (β=0.5)", "irm"),
                  ("1 (phase only)", "one"))
    PHASE_LEVELS = (("continuous", 0), ("2 values", 2), ("4 values", 4), ("8 values", 8), ("16 values", 16),
                    ("32 values", 32))

    def _make_controls(self):
        w = _widgets()
        return {
            "amplitude": _dropdown(w, "amplitude A", list(self.AMPLITUDES), "cirm"),
            "phase_scale": _slider(w, "float", "phase φ = scale × ∠(S/Y), scale", 1.0, 0.0, 1.0, 0.05),
            "phase_levels": _dropdown(w, "phase rounded to", list(self.PHASE_LEVELS), 0),
            "snr_db": _slider(w, "float", "input SNR (dB)", 0.0, -10.0, 20.0, 1.0),
        }

    def _enable_controls(self):
        pass

    def mask_array(self):
        """The current complex mask (freq, frames)."""
        from .masks import polar_mask

        p = self.params
        parts = self._cirm_parts
        amplitude = {"cirm": lambda: parts["magnitude"], "bounded": lambda: np.tanh(parts["magnitude"]),
                     "irm": lambda: parts["irm"], "one": lambda: np.ones(parts["angle"].shape)}[p["amplitude"]]()
        phase = quantize_phase(p["phase_scale"] * parts["angle"], p["phase_levels"])
        return polar_mask(amplitude, phase)

    def _set_mixture(self):
        from .masks import complex_ideal_ratio_mask

        super()._set_mixture()
        cirm = complex_ideal_ratio_mask(self.S, self.Y)  # S/Y changes with the input SNR only
        self._cirm_parts = {"magnitude": np.abs(cirm), "angle": np.angle(cirm), "irm": ideal_ratio_mask(self.S, self.Y)}

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
        loudest, _ = mix_at_snr(self.target, self.noise, self.controls["snr_db"].min)
        row = self._plot_signal_row(ax_w, ax_b, self._waveforms(), _amplitude_limit([loudest, self.target]))
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

    def signals(self):
        return {"mixture": self.mixture, "estimate (M·Y)": self.estimate, "clean target": self.target,
                "removed (mixture - estimate)": self.mixture - self.estimate}


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
    and the best real mask (PSM) are shown for comparison.

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
    figsize = (11.0, 6.0)
    #: SI-SDR range of the bars (dB).
    YLIM = (-10.0, 60.0)

    def __init__(self, target, interference, sr: int = 16000, config: STFTConfig | None = None,
                 snr_db: float = 0.0, seed: int = 0, **initial):
        from .masks import bound_complex_mask, complex_ideal_ratio_mask, phase_sensitive_mask

        self.config = _as_config(config)
        s, n = _as_pair(target, interference)
        self.target = s
        self.mixture, _ = mix_at_snr(s, n, snr_db)
        self.S = stft(self.target, self.config)
        self.Y = stft(self.mixture, self.config)
        self.cirm = complex_ideal_ratio_mask(self.S, self.Y)
        rng = np.random.default_rng(seed)
        self.unit_error = (rng.standard_normal(self.cirm.shape) + 1j * rng.standard_normal(self.cirm.shape)) / np.sqrt(2)
        n_samples = len(self.target)
        self.bounded = istft(bound_complex_mask(self.cirm) * self.Y, self.config, length=n_samples)
        self.psm = istft(apply_mask(self.Y, phase_sensitive_mask(self.S, self.Y)), self.config, length=n_samples)
        self.fixed_scores = {"mixture": si_sdr(self.mixture, self.target), "PSM (real)": si_sdr(self.psm, self.target),
                             "bounded cIRM": si_sdr(self.bounded, self.target)}
        parts = np.concatenate([self.cirm.real.ravel(), self.cirm.imag.ravel()])
        self.histogram = np.histogram(np.clip(parts, -20, 20), bins=np.linspace(-20, 20, 161))
        super().__init__(sr, **initial)

    @classmethod
    def from_example(cls, speech: str = "speech_female_1", noise: str = "babble", sr: int = 16000, snr_db=0.0,
                     **kwargs):
        """Build from bundled clips (see :func:`specmask_edu.list_examples`)."""
        from .examples import load_mixture

        mix = load_mixture(speech, noise, snr_db=0.0, sr=sr)
        return cls(mix["target"], mix["interference"], sr=mix["sr"], snr_db=snr_db, **kwargs)

    def _make_controls(self):
        w = _widgets()
        return {
            "K": _slider(w, "float", "range K", 10.0, 1.0, 20.0, 1.0),
            "C": _slider(w, "float", "steepness C", 0.1, 0.02, 2.0, 0.02),
            "error": _slider(w, "float", "prediction error (std)", 0.1, 0.0, 1.0, 0.05),
        }

    def _compute(self, changed):
        from .masks import compress_mask, decompress_mask

        p = self.params
        K, C = p["K"], p["C"]
        if changed & {"K", "C"}:
            self.compressed = compress_mask(self.cirm, K, C)
            roundtrip = istft(decompress_mask(self.compressed, K, C) * self.Y, self.config, length=len(self.target))
            self.roundtrip_score = si_sdr(roundtrip, self.target)
        self.prediction = self.compressed + p["error"] * self.unit_error
        self.mask = decompress_mask(self.prediction, K, C)
        self.estimate_stft = self.mask * self.Y
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

    def info(self):
        p = self.params
        s = self.scores
        return ("<div style='font-family:monospace'>"
                f"K={p['K']:g}, C={p['C']:g}: exact round trip decompress(compress(M)) {self.roundtrip_score:.1f} dB; "
                f"prediction with error {p['error']:g}: "
                f"SI-SDR {s['decompressed prediction']:.1f} dB; bounded cIRM {s['bounded cIRM']:.1f} dB; "
                f"PSM {s['PSM (real)']:.1f} dB; mixture {s['mixture']:.1f} dB</div>")


#: STFT used for the music lesson (05): 128 ms frames resolve the harmonics of the band (7.8 Hz bins).
MUSIC_CONFIG = STFTConfig(n_fft=2048, hop_length=512)


def _as_stems(stems) -> dict:
    if not isinstance(stems, dict) or len(stems) < 2:
        raise SpecmaskInputError("`stems` must be a dict {name: waveform} with at least two sources, e.g. "
                                 "load_band(include_mixture=False).")
    out = {str(k): as_waveform(v, f"stems[{k!r}]") for k, v in stems.items()}
    if len({x.size for x in out.values()}) != 1:
        raise SpecmaskInputError("All stems must have the same length.")
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
        Default :data:`MUSIC_CONFIG` (n_fft 2048, hop 512).
    **initial : power, source, and ``gain_<stem>`` (dB), ``mute_<stem>``, ``solo_<stem>`` for each stem.
    """

    title = "Mixing console: solo, mute and fade the separated instruments"
    figsize = (11.0, 6.0)
    GAIN_RANGE = (-30.0, 6.0)

    def __init__(self, stems, sr: int = 16000, config: STFTConfig | None = None, **initial):
        self.config = MUSIC_CONFIG if config is None else _as_config(config)
        self.stems = _as_stems(stems)
        self.names = list(self.stems)
        self.mixture = sum(self.stems.values())
        self.stem_stfts = [stft(x, self.config) for x in self.stems.values()]
        self.Y = stft(self.mixture, self.config)
        super().__init__(sr, **initial)

    @classmethod
    def from_example(cls, sr: int = 16000, **kwargs):
        """The console on the bundled band (bass, chords, melody, drums), see :func:`specmask_edu.load_band`."""
        from .examples import load_band

        return cls(load_band(sr=sr, include_mixture=False), sr=sr, **kwargs)

    def _make_controls(self):
        w = _widgets()
        controls = {
            "power": _slider(w, "float", "soft-mask power p", 2.0, 0.5, 8.0, 0.5),
            "source": _dropdown(w, "console input", [("separated (soft masks)", "separated"), ("true stems", "true")],
                                "separated"),
        }
        for name in self.names:
            controls[f"gain_{name}"] = w.FloatSlider(value=0.0, min=self.GAIN_RANGE[0], max=self.GAIN_RANGE[1],
                                                     step=1.0, description=f"{name} (dB)", continuous_update=False,
                                                     style={"description_width": "initial"},
                                                     layout=w.Layout(width="40%"))
            controls[f"mute_{name}"] = w.Checkbox(value=False, description="mute", indent=False,
                                                  layout=w.Layout(width="12%"))
            controls[f"solo_{name}"] = w.Checkbox(value=False, description="solo", indent=False,
                                                  layout=w.Layout(width="12%"))
        return controls

    def _build_widget(self):
        super()._build_widget()
        w = _widgets()
        c = self.controls
        rows = [w.HBox([c["power"], c["source"]])]
        rows += [w.HBox([c[f"gain_{n}"], c[f"mute_{n}"], c[f"solo_{n}"]]) for n in self.names]
        header = [w.HTML(f"<b>{_html.escape(self.title)}</b>")]
        self.widget.children = tuple(header + rows + [self.image, self.players_html, self.info_html])

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
        from .masks import soft_masks

        if "power" in changed:
            self.masks = soft_masks(self.stem_stfts, power=self.params["power"])
            self.estimates = {n: istft(M * self.Y, self.config, length=len(self.mixture))
                              for n, M in zip(self.names, self.masks)}
            self.scores = {n: {"SI-SDR": si_sdr(self.estimates[n], self.stems[n])} for n in self.names}
        g = self.gains()
        feed = self.estimates if self.params["source"] == "separated" else self.stems
        self.output = sum(g[n] * feed[n] for n in self.names)
        self.reference_output = sum(g[n] * self.stems[n] for n in self.names)
        self.output_stft = stft(self.output, self.config)

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
        self.animate(*(h.image for h in self.h_masks), *(h.ax.title for h in self.h_masks), self.h_out.image,
                     ax_o.title, *self.h_bars.artists)

    def _draw(self):
        g = self.gains()
        for h, name, M in zip(self.h_masks, self.names, self.masks):
            state = "off" if g[name] == 0 else f"{20 * np.log10(g[name]):+.0f} dB"
            h.update(M, title=f"mask: {name} ({state})")
        source = "separated stems" if self.params["source"] == "separated" else "true stems"
        self.h_out.update(self.output_stft, title=f"console output ({source}, soft masks p = {self.params['power']:g})")
        self.h_bars.update(self.scores, ylim=(-10.0, 30.0))
        return False

    def signals(self):
        return {"console output": self.output, "same settings on the true stems": self.reference_output,
                "original mixture": self.mixture}

    def info(self):
        g = self.gains()
        on = ", ".join(f"{n} {20 * np.log10(v):+.0f} dB" for n, v in g.items() if v > 0) or "nothing (all muted)"
        scores = ", ".join(f"{n} {v['SI-SDR']:.1f} dB" for n, v in self.scores.items())
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
        Default :data:`MUSIC_CONFIG`.
    **initial : margin, kernel_size, power
    """

    title = "HPSS explorer: blind harmonic/percussive masks vs oracle masks"
    figsize = (11.0, 6.0)
    KERNELS = (5, 9, 17, 31, 63)
    YLIM = (-15.0, 30.0)

    def __init__(self, harmonic, percussive, sr: int = 16000, config: STFTConfig | None = None, **initial):
        from .masks import _hpss_medians, soft_masks
        from .metrics import BSSEvalReferences

        self.config = MUSIC_CONFIG if config is None else _as_config(config)
        self.harmonic, self.percussive = _as_pair(harmonic, percussive)
        self.mixture = self.harmonic + self.percussive
        self.Y = stft(self.mixture, self.config)
        H, P = stft(self.harmonic, self.config), stft(self.percussive, self.config)
        n = len(self.mixture)
        self.oracle_masks = soft_masks([H, P], power=2.0)
        self.oracle = [istft(M * self.Y, self.config, length=n) for M in self.oracle_masks]
        # The expensive parts, done once: the reference half of BSS Eval, and the median filters for every
        # kernel length on the slider (about 0.4 s together). An update then costs masks + inverse STFT +
        # scoring, well under 100 ms, for any setting, visited before or not.
        self._scorer = BSSEvalReferences([self.harmonic, self.percussive])
        self.oracle_scores = self._scores(*self.oracle)
        magnitude = np.abs(self.Y)
        self._medians = {k: _hpss_medians(magnitude, k) for k in self.KERNELS}
        super().__init__(sr, **initial)

    @classmethod
    def from_example(cls, sr: int = 16000, **kwargs):
        """Harmonic = bass + chords + melody, percussive = drums, from :func:`specmask_edu.load_band`."""
        from .examples import load_band

        band = load_band(sr=sr, include_mixture=False)
        harmonic = sum(v for k, v in band.items() if k != "drums")
        return cls(harmonic, band["drums"], sr=sr, **kwargs)

    def _scores(self, harmonic_estimate, percussive_estimate):
        values = self._scorer.evaluate([harmonic_estimate, percussive_estimate])
        return {name: {"SDR": float(values["sdr"][i]), "SIR": float(values["sir"][i]), "SAR": float(values["sar"][i])}
                for i, name in enumerate(("harmonic", "drums"))}

    def _make_controls(self):
        w = _widgets()
        return {
            "margin": _slider(w, "float", "margin μ", 1.0, 1.0, 8.0, 0.5),
            "kernel_size": w.SelectionSlider(options=list(self.KERNELS), value=17, description="median length",
                                             continuous_update=False, style={"description_width": "initial"},
                                             layout=w.Layout(width="32%")),
            "power": _slider(w, "float", "mask power p", 2.0, 0.5, 8.0, 0.5),
        }

    def _compute(self, changed):
        from .masks import _hpss_soft_masks

        p = self.params
        self.masks = _hpss_soft_masks(*self._medians[p["kernel_size"]], p["margin"], p["power"])
        self.estimates = [istft(M * self.Y, self.config, length=len(self.mixture)) for M in self.masks]
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

    def info(self):
        b, o = self.blind_scores, self.oracle_scores
        return ("<div style='font-family:monospace'>"
                f"HPSS: harmonic SDR {b['harmonic']['SDR']:.1f} dB, drums SDR {b['drums']['SDR']:.1f} dB "
                f"(oracle {o['harmonic']['SDR']:.1f} / {o['drums']['SDR']:.1f} dB); residual holds "
                f"{100 * self.residual_share:.1f} % of the mixture's energy</div>")


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
        One or more estimates of ``reference``.
    reference : ndarray
        The clean target.
    sr : int
    zoom : (t0, t1)
        Seconds shown in the waveform close-up.
    **initial : estimate (a name), gain_db
    """

    title = "Scale explorer: SNR vs SI-SDR when an estimate is turned up or down"
    figsize = (11.0, 5.6)
    GAINS_DB = np.arange(-20.0, 20.01, 0.5)

    def __init__(self, estimates, reference, sr: int = 16000, zoom=(1.0, 1.05), **initial):
        if not isinstance(estimates, dict) or not estimates:
            raise SpecmaskInputError("`estimates` must be a non-empty dict {name: waveform}.")
        self.reference = as_waveform(reference, "reference")
        self.estimates = {}
        for name, x in estimates.items():
            x = as_waveform(x, f"estimates[{name!r}]")
            if x.shape != self.reference.shape:
                raise SpecmaskInputError(f"estimates[{name!r}] has {x.size} samples but the reference has "
                                         f"{self.reference.size}; they must be the same length.")
            self.estimates[str(name)] = x
        self.zoom = (float(zoom[0]), float(zoom[1]))
        self.curves = {}
        for name, x in self.estimates.items():
            gains = 10.0 ** (self.GAINS_DB / 20.0)
            self.curves[name] = {"SNR": np.array([snr(g * x, self.reference) for g in gains]),
                                 "SI-SDR": np.full(gains.size, si_sdr(x, self.reference)),
                                 "best_gain_db": 20.0 * np.log10(max(np.dot(x, self.reference) / np.dot(x, x), 1e-12))}
        super().__init__(sr, **initial)

    @classmethod
    def from_example(cls, speech: str = "speech_female_1", noise: str = "babble", sr: int = 16000,
                     snr_db: float = 0.0, config: STFTConfig | None = None, **kwargs):
        """IRM, IBM and PSM oracle estimates of a bundled speech clip mixed with a bundled noise."""
        from .examples import load_mixture
        from .separation import oracle_separate

        mix = load_mixture(speech, noise, snr_db=snr_db, sr=sr)
        estimates = {name.upper(): oracle_separate(mix["target"], mix["interference"], name, config)
                     for name in ("irm", "ibm", "psm")}
        return cls(estimates, mix["target"], sr=mix["sr"], **kwargs)

    def _make_controls(self):
        w = _widgets()
        return {
            "estimate": _dropdown(w, "estimate", list(self.estimates), next(iter(self.estimates))),
            "gain_db": _slider(w, "float", "gain on the estimate (dB)", 0.0, float(self.GAINS_DB[0]),
                               float(self.GAINS_DB[-1]), 0.5),
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

    def info(self):
        p = self.params
        m = self.metrics["scaled estimate"]
        best = self.curves[p["estimate"]]["best_gain_db"]
        return (f"<div style='font-family:monospace'>gain {p['gain_db']:+.1f} dB (× {self.gain:.3f}): "
                f"SNR {m['SNR']:.2f} dB, SI-SDR {m['SI-SDR']:.2f} dB. SNR is largest at {best:+.1f} dB "
                "(g* = ŝ·s / ŝ·ŝ); SI-SDR is the same at every gain.</div>")
