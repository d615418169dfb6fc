"""Tests of specmask_edu.learn (the optional PyTorch lesson): data, models, losses, training, saving,
evaluation, the missing-PyTorch message and the exercises of notebook 07."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs PyTorch (the [learn] extra); lessons 00-06 and their tests do not")

import specmask_edu as sm  # noqa: E402
from specmask_edu import learn  # noqa: E402
from specmask_edu.learn import data as ldata  # noqa: E402
from specmask_edu.learn import exercises as lex  # noqa: E402
from specmask_edu.learn.losses import mask_approximation_loss, signal_approximation_loss  # noqa: E402

pytestmark = pytest.mark.learn

#: The mask kinds (the mapping kinds, which predict a spectrum, are tested in tests/test_learn_phase.py).
ALL_KINDS = [k for k in learn.MASK_KINDS if not learn.models.is_mapping(k)]


def _run_python(code: str, env_extra=None):
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture(scope="module")
def pair():
    """A short held-out mixture: target and mixture STFTs and waveforms."""
    ex = learn.heldout_examples(snr_db=0.0, noises=["white_noise"], speech=["speech_male_5"])[0]
    S, Y = sm.stft(ex["target"]), sm.stft(ex["mixture"])
    return ex, S, Y


def test_fast_mode_reads_environment(monkeypatch):
    monkeypatch.delenv("SPECMASK_FAST", raising=False)
    assert learn.fast_mode() is False
    for value in ("1", "true", "YES"):
        monkeypatch.setenv("SPECMASK_FAST", value)
        assert learn.fast_mode() is True
    monkeypatch.setenv("SPECMASK_FAST", "0")
    assert learn.fast_mode() is False


# --------------------------------------------------------------------------- data


def test_splits_do_not_overlap():
    train, held = learn.split_clips("train"), learn.split_clips("heldout")
    assert train["speech"] and held["speech"]
    assert not set(train["speech"]) & set(held["speech"])
    for name in train["speech"]:
        assert sm.example_info(name)["split"] == "train"
    for name in held["speech"]:
        assert sm.example_info(name)["split"] == "heldout"
    assert set(train["noise"]) == set(ldata.SHARED_NOISE_TYPES + ldata.TRAIN_ONLY_NOISES)
    assert set(held["noise"]) == set(ldata.SHARED_NOISE_TYPES + ldata.HELDOUT_ONLY_NOISES)
    # the recorded noises: a kind of noise used only for evaluation, never heard in training
    for kind in ldata.TRAIN_ONLY_NOISES + ldata.HELDOUT_ONLY_NOISES:
        recorded = sm.example_info(kind)
        assert recorded["split"] == ("train" if kind in ldata.TRAIN_ONLY_NOISES else "heldout"), kind
        assert recorded["source"] == "recorded", kind
    used = {clip for clip, _, _ in train["noise"].values()} | {clip for clip, _, _ in held["noise"].values()}
    assert set(sm.list_examples("noise")) <= used, "every bundled noise clip belongs to a split"
    for kind in ldata.SHARED_NOISE_TYPES:
        clip_t, a_t, b_t = train["noise"][kind]
        clip_h, a_h, b_h = held["noise"][kind]
        assert a_t < b_t and a_h < b_h
        if clip_t == clip_h:  # same clip: the two time regions must not overlap
            assert b_t <= a_h or b_h <= a_t, kind
            assert (b_t - a_t) / sm.example_info(clip_t)["n_samples"] == pytest.approx(ldata.TRAIN_FRACTION, abs=1e-3)
    assert train["noise"]["babble"][0] == "babble" and held["noise"]["babble"][0] == "babble_heldout"
    # the held-out real voices are unseen speakers: no training clip comes from their source files
    for name in ("speech_awb_1", "speech_slt_1"):
        assert name in held["speech"]
        assert not any(t.startswith(name.rsplit("_", 1)[0]) for t in train["speech"])


def test_noise_types_name_their_split():
    assert learn.noise_types("train") == ldata.SHARED_NOISE_TYPES + ldata.TRAIN_ONLY_NOISES
    assert learn.noise_types("heldout") == ldata.SHARED_NOISE_TYPES + ldata.HELDOUT_ONLY_NOISES
    with pytest.raises(sm.SpecmaskInputError, match="held out: the models never hear it"):
        learn.MixtureDataset("train", noises=["water_stream"], n_items=2)
    with pytest.raises(sm.SpecmaskInputError, match="a training noise"):
        learn.heldout_examples(noises=["vinyl_hiss"])
    with pytest.raises(sm.SpecmaskInputError, match="Unknown noise type"):
        learn.noise_regions("train", noises=["rain"])
    held = learn.heldout_examples(noises="water_stream", speech="speech_slt_1")
    assert [ex["name"] for ex in held] == ["speech_slt_1 + water_stream"]


def test_dataset_draws_only_from_its_split():
    for split in ("train", "heldout"):
        ds = learn.MixtureDataset(split, n_items=200, seed=3)
        allowed = set(learn.split_clips(split)["speech"])
        regions = learn.noise_regions(split)
        for i in range(len(ds)):
            r = ds.recipe(i)
            assert r["speech"] in allowed
            clip, start, stop = regions[r["noise"]]
            assert 0 <= r["noise_start"] <= (stop - start) - ds.segment_length
            assert -5.0 <= r["snr_db"] <= 10.0
        # the noise material held by the dataset is exactly its region
        for kind, (clip, start, stop) in regions.items():
            np.testing.assert_array_equal(ds.noise[kind], sm.load_example(clip)[start:stop])


def test_dataset_is_deterministic_for_a_seed():
    a = learn.MixtureDataset("train", mask="cirm", n_items=8, seed=11)
    b = learn.MixtureDataset("train", mask="cirm", n_items=8, seed=11)
    c = learn.MixtureDataset("train", mask="cirm", n_items=8, seed=12)
    for i in range(3):
        for key in ("mixture", "target", "target_mask"):
            assert torch.equal(a[i][key], b[i][key])
    assert not torch.equal(a[0]["mixture"], c[0]["mixture"])
    first = a[0]["mixture"].clone()
    a.set_epoch(1)
    assert not torch.equal(a[0]["mixture"], first)
    a.set_epoch(0)
    assert torch.equal(a[0]["mixture"], first)


def test_target_mask_is_made_only_for_the_loss_that_reads_it():
    with_mask = learn.MixtureDataset("train", mask="cirm_bounded", n_items=4, seed=2)
    without = learn.MixtureDataset("train", mask="cirm_bounded", n_items=4, seed=2, with_target_mask=False)
    assert "target_mask" in with_mask[1] and "target_mask" not in without[1]
    for key in ("mixture", "target"):  # the same mixtures either way
        assert torch.equal(with_mask[1][key], without[1][key])
    model = learn.build_model(arch="mlp", mask="cirm_bounded", hidden=16, seed=2)
    batch = torch.utils.data.default_collate([without[i] for i in range(2)])
    assert torch.isfinite(learn.losses.compute_loss(model, batch, "sdr"))
    with pytest.raises(sm.SpecmaskInputError, match="with_target_mask=True"):
        learn.losses.compute_loss(model, batch, "mask")


def test_dataset_item_matches_its_waveforms_and_snr():
    ds = learn.MixtureDataset("train", mask="irm", n_items=4, seed=5, gain_range_db=(0.0, 0.0))
    w = ds.waveforms(2)
    np.testing.assert_allclose(w["mixture"], w["target"] + w["interference"], atol=1e-12)
    measured = 10 * np.log10(np.sum(w["target"] ** 2) / np.sum(w["interference"] ** 2))
    assert measured == pytest.approx(w["snr_db"], abs=1e-6)
    item = ds[2]
    Y = sm.stft(w["mixture"])
    assert item["mixture"].shape == (2, 257, Y.shape[1])
    np.testing.assert_allclose(item["mixture"][0].numpy(), Y.real, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(item["target_mask"].numpy(),
                               sm.ideal_ratio_mask(sm.stft(w["target"]), Y), atol=1e-6)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_training_target_is_the_oracle_mask(pair, kind):
    _, S, Y = pair
    T = learn.models.training_target(S, Y, kind, K=10.0, C=0.1).double().numpy()
    if kind == "polar":  # the polar mask's target: the cIRM with its magnitude clipped to 1 (PSM's gain range)
        expected = sm.bound_complex_mask(sm.oracle_mask("cirm", S, Y), method="clip")
    else:
        expected = sm.oracle_mask(kind, S, Y)
    if kind == "cirm":
        expected = sm.compress_mask(expected, 10.0, 0.1)
    if np.iscomplexobj(expected):
        assert T.shape == (2, *S.shape)
        np.testing.assert_allclose(T[0] + 1j * T[1], expected, atol=1e-5)
    else:
        assert T.shape == S.shape
        np.testing.assert_allclose(T, expected, atol=1e-6)


def test_speed_perturbation():
    ds = learn.MixtureDataset("train", n_items=40, seed=1, speed_factors=(0.9, 1.0, 1.1))
    speeds = {ds.recipe(i)["speed"] for i in range(40)}
    assert speeds == {0.9, 1.0, 1.1}
    name = ds.speech_names[0]
    assert ds.speech[(name, 1.1)].size == pytest.approx(ds.speech[(name, 1.0)].size / 1.1, abs=2)
    assert ds[0]["mixture"].shape == (2, 257, 126)
    with pytest.raises(sm.SpecmaskInputError, match="speed"):
        learn.MixtureDataset(speed_factors=(3.0,))


def test_heldout_examples_refuse_training_speech():
    with pytest.raises(sm.SpecmaskInputError, match="held-out"):
        learn.heldout_examples(speech=["speech_male_1"])
    exs = learn.heldout_examples(snr_db=5.0, noises=["hum"])
    assert len(exs) == len(learn.split_clips("heldout")["speech"])
    for ex in exs:
        np.testing.assert_allclose(ex["mixture"], ex["target"] + ex["interference"], atol=1e-12)
        snr = 10 * np.log10(np.sum(ex["target"] ** 2) / np.sum(ex["interference"] ** 2))
        assert snr == pytest.approx(5.0, abs=1e-6)
        assert ex["noise"] == "hum" and ex["name"].endswith("+ hum")


def test_bad_dataset_settings_are_explained():
    with pytest.raises(sm.SpecmaskInputError, match="mask kind"):
        learn.MixtureDataset(mask="ibmx")
    with pytest.raises(sm.SpecmaskInputError, match="split"):
        learn.MixtureDataset(split="test")
    with pytest.raises(sm.SpecmaskInputError, match="noise type"):
        learn.MixtureDataset(noises=["traffic"])
    with pytest.raises(sm.SpecmaskInputError, match="low <= high"):
        learn.MixtureDataset(snr_range=(10, -5))


# --------------------------------------------------------------------------- models


@pytest.mark.parametrize("arch", ["mlp", "gru"])
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_model_output_shapes_and_ranges(arch, kind, pair):
    ex, S, Y = pair
    model = learn.build_model(arch=arch, mask=kind, hidden=32, layers=2, seed=1)
    x = torch.randn(3, 2, 257, 40) * 5
    out = model(x)
    if learn.MASK_KINDS[kind][0]:
        assert out.shape == (3, 2, 257, 40)
    else:
        assert out.shape == (3, 257, 40)
    assert torch.all(torch.isfinite(out))
    if kind in ("irm", "psm"):
        assert out.min() >= 0 and out.max() <= 1
    elif kind == "cirm":
        assert out.abs().max() < model.config.K
    else:
        assert torch.sqrt(out[:, 0] ** 2 + out[:, 1] ** 2).max() < 1
    # the NumPy mask for a waveform has the STFT's shape and the right type
    M = learn.estimate_mask(model, ex["mixture"][:8000])
    assert M.shape == sm.stft(ex["mixture"][:8000]).shape
    assert np.iscomplexobj(M) == learn.MASK_KINDS[kind][0]
    assert np.all(np.isfinite(M))
    estimate = learn.separate_with_model(model, ex["mixture"][:8000])
    assert estimate.shape == (8000,)


def test_cirm_output_decompresses_like_the_package(pair):
    ex, S, Y = pair
    model = learn.build_model(arch="mlp", mask="cirm", hidden=16, seed=2)
    with torch.no_grad():
        out = model(ldata.stft_to_tensor(Y)[None])
        torch_mask = model.output_to_mask(out)[0].double().numpy()
    out_np = out[0].double().numpy()
    expected = sm.decompress_mask(out_np[0] + 1j * out_np[1], 10.0, 0.1)
    np.testing.assert_allclose(torch_mask[0] + 1j * torch_mask[1], expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(learn.estimate_mask(model, ex["mixture"]), expected, rtol=1e-4, atol=1e-4)


def test_model_input_errors_are_explained():
    model = learn.build_model(arch="gru", mask="irm", hidden=8)
    with pytest.raises(sm.SpecmaskInputError, match=r"\(batch, 2, 257, frames\)"):
        model(torch.randn(1, 2, 129, 10))
    with pytest.raises(sm.SpecmaskInputError, match="torch tensor"):
        model(np.zeros((1, 2, 257, 10)))
    with pytest.raises(sm.SpecmaskInputError, match="arch"):
        learn.ModelConfig(arch="transformer")
    with pytest.raises(sm.SpecmaskInputError, match="mask kind"):
        learn.ModelConfig(mask="ibm")


# --------------------------------------------------------------------------- losses


def test_signal_losses_vanish_at_their_oracle(pair):
    _, S, Y = pair
    Yt, St = ldata.stft_to_tensor(Y)[None].double(), ldata.stft_to_tensor(S)[None].double()
    cirm = sm.complex_ideal_ratio_mask(S, Y)
    c = torch.from_numpy(np.stack([cirm.real, cirm.imag]))[None]
    assert signal_approximation_loss(c, Yt, St, "complex").item() < 1e-12
    psm_raw = torch.from_numpy(sm.phase_sensitive_mask(S, Y, truncate=None))[None]
    assert signal_approximation_loss(psm_raw, Yt, St, "phase_sensitive").item() < 1e-12
    assert learn.losses.sdr_loss(c, Yt, St).item() == pytest.approx(-40.0, abs=1e-3)  # the 40 dB cap
    assert learn.losses.sdr_loss(torch.zeros_like(c), Yt, St).item() == pytest.approx(0.0, abs=1e-3)
    iam = torch.from_numpy(sm.ideal_amplitude_mask(S, Y))[None]
    assert signal_approximation_loss(iam, Yt, St, "magnitude").item() < 1e-12
    # a real mask cannot reach the complex target: the leftover is the part of S at right angles to Y
    assert signal_approximation_loss(psm_raw, Yt, St, "magnitude").item() > 1e-3


def test_phase_sensitive_loss_is_complex_loss_minus_a_constant(pair):
    _, S, Y = pair
    Yt, St = ldata.stft_to_tensor(Y)[None].double(), ldata.stft_to_tensor(S)[None].double()
    gaps = []
    for seed in range(3):
        m = torch.from_numpy(np.random.default_rng(seed).uniform(0, 1, S.shape))[None]
        as_complex = torch.stack([m, torch.zeros_like(m)], dim=1)
        gaps.append(signal_approximation_loss(as_complex, Yt, St, "complex").item()
                    - signal_approximation_loss(m, Yt, St, "phase_sensitive").item())
    assert max(gaps) - min(gaps) < 1e-9 and gaps[0] > 0


def test_loss_kind_must_fit_the_mask():
    m = torch.rand(1, 257, 5)
    y = torch.randn(1, 2, 257, 5)
    with pytest.raises(sm.SpecmaskInputError, match="complex mask"):
        signal_approximation_loss(m, y, y, "complex")
    with pytest.raises(sm.SpecmaskInputError, match="same mask kind"):
        mask_approximation_loss(m, torch.rand(1, 2, 257, 5))


@pytest.mark.parametrize("arch,kind,loss", [("mlp", "irm", "mask"), ("gru", "psm", "signal"), ("gru", "psm", "sdr"),
                                            ("gru", "cirm", "mask"), ("mlp", "cirm_bounded", "signal"),
                                            ("gru", "cirm", "signal")])
def test_loss_decreases_on_a_tiny_set(arch, kind, loss):
    ds = learn.MixtureDataset("train", mask=kind, n_items=8, segment_seconds=0.5, seed=0)
    batch = torch.utils.data.default_collate([ds[i] for i in range(8)])
    model = learn.build_model(arch=arch, mask=kind, hidden=64, seed=0)
    model.fit_normalization(batch["mixture"])
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(30):
        value = learn.compute_loss(model, batch, loss)
        opt.zero_grad()
        value.backward()
        opt.step()
        losses.append(value.item())
    if loss == "sdr":  # in dB, negative: at least 1 dB better
        assert losses[-1] < losses[0] - 1.0, losses
    else:
        assert losses[-1] < 0.7 * losses[0], losses


# --------------------------------------------------------------------------- training, saving


def test_training_is_seeded_and_records_history():
    cfg = learn.TrainConfig.fast(num_threads=1, epochs=2, n_items=16, batch_size=8, heldout_items=4)
    r1 = learn.train(learn.build_model(arch="mlp", mask="irm", hidden=32, seed=0), cfg, progress=False)
    r2 = learn.train(learn.build_model(arch="mlp", mask="irm", hidden=32, seed=0), cfg, progress=False)
    assert r1.history["loss"] == r2.history["loss"]
    assert len(r1.history["loss"]) == cfg.steps == r1.steps_done == 4
    assert r1.history["epoch"] == [0, 1]
    assert all(np.isfinite(r1.history["heldout_loss"]))
    assert not r1.interrupted and not r1.model.training
    fig = r1.plot()
    assert fig.axes[0].get_xlabel() == "epoch"


def test_keyboard_interrupt_keeps_model_and_history():
    model = learn.build_model(arch="mlp", mask="irm", hidden=32, seed=0)
    before = [p.detach().clone() for p in model.parameters()]

    def stop(epoch, history):
        raise KeyboardInterrupt

    result = learn.train(model, learn.TrainConfig.fast(num_threads=1, epochs=3, n_items=16, batch_size=8), progress=False,
                         callback=stop)
    assert result.interrupted
    assert result.model is model
    assert result.history["epoch"] == [0] and len(result.history["loss"]) == 2
    assert any(not torch.equal(a, b) for a, b in zip(before, model.parameters()))
    assert "interrupted" in result.notes[-1]


def test_max_seconds_stops_early():
    result = learn.train(learn.build_model(arch="mlp", mask="irm", hidden=16), learn.TrainConfig.fast(num_threads=1, 
        epochs=50, max_seconds=0.0), progress=False)
    assert result.stopped_early and result.steps_done == 1


def test_train_refuses_mismatched_settings():
    model = learn.build_model(arch="mlp", mask="irm", hidden=8)
    with pytest.raises(sm.SpecmaskInputError, match="complex"):
        learn.train(model, learn.TrainConfig.fast(num_threads=1, loss="signal", signal_kind="complex"), progress=False)
    with pytest.raises(sm.SpecmaskInputError, match="mask kind|makes"):
        learn.train(model, learn.TrainConfig.fast(num_threads=1, ), progress=False,
                    dataset=learn.MixtureDataset(mask="cirm", n_items=8))
    with pytest.raises(sm.SpecmaskInputError, match="loss"):
        learn.TrainConfig(loss="l1")


@pytest.mark.parametrize("kind", ["psm", "cirm"])
def test_save_and_load_round_trip(tmp_path, kind, pair):
    ex, _, _ = pair
    model = learn.build_model(arch="gru", mask=kind, hidden=16, seed=4)
    result = learn.train(model, learn.TrainConfig.fast(num_threads=1, epochs=1, n_items=8, batch_size=8, heldout_items=0),
                         progress=False)
    path = learn.save_model(model, tmp_path / "m.pt", history=result.history)
    raw = torch.load(path, weights_only=True)  # plain data only
    assert raw["config"] == model.config.to_dict()
    json.dumps(raw["config"])  # JSON-able
    loaded, history = learn.load_model(path, return_history=True)
    assert loaded.config == model.config
    assert history["loss"] == result.history["loss"]
    assert bool(loaded.normalization_fitted)
    np.testing.assert_array_equal(learn.estimate_mask(loaded, ex["mixture"]), learn.estimate_mask(model, ex["mixture"]))


def test_load_refuses_foreign_files(tmp_path):
    with pytest.raises(sm.SpecmaskInputError, match="No saved model"):
        learn.load_model(tmp_path / "missing.pt")
    torch.save({"weights": torch.zeros(2)}, tmp_path / "other.pt")  # a plain checkpoint of someone else
    with pytest.raises(sm.SpecmaskInputError, match="save_model"):
        learn.load_model(tmp_path / "other.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(sm.SpecmaskInputError, match="not a model file"):
        learn.load_model(tmp_path / "junk.pt")


def test_smoke_training_improves_si_sdr():
    """A few seconds of training already beats the mixture on held-out speech and noise."""
    model = learn.build_model(mask="psm", seed=0)   # the lesson's model (frame-context MLP)
    cfg = learn.TrainConfig(epochs=2, n_items=64, batch_size=16, heldout_items=0, normalization_items=32,
                            num_threads=1)
    result = learn.train(model, cfg, progress=False)
    assert result.steps_done == 8
    evaluation = learn.evaluate({"learned": model}, noises=["white_noise", "hum"], oracles=("irm",), with_stoi=False)
    rows = evaluation.table()
    assert rows["learned"]["SI-SDRi"] > 3.0, rows
    assert rows["oracle IRM"]["SI-SDRi"] > rows["learned"]["SI-SDRi"]


# --------------------------------------------------------------------------- evaluation


def test_evaluate_table_plot_and_example():
    model = learn.build_model(arch="mlp", mask="cirm_bounded", hidden=16, seed=0)
    examples = learn.heldout_examples(noises=["pink_noise"], speech=["speech_female_5"])
    evaluation = learn.evaluate({"untrained": model}, examples=examples, oracles=("irm", "cirm"))
    assert evaluation.methods == ["mixture", "untrained", "oracle IRM", "oracle cIRM"]
    rows = evaluation.table()
    assert rows["mixture"]["SI-SDRi"] == pytest.approx(0.0, abs=1e-9)
    assert rows["oracle cIRM"]["SI-SDRi"] > 40  # S / Y gives the target back
    assert 0 < rows["oracle IRM"]["STOI"] <= 1
    assert "| oracle IRM |" in evaluation.markdown()
    by_noise = evaluation.table(by="noise")
    assert set(by_noise["oracle IRM"]) == {"pink_noise", "all"}
    assert evaluation.ratio("oracle IRM", "oracle cIRM") < 1
    handle = evaluation.plot()
    assert handle.ax.get_title().startswith("SI-SDRi")
    cmp = learn.compare_on_example({"untrained": model}, examples[0], oracles=("psm", "cirm"))
    assert set(cmp["masks"]) == {"untrained", "oracle PSM", "oracle cIRM"}
    assert np.iscomplexobj(cmp["masks"]["untrained"])
    assert set(cmp["estimates"]) == {"mixture", "untrained", "oracle PSM", "oracle cIRM", "clean target"}


# --------------------------------------------------------------------------- exercises


def test_exercise_output_size():
    assert lex.check_output_size(514).passed
    assert lex.check_output_size(257, complex_mask=False).passed
    wrong = lex.check_output_size(257)
    assert not wrong.passed and "imaginary" in str(wrong)
    assert "non-negative" in str(lex.check_output_size(512))
    assert lex.check_output_size(...).status == "not done"


def test_exercise_psa_loss():
    def right(mask, Y, S):
        return np.mean((mask * np.abs(Y) - np.abs(S) * np.cos(np.angle(S) - np.angle(Y))) ** 2)

    def magnitude(mask, Y, S):
        return np.mean((mask * np.abs(Y) - np.abs(S)) ** 2)

    def complex_error(mask, Y, S):
        return np.mean(np.abs(mask * Y - S) ** 2)

    def broken(mask, Y, S):
        raise ValueError("oops")

    assert lex.check_psa_loss(right).passed
    assert "magnitude SA" in str(lex.check_psa_loss(magnitude))
    assert "constant" in str(lex.check_psa_loss(complex_error))
    assert "ValueError" in str(lex.check_psa_loss(broken))
    assert lex.check_psa_loss(...).status == "not done"


def test_exercise_compressed_target(pair):
    _, S, Y = pair
    M = sm.complex_ideal_ratio_mask(S, Y)
    right = 10 * np.tanh(0.1 * M.real / 2) + 1j * 10 * np.tanh(0.1 * M.imag / 2)
    assert lex.check_compressed_target(right, S, Y).passed
    assert "not compressed" in str(lex.check_compressed_target(M, S, Y))
    assert "1/2" in str(lex.check_compressed_target(sm.compress_mask(M, 10, 0.2), S, Y))
    assert "real" in str(lex.check_compressed_target(np.abs(right), S, Y))
    assert lex.check_compressed_target(None, S, Y).status == "not done"


def test_exercise_share_of_oracle():
    from specmask_edu.learn.evaluate import EvaluationResult

    result = EvaluationResult(methods=["mixture", "learned", "oracle IRM"], records=[
        {"method": "mixture", "SI-SDRi": 0.0, "noise": "a"},
        {"method": "learned", "SI-SDRi": 6.0, "noise": "a"},
        {"method": "oracle IRM", "SI-SDRi": 8.0, "noise": "a"},
    ])
    assert lex.check_share_of_oracle(0.75, result, "learned").passed
    assert "percentage" in str(lex.check_share_of_oracle(75, result, "learned"))
    assert "upside down" in str(lex.check_share_of_oracle(8 / 6, result, "learned"))
    assert "difference" in str(lex.check_share_of_oracle(-2.0, result, "learned"))
    assert "no method" in str(lex.check_share_of_oracle(0.75, result, "learned GRU"))
    assert sm.exercises.show_solution("07.4") is not None


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    """Tests run on a shared, loaded machine: one thread avoids OpenMP contention (see conftest)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_live_plot_names_every_mask_kind_and_a_time_limited_run_ends_complete(monkeypatch):
    import importlib

    ltrain = importlib.import_module("specmask_edu.learn.train")  # the module, not learn.train()

    assert set(ltrain._MASK_NAMES) == set(learn.models.MASK_KINDS)
    bars = []

    class Bar(ltrain._NoBar):
        def __init__(self, *args, total=None, **kwargs):
            self.total, self.n = total, 0
            bars.append(self)

        def update(self, n=1):
            self.n += n

    import tqdm.auto
    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    model = learn.build_model(arch="mlp", mask="psm", hidden=16, seed=0)
    result = learn.train(model, learn.TrainConfig.fast(max_seconds=0.0), plot=False)
    assert result.stopped_early and result.steps_done == 1
    assert bars[0].total == bars[0].n == 1  # the bar ends full, not as an interrupted (red) one
