"""Showing a figure in a notebook with its text alternative: :func:`show` and :func:`image_bundle`.

``plots.show(handle, alt="what it shows and the point it makes")`` renders the figure to PNG itself, so
it appears under any matplotlib backend (also ``MPLBACKEND=Agg``), carries its text alternative (an
``<img alt>`` for JupyterLab, Notebook 7, Colab and the HTML edition; ``alt`` in the output metadata; the
text itself for consoles and logs), and closes the pyplot figure so the inline backend does not show it a
second time. Used in every lesson (``notebooks/00_welcome.ipynb`` onwards). Part of :mod:`specmask_edu.plots`.
"""

from __future__ import annotations

import numpy as np

from .._validation import SpecmaskInputError
from ._figure import close_figure


# --------------------------------------------------------------------------- showing a figure


#: Descriptions that say nothing about the picture (``show`` refuses them as alt text).
_EMPTY_ALT = {"figure", "plot", "image", "picture", "chart", "graph", "fig", "img", "spectrogram", "mask"}


def _check_alt(alt) -> str:
    if not isinstance(alt, str) or not alt.strip():
        raise SpecmaskInputError(
            "Give the figure a text alternative: show(fig, alt=\"what it shows and the point it makes\"), "
            "e.g. alt=\"Spectrogram of the mixture: the speech harmonics stand out above the babble below 1 kHz\". "
            "Screen-reader users and the HTML edition read it instead of the picture."
        )
    alt = " ".join(alt.split())
    if alt.lower().strip(" .") in _EMPTY_ALT:
        raise SpecmaskInputError(
            f"alt={alt!r} says nothing about this picture: describe what it shows and the point it makes "
            "(what is on the axes, and what the reader should notice)."
        )
    return alt


def _figure_of(fig_or_handle):
    """The matplotlib Figure behind a Figure, a plot handle (``.fig``), an Axes or an array of Axes."""
    from matplotlib.figure import Figure, SubFigure

    obj = fig_or_handle
    if isinstance(obj, np.ndarray) and obj.size:
        obj = obj.flat[0]
    elif isinstance(obj, (list, tuple)) and obj:
        obj = obj[0]
    fig = obj if isinstance(obj, Figure) else (getattr(obj, "fig", None) or getattr(obj, "figure", None))
    while isinstance(fig, SubFigure):
        fig = fig.figure
    if not isinstance(fig, Figure):
        raise SpecmaskInputError(
            f"show() needs a figure, a plot handle (what plots.plot_* returns) or axes, got {type(fig_or_handle).__name__}."
        )
    return fig


def image_bundle(image: bytes, alt: str, mime: str = "image/png", width: int | None = None) -> tuple[dict, dict]:
    """The display data of one picture with its text alternative: ``(data, metadata)`` for
    ``IPython.display.display(data, metadata=metadata, raw=True)``.

    * ``text/html``: ``<img alt="...">`` with the picture inline; JupyterLab, Notebook 7, Colab, VS Code
      and nbconvert prefer it, so screen readers get the alt text there;
    * ``image/png`` (or ``image/jpeg``) with ``{"alt": ...}`` in its metadata, for viewers that show only
      images (the HTML edition writes that ``alt`` out as well);
    * ``text/plain``: the alt text itself, for consoles and CI logs.

    ``width`` (CSS pixels) fixes the shown width; by default the picture keeps its size but never gets
    wider than the output area.
    """
    import base64
    import html

    alt = _check_alt(alt)
    b64 = base64.b64encode(bytes(image)).decode("ascii")
    size = f' width="{int(width)}"' if width else ""
    tag = (f'<img src="data:{mime};base64,{b64}" alt="{html.escape(alt, quote=True)}"{size} '
           'style="max-width:100%;height:auto">')
    meta = {"alt": alt}
    if width:
        meta["width"] = int(width)
    return {"text/html": tag, mime: b64, "text/plain": f"[figure] {alt}"}, {mime: meta}


def _in_ipython() -> bool:
    from IPython import get_ipython

    return get_ipython() is not None


def show(fig_or_handle, alt: str, *, dpi: float | None = None, close: bool = True) -> None:
    """Show a figure in the notebook with its text alternative, whatever the matplotlib backend.

    The figure is rendered to PNG here (``bbox_inches="tight"``, as the inline backend does) and displayed
    with :func:`image_bundle`, so it appears also under ``MPLBACKEND=Agg``, where ``plt.show()`` shows
    nothing. Then the pyplot figure is closed (``close=True``) so the inline backend does not draw it a
    second time at the end of the cell. Returns ``None`` (nothing is echoed below the cell).

    Parameters
    ----------
    fig_or_handle : Figure, plot handle, Axes or array of Axes
        What a ``plot_*`` function returned, or the figure of :func:`get_figure`.
    alt : str
        The text alternative: what the figure shows and the point it makes, in a sentence or two
        (not "figure"). Read by screen readers and written into the HTML edition.
    dpi : float, optional
        Resolution of the PNG (default: the figure's own).

    Used in every lesson (``notebooks/00_welcome.ipynb`` onwards).
    """
    import io

    from IPython.display import display

    alt = _check_alt(alt)
    fig = _figure_of(fig_or_handle)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi if dpi is not None else fig.dpi, bbox_inches="tight",
                facecolor="white")
    data, metadata = image_bundle(out.getvalue(), alt)
    if not _in_ipython():  # a plain Python script or console: the text alternative, not a page of base64
        print(data["text/plain"])
    else:
        display(data, metadata=metadata, raw=True)
    if close:
        close_figure(fig)
