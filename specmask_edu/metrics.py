r"""How good is a separated signal? (taught in ``notebooks/06_evaluating_separation.ipynb``).

All metrics take the **estimate first and the reference second**, as 1-D waveforms of the same length,
and return decibels (dB), except STOI (no unit; -1 to 1, in practice about 0.4 to 1 for speech).

* :func:`snr` — plain signal-to-noise ratio; punishes any change of level.
* :func:`si_sdr` — scale-invariant SDR (Le Roux et al., 2019); ignores the estimate's overall gain.
* :func:`si_sdr_improvement` — SI-SDR of the estimate minus SI-SDR of the unprocessed mixture.
* :func:`bss_eval` — SDR, SIR and SAR (Vincent et al., 2006), as ``mir_eval`` computes them;
  :class:`BSSEvalReferences` reuses the reference half for many estimates.
* :func:`stoi` — short-time objective intelligibility (Taal et al., 2011) through ``pystoi``.
* :func:`metrics_table` — all of them for several estimates at once, as a dict of rows.

Values are limited to ±``DB_LIMIT`` dB so a perfect or silent estimate gives a finite number.
"""

from __future__ import annotations

import numpy as np

from ._validation import SpecmaskInputError, as_waveform, check_same_length, check_sr

__all__ = [
    "DB_LIMIT",
    "snr",
    "si_sdr",
    "si_sdr_improvement",
    "bss_eval",
    "BSSEvalReferences",
    "stoi",
    "metrics_table",
    "format_table",
    "format_value",
    "match_score",
]

#: Metrics in dB are clipped to [-DB_LIMIT, DB_LIMIT].
DB_LIMIT = 100.0


def _pair(estimate, reference):
    ref = as_waveform(reference, "reference")
    est = as_waveform(estimate, "estimate")
    check_same_length(est, ref, "estimate", "reference",
                      "Metrics compare sample by sample: use istft(..., length=len(reference)) or separate(...), "
                      "which keeps the length.")
    if not np.any(ref):
        raise SpecmaskInputError(
            "`reference` is silent (all zeros): there is nothing to compare against, so the ratio is undefined. "
            "Check that you passed the clean target, not an empty or muted signal."
        )
    return est, ref


def _db(signal_energy, error_energy):
    signal_energy = float(signal_energy)
    error_energy = float(error_energy)
    floor = 10.0 ** (-DB_LIMIT / 10.0)
    if signal_energy <= floor * error_energy:  # includes 0/0: a silent estimate scores the minimum
        return -DB_LIMIT
    if error_energy <= floor * signal_energy:
        return DB_LIMIT
    return float(np.clip(10.0 * np.log10(signal_energy / error_energy), -DB_LIMIT, DB_LIMIT))


def snr(estimate, reference) -> float:
    r"""Signal-to-noise ratio in dB.

    .. math:: \mathrm{SNR} = 10\log_{10}\frac{\|s\|^2}{\|s - \hat s\|^2}

    Any difference counts as noise, including a mere change of level: an estimate at half the
    amplitude of the reference has an SNR of only 6 dB.
    """
    est, ref = _pair(estimate, reference)
    return _db(np.sum(ref**2), np.sum((ref - est) ** 2))


def si_sdr(estimate, reference, zero_mean: bool = True) -> float:
    r"""Scale-invariant signal-to-distortion ratio in dB.

    .. math::

        \alpha = \frac{\hat s^\top s}{\|s\|^2}, \qquad
        \mathrm{SI\text{-}SDR} = 10\log_{10}\frac{\|\alpha s\|^2}{\|\alpha s - \hat s\|^2}

    The reference is rescaled to best match the estimate, so the estimate's gain does not matter.
    With ``zero_mean=True`` (default) both signals have their mean removed first.

    Example (Le Roux et al.): reference ``[3, -0.5, 2, 7]``, estimate ``[2.5, 0, 2, 8]``,
    ``zero_mean=False`` gives 18.4030 dB.

    References
    ----------
    Le Roux, J., Wisdom, S., Erdogan, H., & Hershey, J. R. (2019). SDR – half-baked or well done? ICASSP.
    """
    est, ref = _pair(estimate, reference)
    if zero_mean:
        est = est - est.mean()
        ref = ref - ref.mean()
        if not np.any(ref):
            raise SpecmaskInputError(
                "`reference` is constant, so after removing its mean it is silent; use zero_mean=False."
            )
    # np.sum(a * b) rather than np.dot: no BLAS call, which multithreaded BLAS makes slow on busy machines.
    alpha = np.sum(est * ref) / np.sum(ref * ref)
    projection = alpha * ref
    return _db(np.sum(projection**2), np.sum((projection - est) ** 2))


