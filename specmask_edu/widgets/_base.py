"""The base of every explorer: parameter state and ``update()``, the players, the static view.

:class:`Explorer` keeps ``params`` (the current value of every control) and turns
``update(**params)`` into: check every value (nothing is stored if one is wrong), recompute what the
changed names affect, redraw, publish the picture, the players and the numbers. If computing fails, the
previous values are put back and recomputed, so an explorer is never stuck after one bad value. A state
shown recently, or prepared while the kernel was idle (the next slider step), is shown from what was kept
instead of being computed again (:mod:`._states`). The figure and its blitting live in :mod:`._canvas`,
the controls and their wiring in :mod:`._controls`.
See :mod:`specmask_edu.widgets` for how to write a new explorer.
"""

from __future__ import annotations

import functools
import gc
import html as _html
import math
import re
import threading
import time
import weakref

from IPython.display import display

from .. import players, plots
from .._defaults import DEFAULT_SR
from .._validation import SpecmaskInputError, check_sr
from ..examples import load_band, load_example, load_mixture
from ..separation import oracle_separate
from . import _controls, _states
from ._canvas import BlitCanvas

__all__ = ["Explorer", "EXAMPLE_INPUTS"]


# --------------------------------------------------------------------------- what from_example loads


def _clip(sr, name="speech_allison_1"):
    return (load_example(name, sr=sr),)


def _mixture(sr, speech="speech_allison_1", noise="babble_real"):
    mix = load_mixture(speech, noise, snr_db=0.0, sr=sr)  # the explorer sets the SNR itself
    return mix["target"], mix["interference"]


def _band(sr):
    return (load_band(sr=sr, include_mixture=False),)


def _harmonic_percussive(sr):
    band = load_band(sr=sr, include_mixture=False)
    return sum(v for k, v in band.items() if k != "drums"), band["drums"]


def _oracle_estimates(sr, speech="speech_allison_1", noise="babble_real", snr_db=0.0, config=None):
    mix = load_mixture(speech, noise, snr_db=snr_db, sr=sr)
    estimates = {name.upper(): oracle_separate(mix["target"], mix["interference"], name, config)
                 for name in ("irm", "ibm", "psm")}
    return estimates, mix["target"]


#: The inputs :meth:`Explorer.from_example` can build from the bundled clips (see
#: :func:`specmask_edu.list_examples`), by the name an explorer gives in ``Explorer.example``. Each takes
#: ``sr`` and the clip names (keywords with defaults) and returns the explorer's positional arguments.
EXAMPLE_INPUTS = {
    "clip": _clip,                                  # one clip:                        (x,)
    "mixture": _mixture,                            # speech and a noise:              (target, interference)
    "band": _band,                                  # the band's four stems:           (stems,)
    "harmonic_percussive": _harmonic_percussive,    # bass + chords + melody, drums:   (harmonic, percussive)
    "oracle_estimates": _oracle_estimates,          # IRM/IBM/PSM estimates, target:   (estimates, reference)
}


def _transcript(example: str, chosen: dict):
    """The catalogue's transcript of the speech clip an :data:`EXAMPLE_INPUTS` loader loads with the names
    ``chosen`` (its own default where none is chosen); None where it loads no speech clip by name."""
    import inspect

    from ..examples import example_info

    parameters = inspect.signature(EXAMPLE_INPUTS[example]).parameters
    key = next((k for k in ("name", "speech") if k in parameters), None)
    name = chosen.get(key, parameters[key].default) if key else None
    if not isinstance(name, str):
        return None
    try:
        return example_info(name).get("text")
    except SpecmaskInputError:
        return None


_EXAMPLE_ARGS = {"clip": ("name",), "mixture": ("speech", "noise"), "band": (), "harmonic_percussive": (),
                 "oracle_estimates": ("speech", "noise", "snr_db", "config")}


