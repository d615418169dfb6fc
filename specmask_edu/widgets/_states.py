"""Answering a slider step without waiting for it: an explorer's recent states, and the next one, kept ready.

Computing and drawing a new state takes an explorer 40-250 ms on a laptop core (an inverse STFT, mask
arithmetic, re-rendering its images), on top of ~40 ms for the picture to travel to the browser and be
decoded: more than the 50 ms in which a change feels instant. Two things let a slider step skip that work:

1. **Recent states.** The states shown last are kept (:class:`StateCache`, :data:`MAX_STATES` in all): its
   picture (the encoded frame), the text alternative, the numbers, and the results ``_compute`` made (the
   attributes it assigned, shared, not copied). Going back to a value shown a moment ago (comparing two
   settings, stepping back) shows the kept picture at once and restores those results.
2. **The next step, prepared while the student listens.** After a student moves a slider, the explorer
   prepares the state one more move of the same size further (:func:`prepare_next_step`: one step for an
   arrow key, five for a page key). Once the kernel is idle (:data:`PREPARE_DELAY_S` later, through the
   kernel's event loop, in the kernel's own thread, so nothing runs concurrently with the student's code)
   it computes, draws and encodes that state, keeps it, and puts its own state back. A key press that
   takes the slider there is answered from the kept state. A jump to a value never prepared (a click on
   the track, a drag, typed code) is computed as before; after it, one step either way is prepared
   (:func:`steps_to_prepare`).
3. **The picture is in the browser before the key press.** Even a kept state needs the round trip to the
   kernel and back (45-80 ms here). So, once idle, the explorer also sends the pictures of the kept states
   one slider step away (:func:`neighbours`: the step prepared next and the step back) into hidden pictures
   of its box, tagged with the slider and the value (``Explorer._offer_ahead``), and its own picture is
   tagged with the state it shows. The page's script (``_controls._SLIDER_NAMES_JS``) shows the hidden picture
   whose value the slider's readout reaches on a key press, in the same frame, and the kernel's own answer
   (the same picture) takes over when it arrives. Only while no other control of the explorer moved since
   the pictures were sent; anything else waits for the kernel as before. A copy of the state shown waits
   there too: keys tapped back and forth make the kernel answer presses the student has already undone, and
   the page shows the copy in place of such a late answer.
4. **The first key press too.** Nothing has moved before a student's first key press on a slider, so nothing
   was prepared for it. When the student's focus enters a slider (a click on its handle, the Tab key), the
   page script clicks that slider's hidden button (``_controls.focus_buttons``: a widget's own message is the
   one way a page reaches the kernel), and the kernel, once idle, prepares one step up and one step down and
   sends their pictures ahead (:func:`prepare_around`). ``bench_latency.py`` presses its first key 200 ms after
   focusing the slider; a key that comes while the kernel still prepares waits for that one preparation and is
   then answered from it.
5. **Keys pressed in quick succession send no audio.** The picture and the numbers answer every move; the
   player table (its audio) follows once the kernel idles, or, for moves less than :data:`PLAYERS_DELAY_S`
   apart, once no move came for that long, and is marked as updating (dimmed, ``aria-busy``) until then. The
   page would otherwise spend ~100-200 ms per move taking in audio of states passed over while the next key
   press waits.

Only the explorer the student is using keeps states (:func:`use`): moving another explorer's control
drops the previous one's, so at most :data:`MAX_STATES` states of one explorer are held (they share every
array that a change did not recompute). Outside a running kernel (scripts, tests) nothing is prepared
ahead; recent states are still reused. Kept pictures are only used while the figure's layout (axis
limits, colour bars: :attr:`BlitCanvas.layout_version`) is the one they were drawn with.

Measured by ``benchmarks/bench_latency.py`` (arrow-key steps, and clicks on the track that nothing prepared);
the page script's rules are tested in Chromium (``tests/test_ahead_page.py``, ``tests/test_widgets_browser.py``).
"""

from __future__ import annotations

import asyncio
import math
import weakref
from collections import OrderedDict
from dataclasses import dataclass

from . import _controls

