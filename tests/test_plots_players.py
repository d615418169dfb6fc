"""The view layer: plots (handles that update in place, dB reference, colours) and players (true level)."""

import base64
import io
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import specmask_edu as sm  # noqa: E402
from specmask_edu import players, plots  # noqa: E402
from specmask_edu._validation import SpecmaskInputError  # noqa: E402

SR = 16000


@pytest.fixture(autouse=True)
def _close_all():
    yield
    plt.close("all")


def sine(freq, amp=1.0, seconds=1.0, sr=SR):
    t = np.arange(int(seconds * sr)) / sr
    return amp * np.sin(2 * np.pi * freq * t)


# --------------------------------------------------------------------------- conversions


@pytest.mark.parametrize("n_fft,window", [(512, "hann"), (1024, "hamming"), (256, "blackman")])
def test_magnitude_db_reads_zero_for_full_scale_sine(n_fft, window):
    cfg = sm.STFTConfig(n_fft=n_fft, hop_length=n_fft // 4, window=window)
    k = 32
    f = k * SR / n_fft  # exactly on a bin
    L = plots.magnitude_db(sm.stft(sine(f), cfg), cfg)
    middle = L[:, L.shape[1] // 2]
    assert np.argmax(middle) == k
    assert middle[k] == pytest.approx(0.0, abs=0.05)
    L_half = plots.magnitude_db(sm.stft(sine(f, 0.5), cfg), cfg)
    assert L_half[k, L.shape[1] // 2] == pytest.approx(-6.02, abs=0.05)


def test_magnitude_db_floor_is_finite():
    cfg = sm.STFTConfig()
    L = plots.magnitude_db(np.zeros((cfg.n_freqs, 10), complex), cfg, floor_db=-120)
    assert np.all(L == pytest.approx(-120.0))


def test_complex_to_rgb_hue_is_phase_and_value_is_magnitude():
    rgb = plots.complex_to_rgb(np.array([1.0, 1j, -1.0, -1j, 0.0, 0.5, 3.0]), max_magnitude=1.0)
    np.testing.assert_allclose(rgb[0], [1, 0, 0])            # phase 0: red
    np.testing.assert_allclose(rgb[2], [0, 1, 1])            # phase pi: cyan
    assert rgb[1][0] > 0.4 and rgb[1][1] > 0.9 and rgb[1][2] == 0   # pi/2: yellow-green
    assert rgb[3][2] > 0.9 and rgb[3][1] == 0                         # -pi/2: blue-violet
    np.testing.assert_allclose(rgb[4], [0, 0, 0])            # zero gain: black
    assert rgb[5].max() == pytest.approx(0.5)                # brightness follows |M|
    assert rgb[6].max() == pytest.approx(1.0)                # saturates at max_magnitude
    # -pi and +pi are the same colour (the hue circle closes)
    np.testing.assert_allclose(plots.complex_to_rgb(np.exp(1j * (np.pi - 1e-9))),
                               plots.complex_to_rgb(np.exp(1j * (-np.pi + 1e-9))), atol=1e-6)


def test_waveform_envelope_brackets_the_signal():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(80000)
    t, lo, hi = plots.waveform_envelope(x, 1000)
    assert t.shape == lo.shape == hi.shape == (1000,)
    assert np.all(lo <= hi)
    assert lo.min() == x.min() and hi.max() == x.max()
    assert t[0] >= 0 and t[-1] <= len(x) - 1
    # a short signal gives one column per sample
    t2, lo2, hi2 = plots.waveform_envelope(np.arange(5.0), 1000)
    np.testing.assert_array_equal(lo2, np.arange(5.0))
    np.testing.assert_array_equal(hi2, np.arange(5.0))


# --------------------------------------------------------------------------- plot handles


def test_spectrogram_axes_in_seconds_and_hz_and_update_in_place():
    cfg = sm.STFTConfig(n_fft=512, hop_length=128)
    X = sm.stft(sine(1000), cfg)
    h = plots.plot_spectrogram(X, SR, cfg, title="sine")
    left, right, bottom, top = h.image.get_extent()
    assert right - left == pytest.approx(X.shape[1] * 128 / SR)
    assert top == pytest.approx((cfg.n_freqs - 0.5) * SR / 512)
    assert h.ax.get_ylim() == (0.0, SR / 2)
    assert h.image.get_clim() == plots.DB_RANGE
    assert h.colorbar is not None
    image = h.image
    before = np.array(h.image.get_array())
    h.update(sm.stft(sine(3000, 0.1), cfg))
    assert h.image is image                                   # same artist, new data
    assert not np.allclose(before, np.array(h.image.get_array()))
    # a new configuration changes the shape and the extent
    cfg2 = sm.STFTConfig(n_fft=2048, hop_length=512)
    h.update(sm.stft(sine(1000), cfg2), config=cfg2)
    assert h.image.get_array().shape == (1025, 1 + SR // 512)


def test_spectrogram_refuses_waveform_and_wrong_config():
    with pytest.raises(SpecmaskInputError, match="sm.stft"):
        plots.plot_spectrogram(sine(100), SR)
    X = sm.stft(sine(100), sm.STFTConfig(n_fft=1024, hop_length=256))
    with pytest.raises(SpecmaskInputError, match="STFTConfig"):
        plots.plot_spectrogram(X, SR, sm.STFTConfig())


def test_mask_has_fixed_range_and_refuses_complex():
    cfg = sm.STFTConfig()
    M = np.random.default_rng(0).random((cfg.n_freqs, 40)) * 0.3
    h = plots.plot_mask(M, SR, cfg)
    assert h.image.get_clim() == (0.0, 1.0)                   # not stretched to 0..0.3
    assert h.colorbar is not None
    with pytest.raises(SpecmaskInputError, match="plot_complex_mask"):
        plots.plot_mask(M * 1j, SR, cfg)


def test_mask_above_one_uses_gain_colours():
    cfg = sm.STFTConfig()
    cmap = plots.gain_colormap(2.0)
    import matplotlib

    viridis = matplotlib.colormaps["viridis"]
    np.testing.assert_allclose(cmap(0.25), viridis(0.5), atol=1e-6)      # [0, 1] looks like viridis
    r, g, b, _ = cmap(0.99)
    assert r > 0.5 and g < 0.2 and b < 0.2                              # close to 2: dark red
    h = plots.plot_mask(np.full((cfg.n_freqs, 10), 1.5), SR, cfg, vmax=2.0)
    assert h.image.get_cmap().name.startswith("gain_")
    assert h.colorbar.extend == "neither"


def test_complex_mask_colours_and_wheel():
    cfg = sm.STFTConfig()
    M = np.ones((cfg.n_freqs, 20), complex)
    M[:, 10:] = -0.5
    h = plots.plot_complex_mask(M, SR, cfg)
    rgb = np.asarray(h.image.get_array())                     # 8-bit RGB
    np.testing.assert_array_equal(rgb[0, 0], [255, 0, 0])
    np.testing.assert_array_equal(rgb[0, 15], [0, 128, 128])
    assert h.wheel is not None and h.wheel in h.ax.child_axes
    h.update(M * 1j)
    assert not np.allclose(rgb, np.asarray(h.image.get_array()))


def test_phase_image_accepts_stft_or_phase():
    cfg = sm.STFTConfig()
    X = sm.stft(sine(440), cfg)
    h = plots.plot_phase(X, SR, cfg)
    assert h.image.get_clim() == (-np.pi, np.pi)
    np.testing.assert_allclose(h.image.get_array(), np.angle(X))
    h.update(np.zeros(X.shape))
    assert np.all(np.asarray(h.image.get_array()) == 0)


def test_waveforms_share_true_level_and_update():
    x = sine(200, 0.8)
    h = plots.plot_waveforms({"mixture": x, "estimate": 0.25 * x}, SR)
    assert set(h.polys) == {"mixture", "estimate"}
    low, high = h.ax.get_ylim()
    assert high == pytest.approx(0.84) and low == pytest.approx(-0.84)   # shared, around the larger peak
    verts = h.polys["estimate"].get_paths()[0].vertices
    assert verts[:, 1].max() == pytest.approx(0.25 * 0.8, rel=0.01)      # the quieter one looks quieter
    assert len(verts) < 2100                                            # an envelope, not 16000 points
    h.update({"estimate": 0.5 * x})
    assert h.polys["estimate"].get_paths()[0].vertices[:, 1].max() == pytest.approx(0.4, rel=0.01)
    with pytest.raises(SpecmaskInputError, match="No waveform"):
        h.update({"other": x})
    stacked = plots.plot_waveforms({"a": x, "b": x}, SR, overlay=False)
    assert len(set(stacked.axes)) == 2


def test_metrics_bars_update_and_labels():
    rows = {"mixture": {"SNR": 0.0, "SI-SDR": -0.1}, "IRM": {"SNR": 12.0, "SI-SDR": 11.5}}
    h = plots.plot_metrics(rows, ("SNR", "SI-SDR"), ylim=(-30, 40))
    assert [b.get_height() for b in h.bars["SNR"]] == [0.0, 12.0]
    h.update({"mixture": {"SNR": 1.0, "SI-SDR": 1.0}, "IRM": {"SNR": -50.0, "SI-SDR": 5.0}}, ylim=(-30, 40))
    assert h.bars["SNR"][1].get_height() == -50.0
    assert h.texts["SNR"][1].get_text() == "-50.0"
    assert -30 < h.texts["SNR"][1].get_position()[1] < 40       # label stays inside the axes


def test_get_figure_reuses_by_name():
    n = len(plt.get_fignums())
    fig1, ax1 = plots.get_figure("lesson-fig", 1, 2)
    fig2, ax2 = plots.get_figure("lesson-fig", 1, 2)
    assert fig1 is fig2
    assert len(fig2.axes) == 2                                  # cleared, not accumulated
    assert len(plt.get_fignums()) == n + 1
    standalone, _ = plots.get_figure(managed=False)
    assert len(plt.get_fignums()) == n + 1                      # not tracked by pyplot
    assert plots.figure_to_png(standalone)[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- players


def _wav_samples(html):
    """Decode every embedded base64 WAV in an HTML string to int16 arrays."""
    import wave

    out = []
    for data in re.findall(r"data:audio/wav;base64,([A-Za-z0-9+/=]+)", html):
        with wave.open(io.BytesIO(base64.b64decode(data))) as w:
            out.append((np.frombuffer(w.readframes(w.getnframes()), dtype="<i2"), w.getframerate()))
    return out


def test_group_gain_rule():
    assert players.group_gain([sine(100, 0.5), sine(100, 0.9)]) == 1.0
    assert players.group_gain({"a": sine(100, 2.0), "b": sine(100, 0.1)}) == pytest.approx(0.99 / 2.0, rel=1e-4)
    assert players.group_gain([np.zeros(100)]) == 1.0


def test_levels_in_dbfs():
    assert players.level_dbfs(sine(1000, 1.0)) == pytest.approx(-3.01, abs=0.01)
    assert players.peak_dbfs(sine(1000, 0.5)) == pytest.approx(-6.02, abs=0.01)
    assert players.level_dbfs(np.zeros(100)) == -200.0


def test_audio_refuses_clipping():
    with pytest.raises(SpecmaskInputError, match="player_table"):
        players.audio(sine(100, 1.5), SR)
    assert "<audio" in players.audio(sine(100, 0.5), SR)._repr_html_()


def test_player_table_keeps_true_levels_and_does_not_clip():
    loud, quiet = sine(440, 1.6), sine(440, 0.4)
    table = players.player_table({"mixture": loud, "estimate": quiet}, SR, title="compare")
    assert table.gain == pytest.approx(0.99 / 1.6, rel=1e-4)
    html = table._repr_html_()
    assert html.count("<audio") == 2
    assert "compare" in html and "mixture" in html and "estimate" in html
    assert ">-11.0<" in html and ">-8.0<" in html               # RMS and peak dBFS of the quiet one
    (a, rate_a), (b, rate_b) = _wav_samples(html)
    assert rate_a == rate_b == SR
    assert np.abs(a).max() < 32767                               # nothing clipped
    assert np.abs(a).max() / np.abs(b).max() == pytest.approx(4.0, rel=0.01)   # 12 dB apart, as in the signals


def test_player_table_gain_one_when_within_range():
    table = players.player_table({"a": sine(440, 0.3), "b": sine(440, 0.1)}, SR)
    assert table.gain == 1.0
    (a, _), (b, _) = _wav_samples(table.html())
    assert np.abs(a).max() == pytest.approx(0.3 * 32767, rel=0.01)   # not normalised to full scale
    with pytest.raises(SpecmaskInputError, match="clip"):
        players.player_table({"a": sine(440, 0.9)}, SR, gain=2.0)
    with pytest.raises(SpecmaskInputError):
        players.player_table({}, SR)


def test_sweep_returns_a_handle_and_tells_lines_apart_without_colour():
    table = {"IRM": {0: 1.0, 5: 2.0}, "PSM": {0: 2.0, 5: 3.0}, "cIRM": {0: 3.0, 5: 4.0}}
    handle = plots.plot_sweep(table)
    assert handle.fig is handle.ax.figure and len(handle.artists) == 3
    markers = [line.get_marker() for line in handle.artists]
    assert len(set(markers)) == 3, f"lines must differ by marker shape, not only by colour: {markers}"
    wheel = plots.plot_color_wheel()
    assert wheel.fig is wheel.ax.figure and wheel.artists


def test_metric_bars_write_capped_and_undefined_values_as_the_tables_do():
    """A bar at the metric cap (an exact estimate's SI-SDR, the untouched mixture's SAR) reads "≥ 100" as in
    metrics.format_table, not "100.0"; an undefined value reads "—", not "nan"; other values keep ``fmt``."""
    rows = {"cIRM": {"SI-SDR": sm.metrics.DB_LIMIT, "SAR": float("nan")},
            "IRM": {"SI-SDR": 12.345, "SAR": -sm.metrics.DB_LIMIT}}
    h = plots.plot_metrics(rows, ("SI-SDR", "SAR"))
    texts = {m: [t.get_text() for t in h.texts[m]] for m in h.metrics}
    assert texts == {"SI-SDR": ["≥ 100", "12.3"], "SAR": ["—", "≤ −100"]}
    for metric, row_texts in texts.items():
        for name, text in zip(h.names, row_texts):
            assert text == sm.metrics.format_value(rows[name][metric], digits=1)
    h.update({"cIRM": {"SI-SDR": 250.0, "SAR": 5.0}, "IRM": {"SI-SDR": -0.04, "SAR": 3.0}})
    assert [t.get_text() for t in h.texts["SI-SDR"]] == ["≥ 100", "0.0"]
    stoi = plots.plot_metrics({"IRM": {"STOI": 0.876}}, ("STOI",), fmt="{:.2f}")
    assert stoi.texts["STOI"][0].get_text() == "0.88"


def test_players_carry_a_label_and_a_description():
    """Every player is named by its label; a description is visible under the label and tied to the player by
    aria-describedby, with ids unique within a page (two tables, or the same table twice, never share one)."""
    table = players.player_table({"speech": sine(200, 0.3), "noise": sine(900, 0.1)}, SR,
                                 descriptions={"speech": players.describe_example("speech_allison_1")})
    first, second = table.html(), table.html()
    speech = re.search(r'<audio aria-label="speech" aria-describedby="([^"]+)"', first)
    assert speech and f"id='{speech.group(1)}'" in first
    words = sm.example_info("speech_allison_1")["text"]
    assert words and "Words: &quot;" + words.split(".")[0] in first          # the transcript, shown as text
    assert re.search(r'<audio aria-label="noise" (?!aria-describedby)', first)   # no description: no reference
    ids = re.findall(r"id='(specmask-clip-[^']+)'", first) + re.findall(r"id='(specmask-clip-[^']+)'", second)
    assert len(ids) == len(set(ids)) == 2
    assert "Words:" not in players.describe_example("babble_real")
    with pytest.raises(SpecmaskInputError, match="not in the table"):
        players.player_table({"speech": sine(200, 0.3)}, SR, descriptions={"spech": "typo"})
    with pytest.raises(SpecmaskInputError, match="descriptions"):
        players.player_table({"speech": sine(200, 0.3)}, SR, descriptions=["speech"])


def test_magnitude_db_takes_integer_and_float32_magnitudes():
    """Computed in place since stop 22: an integer array still gives float dB values (no casting error), and a
    float32 one keeps its dtype, with the numbers of the plain formula."""
    cfg = sm.STFTConfig(n_fft=512, hop_length=128)
    ints = np.arange(12, dtype=np.int64).reshape(3, 4)
    np.testing.assert_array_equal(plots.magnitude_db(ints, cfg), plots.magnitude_db(ints.astype(float), cfg))
    halves = np.full((3, 4), 0.5, dtype=np.float32)
    assert plots.magnitude_db(halves, cfg).dtype == np.float32
    ref = plots.spectrograms._window_gain(cfg)
    np.testing.assert_allclose(plots.magnitude_db(halves, cfg), 20 * np.log10(0.5 / ref), rtol=1e-5)