def _one_at_a_time(method):
    """Run ``method`` holding the explorer's lock. JupyterLab 4 with ipykernel 7 may hand widget messages to a
    kernel *subshell* (its own thread) while the main thread runs the preparation of the next step
    (:mod:`._states`): without the lock an update could run in the middle of a preparation and the two would
    overwrite each other's parameters. With it, an update waits for the preparation to finish."""
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)
    return locked


class Explorer:
    """Base class of the explorers: controls + one figure (as a picture) + a player table + numbers.

    Subclasses fill in ``_make_controls``, ``_compute``, ``_draw_first``, ``_draw``, ``signals``,
    ``descriptions`` and ``info`` (see :mod:`specmask_edu.widgets`). ``transcript`` (keyword): the words
    spoken in the target clip, which the clean speech's player description gives (``from_example`` fills it in
    from the catalogue). ``__init__`` of a subclass does its expensive work
    (loading, STFTs) first and then calls ``super().__init__(sr, **initial)``, which checks the starting
    values, computes and draws the initial state.
    """

    #: Figure size in inches and resolution of the picture (80 dpi: 11 x 6 in gives 880 x 480 pixels).
    figsize = (11.0, 6.0)
    dpi = 80
    #: Title shown above the controls.
    title = ""
    #: Format of the live picture: JPEG (quality 80, no chroma subsampling) encodes in ~3 ms where PNG
    #: takes ~18 ms for these noisy spectrograms, and is 2-3 times smaller to send (see
    #: ``plots.canvas_to_bytes``); the static fallback uses lossless PNG.
    frame_format = "jpeg"
    #: What :meth:`from_example` loads: a key of :data:`EXAMPLE_INPUTS`.
    example = "mixture"
    #: Rows of control names (None: three controls per row, in order).
    control_rows = None
    #: What the picture shows, in one sentence: the start of its text alternative (:meth:`alt_text`),
    #: which adds the current settings and numbers.
    picture = ""

    def __init__(self, sr: int = DEFAULT_SR, transcript: str | None = None, **initial):
        self._lock = threading.RLock()  # see _one_at_a_time
        self._count_lock = threading.Lock()  # for ``_moves_waiting``
        self.sr = check_sr(sr)
        if transcript is not None and not isinstance(transcript, str):
            raise SpecmaskInputError(f"`transcript` must be the words spoken in the target clip as a string (or "
                                     f"None), got {type(transcript).__name__}.")
        #: The words spoken in the target clip (None if unknown or not speech): the players' descriptions give it.
        self.transcript = transcript.strip() if transcript else None
        self.controls = self._make_controls()
        self.params = {name: control.value for name, control in self.controls.items()}
        self.params.update(self._checked(initial))
        self._syncing = False
        self.last_timing = {}
        self.canvas = BlitCanvas(type(self).__name__, self.figsize, self.dpi)
        self.fig = self.canvas.fig
        #: States shown recently or prepared ahead (:mod:`._states`); names of the attributes ``_compute`` sets.
        self._states = _states.StateCache()
        self._result_names = set()
        # True when the figure's artists or pixels may show another state than ``params`` (after a kept state
        # was shown or the next one prepared); ``_pending_full``: the next drawing must be a full one.
        self._canvas_stale = self._pending_full = False
        # ``_artists_behind``: a kept state was shown and the artists still hold an earlier one; the players and
        # the artists follow the picture (``_catch_up``), at once or, after a student's move, once the kernel idles
        self._artists_behind = self._deferring = False
        self._catch_up_handle = self._offer_handle = None
        # when the last student's move came (time.monotonic), and whether its players go before what is prepared
        self._last_move_at, self._players_early = -math.inf, True
        #: Hidden pictures in the browser holding kept states one step away (:meth:`_offer_ahead`), made at the
        #: first offer; what each holds: ``(state key, layout version, slider name)`` or None.
        self._ahead, self._ahead_holds = [], []
        #: Students' moves received and not yet shown (a widget message may wait in a kernel subshell thread for
        #: a preparation to finish): the preparations still scheduled give way to them (``_states``).
        self._moves_waiting = 0
        self._run_compute(set(self.params))
        self._draw_first()
        self._draw()  # titles and limits of the initial state
        self.canvas.freeze_layout()
        self.canvas.redraw(full=True)
        focus = _controls.focus_buttons(self.controls)
        self.widget, self.image, self.players_html, self.info_html = _controls.layout(
            self.title, self.controls, self.control_rows, self.frame_format, focus)
        self.widget.static_view = weakref.WeakMethod(self.static_bundle)  # its display carries the static view
        _controls.connect(self.controls, self)
        _controls.connect_focus(focus, self)
        _controls.close_when_freed(self, self.widget)
        self._sync_controls()
        self._publish()
        # Building made many short-lived objects; collect them now (~0.1 s, part of the start-up) rather
        # than let Python's full garbage collection fall into the student's first slider move.
        gc.collect()

    @classmethod
    def from_example(cls, *clips, sr: int = DEFAULT_SR, **kwargs):
        """Build the explorer on bundled clips (see :func:`specmask_edu.list_examples`).

        ``clips`` (or keywords) name the clips; which ones depends on ``cls.example``: ``name`` for one
        clip (STFT explorer); ``speech`` and ``noise`` for a mixture (defaults ``"speech_allison_1"`` and
        ``"babble_real"``, the recordings the lessons use; the input SNR stays the explorer's own
        parameter); nothing for the band; ``speech``,
        ``noise``, ``snr_db`` and ``config`` for the oracle estimates of the scale explorer. Other keywords
        go to the constructor (starting values such as ``mask="IBM"``).

        >>> MaskExplorer.from_example("speech_female_1", "white_noise", mask="IBM")   # doctest: +SKIP
        """
        names = _EXAMPLE_ARGS[cls.example]
        if len(clips) > len(names):
            raise SpecmaskInputError(f"{cls.__name__}.from_example takes at most {len(names)} clip name(s) "
                                     f"({', '.join(names) or 'none'}), got {len(clips)}.")
        chosen = dict(zip(names, clips))
        chosen.update({name: kwargs.pop(name) for name in names[len(clips):] if name in kwargs})
        if "transcript" not in kwargs:  # the words of the speech clip, for the players' descriptions
            kwargs["transcript"] = _transcript(cls.example, chosen)
        return cls(*EXAMPLE_INPUTS[cls.example](check_sr(sr), **chosen), sr=sr, **kwargs)

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

    def descriptions(self) -> dict:
        """``{label: short text}``: what each clip of :meth:`signals` plays, shown under its player and read
        with it (``aria-describedby``); the clean speech gives its :attr:`transcript` where it is known."""
        raise NotImplementedError

    def _words(self, text: str) -> str:
        """``text`` followed by the transcript, when the explorer knows it."""
        return f'{text.rstrip(".")}. Words: "{self.transcript}"' if self.transcript else text

    def info(self) -> str:
        """HTML line of numbers shown under the players."""
        return ""

    def _enable_controls(self):
        """Grey out controls that do not apply to the current state (override if needed)."""

    # ---------------------------------------------------------------- the figure (see _canvas)
    def animate(self, *artists):
        """Register artists that change on updates: see :meth:`BlitCanvas.animate`."""
        self.canvas.animate(*artists)

    def animate_rarely(self, *artists):
        """Register artists that change now and then: see :meth:`BlitCanvas.animate_rarely`."""
        self.canvas.animate_rarely(*artists)

    def background_changed(self):
        """Call from ``_draw`` after changing an artist registered with :meth:`animate_rarely`."""
        self.canvas.background_changed()

    # ---------------------------------------------------------------- state
    def _checked(self, params: dict) -> dict:
        unknown = set(params) - set(self.params)
        if unknown:
            raise SpecmaskInputError(
                f"Unknown parameter(s) {sorted(unknown)}; this explorer has {sorted(self.params)}."
            )
        return {name: _controls.check_value(self.controls[name], name, value) for name, value in params.items()}

    @_one_at_a_time
    def update(self, **params):
        """Change parameters (by name, as on the controls) and refresh figure, players and numbers.

        Only what depends on the changed parameters is recomputed. Every value is checked before any is
        stored: a wrong one raises :class:`SpecmaskInputError` and the explorer keeps its last good
        state. Returns ``self``.
        """
        checked = self._checked(params)
        changed = {name for name, value in checked.items() if value != self.params[name]}
        previous = dict(self.params)
        kept = self._states.get({**self.params, **checked}, self.canvas.layout_version) if changed else None
        self.params.update(checked)
        t0, c0 = time.perf_counter(), time.process_time()
        if kept is not None:  # shown a moment ago, or prepared ahead: no computing, no drawing
            self._use_results(kept.results)
            self._sync_controls()
            self._artists_behind = self._canvas_stale = True
            self._publish(t0, t0, t0, kept=kept)
            self.last_timing["cpu_compute_draw"] = time.process_time() - c0
            return self
        try:
            if changed:
                self._run_compute(changed)
            t1 = time.perf_counter()
            self._render()
        except Exception as err:
            self._restore(previous, changed)
            if isinstance(err, SpecmaskInputError):
                raise
            raise SpecmaskInputError(f"{type(self).__name__} could not use {params}: {err}. It kept its previous "
                                     "settings; try another value.") from err
        t2 = time.perf_counter()
        cpu = time.process_time() - c0
        self._sync_controls()
        self._publish(t0, t1, t2)
        self.last_timing["cpu_compute_draw"] = cpu
        return self

    @_one_at_a_time
    def prepare(self, **params):
        """Compute, draw and encode the state ``update(**params)`` would show, keep it, and put the current
        state back (nothing is shown). A later ``update(**params)`` then shows it at once.

        The explorer calls this itself, once the kernel is idle, for the next step of the slider a student
        just moved (:mod:`._states`). Returns True if a state was kept (False if it was kept already or the
        values are not allowed: the update to them will say why).
        """
        try:
            checked = self._checked(params)
        except SpecmaskInputError:
            return False
        target = {**self.params, **checked}
        if target == self.params or self._states.get(target, self.canvas.layout_version) is not None:
            return False
        saved, current = dict(self.__dict__), self.params
        self.params = target
        kept = None
        try:
            self._run_compute({name for name, value in checked.items() if value != current[name]})
            self._render()
            info = self.info()
            kept = _states.KeptState(self._results(), self.canvas.encode(self.frame_format), self.alt_text(info),
                                     info, self.canvas.layout_version)
        except Exception:  # noqa: BLE001 - a value that fails here fails again, with its message, in update()
            kept = None
        finally:
            self.params = current
            for name in self._result_names:  # the results of the current state, exactly as they were
                if name in saved:
                    setattr(self, name, saved[name])
                else:
                    self.__dict__.pop(name, None)
            self._canvas_stale = self._artists_behind = True  # the figure holds the prepared state
        if kept is not None:
            self._states.put(target, kept)
            self._states.get(current, self.canvas.layout_version)  # the state shown stays the last to go
        return kept is not None

    @_one_at_a_time
    def _offer_ahead(self, withdraw: bool = False):
        """Send the browser the kept states one slider step away from the state shown (the next step prepared
        ahead, the step back: :func:`._states.neighbours`), each into a hidden picture of the box tagged with
        the slider and value, which the page shows at once when a key press gets there (see
        ``_controls._SLIDER_NAMES_JS``); with them, the state shown, tagged the same way: when keys are tapped
        back and forth, the kernel's answer to a press the student has already undone arrives late, and the page
        shows this picture in its place. A picture that holds its state already is not sent again (so a step
        along the slider sends only the step prepared next: the step back and the state shown are there
        already); one that holds nothing useful any more is untagged (all of them with ``withdraw``). Called
        once the kernel is idle after a student's move."""
        wanted = [] if withdraw else _states.neighbours(self._states, self.params, self.canvas.layout_version,
                                                        self.controls, limit=_states.AHEAD_PICTURES - 1)
        shown = self._states.get(self.params, self.canvas.layout_version) if wanted else None
        if shown is not None:  # and the state shown, for that slider: the page shows it in place of a late answer
            name = wanted[0][0]
            wanted.append((name, self.params[name], shown))
        # what a picture holds: the state, the layout, and the slider its tag names (the state shown, held for one
        # slider, is tagged again for another: the same bytes, so only its classes are sent)
        keys = [(_states.state_key({**self.params, name: value}), kept.layout_version, name)
                for name, value, kept in wanted]
        if wanted and not self._ahead:
            self._ahead = [_controls.ahead_picture(self.frame_format) for _ in range(_states.AHEAD_PICTURES)]
            self._ahead_holds = [None] * len(self._ahead)
            self.widget.children = tuple(self.widget.children) + tuple(self._ahead)  # drawn after the picture
            _controls.close_when_freed(self, *self._ahead)
        free = [i for i, held in enumerate(self._ahead_holds) if held not in keys]
        for (name, value, kept), key in zip(wanted, keys):
            if key in self._ahead_holds:
                continue
            # a free picture holding this state tagged for another slider already has its bytes: only re-tagged
            same = [j for j in free if self._ahead_holds[j] is not None and self._ahead_holds[j][:2] == key[:2]]
            i = same[0] if same else free[0]
            free.remove(i)
            with self._ahead[i].hold_sync():
                self._ahead[i].value = kept.frame
                self._ahead[i].tooltip = kept.alt
                self._ahead[i]._dom_classes = _controls.ahead_tag(self.controls[name], name, value)
            self._ahead_holds[i] = key
        for i in free:  # nothing to hold: untagged, so no key press shows it
            if self._ahead_holds[i] is not None:
                self._ahead[i]._dom_classes = (_controls.AHEAD_CLASS,)
                self._ahead_holds[i] = None

    def _run_compute(self, changed: set):
        """``_compute(changed)``, noting which attributes it (re)assigned: they are the state's results."""
        before = dict(self.__dict__)
        self._compute(changed)
        missing = object()
        self._result_names.update(name for name, value in self.__dict__.items()
                                  if before.get(name, missing) is not value)

    def _results(self) -> dict:
        """The current results of ``_compute`` (shared, not copied: ``_compute`` assigns new objects)."""
        return {name: self.__dict__[name] for name in self._result_names if name in self.__dict__}

    def _use_results(self, results: dict):
        for name, value in results.items():
            setattr(self, name, value)

    def _render(self):
        """Update the artists (``_draw``) and redraw the figure (in full if they or an earlier state asked)."""
        full = bool(self._draw()) or self._pending_full
        self.canvas.redraw(full=full)
        self._canvas_stale = self._pending_full = self._artists_behind = False

    def _restore(self, previous: dict, changed: set):
        """Put the last good values back and recompute them (what failed may have changed some results)."""
        self.params = previous
        if changed:
            self._run_compute(changed)
        self._render()

    def _on_control(self, name, value):
        if self._syncing:
            return
        _states.use(self)
        with self._count_lock:  # atomic: moves may come in two threads (the kernel's main shell and a subshell)
            self._moves_waiting += 1
        try:
            with self._lock:  # (a preparation in another thread swaps ``params`` while it computes)
                old = self.params[name]
                self._deferring = True  # the players wait until the kernel idles (``_catch_up``)
                try:
                    self.update(**{name: value})
                finally:
                    self._deferring = False
                new = self.params[name]
        except SpecmaskInputError as err:  # show the problem in the widget instead of losing it in a log
            self.info_html.value = f"<span style='color:#b00'>{_html.escape(str(err))}</span>"
            self._sync_controls()
            self._offer_ahead(withdraw=True)  # a picture the page may have shown ahead is taken back
            return
        finally:
            with self._count_lock:
                self._moves_waiting -= 1
        _states.prepare_next_step(self, name, old, new)

    def _on_focus(self, name):
        """The student's focus entered slider ``name`` (the page script clicks its hidden button:
        :func:`._controls.focus_buttons`): this is the explorer in use, and once the kernel idles the states one
        step either way are prepared and sent ahead (:func:`._states.prepare_around`)."""
        _states.use(self)
        with self._lock:  # the values shown, not those of a preparation running in another thread
            _states.prepare_around(self, name)

    def _sync_controls(self):
        self._syncing = True
        try:
            _controls.sync(self.controls, self.params)
            self._enable_controls()
        finally:
            self._syncing = False

    # ---------------------------------------------------------------- what the student sees and hears
    def _publish(self, t0=None, t1=None, t2=None, kept=None):
        """Send the picture (the canvas, or ``kept``'s) and the numbers, then the players if a clip changed
        (:meth:`_catch_up`: at once, or after a student's move once the kernel idles)."""
        t3 = time.perf_counter()
        frame = self.canvas.encode(self.frame_format) if kept is None else kept.frame
        t4 = time.perf_counter()
        text = self.info() if kept is None else kept.info
        alt = self.alt_text(text) if kept is None else kept.alt
        # The frame and its text alternative in one message: an ipywidgets Image view rebuilds its picture on any
        # change (its tooltip too), so two messages made the browser decode every frame twice.
        with self.image.hold_sync():
            self.image.value = frame
            self.image.tooltip = alt  # the HTML edition writes it out as the picture's alt
            self.image._dom_classes = _controls.shown_tags(self.controls, self.params)  # what it shows (_offer_ahead)
        self.info_html.value = text
        if kept is None:  # keep what was shown: going back to it needs no computing
            self._states.put(self.params, _states.KeptState(self._results(), frame, alt, text,
                                                            self.canvas.layout_version))
        if t0 is not None:
            self.last_timing = {"compute": t1 - t0, "draw": t2 - t1, "encode": t4 - t3, "players": 0.0,
                                "total": time.perf_counter() - t0, "kept": kept is not None}
        for handle in (self._catch_up_handle, self._offer_handle):
            if handle is not None:
                handle.cancel()
        self._catch_up_handle = self._offer_handle = None
        if not self._deferring:
            self._catch_up()
            return
        # A student's move: once the kernel idles, the players and the pictures one step away. A move that comes
        # less than PLAYERS_DELAY_S after the one before (keys pressed in quick succession, or held) sends the
        # pictures only; its players wait until no move came for PLAYERS_DELAY_S.
        # (Not asking ``signals()`` here: an explorer may make a clip only when the players need it.)
        now = time.monotonic()
        self._players_early = now - self._last_move_at >= _states.PLAYERS_DELAY_S
        self._last_move_at = now
        if self._players_early:
            self._catch_up_handle = _states.when_idle(self._catch_up_idle)
        else:
            self.players_html.add_class(_controls.PLAYERS_PENDING_CLASS)  # the table may show an earlier state
            self._offer_handle = _states.when_idle(self._offer_idle)
            self._catch_up_handle = _states.when_idle(self._catch_up, _states.PLAYERS_DELAY_S)

    def catch_up_now(self):
        """Send what waits for the kernel to idle (:meth:`_catch_up`) now, if anything waits."""
        handle, self._catch_up_handle = self._catch_up_handle, None
        if handle is not None:
            handle.cancel()
            self._catch_up()

    def _catch_up_idle(self):
        """After a student's move, once the kernel idles: :meth:`_catch_up`, then :meth:`_offer_idle`."""
        self._catch_up()
        self._offer_idle()

    def _offer_idle(self):
        """After a student's move, once the kernel idles: send the browser the kept states one step away
        (:meth:`_offer_ahead`; the step back is kept already, the next one is prepared later)."""
        self._offer_handle = None
        if not self._moves_waiting:  # a newer move comes first; it will offer its own
            self._offer_ahead()

    @_one_at_a_time
    def _catch_up(self):
        """What the picture does not wait for: the players, re-sent only if a clip changed (encoding the audio
        costs 10-20 ms, and a player table can be 1 MB that the browser must take in before the next picture),
        and the artists after a kept state was shown (new data, no rendering, so ``fig`` describes the state
        shown). After a student's move this runs once the kernel idles (:data:`._states.IDLE_DELAY_S`), or, for
        a move that came less than :data:`._states.PLAYERS_DELAY_S` after the one before, once no move came for
        that long: keys pressed in quick succession send the audio of the state they stop at only."""
        self._catch_up_handle = None
        t0 = time.perf_counter()
        if self._artists_behind:
            self._pending_full |= bool(self._draw())
            self._artists_behind = False
        signals = self.signals()
        gain, described = self._table_gain(signals), self.descriptions()
        fingerprint = _fingerprint(signals, gain, described)
        if fingerprint != getattr(self, "_players_fingerprint", None):  # re-send only when the sound changed
            self.players_html.value = self.player_table(signals, gain=gain, described=described).html()
            self._players_fingerprint = fingerprint
        self.players_html.remove_class(_controls.PLAYERS_PENDING_CLASS)
        if self.last_timing:
            self.last_timing["players"] = time.perf_counter() - t0

    def _table_gain(self, signals: dict) -> float:
        """The player table's gain for ``signals``: it only ever turns down (when a louder setting would clip),
        like the waveform scale, so a clip that a slider move did not change keeps playing at the same level."""
        return min(getattr(self, "_player_gain", 1.0), players.group_gain(signals))

    def player_table(self, signals: dict | None = None, gain: float | None = None, described: dict | None = None):
        """The current clips (``signals``, default :meth:`signals`) as a
        :class:`specmask_edu.players.PlayerTable` (one gain for all, :meth:`_table_gain`; ``gain`` and
        ``described`` when the caller has them already).
        """
        if signals is None:
            signals = self.signals()
        self._player_gain = self._table_gain(signals) if gain is None else gain
        described = self.descriptions() if described is None else described
        return players.player_table(signals, self.sr, gain=self._player_gain,
                                    descriptions={k: v for k, v in described.items() if k in signals})

    @_one_at_a_time
    def png(self) -> bytes:
        """The current figure as PNG bytes (what :meth:`show_static` displays).

        Use this rather than ``fig.savefig`` or ``plots.figure_to_png(explorer.fig)``: the artists that
        change are marked *animated* for blitting, and a plain matplotlib draw leaves them out.
        """
        self.catch_up_now()  # players and artists first
        if self._canvas_stale:  # a kept state was shown or the next one prepared: draw the current one
            self._render()
        return self.canvas.encode("png")

    def settings_text(self) -> str:
        """The current settings as a student reads them on the controls: ``"mask: IRM; input SNR (dB): 0"``."""
        return "; ".join(f"{control.description or name}: {_controls.shown_value(control, self.params[name])}"
                         for name, control in self.controls.items())

    def alt_text(self, info: str | None = None) -> str:
        """The picture's text alternative for its current state: what it shows (:attr:`picture`), the
        settings (:meth:`settings_text`) and the numbers under the players (``info``, default
        :meth:`info`, as plain text). Updated with every update: the live picture carries it as its
        ``tooltip`` (its HTML ``title``), :meth:`show_static` as the ``alt`` of the PNG."""
        numbers = _plain_text(self.info() if info is None else info)
        what = (self.picture or self.title or type(self).__name__).rstrip(". ")
        return f"{what}. Settings: {self.settings_text()}." + (f" {numbers}" if numbers else "")

    def static_html(self, image_html: str | None = None) -> str:
        """The current state as one HTML fragment that needs no widgets: the title and settings, the figure as
        a PNG ``<img>`` whose ``alt`` is :meth:`alt_text`, the player table and the numbers.

        Displaying the explorer (``explorer.widget``, or the explorer itself) carries it in the same output
        as the live widget (see :meth:`static_bundle`): JupyterLab, Notebook 7 and VS Code draw the widget,
        while an exported page without widget state, GitHub or nbviewer show this instead."""
        if image_html is None:
            image_html = plots.image_bundle(self.png(), self.alt_text())[0]["text/html"]
        settings = _html.escape(self.settings_text())
        title = f"<div style='font-weight:bold'>{_html.escape(self.title)}</div>" if self.title else ""
        return (f"<div class='specmask-explorer-static'>{title}"
                f"<div style='font-size:90%;color:#555'>Saved view of the explorer (move its sliders in a running "
                f"notebook). Settings: {settings}.</div>{image_html}{self.player_table().html()}"
                f"{self.info()}</div>")

    def static_bundle(self) -> tuple[dict, dict]:
        """The static view as display data ``(data, metadata)``: ``text/html`` (:meth:`static_html`), the figure
        as ``image/png`` with its ``alt`` in the metadata (for viewers that show only images) and ``text/plain``
        (the alt text, for consoles and CI logs). Displaying the explorer adds them to the widget view."""
        alt = self.alt_text()
        image, metadata = plots.image_bundle(self.png(), alt)
        data = {"text/html": self.static_html(image["text/html"]), "image/png": image["image/png"],
                "text/plain": f"[explorer] {alt}"}
        return data, metadata

    def show_static(self):
        """Display the current state once more, without widgets: the figure as PNG (with :meth:`alt_text`),
        the players, the numbers (:meth:`static_bundle`).

        The lessons do not need it: the explorer's own output already carries this view for frontends that
        do not draw widgets. Use it to keep a snapshot of a setting in the notebook (it does not follow the
        sliders)."""
        data, metadata = self.static_bundle()
        display(data, metadata=metadata, raw=True)

    def _ipython_display_(self):
        display(self.widget)  # the widget with its static view, and the script naming its slider handles


