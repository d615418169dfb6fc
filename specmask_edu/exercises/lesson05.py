"""Exercises of ``notebooks/05_separating_instruments.ipynb``: soft masks for several sources (05.1), a
karaoke mix (05.2), drums by HPSS (05.3) and the prediction "which goes up with a larger margin?"."""

from __future__ import annotations

import numpy as np

from .framework import Stop, as_array, exercise, forbid, is_close, prediction

__all__ = ["check_soft_masks", "check_karaoke", "check_hpss_drums"]


@exercise("05.1", "Soft masks for several sources", answer="my_masks", solution="""
weights = [np.abs(X) ** 1 for X in sources]
total = np.maximum(sum(weights), 1e-12)
my_masks = [w / total for w in weights]
""", hint="One mask per source: M_i = |S_i|^p / sum_j |S_j|^p, here with p = 1; guard the division for bins "
          "where every source is silent.")
def check_soft_masks(fb, my_masks, sources, power=1.0):
    """Exercise 05.1: soft masks :math:`|S_i|^p / \\sum_j |S_j|^p` for every source (a list, one per source),
    written with NumPy."""
    from ..masks import soft_masks

    sources = [np.asarray(s) for s in sources]
    if isinstance(my_masks, np.ndarray) and my_masks.ndim == 2:
        fb.fail("`my_masks` is a single 2-D mask; make a list with one mask per source")
        raise Stop
    try:
        masks = list(my_masks)
    except TypeError:
        fb.fail(f"`my_masks` should be a list of masks, got a {type(my_masks).__name__}")
        raise Stop from None
    if not fb.expect(len(masks) == len(sources), f"{len(masks)} masks, one per source",
                     f"{len(masks)} masks for {len(sources)} sources"):
        raise Stop
    masks = [as_array(fb, m, f"my_masks[{i}]", ndim=2) for i, m in enumerate(masks)]
    if not all(m.shape == sources[0].shape for m in masks):
        fb.fail(f"every mask must have the STFT's shape {sources[0].shape}")
        raise Stop
    if forbid(fb, my_masks, "my_masks", {r"\bsoft_masks\s*\(": "it calls sm.soft_masks; the exercise is to write "
                                         "the formula with NumPy"}):
        raise Stop
    total = np.sum(masks, axis=0)
    active = np.sum([np.abs(s) for s in sources], axis=0) > 1e-9
    fb.expect(np.allclose(total[active], 1.0, atol=1e-6), "the masks sum to one in every bin",
              f"the masks do not sum to one (the sum goes from {total.min():.3g} to {total.max():.3g})")
    expected = soft_masks(sources, power=power)
    if fb.expect(all(np.allclose(m[active], e[active], atol=1e-6) for m, e in zip(masks, expected)),
                 f"each is |S_i|^{power:g} / sum_j |S_j|^{power:g}", f"they are not the soft masks with power {power:g}"):
        return None
    for p in (1.0, 2.0, 0.5):
        if p != power and all(np.allclose(m[active], e[active], atol=1e-6)
                              for m, e in zip(masks, soft_masks(sources, power=p))):
            fb.fail(f"these are the soft masks with power {p:g}; use power {power:g}")
            break
    return None


@exercise("05.2", "A karaoke mix from the separated stems", answer="my_karaoke", solution="""
my_karaoke = sum(x for name, x in estimates.items() if name != "melody")
""", hint="A karaoke mix is every separated stem (the estimates, not the true stems) added up, except the "
          "melody.")
def check_karaoke(fb, my_karaoke, estimates, stems=None, muted="melody"):
    """Exercise 05.2: the sum of every separated stem except ``muted`` (a "minus one" mix)."""
    from ..metrics import si_sdr

    y = as_array(fb, my_karaoke, "my_karaoke", ndim=1)
    estimates = {k: np.asarray(v, float) for k, v in estimates.items()}
    n = next(iter(estimates.values())).size
    if not fb.expect(y.size == n, f"{n} samples, as the stems", f"{y.size} samples but the stems have {n}"):
        raise Stop
    expected = sum(v for k, v in estimates.items() if k != muted)
    if fb.expect(is_close(y, expected, 1e-6), f"it is every separated stem except the {muted}",
                 f"it is not the sum of the separated stems without the {muted}"):
        if stems is not None:
            truth = sum(np.asarray(v, float) for k, v in stems.items() if k != muted)
            fb.ok(f"SI-SDR against the same mix of true stems: {si_sdr(y, truth):.1f} dB (what is left of the "
                  f"{muted} leaks in through the other masks)")
        return None
    if is_close(y, sum(estimates.values()), 1e-6):
        fb.fail(f"it still contains the {muted} (it is the sum of all estimates, i.e. the mixture)")
    elif is_close(y, estimates[muted], 1e-6):
        fb.fail(f"it is the {muted} alone (solo); karaoke is everything except it")
    elif stems is not None and is_close(y, sum(np.asarray(v, float) for k, v in stems.items() if k != muted), 1e-6):
        fb.fail("it is made of the true stems; in real life only the mixture exists: use the separated estimates")
    return None


