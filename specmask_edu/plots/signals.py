"""Plots of signals and scores: waveform envelopes (:func:`plot_waveforms`), metric bars
(:func:`plot_metrics`) and sweeps over a parameter (:func:`plot_sweep`).

Waveforms are drawn as min/max envelopes (:func:`waveform_envelope`) at their true levels; the course's
roles (mixture, target, estimate, interference) keep their colours. Used from
``notebooks/00_welcome.ipynb`` (waveforms) to ``notebooks/06_evaluating_separation.ipynb`` (metrics,
sweeps). Part of :mod:`specmask_edu.plots`.
"""

from __future__ import annotations

import numpy as np

from .._validation import SpecmaskInputError, as_waveform, check_sr
from ._figure import _CYCLE, _MARKERS, ROLE_COLORS, AxesHandle, _new_axes, get_figure


# --------------------------------------------------------------------------- waveforms


def waveform_envelope(x, n_points: int = 1000):
    """Min/max envelope of a waveform in ``n_points`` columns (what a long line would look like).

    Drawing 80,000 samples as a line costs most of a redraw; at screen resolution the min and max of
    each column look the same and cost ~1/40 as much (design.md, "Speed of the explorers").

    Returns
    -------
    (centres, low, high) : sample indices of the column centres, column minima and maxima
    """
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    n = x.size
    n_points = int(max(1, min(n_points, n)))
    edges = np.linspace(0, n, n_points + 1).astype(np.int64)
    starts = edges[:-1]
    low = np.minimum.reduceat(x, starts)
    high = np.maximum.reduceat(x, starts)
    centres = (edges[:-1] + edges[1:] - 1) / 2.0
    return centres, low, high


def _as_signal_dict(signals):
    if isinstance(signals, dict):
        items = signals.items()
    elif isinstance(signals, np.ndarray) and signals.ndim == 1:
        items = [("signal", signals)]
    elif isinstance(signals, (list, tuple)):
        items = [(f"signal {i}", s) for i, s in enumerate(signals)]
    else:
        raise SpecmaskInputError(
            "`signals` must be a dict {label: waveform} (or one waveform, or a list of waveforms)."
        )
    return {str(k): as_waveform(v, f"signals[{k!r}]") for k, v in items}


def _envelope_vertices(t, lo, hi):
    return np.column_stack([np.concatenate([t, t[::-1]]), np.concatenate([hi, lo[::-1]])])


def _role_color(label, i):
    key = label.lower().split(" ")[0].split("(")[0]
    return ROLE_COLORS.get(key, _CYCLE[i % len(_CYCLE)])


class WaveformHandle:
    """What :func:`plot_waveforms` returns: ``.fig``, ``.ax`` (or ``.axes``), ``.polys`` (one filled
    min/max envelope per signal, by label), ``.legend`` and ``update(signals)``."""

    def __init__(self, axes, polys, legend, sr, n_points):
        self.axes = axes
        self.ax = axes[0]
        self.fig = self.ax.figure
        self.polys = polys
        self.legend = legend
        self.sr = sr
        self.n_points = n_points

    @property
    def artists(self) -> list:
        """The artists that ``update`` changes (the envelopes)."""
        return list(self.polys.values())

    def update(self, signals):
        """Redraw the envelopes of ``signals`` (same labels as when drawn; missing labels stay)."""
        for label, x in _as_signal_dict(signals).items():
            if label not in self.polys:
                raise SpecmaskInputError(
                    f"No waveform labelled {label!r} in this plot; it has {list(self.polys)}."
                )
            t, lo, hi = waveform_envelope(x, self.n_points)
            t = t / float(self.sr)
            self.polys[label].set_verts([_envelope_vertices(t, lo, hi)])
        return self


