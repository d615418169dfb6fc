r"""Audio players at true level (used from ``notebooks/00_welcome.ipynb`` onwards).

Why not plain ``IPython.display.Audio(x, rate=sr)``? By default it *normalises* every clip to full
scale, so a masked estimate that is 10 dB quieter than the mixture sounds just as loud: the level
difference a masking lesson is about disappears. With ``normalize=False`` it keeps the level but
refuses any sample beyond ±1 (and a mixture of two sources can exceed 1).

The rule here: the clips you compare form a **group** and get **one gain** (see :func:`group_gain`)

.. math:: g = \begin{cases} 1 & \text{if } p \le 1 \\ 0.99 / p & \text{if } p > 1 \end{cases},
          \qquad p = \max_i \max_n |x_i[n]|

so nothing clips, nothing is made louder than it is, and a clip that is 6 dB quieter than another
still plays 6 dB quieter. The table from :func:`player_table` shows the gain and each clip's level
(RMS and peak in dBFS, measured before the gain).

The players are IPython ``Audio`` objects: their HTML is an ``<audio controls>`` element with the WAV
embedded as base64, so they also play in an exported HTML page. Every player is named by its label
(``aria-label``) and may carry a short text description of what it plays (``descriptions=``: shown in small
print under the label and tied to the player with ``aria-describedby``), e.g. the transcript of a speech clip
from :func:`describe_example`, so a student who cannot hear it, or a screen reader, knows what it is.
"""

from __future__ import annotations

import html as _html
import itertools

import numpy as np

from ._validation import SpecmaskInputError, as_waveform, check_number, check_sr
from .audio import rms

__all__ = [
    "PLAYBACK_PEAK",
    "group_gain",
    "level_dbfs",
    "peak_dbfs",
    "audio",
    "PlayerTable",
    "player_table",
    "describe_example",
]

#: Largest sample value a group is scaled down to when its loudest peak exceeds full scale.
PLAYBACK_PEAK = 0.99

_SILENT_DB = -200.0
_TABLE_IDS = itertools.count()  # each table's descriptions get page-unique ids (aria-describedby)


def group_gain(signals, peak: float = PLAYBACK_PEAK) -> float:
    r"""The one playback gain for a group of clips: 1 unless the loudest sample exceeds ±1.

    .. math:: g = \min\!\left(1, \frac{\text{peak}}{\max_i \max_n |x_i[n]|}\right)

    Parameters
    ----------
    signals : dict {label: waveform} or sequence of waveforms
    peak : float in (0, 1]
        Where the group's largest sample lands when it has to be turned down (default 0.99).

    Returns
    -------
    float in (0, 1]
    """
    peak = check_number(peak, "peak", low=0.0, high=1.0, low_open=True)
    values = signals.values() if isinstance(signals, dict) else signals
    top = max((float(np.max(np.abs(as_waveform(x, "signal")))) for x in values), default=0.0)
    if top <= 1.0:
        return 1.0
    return float(peak) / top


def level_dbfs(x) -> float:
    r"""RMS level in dBFS: :math:`20\log_{10}\sqrt{\tfrac1N\sum x^2}`, with 1.0 = 0 dBFS.

    A full-scale sine reads -3.0 dBFS; a silent clip reads -200 dBFS (not ``-inf``).
    """
    value = rms(x)
    return 20.0 * np.log10(value) if value > 0 else _SILENT_DB


def peak_dbfs(x) -> float:
    r"""Peak level in dBFS: :math:`20\log_{10}\max_n |x[n]|` (above 0 means it would clip unscaled)."""
    x = as_waveform(x, "x")
    value = float(np.max(np.abs(x)))
    return 20.0 * np.log10(value) if value > 0 else _SILENT_DB


def _played_samples(x, gain: float = 1.0) -> np.ndarray:
    """The 16-bit samples a player at ``gain`` holds: ``IPython.display.Audio(gain * x, normalize=False)`` writes
    ``gain * x * 32767`` truncated to ``int16`` (:func:`audio`). Explorers compare them to decide whether a
    clip sounds different (``widgets._base._fingerprint``); a value that is not finite gives an arbitrary sample
    here and an error in :func:`audio`."""
    with np.errstate(invalid="ignore"):
        return ((np.asarray(x, dtype=float) * gain) * 32767).astype("<h")