def si_sdr_improvement(estimate, mixture, reference, zero_mean: bool = True) -> float:
    r"""SI-SDR improvement (SI-SDRi) in dB: :math:`\mathrm{SI\text{-}SDR}(\hat s, s) - \mathrm{SI\text{-}SDR}(y, s)`.

    Positive means the processing brought the signal closer to the target than the mixture was;
    0 means no gain; negative means it made things worse.
    """
    mix = as_waveform(mixture, "mixture")
    return si_sdr(estimate, reference, zero_mean) - si_sdr(mix, reference, zero_mean)


class BSSEvalReferences:
    r"""The reference half of BSS Eval, computed once, to score many estimates of the same sources.

    BSS Eval (Vincent et al., 2006; the ``bss_eval_sources`` variant of ``mir_eval``) explains an estimate
    :math:`\hat s_j` with time-invariant FIR filters of ``filter_length`` taps applied to the references:

    .. math::

        P_j = \text{projection of } \hat s_j \text{ onto the filtered } s_j, \qquad
        P = \text{projection of } \hat s_j \text{ onto all filtered references},

    :math:`s_\text{target} = P_j`, :math:`e_\text{interf} = P - P_j`, :math:`e_\text{artif} = \hat s_j - P`.
    Each projection solves the normal equations :math:`G c = d`, where the Gram matrix :math:`G` holds the
    references' auto- and cross-correlations for lags below ``filter_length`` and :math:`d` their correlations
    with the estimate. :math:`G` depends on the references only, so this object builds it and its Cholesky
    factor once; :meth:`evaluate` then costs a few FFTs per estimate. An explorer that re-scores new
    estimates of the same sources on every slider move uses this (notebook 05); :func:`bss_eval` is the
    one-call form.

    Parameters
    ----------
    references : ndarray (n_sources, n_samples) or list of 1-D arrays
        The true sources, none of them silent.
    filter_length : int
        Taps of the distortion filter (default 512, as in ``mir_eval``: 32 ms at 16 kHz).
    """

    def __init__(self, references, filter_length: int = 512):
        refs = [as_waveform(r, f"references[{i}]") for i, r in enumerate(_as_list(references, "references"))]
        lengths = {x.size for x in refs}
        if len(lengths) != 1:
            raise SpecmaskInputError(f"All references must have the same length; got lengths {sorted(lengths)}.")
        for i, r in enumerate(refs):
            if not np.any(r):
                raise SpecmaskInputError(f"references[{i}] is silent; SDR/SIR/SAR are undefined for a silent source.")
        if not isinstance(filter_length, (int, np.integer)) or filter_length < 1:
            raise SpecmaskInputError(f"`filter_length` must be a positive whole number of taps, got {filter_length!r}.")
        n = lengths.pop()
        if n <= filter_length:
            raise SpecmaskInputError(
                f"Signals of {n} samples are too short for BSS Eval with a {filter_length}-tap filter; "
                "use longer signals or a smaller filter_length."
            )
        from scipy.fft import next_fast_len
        from scipy.linalg import toeplitz

        self.n_sources, self.n_samples, self.filter_length = len(refs), n, int(filter_length)
        L = self.filter_length
        # Zero padding to n + L - 1 samples or more makes the correlations exact for the lags |k| < L we use
        # (mir_eval pads to a power of two; a length with small prime factors is as exact and up to 2x faster).
        self._n_fft = next_fast_len(n + L - 1, real=True)
        self._spectra = np.fft.rfft(np.stack(refs), self._n_fft, axis=1)
        gram = np.empty((self.n_sources * L, self.n_sources * L))
        for i in range(self.n_sources):
            for j in range(i, self.n_sources):
                corr = np.fft.irfft(self._spectra[i] * np.conj(self._spectra[j]), self._n_fft)
                block = toeplitz(np.concatenate(([corr[0]], corr[-1:-L:-1])), corr[:L])
                gram[i * L:(i + 1) * L, j * L:(j + 1) * L] = block
                gram[j * L:(j + 1) * L, i * L:(i + 1) * L] = block.T
        self._solve_all = _normal_equations_solver(gram)
        self._solve_own = [_normal_equations_solver(gram[i * L:(i + 1) * L, i * L:(i + 1) * L])
                           for i in range(self.n_sources)]

    def _project(self, coefficients, sources):
        """Sum over ``sources`` of the references filtered by ``coefficients`` (n_sources x L), n + L - 1 long."""
        spectrum = np.sum(np.fft.rfft(coefficients, self._n_fft, axis=1) * self._spectra[sources], axis=0)
        return np.fft.irfft(spectrum, self._n_fft)[:self.n_samples + self.filter_length - 1]

    def evaluate(self, estimates) -> dict[str, np.ndarray]:
        """SDR, SIR and SAR in dB of one estimate per reference, in the same order (no permutation search).

        Returns ``{"sdr", "sir", "sar"}``, each an array of shape (n_sources,), limited to ±``DB_LIMIT``.
        """
        ests = [as_waveform(e, f"estimates[{i}]") for i, e in enumerate(_as_list(estimates, "estimates"))]
        if len(ests) != self.n_sources:
            raise SpecmaskInputError(
                f"{len(ests)} estimates for {self.n_sources} references: give one estimate per reference."
            )
        for i, e in enumerate(ests):
            if e.size != self.n_samples:
                raise SpecmaskInputError(
                    f"All signals must have the same length: estimates[{i}] has {e.size} samples, the references "
                    f"{self.n_samples}. Use istft(..., length=len(reference)) to keep the length."
                )
        L = self.filter_length
        values = {"sdr": [], "sir": [], "sar": []}
        for j, est in enumerate(ests):
            est_spectrum = np.fft.rfft(est, self._n_fft)
            corr = np.fft.irfft(self._spectra * np.conj(est_spectrum), self._n_fft, axis=1)
            d = np.concatenate([corr[:, :1], corr[:, -1:-L:-1]], axis=1)  # (n_sources, L)
            c_all = self._solve_all(d.reshape(-1)).reshape(self.n_sources, L)
            c_own = self._solve_own[j](d[j])
            p_all = self._project(c_all, slice(None))
            p_own = self._project(c_own[None, :], slice(j, j + 1))
            est_padded = np.concatenate([est, np.zeros(L - 1)])
            own, interference, artifacts = np.sum(p_own**2), np.sum((p_all - p_own) ** 2), np.sum((est_padded - p_all) ** 2)
            values["sdr"].append(_db(own, np.sum((est_padded - p_own) ** 2)))
            values["sir"].append(_db(own, interference))
            values["sar"].append(_db(np.sum(p_all**2), artifacts))
        return {name: np.array(v, dtype=float) for name, v in values.items()}


