r"""Plots for the lessons: spectrograms, masks, complex masks, phase, waveforms and metric bars.

Every ``plot_*`` function

* takes the data first, then ``sr`` (Hz) and ``config`` (:class:`~specmask_edu.stft.STFTConfig`) where
  axes in seconds and Hz are needed, and an optional ``ax`` to draw into;
* returns a small *handle* (``.ax``, ``.fig``, the matplotlib artists, and ``.update(new_data)``) so an
  explorer in :mod:`specmask_edu.widgets` can change the picture in place with ``set_data`` instead of
  drawing a new figure on every slider move.

Every figure of a lesson is shown with :func:`show` (``plots.show(handle, alt="what it shows and the point
it makes")``): it renders the figure to PNG itself, so it appears under any matplotlib backend (also with
``MPLBACKEND=Agg``), carries its text alternative (an ``<img alt>`` for JupyterLab, Notebook 7, Colab and
the HTML edition; ``alt`` in the output metadata; the text itself for consoles and logs), and closes
the pyplot figure so the inline backend does not show it a second time.

Figures never pile up: without ``ax`` a function draws into :func:`get_figure`, which reuses (clears)
the pyplot figure of the same ``name`` instead of opening another one. Explorers use
``get_figure(managed=False)``: a figure that pyplot does not track at all, rendered to PNG with
:func:`figure_to_png`.

Levels in dB are absolute, not relative to each plot's maximum: 0 dB is the STFT magnitude of a
full-scale sine (amplitude 1), see :func:`magnitude_db`. So a masked estimate really looks darker than
the mixture it came from, and all spectrograms share the colour range ``[-80, 0]`` dB by default.

One module per idea (this package re-exports all of them, so ``plots.plot_mask`` and friends keep working):

* :mod:`~specmask_edu.plots._figure`: :func:`get_figure`, figure bytes, the course's colours, :class:`AxesHandle`;
* :mod:`~specmask_edu.plots.display`: :func:`show` and :func:`image_bundle` (a figure with its text alternative);
* :mod:`~specmask_edu.plots.spectrograms`: :func:`plot_spectrogram`, :func:`plot_phase`, :func:`magnitude_db`;
* :mod:`~specmask_edu.plots.mask_views`: :func:`plot_mask`, :func:`plot_complex_mask`, :func:`complex_to_rgb`,
  :func:`plot_color_wheel`, :func:`plot_magnitude_phase`;
* :mod:`~specmask_edu.plots.signals`: :func:`plot_waveforms`, :func:`plot_metrics`, :func:`plot_sweep`.

matplotlib is imported inside the functions, so ``import specmask_edu`` stays light.
Used from ``notebooks/00_welcome.ipynb`` onwards.
"""

from __future__ import annotations

from ._figure import (  # noqa: F401  (private names too: the explorers and tests use them)
    AxesHandle,
    canvas_to_bytes,
    close_figure,
    _CYCLE,
    DB_RANGE,
    figure_to_png,
    get_figure,
    _MARKERS,
    _new_axes,
    ROLE_COLORS,
)
from .display import (  # noqa: F401  (private names too: the explorers and tests use them)
    _check_alt,
    _EMPTY_ALT,
    _figure_of,
    image_bundle,
    _in_ipython,
    show,
)
from .spectrograms import (  # noqa: F401  (private names too: the explorers and tests use them)
    _as_2d,
    _extent,
    _label_tf,
    magnitude_db,
    plot_phase,
    plot_spectrogram,
    SpectrogramHandle,
    _window_gain,
)
from .mask_views import (  # noqa: F401  (private names too: the explorers and tests use them)
    complex_to_rgb,
    ComplexMaskHandle,
    gain_colormap,
    MagnitudePhaseHandle,
    plot_color_wheel,
    plot_complex_mask,
    plot_magnitude_phase,
    plot_mask,
    _rgb_planes,
)
from .signals import (  # noqa: F401  (private names too: the explorers and tests use them)
    _as_signal_dict,
    _envelope_vertices,
    _metric_values,
    MetricsHandle,
    _place_label,
    plot_metrics,
    plot_sweep,
    plot_waveforms,
    _role_color,
    _set_metric_ylim,
    waveform_envelope,
    WaveformHandle,
)

__all__ = [
    "DB_RANGE",
    "show",
    "image_bundle",
    "get_figure",
    "close_figure",
    "figure_to_png",
    "canvas_to_bytes",
    "magnitude_db",
    "complex_to_rgb",
    "waveform_envelope",
    "plot_spectrogram",
    "plot_mask",
    "plot_complex_mask",
    "plot_magnitude_phase",
    "plot_color_wheel",
    "plot_phase",
    "plot_waveforms",
    "plot_metrics",
    "plot_sweep",
    "SpectrogramHandle",
    "ComplexMaskHandle",
    "WaveformHandle",
    "MetricsHandle",
    "AxesHandle",
    "MagnitudePhaseHandle",
]
