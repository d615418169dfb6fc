import io
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

import specmask_edu as sm
from specmask_edu import SpecmaskInputError
from specmask_edu.audio import load_audio, mix_at_snr


def _wav_bytes(x, sr, subtype="PCM_16"):
    buf = io.BytesIO()
    sf.write(buf, x, sr, format="WAV", subtype=subtype)
    return buf.getvalue()


def test_load_path_and_bytes_agree(tmp_path, rng):
    x = 0.5 * rng.uniform(-1, 1, 8000)
    path = tmp_path / "a.wav"
    sf.write(path, x, 16000, subtype="FLOAT")
    a = load_audio(path)
    b = load_audio(path.read_bytes())
    c = load_audio(str(path))
    assert np.allclose(a, x) and np.allclose(b, x) and np.allclose(c, x)
    assert a.dtype == np.float64 and a.ndim == 1


def test_upload_widget_value(rng):
    data = _wav_bytes(0.1 * rng.standard_normal(4000), 16000)
    upload_value = ({"name": "me.wav", "type": "audio/wav", "size": len(data), "content": memoryview(data)},)
    x = load_audio(upload_value)
    assert x.shape == (4000,)
    assert np.allclose(load_audio(upload_value[0]), x)


def test_stereo_to_mono_and_resample(tmp_path):
    sr = 44100
    t = np.arange(sr) / sr
    left = 0.5 * np.sin(2 * np.pi * 440 * t)
    stereo = np.stack([left, 0 * left], axis=1)
    path = tmp_path / "s.wav"
    sf.write(path, stereo, sr)
    x = load_audio(path, sr=16000)
    assert len(x) == 16000
    assert np.max(np.abs(x)) == pytest.approx(0.25, abs=0.01)
    both = load_audio(path, sr=None, mono=False)
    assert both.shape == (2, sr)


def test_not_audio_and_too_long(tmp_path):
    with pytest.raises(SpecmaskInputError, match="WAV, FLAC"):
        load_audio(b"this is not audio at all" * 10)
    txt = tmp_path / "notes.txt"
    txt.write_text("hello")
    with pytest.raises(SpecmaskInputError, match="as audio"):
        load_audio(txt)
    with pytest.raises(SpecmaskInputError, match="No file"):
        load_audio(tmp_path / "missing.wav")
    long = _wav_bytes(np.zeros(8000 * 5), 8000)
    with pytest.raises(SpecmaskInputError, match="limit is 3 s"):
        load_audio(long, max_duration=3)
    assert len(load_audio(long, sr=None, max_duration=None)) == 40000
    with pytest.raises(SpecmaskInputError, match="empty"):
        load_audio(b"")
    with pytest.raises(SpecmaskInputError, match="one at a time"):
        load_audio([{"content": b"1"}, {"content": b"2"}])
    with pytest.raises(SpecmaskInputError, match="file path"):
        load_audio(12)


def test_save_audio(tmp_path, rng):
    x = 0.5 * rng.uniform(-1, 1, 1000)
    p = sm.save_audio(tmp_path / "out" / "x.wav", x, 16000)
    assert np.allclose(load_audio(p), x, atol=1e-4)
    with pytest.raises(SpecmaskInputError, match="peak_normalize"):
        sm.save_audio(tmp_path / "y.wav", 3 * x, 16000)


def test_int_pcm_and_mono_helpers():
    pcm = np.array([0, 16384, -32768], dtype=np.int16)
    assert np.allclose(sm.peak_normalize(pcm, 1.0), [0, 0.5, -1.0])
    assert np.allclose(sm.to_mono(np.ones((2, 10))), np.ones(10))
    assert np.allclose(sm.to_mono(np.ones((10, 2))), np.ones(10))
    assert sm.rms(np.ones(10) * 0.5) == pytest.approx(0.5)
    assert np.all(sm.peak_normalize(np.zeros(5)) == 0)


@pytest.mark.parametrize("snr_db", [-10.0, -5.0, 0.0, 3.3, 5.0, 20.0])
def test_mix_at_snr_exact(rng, snr_db):
    s = rng.standard_normal(16000)
    n = rng.standard_normal(5000) * 7  # shorter: tiled
    mix, scaled = mix_at_snr(s, n, snr_db)
    assert mix.shape == s.shape == scaled.shape
    assert np.allclose(mix, s + scaled)
    assert abs(sm.snr(mix, s) - snr_db) < 0.01


