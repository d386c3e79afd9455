"""Signatures of estimators that take a few parameters of their own and forward ``**params``.

``train()`` reads an estimator's signature to name options it does not take, so a subclass
whose ``__init__`` ends in ``**params`` must list the forwarded parameters too.
"""

from __future__ import annotations

import inspect


def forwarding_signature(own_init, base_init) -> inspect.Signature:
    """``own_init``'s own parameters followed by ``base_init``'s, without ``self``/``**params``."""
    own = [
        p
        for p in inspect.signature(own_init).parameters.values()
        if p.name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    base = [p for p in inspect.signature(base_init).parameters.values() if p.name != "self"]
    return inspect.Signature([*own, *base])
