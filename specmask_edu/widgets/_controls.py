"""The explorers' controls: making sliders and menus, checking a value against a control, and wiring.

Each explorer describes its controls as ``{param name: ipywidgets control}`` (their initial values are
the defaults). This module

* makes them in one style (:func:`slider`, :func:`selection_slider`, :func:`dropdown`, :func:`checkbox`:
  labelled, a third of the row wide, ``continuous_update=False`` so a slider that triggers an inverse
  STFT updates when released);
* checks a value given from code against a control *before* it is stored (:func:`check_value`), so a bad
  value raises :class:`~specmask_edu.SpecmaskInputError` and leaves the explorer as it was;
* wires the controls to an explorer through a weak reference (:func:`connect`): a control does not keep
  its explorer alive, so re-running a notebook cell frees the previous explorer and its figure, and
  :func:`close_when_freed` then closes its widgets (the kernel keeps every open widget until closed);
* lays the controls, the picture, the players and the numbers out in one box (:func:`layout`).

Taught from ``notebooks/00_welcome.ipynb`` (how to use a slider) onwards.
"""

from __future__ import annotations

import html as _html
import numbers
import weakref

import ipywidgets as w
import numpy as np
import traitlets

from .._validation import SpecmaskInputError, check_bool, check_number

__all__ = ["slider", "selection_slider", "dropdown", "checkbox", "check_value", "shown_value", "connect", "sync",
           "layout", "close_when_freed", "MIN_TRACK_PX", "slider_names_script", "slider_names_js"]

_STYLE = {"description_width": "initial"}
#: The narrowest slider track (or menu) a control keeps, in CSS pixels: at 1280 x 800 a row that has no
#: room for it wraps (see :func:`layout`) instead of squeezing the track.
MIN_TRACK_PX = 150
_READOUT_PX = 110  # the value shown right of a slider, with its margins (measured: ~96 px in JupyterLab 4)


def _label_px(description: str) -> int:
    """A generous width of the label at JupyterLab's 13 px widget font (about 7.5 px a character)."""
    return int(7.5 * len(description)) + 16


def _min_width(description: str, readout: bool) -> str:
    return f"{_label_px(description) + MIN_TRACK_PX + (_READOUT_PX if readout else 0)}px"


def slider(description, value, min, max, step, width="32%"):
    """A float slider that updates on release; never narrower than its label, a 150 px track and its value."""
    return w.FloatSlider(value=value, min=min, max=max, step=step, description=description, continuous_update=False,
                         style=_STYLE, layout=w.Layout(width=width, min_width=_min_width(description, True)))


def selection_slider(description, options, value, width="32%"):
    """A slider over a fixed list of values (frame lengths, iteration counts...), updating on release."""
    return w.SelectionSlider(options=list(options), value=value, description=description, continuous_update=False,
                             style=_STYLE, layout=w.Layout(width=width, min_width=_min_width(description, True)))


def dropdown(description, options, value, width="32%"):
    """A menu; ``options`` are values or ``(label, value)`` pairs."""
    return w.Dropdown(options=list(options), value=value, description=description, style=_STYLE,
                      layout=w.Layout(width=width, min_width=_min_width(description, False)))


def checkbox(description, value=False, width="auto"):
    """An on/off switch (mute, solo), as wide as its label."""
    return w.Checkbox(value=value, description=description, indent=False, layout=w.Layout(width=width))


# ipywidgets 8 draws a slider with noUiSlider, whose handle (role="slider") gets no accessible name: the
# visible <label> is not tied to it, and ipywidgets passes noUiSlider no ``handleAttributes`` (checked in
# jupyterlab_widgets 3.0.17; noUiSlider's own issue: https://github.com/leongersen/noUiSlider/issues/1223).
# axe-core reports every such handle ("aria-input-field-name", serious). Until ipywidgets names them, this
# script copies each slider's label to its handle as aria-label, and an explorer picture's title (its text
# alternative, kept up to date by the kernel) to its alt, for what is on the page now and what is drawn or
# changed later (a MutationObserver; installed once per page). JupyterLab and Notebook 7 run it as the
# application/javascript output the explorer displays after its widget (outputs of the running session are
# trusted); the HTML edition writes the same script into its pages (``edition.scripts``). Where no JavaScript
# output runs (VS Code, Colab, GitHub) the handles stay as ipywidgets draws them.
_SLIDER_NAMES_JS = """(function () {
  if (window.specmaskSliderNames) { window.specmaskSliderNames(); return; }
  const name = function () {
    document.querySelectorAll('[role=slider]:not([aria-label])').forEach(function (handle) {
      const box = handle.closest('.widget-slider, .widget-hslider, .widget-vslider, .jupyter-widgets');
      const label = box && box.querySelector('.widget-label');
      const text = label && label.textContent.trim();
      if (text) handle.setAttribute('aria-label', text);
    });
    document.querySelectorAll('img.widget-image[title]').forEach(function (img) {
      if (img.alt !== img.title) img.alt = img.title;
    });
  };
  let queued = false;
  new MutationObserver(function () {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; name(); });
  }).observe(document.body, {childList: true, subtree: true, attributes: true, attributeFilter: ['title']});
  window.specmaskSliderNames = name;
  name();
})();"""