def _normal_equations_solver(gram):
    """Solve ``gram @ x = b`` for a symmetric positive semi-definite Gram matrix: Cholesky, else least squares."""
    from scipy.linalg import LinAlgError, cho_factor, cho_solve

    try:
        factor = cho_factor(gram, lower=True, check_finite=False)
        return lambda b: cho_solve(factor, b, check_finite=False)
    except LinAlgError:  # singular (e.g. a reference with too few non-zero samples): minimum-norm solution
        pseudo_inverse = np.linalg.pinv(gram, hermitian=True)
        return lambda b: pseudo_inverse @ b


def bss_eval(estimates, references, filter_length: int = 512) -> dict[str, np.ndarray]:
    r"""SDR, SIR and SAR in dB (BSS Eval, Vincent et al., 2006), as ``mir_eval.separation.bss_eval_sources``.

    The estimate is decomposed as :math:`\hat s = s_\text{target} + e_\text{interf} + e_\text{artif}`
    with a ``filter_length``-tap distortion filter (see :class:`BSSEvalReferences`);

    .. math::

        \mathrm{SDR} = 10\log_{10}\frac{\|s_\text{target}\|^2}{\|e_\text{interf}+e_\text{artif}\|^2},\quad
        \mathrm{SIR} = 10\log_{10}\frac{\|s_\text{target}\|^2}{\|e_\text{interf}\|^2},\quad
        \mathrm{SAR} = 10\log_{10}\frac{\|s_\text{target}+e_\text{interf}\|^2}{\|e_\text{artif}\|^2}

    Parameters
    ----------
    estimates, references : ndarray (n_sources, n_samples) or list of 1-D arrays
        One estimate per reference, in the same order (no permutation is searched). SIR needs all
        sources: for target-vs-noise pass ``[target, interference]`` as references and
        ``[target_estimate, mixture - target_estimate]`` as estimates.
    filter_length : int
        Taps of the distortion filter (default 512, as ``mir_eval``).

    Returns
    -------
    dict with ``"sdr"``, ``"sir"``, ``"sar"``: arrays of shape (n_sources,), limited to ±``DB_LIMIT`` dB.

    Notes
    -----
    ``mir_eval.separation`` is deprecated and slow; this is the same computation (the test suite checks it
    against ``mir_eval`` to 0.01 dB) with the normal equations solved by a Cholesky factorisation. To score
    many estimates of the same references, build :class:`BSSEvalReferences` once and call its ``evaluate``.
    Taught in ``notebooks/06_evaluating_separation.ipynb``.
    """
    n_estimates, n_references = len(_as_list(estimates, "estimates")), len(_as_list(references, "references"))
    if n_estimates != n_references:
        raise SpecmaskInputError(f"{n_estimates} estimates for {n_references} references: give one estimate per reference.")
    return BSSEvalReferences(references, filter_length).evaluate(estimates)