__all__ = ["KeptState", "StateCache", "state_key", "next_step", "one_step", "steps_to_prepare", "neighbours",
           "prepare_next_step", "steps_around", "prepare_around", "use",
           "when_idle", "MAX_STATES", "IDLE_DELAY_S", "PLAYERS_DELAY_S", "PREPARE_DELAY_S",
           "AHEAD_PICTURES"]

#: How many states an explorer keeps: the one shown, the one before it, the one prepared next. Each costs
#: what ``_compute`` made for it (measured: 7.5 MB for the mask explorer, 16 MB for the complex-mask explorer,
#: 22 MB for the mixing console of lesson 05 with its 4 stems of 9.6 s) plus its picture (~150 kB).
MAX_STATES = 3
#: Seconds after a student's move before the kernel, if idle, sends the players (if a clip changed) and the
#: pictures one step away (``Explorer._offer_ahead``): long enough for the picture to reach the browser first
#: (~30-40 ms here), short enough to be ready before a student presses play.
IDLE_DELAY_S = 0.06
#: Moves less than this many seconds apart are keys pressed in quick succession: their players (``Explorer.
#: _catch_up``) wait until no move came for this long (the table is marked as updating meanwhile). A player table
#: is 0.5-1.2 MB of audio that the page needs ~100-200 ms to take in, and a key press meanwhile waits behind it.
#: A move after a pause sends its players once the kernel idles (:data:`IDLE_DELAY_S`), before preparing. Shorter
#: than the ~0.3 s between deliberate key presses: with 0.3 s, paced presses fell on both sides of it, and players
#: held back for 0.3 s arrived with the next press (measured: 4-6 stalls over 300 ms in lesson 05's explorers).
PLAYERS_DELAY_S = 0.2
#: Seconds after a student's move before the next steps are prepared (right after the players): longer than
#: the ~33 ms between the presses of a held key, so a held key cancels them, and short, so that a slow
#: explorer (100-280 ms of computing, which the kernel cannot interrupt) is ready before the next deliberate
#: press (measured with 0.12 s: the mixing console had the next step in the browser for 8 of 30 presses a
#: quarter of a second apart; with 0.06 s, 15).
PREPARE_DELAY_S = 0.06
#: How many kept pictures wait in the browser (hidden) for the key press that shows them: the next step and
#: the step back (:func:`neighbours`), and the state shown (for a late answer: ``Explorer._offer_ahead``).
AHEAD_PICTURES = 3


@dataclass
class KeptState:
    """One state an explorer has drawn: what ``_compute`` made, and what the student is shown of it."""

    results: dict       # attribute name -> value, as ``_compute`` left them (shared, not copied)
    frame: bytes        # the picture, encoded as ``Explorer.frame_format``
    alt: str            # its text alternative
    info: str           # the numbers under the players (HTML)
    layout_version: int  # ``BlitCanvas.layout_version`` when it was drawn


def _normalised(value):
    """Slider values equal up to rounding (0.30000000000000004 and 0.3) give the same key."""
    if isinstance(value, float) and math.isfinite(value):
        return round(value, 9)
    return value


def state_key(params: dict) -> tuple:
    """A hashable key of a full set of parameter values."""
    return tuple(sorted((name, _normalised(value)) for name, value in params.items()))


class StateCache:
    """The last :data:`MAX_STATES` states of one explorer, by their parameter values (least recently used
    goes first)."""

    def __init__(self, size: int = MAX_STATES):
        self.size = size
        self._states: OrderedDict[tuple, KeptState] = OrderedDict()

    def get(self, params: dict, layout_version: int) -> KeptState | None:
        """The kept state for ``params`` if it was drawn with the current layout, else None."""
        key = state_key(params)
        kept = self._states.get(key)
        if kept is None:
            return None
        if kept.layout_version != layout_version:  # drawn on other axis limits: useless now
            del self._states[key]
            return None
        self._states.move_to_end(key)
        return kept

    def put(self, params: dict, kept: KeptState) -> None:
        key = state_key(params)
        self._states[key] = kept
        self._states.move_to_end(key)
        while len(self._states) > self.size:
            self._states.popitem(last=False)

    def items(self):
        """``(params, kept)`` for every kept state, the most recently used first."""
        return [(dict(key), kept) for key, kept in reversed(self._states.items())]

    def __contains__(self, params) -> bool:
        return state_key(params) in self._states

    def __len__(self) -> int:
        return len(self._states)

    def clear(self) -> None:
        self._states.clear()


