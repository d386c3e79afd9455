"""The encoders' sparse reconstruction against NumPy written from the formulas: the squared
loss through the decoder's Gram matrix, the sampled normaliser of the multinomial loss, and the
VAE's KL schedule and free bits."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

torch = pytest.importorskip("torch")

import embedlab  # noqa: E402
from embedlab.methods.neural.autoencoder import Autoencoder, Rows, sampled_log_norm  # noqa: E402
from embedlab.methods.neural.inputs import row_batch  # noqa: E402
from embedlab.methods.neural.vae import VAE  # noqa: E402

V, DIM = 30, 3


def _rows(seed=0, n=4, density=0.3):
    """A few non-negative sparse rows (one of them empty) as CSR, float32."""
    rng = np.random.default_rng(seed)
    dense = rng.random((n, V)) * (rng.random((n, V)) < density)
    dense[2] = 0.0
    dense = dense.astype(np.float32)
    return sp.csr_matrix(dense), dense.astype(np.float64)


def _params(seed=1):
    rng = np.random.default_rng(seed)
    code = rng.normal(size=(4, DIM))
    decoder, bias = rng.normal(size=(V, DIM)), rng.normal(size=V)
    as_tensor = lambda a: torch.tensor(a, dtype=torch.float64)  # noqa: E731
    return (code, decoder, bias), [None, None, as_tensor(decoder), as_tensor(bias)], as_tensor(code)


def _estimator(loss, reconstruction="sparse"):
    return Autoencoder(loss=loss, reconstruction=reconstruction, device="cpu", threads=1)


def _double(batch):
    batch.values = batch.values.double()
    return batch


def test_sparse_squared_loss_is_the_full_squared_loss():
    matrix, x = _rows()
    (code, decoder, bias), params, code_t = _params()
    batch = _double(row_batch(matrix, np.arange(4), "cpu"))
    by_hand = np.mean(np.sum((code @ decoder.T + bias - x) ** 2, axis=1))
    for reconstruction in ("sparse", "full"):
        loss = _estimator("squared", reconstruction)._reconstruction(params, code_t, batch, None,
                                                                     None)  # fmt: skip
        assert float(loss) == pytest.approx(by_hand, rel=1e-10)


def test_full_multinomial_loss_by_hand():
    matrix, x = _rows()
    (code, decoder, bias), params, code_t = _params()
    batch = _double(row_batch(matrix, np.arange(4), "cpu"))
    scores = code @ decoder.T + bias
    log_z = np.log(np.exp(scores).sum(axis=1))
    per_row = [log_z[r] - x[r] @ scores[r] / x[r].sum() for r in range(4) if x[r].sum() > 0]
    loss = _estimator("multinomial", "full")._reconstruction(params, code_t, batch, None, None)
    assert float(loss) == pytest.approx(sum(per_row) / 4, rel=1e-10)  # the empty row adds 0


def test_the_sampled_normaliser_is_unbiased_and_skips_accidental_hits():
    matrix, x = _rows()
    (code, decoder, bias), params, code_t = _params()
    batch = _double(row_batch(matrix, np.arange(4), "cpu"))
    scores = code @ decoder.T + bias
    exact = np.exp(scores).sum(axis=1)
    q = np.arange(1, V + 1, dtype=np.float64) ** 0.75
    q /= q.sum()
    log_q = torch.tensor(np.log(q))
    at_nonzeros = torch.tensor(scores[matrix.nonzero()])
    rng = np.random.default_rng(2)
    estimates = []
    for _ in range(4000):
        draws = torch.tensor(rng.choice(V, size=8, p=q))
        log_norm = sampled_log_norm(code_t, params[2], params[3], batch, at_nonzeros, draws,
                                    log_q)  # fmt: skip
        estimates.append(np.exp(log_norm.numpy()))
    # E[sum over drawn zero cells of m exp(s) / (S q)] is the zero cells' sum of exps
    assert np.mean(estimates, axis=0) == pytest.approx(exact, rel=0.03)
    # Drawing every column once, with q uniform: each row's estimate is exact, hits counted once
    every = torch.arange(V)
    uniform = torch.full((V,), -np.log(V), dtype=torch.float64)
    log_norm = sampled_log_norm(code_t, params[2], params[3], batch, at_nonzeros, every, uniform)
    assert np.exp(log_norm.numpy()) == pytest.approx(exact, rel=1e-10)


def test_the_sparse_autoencoder_reads_only_the_rows_non_zero_cells(monkeypatch):
    # The decoder's |V| scores per row are never formed by the sparse reconstruction.
    def no_full_decode(*args):
        raise AssertionError("the sparse reconstruction decoded every cell")

    monkeypatch.setattr(Autoencoder, "_decode", no_full_decode)
    sentences = [["car", "bus", "truck", "van"], ["apple", "pear", "plum", "lemon"]] * 50
    for loss in ("multinomial", "squared"):
        emb = embedlab.train(sentences, method="autoencoder", loss=loss, min_count=1, dim=4,
                             epochs=2, batch_size=4, samples=16, device="cpu", threads=1,
                             quiet=True)  # fmt: skip
        assert np.isfinite(emb.vectors).all()


def test_vae_kl_warmup_and_free_bits_by_hand():
    matrix, _ = _rows(n=V)
    batch = row_batch(matrix, np.arange(4), "cpu")
    gen = lambda: torch.Generator().manual_seed(5)  # noqa: E731
    settings = {"dim": 2, "device": "cpu", "threads": 1, "reconstruction": "full"}
    plain = VAE(kl_weight=0.0, **settings)
    params = plain._network(Rows(matrix), gen())
    mu, log_var = (t.detach().numpy().astype(np.float64) for t in plain._encode(params, batch))
    per_dim = 0.5 * (mu**2 + np.exp(log_var) - log_var - 1)  # KL(N(mu, s^2) || N(0, 1))
    kl = per_dim.mean(axis=0)
    rec = float(plain._loss(params, batch, None, gen(), 0.5).detach())
    for weight, warmup, free, position, expected in [
        (0.5, 0.0, 0.0, 0.1, 0.5 * kl.sum()),
        (0.5, 0.4, 0.0, 0.1, 0.5 * 0.25 * kl.sum()),  # a quarter of the way up
        (0.5, 0.4, 0.0, 0.4, 0.5 * kl.sum()),
        (0.5, 0.0, 0.3, 0.1, 0.5 * np.maximum(kl, 0.3).sum()),
    ]:
        vae = VAE(kl_weight=weight, kl_warmup=warmup, free_bits=free, **settings)
        loss = float(vae._loss(params, batch, None, gen(), position).detach())
        assert loss - rec == pytest.approx(expected, abs=1e-6)  # float32 losses near 3


class _Units:
    def __init__(self, units):
        self.units = units


@pytest.mark.parametrize(
    ("cls", "rows", "epochs"),
    # ceil(600 steps x 256 rows / |V|), between 5 (4 for the vae) and 10
    [(Autoencoder, 60_000, 5), (VAE, 60_000, 4), (Autoencoder, 20_000, 8), (VAE, 7_000, 10)],
)
def test_epochs_are_sized_to_the_vocabulary_when_not_given(cls, rows, epochs):
    assert cls(device="cpu")._sized_for(_Units(rows)).epochs == epochs
    assert cls(device="cpu", epochs=2)._sized_for(_Units(rows)).epochs == 2


def test_a_sized_run_records_its_epochs():
    sentences = [["car", "bus", "truck", "van"], ["apple", "pear", "plum", "lemon"]] * 20
    emb = embedlab.train(sentences, method="autoencoder", min_count=1, dim=2, batch_size=4,
                         device="cpu", threads=1, quiet=True)  # fmt: skip
    assert emb.meta["params"]["epochs"] == len(emb.meta["history"]) == 10  # 600 x 4 / 8: capped


def test_a_run_over_a_minute_says_so_once_early(monkeypatch):
    from embedlab.methods.neural import training

    class Bar:
        notes: list = []

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, done, **fields):
            pass

        def note(self, message):
            self.notes.append(message)

    clock = iter([0.0, 1.0, 4.0, 5.0, 6.0])
    monkeypatch.setattr(training.time, "perf_counter", lambda: next(clock))
    with training.Forecast(Bar(), 1000, 100, "vae (3 epochs)") as bar:
        bar.update(110)  # 1 s in: too early to say
        bar.update(120)  # 4 s for 20 of the 900 units left: 180 s in all
        bar.update(130)
    assert Bar.notes == ["vae (3 epochs): about 3 minutes at this rate"]