def _hpss_drums(mixture, Y, margin, config):
    from ..masks import hpss_masks
    from ..separation import separate

    return separate(mixture, hpss_masks(Y, margin=margin)[1], config)


@exercise("05.3", "Drums by HPSS with a larger margin", answer="my_drums", solution="""
harmonic_mask, percussive_mask = sm.hpss_masks(Y, margin=3.0)
my_drums = sm.separate(mixture, percussive_mask, config)
""", hint="sm.hpss_masks returns two masks, harmonic first and percussive second, and takes the margin as an "
          "argument; the drums are the mixture through the percussive one.")
def check_hpss_drums(fb, my_drums, mixture, drums, config=None, margin=3.0):
    """Exercise 05.3: the drums estimate of HPSS with ``margin``; the feedback compares SIR and SAR with margin 1."""
    from ..masks import hpss_masks
    from ..metrics import bss_eval
    from ..separation import separate
    from ..stft import stft

    mixture, drums = np.asarray(mixture, float), np.asarray(drums, float)
    y = as_array(fb, my_drums, "my_drums", ndim=1)
    if not fb.expect(y.size == mixture.size, "same length as the mixture",
                     f"{y.size} samples but the mixture has {mixture.size}"):
        raise Stop
    Y = stft(mixture, config)
    expected = _hpss_drums(mixture, Y, margin, config)
    if fb.expect(is_close(y, expected, 1e-5), f"it is the percussive HPSS estimate with margin {margin:g}",
                 f"it is not the percussive HPSS estimate with margin {margin:g}"):
        rest = mixture - drums
        ours = bss_eval([y, mixture - y], [drums, rest])
        base_est = _hpss_drums(mixture, Y, 1.0, config)
        base = bss_eval([base_est, mixture - base_est], [drums, rest])
        fb.ok(f"margin {margin:g}: SIR {ours['sir'][0]:.1f} dB, SAR {ours['sar'][0]:.1f} dB; margin 1: SIR "
              f"{base['sir'][0]:.1f} dB, SAR {base['sar'][0]:.1f} dB. A larger margin lets less of the other "
              "instruments in (SIR) but throws away more of the drums (SAR)")
        return None
    if is_close(y, separate(mixture, hpss_masks(Y, margin=margin)[0], config), 1e-5):
        fb.fail("this is the harmonic estimate; the drums come from the second mask (percussive)")
    elif is_close(y, _hpss_drums(mixture, Y, 1.0, config), 1e-5):
        fb.fail(f"this is the percussive estimate with margin 1; pass margin={margin:g}")
    return None


@prediction("05.3", "with margin 3 instead of 1, which goes up: SIR, SAR or both?",
            choices={"SIR": ("sir",), "SAR": ("sar",), "both": ("sir and sar", "both of them")})
def _predict_margin(mixture, drums, config=None, margin=3.0):
    from ..metrics import bss_eval
    from ..stft import stft

    mixture, drums = np.asarray(mixture, float), np.asarray(drums, float)
    Y = stft(mixture, config)
    scores = {}
    for m in (1.0, margin):
        est = _hpss_drums(mixture, Y, m, config)
        result = bss_eval([est, mixture - est], [drums, mixture - drums])
        scores[m] = (float(result["sir"][0]), float(result["sar"][0]))
    sir_up, sar_up = scores[margin][0] > scores[1.0][0], scores[margin][1] > scores[1.0][1]
    truth = "both" if sir_up and sar_up else "SIR" if sir_up else "SAR" if sar_up else "neither"
    why = (" A bin counts as percussive only when it is `margin` times more percussive than harmonic: less of "
           "the other instruments gets in, and more of the drums is left out" if truth == "SIR" else "")
    return truth, (f"SIR {scores[1.0][0]:.1f} → {scores[margin][0]:.1f} dB, SAR {scores[1.0][1]:.1f} → "
                   f"{scores[margin][1]:.1f} dB from margin 1 to {margin:g}.{why}")