def plot_waveforms(signals, sr: float = 16000, ax=None, overlay: bool = True, n_points: int | None = None,
                   ylim=None, title: str | None = None, colors: dict | None = None, alpha: float = 0.45,
                   legend: bool = True) -> WaveformHandle:
    """Compare waveforms as min/max envelopes, at their true levels (a shared amplitude axis).

    Parameters
    ----------
    signals : dict {label: waveform} (or one waveform, or a list)
        Labels starting with ``mixture``, ``target``/``clean``, ``estimate``, ``interference``/``noise``
        get the course's fixed colours.
    sr : float
        Sample rate (Hz) for the time axis in seconds.
    ax : Axes, optional
        With ``overlay=True`` all envelopes go into this one axes. With ``overlay=False`` one row per
        signal is made in a new figure (``ax`` must then be None or a list of axes).
    n_points : int, optional
        Columns of the envelope (see :func:`waveform_envelope`). Default: one per pixel of the axes'
        width (at least 200), which looks like the full line and draws far faster than 80,000 samples.
    ylim : (low, high), optional
        Amplitude range; default symmetric around the largest peak, shared by all signals.

    Returns
    -------
    WaveformHandle
    """
    signals = _as_signal_dict(signals)
    sr = check_sr(sr)
    if not signals:
        raise SpecmaskInputError("`signals` is empty.")
    colors = dict(colors or {})
    if overlay:
        fig, ax0 = _new_axes(ax, None, (8, 2.6))
        axes = [ax0] * len(signals)
    else:
        if ax is None:
            fig, axs = get_figure(None, len(signals), 1, figsize=(8, 1.3 * len(signals) + 0.6), sharex=True,
                                  sharey=True, squeeze=False)
            axes = list(axs[:, 0])
        else:
            axes = list(np.atleast_1d(ax))
            if len(axes) != len(signals):
                raise SpecmaskInputError(f"{len(signals)} signals but {len(axes)} axes given.")
    if n_points is None:
        width_px = axes[0].get_window_extent().width
        n_points = int(np.clip(width_px, 200, 2000))
    polys = {}
    peak = max(float(np.max(np.abs(x))) for x in signals.values())
    for i, (label, x) in enumerate(signals.items()):
        a = axes[i]
        color = colors.get(label, _role_color(label, i))
        t, lo, hi = waveform_envelope(x, n_points)
        t = t / float(sr)
        polys[label] = a.fill_between(t, lo, hi, color=color, alpha=alpha, linewidth=0, label=label)
        if not overlay:
            a.set_ylabel(label, rotation=0, ha="right", va="center")
    limit = peak * 1.05 if peak > 0 else 1.0
    for a in dict.fromkeys(axes):
        a.set_xlim(0, len(next(iter(signals.values()))) / float(sr))
        a.set_ylim(ylim if ylim is not None else (-limit, limit))
        a.grid(True, alpha=0.3)
    axes[-1].set_xlabel("time (s)")
    leg = None
    if overlay:
        axes[0].set_ylabel("amplitude")
        if legend:
            # Above the axes, right-aligned: the envelopes never cover it (explorers keep it static).
            leg = axes[0].legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False,
                                 ncols=len(signals), borderaxespad=0.1, handlelength=1.2)
    if title:
        axes[0].set_title(title, loc="left")
    return WaveformHandle(axes, polys, leg, sr, n_points)


# --------------------------------------------------------------------------- metrics


def _metric_values(rows, names, metrics):
    values = np.full((len(names), len(metrics)), np.nan)
    for i, name in enumerate(names):
        row = rows.get(name, {})
        for j, metric in enumerate(metrics):
            if metric in row:
                values[i, j] = float(row[metric])
    return values


def _set_metric_ylim(ax, values, ylim):
    if ylim is not None:
        ax.set_ylim(ylim)
        return
    finite = values[np.isfinite(values)]
    low = min(0.0, float(finite.min()) if finite.size else 0.0)
    high = max(0.0, float(finite.max()) if finite.size else 1.0)
    span = max(high - low, 1.0)
    ax.set_ylim(low - 0.15 * span * (low < 0), high + 0.18 * span)


