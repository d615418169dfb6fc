"""Tests of specmask_edu.synth: lengths, determinism, levels, spectra, rooms, and argument checks."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specmask_edu import synth
from specmask_edu._validation import SpecmaskInputError

SR = 16000

# generators with the signature f(duration, sr=..., ..., peak=...) and a seed
SEEDED = {
    "white_noise": lambda d, sr, seed: synth.white_noise(d, sr, seed=seed),
    "pink_noise": lambda d, sr, seed: synth.pink_noise(d, sr, seed=seed),
    "brown_noise": lambda d, sr, seed: synth.brown_noise(d, sr, seed=seed),
    "hum": lambda d, sr, seed: synth.hum(d, sr, seed=seed),
    "melody": lambda d, sr, seed: synth.melody(d, sr, seed=seed),
    "drum_loop": lambda d, sr, seed: synth.drum_loop(d, sr, seed=seed),
}
UNSEEDED = {
    "harmonic_tone": lambda d, sr: synth.harmonic_tone(220.0, d, sr),
    "chord": lambda d, sr: synth.chord("Am", d, sr),
    "chord_progression": lambda d, sr: synth.chord_progression(d, sr),
    "bass_line": lambda d, sr: synth.bass_line(d, sr),
}


def band_power(x, sr, f_lo, f_hi):
    spec = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(x.size, 1 / sr)
    return float(spec[(f >= f_lo) & (f < f_hi)].sum())


def strongest_frequency(x, sr, f_lo=20.0, f_hi=None):
    n = 1 << 17  # zero-padded FFT for a fine frequency grid
    spec = np.abs(np.fft.rfft(x * np.hanning(x.size), n))
    f = np.fft.rfftfreq(n, 1 / sr)
    sel = (f >= f_lo) & (f <= (f_hi or sr / 2))
    return float(f[sel][np.argmax(spec[sel])])


# ------------------------------------------------------------------------------------------------
# lengths, determinism, levels


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_seeded_generators_are_deterministic_and_seed_matters(name):
    f = SEEDED[name]
    a, b, c = f(1.0, SR, 0), f(1.0, SR, 0), f(1.0, SR, 1)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c), f"{name}: a different seed should give a different signal"


@pytest.mark.parametrize("name", sorted(SEEDED) + sorted(UNSEEDED))
def test_output_is_float64_1d_finite_with_documented_peak(name):
    x = SEEDED[name](1.3, SR, 0) if name in SEEDED else UNSEEDED[name](1.3, SR)
    assert x.dtype == np.float64 and x.ndim == 1
    assert x.shape == (round(1.3 * SR),)
    assert np.all(np.isfinite(x))
    assert np.max(np.abs(x)) == pytest.approx(0.5, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    duration=st.floats(min_value=0.001, max_value=1.5, allow_nan=False),
    sr=st.sampled_from([8000, 16000, 22050, 44100]),
)
def test_length_is_round_duration_times_sr(duration, sr):
    n = round(duration * sr)
    assert synth.white_noise(duration, sr).size == n
    assert synth.pink_noise(duration, sr).size == n
    assert synth.hum(duration, sr).size == n
    assert synth.harmonic_tone(440.0, duration, sr).size == n
    assert synth.chord([60, 64, 67], duration, sr).size == n


@settings(max_examples=10, deadline=None)
@given(duration=st.floats(min_value=0.05, max_value=3.0), sr=st.sampled_from([8000, 16000, 22050]))
def test_band_pieces_have_the_requested_length(duration, sr):
    n = round(duration * sr)
    for f in (synth.bass_line, synth.chord_progression, synth.melody, synth.drum_loop):
        x = f(duration, sr)
        assert x.size == n and np.all(np.isfinite(x)) and np.max(np.abs(x)) <= 0.5 + 1e-12


@settings(max_examples=30, deadline=None)
@given(peak=st.floats(min_value=0.01, max_value=1.0))
def test_peak_argument_sets_the_largest_sample(peak):
    assert np.max(np.abs(synth.pink_noise(0.2, SR, peak=peak))) == pytest.approx(peak, rel=1e-12)
    assert np.max(np.abs(synth.harmonic_tone(300.0, 0.2, SR, peak=peak))) == pytest.approx(peak, rel=1e-12)


def test_peak_none_returns_the_raw_formula():
    x = synth.white_noise(1.0, SR, seed=3, peak=None)
    np.testing.assert_array_equal(x, np.random.default_rng(3).standard_normal(SR))
    # a single harmonic without envelope is a plain sine of amplitude 1
    t = np.arange(SR) / SR
    y = synth.harmonic_tone(100.0, 1.0, SR, n_harmonics=1, attack=0, release=0, peak=None)
    np.testing.assert_allclose(y, np.sin(2 * np.pi * 100.0 * t), atol=1e-9)


def test_seed_accepts_a_generator():
    a = synth.white_noise(0.1, SR, seed=np.random.default_rng(5))
    b = synth.white_noise(0.1, SR, seed=5)
    np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------------------------------------
# pitch helpers and tones


def test_midi_to_hz_reference_points():
    assert synth.midi_to_hz(69) == pytest.approx(440.0)
    assert synth.midi_to_hz(60) == pytest.approx(261.6256, abs=1e-4)
    assert synth.midi_to_hz(81) == pytest.approx(880.0)
    np.testing.assert_allclose(synth.midi_to_hz([57, 69]), [220.0, 440.0])


@given(st.floats(min_value=0.0, max_value=127.0))
def test_hz_to_midi_inverts_midi_to_hz(m):
    assert synth.hz_to_midi(synth.midi_to_hz(m)) == pytest.approx(m, abs=1e-9)


def test_note_and_chord_names():
    assert synth.note_to_midi("C4") == 60
    assert synth.note_to_midi("A4") == 69
    assert synth.note_to_midi("F#3") == 54
    assert synth.note_to_midi("Bb2") == 46
    assert synth.chord_to_midi("C") == [60, 64, 67]
    assert synth.chord_to_midi("Am", octave=3) == [57, 60, 64]
    assert synth.chord_to_midi("G7") == [67, 71, 74, 77]
    with pytest.raises(SpecmaskInputError, match="chord name"):
        synth.chord_to_midi("H")
    with pytest.raises(SpecmaskInputError, match="note name"):
        synth.note_to_midi("C")


def test_harmonic_tone_has_partials_at_multiples_of_f0_with_rolloff():
    f0 = 200.0
    x = synth.harmonic_tone(f0, 1.0, SR, n_harmonics=5, rolloff=1.0, attack=0, release=0)
    amps = [band_power(x, SR, k * f0 - 5, k * f0 + 5) for k in range(1, 7)]
    total = band_power(x, SR, 0, SR / 2)
    assert sum(amps[:5]) / total > 0.999
    assert amps[5] / total < 1e-6  # only 5 harmonics were asked for
    # amplitude k^-1 -> power k^-2
    for k in range(2, 6):
        assert amps[k - 1] / amps[0] == pytest.approx(k ** -2.0, rel=0.02)


def test_harmonic_tone_drops_partials_above_nyquist():
    x = synth.harmonic_tone(3000.0, 0.5, SR, n_harmonics=8, attack=0, release=0)
    total = band_power(x, SR, 0, SR / 2)
    # 3000 and 6000 Hz are kept; 9000 Hz would alias to 7000 Hz
    assert band_power(x, SR, 6500, SR / 2) / total < 1e-6
    assert band_power(x, SR, 5900, 6100) / total > 0.1


def test_harmonic_tone_envelope_attack_and_decay():
    x = synth.harmonic_tone(200.0, 1.0, SR, attack=0.1, decay=0.1, release=0.0, peak=None)
    early = np.max(np.abs(x[: int(0.01 * SR)]))
    top = np.max(np.abs(x[int(0.09 * SR): int(0.12 * SR)]))
    late = np.max(np.abs(x[int(0.55 * SR): int(0.6 * SR)]))
    assert early < 0.2 * top
    assert late / top == pytest.approx(np.exp(-4.5), rel=0.3)  # ~0.45 s of decay with tau = 0.1 s


def test_vibrato_moves_the_pitch():
    plain = synth.harmonic_tone(500.0, 1.0, SR, n_harmonics=1, attack=0, release=0)
    vib = synth.harmonic_tone(500.0, 1.0, SR, n_harmonics=1, attack=0, release=0, vibrato_rate=5.0,
                              vibrato_depth=50.0)
    narrow = band_power(plain, SR, 495, 505) / band_power(plain, SR, 0, SR / 2)
    spread = band_power(vib, SR, 495, 505) / band_power(vib, SR, 0, SR / 2)
    assert narrow > 0.99 and spread < 0.9


def test_chord_contains_its_notes():
    x = synth.chord("Am", 1.0, SR, n_harmonics=1, attack=0, release=0)
    total = band_power(x, SR, 0, SR / 2)
    for m in (69, 72, 76):
        f = synth.midi_to_hz(m)
        assert band_power(x, SR, f - 3, f + 3) / total > 0.3
    y = synth.chord([220.0, 330.0], 0.5, SR, unit="hz", n_harmonics=1)
    assert band_power(y, SR, 215, 225) > 0.3 * band_power(y, SR, 0, SR / 2)


# ------------------------------------------------------------------------------------------------
# the band


def test_band_stems_levels_and_mixture_peak():
    stems = synth.band(5.0, SR, seed=0)
    assert list(stems) == ["bass", "chords", "melody", "drums"]
    assert all(x.shape == (5 * SR,) and x.dtype == np.float64 for x in stems.values())
    mix = sum(stems.values())
    assert np.max(np.abs(mix)) == pytest.approx(0.5, abs=1e-12)
    rms_db = {k: 10 * np.log10(np.mean(v**2)) for k, v in stems.items()}
    for k, level in synth.BAND_LEVELS_DB.items():
        assert rms_db[k] - rms_db["drums"] == pytest.approx(level - synth.BAND_LEVELS_DB["drums"], abs=1e-9)


def test_band_is_deterministic_and_levels_db_apply():
    a, b = synth.band(2.0, SR, seed=3), synth.band(2.0, SR, seed=3)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    c = synth.band(2.0, SR, seed=4)
    assert not np.allclose(a["melody"], c["melody"])
    d = synth.band(2.0, SR, seed=3, levels_db={"bass": 6.0})
    ratio = 10 * np.log10(np.mean(d["bass"] ** 2) / np.mean(d["drums"] ** 2))
    assert ratio == pytest.approx(6.0, abs=1e-9)


def test_bass_follows_the_chord_roots():
    beat = 60.0 / 96.0
    x = synth.bass_line(5.0, SR, tempo=96.0)
    # first beat of each chord: the root in octave 2
    for i, (name, midi) in enumerate([("C", 36), ("G", 43), ("Am", 45), ("F", 41)]):
        start = int(round(2 * i * beat * SR))
        seg = x[start: start + int(0.8 * beat * SR)]
        f = strongest_frequency(seg, SR, 30, 400)
        assert f == pytest.approx(synth.midi_to_hz(midi), rel=0.02), name
    # second beat of the first chord: the fifth (G2)
    seg = x[int(beat * SR): int(1.8 * beat * SR)]
    assert strongest_frequency(seg, SR, 30, 400) == pytest.approx(synth.midi_to_hz(43), rel=0.02)


def test_chord_progression_plays_the_chords_in_order():
    span = 2 * 60.0 / 96.0
    x = synth.chord_progression(5.0, SR)
    for i, name in enumerate(["C", "G", "Am", "F"]):
        seg = x[int((i * span + 0.1) * SR): int(((i + 1) * span - 0.1) * SR)]
        total = band_power(seg, SR, 0, SR / 2)
        in_chord = sum(band_power(seg, SR, synth.midi_to_hz(m) * 0.99, synth.midi_to_hz(m) * 1.01)
                       for m in synth.chord_to_midi(name))
        assert in_chord / total > 0.5, name


def test_melody_stays_above_the_bass():
    m = synth.melody(5.0, SR, seed=0)
    b = synth.bass_line(5.0, SR)
    assert strongest_frequency(m, SR) > 500.0
    assert strongest_frequency(b, SR) < 150.0


def test_drum_loop_repeats_hits_exactly_on_the_grid():
    x = synth.drum_loop(2.0, SR, tempo=120.0, pattern={"kick": "x"}, steps_per_beat=1, peak=None)
    hop = SR // 2
    for k in range(1, 4):
        np.testing.assert_array_equal(x[k * hop: (k + 1) * hop], x[:hop])
    assert np.max(np.abs(x[: hop])) > 0.1


def test_drum_sounds_live_where_they_should():
    kick, hat = synth.kick_drum(SR), synth.hi_hat(SR)
    assert band_power(kick, SR, 0, 250) / band_power(kick, SR, 0, SR / 2) > 0.9
    assert band_power(hat, SR, 4000, SR / 2) / band_power(hat, SR, 0, SR / 2) > 0.9
    snare = synth.snare_drum(SR, seed=1)
    np.testing.assert_array_equal(snare, synth.snare_drum(SR, seed=1))
    assert not np.allclose(snare, synth.snare_drum(SR, seed=2))


def test_drum_pattern_errors_are_clear():
    with pytest.raises(SpecmaskInputError, match="Unknown drum"):
        synth.drum_loop(1.0, pattern={"cowbell": "x..."})
    with pytest.raises(SpecmaskInputError, match="'x' \\(hit\\)"):
        synth.drum_loop(1.0, pattern={"kick": "X-X-"})


# ------------------------------------------------------------------------------------------------
# noises


def psd_slope(x, sr, f_lo=50.0, f_hi=4000.0):
    from scipy.signal import welch

    f, p = welch(x, fs=sr, nperseg=4096)
    sel = (f >= f_lo) & (f <= f_hi)
    return float(np.polyfit(np.log10(f[sel]), np.log10(p[sel]), 1)[0])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pink_noise_has_a_1_over_f_spectrum(seed):
    x = synth.pink_noise(10.0, SR, seed=seed)
    assert psd_slope(x, SR) == pytest.approx(-1.0, abs=0.2)


def test_white_and_brown_noise_slopes():
    assert psd_slope(synth.white_noise(10.0, SR), SR) == pytest.approx(0.0, abs=0.2)
    assert psd_slope(synth.brown_noise(10.0, SR), SR) == pytest.approx(-2.0, abs=0.2)
    assert psd_slope(synth.colored_noise(10.0, SR, exponent=-1.0), SR) == pytest.approx(1.0, abs=0.2)


def test_colored_noise_has_nothing_below_fmin_and_loops_seamlessly():
    x = synth.pink_noise(2.0, SR, fmin=100.0)
    assert band_power(x, SR, 0, 99.0) < 1e-20 * band_power(x, SR, 0, SR / 2)
    # circular construction: the jump across the loop point is like any other step
    steps = np.abs(np.diff(x))
    assert abs(x[0] - x[-1]) < 5 * np.std(steps)


@pytest.mark.parametrize("f0", [50.0, 60.0])
def test_hum_energy_is_at_f0_and_its_harmonics(f0):
    x = synth.hum(2.0, SR, f0=f0, n_harmonics=6)
    total = band_power(x, SR, 0, SR / 2)
    parts = [band_power(x, SR, k * f0 - 2, k * f0 + 2) for k in range(1, 8)]
    assert sum(parts[:6]) / total > 0.999
    assert parts[6] / total < 1e-6  # no 7th harmonic
    assert parts[0] > parts[1] > parts[2]  # 1/k amplitudes
    assert parts[1] / parts[0] == pytest.approx(0.25, rel=0.05)


# ------------------------------------------------------------------------------------------------
# rooms


def schroeder_rt60(h, sr, lo_db=-5.0, hi_db=-25.0):
    """RT60 from the Schroeder backward-integrated energy decay curve (T20 fit, extrapolated to 60 dB)."""
    edc = np.cumsum((h**2)[::-1])[::-1]
    edc_db = 10 * np.log10(edc / edc[0])
    sel = (edc_db <= lo_db) & (edc_db >= hi_db)
    t = np.arange(h.size)[sel] / sr
    slope = np.polyfit(t, edc_db[sel], 1)[0]  # dB per second
    return -60.0 / slope


@settings(max_examples=20, deadline=None)
@given(rt60=st.floats(min_value=0.2, max_value=1.5), seed=st.integers(0, 10_000),
       drr_db=st.floats(min_value=-10.0, max_value=6.0))
def test_rir_decays_60_db_in_rt60(rt60, seed, drr_db):
    h = synth.room_impulse_response(rt60, SR, seed=seed, drr_db=drr_db)
    assert schroeder_rt60(h, SR) == pytest.approx(rt60, rel=0.2)


def test_rir_structure_energy_and_drr():
    h = synth.room_impulse_response(0.5, SR, seed=1, direct_delay=0.01, drr_db=2.0)
    n0 = int(0.01 * SR)
    assert h.size == round(0.51 * SR)
    assert np.sum(h**2) == pytest.approx(1.0)
    assert np.argmax(np.abs(h)) == n0 and np.all(h[:n0] == 0)
    direct = h[n0] ** 2
    assert 10 * np.log10(direct / (1.0 - direct)) == pytest.approx(2.0, abs=1e-9)
    np.testing.assert_array_equal(h, synth.room_impulse_response(0.5, SR, seed=1, direct_delay=0.01, drr_db=2.0))
    assert synth.room_impulse_response(0.3, SR, duration=0.1).size == round(0.1 * SR)


def test_reverberate_keeps_length_and_convolves():
    x = synth.pink_noise(1.0, SR, seed=0)
    h = synth.room_impulse_response(0.4, SR, seed=0)
    y = synth.reverberate(x, h)
    assert y.shape == x.shape and np.all(np.isfinite(y))
    np.testing.assert_allclose(synth.reverberate(x, np.array([1.0])), x, atol=1e-12)
    impulse = np.zeros(SR)
    impulse[0] = 1.0
    np.testing.assert_allclose(synth.reverberate(impulse, h)[: h.size], h, atol=1e-12)
    # direct-form check on a short piece
    np.testing.assert_allclose(y[:300], np.convolve(x, h)[:300], atol=1e-10)
    # unit-energy RIR: broadband power roughly preserved
    assert np.mean(y[SR // 2:] ** 2) / np.mean(x[SR // 2:] ** 2) == pytest.approx(1.0, rel=0.5)


# ------------------------------------------------------------------------------------------------
# argument checks


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: synth.white_noise(-1.0), ["duration", "positive"]),
        (lambda: synth.white_noise(0.0), ["duration", "positive"]),
        (lambda: synth.white_noise(float("nan")), ["duration", "finite"]),
        (lambda: synth.white_noise(1e-6, 16000), ["shorter than one sample"]),
        (lambda: synth.white_noise("5"), ["duration", "number"]),
        (lambda: synth.pink_noise(1.0, sr=0), ["sr", "sample rate", "16000"]),
        (lambda: synth.pink_noise(1.0, sr=-16000), ["sr", "positive"]),
        (lambda: synth.pink_noise(1.0, sr=16000.5), ["sr", "whole number"]),
        (lambda: synth.harmonic_tone(9000.0, 1.0, 16000), ["f0", "Nyquist", "8000"]),
        (lambda: synth.harmonic_tone(-5.0, 1.0), ["f0"]),
        (lambda: synth.harmonic_tone(200.0, 1.0, n_harmonics=0), ["n_harmonics"]),
        (lambda: synth.harmonic_tone(200.0, 1.0, peak=1.5), ["peak", "<= 1"]),
        (lambda: synth.harmonic_tone(200.0, 1.0, decay=0.0), ["decay", "None"]),
        (lambda: synth.hi_hat(16000, cutoff=9000.0), ["cutoff", "Nyquist"]),
        (lambda: synth.band(tempo=0), ["tempo", "beats per minute"]),
        (lambda: synth.band(levels_db={"vocals": 0.0}), ["levels_db", "bass"]),
        (lambda: synth.chord_progression(chords=[]), ["chords", "non-empty"]),
        (lambda: synth.chord_progression(chords="CGAmF"), ["chords", "list"]),
        (lambda: synth.chord("X7", 1.0), ["chord name"]),
        (lambda: synth.chord([60, 64], 1.0, unit="cents"), ["unit", "midi"]),
        (lambda: synth.colored_noise(1.0, exponent=7.0), ["exponent"]),
        (lambda: synth.room_impulse_response(rt60=0.0), ["rt60", "60 dB"]),
        (lambda: synth.room_impulse_response(rt60=0.5, duration=0.01, direct_delay=0.02), ["direct_delay"]),
        (lambda: synth.white_noise(1.0, seed="abc"), ["rng"]),
        (lambda: synth.reverberate(np.ones((2, 100)), np.ones(10)), ["stereo"]),
        (lambda: synth.reverberate(np.ones(100), np.array([np.nan, 1.0])), ["rir", "NaN"]),
    ],
)
def test_bad_arguments_raise_with_a_helpful_message(call, words):
    with pytest.raises(SpecmaskInputError) as info:
        call()
    msg = str(info.value)
    for w in words:
        assert w in msg, f"{w!r} not in message: {msg}"


def test_errors_are_value_errors():
    with pytest.raises(ValueError):
        synth.white_noise(-1.0)


def test_import_is_light():
    code = (
        "import sys, time; import numpy; t = time.perf_counter(); import specmask_edu.synth; "
        "dt = time.perf_counter() - t; "
        "heavy = [m for m in ('scipy', 'librosa', 'soundfile', 'matplotlib') if m in sys.modules]; "
        "print(dt, heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split(" ", 1)
    assert out[1].strip() == "[]", f"importing synth pulled in {out[1]}"
    assert float(out[0]) < 0.5
