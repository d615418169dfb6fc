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
  widgets are closed). Its output carries the live widget *and* a static view of the explorer as it was
  built (see below), so a live notebook shows it once and a page without widgets still shows its result.
* ``.update(**params)`` — set parameters from code (tests and benchmarks call it; the sliders call it
  too). Unknown names or values outside a control's range raise :class:`SpecmaskInputError`, and the
  explorer keeps its last good state.
* ``.show_static()`` — display the current state once more as plain HTML (``.static_html()``: the figure
  as PNG with its alt text, a player table, the numbers): a snapshot of one setting that stays in the
  notebook. The lessons do not need it, since the explorer's own output already carries that view.
* ``.alt_text()`` — the picture's text alternative for the current state: what it shows (the class's
  ``picture`` sentence), the settings as the controls show them, and the numbers. The live picture carries
  it as its ``tooltip`` (HTML ``title``, which the slider-names script copies to ``alt``), updated on every
  update.
* ``.descriptions()`` — ``{label: text}``: what each player plays, shown under its label and tied to it
  with ``aria-describedby``; the clean speech gives its words where the explorer knows them
  (``transcript=``, filled in by ``from_example`` from the catalogue).
* ``.params`` (current values), ``.fig`` (the figure), ``.signals()`` (the clips in the players),
  ``.last_timing`` (seconds of the last update: ``compute``, ``draw``, ``encode`` (the picture),
  ``players``, ``total``, ``cpu_compute_draw``, the process CPU time of compute + draw, and ``kept``, True
  when the update was answered from a kept state).
* ``.prepare(**params)`` — compute, draw and keep the state ``update(**params)`` would show, without
  showing it (the explorer does this itself for the next slider step once the kernel is idle).
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
3. the canvas goes into the ``Image`` widget as a JPEG (``Explorer.frame_format``: ~3 ms to encode where
   a PNG of these noisy spectrograms takes ~18 ms, and 2-3 times smaller to send to the browser);
4. a state shown a moment ago, or prepared while the kernel was idle (after a student's move, the state
   one more move along: :meth:`Explorer.prepare`, :mod:`._states`), is shown from what was kept, with no
   computing or drawing; after a student's move the players follow the picture once the kernel idles, and
   keys pressed in quick succession send no audio until they stop (:data:`._states.PLAYERS_DELAY_S`);
5. once idle, the explorer sends the pictures of the kept states one slider step away (the next step, the
   step back) into hidden pictures of its box, and a small page script shows the one a key press reaches
   at once, before the kernel has even heard of the press (``_controls._SLIDER_NAMES_JS``); the kernel's
   own answer, the same picture, takes over when it arrives.
   ``benchmarks/results/latency.md`` has the measured times.

The controls never move or disappear, nothing stacks up and the number of open figures stays constant.
Only core ipywidgets are used (``Image``, ``HTML``, sliders, menus), so it runs wherever ipywidgets 8
does (JupyterLab 4, Notebook 7, ...), with no frontend extension to install.

One output, two views. Displaying an explorer publishes ONE output with two MIME types: the widget view
(``application/vnd.jupyter.widget-view+json``) and ``text/html``, the static view (the figure as a
lossless PNG ``<img>`` with its alt text, the players as plain ``<audio>`` elements, the numbers;
:meth:`Explorer.static_html`), plus ``text/plain`` (the alt text, for CI logs). A frontend draws one MIME
type per output: JupyterLab, Notebook 7 and VS Code rank the widget view first and draw the live explorer;
nbconvert (and so GitHub and nbviewer) takes the widget view only when the notebook stores the widget's
state and the static view otherwise. The HTML edition stores the state, draws the widget and keeps the
static view beside it, hidden once the widget is drawn (``edition.scripts``). The static view is made once,
when the explorer is shown: it shows the explorer as built, with its settings written above it.

Sliders that trigger an inverse STFT use ``continuous_update=False``: the picture updates when the
slider is released. Players are rebuilt only when a clip changed (a fingerprint of the clips is compared
first). At laptop width (1280 x 800) every slider keeps a track of at least 150 px and every menu 150 px
(``min_width`` from the label's length; rows of controls wrap); keep control labels short (26 characters at
most, ``tests/test_widgets_base.py``) and put formulas in the title. Displaying an explorer also displays a
small script that gives every slider handle its label as accessible name (ipywidgets 8 leaves the handles
unnamed) and every explorer picture its alt text; the HTML edition writes the same script into its pages
(``_controls.slider_names_script``).

Writing a new explorer: put it in the module of its lesson, subclass :class:`Explorer` (or
``_mixture.MixtureExplorer`` for a mask applied to a target + interference mixture: then give only
``mask_array()``, the controls and the drawing), set ``example`` to the inputs :meth:`Explorer.from_example`
should load, and implement

* ``_make_controls()`` -> ``{param name: ipywidgets control}`` made with the helpers of ``_controls``
  (their initial values are the defaults),
* ``_compute(changed)`` -> recompute results for the parameters in the set ``changed``
  (``self.params`` holds all current values; on the first call ``changed`` holds every name); call the
  package's math (``specmask_edu.masks``, ``separation``, ``phase``), never re-implement it. Assign new
  objects to the attributes, never change a result in place: kept states share them
  (``tests/test_widgets_states.py`` checks every explorer),
* ``_draw_first()`` -> create the artists in ``self.fig`` (called once, after the first ``_compute``) with
  the ``plots.plot_*`` functions (``ax=``), and register the ones that change with
  ``self.animate(*handle.artists, ...)``,
* ``_draw()`` -> update those artists in place (``handle.update(...)``); return True only if something
  that is not registered changed (axis limits, a colour bar), which costs a full redraw,
* ``signals()`` -> ``{label: waveform}`` for the player table, ``descriptions()`` -> ``{label: short text}``
  saying what each clip plays (use ``self._words(text)`` for the clean speech, which adds its transcript),
  and ``info()`` -> an HTML string,
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
