"""Phase-aware models, the compressed loss, masking vs mapping, the pretrained models, training options and
checkpoint checks of specmask_edu.learn (issue: learned complex masks that beat learned real masks)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs PyTorch (the [learn] extra); lessons 00-06 and their tests do not")

import specmask_edu as sm  # noqa: E402
from specmask_edu import learn  # noqa: E402
from specmask_edu.learn import data as ldata  # noqa: E402
from specmask_edu.learn import pretrain  # noqa: E402
from specmask_edu.learn.losses import compressed_loss, si_sdr_torch  # noqa: E402
from specmask_edu.learn.models import compress_spectrum  # noqa: E402

pytestmark = pytest.mark.learn

KINDS = list(learn.MASK_KINDS)
LOSSES = ["mask", "signal", "sdr", "compressed"]


@pytest.fixture(scope="module")
def pair():
    ex = learn.heldout_examples(snr_db=0.0, noises=["white_noise"], speech=["speech_male_5"])[0]
    return ex, sm.stft(ex["target"]), sm.stft(ex["mixture"])


@pytest.fixture(scope="module")
def tiny_batches():
    """A tiny training set per mask kind (4 mixtures of 1 s)."""
    out = {}
    for kind in KINDS:
        ds = learn.MixtureDataset("train", mask=kind, n_items=4, segment_seconds=1.0, seed=0)
        out[kind] = torch.utils.data.default_collate([ds[i] for i in range(4)])
    return out


def _tiny(arch, kind, features="compressed"):
    sizes = {"mlp": dict(hidden=32, layers=1, context=1), "gru": dict(hidden=16, layers=1),
             "crn": dict(hidden=16, layers=1, channels=4)}[arch]
    return learn.build_model(arch=arch, mask=kind, features=features, seed=0, **sizes)


# --------------------------------------------------------------------------- every model/loss combination


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("arch", ["mlp", "gru", "crn"])
def test_every_model_and_loss_lowers_its_loss(arch, kind, loss, tiny_batches):
    torch.manual_seed(0)
    batch = tiny_batches[kind]
    model = _tiny(arch, kind, features="logmag" if arch == "gru" else "compressed")
    if loss == "signal" and learn.models.is_mapping(kind):   # refused with advice (its gradient vanishes)
        with pytest.raises(sm.SpecmaskInputError, match="loss='mask'"):
            learn.compute_loss(model, batch, loss)
        return
    model.fit_normalization(batch["mixture"])
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(25):
        value = learn.compute_loss(model, batch, loss)
        assert torch.isfinite(value), (arch, kind, loss, losses)
        opt.zero_grad()
        value.backward()
        opt.step()
        losses.append(value.item())
    assert np.mean(losses[-3:]) < losses[0] - 0.02 * abs(losses[0]), losses


@pytest.mark.parametrize("features", ["logmag", "logmag+phase", "compressed"])
@pytest.mark.parametrize("kind", KINDS)
def test_crn_shapes_and_waveform_round_trip(features, kind, pair):
    ex, S, Y = pair
    model = _tiny("crn", kind, features)
    out = model(torch.randn(2, 2, 257, 30))
    assert out.shape == ((2, 2, 257, 30) if learn.MASK_KINDS[kind][0] else (2, 257, 30))
    M = learn.estimate_mask(model, ex["mixture"][:8000])
    assert M.shape == sm.stft(ex["mixture"][:8000]).shape and np.all(np.isfinite(M))
    assert np.iscomplexobj(M) == learn.MASK_KINDS[kind][0]
    assert learn.separate_with_model(model, ex["mixture"][:8000]).shape == (8000,)


@pytest.mark.parametrize("kind", ["mag_mapping", "complex_mapping"])
def test_mapping_target_gives_back_the_clean_spectrum(kind, pair):
    """A mapping model that outputs exactly its training target rebuilds |S| (with Y's phase) or S."""
    _, S, Y = pair
    model = _tiny("crn", kind)
    target = learn.models.training_target(S, Y, kind)[None].double()
    Yt = ldata.stft_to_tensor(Y)[None].double()
    estimate = model.estimate_spectrum(target, Yt)[0].numpy()
    expected = (np.abs(S) * np.exp(1j * np.angle(Y))) if kind == "mag_mapping" else S
    np.testing.assert_allclose(estimate[0] + 1j * estimate[1], expected, atol=1e-6 * np.abs(S).max())
    mask = model.output_to_mask(target, Yt)[0].numpy()
    applied = sm.apply_mask(Y, mask if mask.ndim == 2 else mask[0] + 1j * mask[1])
    np.testing.assert_allclose(applied, expected, atol=1e-6 * np.abs(S).max())
    with pytest.raises(sm.SpecmaskInputError, match="mixture"):
        model.output_to_mask(target)


def test_compressed_loss_is_zero_at_the_target_and_uses_si_sdr(pair):
    ex, S, _ = pair
    St = ldata.stft_to_tensor(S)[None].double()
    assert compressed_loss(St, St, weights=(30.0, 70.0, 0.0)).item() == pytest.approx(0.0, abs=1e-12)
    assert compressed_loss(St, St).item() < -9.0   # perfect estimate: SI-SDR is high, the term is -SI-SDR/10
    # the SI-SDR term is the package's SI-SDR
    s = torch.from_numpy(ex["target"])[None]
    noisy = s + 0.1 * torch.from_numpy(np.random.default_rng(0).standard_normal(s.shape[1]))
    assert si_sdr_torch(noisy, s).item() == pytest.approx(sm.si_sdr(noisy[0].numpy(), ex["target"]), abs=1e-6)
    # compression: |X|^0.3 with the phase of X
    re, im, mag = compress_spectrum(torch.tensor([3.0, 0.0]), torch.tensor([4.0, 0.0]))
    assert mag[0].item() == pytest.approx(5 ** 0.3, rel=1e-6) and mag[1].item() < 0.02 and re[1] == im[1] == 0
    assert (re[0] / im[0]).item() == pytest.approx(0.75, rel=1e-6)
    with pytest.raises(sm.SpecmaskInputError, match="batch, 2"):
        compressed_loss(St[:, 0], St[:, 0])


def test_best_mask_from_magnitudes_is_nearly_real(pair):
    _, S, Y = pair
    result = learn.evaluate.__globals__["best_mask_from_magnitudes"](S, Y)
    assert result["im_over_re"] < 0.15
    cirm = sm.complex_ideal_ratio_mask(S, Y)
    assert np.abs(cirm.imag).sum() / np.abs(cirm.real).sum() > 0.5   # the true cIRM is far from real


# --------------------------------------------------------------------------- training options


BAD_TRAIN_OPTIONS = [
    ({"lr": 0.0}, "lr"), ({"lr": -1e-3}, "lr"), ({"lr": float("nan")}, "lr"), ({"lr": "fast"}, "lr"),
    ({"weight_decay": -0.1}, "weight_decay"), ({"weight_decay": float("inf")}, "weight_decay"),
    ({"grad_clip": -1.0}, "backwards"), ({"grad_clip": 0.0}, "grad_clip"), ({"grad_clip": "5"}, "grad_clip"),
    ({"epochs": 0}, "epochs"), ({"epochs": 2.5}, "epochs"), ({"epochs": True}, "epochs"), ({"epochs": "3"}, "epochs"),
    ({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"), ({"n_items": -4}, "n_items"), ({"batch_size": 0}, "batch_size"),
    ({"heldout_items": -1}, "heldout_items"), ({"max_seconds": -5}, "max_seconds"),
    ({"num_threads": 0}, "num_threads"), ({"segment_seconds": 0}, "segment_seconds"),
    ({"loss": "l1"}, "loss"), ({"loss": 3}, "loss"), ({"signal_kind": "phase"}, "signal_kind"),
    ({"snr_range": "0 to 5"}, "snr_range"),
]


@pytest.mark.parametrize("change,phrase", BAD_TRAIN_OPTIONS)
def test_bad_training_options_are_explained(change, phrase):
    with pytest.raises(sm.SpecmaskInputError, match=phrase):
        learn.TrainConfig(**change)
    with pytest.raises(sm.SpecmaskInputError, match=phrase):
        learn.TrainConfig.fast(**change)


def test_model_settings_are_checked():
    for change, phrase in [({"channels": 0}, "channels"), ({"K": -1}, "K"), ({"C": "x"}, "C"),
                           ({"hidden": 10**6}, "too large"), ({"bidirectional": "yes"}, "bidirectional"),
                           ({"features": "phase"}, "features"), ({"arch": "crn", "n_fft": 8}, "n_fft")]:
        with pytest.raises(sm.SpecmaskInputError, match=phrase):
            learn.ModelConfig(**change)


def test_threads_follow_the_cgroup_quota(tmp_path):
    quota = tmp_path / "cpu.max"
    quota.write_text("100000 100000\n")       # a 1-CPU container limit
    assert learn.train.__globals__["cgroup_cpu_limit"](quota) == 1.0
    assert learn.available_cpus(quota) == 1
    assert learn.set_threads(None, cpu_max_path=quota) == 1 and torch.get_num_threads() == 1
    quota.write_text("150000 100000\n")       # 1.5 CPUs: one whole CPU
    assert learn.available_cpus(quota) == 1
    quota.write_text("max 100000\n")          # no limit: the cores this process may run on
    cores = learn.available_cpus(quota)
    assert cores >= 1 and learn.available_cpus(tmp_path / "missing") == cores
    quota.write_text("garbage")
    assert learn.available_cpus(quota) == cores
    quota.write_text("800000 100000\n")       # 8 CPUs allowed, but never more than the cores we have
    assert learn.available_cpus(quota) == cores


# --------------------------------------------------------------------------- checkpoints


def test_save_model_refuses_a_folder(tmp_path):
    model = _tiny("mlp", "psm", "logmag")
    with pytest.raises(sm.SpecmaskInputError, match="folder"):
        learn.save_model(model, tmp_path)
    assert learn.save_model(model, tmp_path / "m.pt").is_file()


def test_load_model_checks_config_against_weights(tmp_path):
    model = _tiny("gru", "psm", "logmag")
    path = learn.save_model(model, tmp_path / "m.pt")
    checkpoint = torch.load(path, weights_only=True)
    wrong = dict(checkpoint, config=dict(checkpoint["config"], hidden=24))   # settings of another model
    torch.save(wrong, tmp_path / "wrong.pt")
    with pytest.raises(sm.SpecmaskInputError, match="do not fit"):
        learn.load_model(tmp_path / "wrong.pt")
    torch.save({k: v for k, v in checkpoint.items() if k != "state_dict"}, tmp_path / "nostate.pt")
    with pytest.raises(sm.SpecmaskInputError, match="state_dict"):
        learn.load_model(tmp_path / "nostate.pt")
    torch.save(dict(checkpoint, config=dict(checkpoint["config"], arch="transformer")), tmp_path / "arch.pt")
    with pytest.raises(sm.SpecmaskInputError, match="arch"):
        learn.load_model(tmp_path / "arch.pt")


# --------------------------------------------------------------------------- pretrained models


def test_torch_install_advice_per_platform():
    cpu = learn.torch_install_advice(system="Linux", gpu=False, colab=False)
    assert cpu["command"] == "python -m pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"
    assert cpu["notebook"].startswith("%pip install torch==2.13.0 --index-url")
    for system in ("Darwin", "Windows"):
        assert learn.torch_install_advice(system=system, colab=False)["command"] == "python -m pip install torch==2.13.0"
    assert "index-url" not in learn.torch_install_advice(system="Linux", gpu=True, colab=False)["command"]
    assert learn.torch_install_advice(colab=True)["command"] == ""


def test_pretrained_models_are_listed_and_small():
    names = learn.list_pretrained()
    assert names, "no pretrained models shipped in specmask_edu/learn/pretrained/"
    for name in names:
        record = learn.pretrained_record(name)
        path = pretrain.PRETRAINED_DIR / f"{name}.pt"
        assert path.stat().st_size <= 2 * 1024 * 1024
        assert record["size_bytes"] == path.stat().st_size
        assert record["sha256"] == pretrain._sha256(path.read_bytes())     # the record matches the weights
        for key in ("model", "train", "data", "steps", "seed", "losses", "heldout"):
            assert key in record, (name, key)
        assert set(record["heldout"]) == {"-5", "0", "5"}


def test_pretrained_records_describe_todays_split_with_recorded_material():
    """The shipped models were trained on the split the package has now: recorded voices and recorded noises in
    training, and scored on a recorded voice and a recorded noise that training never saw."""
    today = json.loads(json.dumps({split: learn.split_clips(split) for split in ("train", "heldout")}))
    for name in learn.list_pretrained():
        data = learn.pretrained_record(name)["data"]
        assert {split: data[split] for split in ("train", "heldout")} == today, name
    def recorded(names):
        return {n for n in names if sm.example_info(n)["source"] == "recorded"}
    assert recorded(today["train"]["speech"]) and recorded(today["train"]["noise"])
    assert {"speech_awb_1", "speech_slt_1"} <= recorded(today["heldout"]["speech"])
    assert "water_stream" in today["heldout"]["noise"] and "water_stream" not in today["train"]["noise"]


def test_pretrained_models_separate_a_heldout_clip():
    ex = learn.heldout_examples(snr_db=0.0, noises=["pink_noise"], speech=["speech_scottish_1"])[0]
    for name in learn.list_pretrained():
        model = learn.load_pretrained(name)
        assert not model.training and model.pretrained_record["name"] == name
        estimate = learn.separate_with_model(model, ex["mixture"])
        assert sm.si_sdr(estimate, ex["target"]) > sm.si_sdr(ex["mixture"], ex["target"]) + 1.0, name


def test_tampered_or_wrong_pretrained_files_are_refused(tmp_path, monkeypatch):
    name = learn.list_pretrained()[0]
    folder = tmp_path / "pretrained"
    shutil.copytree(pretrain.PRETRAINED_DIR, folder)
    monkeypatch.setattr(pretrain, "PRETRAINED_DIR", folder)
    assert learn.load_pretrained(name).pretrained_record["name"] == name
    data = bytearray((folder / f"{name}.pt").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / f"{name}.pt").write_bytes(bytes(data))
    with pytest.raises(sm.SpecmaskInputError, match="SHA-256"):
        learn.load_pretrained(name)
    (folder / f"{name}.pt").write_bytes(b"not a model")
    record = json.loads((folder / f"{name}.json").read_text())
    record["sha256"] = pretrain._sha256(b"not a model")                    # hash fits, content does not
    (folder / f"{name}.json").write_text(json.dumps(record))
    with pytest.raises(sm.SpecmaskInputError, match="cannot be read"):
        learn.load_pretrained(name)
    (folder / f"{name}.json").write_text("{broken")
    with pytest.raises(sm.SpecmaskInputError, match="training record"):
        learn.load_pretrained(name)
    with pytest.raises(sm.SpecmaskInputError, match="No pretrained model"):
        learn.load_pretrained("gpt5")


def test_pretrain_script_writes_weights_and_a_matching_record(tmp_path, monkeypatch):
    monkeypatch.setitem(pretrain.RECIPES, "tiny", ("a tiny test model", dict(arch="crn", mask="cirm", features="compressed",
                                                                            hidden=8, layers=1, channels=2),
                                                   dict(loss="compressed", epochs=1, n_items=8, batch_size=4,
                                                        segment_seconds=0.5, heldout_items=0)))
    monkeypatch.setattr(pretrain, "heldout_scores", lambda model: {s: {"model": {"SI-SDRi": 0.0, "SNR": 0.0}} for s in ("-5", "0", "5")})
    record = pretrain.train_pretrained("tiny", out_dir=tmp_path, minutes=1.0)
    assert record["steps"] == 2 and record["seed"] == 0
    on_disk = json.loads((tmp_path / "tiny.json").read_text())
    assert on_disk == json.loads(json.dumps(record))
    assert record["sha256"] == pretrain._sha256((tmp_path / "tiny.pt").read_bytes())
    model = pretrain._load_checked(tmp_path / "tiny.pt", record, "tiny")
    assert model.config.to_dict() == record["model"] and next(model.parameters()).dtype == torch.float32
    with pytest.raises(sm.SpecmaskInputError, match="recipe"):
        pretrain.train_pretrained("nope", out_dir=tmp_path)


# --------------------------------------------------------------------------- the polar mask

def test_polar_crn_starts_as_the_psm_crn_and_its_mask_is_bounded(pair):
    _, S, Y = pair
    settings = dict(arch="crn", features="compressed", hidden=16, layers=1, channels=4, seed=3)
    psm, polar = learn.build_model(mask="psm", **settings), learn.build_model(mask="polar", **settings)
    x = ldata.stft_to_tensor(Y)[None]
    with torch.no_grad():
        m_psm, m_polar = psm.output_to_mask(psm(x)), polar.output_to_mask(polar(x))
    torch.testing.assert_close(m_polar[:, 0], m_psm)              # same gain ...
    assert float(m_polar[:, 1].abs().max()) == 0.0                 # ... and no rotation before training
    with torch.no_grad():                                          # a trained rotation stays a bounded mask
        polar.body.out.bias[1] = 0.7
        m = polar.output_to_mask(polar(x))
    magnitude = torch.sqrt(m[:, 0] ** 2 + m[:, 1] ** 2)
    assert float(magnitude.max()) <= 1.0 and float(m[:, 1].abs().max()) > 0.1
    # its training target: the cIRM with the magnitude clipped to 1, the true rotation kept
    target = learn.models.training_target(S, Y, "polar").numpy()
    M = target[0] + 1j * target[1]
    cirm = sm.complex_ideal_ratio_mask(S, Y)
    assert np.abs(M).max() <= 1.0 + 1e-6
    big = np.abs(cirm) > 1e-3
    np.testing.assert_allclose(np.angle(M[big] * np.conj(cirm[big])), 0.0, atol=1e-4)
