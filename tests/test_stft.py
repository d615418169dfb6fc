import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import specmask_edu as sm
from specmask_edu import SpecmaskInputError, STFTConfig


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_fft", [256, 512, 1024, 2048])
@pytest.mark.parametrize("divisor", [4, 2])
def test_perfect_reconstruction(rng, dtype, n_fft, divisor):
    x = rng.standard_normal(12345).astype(dtype)
    cfg = STFTConfig(n_fft=n_fft, hop_length=n_fft // divisor)
    y = sm.istft(sm.stft(x, cfg), cfg, length=len(x))
    assert y.shape == x.shape
    assert np.linalg.norm(y - x) / np.linalg.norm(x) <= 1e-6


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=256, max_value=5000), seed=st.integers(0, 2**16))
def test_reconstruction_any_length(n, seed):
    x = np.random.default_rng(seed).uniform(-1, 1, n)
    cfg = STFTConfig(n_fft=256, hop_length=64)
    y = sm.istft(sm.stft(x, cfg), cfg, length=n)
    assert y.shape == (n,)
    assert np.allclose(y, x, atol=1e-9)


def test_shape_and_axes():
    cfg = STFTConfig(n_fft=512, hop_length=128)
    x = np.zeros(16000)
    X = sm.stft(x, cfg)
    assert X.shape == (257, cfg.n_frames(16000)) == (257, 126)
    assert np.iscomplexobj(X)
    f = cfg.frequencies(16000)
    assert f[0] == 0 and f[-1] == 8000 and len(f) == 257
    t = cfg.times(X.shape[1], 16000)
    assert t[1] - t[0] == pytest.approx(128 / 16000)
    assert cfg.frequency_resolution(16000) == pytest.approx(31.25)


def test_magnitude_phase_roundtrip(rng):
    X = sm.stft(rng.standard_normal(4000))
    mag, ph = sm.magnitude_phase(X)
    assert np.allclose(mag * np.exp(1j * ph), X)
    assert np.all(ph <= np.pi) and np.all(ph > -np.pi - 1e-12)


def test_sine_peak_at_right_bin():
    sr, f0 = 16000, 1000.0
    x = np.sin(2 * np.pi * f0 * np.arange(sr) / sr)
    cfg = STFTConfig()
    X = sm.stft(x, cfg)
    k = np.argmax(np.abs(X[:, 50]))
    assert cfg.frequencies(sr)[k] == pytest.approx(f0, abs=cfg.frequency_resolution(sr))


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(n_fft=0), "n_fft"),
        (dict(n_fft=512, hop_length=1024), "hop_length"),
        (dict(window="nonsense"), "window"),
        (dict(hop_length=12.5), "hop_length"),
    ],
)
def test_bad_config(kwargs, words):
    with pytest.raises(SpecmaskInputError, match=words):
        STFTConfig(**kwargs)


def test_bad_inputs_to_stft(rng):
    with pytest.raises(SpecmaskInputError, match="stereo"):
        sm.stft(rng.standard_normal((2, 1000)))
    with pytest.raises(SpecmaskInputError, match="empty"):
        sm.stft(np.array([]))
    with pytest.raises(SpecmaskInputError, match="NaN"):
        sm.stft(np.array([0.0, np.nan, 1.0]))
    with pytest.raises(SpecmaskInputError, match="complex"):
        sm.stft(np.ones(100, dtype=complex))
    with pytest.raises(SpecmaskInputError, match="one analysis frame"):
        sm.stft(np.ones(100), STFTConfig(center=False))
    with pytest.raises(SpecmaskInputError, match="smaller n_fft"):
        sm.stft(np.ones(300), STFTConfig(n_fft=512))
    with pytest.raises(SpecmaskInputError, match="STFTConfig"):
        sm.stft(np.ones(1000), config=512)


def test_integer_pcm_is_scaled():
    x = (np.array([0, 16384, -32768, 32767], dtype=np.int16))
    X = sm.stft(np.tile(x, 200))
    y = sm.istft(X, length=800)
    assert np.max(np.abs(y)) <= 1.0 + 1e-9
    assert y[2] == pytest.approx(-1.0)


def test_istft_errors(rng):
    X = sm.stft(rng.standard_normal(2000))
    with pytest.raises(SpecmaskInputError, match="waveform"):
        sm.istft(rng.standard_normal(2000))
    with pytest.raises(SpecmaskInputError, match="real"):
        sm.istft(np.abs(X))
    with pytest.raises(SpecmaskInputError, match="same STFTConfig"):
        sm.istft(X, STFTConfig(n_fft=1024, hop_length=256))


@pytest.mark.parametrize("n_fft", [255, 256, 511, 512])
@pytest.mark.parametrize("hop_length", [64, 100])
def test_n_frames_matches_the_stft_also_for_odd_n_fft(n_fft, hop_length, rng):
    config = sm.STFTConfig(n_fft=n_fft, hop_length=min(hop_length, n_fft))
    for n in (n_fft, 1000, 3001):
        assert config.n_frames(n) == sm.stft(rng.standard_normal(n), config).shape[1]


def test_istft_of_a_stack_is_each_istft(rng):
    from specmask_edu.stft import _istft_stack

    for config in (STFTConfig(n_fft=512, hop_length=128), STFTConfig(n_fft=256, hop_length=100, window="hamming"),
                   STFTConfig(n_fft=128, hop_length=32, center=False)):
        X = np.stack([sm.stft(rng.standard_normal(4000), config) for _ in range(3)])
        for length in (None, 3999):
            stacked = _istft_stack(X, config, length)
            for i in range(3):
                np.testing.assert_array_equal(stacked[i], sm.istft(X[i], config, length=length))
