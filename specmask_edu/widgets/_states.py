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
   the track, a drag, typed code) is computed as before.

Only the explorer the student is using keeps states (:func:`use`): moving another explorer's control
drops the previous one's, so at most :data:`MAX_STATES` states of one explorer are held (they share every
array that a change did not recompute). Outside a running kernel (scripts, tests) nothing is prepared
ahead; recent states are still reused. Kept pictures are only used while the figure's layout (axis
limits, colour bars: :attr:`BlitCanvas.layout_version`) is the one they were drawn with.

Measured by ``benchmarks/bench_latency.py`` (arrow-key steps, and clicks on the track that nothing prepared).
"""

from __future__ import annotations

import asyncio
import math
import weakref
from collections import OrderedDict
from dataclasses import dataclass

from . import _controls

__all__ = ["KeptState", "StateCache", "state_key", "next_step", "prepare_next_step", "use", "when_idle",
           "MAX_STATES", "IDLE_DELAY_S", "PREPARE_DELAY_S"]

#: How many states an explorer keeps: the one shown, the one before it, the one prepared next. Each costs
#: what ``_compute`` made for it (measured: 7.5 MB for the mask explorer, 16 MB for the complex-mask explorer,
#: 22 MB for the mixing console of lesson 05 with its 4 stems of 9.6 s) plus its picture (~150 kB).
MAX_STATES = 3
#: Seconds after a student's move before the players are sent: long enough for the picture to reach the
#: browser first (~30-40 ms here), short enough to be ready before a student presses play.
IDLE_DELAY_S = 0.06
#: Seconds after a student's move before the next step is prepared: longer than the gap between the presses
#: of a held key (30-60 ms), so holding a key is never held up by a preparation (100-250 ms of computing
#: that the kernel cannot interrupt).
PREPARE_DELAY_S = 0.12


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


_in_use = None  # weak reference to the explorer the student moved last
_pending = None  # the scheduled preparation (asyncio.TimerHandle)


def use(explorer) -> None:
    """Note that the student moved ``explorer``'s control: the explorer used before drops its states."""
    global _in_use
    previous = _in_use() if _in_use is not None else None
    if previous is not None and previous is not explorer:
        previous._states.clear()  # noqa: SLF001
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
    """After ``name`` moved from ``old`` to ``new``, prepare the state one such move further once the kernel is
    idle (:func:`next_step`).

    Needs a running event loop (the kernel's); returns True if a preparation was scheduled.
    """
    global _pending
    cancel_pending()
    candidate = next_step(explorer.controls[name], old, new)
    if candidate is None:
        return False
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # a script or a test: nothing runs while idle
        return False
    ref, params = weakref.ref(explorer), dict(explorer.params)

    def prepare():
        global _pending
        _pending = None
        target = ref()
        if target is not None and target.params == params:  # nothing moved since
            target.catch_up_now()  # the players of the state shown go first
            target.prepare(**{name: candidate})

    _pending = loop.call_later(PREPARE_DELAY_S, prepare)
    return True
