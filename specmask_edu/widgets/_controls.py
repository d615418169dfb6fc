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
import urllib.parse
import weakref

import ipywidgets as w
import numpy as np
import traitlets

from .._validation import SpecmaskInputError, check_bool, check_number

__all__ = ["slider", "selection_slider", "dropdown", "checkbox", "check_value", "shown_value", "connect", "sync",
           "layout", "close_when_freed", "MIN_TRACK_PX", "slider_names_script", "slider_names_js", "ahead_picture",
           "ahead_tag", "value_tag", "shown_tags", "AHEAD_CLASS"]

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


#: The class of a hidden picture that waits in the browser for the key press that shows it (:func:`ahead_picture`).
AHEAD_CLASS = "specmask-ahead"


#: The class of a player table that may still play an earlier state (keys pressed in quick succession;
#: ``Explorer._catch_up`` sends the clips once they stop): the page script dims it and marks it ``aria-busy``.
PLAYERS_PENDING_CLASS = "specmask-players-pending"

#: The class of the explorer's hidden row of focus buttons, one per slider (:func:`focus_buttons`).
FOCUS_CLASS = "specmask-focus"


def focus_buttons(controls: dict) -> dict:
    """``{name: button}``: a hidden button for each slider of ``controls`` (class ``specmask-focus-<name>``), which
    the page script clicks when the student's focus enters that slider: the kernel then prepares the states one
    step either way before the first key press (``_states.prepare_around``). A widget's own messages are the one
    way a page can reach the kernel; the buttons are never drawn (``display: none``: no screen reader or Tab key
    meets them). None for a menu or a checkbox (no step to prepare)."""
    found = {}
    for name, control in controls.items():
        if type(control).__name__ in ("FloatSlider", "IntSlider", "SelectionSlider"):
            button = w.Button(description=f"prepare the steps next to {name}", layout=w.Layout(display="none"))
            button.add_class(f"{FOCUS_CLASS}-{name}")
            found[name] = button
    return found


def ahead_picture(frame_format: str = "jpeg"):
    """A hidden picture of the explorer's box, holding a kept state one slider step away (see the comment above
    ``_SLIDER_NAMES_JS``); :func:`ahead_tag` says for which value of which slider."""
    # appended at the end of the box (a new child in the middle would make the page draw the players again),
    # and drawn right after the explorer's picture by the flex order (``layout``)
    picture = _Picture(format=frame_format, layout=w.Layout(max_width="100%", height="auto", display="none",
                                                            order="1"))
    picture._dom_classes = (AHEAD_CLASS,)
    return picture


def value_tag(control, name: str, value) -> str | None:
    """The class that says a picture shows slider ``name`` at ``value``, as the slider's readout will show it:
    ``specmask-at-<name>-l<label>`` for a selection slider (its label, percent-encoded), or
    ``specmask-at-<name>-n<value>~<step>`` for a number slider (the page compares the readout within half a
    step). None for a control the page cannot match this way (a menu, a checkbox)."""
    kind = type(control).__name__
    if kind == "SelectionSlider":
        values, labels = _option_values(control)
        for label, option in zip(labels, values):
            if _same_option(value, option):
                return f"specmask-at-{name}-l" + urllib.parse.quote(str(label), safe="")
        return None
    if kind in ("FloatSlider", "IntSlider") and isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"specmask-at-{name}-n{float(value)!r}~{float(control.step)!r}"
    return None


def ahead_tag(control, name: str, value) -> tuple | None:
    """The classes of an :func:`ahead_picture` holding the state with slider ``name`` at ``value`` (the other
    controls as they are): its class, the slider's name and :func:`value_tag`; None if the page cannot tell."""
    tag = value_tag(control, name, value)
    return None if tag is None else (AHEAD_CLASS, f"{AHEAD_CLASS}-{name}", tag)


