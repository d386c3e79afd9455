"""A minimal reverse-mode autograd on NumPy arrays, the notes' (004) backprop algorithm as code.

Forward: each operation computes its value from its parents and remembers how to pass a gradient
back. Backward: visit the nodes in reverse topological order; each node's gradient is the sum
over its children of (child's gradient) x (the child's local derivative), exactly the notes'
``dL/dv_i = sum_j dL/dv_j dv_j/dv_i``. Only what the lessons need: matmul, elementwise
add/subtract/multiply, sigmoid, square, sum and scaling by a constant.
"""

from __future__ import annotations

import numpy as np


class Node:
    """A value in the computation graph; ``grad`` is filled by :func:`backward`."""

    def __init__(self, value, parents=(), local=None):
        self.value = np.asarray(value, dtype=np.float64)
        self.parents = parents
        # local(grad_of_self) -> one gradient per parent
        self.local = local
        self.grad = np.zeros_like(self.value)

    def __matmul__(self, other):
        return Node(
            self.value @ other.value,
            (self, other),
            lambda g: (g @ other.value.T, self.value.T @ g),
        )

    def __add__(self, other):
        return Node(self.value + other.value, (self, other), lambda g: (g, g))

    def __sub__(self, other):
        return Node(self.value - other.value, (self, other), lambda g: (g, -g))

    def __mul__(self, other):
        return Node(
            self.value * other.value,
            (self, other),
            lambda g: (g * other.value, g * self.value),
        )


def sigmoid(x: Node) -> Node:
    s = 1.0 / (1.0 + np.exp(-x.value))
    return Node(s, (x,), lambda g: (g * s * (1.0 - s),))


def square(x: Node) -> Node:
    return Node(x.value**2, (x,), lambda g: (2.0 * x.value * g,))


def total(x: Node) -> Node:
    """The sum of every entry (a scalar node)."""
    return Node(x.value.sum(), (x,), lambda g: (np.full_like(x.value, g),))


def scale(x: Node, factor: float) -> Node:
    return Node(x.value * factor, (x,), lambda g: (g * factor,))


def backward(out: Node) -> None:
    """Fill ``grad`` of every node ``out`` depends on, with ``d out / d node``."""
    order, seen = [], set()

    def visit(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        for parent in node.parents:
            visit(parent)
        order.append(node)

    visit(out)
    for node in order:
        node.grad = np.zeros_like(node.value)
    out.grad = np.ones_like(out.value)
    for node in reversed(order):
        if node.local is None:
            continue
        for parent, g in zip(node.parents, node.local(node.grad), strict=True):
            parent.grad = parent.grad + g