def audio(x, sr: int, gain: float = 1.0):
    """One player at true level: ``IPython.display.Audio(gain * x, rate=sr, normalize=False)``.

    For a single clip with samples within ±1 that is all there is to it. To compare clips use
    :func:`player_table`, which picks one gain for the whole group.

    Raises
    ------
    SpecmaskInputError
        If ``gain * x`` goes beyond ±1 (it would clip): the message gives the gain that would fit.
    """
    from IPython.display import Audio

    x = as_waveform(x, "x")
    sr = check_sr(sr)
    gain = check_number(gain, "gain", low=0.0)
    y = x * gain
    top = float(np.max(np.abs(y)))
    if top > 1.0:
        raise SpecmaskInputError(
            f"This clip peaks at {top:.3f} (beyond ±1) and would clip when played at true level. Use "
            f"player_table({{'name': x}}, sr) (it turns a whole group down together), or pass "
            f"gain={PLAYBACK_PEAK / np.max(np.abs(x)):.3g}."
        )
    return Audio(y, rate=sr, normalize=False)


def _fmt_db(value):
    return "silent" if value <= _SILENT_DB else f"{value:.1f}"


class PlayerTable:
    """A labelled table of audio players sharing one gain (made by :func:`player_table`).

    Attributes
    ----------
    signals : dict {label: waveform} (unscaled)
    sr : int
    gain : float
        The common playback gain (1.0 when nothing exceeds full scale).
    levels : dict {label: (rms_dbfs, peak_dbfs)}
        Levels before the gain.
    descriptions : dict {label: str}
        What each clip plays, in a short sentence (may be empty).

    Displaying it (last line of a cell, or ``display(table)``) renders an HTML table with one
    ``<audio>`` element per clip; :meth:`html` gives that HTML as a string (explorers put it into an
    ``ipywidgets.HTML``).
    """

    def __init__(self, signals: dict, sr: int, gain: float, title: str | None = None,
                 descriptions: dict | None = None):
        self.signals = signals
        self.sr = check_sr(sr)
        self.gain = float(gain)
        self.title = title
        self.descriptions = dict(descriptions or {})
        self.levels = {k: (level_dbfs(x), peak_dbfs(x)) for k, x in signals.items()}

    def players(self) -> dict:
        """``{label: IPython.display.Audio}`` at the group gain."""
        return {k: audio(x, self.sr, self.gain) for k, x in self.signals.items()}

    def html(self) -> str:
        """The table as an HTML string (players embed base64 WAV data).

        Each player is named by its label (``aria-label``); a clip with a description shows it in small print
        under its label, tied to the player by ``aria-describedby`` (ids unique within the page)."""
        rows = []
        table_id = next(_TABLE_IDS)
        for i, (label, player) in enumerate(self.players().items()):
            rms_db, pk_db = self.levels[label]
            # an accessible name for the player itself (screen readers announce just "audio" otherwise)
            attributes = f'aria-label="{_html.escape(label)}" '
            described = ""
            text = self.descriptions.get(label)
            if text:
                element_id = f"specmask-clip-{table_id}-{i}"
                attributes += f'aria-describedby="{element_id}" '
                described = (f"<div id='{element_id}' class='specmask-clip-description' style='font-size:85%;"
                             f"line-height:1.35;color:#555;max-width:26em;white-space:normal'>{_html.escape(text)}</div>")
            labelled = player._repr_html_().replace("<audio ", f"<audio {attributes}", 1)
            rows.append(
                "<tr>"
                f"<td style='text-align:left;padding:2px 8px;vertical-align:top'><b>{_html.escape(label)}</b>"
                f"{described}</td>"
                f"<td style='padding:2px 4px'>{labelled}</td>"
                f"<td style='text-align:right;padding:2px 8px'>{_fmt_db(rms_db)}</td>"
                f"<td style='text-align:right;padding:2px 8px'>{_fmt_db(pk_db)}</td>"
                "</tr>"
            )
        gain_db = 20.0 * np.log10(self.gain)
        if self.gain < 1.0:
            note = (f"one gain for all: {self.gain:.3f} ({gain_db:.1f} dB), because the loudest clip would clip; "
                    "the level differences are kept")
        else:
            note = "played at true level (gain 1.0): louder here means louder in the signal"
        caption = (f"<caption style='caption-side:bottom;text-align:left;font-size:85%;color:#555'>"
                   f"{_html.escape(note)}. Levels are measured before the gain.</caption>")
        title = f"<div style='font-weight:bold;margin:4px 0'>{_html.escape(self.title)}</div>" if self.title else ""
        header = ("<tr><th style='text-align:left;padding:2px 8px'>clip</th><th>player</th>"
                  "<th style='padding:2px 8px'>RMS (dBFS)</th><th style='padding:2px 8px'>peak (dBFS)</th></tr>")
        return (f"<div class='specmask-players'>{title}<table style='border-collapse:collapse'>{caption}"
                f"{header}{''.join(rows)}</table></div>")

    def _repr_html_(self):
        return self.html()

    def __repr__(self):
        parts = ", ".join(f"{k}: {_fmt_db(v[0])} dBFS" for k, v in self.levels.items())
        return f"<PlayerTable gain={self.gain:.3f}; {parts}>"