def next_step(control, old, new):
    """The value one more move of the same size past ``new`` on a slider (``old`` -> ``new`` -> this): one
    step for an arrow key, five for a page key. None past an end, for a menu or a checkbox, or if the value
    did not move."""
    if hasattr(control, "options"):
        if type(control).__name__ != "SelectionSlider":  # a menu has no direction
            return None
        values, _ = _controls._option_values(control)  # noqa: SLF001 - the one reading of (label, value) options
        try:
            i, j = values.index(old), values.index(new)
        except ValueError:
            return None
        k = 2 * j - i
        return values[k] if j != i and 0 <= k < len(values) else None
    step = getattr(control, "step", None)
    if isinstance(control.value, bool) or not step or new == old:
        return None
    candidate = new + (new - old)
    if isinstance(control.value, float):  # on the slider's grid, without rounding noise
        candidate = round(control.min + round((candidate - control.min) / step) * step, 12)
    if not control.min - 1e-9 <= candidate <= control.max + 1e-9:
        return None
    return type(control.value)(candidate)


def neighbours(states: StateCache, params: dict, layout_version: int, controls: dict,
               limit: int = AHEAD_PICTURES - 1) -> list:
    """The kept states one slider move away from ``params``: ``[(name, value, kept), ...]`` for each kept state
    (drawn with the current layout) that differs from ``params`` in the value of one slider ``name`` only, the
    most recently used first, at most ``limit``. These are the pictures the browser holds ready
    (:meth:`Explorer._offer_ahead`): the step prepared next and the step back."""
    current = state_key(params)
    found = []
    for other, kept in states.items():
        if kept.layout_version != layout_version or state_key(other) == current:
            continue
        differ = [name for name in params if _normalised(other.get(name)) != _normalised(params[name])]
        if len(differ) == 1 and _controls.ahead_tag(controls[differ[0]], differ[0], other[differ[0]]) is not None:
            found.append((differ[0], other[differ[0]], kept))
        if len(found) == limit:
            break
    return found


def one_step(control, value, direction: int):
    """The value one step of a slider from ``value`` (``direction`` +1 or -1): the next option of a selection
    slider, ``value`` +- ``step`` on the grid of a number slider. None past an end, for a menu or a checkbox."""
    if hasattr(control, "options"):
        if type(control).__name__ != "SelectionSlider":
            return None
        values, _ = _controls._option_values(control)  # noqa: SLF001
        try:
            k = values.index(value) + direction
        except ValueError:
            return None
        return values[k] if 0 <= k < len(values) else None
    step = getattr(control, "step", None)
    if isinstance(control.value, bool) or not step:
        return None
    return next_step(control, value - direction * step, value)  # the move from one step back, repeated


def steps_to_prepare(control, old, new) -> list:
    """The values to prepare after a slider moved ``old`` -> ``new``, most likely first: the same move again
    (:func:`next_step`) if it was a key's move (an arrow key's step, a page key's five), then one step back and
    one step on (what an arrow key does next, after a click on the track too). ``old`` itself is not listed: it
    is kept already. At most ``MAX_STATES - 1``, so that preparing them never drops the state shown."""
    steps = abs(_order(control, new) - _order(control, old)) / (1 if hasattr(control, "options")
                                                                 else (getattr(control, "step", 0) or 1))
    direction = 1 if _order(control, new) >= _order(control, old) else -1
    same_move = next_step(control, old, new) if steps <= 5 + 1e-9 else None
    found = []
    for value in (same_move, one_step(control, new, -direction), one_step(control, new, direction)):
        if value is not None and value != old and value != new and value not in found:
            found.append(value)
    return found[:MAX_STATES - 1]


def _order(control, value):
    """A slider's value as a number to compare (a selection slider's index)."""
    if hasattr(control, "options"):
        values, _ = _controls._option_values(control)  # noqa: SLF001
        return values.index(value) if value in values else 0
    return value if isinstance(value, (int, float)) else 0


_in_use = None  # weak reference to the explorer the student moved last
_pending = None  # the scheduled preparation (asyncio.TimerHandle)