def _plain_text(markup: str) -> str:
    """HTML as one line of plain text (tags dropped, entities decoded)."""
    spaced = re.sub(r"<(?:br|/div|/p|/td|/th|/tr|/li)\b[^>]*>", " ", markup or "", flags=re.I)  # line/cell ends
    return " ".join(_html.unescape(re.sub(r"<[^>]+>", "", spaced)).split())


def _fingerprint(signals: dict, gain: float, descriptions: dict) -> tuple:
    """The identity of what the player table plays and says: each clip's label, its 16-bit samples at the
    table's ``gain`` (what the WAV holds: ``IPython.display.Audio(..., normalize=False)`` writes
    ``gain * x * 32767`` as 16-bit integers) and the descriptions.

    Comparing it before encoding decides whether the players must be sent again: the samples cost ~0.4 ms per
    clip of 10 s at 16 kHz, where encoding the table costs tens of ms and the browser must take in up to 1.2 MB.
    Clips that differ only below 16-bit resolution sound the same and are not re-sent: the mixing console's
    output with every fader at 0 dB is the mixture for any soft-mask power (the masks sum to one), equal to
    about 1e-16, so moving ``p`` sends no audio.
    """
    out = [tuple(sorted(descriptions.items()))]
    for label, x in signals.items():
        samples = players._played_samples(x, gain)  # noqa: SLF001 - the conversion the players make
        out.append((label, samples.shape, hash(samples.tobytes())))
    return tuple(out)