def _as_list(x, name):
    if isinstance(x, np.ndarray):
        if x.ndim == 1:
            return [x]
        if x.ndim == 2:
            return list(x)
        raise SpecmaskInputError(f"`{name}` must be 1-D or 2-D (n_sources, n_samples), got shape {x.shape}.")
    return list(x)


def stoi(estimate, reference, sr: int, extended: bool = False) -> float:
    """Short-time objective intelligibility (STOI), computed by ``pystoi``: a number in [-1, 1].

    The average correlation of short-time (384 ms) one-third-octave band envelopes of estimate and reference,
    after resampling to 10 kHz, so its range is that of a correlation, [-1, 1] (near 1: the envelopes agree;
    typical noisy or processed speech scores between about 0.4 and 1). It is a **correlate** of
    intelligibility: Taal et al. (2011) map it to the share of words listeners understand with a fitted
    logistic curve, so it ranks conditions but is not a percentage of words. ``extended=True`` gives ESTOI
    (Jensen & Taal, 2016). Needs at least about 0.4 s of speech.

    References
    ----------
    Taal, C. H., Hendriks, R. C., Heusdens, R., & Jensen, J. (2011). An algorithm for intelligibility
    prediction of time-frequency weighted noisy speech. IEEE TASLP 19(7).
    """
    est, ref = _pair(estimate, reference)
    sr = check_sr(sr)
    if ref.size < int(0.4 * sr):
        raise SpecmaskInputError(f"STOI needs at least 0.4 s of audio; got {ref.size / sr:.2f} s.")
    import warnings

    import pystoi

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = pystoi.stoi(ref, est, int(sr), extended=extended)
    return float(value)


def match_score(make_estimate, reference, score_db: float, low: float, high: float, metric=None,
                tol_db: float = 0.05, max_iter: int = 30) -> dict:
    r"""Find the parameter that gives an estimate a chosen score, by bisection.

    Solves :math:`\mathrm{metric}(\text{make\_estimate}(p), s) = \text{score\_db}` for :math:`p` in
    ``[low, high]``, assuming the score grows (or falls) steadily with :math:`p`. Used to build two
    estimates with the same SI-SDR that sound different (``notebooks/06_evaluating_separation.ipynb``).

    Parameters
    ----------
    make_estimate : callable p -> waveform
        For example ``lambda cutoff: separate(target, lowpass_mask(S.shape, sr, cutoff))``.
    reference : ndarray
        The clean target.
    score_db : float
        The score to reach (dB).
    low, high : float
        Search interval of the parameter; the score at the two ends must lie on either side of ``score_db``.
    metric : callable (estimate, reference) -> dB, optional
        Default :func:`si_sdr`.
    tol_db : float
        Stop when the score is within this many dB (default 0.05), or when the interval has shrunk to
        1/10,000 of its width (a parameter that acts in steps, such as a cut-off on a grid of STFT bins,
        may not reach ``tol_db`` exactly; ``"score"`` says what was reached).

    Returns
    -------
    dict with ``"param"``, ``"estimate"`` and ``"score"`` (the metric reached)
    """
    metric = si_sdr if metric is None else metric
    ref = as_waveform(reference, "reference")
    low, high = float(low), float(high)

    def evaluate(p):
        est = make_estimate(p)
        return est, float(metric(est, ref))

    est_low, s_low = evaluate(low)
    est_high, s_high = evaluate(high)
    if not min(s_low, s_high) - tol_db <= score_db <= max(s_low, s_high) + tol_db:
        raise SpecmaskInputError(
            f"The score at the ends of [{low:g}, {high:g}] is {s_low:.2f} and {s_high:.2f} dB, so {score_db:.2f} dB "
            "cannot be reached in between: widen the interval."
        )
    best = min(((low, est_low, s_low), (high, est_high, s_high)), key=lambda r: abs(r[2] - score_db))
    rising = s_high >= s_low
    xtol = 1e-4 * (high - low)
    for _ in range(int(max_iter)):
        if abs(best[2] - score_db) <= tol_db or abs(high - low) <= abs(xtol):
            break
        mid = 0.5 * (low + high)
        est_mid, s_mid = evaluate(mid)
        if abs(s_mid - score_db) < abs(best[2] - score_db):
            best = (mid, est_mid, s_mid)
        if (s_mid < score_db) == rising:
            low = mid
        else:
            high = mid
    return {"param": best[0], "estimate": best[1], "score": best[2]}