def use(explorer) -> None:
    """Note that the student moved ``explorer``'s control: the explorer used before drops its states."""
    global _in_use
    previous = _in_use() if _in_use is not None else None
    if previous is not None and previous is not explorer:
        previous._states.clear()  # noqa: SLF001
        previous._offer_ahead()  # noqa: SLF001 - nothing kept: the browser drops its pictures too
    _in_use = weakref.ref(explorer)


def cancel_pending() -> None:
    """Forget the preparation scheduled last (a newer move makes it pointless)."""
    global _pending
    if _pending is not None:
        _pending.cancel()
        _pending = None


def when_idle(callback, delay: float | None = None):
    """Run ``callback`` ``delay`` seconds from now (default :data:`IDLE_DELAY_S`), when the kernel's event loop
    gets to it (after whatever it is busy with); returns its handle, which a newer move cancels. Outside an
    event loop it runs at once and None is returned."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        callback()
        return None
    return loop.call_later(IDLE_DELAY_S if delay is None else delay, callback)


def prepare_next_step(explorer, name: str, old, new) -> bool:
    """After ``name`` moved from ``old`` to ``new``, once the kernel is idle: prepare the states a student is
    likely to ask for next (:func:`steps_to_prepare`: the same move again, then one step either way), one at a
    time, and after each send the browser the pictures of the kept states one step away
    (:meth:`Explorer._offer_ahead`), so that the next key press is answered in the browser.

    Each preparation is its own turn of the kernel's event loop: a student's move that arrives meanwhile waits
    for one preparation at most, and cancels the rest. Needs a running event loop (the kernel's); returns True
    if a preparation was scheduled.
    """
    return _schedule(explorer, name, steps_to_prepare(explorer.controls[name], old, new))


def steps_around(control, value) -> list:
    """The values one step up and one step down from ``value`` on a slider (:func:`one_step`), in that order;
    those past an end are left out (none for a menu or a checkbox)."""
    found = [one_step(control, value, direction) for direction in (1, -1)]
    return [v for v in found if v is not None][:MAX_STATES - 1]


def prepare_around(explorer, name: str) -> bool:
    """The student's focus entered slider ``name`` (a click on its handle, or the Tab key; the page script tells
    the kernel: ``Explorer._on_focus``): before any key press, once the kernel is idle, prepare the states one
    step up and one step down (:func:`steps_around`) as :func:`prepare_next_step` does, and send their
    pictures ahead. So the first key press on a slider is answered in the browser, like the ones after it.
    Returns True if a preparation was scheduled."""
    return _schedule(explorer, name, steps_around(explorer.controls[name], explorer.params[name]))


def _schedule(explorer, name: str, candidates: list) -> bool:
    """Prepare ``candidates`` (values of slider ``name``, the other controls as they are) one per turn of the
    kernel's event loop, from :data:`PREPARE_DELAY_S` on, offering the pictures one step away after each; cancels
    the preparation scheduled before. Returns True if one was scheduled (False outside an event loop)."""
    global _pending
    cancel_pending()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # a script or a test: nothing runs while idle
        return False
    with explorer._lock:  # noqa: SLF001 - the values shown (a preparation in another thread swaps them meanwhile)
        params = dict(explorer.params)
    ref = weakref.ref(explorer)

    def prepare(first: bool, left: list):
        global _pending
        _pending = None
        target = ref()
        if target is None:
            return
        # Under the explorer's lock: with the kernel's main shell and a subshell, moves and preparations may come
        # in two threads, and ``params`` is the prepared state's while a preparation computes.
        with target._lock:  # noqa: SLF001
            if target.params != params or target._moves_waiting:  # noqa: SLF001
                return  # moved since (or a move waits for the kernel): these are not the next steps any more
            if first and target._players_early:  # noqa: SLF001 - the players of the state shown go first
                target.catch_up_now()
            if left:
                target.prepare(**{name: left[0]})
            if target.params != params or target._moves_waiting:  # noqa: SLF001 - a move came in meanwhile
                return
            target._offer_ahead()  # noqa: SLF001
        if len(left) > 1:
            _pending = loop.call_later(0.0, prepare, False, left[1:])

    _pending = loop.call_later(PREPARE_DELAY_S, prepare, True, candidates)
    return bool(candidates)