def slider_names_js() -> str:
    """The JavaScript source of :func:`slider_names_script` (the HTML edition writes it into every page)."""
    return _SLIDER_NAMES_JS


def slider_names_script():
    """The ``IPython.display.Javascript`` that gives every slider handle on the page its label as accessible
    name and every explorer picture its title as ``alt`` (see the comment above ``_SLIDER_NAMES_JS``: a gap
    in ipywidgets 8, not in the explorers)."""
    from IPython.display import Javascript

    return Javascript(_SLIDER_NAMES_JS)


def _option_values(control):
    options = control.options
    values = [o[1] if isinstance(o, tuple) else o for o in options]
    labels = [o[0] if isinstance(o, tuple) else o for o in options]
    return values, labels


def _same_option(value, option) -> bool:
    """``value`` names ``option``: the same string, or the same number (1024.0 for 1024; never a bool
    or an array)."""
    if isinstance(option, str) or isinstance(value, str):
        return isinstance(option, str) and isinstance(value, str) and value == option
    if isinstance(value, (bool, np.bool_)) or isinstance(option, (bool, np.bool_)):
        return isinstance(value, (bool, np.bool_)) and isinstance(option, (bool, np.bool_)) and value == option
    if isinstance(value, numbers.Number) and isinstance(option, numbers.Number):
        return value == option
    return False


def shown_value(control, value) -> str:
    """``value`` as the control shows it: a menu's label, "on"/"off", or the number (``-3``, ``0.25``)."""
    if hasattr(control, "options"):
        values, labels = _option_values(control)
        for label, option in zip(labels, values):
            if _same_option(value, option):
                return str(label)
        return str(value)
    if isinstance(value, (bool, np.bool_)):
        return "on" if value else "off"
    if isinstance(value, numbers.Number):
        return f"{value:g}"
    return str(value)


def check_value(control, name: str, value):
    """``value`` as the control would hold it, or a :class:`SpecmaskInputError` naming the allowed values.

    A menu or selection slider takes one of its values (a number equal to one is taken as that value,
    ``1024.0`` as ``1024``) or the label shown in a menu; a checkbox takes True or False; a slider takes a
    finite number between its ends.
    """
    if hasattr(control, "options"):
        values, labels = _option_values(control)
        for option in values:
            if _same_option(value, option):
                return option
        for label, option in zip(labels, values):
            if isinstance(value, str) and value == label:  # accept the label shown in a menu, too
                return option
        raise SpecmaskInputError(f"`{name}` must be one of {values}, got {value!r}.")
    if isinstance(control.value, bool):
        return check_bool(value, name)
    if hasattr(control, "min") and hasattr(control, "max"):
        v = check_number(value, name)
        if not control.min - 1e-9 <= v <= control.max + 1e-9:
            raise SpecmaskInputError(f"`{name}` must be between {control.min} and {control.max}, got {value!r}.")
        return type(control.value)(v)
    return value


def connect(controls: dict, explorer) -> None:
    """Make each control call ``explorer._on_control(name, value)`` when a student moves it.

    The observer holds the explorer through a weak reference, so the controls (which the kernel keeps
    while they are open) do not keep the explorer, its STFTs and its figure alive.
    """
    ref = weakref.ref(explorer)

    def make_observer(name):
        def on_change(change):
            target = ref()
            if target is not None:
                target._on_control(name, change["new"])  # noqa: SLF001
        return on_change

    for name, control in controls.items():
        control.observe(make_observer(name), names="value")


