r"""Interactive explorers used by the lessons (ipywidgets + matplotlib, no ipympl needed).

One module per lesson topic, on a small base:

=====================  ==============================================================  ======
module                 explorers                                                        lesson
=====================  ==============================================================  ======
``stft``               :class:`STFTExplorer`                                            01
``masks``              :class:`MaskExplorer`                                            00, 02
``phase``              :class:`PhaseExplorer`, :class:`GriffinLimExplorer`              03
``complex``            :class:`ComplexMaskExplorer`, :class:`CompressionExplorer`       04
``music``              :class:`MixingConsoleExplorer`, :class:`HPSSExplorer`            05
``evaluation``         :class:`ScaleExplorer`                                           06
``_base``              :class:`Explorer`: parameter state, ``update()``, players, static view, ``from_example``
``_mixture``           what the target + interference explorers share (``Y = S + gN``, the signal row)
``_canvas``            the figure and its blitting renderer, JPEG/PNG encoding
``_controls``          sliders and menus, checking a value against a control, weak wiring
=====================  ==============================================================  ======

Every explorer is a class with

* ``.widget`` — the ipywidgets container to display (controls on top, the figure, the players, a
  line of numbers). Keep the explorer in a variable and put ``explorer.widget`` as the last line of a
  cell (the controls hold the explorer only weakly, so an explorer nobody refers to is freed, and its
  widgets are closed).
* ``.update(**params)`` — set parameters from code (tests and benchmarks call it; the sliders call it
  too). Unknown names or values outside a control's range raise :class:`SpecmaskInputError`, and the
  explorer keeps its last good state.
* ``.show_static()`` — display the current state as a plain PNG (with its alt text), a player table and
  the numbers. Every lesson has such a cell right below each explorer, so an exported HTML page or a CI
  log shows the result even where no widget frontend runs.
* ``.alt_text()`` — the picture's text alternative for the current state: what it shows (the class's
  ``picture`` sentence), the settings as the controls show them, and the numbers. The live picture carries
  it as its ``tooltip`` (HTML ``title``, which the HTML edition copies to ``alt``), updated on every update.
* ``.params`` (current values), ``.fig`` (the figure), ``.signals()`` (the clips in the players),
  ``.last_timing`` (seconds of the last update: ``compute``, ``draw``, ``encode`` (the picture),
  ``players``, ``total``, and ``cpu_compute_draw``, the process CPU time of compute + draw).
* ``.from_example(...)`` — the same explorer on the bundled clips.

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
slider is released. Players are rebuilt only when a clip changed (a fingerprint of the clips is compared
first). At laptop width (1280 x 800) every slider keeps a track of at least 150 px and every menu 150 px
(``min_width`` from the label's length; rows of controls wrap); keep control labels short (26 characters at
most, ``tests/test_widgets_base.py``) and put formulas in the title. Displaying an explorer also displays a
small script that gives every slider handle its label as accessible name (ipywidgets 8 leaves the handles
unnamed; see ``_controls.slider_names_script``).

Writing a new explorer: put it in the module of its lesson, subclass :class:`Explorer` (or
``_mixture.MixtureExplorer`` for a mask applied to a target + interference mixture: then give only
``mask_array()``, the controls and the drawing), set ``example`` to the inputs :meth:`Explorer.from_example`
should load, and implement

* ``_make_controls()`` -> ``{param name: ipywidgets control}`` made with the helpers of ``_controls``
  (their initial values are the defaults),
* ``_compute(changed)`` -> recompute results for the parameters in the set ``changed``
  (``self.params`` holds all current values; on the first call ``changed`` holds every name); call the
  package's math (``specmask_edu.masks``, ``separation``, ``phase``), never re-implement it,
* ``_draw_first()`` -> create the artists in ``self.fig`` (called once, after the first ``_compute``) with
  the ``plots.plot_*`` functions (``ax=``), and register the ones that change with
  ``self.animate(*handle.artists, ...)``,
* ``_draw()`` -> update those artists in place (``handle.update(...)``); return True only if something
  that is not registered changed (axis limits, a colour bar), which costs a full redraw,
* ``signals()`` -> ``{label: waveform}`` for the player table, and ``info()`` -> an HTML string,
* ``picture`` -> one sentence saying what the figure shows and the point it makes (the start of its alt text).

Taught from ``notebooks/00_welcome.ipynb`` (how to use a slider) onwards.
"""

from __future__ import annotations

from .._defaults import MUSIC_CONFIG
from ..phase import spectral_convergence_db
from ._base import Explorer
from .complex import ComplexMaskExplorer, CompressionExplorer
from .evaluation import ScaleExplorer
from .masks import MaskExplorer
from .music import HPSSExplorer, MixingConsoleExplorer
from .phase import GriffinLimExplorer, PhaseExplorer
from .stft import STFTExplorer

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
