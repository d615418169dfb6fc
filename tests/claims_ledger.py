"""The claims ledger: every number the text of lessons 00-06 states, tied to what the executed lesson computes.

Each entry names a lesson (``"nb"``: its two-digit number), quotes the text that makes the claim (``"text"``,
compared with runs of whitespace collapsed; by default it must appear in a Markdown cell, ``"in": "code"`` for a
figure title or label written in a code cell) and says how to check it, in one of these ways:

* ``"value"``: a Python expression evaluated in the lesson's kernel after its last cell, with ``"expect"`` and
  ``"tol"`` (absolute) or ``"range": (low, high)``;
* ``"holds"``: a Python expression evaluated in the kernel that must be true;
* ``"output"``: a regular expression that must match the text the lesson prints or shows; its groups, as floats
  ``g[0], g[1], ...``, are checked by ``"expect"``/``"tol"`` (first group) or by ``"check"``, an expression of ``g``;
* ``"defined": "why"``: a parameter value the lesson *sets* rather than measures (an input SNR, a cut-off, a
  slider range); listed so that the coverage test knows it was looked at.

When a clip, a default or a formula changes and the text does not, ``tests/test_claims.py`` fails and says which
sentence is now wrong. Change the text (and the entry) to what the lesson now shows.
"""

from __future__ import annotations

#: Code run in a lesson's kernel before its expressions (small measurements the lesson does not need itself).
SETUP = {
    "01": '''
def __pitch_hz(signal, sr):
    """Median pitch of the loudest 30 % of 40 ms frames, from the autocorrelation peak between 80 and 400 Hz."""
    frames = np.lib.stride_tricks.sliding_window_view(signal, 640)[::160]
    energy = np.sum(frames ** 2, axis=1)
    lags = np.arange(sr // 400, sr // 80)
    pitches = []
    for frame in frames[energy > np.percentile(energy, 70)]:
        frame = frame - frame.mean()
        ac = np.correlate(frame, frame, "full")[len(frame) - 1:]
        pitches.append(sr / lags[np.argmax(ac[lags])])
    return float(np.median(pitches))

def __quietest_second(signal, sr, start, stop):
    """Time (s) of the quietest 100 ms between start and stop seconds."""
    frames = np.lib.stride_tricks.sliding_window_view(signal, sr // 10)[::sr // 100]
    times = np.arange(len(frames)) / 100 + 0.05
    inside = (times >= start) & (times <= stop)
    return float(times[inside][np.argmin(np.sum(frames[inside] ** 2, axis=1))])
''',
}