def metrics_table(estimates: dict, reference, mixture=None, sr: int | None = None,
                  interference=None) -> dict[str, dict[str, float]]:
    """Metrics for several estimates of the same reference, as a dict of rows.

    Parameters
    ----------
    estimates : dict name -> waveform
        For example ``{"mixture": y, "IRM": s_irm, "cIRM": s_cirm}``.
    reference : ndarray
        The clean target.
    mixture : ndarray, optional
        Adds the ``"SI-SDRi"`` column (improvement over the mixture), and SDR/SIR/SAR with the
        interference taken as ``mixture - reference``.
    sr : int, optional
        Adds the ``"STOI"`` column.
    interference : ndarray, optional
        The interference waveform, if different from ``mixture - reference``.

    Returns
    -------
    dict
        ``{name: {"SNR": dB, "SI-SDR": dB, "SI-SDRi": dB, "SDR": dB, "SIR": dB, "SAR": dB, "STOI": 0..1}}``
        (columns present depending on the arguments). Format it with :func:`format_table`.
    """
    if not isinstance(estimates, dict) or not estimates:
        raise SpecmaskInputError("`estimates` must be a non-empty dict such as {'IRM': estimate_irm}.")
    ref = as_waveform(reference, "reference")
    mix = None if mixture is None else as_waveform(mixture, "mixture")
    if interference is None and mix is not None:
        if mix.shape != ref.shape:
            raise SpecmaskInputError("`mixture` and `reference` must have the same length.")
        interference = mix - ref
    rows = {}
    mixture_si_sdr = None if mix is None else si_sdr(mix, ref)
    # the same two references for every row: build the reference half of BSS Eval once
    scorer = BSSEvalReferences([ref, interference]) if interference is not None and np.any(interference) else None
    for name, estimate in estimates.items():
        est, _ = _pair(estimate, ref)
        row = {"SNR": snr(est, ref), "SI-SDR": si_sdr(est, ref)}
        if mixture_si_sdr is not None:
            row["SI-SDRi"] = row["SI-SDR"] - mixture_si_sdr
        if scorer is not None:
            # Two-source decomposition: the interference estimate is whatever the estimate left out.
            values = scorer.evaluate([est, (ref + interference) - est])
            row.update({"SDR": float(values["sdr"][0]), "SIR": float(values["sir"][0]), "SAR": float(values["sar"][0])})
        if sr is not None:
            row["STOI"] = stoi(est, ref, sr)
        rows[str(name)] = row
    return rows


def format_value(value, digits: int = 2) -> str:
    """One metric value as table text: ``"≥ 100"`` / ``"≤ −100"`` where a dB value hit the cap ``±DB_LIMIT``
    (the true value is at least that: a perfect estimate, or no artefacts at all, has an infinite ratio),
    ``"—"`` where it is undefined (``None`` or NaN, or the column does not apply to the row), else the number
    with ``digits`` decimals (``-0.0`` printed as ``0.0``).
    """
    if value is None:
        return "—"
    value = float(value)
    if np.isnan(value):
        return "—"
    if value >= DB_LIMIT:
        return f"≥ {DB_LIMIT:g}"
    if value <= -DB_LIMIT:
        return f"≤ −{DB_LIMIT:g}"
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0.0 else text


def format_table(rows: dict[str, dict[str, float]], digits: int = 2) -> str:
    """A Markdown table of :func:`metrics_table` rows (also readable as plain text).

    Values are written by :func:`format_value`: a value at the metric cap prints as ``≥ 100`` (for example the
    SAR of the untouched mixture, which has no artefacts, or the SI-SDR of an exact estimate), an undefined or
    missing one as ``—``. Show it with ``display(Markdown(format_table(rows)))`` in a notebook.
    """
    if not rows:
        return "(no rows)"
    columns = []
    for row in rows.values():
        for key in row:
            if key not in columns:
                columns.append(key)
    lines = ["| estimate | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for name, row in rows.items():
        cells = [format_value(row.get(c), digits) for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
