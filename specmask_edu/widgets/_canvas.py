"""The explorers' figure: one standalone matplotlib figure redrawn by blitting, and its encoding.

:class:`BlitCanvas` owns the figure (``plots.get_figure(managed=False)``: pyplot does not track it, so
nothing stacks up and no figure is left open). Artists that change on an update are registered with
:meth:`BlitCanvas.animate`; everything else is drawn once into a background bitmap, and an update
restores that bitmap and draws only the registered artists on top (matplotlib "blitting"). The canvas
is then encoded as JPEG for the live ``ipywidgets.Image`` (~2 ms) or PNG for the static view.

Also the small layout helpers the explorers share: a two-row grid, and a symmetric amplitude scale that
only grows. Taught (as "why the picture updates fast") in ``notebooks/00_welcome.ipynb``.
"""

from __future__ import annotations

import numpy as np

from .. import plots

__all__ = ["BlitCanvas", "two_row_grid", "fit_amplitude", "amplitude_limit"]


class BlitCanvas:
    """A figure that is laid out once and then updated by redrawing only what changes.

    Parameters
    ----------
    name : str
        Label of the figure (for messages; pyplot does not track it).
    figsize : (float, float)
        Inches.
    dpi : int
        Resolution of the encoded picture (80 dpi: 11 x 6 in gives 880 x 480 pixels).
    """

    def __init__(self, name: str, figsize, dpi: int):
        self.fig, _ = plots.get_figure(name, nrows=0, figsize=figsize, managed=False, dpi=dpi)
        self._animated = []
        self._rarely_changing = []
        self._background = self._bare_background = None
        self._background_stale = False
        #: Counts full redraws (axis limits, ticks changed): a picture kept from an earlier version was drawn
        #: on other axes (see :mod:`._states`).
        self.layout_version = 0

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
        """Call after changing an artist registered with :meth:`animate_rarely`."""
        self._background_stale = True

    def freeze_layout(self):
        """Lay the figure out once, then keep that layout: constrained layout on every redraw costs more
        than the drawing itself."""
        self.fig.draw_without_rendering()
        self.fig.set_layout_engine("none")

    def redraw(self, full: bool = False):
        """Draw the figure: the whole of it if ``full`` (axis limits or ticks changed), else only the
        registered artists over the cached background."""
        canvas = self.fig.canvas
        if full or self._background is None:
            canvas.draw()  # animated artists are skipped here
            self.layout_version += 1
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

    def encode(self, fmt: str = "png") -> bytes:
        """The canvas as last drawn, as PNG or JPEG bytes (a plain ``savefig`` would leave out the
        animated artists)."""
        return plots.canvas_to_bytes(self.fig.canvas, fmt)


def two_row_grid(fig, top, bottom_ratio=(2, 1)):
    """Axes for ``top`` images in the first row and a wide + narrow pair in the second row."""
    gs = fig.add_gridspec(2, top * 2, height_ratios=(1.15, 1.0))
    top_axes = [fig.add_subplot(gs[0, 2 * i:2 * i + 2]) for i in range(top)]
    split = 2 * top * bottom_ratio[0] // sum(bottom_ratio)
    wide = fig.add_subplot(gs[1, :split])
    narrow = fig.add_subplot(gs[1, split:])
    return top_axes, wide, narrow


def fit_amplitude(ax, signals, minimum=1.0):
    """Widen the symmetric amplitude limits (in steps of 0.5) until every signal fits; True if they changed.

    The limits only grow: a fixed scale keeps level differences visible between slider positions and
    avoids redrawing the whole figure (see :meth:`BlitCanvas.animate`).
    """
    limit = amplitude_limit(signals, minimum)
    if limit > ax.get_ylim()[1]:
        ax.set_ylim(-limit, limit)
        return True
    return False


def amplitude_limit(signals, minimum=1.0):
    """The smallest multiple of 0.5 (at least ``minimum``) above 1.05 times the largest peak."""
    peak = max(float(np.max(np.abs(x))) for x in signals)
    return max(minimum, float(np.ceil(peak * 1.05 / 0.5)) * 0.5)
