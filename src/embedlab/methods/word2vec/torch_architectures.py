"""Skip-gram and CBOW for the PyTorch backend: one training step on a batch of windows.

A step gathers the rows it needs (``W[contexts]``, ``C[samples]``), takes the objective's loss
and its gradient for those gathered copies only, and moves the touched rows with
``index_add_``: SGD with sparse row updates, never a dense |V| x dim gradient. Within one
window the updates add up (Ji et al.'s per-window product). A row touched by several windows
of the batch moves by the sum of their updates scaled by ``sequential_factor`` (``descend``):
what k sequential SGD steps would give on the row's local quadratic along the summed step,
which is the plain sum for a row touched once or at low curvature and at most a Newton step for
a frequent row, where the plain sum diverged and the mean under-trained.
The objective is any backend class of the registry (``Objective.backend("torch")``) that gives
its loss and its ``curvature`` (the second derivative in each score); the architecture only
decides which hidden vectors predict which target.
"""

from __future__ import annotations

from dataclasses import dataclass

from embedlab.methods.torch_support.device import torch


@dataclass
class WindowBatch:
    """Centre words ``centres`` (G,), their window ``contexts`` (G, 2 * window) and ``mask``
    (G, 2 * window; False where the window is shorter or reaches past its piece)."""

    centres: torch.Tensor
    contexts: torch.Tensor
    mask: torch.Tensor


def predict(C, h, samples, weight, objective, alpha: float):
    """Score ``h`` (G, m, d) against ``samples`` (G, s) with ``objective``, move their output
    rows at once; return the loss (a 0-d tensor), the loss's gradient for ``h`` and the
    function giving its curvature along directions ``u`` (G, m', d) of the hidden vectors'
    rows, (G, m'): what ``descend`` needs for the input rows."""
    h = h.detach().requires_grad_()
    rows = C[samples].requires_grad_()  # indexing copies: the gradient is the batch's rows only
    with torch.enable_grad():
        z = torch.bmm(h, rows.transpose(1, 2))  # the scores, once for the loss and curvature
        loss = objective.loss(z, weight)
        grad_h, grad_rows = torch.autograd.grad(loss, (h, rows))
    h, rows = h.detach(), rows.detach()
    q = objective.curvature(z.detach(), weight)  # (G, m, s): d2 loss / d score2, 0 unused
    used = weight.sum(dim=1) > 0  # (G, s): padding and dropped noise words move nothing

    def along_rows(u):  # an output row's loss is sum_m loss(h_m . c): curvature sum_m q (h_m . u)^2
        full = torch.zeros_like(rows)
        full[used] = u
        return (q * torch.bmm(h, full.transpose(1, 2)).square()).sum(dim=1)[used]

    descend(C, samples[used], grad_rows[used], alpha, along_rows)
    return loss.detach(), grad_h, lambda u: (q * torch.bmm(u, rows.transpose(1, 2)).square()).sum(2)


def descend(M, index, grad, alpha: float, curvature) -> None:
    """Move each row ``r`` of ``M`` by ``-alpha * f * sum_{i: index[i] = r} grad[i]``, with ``f``
    the ``sequential_factor`` of its k entries.

    ``curvature(u)`` gives, for unit directions ``u`` (one per entry, its row's summed step),
    each entry's loss curvature along ``u``. The Numba kernel takes a row's k steps one after
    another, each seeing the last, so a frequent row (the target of many windows, everybody's
    noise word) slows down as its scores saturate; k steps at the same point do not, and their
    plain sum diverged (NaN vectors) on enmix and the bundled sample at batch_size 1024 and the
    sized rate, 0.1, while the mean moved such a row one step a batch and under-trained
    (architecture.md has the measurements).
    """
    rows, where = torch.unique(index, return_inverse=True)
    step = torch.zeros((rows.numel(), M.shape[1]), dtype=M.dtype, device=M.device)
    step.index_add_(0, where, grad)
    unit = step / step.norm(dim=1, keepdim=True).clamp(min=torch.finfo(M.dtype).tiny)
    along = torch.zeros(rows.numel(), dtype=M.dtype, device=M.device)
    along.index_add_(0, where, curvature(unit[where]))
    touches = torch.bincount(where, minlength=rows.numel()).to(M.dtype)
    factor = sequential_factor(touches, alpha * along / touches)
    M.index_add_(0, rows, step * factor[:, None], alpha=-alpha)


def sequential_factor(k, a):
    """``(1 - (1 - a)^k) / (k a)``: k SGD steps of equal gradients ``g`` on a quadratic of
    curvature ``a / alpha`` a step move by ``-alpha k g`` times this (the sum of the geometric
    series of the shrinking steps). 1 for k = 1 or a -> 0 (the plain sum), ``1 / (k a)`` for a
    large k (a Newton step, bounded). ``a`` is clipped to 1, the mean: past it one step would
    already overshoot, and the mean is the most a step is damped."""
    a = a.clamp(max=1.0)
    small = a < 1e-6  # the series' limit, where the division loses its digits
    safe = torch.where(small, torch.ones_like(a), a)
    return torch.where(small, torch.ones_like(a), (1 - (1 - safe) ** k) / (k * safe))


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
    loss, grad_h, along = predict(C, W[inputs], samples, weight, objective, alpha)
    descend(W, inputs[mask], grad_h[mask], alpha, lambda u: along(_slots(u, mask))[mask])
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
    loss, grad_h, along = predict(C, h, samples, valid[:, None, :].to(W.dtype), objective, alpha)
    spread = grad_h.expand(-1, batch.mask.shape[1], -1)[batch.mask]
    # each context row moves h by its own step: the curvature of h's prediction along it
    descend(W, batch.contexts[batch.mask], spread, alpha,
            lambda u: along(_slots(u, batch.mask))[batch.mask])  # fmt: skip
    return loss, torch.tensor(batch.centres.numel(), device=W.device)


def _slots(values, mask):
    """``values`` (one row per True of ``mask``) placed in a zero (*mask.shape, d) tensor."""
    full = values.new_zeros((*mask.shape, values.shape[-1]))
    full[mask] = values
    return full
