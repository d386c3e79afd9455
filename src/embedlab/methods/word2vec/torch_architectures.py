"""Skip-gram and CBOW for the PyTorch backend: one training step on a batch of windows.

A step gathers the rows it needs (``W[contexts]``, ``C[samples]``), takes the objective's loss
and its gradient for those gathered copies only, and adds ``-alpha`` times the gradient back
into the touched rows with ``index_add_``: SGD with sparse row updates, never a dense
|V| x dim gradient. Within one window the updates add up (Ji et al.'s per-window product); a
row touched by several windows of the batch moves by the mean of their updates (``descend``).
The objective is any backend class of the registry (``Objective.backend("torch")``); the
architecture only decides which hidden vectors predict which target.
"""

from __future__ import annotations

from dataclasses import dataclass

from embedlab.methods.neural.device import torch


@dataclass
class WindowBatch:
    """Centre words ``centres`` (G,), their window ``contexts`` (G, 2 * window) and ``mask``
    (G, 2 * window; False where the window is shorter or reaches past its piece)."""

    centres: torch.Tensor
    contexts: torch.Tensor
    mask: torch.Tensor


def predict(C, h, samples, weight, objective, alpha: float):
    """Score ``h`` (G, m, d) against ``samples`` (G, s) with ``objective``, move their output
    rows at once; return the loss (a 0-d tensor) and the loss's gradient for ``h``."""
    h = h.detach().requires_grad_()
    rows = C[samples].requires_grad_()  # indexing copies: the gradient is the batch's rows only
    with torch.enable_grad():
        loss = objective.loss(h, rows, weight)
        grad_h, grad_rows = torch.autograd.grad(loss, (h, rows))
    used = weight.sum(dim=1) > 0  # (G, s): padding and dropped noise words move nothing
    descend(C, samples[used], grad_rows[used], alpha)
    return loss.detach(), grad_h


def descend(M, index, grad, alpha: float) -> None:
    """``M[index[i]] -= alpha * grad[i]``, each row moved by the MEAN of its entries.

    A row a batch touches k times (a frequent word: the target of many windows, everybody's
    noise word) would otherwise move k steps computed at the same point, where the Numba kernel
    takes k steps each seeing the last; that sum diverged (NaN vectors) on the bundled sample
    corpus at batch_size 1024 and its sized rate, 0.1. The mean moves every row at most one
    step's worth per batch (what a GPU Hogwild kernel's lost colliding writes approximate) and
    leaves a row touched once, the rare words', exactly the Numba update.
    """
    counts = torch.bincount(index, minlength=M.shape[0]).to(grad.dtype)
    M.index_add_(0, index, grad / counts[index, None], alpha=-alpha)


def skipgram(W, C, batch: WindowBatch, objective, alpha: float, gen, shared: bool):
    """Every context word's input row predicts the centre word (word2vec.c's order).

    With ``shared`` the context words of one centre share its negatives, one group of the
    batched product per centre (Ji et al. 2016's window batch, and the Numba kernel's default);
    otherwise every (context, centre) pair is its own group with its own negatives. Returns
    (loss sum, predictions), both 0-d tensors.
    """
    centres, inputs, mask = batch.centres, batch.contexts, batch.mask
    if not shared:
        centres = centres[:, None].expand_as(inputs)[mask]
        inputs = inputs[mask][:, None]
        mask = torch.ones_like(inputs, dtype=torch.bool)
    samples, valid = objective.draw(centres, gen)
    weight = (mask[:, :, None] & valid[:, None, :]).to(W.dtype)
    loss, grad_h = predict(C, W[inputs], samples, weight, objective, alpha)
    descend(W, inputs[mask], grad_h[mask], alpha)
    return loss, mask.sum()


def cbow(W, C, batch: WindowBatch, objective, alpha: float, gen, mean: bool):
    """The sum (or ``mean``) of the context rows predicts the centre word; the whole gradient
    of that hidden vector goes to every context row, for the mean too, as word2vec.c and the
    Numba kernel do. Returns (loss sum, predictions), both 0-d tensors."""
    present = batch.mask.to(W.dtype)[:, :, None]
    h = (W[batch.contexts] * present).sum(dim=1, keepdim=True)
    if mean:
        h = h / present.sum(dim=1, keepdim=True)
    samples, valid = objective.draw(batch.centres, gen)
    loss, grad_h = predict(C, h, samples, valid[:, None, :].to(W.dtype), objective, alpha)
    spread = grad_h.expand(-1, batch.mask.shape[1], -1)[batch.mask]
    descend(W, batch.contexts[batch.mask], spread, alpha)
    return loss, torch.tensor(batch.centres.numel(), device=W.device)
