"""Tests of the bundled clips (specmask_edu/data) and of specmask_edu.examples."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specmask_edu import examples, synth
from specmask_edu._validation import SpecmaskInputError

DATA = Path(str(resources.files("specmask_edu.data")))
CATALOG = json.loads((DATA / "catalog.json").read_text(encoding="utf-8"))
CLIPS = CATALOG["clips"]
LSB = 1.0 / 32768  # one step of 16-bit PCM


def sentences(text):
    return {s.strip().rstrip(".").lower() for s in re.split(r"(?<=\.)\s+", text) if s.strip()}


# ------------------------------------------------------------------------------------------------
# the data folder


def test_data_folder_is_small_enough_to_ship():
    shipped = [p for p in DATA.iterdir() if p.is_file() and p.suffix in {".flac", ".json", ".md", ".py"}]
    size = sum(p.stat().st_size for p in shipped)
    assert size < 3_000_000, f"data folder holds {size / 1e6:.2f} MB; the limit is 3 MB"


def test_every_flac_in_the_folder_is_catalogued_and_vice_versa():
    on_disk = {p.name for p in DATA.glob("*.flac")}
    assert on_disk == {c["file"] for c in CLIPS.values()}
    assert len(CLIPS) >= 20


@pytest.mark.parametrize("name", sorted(CLIPS))
def test_catalogued_file_is_16k_mono_16bit_flac_of_the_stated_length(name):
    import soundfile as sf

    c = CLIPS[name]
    path = DATA / c["file"]
    assert path.is_file()
    info = sf.info(str(path))
    assert (info.samplerate, info.channels, info.format, info.subtype) == (16000, 1, "FLAC", "PCM_16")
    assert info.frames == c["n_samples"]
    assert c["duration"] == pytest.approx(c["n_samples"] / 16000, abs=1e-4)
    assert c["kind"] in examples.KINDS
    assert c["license"] == "CC0-1.0"
    assert c["description"] and c["made_with"]


@pytest.mark.parametrize("name", sorted(CLIPS))
def test_load_example_gives_finite_mono_float64_with_the_catalogued_duration(name):
    x = examples.load_example(name)
    c = CLIPS[name]
    assert x.dtype == np.float64 and x.ndim == 1
    assert x.size == c["n_samples"]
    assert x.size / 16000 == pytest.approx(c["duration"], abs=1e-4)
    assert np.all(np.isfinite(x))
    peak = np.max(np.abs(x))
    assert 0.01 < peak < 1.0, f"{name} peaks at {peak}"
    if c["kind"] in ("speech", "noise"):
        assert peak == pytest.approx(0.5, abs=2 * LSB)


def test_speech_clips_are_4_to_6_seconds_and_start_and_end_quietly():
    for name in examples.list_examples("speech"):
        x = examples.load_example(name)
        assert 4.0 <= x.size / 16000 <= 6.0, name
        # faded in and out (5 ms raised cosine), so no click at either end
        assert abs(x[0]) < 1e-3 and abs(x[-1]) < 1e-3, name
        assert np.max(np.abs(x[:16])) < 0.05 and np.max(np.abs(x[-16:])) < 0.05, name
        # trimmed lightly: sound starts within 0.2 s
        assert np.argmax(np.abs(x) > 0.05) < 0.2 * 16000, name


# ------------------------------------------------------------------------------------------------
# provenance: the clips are what the catalogue says they are


def _synth_call(made_with):
    func = getattr(synth, made_with["function"].rsplit(".", 1)[1])
    out = func(**made_with["kwargs"])
    return out[made_with["stem"]] if "stem" in made_with else out


@pytest.mark.parametrize(
    "name", sorted(k for k, c in CLIPS.items() if "kwargs" in c["made_with"] and "function" in c["made_with"])
)
def test_synthetic_clip_equals_its_generator_call(name):
    expected = _synth_call(CLIPS[name]["made_with"])
    stored = examples.load_example(name)
    assert stored.shape == expected.shape
    assert np.max(np.abs(stored - expected)) <= 1.01 * LSB, "clip and synth differ: rerun make_data"


def test_reverberant_clip_is_the_dry_clip_in_the_room():
    for name in examples.list_examples("reverberant"):
        c = examples.example_info(name)
        dry, rir = examples.load_example(c["dry"]), examples.load_example(c["rir"])
        wet = examples.load_example(name)
        assert wet.shape == dry.shape
        assert np.max(np.abs(wet - synth.reverberate(dry, rir))) <= 1.01 * LSB
        assert not np.allclose(wet, dry, atol=0.01)


def schroeder_rt60(h, sr, lo_db=-5.0, hi_db=-25.0):
    """RT60 from the Schroeder backward-integrated energy decay curve (T20 fit, extrapolated to 60 dB)."""
    edc = np.cumsum((h**2)[::-1])[::-1]
    edc_db = 10 * np.log10(edc / edc[0])
    sel = (edc_db <= lo_db) & (edc_db >= hi_db)
    return -60.0 / np.polyfit(np.arange(h.size)[sel] / sr, edc_db[sel], 1)[0]


def test_rir_clip_decays_as_catalogued():
    for name in examples.list_examples("rir"):
        h = examples.load_example(name)
        c = examples.example_info(name)
        assert np.sum(h**2) == pytest.approx(1.0, rel=1e-3)
        assert schroeder_rt60(h, 16000) == pytest.approx(c["rt60"], rel=0.2)


def test_catalogue_texts_match_the_generation_script():
    from specmask_edu.data import make_data

    speech = {n: (v, s, split) for n, v, s, split in make_data.SPEECH}
    assert set(speech) == set(examples.list_examples("speech"))
    for name, (vkey, sents, split) in speech.items():
        c = CLIPS[name]
        assert c["text"] == " ".join(make_data.HARVARD[s] for s in sents)
        assert c["voice"] == make_data.VOICES[vkey][0]
        assert c["split"] == split
        assert c["made_with"]["command"] == make_data.espeak_command(c["voice"], c["text"])


def test_readme_documents_every_clip_licence_and_split():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name, c in CLIPS.items():
        assert f"`{name}`" in readme and c["file"] in readme
        if c["kind"] == "speech":
            assert c["text"] in readme and c["voice"] in readme
    for words in ("CC0", "GPL", "held-out", "public domain"):
        assert words in readme


# ------------------------------------------------------------------------------------------------
# splits for the learning lesson


def test_train_and_heldout_speech_are_disjoint_non_empty_and_multi_voice():
    train = examples.list_examples("speech", split="train")
    held = examples.list_examples("speech", split="heldout")
    assert train and held and not set(train) & set(held)
    assert set(train) | set(held) == set(examples.list_examples("speech"))
    train_voices = {CLIPS[n]["voice"] for n in train}
    held_voices = {CLIPS[n]["voice"] for n in held}
    assert len(train_voices) >= 2 and len(held_voices) >= 2
    assert held_voices - train_voices, "the held-out set should include a voice never used for training"
    # no sentence is spoken in both splits
    train_text = set().union(*(sentences(CLIPS[n]["text"]) for n in train))
    held_text = set().union(*(sentences(CLIPS[n]["text"]) for n in held))
    assert not train_text & held_text
    # every speech clip has its own sentences
    all_sentences = [s for n in train + held for s in sentences(CLIPS[n]["text"])]
    assert len(all_sentences) == len(set(all_sentences))


def test_babble_splits_share_no_talker_or_sentence_with_each_other_or_the_speech():
    talkers = {n: CLIPS[n]["made_with"]["talkers"] for n in ("babble", "babble_heldout")}
    assert CLIPS["babble"]["split"] == "train" and CLIPS["babble_heldout"]["split"] == "heldout"
    assert len(talkers["babble"]) >= 3
    voices = {n: {t["voice"] for t in ts} for n, ts in talkers.items()}
    texts = {n: set().union(*(sentences(t["text"]) for t in ts)) for n, ts in talkers.items()}
    assert not voices["babble"] & voices["babble_heldout"]
    assert not texts["babble"] & texts["babble_heldout"]
    speech = examples.list_examples("speech")
    speech_voices = {CLIPS[n]["voice"] for n in speech}
    speech_text = set().union(*(sentences(CLIPS[n]["text"]) for n in speech))
    for n in talkers:
        assert not voices[n] & speech_voices and not texts[n] & speech_text


def test_the_voices_really_differ_in_pitch():
    import librosa

    f0 = {}
    for speaker in ("male", "female"):
        x = examples.load_example(f"speech_{speaker}_1")
        f = librosa.yin(x, fmin=60, fmax=400, sr=16000, frame_length=1024)
        rms = librosa.feature.rms(y=x, frame_length=1024, hop_length=256)[0][: f.size]
        f0[speaker] = float(np.median(f[rms > 0.2 * rms.max()]))
    assert f0["female"] > 1.5 * f0["male"], f0
    assert CLIPS["speech_female_1"]["f0_median_hz"] > 1.5 * CLIPS["speech_male_1"]["f0_median_hz"]


# ------------------------------------------------------------------------------------------------
# the API


def test_list_examples_sorted_and_filtered():
    names = examples.list_examples()
    assert names == sorted(CLIPS)
    for kind in examples.KINDS:
        sub = examples.list_examples(kind)
        assert sub == sorted(n for n in CLIPS if CLIPS[n]["kind"] == kind) and sub
    assert {"speech_female_1", "speech_male_1", "babble", "white_noise", "pink_noise", "hum"} <= set(names)
    assert examples.list_examples("stem") == ["band_bass", "band_chords", "band_drums", "band_melody"]
    with pytest.raises(SpecmaskInputError, match="speech"):
        examples.list_examples("music")
    with pytest.raises(SpecmaskInputError, match="heldout"):
        examples.list_examples(split="test")


def test_unknown_name_lists_the_available_names_and_suggests():
    with pytest.raises(SpecmaskInputError) as info:
        examples.load_example("speech_femal_1")
    msg = str(info.value)
    assert "speech_femal_1" in msg and "Did you mean 'speech_female_1'" in msg
    for name in CLIPS:
        assert name in msg
    with pytest.raises(SpecmaskInputError, match="Available examples"):
        examples.example_info("nothing_like_it")
    with pytest.raises(SpecmaskInputError, match="string"):
        examples.load_example(3)


def test_example_info_and_path():
    info = examples.example_info("speech_male_1")
    assert info["kind"] == "speech" and info["voice"] == CLIPS["speech_male_1"]["voice"]
    info["kind"] = "changed"
    assert examples.example_info("speech_male_1")["kind"] == "speech"  # a copy, not the cache
    path = examples.example_path("pink_noise")
    assert path.is_file() and path.name == "pink_noise.flac"


@pytest.mark.parametrize("sr", [8000, 22050, 44100])
def test_load_example_resamples(sr):
    x = examples.load_example("speech_male_1", sr=sr)
    n = CLIPS["speech_male_1"]["n_samples"]
    assert abs(x.size - n * sr / 16000) <= 1
    assert x.dtype == np.float64 and np.all(np.isfinite(x))


@pytest.mark.parametrize("sr", [0, -16000, 16000.5, "16k", None])
def test_load_example_bad_sr(sr):
    with pytest.raises(SpecmaskInputError, match="sr"):
        examples.load_example("hum", sr=sr)


# ------------------------------------------------------------------------------------------------
# mixtures


def measured_snr(m):
    return 10 * np.log10(np.sum(m["target"] ** 2) / np.sum(m["interference"] ** 2))


@settings(max_examples=15, deadline=None)
@given(snr_db=st.floats(min_value=-20.0, max_value=30.0),
       noise=st.sampled_from(["babble", "white_noise", "pink_noise", "hum", "babble_heldout"]))
def test_load_mixture_hits_the_snr(snr_db, noise):
    m = examples.load_mixture("speech_female_1", noise, snr_db=snr_db)
    assert measured_snr(m) == pytest.approx(snr_db, abs=0.01)
    assert m["snr_db"] == snr_db and m["sr"] == 16000


def test_load_mixture_contents():
    m = examples.load_mixture()
    assert set(m) >= {"mixture", "target", "interference", "sr", "snr_db"}
    assert m["speech"] == "speech_female_1" and m["noise"] == "babble"
    target = examples.load_example("speech_female_1")
    np.testing.assert_array_equal(m["target"], target)
    assert m["mixture"].shape == m["interference"].shape == target.shape
    np.testing.assert_allclose(m["mixture"], m["target"] + m["interference"], atol=1e-12)
    assert measured_snr(m) == pytest.approx(0.0, abs=0.01)


def test_load_mixture_loops_a_short_noise_and_cuts_to_duration():
    m = examples.load_mixture("speech_male_1", "hum", snr_db=5.0, duration=2.0, sr=8000)
    assert m["target"].size == m["mixture"].size == 16000 and m["sr"] == 8000
    longest = max(examples.list_examples("speech"), key=lambda n: CLIPS[n]["n_samples"])
    long_speech = examples.load_example(longest)
    assert long_speech.size > examples.load_example("white_noise").size  # 5 s of noise must be repeated
    m = examples.load_mixture(longest, "white_noise", snr_db=0.0)
    assert m["mixture"].size == long_speech.size
    assert np.all(m["interference"][-100:] != 0)  # noise repeated, not zero-padded
    assert measured_snr(m) == pytest.approx(0.0, abs=0.01)


def test_load_mixture_peak_scales_everything_together():
    m = examples.load_mixture("speech_female_1", "white_noise", snr_db=-10.0, peak=0.9)
    assert np.max(np.abs(m["mixture"])) == pytest.approx(0.9)
    assert measured_snr(m) == pytest.approx(-10.0, abs=0.01)
    np.testing.assert_allclose(m["mixture"], m["target"] + m["interference"], atol=1e-12)


def test_load_mixture_accepts_arrays():
    s = synth.harmonic_tone(220.0, 1.0)
    n = synth.white_noise(0.3, seed=1)
    m = examples.load_mixture(s, n, snr_db=3.0)
    assert m["speech"] is None and m["noise"] is None
    assert measured_snr(m) == pytest.approx(3.0, abs=0.01)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(speech="speech_nobody"), ["speech_nobody", "Available"]),
        (dict(noise="rain"), ["rain", "Available"]),
        (dict(snr_db=float("nan")), ["snr_db"]),
        (dict(duration=60.0), ["duration", "longer than the speech"]),
        (dict(duration=-1.0), ["duration", "positive"]),
        (dict(peak=2.0), ["peak"]),
        (dict(speech=42), ["speech", "name"]),
    ],
)
def test_load_mixture_bad_arguments(kwargs, words):
    with pytest.raises(SpecmaskInputError) as info:
        examples.load_mixture(**kwargs)
    for w in words:
        assert w in str(info.value)


def test_load_band():
    band = examples.load_band()
    assert list(band) == ["bass", "chords", "melody", "drums", "mixture"]
    assert all(v.shape == (80000,) for v in band.values())
    np.testing.assert_allclose(band["mixture"], sum(band[s] for s in examples.BAND_STEMS), atol=1e-12)
    assert np.max(np.abs(band["mixture"])) == pytest.approx(0.5, abs=4 * LSB)
    stems = examples.load_band(sr=8000, include_mixture=False)
    assert list(stems) == list(examples.BAND_STEMS)
    assert len({v.size for v in stems.values()}) == 1 and abs(stems["bass"].size - 40000) <= 1


def test_import_is_light():
    code = (
        "import sys; import specmask_edu.examples as e; e.list_examples(); "
        "print([m for m in ('scipy', 'librosa', 'soundfile', 'matplotlib') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"importing examples pulled in {out}"