def sync(controls: dict, params: dict) -> None:
    """Move the controls to ``params`` (the caller suppresses the observers meanwhile)."""
    for name, control in controls.items():
        if control.value != params[name]:
            control.value = params[name]


class _Picture(w.Image):
    """The explorer's picture, whose ``tooltip`` (the HTML ``title`` of the <img>) carries its text alternative.

    ipywidgets 8's front end (jupyterlab_widgets 3.0.17) reads ``description`` when it sets a tooltip, and an
    ``Image`` has none: ``Image(tooltip=...)`` fails to draw ("Cannot read properties of undefined (reading
    'length')" in ``updateTooltip``). An empty synced ``description`` is what the other widgets have, and lets
    the front end put the tooltip on the <img> as its ``title`` (read by screen readers, and copied to ``alt``
    by the HTML edition).
    """

    description = traitlets.Unicode("").tag(sync=True)


class _ExplorerBox(w.VBox):
    """The explorer's box. Shown in a notebook (``explorer.widget`` as the last line of a cell, or the explorer),
    it is ONE output carrying two views of the explorer:

    * ``application/vnd.jupyter.widget-view+json``, the live widget, which JupyterLab, Notebook 7 and VS Code
      draw (they rank it above HTML), as does the HTML edition from the saved widget state;
    * ``text/html``, the static view (``static_view``, the explorer's :meth:`~Explorer.static_bundle`: the
      figure as PNG with its alt text, the players, the numbers; also ``image/png`` for image-only viewers),
      which frontends without the widget or its state show instead: nbconvert picks it when the notebook has no widget state (GitHub, nbviewer, a page
      exported from a saved notebook), and a notebook reopened untrusted shows it too.

    So a live notebook shows each explorer once, and a page without widgets still shows its result. Then it
    displays :func:`slider_names_script` so its slider handles get their accessible names.
    """

    #: A callable (a weak method of the explorer) returning the static view as ``(data, metadata)``, or None.
    static_view = None

    def _repr_mimebundle_(self, **kwargs):
        data, metadata = super()._repr_mimebundle_(**kwargs), {}
        make = self.static_view() if self.static_view is not None else None  # None once the explorer is freed
        if make is not None:
            static, metadata = make()
            data.update(static)
        return data, metadata

    def _ipython_display_(self):
        from IPython.display import display

        data, metadata = self._repr_mimebundle_()
        display(data, metadata=metadata, raw=True)
        display(slider_names_script())


def layout(title: str, controls: dict, rows=None, frame_format: str = "jpeg"):
    """The explorer's box: a title, rows of controls (three per row unless ``rows`` lists them by name),
    the picture, the players and the numbers. Returns ``(box, image, players_html, info_html)``."""
    image = _Picture(format=frame_format, layout=w.Layout(max_width="100%", height="auto"))
    players_html, info_html = w.HTML(), w.HTML()
    if rows is None:
        names = list(controls)
        rows = [names[i:i + 3] for i in range(0, len(names), 3)]
    # a row that has no room for every control's minimum width (a laptop screen, a side panel) wraps
    boxes = [w.HBox([controls[name] for name in row], layout=w.Layout(flex_flow="row wrap")) for row in rows]
    header = [w.HTML(f"<b>{_html.escape(title)}</b>")] if title else []
    return _ExplorerBox(header + boxes + [image, players_html, info_html]), image, players_html, info_html


def _all_widgets(widget):
    found = [widget]
    for child in getattr(widget, "children", ()):
        found.extend(_all_widgets(child))
    return found


def _close(widgets):
    for widget in widgets:
        if isinstance(widget, (w.Image, w.HTML)):
            widget.value = b"" if isinstance(widget, w.Image) else ""  # drop the picture and the audio now
        widget.close()


def close_when_freed(explorer, box) -> None:
    """Close ``box`` and every widget in it once ``explorer`` is garbage-collected.

    The kernel keeps every open widget (and the picture and audio in them) until it is closed; an explorer
    that nobody refers to any more, e.g. after its cell was run again, is not shown anywhere else.
    """
    finalizer = weakref.finalize(explorer, _close, _all_widgets(box))
    finalizer.atexit = False  # at exit the kernel goes away with its widgets anyway
