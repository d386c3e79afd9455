"""Signatures of estimators that take a few parameters of their own and forward ``**params``.

An estimator's signature is the declaration of its parameters (``methods/params.py``), so a
subclass whose ``__init__`` ends in ``**params`` must list the forwarded parameters too.
"""

from __future__ import annotations

import inspect


def forwarding_signature(own_init, base_init) -> inspect.Signature:
    """``base_init``'s parameters followed by ``own_init``'s, without ``self``/``**params``.

    A base parameter that ``own_init`` lists again (to give it another default) appears once,
    as ``own_init`` declares it. Annotations are evaluated, so their checks can be read.
    """
    own = [
        p
        for p in inspect.signature(own_init, eval_str=True).parameters.values()
        if p.name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    names = {p.name for p in own}
    base = [
        p
        for p in inspect.signature(base_init, eval_str=True).parameters.values()
        if p.name != "self" and p.name not in names
    ]
    return inspect.Signature([*base, *own])
