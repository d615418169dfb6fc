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
RECORDED = sorted(n for n, c in CLIPS.items() if c["source"] == "recorded")
GENERATED = sorted(n for n, c in CLIPS.items() if c["source"] == "generated")
# licences a recorded clip may carry (permissive, or share-alike kept to its own file)
RECORDED_LICENSES = {"CC0-1.0", "BSD-2-Clause", "MIT", "CC-BY-3.0", "CC-BY-SA-3.0",
                     "CMU-ARCTIC (free for any use, keep the notice)"}


def sentences(text):
    return {s.strip().rstrip(".").lower() for s in re.split(r"(?<=\.)\s+", text) if s.strip()}


# ------------------------------------------------------------------------------------------------
# the data folder


def test_data_folder_is_small_enough_to_ship():
    shipped = [p for p in DATA.rglob("*") if p.is_file() and p.suffix in {".flac", ".json", ".md", ".py"}]
    size = sum(p.stat().st_size for p in shipped)
    assert size <= 8_000_000, f"data folder holds {size / 1e6:.2f} MB; the budget is 8 MB"
    generated = sum((DATA / CLIPS[n]["file"]).stat().st_size for n in GENERATED)
    assert generated < 3_000_000, f"generated clips take {generated / 1e6:.2f} MB; their limit is 3 MB"


def test_package_fits_the_wheel_budget():
    """Everything under specmask_edu/ (the wheel's content, uncompressed: an upper bound on the wheel)
    stays within 10 MB; measured wheel on 2026-12-01: 5.2 MB."""
    package = DATA.parent
    files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    size = sum(p.stat().st_size for p in files)
    assert size <= 10_000_000, f"specmask_edu/ holds {size / 1e6:.2f} MB; the wheel budget is 10 MB"


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
    assert c["source"] in examples.SOURCES
    if c["source"] == "generated":
        assert c["license"] == "CC0-1.0"
    else:
        assert c["license"] in RECORDED_LICENSES
    assert c["description"] and c["made_with"] and c["attribution"]
    assert c["origin"]["package"]


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
    for name in examples.list_examples("speech", source="generated"):
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
    assert set(speech) == set(examples.list_examples("speech", source="generated"))
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
    for words in ("CC0", "GPL", "held-out", "public domain", "CC BY-SA 3.0", "recorded", "generated"):
        assert words in readme
    for name in RECORDED:
        c = CLIPS[name]
        assert c["attribution"] in readme and c["license"] in readme, name


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
    assert examples.list_examples("stem", source="generated") == [
        "band_bass", "band_chords", "band_drums", "band_melody"]
    assert examples.list_examples("stem", source="recorded") == [
        "chorale_alto", "chorale_bass", "chorale_soprano", "chorale_tenor"]
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
       noise=st.sampled_from(["babble", "white_noise", "pink_noise", "hum", "babble_heldout",
                              "babble_real", "vinyl_hiss", "fire_crackle", "water_stream"]),
       speech=st.sampled_from(["speech_female_1", "speech_allison_1", "speech_librivox_1", "speech_slt_1"]))
def test_load_mixture_hits_the_snr(snr_db, noise, speech):
    m = examples.load_mixture(speech, noise, snr_db=snr_db)
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


def test_load_band_chorale():
    chorale = examples.load_band(piece="chorale")
    assert list(chorale) == ["soprano", "alto", "tenor", "bass", "mixture"]
    n = CLIPS["chorale_soprano"]["n_samples"]
    assert all(v.shape == (n,) for v in chorale.values())
    np.testing.assert_allclose(chorale["mixture"], sum(chorale[s] for s in examples.CHORALE_STEMS), atol=1e-12)
    assert np.max(np.abs(chorale["mixture"])) == pytest.approx(0.5, abs=4 * LSB)
    rms = [np.sqrt(np.mean(chorale[s] ** 2)) for s in examples.CHORALE_STEMS]
    assert max(rms) / min(rms) == pytest.approx(1.0, abs=0.01)  # balanced at equal RMS
    with pytest.raises(SpecmaskInputError, match="chorale"):
        examples.load_band(piece="orchestra")


