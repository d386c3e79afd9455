"""Noise words for the torch methods: the count**exponent distribution, drawn on the device.

Drawn by ``searchsorted`` on the cumulative distribution (float64, so the last words of a
large vocabulary keep their share), which a GPU does in one call for a whole batch.
"""

from __future__ import annotations

import numpy as np

from embedlab.corpus.sampling import noise_distribution
from embedlab.methods.torch_support.device import torch


def noise_cdf(counts, exponent: float, device) -> torch.Tensor:
    """Cumulative noise distribution (count**exponent), float64, for ``draw_noise``."""
    return torch.from_numpy(np.cumsum(noise_distribution(counts, exponent))).to(device)


def draw_noise(cdf: torch.Tensor, shape, gen: torch.Generator) -> torch.Tensor:
    """Word ids drawn from the noise distribution, ``shape`` of them (int64)."""
    u = torch.rand(shape, generator=gen, device=cdf.device, dtype=torch.float64) * cdf[-1]
    return torch.searchsorted(cdf, u, right=True).clamp_(max=cdf.numel() - 1)