CLAIMS = [
    # ------------------------------------------------------------------ 00 welcome
    {"nb": "00", "text": "−6 dB is half the amplitude", "value": "20 * np.log10(0.5)", "expect": -6.02, "tol": 0.05},
    {"nb": "00", "text": "the same recording 12 dB quieter (a quarter of the amplitude)",
     "value": "10 ** (-12 / 20)", "expect": 0.25, "tol": 0.01},
    {"nb": "00", "text": "a 5-second recording of a real voice", "value": "len(x) / sr", "expect": 5.0, "tol": 0.6},
    {"nb": "00", "text": "Both are quieter and noisier than the original",
     "holds": "sm.rms(x_real) < sm.rms(x) and sm.rms(x_complex) < sm.rms(x)"},

    # ------------------------------------------------------------------ 01 STFT
    {"nb": "01", "text": "pitch, about 200 Hz here", "value": "__pitch_hz(x, sr)", "expect": 200, "tol": 15},
    {"nb": "01", "text": "the gap near 2.4 s is the pause", "value": "__quietest_second(x, sr, 1.0, 3.0)",
     "expect": 2.4, "tol": 0.35},
    {"nb": "01", "text": "A 1050 Hz tone turns", "output": r"1050 Hz: 2π·f·hop/sr = (\d+\.\d)π rad per hop",
     "expect": 16.8, "tol": 0.01},
    {"nb": "01", "text": "radians in one 8 ms hop", "value": "1000 * config.hop_length / sr", "expect": 8, "tol": 0},
    {"nb": "01", "text": "plus $0.8\\pi$, which it can",
     "output": r"1050 Hz: .*measured wrapped step in bin \d+: ([+-]\d\.\d\d)π", "expect": 0.8, "tol": 0.02},
    {"nb": "01", "text": "A 1000 Hz tone turns exactly $16\\pi$, eight whole turns, so its wrapped phase is the same in every frame",
     "output": r"1000 Hz: .*measured wrapped step in bin \d+: ([+-]\d\.\d\d)π \(± (\d\.\d\d)π\)",
     "check": "abs(g[0]) <= 0.01 and g[1] <= 0.01"},
    {"nb": "01", "text": "rough and about 6 dB quieter", "output": r"magnitude with random phase: ([+-]\d+\.\d) dB",
     "expect": -6.0, "tol": 1.0},
    {"nb": "01", "text": "With **zero phase** it is much quieter still",
     "output": r"random phase: ([+-]\d+\.\d) dB.*\n.*zero phase: ([+-]\d+\.\d) dB", "check": "g[1] < g[0] - 3"},
    {"nb": "01", "text": "With the usual 32 ms frames the magnitude matters most",
     "output": r"frames of  32 ms: STOI magnitude only (\d\.\d\d), phase only (-?\d\.\d\d)", "check": "g[0] > g[1]"},
    {"nb": "01", "text": "with frames of half a second the phase carries more than the magnitude",
     "output": r"frames of 512 ms: STOI magnitude only (\d\.\d\d), phase only (-?\d\.\d\d)", "check": "g[1] > g[0]"},
    {"nb": "01", "text": "it is normalised to a peak of 0.5", "defined": "peak_normalize(..., 0.5) in the code below it"},
    {"nb": "01", "text": "The zoom (bottom left) shows 0.4 s and 0–2 kHz",
     "defined": "the STFT explorer's zoom window (a drawing parameter of widgets.STFTExplorer)"},
    {"nb": "01", "text": "two tones 10 Hz apart, at 1000 and 1010 Hz", "defined": "the example's two frequencies"},
    {"nb": "01", "text": "the bins are 7.8 Hz apart, finer than 10 Hz", "value": "sr / 2048", "expect": 7.8, "tol": 0.05},
    {"nb": "01", "text": "yet the two tones make **one** peak", "value": "peak_counts[2048]", "expect": 1, "tol": 0},
    {"nb": "01", "text": "(the Hann main lobe is 31 Hz wide)", "value": "4 * sr / 2048", "expect": 31.25, "tol": 0.3},
    {"nb": "01", "text": "(main lobe 16 Hz) they make two", "value": "[4 * sr / 4096, peak_counts[4096]]",
     "expect_list": [15.6, 2], "tol": 0.1},
    {"nb": "01", "text": "only one sample per frame is lost",
     "value": "wrong_samples / no_overlap.n_frames(len(x))", "expect": 1.0, "tol": 0.05},
    {"nb": "01", "text": "one every 32 ms", "value": "1000 * no_overlap.hop_length / sr", "expect": 32, "tol": 0},
    {"nb": "01", "text": "keep everything below 1 kHz", "defined": "the low-pass mask's cut-off (lowpass_mask(..., 1000))"},
    {"nb": "01", "text": "every frame edge becomes a loud click, 31 times a second",
     "value": "sr / no_overlap.hop_length", "expect": 31.25, "tol": 0.3},
    {"nb": "01", "text": "every frame edge becomes a loud click",
     "holds": "np.max(np.abs(lowpass_results['hop 512 (no overlap)'])) > "
              "10 * np.max(np.abs(lowpass_results['hop 128 (75 % overlap)']))"},
    {"nb": "01", "text": "Neighbouring frames overlap by 75 %", "value": "100 * (1 - config.hop_length / config.n_fft)",
     "expect": 75, "tol": 0},
    {"nb": "01", "text": "With the usual 32 ms frames", "value": "1000 * config.n_fft / sr", "expect": 32, "tol": 0},
    {"nb": "01", "text": "STFT(iSTFT(X')): smoother, and about 1 dB weaker", "in": "code",
     "value": "20 * np.log10(np.linalg.norm(sm.stft(x_masked, config)) / np.linalg.norm(X_masked))",
     "expect": -1.0, "tol": 0.5},

    # ------------------------------------------------------------------ 02 real masks
    {"nb": "02", "text": "mixed at an SNR of 0 dB (equal energy)",
     "value": "10 * np.log10(np.sum(target ** 2) / np.sum(interference ** 2))", "expect": 0.0, "tol": 0.05},
    {"nb": "02", "text": "which is $10\\log_{10} 2 \\approx 3$ dB, without removing any babble",
     "value": "sm.snr(half_mixture, target)", "expect": 3.0, "tol": 0.3},
    {"nb": "02", "text": "its SNR is printed below, about 2.7 dB", "value": "sm.snr(estimate_random, target)",
     "expect": 2.7, "tol": 0.25},
    {"nb": "02", "text": "its SI-SDR, which ignores the level, shows no progress at all",
     "holds": "sm.si_sdr(estimate_random, target) <= sm.si_sdr(mixture, target) + 0.1"},
    {"nb": "02", "text": "at 0 dB input SNR the error", "defined": "the input SNR of this lesson's mixture (checked above)"},
    {"nb": "02", "text": "value to ±100 dB", "value": "sm.metrics.DB_LIMIT", "expect": 100, "tol": 0},
    {"nb": "02", "text": "The untouched mixture's SAR is one", "holds": "rows['mixture']['SAR'] >= sm.metrics.DB_LIMIT"},
    {"nb": "02", "text": "SI-SDRi ≈ 0, or slightly below", "value": "rows['random mask']['SI-SDRi']", "range": [-1.0, 0.2]},
    {"nb": "02", "text": "and the SIR, the share of babble left, is unchanged",
     "holds": "abs(rows['random mask']['SIR'] - rows['mixture']['SIR']) < 1.0"},
    {"nb": "02", "text": "the artefacts lower the SAR", "holds": "rows['random mask']['SAR'] < rows['mixture']['SAR']"},
    {"nb": "02", "text": "*telephone band*, 300–3400 Hz",
     "holds": "freqs[telephone_band > 0].min() >= 300 and freqs[telephone_band > 0].max() <= 3400"},
    {"nb": "02", "text": "(hum below 100 Hz, hiss above 6 kHz)", "defined": "examples of noises, not measured here"},
    {"nb": "02", "text": "Every oracle mask gains about 8 to 10 dB of SI-SDR over the mixture",
     "value": "[oracle_rows[name]['SI-SDRi'] for name in masks]", "range": [7.5, 10.5]},
    {"nb": "02", "text": "where the random mask gains nothing", "value": "oracle_rows['random mask']['SI-SDRi']",
     "range": [-1.0, 0.5]},
    {"nb": "02", "text": "binary mask removes the most babble (high SIR) but sounds the harshest (lower SAR",
     "holds": "max(masks, key=lambda k: oracle_rows[k]['SIR']).startswith('IBM') and "
              "min(masks, key=lambda k: oracle_rows[k]['SAR']).startswith('IBM')"},
    {"nb": "02", "text": "its values above 1 (beyond the yellow of 1, in orange to dark red)",
     "holds": "(masks['IAM'] > 1).any() and plots.gain_colormap(2.0)(1.0)[0] > 0.5"},
    {"nb": "02", "text": "at −10 dB the speech is buried", "defined": "the input-SNR slider's range, a suggestion to try"},
    {"nb": "02", "text": "at +20 dB there is little", "defined": "the input-SNR slider's range, a suggestion to try"},
    {"nb": "02", "text": "is near 0 dB and moves up a little with the input SNR",
     "holds": "all(abs(v) <= 3 for v in best_lc.values()) and best_lc[-5] <= best_lc[0] <= best_lc[5]"},
    {"nb": "02", "text": "the babble is added at 0 dB", "defined": "the input SNR of the your-own-voice section"},

    # ------------------------------------------------------------------ 03 phase
    {"nb": "03", "text": "With 32 ms frames you mostly hear", "value": "1000 * config.n_fft / sr", "expect": 32, "tol": 0},
    {"nb": "03", "text": "With the clean phase the target comes back perfectly (the metrics hit their upper limit)",
     "holds": "phase_rows['target magnitude + clean phase']['SI-SDR'] >= sm.metrics.DB_LIMIT"},
    {"nb": "03", "text": "scores only about 9 dB SI-SDR",
     "value": "phase_rows['target magnitude + mixture phase']['SI-SDR']", "expect": 9.0, "tol": 0.7},
    {"nb": "03", "text": "zero and random phase are far worse",
     "holds": "max(phase_rows['target magnitude + zero phase']['SI-SDR'], phase_rows['target magnitude + random phase']"
              "['SI-SDR']) < phase_rows['target magnitude + mixture phase']['SI-SDR'] - 5"},
    {"nb": "03", "text": "(the IBM with LC = 0 dB)", "defined": "the IBM's local criterion in the figure"},
    {"nb": "03", "text": "Where the target dominates, $Y \\approx S$ and the error is small",
     "holds": "np.mean(np.abs(phase_error[local_snr_db >= 10])) < 0.5 and "
              "abs(np.mean(np.abs(phase_error[local_snr_db < -10])) - np.pi / 2) < 0.25"},
    {"nb": "03", "text": "and still scores only about 9 dB at 0 dB input SNR",
     "value": "real_rows['iam']['SI-SDR']", "expect": 9.0, "tol": 0.7},
    {"nb": "03", "text": "Each fitted mask beats the PSM with the same range in SNR and SI-SDR",
     "holds": "all(fit_rows[f][m] > fit_rows[p][m] for f, p in [('real mask fitted through the iSTFT', 'raw PSM'), "
              "('[0, 1] mask fitted through the iSTFT', 'PSM [0, 1]')] for m in ('SNR', 'SI-SDR'))"},
    {"nb": "03", "text": "while its per-bin STFT error (last column) is *larger*",
     "holds": "all(fit_rows[f]['STFT error (dB)'] > fit_rows[p]['STFT error (dB)'] for f, p in "
              "[('real mask fitted through the iSTFT', 'raw PSM'), ('[0, 1] mask fitted through the iSTFT', 'PSM [0, 1]')])"},
    {"nb": "03", "text": "here it even beats the exact magnitude with the untouched mixture phase",
     "holds": "sm.si_sdr(griffin_lim['mixture phase'], target) > phase_rows['target magnitude + mixture phase']['SI-SDR']"},
    {"nb": "03", "text": "from zero phase the result has a metallic, phasey colour and its SI-SDR is poor",
     "holds": "sm.si_sdr(griffin_lim['zero phase'], target) < sm.si_sdr(griffin_lim['mixture phase'], target) - 5"},

    # ------------------------------------------------------------------ 04 complex masks
    {"nb": "04", "text": "SI-SDR is capped at 100 dB",
     "holds": "sm.metrics.DB_LIMIT == 100 and sm.si_sdr(estimate_cirm, target) >= 100"},
    {"nb": "04", "text": "(about 10 dB at 0 dB SNR", "value": "psm_score", "expect": 10.0, "tol": 0.6},
    {"nb": "04", "text": "PSM, also a real mask, reaches about 12 dB",
     "value": "bound_rows['raw PSM (real)']['SI-SDR']", "expect": 12.0, "tol": 0.6},
    {"nb": "04", "text": "SI-SDR stays around 11 dB", "value": "random_rows['random real mask']['SI-SDR']",
     "expect": 11.0, "tol": 1.0},
    {"nb": "04", "text": "about 5 dB quieter", "value": "20 * np.log10(sm.rms(x_real) / sm.rms(x))",
     "expect": -5.0, "tol": 0.7},
    {"nb": "04", "text": "SI-SDR drops to about −45 dB", "value": "random_rows['random complex mask']['SI-SDR']",
     "expect": -45.0, "tol": 10.0},
    {"nb": "04", "text": "yet STOI shows it is still partly intelligible",
     "value": "random_rows['random complex mask']['STOI']", "range": [0.3, 0.9]},
    {"nb": "04", "text": "Below, 1.0–2.0 s of four masks", "defined": "the time window the figure shows (set_xlim)"},
    {"nb": "04", "text": "the article's random mask, 1.0–2.0 s.", "defined": "the time window the figure shows (set_xlim)"},
    {"nb": "04", "text": "both reach the metric's cap",
     "holds": "bound_rows['cIRM']['SI-SDR'] >= 100 and bound_rows['compressed, then decompressed']['SI-SDR'] >= 100"},
    {"nb": "04", "text": "but is 6 dB too quiet", "value": "bound_rows['compressed, used as it is']['level (dB)']",
     "expect": -6.0, "tol": 0.5},
    {"nb": "04", "text": "(SNR about 6 dB)", "value": "bound_rows['compressed, used as it is']['SNR']",
     "expect": 6.0, "tol": 0.7},
    {"nb": "04", "text": "nearly the right *shape* (high SI-SDR)",
     "value": "bound_rows['compressed, used as it is']['SI-SDR']", "range": [20, 100]},
    {"nb": "04", "text": "$\\tanh 1 = 0.76$", "value": "np.tanh(1.0)", "expect": 0.76, "tol": 0.005},
    {"nb": "04", "text": "$\\tanh 0.5 = 0.46$", "value": "np.tanh(0.5)", "expect": 0.46, "tol": 0.005},
    {"nb": "04", "text": "Its SI-SDR, about 21 dB, is far above the real masks'",
     "value": "bound_rows['bounded cIRM (tanh)']['SI-SDR']", "expect": 21.0, "tol": 0.8},
    {"nb": "04", "text": "the whole estimate is about 2.4 dB too quiet",
     "value": "bound_rows['bounded cIRM (tanh)']['level (dB)']", "expect": -2.4, "tol": 0.3},
    {"nb": "04", "text": "its SNR, about 12 dB, is no better than the raw PSM's, a real mask",
     "holds": "abs(bound_rows['bounded cIRM (tanh)']['SNR'] - 12) <= 0.6 and "
              "bound_rows['bounded cIRM (tanh)']['SNR'] <= bound_rows['raw PSM (real)']['SNR'] + 0.1"},
    {"nb": "04", "text": "SNR about 19 dB, and a level within 1 dB of the target's",
     "holds": "abs(bound_rows['capped cIRM (|M| ≤ 1)']['SNR'] - 19) <= 0.8 and "
              "abs(bound_rows['capped cIRM (|M| ≤ 1)']['level (dB)']) < 1.0"},
    {"nb": "04", "text": "is the best of them everywhere",
     "holds": "all(improvements['PSM'][s] >= max(improvements['IRM'][s], improvements['IAM'][s]) for s in improvements['PSM'])"},
    {"nb": "04", "text": "The bounded cIRM is about 10 dB above all of them at every SNR",
     "value": "[improvements['bounded cIRM'][s] - max(improvements[k][s] for k in ('IRM', 'IAM', 'PSM')) "
              "for s in improvements['PSM']]", "range": [7.0, 13.0]},
    {"nb": "04", "text": "direct-to-reverberant ratio −3 dB",
     "value": "10 * np.log10(rir[0] ** 2 / np.sum(rir[1:] ** 2))", "expect": -3.0, "tol": 0.3},
    {"nb": "04", "text": "(`rir_room`: RT60 0.6 s", "defined": "the room's reverberation time, from the clip's catalog entry"},
    {"nb": "04", "text": "$h[0]$ is well below 1", "value": "rir[0]", "range": [0.0, 0.8]},
    {"nb": "04", "text": "Against babble at 0 dB the real masks reached 8–10 dB",
     "value": "[improvements[k][0.0] + sm.si_sdr(mixture, target) for k in ('IRM', 'IAM', 'PSM')]",
     "range": [7.5, 10.9]},
    {"nb": "04", "text": "against the room's own echo they reach only about 1 to 3 dB",
     "value": "[reverb_rows[k]['SI-SDR'] for k in ('IRM', 'IAM', 'PSM')]", "range": [0.5, 3.5]},
    {"nb": "04", "text": "even bounded with tanh, it reaches about 15 dB SI-SDR",
     "value": "reverb_rows['bounded cIRM']['SI-SDR']", "expect": 14.7, "tol": 0.7},
    {"nb": "04", "text": "The cIRM rotates every bin back and removes the room completely",
     "holds": "reverb_rows['cIRM']['SI-SDR'] >= 100"},
    {"nb": "04", "text": "Complex masks beat real ones at every SNR, and by far on reverberant speech",
     "holds": "all(improvements['bounded cIRM'][s] > improvements['PSM'][s] for s in improvements['PSM']) and "
              "reverb_rows['bounded cIRM']['SI-SDR'] > reverb_rows['PSM']['SI-SDR'] + 5"},
    {"nb": "04", "text": "The babble is added at 0 dB", "defined": "the input SNR of the your-own-voice section"},

    # ------------------------------------------------------------------ 05 instruments
    {"nb": "05", "text": "at 16 kHz, 128 ms", "value": "[sr, 1000 * config.n_fft / sr]", "expect_list": [16000, 128],
     "tol": 0},
    {"nb": "05", "text": "around C2 = 65.4 Hz", "value": "sm.synth.midi_to_hz(36)", "expect": 65.4, "tol": 0.05},
    {"nb": "05", "text": "neighbouring semitones are only about 4 Hz apart",
     "value": "sm.synth.midi_to_hz(37) - sm.synth.midi_to_hz(36)", "expect": 4.0, "tol": 0.3},
    {"nb": "05", "text": "31 Hz at 2048 samples (bins 7.8 Hz apart) against 125 Hz at 512",
     "value": "[4 * sr / 2048, sr / 2048, 4 * sr / 512]", "expect_list": [31.25, 7.8, 125], "tol": 0.3},
    {"nb": "05", "text": "more than about 16 Hz apart, instead of about 63 Hz",
     "value": "[2 * sr / 2048, 2 * sr / 512]", "expect_list": [15.6, 62.5], "tol": 0.6},
    {"nb": "05", "text": "the drum hits are smeared over 128 ms", "value": "1000 * config.n_fft / sr", "expect": 128,
     "tol": 0},
    {"nb": "05", "text": "The melody separates best",
     "holds": "max(stem_rows, key=lambda k: stem_rows[k]['SI-SDR']) == 'melody'"},
    {"nb": "05", "text": "Around $p = 2$, the Wiener masks, the balance is best here",
     "holds": "max(power_sweep['melody'], key=lambda p: np.mean([power_sweep[s][p] for s in power_sweep])) == 2"},
    {"nb": "05", "text": "about 5–8 dB short of the oracle",
     "value": "[hpss_rows[f'{n} (oracle)']['SDR'] - hpss_rows[f'{n} (HPSS)']['SDR'] for n in ('harmonic', 'drums')]",
     "range": [4.5, 8.5]},
    {"nb": "05", "text": "Raise the **margin** and watch SIR go up while SAR goes down",
     "holds": "margin_sweep['SIR'][8] > margin_sweep['SIR'][1] and margin_sweep['SAR'][8] < margin_sweep['SAR'][1]"},
    {"nb": "05", "text": "from about 10 dB SI-SDR (tenor and bass, the low voices whose harmonics crowd together)",
     "value": "[chorale_rows[k]['SI-SDR'] for k in ('tenor', 'bass')]", "range": [9.5, 11.5]},
    {"nb": "05", "text": "The oracle soft masks ($p = 2$) still separate every voice",
     "holds": "sorted(chorale_rows, key=lambda k: chorale_rows[k]['SI-SDR'])[:2] == ['bass', 'tenor'] or "
              "sorted(chorale_rows, key=lambda k: chorale_rows[k]['SI-SDR'])[:2] == ['tenor', 'bass']"},
    {"nb": "05", "text": "to about 15 dB (alto)",
     "holds": "abs(chorale_rows['alto']['SI-SDR'] - 15) <= 0.8 and "
              "max(chorale_rows, key=lambda k: chorale_rows[k]['SI-SDR']) == 'alto'"},

    # ------------------------------------------------------------------ 06 evaluation
    {"nb": "06", "text": "short-time (384 ms) band envelopes", "defined": "STOI's analysis length (Taal et al. 2011)"},
    {"nb": "06", "text": "short **distortion filter** (512 taps)", "defined": "BSS Eval's default filter length"},
    {"nb": "06", "text": "(SIR about 0 dB, like the mixture; SI-SDR even drops a little)",
     "holds": "abs(rows['random real (article)']['SIR']) < 1 and abs(rows['mixture']['SIR']) < 1 and "
              "rows['random real (article)']['SI-SDR'] < rows['mixture']['SI-SDR']"},
    {"nb": "06", "text": "rises from 0 to about 2.7 dB",
     "value": "[rows['mixture']['SNR'], rows['random real (article)']['SNR']]", "expect_list": [0.0, 2.7], "tol": 0.25},
    {"nb": "06", "text": "has an SNR of about 12 dB but an SI-SDR of about 21 dB",
     "value": "[rows['bounded cIRM']['SNR'], rows['bounded cIRM']['SI-SDR']]", "expect_list": [12.0, 21.0], "tol": 0.8},
    {"nb": "06", "text": "$\\tanh 1 = 0.76$", "value": "np.tanh(1.0)", "expect": 0.76, "tol": 0.005},
    {"nb": "06", "text": "the whole estimate is about 2.4 dB too quiet",
     "value": "20 * np.log10(sm.rms(bounded) / sm.rms(target))", "expect": -2.4, "tol": 0.3},
    {"nb": "06", "text": "caps $|M|$ at 1 instead and gets an SNR near 19 dB",
     "value": "sm.snr(sm.separate(mixture, sm.bound_complex_mask(sm.complex_ideal_ratio_mask(S, Y), method='clip'), "
              "config), target)", "expect": 18.6, "tol": 0.8},
    {"nb": "06", "text": "(SIR about 17 vs 11 dB) but leaves more artefacts (lower SAR)",
     "holds": "abs(rows['IBM']['SIR'] - 17) <= 1.2 and abs(rows['IRM']['SIR'] - 11) <= 1.2 and "
              "rows['IBM']['SAR'] < rows['IRM']['SAR']"},
    {"nb": "06", "text": "goes from 0.64 for the mixture to 0.92–0.99 for every oracle mask",
     "holds": "abs(rows['mixture']['STOI'] - 0.64) <= 0.015 and "
              "all(0.915 <= rows[k]['STOI'] <= 0.995 for k in ('IBM', 'IRM', 'PSM', 'bounded cIRM'))"},
    {"nb": "06", "text": "= 6$ dB", "value": "sm.snr(0.5 * target, target)", "expect": 6.02, "tol": 0.05},
    {"nb": "06", "text": "so +12 dB really is louder", "defined": "the gain slider's range"},
    {"nb": "06", "text": "(local criterion +5 dB)", "defined": "the IBM's local criterion in this example (lc_db=5)"},
    {"nb": "06", "text": "so the muffled speech counts as the target itself (high SIR and SAR)",
     "holds": "pair_rows['low-passed speech']['SIR'] > pair_rows['IBM (musical noise)']['SIR'] and "
              "pair_rows['low-passed speech']['SAR'] > pair_rows['IBM (musical noise)']['SAR']"},
    {"nb": "06", "text": "**STOI** rates both as intelligible (about 0.85 and 0.78), the muffled speech a little less",
     "value": "[pair_rows['IBM (musical noise)']['STOI'], pair_rows['low-passed speech']['STOI']]",
     "expect_list": [0.85, 0.78], "tol": 0.02},
    {"nb": "06", "text": "Two estimates of the same speech, with the **same SI-SDR**",
     "holds": "abs(match['score'] - ibm_score) <= 0.1"},
]


def claims_for(nb: str) -> list[dict]:
    """The ledger entries of one lesson (``"02"``)."""
    return [c for c in CLAIMS if c["nb"] == nb]


def setup_for(nb: str) -> str:
    return SETUP.get(nb, "")


def expressions_for(nb: str) -> list[str]:
    """Every expression the kernel of lesson ``nb`` must evaluate (values and conditions)."""
    out = []
    for claim in claims_for(nb):
        for key in ("value", "holds"):
            if key in claim and claim[key] not in out:
                out.append(claim[key])
    return out
