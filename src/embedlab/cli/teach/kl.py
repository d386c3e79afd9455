"""``teach kl``: notes 004's KL(p‖q) = H(p, q) − H(p), checked by sums."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON, NS_EXPONENT
from embedlab.cli.teach._show import num, say, table, vec
from embedlab.cli.teach.sigmoid import numbers
from embedlab.teach.kl import DEFAULT_MU, DEFAULT_SIGMA

_COLUMNS = ["direction", "H(p, q)", "H(p)", "H(p, q) − H(p)", "Σ p ln(p/q)"]


@lesson("kl", notes="004", order=40, summary="KL(p‖q) = H(p, q) − H(p), by sums, both ways")
def kl_command(
    p: Annotated[str | None, typer.Option("--p", help="A distribution, comma-separated.")] = None,
    q: Annotated[str | None, typer.Option("--q", help="Another, over the same outcomes.")] = None,
    mu: Annotated[
        str, typer.Option("--mu", help="The encoder's mean μ, one number per dimension.")
    ] = ",".join(f"{v:g}" for v in DEFAULT_MU),
    sigma: Annotated[
        str, typer.Option("--sigma", help="Its standard deviation σ per dimension.")
    ] = ",".join(f"{v:g}" for v in DEFAULT_SIGMA),
    exponent: NS_EXPONENT = 0.75,
    digits: DIGITS = 6,
    as_json: JSON = False,
) -> None:
    """Cross-entropy, entropy and KL, each summed on its own, for two pairs of distributions.

    Discrete: notes 001's sentence "The dog was chased by a white cat as it was", its unigram
    distribution against word2vec's noise (count^--ns-exponent), or --p and --q. Gaussian: the
    notes' VAE prior N(0, I) against N(μ, σ²) (the notes give no μ or σ: --mu, --sigma), as
    sums on a fine grid beside the closed form.
    """
    from embedlab.teach.kl import kl_lesson

    result = kl_lesson(
        numbers(p, "p", "--p 0.5,0.25,0.25"),
        numbers(q, "q", "--q 0.4,0.4,0.2"),
        numbers(mu, "mu", "--mu=1,-0.5"),
        numbers(sigma, "sigma", "--sigma 0.5,2"),
        exponent=exponent,
    )
    if as_json:
        print_json(result)
        return
    discrete = result["discrete"]
    first, second = discrete["names"]
    console.print(
        table(
            f"p = {first}, q = {second}",
            ["outcome", "p", "q"],
            [
                [w, num(a, digits), num(b, digits)]
                for w, a, b in zip(discrete["outcomes"], discrete["p"], discrete["q"], strict=True)
            ],
        )
    )
    console.print(table("by sums over the outcomes", _COLUMNS, _rows(discrete, digits)))
    gaussian = result["gaussian"]
    say(
        f"the notes' prior N(0, I) and N(μ, σ²) with μ = {vec(gaussian['mu'], 3)}, σ = "
        f"{vec(gaussian['sigma'], 3)}"
    )
    console.print(
        table(
            f"by sums on a grid ({gaussian['points']:,} points a dimension)",
            [*_COLUMNS, "closed form"],
            [
                [*row, num(d["closed_form"], digits)]
                for row, d in zip(_rows(gaussian, digits), gaussian["directions"], strict=True)
            ],
        )
    )
    say(
        f"H(p, q) − H(p) and KL agree to {result['max_abs_error']:.1e}; the two directions "
        "differ: KL is not symmetric"
    )


def _rows(part: dict, digits: int) -> list[list[str]]:
    return [
        [d["name"], *(num(d[k], digits) for k in ("cross_entropy", "entropy", "difference", "kl"))]
        for d in part["directions"]
    ]
