"""``teach matrix-calculus``: notes 002's five rules against finite differences."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON, SEED
from embedlab.cli.teach._show import say, table, vec


@lesson(
    "matrix-calculus",
    notes="002",
    order=50,
    summary="∂z/∂x = W, Wᵀ, diag(f′(x)) and ∂L/∂W, checked by numbers",
)
def matrix_calculus_command(
    n: Annotated[int, typer.Option("--n", help="Length of x.")] = 3,
    m: Annotated[int, typer.Option("--m", help="Length of z.")] = 2,
    seed: SEED = 0,
    eps: Annotated[float, typer.Option("--eps", help="Finite-difference step.")] = 1e-6,
    digits: DIGITS = 4,
    as_json: JSON = False,
) -> None:
    """Each rule's matrix beside central differences of the function itself.

    z = Wx: ∂z/∂x = W. z = xW: ∂z/∂x = Wᵀ. z = f(x) elementwise: diag(f′(x)) (f = σ). z = Wx,
    L = f(z): ∂L/∂W = (∂L/∂z)ᵀxᵀ. z = xW: ∂L/∂W = xᵀ(∂L/∂z). The scalar L is the softmax
    cross-entropy −log softmax(z)[0]; x and W are random (--seed), as the notes give none.
    """
    from embedlab.teach.matrix_calculus import matrix_calculus_lesson

    result = matrix_calculus_lesson(n=n, m=m, seed=seed, eps=eps)
    if as_json:
        print_json(result)
        return
    say(f"x = {vec(result['x'], digits)}")
    for rule in result["rules"]:
        body = [
            [i + 1, vec(a, digits), vec(b, digits)]
            for i, (a, b) in enumerate(zip(rule["analytic"], rule["numeric"], strict=True))
        ]
        console.print(
            table(
                f"{rule['rule']} = {rule['formula']} ({rule['shape'][0]} × {rule['shape'][1]})",
                ["row", rule["formula"], "finite differences"],
                body,
            )
        )
        say(f"largest difference {rule['max_abs_error']:.1e}")
    say(f"every rule holds to {result['max_abs_error']:.1e} (h = {result['eps']:g})")
