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