def test_import_is_light():
    code = (
        "import sys; import specmask_edu.examples as e; e.list_examples(); "
        "print([m for m in ('scipy', 'librosa', 'soundfile', 'matplotlib') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"importing examples pulled in {out}"


# ------------------------------------------------------------------------------------------------
# recorded clips: real speakers, real noises, sampled instruments


def test_recorded_and_generated_clips_are_both_listed_and_partition_the_catalogue():
    rec, gen = examples.list_examples(source="recorded"), examples.list_examples(source="generated")
    assert rec == RECORDED and gen == GENERATED
    assert rec and gen and not set(rec) & set(gen) and sorted(rec + gen) == examples.list_examples()
    for kind in ("speech", "noise", "stem"):
        assert examples.list_examples(kind, source="recorded") and examples.list_examples(kind, source="generated")
    with pytest.raises(SpecmaskInputError, match="source="):
        examples.list_examples("recorded")
    with pytest.raises(SpecmaskInputError, match="recorded"):
        examples.list_examples(source="real")


def test_recorded_speech_has_four_real_speakers_two_female_two_male_with_transcripts():
    speech = examples.list_examples("speech", source="recorded")
    speakers = {}
    for name in speech:
        c = CLIPS[name]
        assert c["text"].strip() and len(c["text"].split()) >= 5, name
        assert c["speaker"] and c["sex"] in ("female", "male") and c["split"] in examples.SPLITS
        assert c["origin"]["files"], name
        speakers.setdefault(c["speaker"], set()).add(c["sex"])
    assert all(len(s) == 1 for s in speakers.values())
    sexes = [next(iter(s)) for s in speakers.values()]
    assert len(speakers) >= 4 and sexes.count("female") >= 2 and sexes.count("male") >= 2
    # several sentences per training speaker, and a real speaker that training never hears
    train_speakers = {CLIPS[n]["speaker"] for n in speech if CLIPS[n]["split"] == "train"}
    held_speakers = {CLIPS[n]["speaker"] for n in speech if CLIPS[n]["split"] == "heldout"}
    assert all(sum(CLIPS[n]["speaker"] == s for n in speech) >= 3 for s in train_speakers)
    assert {"female", "male"} <= {CLIPS[n]["sex"] for n in speech if CLIPS[n]["speaker"] in held_speakers - train_speakers}


def test_recorded_speech_is_2_5_to_7_5_seconds_with_quiet_ends_and_real_pitch():
    for name in examples.list_examples("speech", source="recorded"):
        x = examples.load_example(name)
        assert 2.5 <= x.size / 16000 <= 7.5, name
        assert np.max(np.abs(x[:16])) < 0.05 and np.max(np.abs(x[-16:])) < 0.05, name
        c = CLIPS[name]
        assert (70 <= c["f0_median_hz"] <= 150) if c["sex"] == "male" else (150 <= c["f0_median_hz"] <= 300), name


@pytest.mark.parametrize("name", RECORDED)
def test_recorded_clip_is_neither_clipped_nor_silent_and_is_wideband(name):
    x = examples.load_example(name)
    peak_db = 20 * np.log10(np.max(np.abs(x)))
    rms_db = 10 * np.log10(np.mean(x**2))
    assert peak_db < -3.0, f"{name} peaks at {peak_db:.1f} dBFS"
    assert rms_db > -45.0, f"{name} is nearly silent ({rms_db:.1f} dBFS RMS)"
    assert np.mean(np.abs(x) > 0.999 * np.max(np.abs(x))) < 0.001  # no flat-topped run of samples
    if CLIPS[name]["kind"] in ("speech", "noise"):
        # true 16 kHz wideband: energy above 4 kHz (a telephone clip upsampled from 8 kHz has none)
        X = np.abs(np.fft.rfft(x)) ** 2
        f = np.fft.rfftfreq(x.size, 1 / 16000)
        assert X[f > 4500].sum() / X.sum() > 1e-4, name


def test_recorded_noises_real_babble_and_three_others():
    noises = examples.list_examples("noise", source="recorded")
    assert "babble_real" in noises and len(set(noises) - {"babble_real"}) >= 3
    talkers = CLIPS["babble_real"]["origin"]["talkers"]
    assert len(talkers) >= 3
    speech_voices = {CLIPS[n]["voice"] for n in examples.list_examples("speech")}
    speech_speakers = {CLIPS[n].get("speaker") for n in examples.list_examples("speech")}
    for t in talkers:
        assert t["voice"] not in speech_voices | speech_speakers and t["license"] and t["attribution"]
    splits = {CLIPS[n].get("split") for n in noises}
    assert {"train", "heldout"} <= splits  # lesson 07 keeps a real noise it never trains on


def test_recorded_catalogue_matches_make_recorded_tables():
    from specmask_edu.data import make_recorded as mr

    speech = {n: (spk, items, split) for n, spk, items, split in mr.RECORDED_SPEECH}
    assert set(speech) == set(examples.list_examples("speech", source="recorded"))
    for name, (spk, items, split) in speech.items():
        c = CLIPS[name]
        assert c["split"] == split and c["made_with"]["items"] == items
        assert c["speaker"] == mr.SPEAKERS[spk]["speaker"] and c["license"] == mr.SPEAKERS[spk]["license"]
        if spk in ("awb", "slt"):
            assert c["text"] == " ".join(mr.ARCTIC_TEXT[i] for i in items)
    for stem, (program, instrument) in mr.CHORALE_INSTRUMENTS.items():
        c = CLIPS[f"chorale_{stem}"]
        assert c["instrument"] == instrument and c["origin"]["program"] == program
    assert tuple(mr.CHORALE_STEMS) == examples.CHORALE_STEMS


def test_chorale_score_is_four_voices_in_the_repository():
    from specmask_edu.data import make_recorded as mr

    score = json.loads((DATA / "scores" / mr.CHORALE["score"]).read_text(encoding="utf-8"))
    assert set(score["voices"]) == set(examples.CHORALE_STEMS)
    assert "public domain" in score["license"] and score["source"]
    ends = set()
    for notes in score["voices"].values():
        onsets = [o for _, o, _ in notes]
        assert onsets == sorted(onsets) and all(d > 0 and 36 <= p <= 84 for p, _, d in notes)
        assert all(o1 + d1 <= o2 + 1e-9 for (_, o1, d1), (_, o2, _) in zip(notes, notes[1:]))  # one line
        ends.add(notes[-1][1] + notes[-1][2])
    assert len(ends) == 1
    beats = ends.pop()
    n = CLIPS["chorale_soprano"]["n_samples"]
    assert n / 16000 == pytest.approx(beats * 60 / mr.CHORALE["tempo"] + mr.CHORALE["tail_s"], abs=0.01)


def test_chorale_stems_sound_at_their_score_pitches():
    """Each stem's strongest low partial follows its notes: the sound bank played what the score says."""
    from specmask_edu.data import make_recorded as mr

    score = json.loads((DATA / "scores" / mr.CHORALE["score"]).read_text(encoding="utf-8"))
    beat = 60 / mr.CHORALE["tempo"]
    for stem in examples.CHORALE_STEMS:
        x = examples.load_example(f"chorale_{stem}")
        hits = 0
        notes = [n for n in score["voices"][stem] if n[2] >= 1.0]
        for pitch, onset, dur in notes:
            a = int((onset + 0.3 * dur) * beat * 16000)
            seg = x[a:a + 4096] * np.hanning(4096)
            spec = np.abs(np.fft.rfft(seg, 8 * 4096))
            freqs = np.fft.rfftfreq(8 * 4096, 1 / 16000)
            f0 = 440.0 * 2 ** ((pitch - 69) / 12)
            # energy near the note's fundamental or its octave beats the energy a semitone above and below
            near = max(spec[np.abs(freqs - k * f0) < 0.01 * k * f0].max() for k in (1, 2))
            off = max(spec[np.abs(freqs - k * f0 * 2 ** (s / 12)) < 0.01 * k * f0].max()
                      for k in (1, 2) for s in (-1, 1))
            hits += near > off
        assert hits >= 0.8 * len(notes), (stem, hits, len(notes))