def test_mix_at_snr_errors(rng):
    with pytest.raises(SpecmaskInputError, match="silent"):
        mix_at_snr(np.zeros(10), np.ones(10), 0)
    with pytest.raises(SpecmaskInputError, match="silent"):
        mix_at_snr(np.ones(10), np.zeros(10), 0)
    with pytest.raises(SpecmaskInputError, match="stereo"):
        mix_at_snr(np.ones((2, 10)), np.ones(10), 0)


def test_import_loads_no_heavy_library():
    """`import specmask_edu` must stay fast (< 0.5 s, measured in benchmarks/bench_core.py): the way to
    keep it so is to load librosa, SciPy, matplotlib, ipywidgets and torch only on first use."""
    code = (
        "import sys; import specmask_edu; "
        "print([m for m in ('librosa', 'matplotlib', 'torch', 'ipywidgets', 'scipy', 'numba', 'soundfile') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out


def test_to_mono_and_resample_scale_integer_pcm():
    stereo = (np.array([[0.5, -0.25, 0.0, 0.25], [0.5, -0.25, 0.0, -0.25]]) * 32768).astype(np.int16)
    np.testing.assert_allclose(sm.to_mono(stereo), [0.5, -0.25, 0.0, 0.0])
    assert np.max(np.abs(sm.resample(stereo[0], 16000, 8000))) <= 1.0
    with pytest.raises(SpecmaskInputError, match="NaN"):
        sm.to_mono(np.array([[0.1, np.nan], [0.2, 0.3]]))


def test_snr_gain_and_fit_length(rng):
    from specmask_edu.audio import fit_length, snr_gain

    s, n = rng.standard_normal(1000), rng.standard_normal(300)
    n_fit = fit_length(n, 1000)
    assert n_fit.size == 1000 and np.array_equal(n_fit[300:600], n)
    g = snr_gain(s, n_fit, 6.0)
    y, scaled = sm.mix_at_snr(s, n, 6.0)
    np.testing.assert_allclose(scaled, g * n_fit)
    assert 10 * np.log10(np.sum(s**2) / np.sum(scaled**2)) == pytest.approx(6.0)
    with pytest.raises(SpecmaskInputError, match="fit_length"):
        snr_gain(s, n, 0.0)


# ---- bounded memory for any upload (decompression bombs) ------------------------------------------------------

#: How much the subprocess below may grow its peak resident memory while it is handed the bombs, after
#: Python, NumPy, SciPy, soundfile, librosa, matplotlib and the CLI are loaded (decoding one would take GBs).
PEAK_RSS_GROWTH_LIMIT_MB = 150


def _silent_flac(path, channels, sr, seconds):
    """A FLAC of silence written one second at a time: a few hundred kB that decode to frames x channels samples."""
    block = np.zeros((sr, channels), dtype=np.int16)
    with sf.SoundFile(path, "w", samplerate=sr, channels=channels, format="FLAC", subtype="PCM_16") as f:
        for _ in range(seconds):
            f.write(block)
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    return [_silent_flac(folder / "8ch_384k_119s.flac", 8, 384000, 119),  # 365 M samples from ~400 kB
            _silent_flac(folder / "8ch_192k_119s.flac", 8, 192000, 119)]


def test_decompression_bombs_are_refused_from_the_header_with_bounded_memory(bombs, tmp_path):
    """Each bomb goes in as a path, as bytes, as an ipywidgets 8 and 7 upload, and through `specmask-edu demo
    --input`: all are refused before decoding with the budget in the message, and the peak RSS of the whole
    process grows by far less than decoding would take (the 8-channel 384 kHz file decodes to 365 M samples:
    1.5 GB as float32, 3.4 GB measured before the header check). The growth is measured from a baseline taken
    after the libraries the demo uses are loaded, so it does not depend on what those libraries cost."""
    code = f"""
import resource, sys
from pathlib import Path
import librosa, matplotlib, scipy.signal, soundfile  # what the demo path loads, before the baseline
from specmask_edu import SpecmaskInputError, cli
from specmask_edu.audio import load_audio
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
messages = []
for path in {[str(p) for p in bombs]!r}:
    data = Path(path).read_bytes()
    for source in (path, data, ({{"name": "x.flac", "content": data}},), {{"x.flac": {{"content": data}}}}):
        try:
            load_audio(source)
        except SpecmaskInputError as err:
            messages.append(str(err))
        else:
            raise SystemExit("a bomb was decoded")
    del data
    assert cli.main(["demo", "--input", path, "--out", {str(tmp_path / "out")!r}, "--no-figure"]) == 2
print(len(messages))
print(all("decoded samples" in m for m in messages))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - baseline)
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    count, all_named, growth_mb = run.stdout.split()
    assert count == "8" and all_named == "True", run.stdout
    assert float(growth_mb) < PEAK_RSS_GROWTH_LIMIT_MB, f"peak RSS grew by {float(growth_mb):.0f} MB"
    assert "decoded samples" in run.stderr  # the CLI's message


def test_load_audio_decodes_in_blocks_and_downmixes(tmp_path):
    """A file longer than one decoding block, with several channels, gives the same samples as soundfile's
    whole-file read averaged over channels (block edges leave no seam)."""
    rng = np.random.default_rng(3)
    data = 0.2 * rng.uniform(-1, 1, (200_003, 3))
    path = tmp_path / "three.wav"
    sf.write(path, data, 16000, subtype="FLOAT")
    np.testing.assert_allclose(load_audio(path), data.mean(axis=1), atol=1e-7)
    np.testing.assert_allclose(load_audio(path, mono=False), data.T, atol=1e-7)


def test_upload_formats_of_ipywidgets_7_and_8(rng):
    x = 0.3 * rng.uniform(-1, 1, 4000)
    data = _wav_bytes(x, 16000)
    expected = load_audio(data)
    assert np.array_equal(load_audio({"clip.wav": {"content": data, "metadata": {"size": len(data)}}}), expected)
    assert np.array_equal(load_audio(({"name": "clip.wav", "content": memoryview(data)},)), expected)
    assert np.array_equal(load_audio({"name": "clip.wav", "content": data}), expected)


def test_nan_in_a_file_is_refused_at_every_rate(tmp_path):
    """Before, NaN passed through at 16 kHz and failed inside librosa at 44.1 kHz."""
    for sr in (16000, 44100):
        path = tmp_path / f"nan_{sr}.wav"
        sf.write(path, np.array([0.1, np.nan] * 500), sr, subtype="FLOAT")
        with pytest.raises(SpecmaskInputError, match="NaN"):
            load_audio(path)


def test_sr_and_max_duration_are_checked(rng):
    data = _wav_bytes(0.1 * rng.uniform(-1, 1, 16000), 16000)
    assert load_audio(data, sr=8000.0).size == load_audio(data, sr=8000).size == 8000
    with pytest.raises(SpecmaskInputError, match="whole number"):
        load_audio(data, sr=1.5)  # before: silently resampled to 1 Hz
    with pytest.raises(SpecmaskInputError, match="max_duration"):
        load_audio(data, max_duration=float("nan"))  # before: switched the cap off


def test_integer_arrays_are_numbers_unless_they_are_pcm():
    """int64 (what np.array([1, -1]) and np.random.randint make) holds numbers; int16/int32/uint8 is PCM."""
    assert sm.rms([1, -1, 1, -1]) == 1.0  # before: 1e-19, read as 64-bit PCM
    assert sm.rms(np.random.default_rng(0).integers(-3, 4, 1000)) > 1.0
    assert sm.rms(np.array([16384, -16384], dtype=np.int16)) == 0.5
    assert sm.rms(np.array([2**30, -2**30], dtype=np.int32)) == 0.5


def test_mix_at_snr_and_save_audio_refuse_what_would_break(tmp_path, rng):
    s, n = rng.standard_normal(1000), rng.standard_normal(1000)
    for snr_db in (4000, 1e308, -4000):  # before: OverflowError / ZeroDivisionError
        with pytest.raises(SpecmaskInputError, match="snr_db"):
            mix_at_snr(s, n, snr_db)
    mix, _ = mix_at_snr(s, n, 120)
    assert np.all(np.isfinite(mix))
    for name, sr, phrase in (("x.wav", 0, "sr"), ("x.mp3", 16000, "MP3"), ("x.aiff2", 16000, "ending")):
        with pytest.raises(SpecmaskInputError, match=phrase):
            sm.save_audio(tmp_path / name, 0.1 * s / np.max(np.abs(s)), sr)
    assert sm.save_audio(tmp_path / "x.flac", 0.1 * s / np.max(np.abs(s)), 16000.0).is_file()


def test_peak_gain_is_the_one_peak_rule():
    from specmask_edu.audio import peak_gain

    x = np.array([0.0, 0.25, -0.5])
    assert peak_gain(x, 0.9) == pytest.approx(1.8)
    assert peak_gain([x, 2 * x], 1.0) == pytest.approx(1.0)  # one gain for the group: the louder one
    assert peak_gain(np.zeros(3), 0.9) == 1.0  # silence stays silent
    np.testing.assert_allclose(sm.peak_normalize(x, 0.9), x * 1.8)