def shown_tags(controls: dict, params: dict) -> tuple:
    """The classes of the explorer's picture: :func:`value_tag` of every slider, for the state it shows."""
    tags = (value_tag(control, name, params[name]) for name, control in controls.items())
    return tuple(tag for tag in tags if tag is not None)


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
#
# The same script shows a picture the kernel sent ahead. A key press on a slider sends the new value to the
# kernel, which answers with the new picture; that round trip (message, kernel, message, decoding the JPEG) takes
# 45-80 ms here, however little the kernel computes. So, while it is idle, the kernel sends the pictures of the
# states one step away (the next step, prepared ahead, and the step back: ``_states.neighbours``) into hidden
# pictures of the explorer's box (class ``specmask-ahead``), tagged with the slider's name and the value; the
# script decodes them at once. When a key press moves a slider's readout to a value a hidden picture holds, the
# script shows that picture in place of the explorer's picture, in the same frame; the kernel's own answer (the
# same picture, from its kept state) replaces it once loaded. A value nothing was sent for waits for the
# kernel as before. A copy of the kernel's present state waits there too: when keys are tapped back and forth the
# kernel answers presses the student has already undone, and when such a late answer loads, the hidden picture of
# the value the readout shows takes its place. Nothing is revoked or shared: each hidden picture keeps its own data.
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
    document.querySelectorAll('.specmask-players-pending:not([aria-busy])').forEach(function (el) {
      el.setAttribute('aria-busy', 'true');  // the players may still play an earlier state
    });
    document.querySelectorAll('[aria-busy]:not(.specmask-players-pending)').forEach(function (el) {
      if (el.closest('.specmask-explorer')) el.removeAttribute('aria-busy');
    });
  };
  const style = document.createElement('style');
  style.textContent = '.specmask-players-pending { opacity: 0.6; }';
  document.head.appendChild(style);
  // pictures sent ahead: decoded as they arrive, shown when a key press reaches their value
  const decode = function (img) {
    const src = img.src;
    if (!src || img.dataset.decoded === src) return;
    img.decode().then(function () { img.dataset.decoded = src; }, function () {});
  };
  const tagged = function (el, prefix) {
    const found = [...el.classList].find(function (c) { return c.startsWith(prefix); });
    return found === undefined ? null : found.slice(prefix.length);
  };
  const holds = function (img, name, readout) {  // the picture shows slider `name` at the value `readout` shows
    const tag = tagged(img, 'specmask-at-' + name + '-');
    if (tag === null) return false;
    if (tag[0] === 'l') return decodeURIComponent(tag.slice(1)) === readout;
    const parts = tag.slice(1).split('~'), shown = parseFloat(readout.replace(/\u2212/g, '-'));
    return isFinite(shown) && Math.abs(shown - parseFloat(parts[0])) < parseFloat(parts[1]) / 2;
  };
  const main = function (box) {
    return box.querySelector(':scope > img.widget-image:not(.specmask-ahead)');
  };
  const back = function (box) {  // the kernel's picture is shown again, the pictures ahead hidden
    box.querySelectorAll(':scope > img.specmask-ahead').forEach(function (img) { img.style.display = 'none'; });
    const picture = main(box);
    if (picture) picture.style.display = '';
    delete box.dataset.ahead;
  };
  // The controls moved since the kernel last sent pictures ahead: a picture sent for slider A holds the other
  // controls as they were then, so it may be shown only while nothing but A moved.
  const moved = function (target) {
    const control = target.closest && target.closest('.specmask-control');
    const box = control && control.closest('.specmask-explorer');
    if (!box) return null;
    const name = tagged(control, 'specmask-name-');
    const names = (box.dataset.moved || '').split(' ').filter(Boolean);
    if (!names.includes(name)) box.dataset.moved = names.concat([name]).join(' ');
    return {box: box, control: control, name: name};
  };
  const showAhead = function (event) {
    const handle = event.target.closest && event.target.closest('[role=slider]');
    const found = handle && moved(handle);
    if (!found) return;
    const box = found.box, picture = main(box);
    box.dataset.slider = found.name;  // the slider pressed last (a late answer is checked against its readout)
    const readout = found.control.querySelector('.widget-readout');
    if (!picture || !readout) return;
    const others = box.dataset.moved.split(' ').filter(function (n) { return n !== found.name; });
    const text = readout.textContent.trim();
    if (others.length) return;
    if (holds(picture, found.name, text)) {  // back to the value the kernel's picture shows
      if (!box.dataset.ahead) return;
      back(box);
      box.dispatchEvent(new CustomEvent('specmask-ahead-shown', {detail: {title: picture.title}}));
      return;
    }
    const ready = sentAhead(box, found.name, text);
    if (!ready) return;
    show(box, ready, picture);
    box.dispatchEvent(new CustomEvent('specmask-ahead-shown', {detail: {title: ready.title}}));
  };
  const sentAhead = function (box, name, text) {  // a decoded picture sent ahead for slider `name` at `text`
    return [...box.querySelectorAll(':scope > img.specmask-ahead-' + name)].find(function (img) {
      const loaded = img.dataset.decoded === img.src || (img.complete && img.naturalWidth > 0);
      return loaded && holds(img, name, text);
    }) || null;
  };
  const show = function (box, ready, picture) {  // `ready` in place of the kernel's `picture`
    box.querySelectorAll(':scope > img.specmask-ahead').forEach(function (img) { img.style.display = 'none'; });
    ready.style.display = '';
    picture.style.display = 'none';
    box.dataset.ahead = picture.src;
  };
  // bubbling: the slider has moved its handle and readout by then
  document.addEventListener('keydown', function (event) {
    if (event.target.closest && event.target.closest('[role=slider]')) showAhead(event);
    else moved(event.target);  // typing a value into a readout
  });
  document.addEventListener('pointerdown', function (event) { moved(event.target); }, true);
  // the student's focus entered a slider (a click on its handle, the Tab key): the explorer's hidden button for
  // that slider tells the kernel, which prepares one step either way before the first key press
  document.addEventListener('focusin', function (event) {
    const handle = event.target.closest && event.target.closest('[role=slider]');
    const control = handle && handle.closest('.specmask-control');
    const box = control && control.closest('.specmask-explorer');
    const name = box && tagged(control, 'specmask-name-');
    const button = name && box.querySelector('.specmask-focus-' + name);
    if (button) button.click();
  });
  document.addEventListener('change', function (event) { moved(event.target); }, true);
  document.addEventListener('load', function (event) {  // the kernel's picture arrived: it takes over
    const img = event.target;
    const box = img.classList && img.classList.contains('widget-image') && img.parentElement;
    if (!box || img.classList.contains('specmask-ahead') || img.src === box.dataset.ahead) return;
    // unless it shows a value the slider has left (keys pressed in quick succession: the kernel answers a
    // press the student has gone past) and a picture sent ahead holds the value the readout shows: that one
    // stays, or is shown in its place, as long as no other control moved
    const name = box.dataset.slider;
    const control = name && box.querySelector('.specmask-name-' + name);
    const readout = control && control.querySelector('.widget-readout');
    const text = readout ? readout.textContent.trim() : null;
    const others = (box.dataset.moved || '').split(' ').filter(function (n) { return n && n !== name; });
    const ready = text !== null && !others.length && !holds(img, name, text) && sentAhead(box, name, text);
    if (ready) {
      if (ready.style.display === 'none') show(box, ready, img);
      box.dataset.ahead = img.src;
      return;
    }
    if (box.dataset.ahead) back(box);
  }, true);
  const ahead = function (mutations) {
    mutations.forEach(function (m) {
      const img = m.target;
      m.addedNodes && m.addedNodes.forEach(function (node) {  // drawn with its picture already
        if (node.classList && node.classList.contains('specmask-ahead')) decode(node);
      });
      if (m.type !== 'attributes' || !img.classList || !img.classList.contains('specmask-ahead')) return;
      const box = img.parentElement;
      if (m.attributeName === 'src') decode(img);
      if (m.attributeName === 'class' && box) delete box.dataset.moved;  // sent for the kernel's present state
      if (img.style.display !== 'none' && box) back(box);  // changed while shown
    });
  };
  let queued = false;
  new MutationObserver(function (mutations) {
    ahead(mutations);
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; name(); });
  }).observe(document.body, {childList: true, subtree: true, attributes: true,
                             attributeFilter: ['title', 'src', 'class']});
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