def bar_label(value, fmt: str = "{:.1f}") -> str:
    """The text written on a metric bar: as the tables write it (:func:`specmask_edu.metrics.format_value`),
    ``"≥ 100"`` / ``"≤ −100"`` for a value at the metric cap (the true ratio is at least that), ``"—"`` for an
    undefined one (NaN or None), else ``fmt`` of the number (``-0.0`` printed as ``0.0``)."""
    from ..metrics import DB_LIMIT, format_value

    if value is None or not np.isfinite(float(value)) or abs(float(value)) >= DB_LIMIT:
        return format_value(value)
    text = fmt.format(float(value))
    return text[1:] if text.startswith("-") and text.lstrip("-").strip("0.") == "" else text


def _place_label(ax, text, value, fmt):
    """Write ``value`` at the end of its bar, kept inside the axes when the bar leaves the range."""
    low, high = ax.get_ylim()
    margin = 0.07 * (high - low)
    v = 0.0 if not np.isfinite(value) else float(value)
    text.set_text(bar_label(value, fmt))
    if v >= 0:
        text.set_y(min(v, high - margin))
        text.set_va("bottom")
    else:
        text.set_y(max(v, low + margin))
        text.set_va("top")


class MetricsHandle:
    """What :func:`plot_metrics` returns: ``.bars`` (BarContainer per metric), ``.texts`` and
    ``update(rows)`` (same row names and metrics as when drawn)."""

    def __init__(self, ax, bars, texts, names, metrics, fmt):
        self.ax = ax
        self.fig = ax.figure
        self.bars = bars
        self.texts = texts
        self.names = names
        self.metrics = metrics
        self.fmt = fmt

    @property
    def artists(self) -> list:
        """The bars and their value labels (what ``update`` changes)."""
        out = []
        for metric in self.metrics:
            out.extend(self.bars[metric].patches)
            out.extend(self.texts[metric])
        return out

    def update(self, rows, ylim=None):
        values = _metric_values(rows, self.names, self.metrics)
        _set_metric_ylim(self.ax, values, ylim)
        for j, metric in enumerate(self.metrics):
            for i, bar in enumerate(self.bars[metric]):
                v = values[i, j]
                bar.set_height(0.0 if not np.isfinite(v) else v)
                _place_label(self.ax, self.texts[metric][i], v, self.fmt)
        return self


def plot_metrics(rows: dict, metrics=("SI-SDR",), ax=None, title: str | None = None, ylim=None,
                 fmt: str = "{:.1f}", unit: str = "dB") -> MetricsHandle:
    """Bar chart of metrics per estimate, e.g. the rows of :func:`specmask_edu.metrics_table`.

    Parameters
    ----------
    rows : dict {estimate name: {metric name: value}}
    metrics : sequence of str
        Which columns to show side by side (e.g. ``("SNR", "SI-SDR")``); rows missing a metric show no bar.
    ylim : (low, high), optional
        Fixed range (an explorer keeps it fixed so bars can be compared between slider positions);
        default fits the values and includes 0.
    fmt : str
        Format of the value written on each bar; a value at the metric cap is written ``≥ 100`` and an
        undefined one ``—``, as in :func:`specmask_edu.metrics.format_table` (see :func:`bar_label`).
    """
    if isinstance(metrics, str):
        metrics = (metrics,)
    if not isinstance(rows, dict) or not rows:
        raise SpecmaskInputError("`rows` must be a non-empty dict such as {'IRM': {'SI-SDR': 12.3}}.")
    names = list(rows)
    metrics = list(metrics)
    values = _metric_values(rows, names, metrics)
    fig, ax = _new_axes(ax, None, (6, 3))
    width = 0.8 / len(metrics)
    x = np.arange(len(names))
    bars, texts = {}, {}
    for j, metric in enumerate(metrics):
        offset = (j - (len(metrics) - 1) / 2) * width
        heights = np.where(np.isfinite(values[:, j]), values[:, j], 0.0)
        bars[metric] = ax.bar(x + offset, heights, width * 0.95, label=metric, color=_CYCLE[j % len(_CYCLE)])
        texts[metric] = [ax.text(x[i] + offset, 0.0, "", ha="center", fontsize=8) for i in range(len(names))]
    ax.axhline(0.0, color="black", linewidth=0.6)
    ax.set_xticks(x, names, rotation=20 if max(len(n) for n in names) > 8 else 0, ha="right" if max(len(n) for n in names) > 8 else "center")
    ax.set_ylabel(unit)
    if len(metrics) > 1:
        ax.legend(fontsize=8)
    elif title is None:
        title = metrics[0]
    if title:
        ax.set_title(title)
    _set_metric_ylim(ax, values, ylim)
    for j, metric in enumerate(metrics):
        for i in range(len(names)):
            _place_label(ax, texts[metric][i], values[i, j], fmt)
    ax.grid(True, axis="y", alpha=0.3)
    return MetricsHandle(ax, bars, texts, names, metrics, fmt)


