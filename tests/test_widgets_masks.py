"""The mask explorer of lessons 00 and 02 (specmask_edu/widgets/masks.py): every mask and slider changes
the picture and the sound, the colour range follows the mask, players keep true level."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import specmask_edu as sm  # noqa: E402
from specmask_edu import widgets  # noqa: E402
from _explorers import SR, assert_changed, digest, drive, state  # noqa: E402


def test_mask_explorer_every_mask_and_slider_changes_picture_and_sound(pair):
    ex = widgets.MaskExplorer(*pair, sr=SR)
    assert ex.params == {"mask": "IRM", "snr_db": 0.0, "lc_db": 0.0, "beta": 0.5}
    seen = set()
    for mask in ["random", "IBM", "IRM", "Wiener", "IAM"]:
        before = state(ex)
        ex.update(mask=mask)
        if mask != "IRM":
            assert_changed(before, state(ex))
        seen.add(digest(ex.estimate.tobytes()))
        assert ex.controls["lc_db"].disabled == (mask != "IBM")
        assert ex.controls["beta"].disabled == (mask != "IRM")
    assert len(seen) == 5
    ex.update(mask="IBM")
    for lc in (-20.0, -5.0, 5.0, 20.0):
        before = state(ex)
        ex.update(lc_db=lc)
        assert_changed(before, state(ex))
        assert set(np.unique(ex.mask)) <= {0.0, 1.0}
    ex.update(mask="IRM")
    for beta in (0.1, 1.0, 3.0):
        before = state(ex)
        ex.update(beta=beta)
        assert_changed(before, state(ex))
        np.testing.assert_allclose(ex.mask, sm.ideal_ratio_mask(ex.S, ex.Y, beta=beta))
    for snr_db in (-10.0, 5.0, 20.0):
        before = state(ex)
        ex.update(snr_db=snr_db)
        assert_changed(before, state(ex))
        scaled = ex.mixture - ex.target
        assert 10 * np.log10(np.sum(ex.target**2) / np.sum(scaled**2)) == pytest.approx(snr_db, abs=1e-6)
        # the cached linear STFT equals the STFT of the new mixture
        np.testing.assert_allclose(ex.Y, sm.stft(ex.mixture, ex.config), atol=1e-9)
    # the explorer's estimate is the package's oracle separation
    ex.update(mask="Wiener", snr_db=0.0)
    expected = sm.oracle_separate(ex.target, ex.mixture - ex.target, "wiener", ex.config)
    np.testing.assert_allclose(ex.estimate, expected, atol=1e-9)
    assert ex.metrics["estimate"]["SI-SDR"] > ex.metrics["mixture"]["SI-SDR"] + 3


def test_mask_explorer_colour_range_follows_the_mask(pair):
    """Masks bounded by 1 get a 0-1 colour bar; the IAM (above 1 where noise cancels target) gets 0-2. The
    colour bar is repainted into the background without a full redraw, and the picture shows it."""
    ex = widgets.MaskExplorer(*pair, sr=SR)
    colorbar = ex.h_mask.colorbar
    frames = {}
    for mask, top in [("IBM", 1.0), ("IAM", 2.0), ("Wiener", 1.0), ("random", 1.0), ("IAM", 2.0)]:
        ex.update(mask=mask)
        assert ex.h_mask.image.get_clim() == (0.0, top)
        assert colorbar.vmax == top and colorbar.ax.get_ylim()[1] == pytest.approx(top)
        frames.setdefault(top, set()).add(digest(ex.image.value))
    # the colour bar itself (0-1 viridis, or viridis to 1 and red above) differs in the picture
    from io import BytesIO

    from PIL import Image

    def colorbar_pixels():
        box = colorbar.ax.bbox
        height = ex.fig.bbox.height
        frame = np.asarray(Image.open(BytesIO(ex.image.value)).convert("L"), dtype=float)
        return frame[int(height - box.y1):int(height - box.y0), int(box.x0):int(box.x1)]

    ex.update(mask="IAM")
    wide = colorbar_pixels()
    ex.update(mask="IBM")
    narrow = colorbar_pixels()
    assert np.abs(wide - narrow).mean() > 2.0, "the colour bar in the picture did not change with the range"


def test_mask_explorer_players_at_true_level(pair):
    ex = widgets.MaskExplorer(*pair, sr=SR, snr_db=-10.0, mask="IBM", lc_db=5.0)
    table = ex.player_table()
    assert max(np.abs(x).max() for x in table.signals.values()) * table.gain <= 0.99 + 1e-9
    levels = {k: v[0] for k, v in table.levels.items()}
    assert levels["estimate (IBM)"] < levels["mixture"] - 3          # the estimate is really quieter
    assert ex.players_html.value.count("<audio") == 4


def test_mask_explorer_200_updates_no_pile_up(pair):
    ex = widgets.MaskExplorer(*pair, sr=SR)
    settings = [dict(mask="IBM", lc_db=-6.0), dict(mask="IRM", beta=1.5, snr_db=5.0), dict(mask="random"),
                dict(mask="IAM", snr_db=-5.0), dict(mask="Wiener", snr_db=-10.0)]
    drive(ex, settings)