def connect_focus(buttons: dict, explorer) -> None:
    """Make each of the :func:`focus_buttons` call ``explorer._on_focus(name)`` when the page clicks it (through a
    weak reference, as :func:`connect`)."""
    ref = weakref.ref(explorer)

    def make_handler(name):
        def on_click(_button):
            target = ref()
            if target is not None:
                target._on_focus(name)  # noqa: SLF001
        return on_click

    for name, button in buttons.items():
        button.on_click(make_handler(name))


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


def layout(title: str, controls: dict, rows=None, frame_format: str = "jpeg", focus: dict | None = None):
    """The explorer's box: a title, rows of controls (three per row unless ``rows`` lists them by name),
    the picture, the players and the numbers, and a hidden row holding the ``focus`` buttons
    (:func:`focus_buttons`), if any. Returns ``(box, image, players_html, info_html)``."""
    image = _Picture(format=frame_format, layout=w.Layout(max_width="100%", height="auto"))
    players_html, info_html = w.HTML(layout=w.Layout(order="2")), w.HTML(layout=w.Layout(order="2"))
    for name, control in controls.items():  # found by the script that shows pictures sent ahead
        control.add_class("specmask-control")
        control.add_class(f"specmask-name-{name}")
    if rows is None:
        names = list(controls)
        rows = [names[i:i + 3] for i in range(0, len(names), 3)]
    # a row that has no room for every control's minimum width (a laptop screen, a side panel) wraps
    boxes = [w.HBox([controls[name] for name in row], layout=w.Layout(flex_flow="row wrap")) for row in rows]
    header = [w.HTML(f"<b>{_html.escape(title)}</b>")] if title else []
    hidden = [w.Box(list(focus.values()), layout=w.Layout(display="none"))] if focus else []
    if hidden:
        hidden[0].add_class(FOCUS_CLASS)
    box = _ExplorerBox(header + boxes + [image, players_html, info_html] + hidden)
    box.add_class("specmask-explorer")
    return box, image, players_html, info_html


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


def close_when_freed(explorer, *boxes) -> None:
    """Close each of ``boxes`` and every widget in them once ``explorer`` is garbage-collected.

    The kernel keeps every open widget (and the picture and audio in them) until it is closed; an explorer
    that nobody refers to any more, e.g. after its cell was run again, is not shown anywhere else.
    """
    finalizer = weakref.finalize(explorer, _close, [found for box in boxes for found in _all_widgets(box)])
    finalizer.atexit = False  # at exit the kernel goes away with its widgets anyway