# --------------------------------------------------------------------------- sweeps (notebooks 04-06)


def plot_sweep(table: dict, ax=None, xlabel: str = "input SNR (dB)", ylabel: str = "SI-SDR improvement (dB)",
               ylim=None, title: str | None = None, fmt: str = "{:.0f}"):
    """One line per name over a swept parameter, e.g. the output of
    :func:`specmask_edu.separation.oracle_improvements` (``{mask: {snr_db: dB}}``).

    Values above ``ylim`` (a cIRM that is exact, 100+ dB) are drawn as triangles on the top edge with
    their value written next to them, so the other lines keep a readable scale.
    Used in ``notebooks/04_complex_masks.ipynb`` to ``06_evaluating_separation.ipynb``.

    Parameters
    ----------
    table : dict {name: {x: y}}
    ylim : (low, high), optional
        Default fits all values.

    Returns
    -------
    AxesHandle
        ``.ax`` (set its scale or legend there), ``.fig`` and ``.artists`` (the lines).
    """
    if not isinstance(table, dict) or not table or not all(isinstance(v, dict) and v for v in table.values()):
        raise SpecmaskInputError("`table` must be a non-empty dict {name: {x: y}}, e.g. {'IRM': {-5: 8.1, 0: 9.0}}.")
    fig, ax = _new_axes(ax, None, (7, 3.5))
    values = np.array([float(y) for row in table.values() for y in row.values()])
    if ylim is None:
        span = max(float(values.max() - values.min()), 1.0)
        ylim = (float(values.min()) - 0.05 * span, float(values.max()) + 0.1 * span)
    low, high = float(ylim[0]), float(ylim[1])
    lines = []
    for i, (name, row) in enumerate(table.items()):
        x = np.array([float(k) for k in row])
        y = np.array([float(v) for v in row.values()])
        color = _CYCLE[i % len(_CYCLE)]
        inside = y <= high
        if inside.any():
            lines += ax.plot(x[inside], y[inside], marker=_MARKERS[i % len(_MARKERS)], markersize=5, color=color,
                             label=name)
        if not inside.all():
            top = high - 0.03 * (high - low)
            above = y[~inside]
            lines += ax.plot(x[~inside], np.full(above.size, top), marker="^", linestyle="--" if above.size > 1 else "none",
                    color=color, markersize=7, label=None if inside.any() else f"{name} (above the scale)")
            value = fmt.format(above.min()) if fmt.format(above.min()) == fmt.format(above.max()) else \
                f"{fmt.format(above.min())} to {fmt.format(above.max())}"
            ax.annotate(f"↑ {value}", (x[~inside].mean(), top), textcoords="offset points", xytext=(0, -15),
                        ha="center", fontsize=8, color=color)
    ax.set_ylim(low, high)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    if title:
        ax.set_title(title)
    return AxesHandle(ax, lines)
