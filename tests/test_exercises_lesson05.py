"""Exercises 05.1-05.3 and the prediction 05.3 ("which goes up with a larger margin?")."""

import numpy as np

import specmask_edu as sm
from specmask_edu import exercises


def test_check_soft_masks(band, verdict, cell_history):
    _, _, sources, _, _ = band
    right = verdict.solution("05.1", sources=sources)["my_masks"]
    assert exercises.check_soft_masks(right, sources, power=1).passed
    assert exercises.check_soft_masks(..., sources).status == "not done"
    verdict.wrong(exercises.check_soft_masks(sm.soft_masks(sources, power=2), sources, power=1), "power 2")
    verdict.wrong(exercises.check_soft_masks(right[:3], sources, power=1), "3 masks")
    verdict.wrong(exercises.check_soft_masks(right[0], sources, power=1), "single")
    verdict.wrong(exercises.check_soft_masks([np.abs(s) for s in sources], sources, power=1), "sum to one")
    cell_history(["my_masks = sm.soft_masks(sources, power=1)"])
    verdict.wrong(exercises.check_soft_masks(right, sources, power=1), "sm.soft_masks")


def test_check_karaoke(band, verdict):
    stems, mixture, _, estimates, _ = band
    right = verdict.solution("05.2", estimates=estimates)["my_karaoke"]
    result = exercises.check_karaoke(right, estimates, stems)
    assert result.passed and any("SI-SDR" in m for m in result.right)
    assert exercises.check_karaoke(..., estimates).status == "not done"
    verdict.wrong(exercises.check_karaoke(mixture, estimates, stems), "still contains")
    verdict.wrong(exercises.check_karaoke(estimates["melody"], estimates, stems), "alone")
    verdict.wrong(exercises.check_karaoke(sum(v for k, v in stems.items() if k != "melody"), estimates, stems),
                  "true stems")
    result = verdict.wrong(exercises.check_karaoke(right[:100], estimates, stems), "samples")
    assert "name != 'melody'" not in result.hint


def test_check_hpss_drums(band, verdict):
    stems, mixture, _, _, config = band
    Y = sm.stft(mixture, config)
    right = verdict.solution("05.3", Y=Y, mixture=mixture, config=config)["my_drums"]
    result = exercises.check_hpss_drums(right, mixture, stems["drums"], config, margin=3.0)
    assert result.passed and any("SIR" in m and "SAR" in m for m in result.right), str(result)
    assert exercises.check_hpss_drums(..., mixture, stems["drums"], config).status == "not done"
    harmonic_mask, percussive_mask = sm.hpss_masks(Y, margin=3.0)
    verdict.wrong(exercises.check_hpss_drums(sm.separate(mixture, harmonic_mask, config), mixture, stems["drums"],
                                             config), "harmonic")
    verdict.wrong(exercises.check_hpss_drums(sm.separate(mixture, sm.hpss_masks(Y)[1], config), mixture, stems["drums"],
                                             config), "margin 1")
    verdict.wrong(exercises.check_hpss_drums(sm.stft(right, config), mixture, stems["drums"], config), "shape")


def test_prediction_05_3_margin(band, verdict):
    stems, mixture, _, _, config = band
    Y = sm.stft(mixture, config)
    scores = {}
    for margin in (1.0, 3.0):
        est = sm.separate(mixture, sm.hpss_masks(Y, margin=margin)[1], config)
        result = sm.bss_eval([est, mixture - est], [stems["drums"], mixture - stems["drums"]])
        scores[margin] = (result["sir"][0], result["sar"][0])
    truth = {(True, False): "SIR", (False, True): "SAR", (True, True): "both"}[
        (scores[3.0][0] > scores[1.0][0], scores[3.0][1] > scores[1.0][1])]
    result = verdict.right(exercises.check_prediction("05.3", truth, mixture, stems["drums"], config=config))
    assert any("SIR" in m and "→" in m for m in result.right)
    other = "SAR" if truth != "SAR" else "SIR"
    verdict.wrong(exercises.check_prediction("05.3", other, mixture, stems["drums"], config=config), f"shows {truth!r}")