def player_table(signals: dict, sr: int, gain: float | None = None, peak: float = PLAYBACK_PEAK,
                 title: str | None = None, descriptions: dict | None = None) -> PlayerTable:
    """Players for a group of clips at true level, in a labelled table with their levels.

    Parameters
    ----------
    signals : dict {label: waveform}
        The clips to compare, e.g. ``{"mixture": y, "estimate (IRM)": s_hat, "clean target": s}``.
    sr : int
        Sample rate in Hz.
    gain : float, optional
        Force a gain (e.g. to keep the same gain across several tables); by default
        :func:`group_gain` of the group.
    peak : float
        See :func:`group_gain`.
    title : str, optional
    descriptions : dict {label: str}, optional
        What each clip plays, in a short sentence shown under its label and read out with its player
        (``aria-describedby``): the transcript of a speech clip (:func:`describe_example`), "the masked
        estimate", ... Every key must be a label of ``signals``.

    Returns
    -------
    PlayerTable
        Display it to get the table; ``.gain`` and ``.levels`` hold the numbers.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(16000) / 16000
    >>> table = player_table({"loud": 1.5 * np.sin(2 * np.pi * 440 * t),
    ...                       "quiet": 0.5 * np.sin(2 * np.pi * 440 * t)}, sr=16000)
    >>> round(table.gain, 2)   # 1.5 would clip: both are scaled by 0.99 / 1.5
    0.66
    """
    if isinstance(signals, np.ndarray):
        signals = {"audio": signals}
    if not isinstance(signals, dict) or not signals:
        raise SpecmaskInputError("`signals` must be a non-empty dict {label: waveform}.")
    signals = {str(k): as_waveform(v, f"signals[{k!r}]") for k, v in signals.items()}
    sr = check_sr(sr)
    if gain is None:
        gain = group_gain(signals, peak)
    else:
        gain = check_number(gain, "gain", low=0.0, low_open=True)
        top = max(float(np.max(np.abs(x))) for x in signals.values()) * gain
        if top > 1.0:
            raise SpecmaskInputError(
                f"With gain={gain:g} the loudest clip peaks at {top:.3f} and would clip; leave gain=None "
                "to let the table choose one gain for the group."
            )
    if descriptions is not None:
        if not isinstance(descriptions, dict):
            raise SpecmaskInputError("`descriptions` must be a dict {label: text}, one short sentence per clip.")
        unknown = [str(k) for k in descriptions if str(k) not in signals]
        if unknown:
            raise SpecmaskInputError(f"`descriptions` names clips that are not in the table: {unknown}; the labels "
                                     f"are {list(signals)}.")
        descriptions = {str(k): str(v).strip() for k, v in descriptions.items() if v is not None and str(v).strip()}
    return PlayerTable(signals, sr, gain, title, descriptions)


def describe_example(name: str, what: str | None = None) -> str:
    """A short text description of a bundled clip for a player (``player_table(..., descriptions=...)``):
    ``what`` it is in this lesson (default: the catalogue's description) and, for recorded speech, its
    transcript from the catalogue (:func:`specmask_edu.example_info`).

    >>> describe_example("speech_allison_1")   # doctest: +ELLIPSIS
    'Allison Smith (female, American English), a real recording. Words: "The number you have dialed is ...'
    """
    from .examples import example_info

    info = example_info(name)
    text = (what or info.get("description") or name).strip()
    if info.get("text"):
        text = f'{text.rstrip(".")}. Words: "{info["text"]}"'
    return text
