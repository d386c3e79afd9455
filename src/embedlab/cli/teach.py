"""``embedlab teach ...``: the lecture notes' worked examples, as tables or JSON.

Every command computes through ``embedlab.teach`` (itself built on the training code) and only
formats here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.common import table as _plain_table
from embedlab.cli.roles import OUTPUT
from embedlab.errors import EmbedlabError

teach_app = typer.Typer(
    name="teach",
    help="The lecture notes' worked examples, computed step by step by the real code.",
    no_args_is_help=True,
)

JSON = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
DIGITS = Annotated[int, typer.Option("--digits", min=0, max=12, help="Decimals shown in tables.")]
PLOT = Annotated[
    Path | None, typer.Option("--plot", help="Write a picture here (.png or .svg)."), OUTPUT
]
TABLES_OUT = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the resulting tables to STEM.words.txt and STEM.contexts.txt (word2vec "
        "text), which --word-vectors/--context-vectors read back.",
    ),
    OUTPUT,
]
WORD_VECTORS = Annotated[
    Path | None,
    typer.Option("--word-vectors", help="Word (input) vectors file, e.g. word2vec text format."),
]
CONTEXT_VECTORS = Annotated[
    Path | None,
    typer.Option("--context-vectors", help="Context (output) vectors file, same words."),
]


def register(app: typer.Typer) -> None:
    """Add the ``teach`` sub-app to the top-level app."""
    app.add_typer(teach_app, name="teach")


def table(title, columns, rows):
    """A teaching table that never cuts a number on a narrow terminal.

    When the table is wider than the terminal, vector cells are stacked one component per line;
    whatever is still too wide wraps (folds) rather than being cut off with an ellipsis.
    """
    out = _folding_table(title, columns, rows)
    unlimited = console.options.update_width(10**6)
    if console.measure(out, options=unlimited).maximum > console.width:
        stacked = [[_stack(cell) for cell in row] for row in rows]
        out = _folding_table(title, columns, stacked)
        out.pad_edge = False  # the two outer spaces are the last to go before a number would
    return out


def _folding_table(title, columns, rows):
    out = _plain_table(title, columns, rows)
    for i, column in enumerate(out.columns):
        column.overflow = "fold"
        # words and headers may wrap, a number may not: the widest number sets the minimum
        column.min_width = max(
            (len(token) for row in rows for token in str(row[i]).split() if _DIGIT.search(token)),
            default=1,
        )
    return out


_DIGIT = re.compile(r"\d")


def _stack(cell):
    if isinstance(cell, str) and cell.startswith("(") and ", " in cell:
        return cell.replace(", ", ",\n")
    return cell


def _num(value, digits: int) -> str:
    return "-inf" if value is None else f"{value:.{digits}f}"


def _wide(value, digits: int) -> str:
    """``_num``, or powers of ten once fixed decimals would run past a dozen digits."""
    return _num(value, digits) if not abs(value) >= 1e6 else f"{value:.{digits}e}"


def _vec(values, digits: int) -> str:
    return "(" + ", ".join(_num(v, digits) for v in values) + ")"


def _labelled_rows(labels, matrix, digits: int) -> list[list[str]]:
    """One table row per matrix row: its label, then the numbers."""
    return [
        [label, *(_num(v, digits) for v in row)] for label, row in zip(labels, matrix, strict=True)
    ]


def _vectors_table(title: str, vectors: dict, digits: int):
    dim = len(next(iter(vectors.values())))
    return table(
        title,
        ["word", *(f"x{i + 1}" for i in range(dim))],
        _labelled_rows(vectors.keys(), vectors.values(), digits),
    )


@teach_app.command("pairs")
def pairs_command(
    text: Annotated[str, typer.Argument(help="The sentence to slide the window over.")],
    window: Annotated[
        int,
        typer.Option(
            "--window", "-w", help="Words on each side (next-word: how many previous words)."
        ),
    ] = 2,
    mode: Annotated[str, typer.Option("--mode", help="skipgram, cbow or next-word.")] = "skipgram",
    dynamic: Annotated[
        bool, typer.Option("--dynamic", help="word2vec's reduced windows, drawn from --seed.")
    ] = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed for --dynamic.")] = 1,
    as_json: JSON = False,
) -> None:
    """The training examples a sliding window makes, numbered by window."""
    from embedlab.teach.pairs import training_pairs

    rows = training_pairs(text, window=window, mode=mode, dynamic=dynamic, seed=seed)
    if as_json:
        print_json(rows)
        return
    if mode == "skipgram":
        body = [[r["window"], r["source"], r["target"]] for r in rows]
        console.print(
            table(f"skip-gram pairs, window {window}", ["window", "source", "target"], body)
        )
    else:
        body = [[r["window"], ", ".join(r["inputs"]), r["target"]] for r in rows]
        console.print(
            table(f"{mode} examples, window {window}", ["window", "inputs", "target"], body)
        )


WORDS_SUFFIX, CONTEXTS_SUFFIX = ".words.txt", ".contexts.txt"


def _sibling(path: Path, suffix: str, other: str) -> Path | None:
    name = str(path)
    return Path(name[: -len(suffix)] + other) if name.endswith(suffix) else None


def _tables_from(toy: str | None, word_vectors, context_vectors):
    """The tables to start from: vector files when given (the toy then only names the default
    update), else the built-in toy. A STEM.words.txt / STEM.contexts.txt pair written by ``-o``
    may be given by either half."""
    from embedlab.teach.tables import load_tables, toy_tables

    if word_vectors is None and context_vectors is not None:
        word_vectors = _sibling(context_vectors, CONTEXTS_SUFFIX, WORDS_SUFFIX)
    elif context_vectors is None and word_vectors is not None:
        context_vectors = _sibling(word_vectors, WORDS_SUFFIX, CONTEXTS_SUFFIX)
    if (word_vectors is None) != (context_vectors is None):
        raise EmbedlabError(
            "give both --word-vectors and --context-vectors (or one half of a "
            f"STEM{WORDS_SUFFIX} / STEM{CONTEXTS_SUFFIX} pair written by -o)"
        )
    if word_vectors is not None:
        return load_tables(word_vectors, context_vectors)
    return toy_tables(toy or "vehicles-fruits")


def _write_tables(stem: Path, words, word_vectors, context_vectors) -> tuple[str, str]:
    """The two tables as word2vec text files that ``--word-vectors/--context-vectors`` read."""
    import numpy as np

    from embedlab.vectors.embeddings import Embeddings

    paths = (f"{stem}{WORDS_SUFFIX}", f"{stem}{CONTEXTS_SUFFIX}")
    for path, matrix in zip(paths, (word_vectors, context_vectors), strict=True):
        Embeddings(list(words), np.asarray(matrix, dtype=np.float32)).save(path, format="word2vec")
    return paths


def _check_stem(stem: Path | None) -> None:
    from embedlab.fileio import check_output_path

    if stem is not None:
        for suffix in (WORDS_SUFFIX, CONTEXTS_SUFFIX):
            check_output_path(Path(f"{stem}{suffix}"))


#: The notes' two worked updates: (focus, positive, negatives) per built-in toy.
DEFAULT_UPDATES = {
    "vehicles-fruits": ("banana", "lemon", ["firetruck"]),
    "vehicles-fruits-later": ("firetruck", "backhoe", ["crane"]),
}


@teach_app.command("step")
def step_command(
    toy: Annotated[
        str | None,
        typer.Option(
            "--toy",
            help="vehicles-fruits (the notes' start, default) or vehicles-fruits-later (their "
            "'much later' tables): the starting tables and the default update; with vector "
            "files, only the default update.",
        ),
    ] = None,
    word_vectors: WORD_VECTORS = None,
    context_vectors: CONTEXT_VECTORS = None,
    focus: Annotated[str | None, typer.Option("--focus", help="The focus (input) word.")] = None,
    positive: Annotated[
        str | None, typer.Option("--positive", help="The observed context word (label 1).")
    ] = None,
    negative: Annotated[
        list[str] | None,
        typer.Option("--negative", help="A negative context word (label 0); repeatable."),
    ] = None,
    positive_only: Annotated[
        bool, typer.Option("--positive-only", help="No negatives: update on the positive only.")
    ] = False,
    alpha: Annotated[float, typer.Option("--alpha", help="Learning rate.")] = 0.1,
    steps: Annotated[int, typer.Option("--steps", help="Repeat the update this many times.")] = 1,
    output: TABLES_OUT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Negative-sampling SGD updates with every intermediate number (the trainer's routine).

    Each option left out takes the notes' value for --toy (focus, positive, negatives), so
    --alpha 0.5 alone reruns the notes' update with another rate. Chain updates with -o STEM,
    then --word-vectors STEM.words.txt.
    """
    from embedlab.teach.sgd_step import sgns_step

    if toy is not None and toy not in DEFAULT_UPDATES:
        raise EmbedlabError(f"unknown toy {toy!r}: choose one of {', '.join(DEFAULT_UPDATES)}")
    if positive_only and negative:
        raise EmbedlabError("give --negative words or --positive-only, not both")
    _check_stem(output)
    tables = _tables_from(toy, word_vectors, context_vectors)
    default_focus, default_positive, default_negatives = DEFAULT_UPDATES[toy or "vehicles-fruits"]
    focus = default_focus if focus is None else focus
    positive = default_positive if positive is None else positive
    negatives = [] if positive_only else list(negative or default_negatives)
    result = sgns_step(tables, focus, positive, negatives, alpha=alpha, steps=steps)
    if output is not None:
        result["written"] = _write_tables(
            output, tables.words, tables.word_vectors, tables.context_vectors
        )
    if as_json:
        print_json(result)
        return
    several = steps > 1
    body = [
        [
            *([r["step"]] if several else []),
            r["context"],
            r["label"],
            _num(r["z"], digits),
            _num(r["sigma"], digits),
            _num(r["error"], digits),
            _vec(r["delta_focus"], digits),
            _vec(r["delta_context"], digits),
        ]
        for r in result["rows"]
    ]
    console.print(
        table(
            f"focus {focus!r}, alpha {alpha:g}",
            [*(["step"] if several else []), "context", "label", "z", "σ(z)", "E", "Δw", "Δc"],
            body,
        )
    )
    console.print("z = w·c, E = label − σ(z), Δw = α·E·c (old c), Δc = α·E·w")
    console.print(f"[dim]{result['semantics']}[/dim]")
    for s in result["steps"]:
        console.print(
            f"step {s['step']}: Δw_{focus} summed = {_vec(s['delta_focus'], digits)}, "
            f"loss = {_num(s['loss'], digits)}"
        )
    console.print(_vectors_table("word vectors after", result["word_vectors"], digits))
    console.print(_vectors_table("context vectors after", result["context_vectors"], digits))
    _say_written(result.get("written"))


def _say_written(paths) -> None:
    if paths:
        console.print(f"tables written to {paths[0]} and {paths[1]}")


@teach_app.command("train-toy")
def train_toy_command(
    corpus: Annotated[
        Path | None,
        typer.Argument(help="A small text corpus; default: the notes' vehicles/fruits toy."),
    ] = None,
    epochs: Annotated[int, typer.Option("--epochs", help="Passes over the corpus.")] = 200,
    dim: Annotated[int, typer.Option("--dim", help="Vector length (the toy: 2).")] = 2,
    window: Annotated[int, typer.Option("--window", help="Words on each side.")] = 2,
    negative: Annotated[int, typer.Option("--negative", help="Negatives per pair.")] = 2,
    alpha: Annotated[float, typer.Option("--alpha", help="Learning rate.")] = 0.1,
    min_alpha: Annotated[
        float | None,
        typer.Option("--min-alpha", help="Decay alpha linearly to this (default: constant)."),
    ] = None,
    min_count: Annotated[int, typer.Option("--min-count", help="Drop rarer words.")] = 1,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 1,
    plot: PLOT = None,
    output: TABLES_OUT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Train the toy (or a small corpus) with the real skip-gram and show the vectors form.

    -o STEM writes the final tables, which `teach step --word-vectors STEM.words.txt` continues.
    """
    from embedlab.teach.picture import save_toy_picture
    from embedlab.teach.toy_training import train_toy

    _check_plot(plot)
    _check_stem(output)
    result = train_toy(
        corpus,
        epochs=epochs,
        dim=dim,
        window=window,
        negative=negative,
        alpha=alpha,
        min_alpha=min_alpha,
        min_count=min_count,
        seed=seed,
    )
    if output is not None:
        final = result["final"]
        result["written"] = _write_tables(
            output,
            result["words"],
            list(final["word_vectors"].values()),
            list(final["context_vectors"].values()),
        )
    if plot is not None:
        trajectories = result["trajectories"]
        if dim != 2:
            trajectories = _project_2d(trajectories)
        save_toy_picture(
            plot,
            result["words"],
            trajectories,
            result["groups"],
            title=f"skip-gram, {epochs} epochs",
        )
    if as_json:
        print_json({key: value for key, value in result.items() if key != "trajectories"})
        return
    history = result["history"]
    shown = sorted({0, len(history) // 4, len(history) // 2, len(history) - 1})
    expected = "expected_loss" in history[0]
    console.print(
        table(
            "loss per prediction",
            ["epoch", "loss (this epoch's draws)", *(["expected loss"] if expected else [])],
            [
                [
                    history[i]["epoch"],
                    _num(history[i]["loss"], digits),
                    *([_num(history[i]["expected_loss"], digits)] if expected else []),
                ]
                for i in shown
            ],
        )
    )
    console.print(
        _vectors_table("word vectors, much later", result["final"]["word_vectors"], digits)
    )
    console.print(
        _vectors_table("context vectors, much later", result["final"]["context_vectors"], digits)
    )
    console.print(f"[dim]{TOY_LOSS_NOTE}[/dim]")
    _say_written(result.get("written"))
    if plot is not None:
        console.print(f"picture written to {plot}")


TOY_LOSS_NOTE = (
    "Why the loss goes up and down: each epoch is only the toy's pairs with freshly drawn "
    "negatives and windows, and 3 of the 7 words a pair can draw as a negative are of its own "
    "kind, scored about as high as the positive; an epoch that draws more of them reports a "
    "higher loss. The expected loss (those draws averaged exactly) moves much less; what it "
    "does move is the constant alpha, which lets the vectors wander. --min-alpha decays alpha "
    "as word2vec does."
)


def _project_2d(trajectories: dict) -> dict:
    """One PCA plane per table, fitted on the final vectors, applied to every snapshot."""
    from sklearn.decomposition import PCA

    projected = {}
    for key, path in trajectories.items():
        pca = PCA(n_components=2).fit(path[-1])
        projected[key] = [pca.transform(snapshot) for snapshot in path]
    return projected


@teach_app.command("softmax-loss")
def softmax_loss_command(
    word_vectors: WORD_VECTORS = None,
    context_vectors: CONTEXT_VECTORS = None,
    source: Annotated[str, typer.Option("--source", help="The centre (source) word.")] = "Frodo",
    target: Annotated[str, typer.Option("--target", help="The context (target) word.")] = "ring",
    digits: DIGITS = 4,
    as_json: JSON = False,
) -> None:
    """Full-softmax cross-entropy for one pair (default: the notes' Frodo -> ring)."""
    from embedlab.teach.softmax import softmax_loss

    if word_vectors is None and context_vectors is None:
        result = softmax_loss(source=source, target=target)
    else:
        tables = _tables_from(None, word_vectors, context_vectors)
        result = softmax_loss(
            tables.word_vectors, tables.context_vectors, tables.words, source, target
        )
    if as_json:
        print_json(result)
        return
    body = [
        [w, _num(z, digits), _num(e, digits), _num(p, digits), _vec(g, digits)]
        for w, z, e, p, g in zip(
            result["words"],
            result["logits"],
            result["exp_logits"],
            result["probabilities"],
            result["gradient_context"].values(),
            strict=True,
        )
    ]
    console.print(
        table(
            f"p(· | {source}) = softmax(W'·w_{source})",
            ["word", "logit", "exp", "probability", "∂L/∂w'"],
            body,
        )
    )
    console.print(f"ln Σ exp = {_num(result['log_sum_exp'], digits)}")
    console.print(f"loss = −ln p({target} | {source}) = {_num(result['loss'], digits)}")
    console.print(
        f"∂L/∂w_{source} = −(w'_{target} − Σ_j p_j w'_j) = "
        f"{_vec(result['gradient_source'], digits)}"
    )
    grads = result["parameters_with_gradient"]
    console.print(
        f"gradient reaches W row {source!r} ({grads['W']['count']} numbers) and "
        f"{len(grads['W_prime']['rows'])} of {len(result['words'])} rows of W' "
        f"({grads['W_prime']['count']} numbers): every context vector, the source's own included"
    )


@teach_app.command("gradcheck")
def gradcheck_command(
    word_vectors: WORD_VECTORS = None,
    context_vectors: CONTEXT_VECTORS = None,
    focus: Annotated[str | None, typer.Option("--focus", help="Focus word (files).")] = None,
    positive: Annotated[str | None, typer.Option("--positive", help="Context word.")] = None,
    negative: Annotated[
        list[str] | None, typer.Option("--negative", help="A negative word (files); repeatable.")
    ] = None,
    vocab: Annotated[int, typer.Option("--vocab", help="Random vectors: words.")] = 6,
    dim: Annotated[int, typer.Option("--dim", help="Random vectors: dimensions.")] = 4,
    k: Annotated[int, typer.Option("--k", help="Random vectors: negatives per update.")] = 3,
    seed: Annotated[int, typer.Option("--seed", help="Random vectors' seed.")] = 0,
    eps: Annotated[float, typer.Option("--eps", help="Finite-difference step.")] = 1e-6,
    digits: DIGITS = 6,
    as_json: JSON = False,
) -> None:
    """SGNS and full-softmax gradients: trainer vs the notes' formulas vs finite differences."""
    from embedlab.teach.gradcheck import gradcheck

    tables = None
    if word_vectors is not None or context_vectors is not None:
        tables = _tables_from(None, word_vectors, context_vectors)
        if focus is None or positive is None or not negative:
            raise EmbedlabError(
                "with vector files give --focus, --positive and at least one --negative"
            )
    result = gradcheck(
        tables, focus, positive, negative, vocab=vocab, dim=dim, negative=k, seed=seed, eps=eps
    )
    if as_json:
        print_json(result)
        return
    samples = (
        f"focus {result['focus']!r}, positive {result['positive']!r}, "
        f"negatives {', '.join(result['negatives'])}"
    )
    for title, key in (
        (f"negative sampling: {samples}", "negative_sampling"),
        (f"full softmax: source {result['focus']!r}, target {result['positive']!r}", "softmax"),
    ):
        body = [
            [
                c["gradient"],
                _grad(c["routine"], digits),
                _grad(c["formula"], digits),
                _grad(c["numeric"], digits),
                f"{c['max_abs_error']:.1e}",
            ]
            for c in result[key]
        ]
        console.print(
            table(
                title,
                ["gradient", "trainer", "notes' formula", "finite differences", "max |error|"],
                body,
            )
        )
    console.print(f"largest disagreement: {result['max_abs_error']:.1e}")


def _grad(values, digits: int) -> str:
    if values and isinstance(values[0], list):
        return f"({len(values)} x {len(values[0])} matrix, see --json)"
    return _vec(values, digits)


@teach_app.command("pmi")
def pmi_command(
    text: Annotated[
        str | None, typer.Argument(help="Text to count; default: the notes' I/like/dogs table.")
    ] = None,
    counts: Annotated[
        Path | None,
        typer.Option("--counts", help="Table file: header of context words, then rows."),
    ] = None,
    window: Annotated[int, typer.Option("--window", "-w", help="Words on each side.")] = 2,
    k: Annotated[float, typer.Option("--k", help="Shift: PMI − ln k (negatives).")] = 1.0,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Co-occurrence counts, marginals, joint probabilities, PMI, PPMI and shifted PMI."""
    from embedlab.teach.pmi import pmi_table, read_counts, text_counts

    if text is not None and counts is not None:
        raise EmbedlabError("give TEXT or --counts, not both")
    if text is not None:
        words, matrix = text_counts(text, window)
        result = pmi_table(matrix, words, k=k)
    elif counts is not None:
        targets, contexts, matrix = read_counts(counts)
        result = pmi_table(matrix, targets, contexts, k=k)
    else:
        result = pmi_table(k=k)
    if as_json:
        print_json(result)
        return
    contexts = result["contexts"]
    panels = [
        ("counts", "counts", 0),
        ("joint p(t, c)", "joint", digits),
        ("PMI", "pmi", digits),
        ("PPMI", "ppmi", digits),
    ]
    if result["k"] != 1:
        panels += [
            (f"PMI − ln {result['k']:g}", "shifted_pmi", digits),
            (f"max(PMI − ln {result['k']:g}, 0)", "shifted_ppmi", digits),
        ]
    for title, key, places in panels:
        body = _labelled_rows(result["words"], result[key], places)
        if key == "counts":
            body = [
                row + [_num(p * result["total"], 0)]
                for row, p in zip(body, result["p_target"], strict=True)
            ]
            body.append(
                [
                    "count(c)",
                    *(_num(p * result["total"], 0) for p in result["p_context"]),
                    _num(result["total"], 0),
                ]
            )
            console.print(table(title, ["t \\ c", *contexts, "count(t)"], body))
            continue
        console.print(table(title, ["t \\ c", *contexts], body))
    console.print(
        "p(t): "
        + ", ".join(
            f"{w} {_num(p, digits)}"
            for w, p in zip(result["words"], result["p_target"], strict=True)
        )
    )
    console.print(
        "p(c): "
        + ", ".join(
            f"{w} {_num(p, digits)}" for w, p in zip(contexts, result["p_context"], strict=True)
        )
    )


@teach_app.command("sgns-pmi")
def sgns_pmi_command(
    corpus: Annotated[Path, typer.Argument(help="A small text corpus.")],
    dim: Annotated[int, typer.Option("--dim", help="Vector length.")] = 50,
    window: Annotated[int, typer.Option("--window", help="Words on each side (fixed).")] = 2,
    negative: Annotated[int, typer.Option("--negative", help="k, negatives per pair.")] = 5,
    epochs: Annotated[int, typer.Option("--epochs", help="Passes over the corpus.")] = 30,
    alpha: Annotated[float, typer.Option("--alpha", help="Starting learning rate.")] = 0.025,
    ns_exponent: Annotated[
        float, typer.Option("--ns-exponent", help="Noise ~ count^x (the derivation: 1).")
    ] = 1.0,
    min_count: Annotated[int, typer.Option("--min-count", help="Drop rarer words.")] = 5,
    min_pair_count: Annotated[
        int, typer.Option("--min-pair-count", help="Compare pairs seen at least this often.")
    ] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 1,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Train SGNS and measure how w·c compares with PMI − ln k (the notes' factorization claim)."""
    from embedlab.teach.picture import save_pmi_picture
    from embedlab.teach.sgns_pmi import sgns_vs_pmi

    _check_plot(plot)
    result = sgns_vs_pmi(
        corpus,
        dim=dim,
        window=window,
        negative=negative,
        epochs=epochs,
        alpha=alpha,
        ns_exponent=ns_exponent,
        min_count=min_count,
        min_pair_count=min_pair_count,
        seed=seed,
    )
    if plot is not None:
        save_pmi_picture(
            plot,
            result["shifted_pmi"],
            result["dots"],
            title=f"SGNS (k={negative}, dim={dim}) vs shifted PMI",
        )
    if as_json:
        print_json({key: v for key, v in result.items() if key not in ("shifted_pmi", "dots")})
        return
    summary = [
        ["pairs compared", result["pairs"]],
        ["Pearson r", _num(result["pearson"], digits)],
        ["Spearman ρ", _num(result["spearman"], digits)],
        [
            "fit: w·c ≈ a·(PMI − ln k) + b",
            f"a = {_num(result['slope'], digits)}, b = {_num(result['intercept'], digits)}",
        ],
        ["mean |w·c − (PMI − ln k)|", _num(result["mean_abs_difference"], digits)],
        ["mean w·c, pairs never seen", _num(result["unseen_mean_dot"], digits)],
        ["final loss", _num(result["history"][-1]["loss"], digits)],
    ]
    console.print(table(f"SGNS vs PMI − ln {negative}", ["measure", "value"], summary))
    body = [
        [
            e["word"],
            e["context"],
            e["count"],
            _num(e["shifted_pmi"], digits),
            _num(e["dot"], digits),
        ]
        for e in result["examples"]
    ]
    console.print(
        table("most frequent pairs", ["word", "context", "count", "PMI − ln k", "w·c"], body)
    )
    if plot is not None:
        console.print(f"picture written to {plot}")


@teach_app.command("params")
def params_command(
    vocab: Annotated[int, typer.Option("--vocab", help="Vocabulary size |V|.")] = 101_425,
    dim: Annotated[int, typer.Option("--dim", help="Vector length d.")] = 300,
    negative: Annotated[int, typer.Option("--negative", help="K negatives per update.")] = 5,
    as_json: JSON = False,
) -> None:
    """Parameters of skip-gram (2·d·|V|), their float32 memory, and what one update touches."""
    from embedlab.teach.params import parameter_count

    result = parameter_count(vocab, dim, negative)
    if as_json:
        print_json(result)
        return
    touched = result["touched_per_update"]
    rows = [
        ["W and W' (2·d·|V|)", f"{result['parameters']:,}"],
        ["memory as float32", f"{result['bytes']:,} bytes ({result['bytes'] / 2**20:,.1f} MiB)"],
        [
            f"one negative-sampling update ((K+2)·d, K={negative})",
            f"{touched['negative_sampling']:,}",
        ],
        ["one full-softmax update ((|V|+1)·d)", f"{touched['full_softmax']:,}"],
    ]
    console.print(table(f"|V| = {vocab:,}, d = {dim}", ["parameters", "count"], rows))


@teach_app.command("cosine")
def cosine_command(
    vector: Annotated[
        list[str] | None,
        typer.Option(
            "--vector",
            help="NAME=x,y,...; repeatable. Default: the notes' Big-5 personality scores.",
        ),
    ] = None,
    reference: Annotated[
        str | None, typer.Option("--reference", help="Compare against this one (default: first).")
    ] = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Cosine similarity of one vector against the others."""
    from embedlab.teach.cosine import cosine_similarities, parse_vector

    vectors = None
    if vector:
        vectors = dict(parse_vector(spec) for spec in vector)
        if len(vectors) != len(vector):
            raise EmbedlabError("two --vector options share a name: give each vector its own")
    result = cosine_similarities(vectors, reference)
    if as_json:
        print_json(result)
        return
    body = [[r["name"], _num(r["cosine"], digits)] for r in result["similarities"]]
    console.print(table(f"cosine similarity to {result['reference']}", ["name", "cosine"], body))


def _numbers(text: str | None, what: str, example: str):
    from embedlab.teach.cosine import parse_numbers

    return None if text is None else parse_numbers(text, what, example)


def _names(text: str | None) -> list[str] | None:
    return None if text is None else [w.strip() for w in text.split(",") if w.strip()]


def _save_plot(plot: Path | None, draw, as_json: bool) -> None:
    """Draw the picture if asked and, unless stdout is JSON, say where it went (the path was
    checked before the work)."""
    if plot is not None:
        draw(plot)
        if not as_json:
            console.print(f"picture written to {plot}")


def _check_plot(plot: Path | None) -> None:
    """Refuse an unwritable path or a suffix other than .png/.svg before the work."""
    from embedlab.pictures.render import picture_format

    if plot is not None:
        picture_format(plot)


@teach_app.command("huffman")
def huffman_command(
    counts: Annotated[
        str, typer.Option("--counts", help="Word counts, comma-separated.")
    ] = "40,20,10,5,5",
    words: Annotated[
        str | None, typer.Option("--words", help="Names for the counts (default A, B, ...).")
    ] = None,
    dim: Annotated[int, typer.Option("--dim", help="Length of h and of the node vectors.")] = 3,
    seed: Annotated[int, typer.Option("--seed", help="Seed for h and the node vectors.")] = 0,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """The trainer's Huffman tree: codes, inner-node paths, and P(w) = Π σ(±v_n·h) summing to 1."""
    from embedlab.teach.huffman import huffman_lesson

    values = _numbers(counts, "counts", "--counts 40,20,10,5,5")
    if any(v != int(v) for v in values):
        raise EmbedlabError(f"counts must be whole numbers, got {counts!r}")
    result = huffman_lesson([int(v) for v in values], _names(words), dim=dim, seed=seed)
    if as_json:
        print_json(result)
        return
    body = [
        [
            r["word"],
            r["count"],
            r["code"],
            " → ".join(str(p) for p in r["points"]),
            " · ".join(
                f"σ({_num(n['z'] if n['branch'] == 0 else -n['z'], digits)})" for n in r["nodes"]
            ),
            _num(r["probability"], digits),
            _num(r["trainer_probability"], digits),
        ]
        for r in result["rows"]
    ]
    console.print(
        table(
            "Huffman codes (0 = first branch) and the path probability of each word",
            ["word", "count", "code", "inner nodes", "Π σ(±v_n·h)", "P(w)", "trainer"],
            body,
        )
    )
    console.print(
        "branch 0 scores σ(v_n·h), branch 1 σ(−v_n·h) (word2vec's label 1 − code); "
        f"h = {_vec(result['hidden'], digits)}"
    )
    console.print(f"Σ_w P(w) = {result['total_probability']:.{max(digits, 6)}f}")
    console.print(
        f"mean code length {_num(result['expected_code_length'], digits)} nodes per prediction "
        f"(log2 |V| = {_num(result['log2_vocab'], digits)}; full softmax scores all "
        f"{len(result['words'])} words)"
    )


@teach_app.command("negatives")
def negatives_command(
    text: Annotated[
        str | None, typer.Argument(help="Text for the training set; default: the notes' cat.")
    ] = None,
    window: Annotated[int, typer.Option("--window", "-w", help="Words on each side.")] = 2,
    negative: Annotated[int, typer.Option("--negative", help="Negatives per pair (k).")] = 2,
    exponent: Annotated[
        float, typer.Option("--ns-exponent", help="Noise ~ count^x (word2vec: 0.75).")
    ] = 0.75,
    epochs: Annotated[
        int, typer.Option("--epochs", help="Epochs of the with/without negatives toy run.")
    ] = 50,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 1,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """The negative-sampling training set, the count^0.75 noise table, and positives only."""
    from embedlab.teach.negatives import positives_only, training_set
    from embedlab.teach.picture import save_negatives_picture

    _check_plot(plot)
    kwargs = {} if text is None else {"text": text}
    result = training_set(window=window, negative=negative, exponent=exponent, seed=seed, **kwargs)
    result["positives_only"] = positives_only(epochs=epochs, seed=seed)
    if as_json:
        print_json(result)
    else:
        _print_negatives(result, exponent, digits)
    _save_plot(plot, lambda p: save_negatives_picture(p, result["positives_only"]["runs"]), as_json)


def _print_negatives(result: dict, exponent: float, digits: int) -> None:
    rows = result["rows"]
    shown = rows[:24]
    console.print(
        table(
            f"training set ({len(rows)} rows; label 1: observed, 0: drawn from the noise)",
            ["input word", "output word", "target"],
            [[r["input"], r["output"], r["label"]] for r in shown],
        )
    )
    if len(rows) > len(shown):
        console.print(f"… {len(rows) - len(shown)} more rows (--json has them all)")
    console.print(
        table(
            f"noise distribution: count^{exponent:g}, normalised",
            ["word", "count", "unigram p", f"noise p (^{exponent:g})"],
            [
                [n["word"], n["count"], _num(n["unigram"], digits), _num(n["noise"], digits)]
                for n in result["noise"]
            ],
        )
    )
    lesson = result["positives_only"]
    body = []
    for name, history in lesson["runs"].items():
        for h in (history[0], history[len(history) // 2], history[-1]):
            body.append(
                [
                    name,
                    h["epoch"],
                    _num(h["loss"], digits),
                    _num(h["sigma_pairs"], digits),
                    _num(h["sigma_unrelated"], digits),
                    _num(h["word_norm"], digits),
                    _num(h["context_norm"], digits),
                ]
            )
    console.print(
        table(
            f"the toy trained with {lesson['negative']} negatives per pair and with none",
            ["run", "epoch", "loss", "σ neighbours", "σ vehicle-fruit", "mean ‖w‖", "mean ‖c‖"],
            body,
        )
    )
    console.print(
        "With positives only every label is 1: the loss falls to 0 just by growing the vectors, "
        "σ of every pair trained on goes to 1, and nothing pushes unrelated words apart."
    )


@teach_app.command("svd")
def svd_command(
    text: Annotated[
        str | None, typer.Argument(help="Text to count; default: 'I like cats and dogs'.")
    ] = None,
    window: Annotated[int, typer.Option("--window", "-w", help="Words on each side.")] = 2,
    k: Annotated[int, typer.Option("--k", help="Dimensions kept.")] = 2,
    eig: Annotated[
        float, typer.Option("--eig", help="Vectors U·Σ^eig (0: the notes' U[t, :]).")
    ] = 0.0,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """PPMI = U Σ Vᵀ (the notes' Attempt 4): U, Σ, V and the k-dimensional word vectors."""
    from embedlab.teach.svd import svd_lesson

    result = svd_lesson(text, window=window, k=k, eig=eig)
    if as_json:
        print_json(result)
        return
    words = result["words"]
    dims = [f"{i + 1}" for i in range(k)]
    console.print(
        table(
            "PPMI",
            ["t \\ c", *words],
            _labelled_rows(words, result["ppmi"], digits),
        )
    )
    for title, key in (("U (targets)", "U"), ("V (contexts)", "V")):
        console.print(
            table(
                title,
                ["word", *dims],
                _labelled_rows(words, result[key], digits),
            )
        )
    console.print("Σ = diag" + _vec(result["singular_values"], digits))
    console.print(_vectors_table(f"word vectors U·Σ^{eig:g}", result["word_vectors"], digits))
    console.print(
        f"rank-{k} reconstruction U Σ Vᵀ differs from PPMI by at most "
        f"{_num(result['max_reconstruction_error'], digits)}"
    )


@teach_app.command("backprop")
def backprop_command(
    learning_rate: Annotated[float, typer.Option("--learning-rate", help="ψ in the notes.")] = 1.0,
    digits: DIGITS = 4,
    as_json: JSON = False,
) -> None:
    """The notes' backprop exercise by autograd, checked by finite differences."""
    from embedlab.teach.backprop import backprop_lesson

    result = backprop_lesson(learning_rate)
    if as_json:
        print_json(result)
        return
    console.print(
        table(
            "forward pass",
            ["example", "x", "t", "h = σ(x W⁽¹⁾)", "y = σ(h W⁽²⁾)"],
            [
                [i + 1, _vec(x, 0), _vec(t, 0), _vec(h, digits), _vec(y, digits)]
                for i, (x, t, h, y) in enumerate(
                    zip(result["inputs"], result["targets"], result["H"], result["Y"], strict=True)
                )
            ],
        )
    )
    body = [
        [
            name,
            _num(w["gradient"], digits + 2),
            _num(w["formula"], digits + 2),
            _num(w["numeric"], digits + 2),
            _num(w["after"], digits + 1),
        ]
        for name, w in (("w⁽²⁾₁,₂", result["w2_12"]), ("w⁽¹⁾₂,₂", result["w1_22"]))
    ]
    console.print(
        table(
            f"one gradient step, ψ = {result['learning_rate']:g}",
            ["weight", "∂L/∂w (autograd)", "notes' formula", "finite differences", "after"],
            body,
        )
    )
    console.print(
        f"L = ½(1/N)ΣΣ(t − y)² = {_num(result['loss'], digits)}; every gradient agrees with "
        f"finite differences to {result['max_abs_error']:.1e}"
    )


@teach_app.command("optimizers")
def optimizers_command(
    optimizer: Annotated[
        list[str] | None,
        typer.Option("--optimizer", help="gd, momentum, adagrad, rmsprop, adam; repeatable."),
    ] = None,
    steps: Annotated[int, typer.Option("--steps", help="Steps for each optimizer.")] = 50,
    start: Annotated[str, typer.Option("--start", help="Starting point w₁,w₂.")] = "-4,1.5",
    a: Annotated[float, typer.Option("--a", help="Curvature along w₁.")] = 1.0,
    b: Annotated[float, typer.Option("--b", help="Curvature along w₂.")] = 20.0,
    alpha: Annotated[
        float | None,
        typer.Option("--alpha", help="One learning rate for all (default: each its own)."),
    ] = None,
    beta: Annotated[float, typer.Option("--beta", help="Weight of the newest gradient.")] = 0.1,
    beta2: Annotated[
        float, typer.Option("--beta2", help="Adam: weight of the newest squared gradient.")
    ] = 0.001,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Gradient descent, momentum, AdaGrad, RMSProp and Adam on L(w) = ½(a·w₁² + b·w₂²)."""
    from embedlab.teach.optimizers import OPTIMIZERS, optimizer_lesson
    from embedlab.teach.picture import save_optimizer_picture

    _check_plot(plot)
    result = optimizer_lesson(
        optimizer or OPTIMIZERS,
        steps=steps,
        start=_numbers(start, "start", "--start=-4,1.5"),
        a=a,
        b=b,
        alpha=alpha,
        beta=beta,
        beta2=beta2,
    )
    if as_json:
        print_json(result)
    else:
        _print_optimizers(result, digits)
    _save_plot(plot, lambda p: save_optimizer_picture(p, result), as_json)


def _print_optimizers(result: dict, digits: int) -> None:
    runs = result["runs"]
    console.print(
        table(
            "the update rules (β weights the newest term, as in the notes)",
            ["optimizer", "α", "rule"],
            [[r["name"], f"{r['alpha']:g}", r["formula"]] for r in runs],
        )
    )
    n = result["steps"]
    shown = sorted({0, 1, 2, 5, 10, 20, n // 2, n} & set(range(n + 1)))
    console.print(
        table(
            f"loss {result['loss']} after each step",
            ["step", *(r["name"] for r in runs)],
            [[t, *(_num(r["losses"][t], digits) for r in runs)] for t in shown],
        )
    )
    console.print(
        table(
            f"where each one is after {n} steps (the minimum is (0, 0))",
            ["optimizer", "w", "L"],
            [[r["name"], _vec(r["path"][-1], digits), _num(r["losses"][-1], digits)] for r in runs],
        )
    )


@teach_app.command("pca")
def pca_command(
    vectors: Annotated[
        Path | None,
        typer.Option("--vectors", help="A vectors file; default: the notes' six 3-d vectors."),
    ] = None,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """PCA as the notes derive it: centre, XᵀX, its eigenvectors, the sanity check, X·v."""
    from embedlab.teach.pca import pca_lesson
    from embedlab.teach.picture import save_pca_picture

    _check_plot(plot)
    if vectors is None:
        result = pca_lesson()
    else:
        from embedlab.vectors.formats import load

        emb = load(vectors)
        result = pca_lesson(emb.vectors, emb.words)
    if as_json:
        print_json(result)
    else:
        _print_pca(result, digits)
    _save_plot(
        plot,
        lambda p: save_pca_picture(
            p,
            result["words"],
            list(result["coords"].values()),
            title="PCA: the first two components",
        ),
        as_json,
    )


def _print_pca(result: dict, digits: int) -> None:
    words = result["words"]
    d = len(result["mean"])
    cols = [f"x{i + 1}" for i in range(d)]
    console.print(f"mean row = {_vec(result['mean'], digits)}")
    console.print(
        table(
            "centred X (each row minus the mean)",
            ["word", *cols],
            _labelled_rows(words, result["centred"], digits),
        )
    )
    console.print(
        table(
            "XᵀX",
            ["", *cols],
            _labelled_rows(cols, result["scatter"], digits),
        )
    )
    console.print(
        table(
            "eigenpairs of XᵀX, largest first",
            ["j", "λⱼ", "v⁽ʲ⁾"],
            [
                [j + 1, _num(lam, digits), _vec(v, digits)]
                for j, (lam, v) in enumerate(
                    zip(result["eigenvalues"], result["eigenvectors"], strict=True)
                )
            ],
        )
    )
    console.print(
        "sanity check max|XᵀX v⁽ʲ⁾ − λⱼ v⁽ʲ⁾| for the two kept: "
        + ", ".join(f"{e:.1e}" for e in result["sanity"])
    )
    console.print(
        _vectors_table("coordinates X v (as the pictures draw them)", result["coords"], digits)
    )
    ratio = result["explained_variance_ratio"]
    console.print(f"variance captured: {', '.join(_num(r, digits) for r in ratio)}")
    raw = result["uncentred_first"]
    console.print(
        f"without centring, the top eigenvector of XᵀX is {_vec(raw['vector'], digits)}, "
        f"cosine {_num(raw['cosine_with_mean'], digits)} with the mean: it finds where the "
        "points are, not how they vary"
    )


@teach_app.command("sigmoid")
def sigmoid_command(
    scores: Annotated[
        str, typer.Option("--scores", help="Dot products, comma-separated.")
    ] = "-1.11,0.2,0.74",
    digits: DIGITS = 2,
    as_json: JSON = False,
) -> None:
    """σ(score) and 1 − σ(score) (the notes' 001 table: −1.11 → 0.25, 0.2 → 0.55, 0.74 → 0.68)."""
    from embedlab.teach.basics import sigmoid_table

    rows = sigmoid_table(_numbers(scores, "scores", "--scores=-1.11,0.2,0.74"))
    if as_json:
        print_json(rows)
        return
    console.print(
        table(
            "σ(z) = 1 / (1 + e^−z)",
            ["input · output", "σ (label 1)", "1 − σ = σ(−z) (label 0)"],
            [
                [_num(r["score"], digits), _num(r["sigma"], digits), _num(r["one_minus"], digits)]
                for r in rows
            ],
        )
    )


@teach_app.command("onehot")
def onehot_command(
    word: Annotated[str, typer.Option("--word", help="The word to look up.")] = "Frodo",
    digits: DIGITS = 2,
    as_json: JSON = False,
) -> None:
    """One-hot × E picks a row of E: the embedding lookup (notes 001, 003)."""
    from embedlab.teach.basics import onehot_lookup

    result = onehot_lookup(word)
    if as_json:
        print_json(result)
        return
    words = result["words"]
    console.print(
        table(
            "E (one row per word)",
            ["word", "one-hot x", *(f"e{i + 1}" for i in range(len(result["row"])))],
            [
                [w, int(x), *(_num(v, digits) for v in row)]
                for w, x, row in zip(words, result["onehot"], result["E"], strict=True)
            ],
        )
    )
    console.print(f"x · E = {_vec(result['product'], digits)}")
    console.print(f"E[{word}] = {_vec(result['row'], digits)}")
    console.print(
        f"identical: {'yes' if result['equal'] else 'NO'}; the product spends "
        f"{result['multiplications']} multiplications on what a lookup reads directly"
    )


@teach_app.command("analogy")
def analogy_command(
    a: Annotated[str, typer.Argument(help="a, in 'a is to b as c is to ?'.")] = "man",
    b: Annotated[str, typer.Argument(help="b")] = "king",
    c: Annotated[str, typer.Argument(help="c")] = "woman",
    vector: Annotated[
        list[str] | None,
        typer.Option("--vector", help="NAME=x,y,...; repeatable (default: a toy table)."),
    ] = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """b − a + c on toy vectors, answered by the query code (3CosAdd, query words excluded)."""
    from embedlab.teach.basics import ANALOGY_VECTORS, ANALOGY_WORDS, analogy_lesson
    from embedlab.teach.cosine import parse_vector

    vectors = dict(parse_vector(spec) for spec in vector) if vector else None
    result = analogy_lesson(a, b, c, vectors)
    if as_json:
        print_json(result)
        return
    if vectors is None:
        console.print(
            _vectors_table(
                "toy vectors (royalty, maleness, person)",
                dict(zip(ANALOGY_WORDS, ANALOGY_VECTORS.tolist(), strict=True)),
                digits,
            )
        )
    console.print(f"{result['query']} = {_vec(result['target'], digits)}")
    console.print(
        table(
            "nearest by cosine (3CosAdd), the three query words left out",
            ["word", "cosine"],
            [[r["word"], _num(r["cosine"], digits)] for r in result["answers"]],
        )
    )


@teach_app.command("keep")
def keep_command(
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """What to keep after training, W, W', W + W' or W ⊕ W', on the notes' toy tables."""
    from embedlab.teach.basics import keep_lesson

    result = keep_lesson()
    if as_json:
        print_json(result)
        return
    console.print(
        table(
            "the notes' 'much later' toy: mean cosine within a kind and across kinds",
            ["keep", "dimensions", "within kind", "vehicle-fruit", "gap"],
            [
                [
                    ch["name"],
                    len(next(iter(ch["vectors"].values()))),
                    _num(ch["within"], digits),
                    _num(ch["across"], digits),
                    _num(ch["within"] - ch["across"], digits),
                ]
                for ch in result["choices"]
            ],
        )
    )
    console.print("--json has every vector of each choice")


# ---------------------------------------------------------------- notes 004: the encoders

ENCODER_TEXT = Annotated[
    str | None,
    typer.Argument(help="Sentences (one per line or per '.'); default: vehicles and fruits."),
]
ENCODER_LOSS = Annotated[
    str, typer.Option("--loss", help="squared (the notes' ‖f(x) − x‖²) or multinomial.")
]
CODE_DIM = Annotated[int, typer.Option("--dim", help="Code length.")]
STEPS = Annotated[int, typer.Option("--steps", help="Optimizer steps (one full batch each).")]
OPTIMIZER = Annotated[
    str, typer.Option("--optimizer", help="sgd, momentum, adagrad, rmsprop or adam.")
]
RATE = Annotated[float, typer.Option("--lr", help="Learning rate.")]
SEED = Annotated[int, typer.Option("--seed", help="Random seed (start and draws).")]

#: Per reconstruction loss: the column headers of its terms, in the lesson's key order.
_TERM_HEADERS = {
    "squared": ("‖f(x)‖²", "−2 f(x)·x", "‖x‖²", "‖f(x) − x‖²"),
    "multinomial": ("log Σ exp f(x)", "−Σ p·f(x)", "−Σ p log softmax f(x)"),
}


def _history_table(losses, digits: int, what: str = "loss"):
    n = len(losses)
    shown = sorted({1, 2, 5, 10, 20, 50, 100, n // 2, n} & set(range(1, n + 1)))
    return table(
        "training",
        ["step", f"{what} (before the step)"],
        [[t, _num(losses[t - 1], digits)] for t in shown],
    )


def _closeness_line(closeness, digits: int, what: str) -> str | None:
    if closeness is None:
        return None
    return (
        f"mean cosine of the {what}: same kind {_num(closeness['same_kind'], digits)}, vehicle vs "
        f"fruit {_num(closeness['other_kind'], digits)}: words with similar contexts have similar "
        "PPMI rows, and a code that must rebuild the row puts them close"
    )


def _print_encoder(result: dict, digits: int, what: str) -> None:
    console.print(_history_table(result["history"], digits))
    line = _closeness_line(result["closeness"], digits, what)
    if line:
        console.print(line)


def _code_picture(result: dict, key: str, name: str):
    """Draws the first two numbers of each word's ``key`` (its code, or μ)."""
    from embedlab.teach.picture import save_pca_picture

    coords = [r[key][:2] for r in result["rows"]]
    title = f"{result['loss']} loss, {result['steps']} steps"
    return lambda p: save_pca_picture(p, result["words"], coords, title, (f"{name} 1", f"{name} 2"))


@teach_app.command("autoencoder")
def autoencoder_command(
    text: ENCODER_TEXT = None,
    loss: ENCODER_LOSS = "squared",
    dim: CODE_DIM = 2,
    steps: STEPS = 300,
    optimizer: OPTIMIZER = "adam",
    lr: RATE = 0.05,
    seed: SEED = 1,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """The autoencoder of PPMI rows (notes 004): what loss, and how similar words get close."""
    _check_plot(plot)
    from embedlab.teach.encoders import autoencoder_lesson

    result = autoencoder_lesson(text, loss=loss, dim=dim, steps=steps, optimizer=optimizer,
                                lr=lr, seed=seed)  # fmt: skip
    if as_json:
        print_json(result)
    else:
        body = [
            [r["word"], result["kinds"].get(r["word"], ""), _vec(r["code"], digits),
             *(_num(v, digits) for v in r["terms"].values()), _num(r["reconstruction"], digits)]
            for r in result["rows"]
        ]  # fmt: skip
        console.print(
            table(
                f"each word's unit PPMI row x, its code and its {result['loss']} loss",
                ["word", "kind", "code", *_TERM_HEADERS[result["loss"]]],
                body,
            )
        )
        _print_encoder(result, digits, "codes")
    _save_plot(plot, _code_picture(result, "code", "code"), as_json)


@teach_app.command("vae")
def vae_command(
    text: ENCODER_TEXT = None,
    loss: ENCODER_LOSS = "squared",
    dim: CODE_DIM = 2,
    kl_weight: Annotated[
        float, typer.Option("--kl-weight", help="The notes' λ, the weight of the KL term.")
    ] = 0.1,
    steps: STEPS = 300,
    optimizer: OPTIMIZER = "adam",
    lr: RATE = 0.05,
    seed: SEED = 1,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """The VAE (notes 004): z = μ + σε, reconstruction + λ·KL, and the KL's two directions."""
    _check_plot(plot)
    from embedlab.teach.encoders import vae_lesson

    result = vae_lesson(text, loss=loss, dim=dim, kl_weight=kl_weight, steps=steps,
                        optimizer=optimizer, lr=lr, seed=seed)  # fmt: skip
    if as_json:
        print_json(result)
    else:
        _print_vae(result, digits)
    _save_plot(plot, _code_picture(result, "mu", "μ"), as_json)


def _print_vae(result: dict, digits: int) -> None:
    lam = f"{result['kl_weight']:g}"
    rows = result["rows"]
    console.print(
        table(
            "the reparameterisation, word by word: z = μ + σε",
            ["word", "μ", "σ", "ε ~ N(0, I)", "z"],
            [[r["word"], *(_vec(r[k], digits) for k in ("mu", "sigma", "eps", "code"))]
             for r in rows],
        )
    )  # fmt: skip
    console.print(
        table(
            f"the loss of that draw, word by word (reconstruction: {result['loss']})",
            ["word", "reconstruction", "KL(N(μ,σ²)‖N(0,I))", "notes' KL(N(0,I)‖N(μ,σ²))",
             f"rec + {lam}·KL"],
            [[r["word"], *(_num(r[k], digits) for k in ("reconstruction", "kl", "notes_kl",
                                                        "total"))] for r in rows],
        )
    )  # fmt: skip
    console.print(
        f"mean: reconstruction {_num(result['mean_reconstruction'], digits)} + {lam} × KL "
        f"{_num(result['mean_kl'], digits)} = {_num(result['total'], digits)} (the VAE's own loss "
        f"of this draw: {_num(result['method_loss'], digits)})"
    )
    console.print(
        f"the notes' direction KL(N(0,I)‖N(μ,σ²)) averages {_num(result['mean_notes_kl'], digits)}"
        f", not {_num(result['mean_kl'], digits)}: KL is not symmetric, and the bound the VAE "
        "maximises has the encoder's Gaussian first"
    )
    _print_encoder(result, digits, "means μ")


@teach_app.command("contrastive")
def contrastive_command(
    text: ENCODER_TEXT = None,
    dim: CODE_DIM = 2,
    negative: Annotated[int, typer.Option("--negative", help="Noise words per positive.")] = 2,
    steps: STEPS = 15,
    optimizer: OPTIMIZER = "sgd",
    lr: RATE = 10.0,
    seed: SEED = 1,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Contrastive learning (notes 004): the notes' loss is unbounded, InfoNCE is not."""
    _check_plot(plot)
    from embedlab.teach.contrastive import contrastive_lesson
    from embedlab.teach.picture import save_contrastive_picture

    result = contrastive_lesson(text, dim=dim, negative=negative, steps=steps,
                                optimizer=optimizer, lr=lr, seed=seed)  # fmt: skip
    if as_json:
        print_json(result)
    else:
        _print_contrastive(result, digits)
    _save_plot(plot, lambda p: save_contrastive_picture(p, result["runs"]), as_json)


_CONTRASTIVE = {
    "infonce": "infonce: −log(e^s⁺ / (e^s⁺ + Σ e^s⁻)), the default",
    "logistic": "logistic: −log σ(s⁺) − Σ log σ(−s⁻)",
    "notes": "notes: s⁺ − Σ (s⁻)², minimised as the slide writes it",
}


def _print_contrastive(result: dict, digits: int) -> None:
    kinds = list(_CONTRASTIVE)
    pairs = result["pairs"]
    shown = pairs[:10]
    console.print(
        table(
            f"positives (word, next word) with {result['negative']} noise words each: the scores "
            "at the start",
            ["x", "x⁺", "x⁻", "s⁺ = f(x)·f(x⁺)", "s⁻ = f(x)·f(x⁻)"],
            [[p["word"], p["positive"], ", ".join(p["negatives"]), _num(p["s_positive"], digits),
              _vec(p["s_negatives"], digits)] for p in shown],
        )
    )  # fmt: skip
    console.print(
        table(
            "and each loss of each pair alone",
            ["x", "x⁺", *kinds],
            [[p["word"], p["positive"], *(_num(p[k], digits) for k in kinds)] for p in shown],
        )
    )
    if len(pairs) > len(shown):
        console.print(f"… {len(pairs) - len(shown)} more pairs (--json has them all)")
    console.print("\n".join(_CONTRASTIVE.values()))
    console.print("every loss below starts from the same table f")
    console.print(
        table(
            "f scaled by t: mean loss",
            ["t", *kinds],
            [[f"{s['scale']:g}", *(_num(s[k], digits) for k in kinds)] for s in result["scaled"]],
        )
    )
    runs = result["runs"]
    n = max(len(r["history"]) for r in runs)
    for key, what in (("loss", "mean loss"), ("max_norm", "largest ‖f(x)‖")):
        console.print(
            table(
                f"{what}, {result['optimizer']} lr {result['lr']:g}",
                ["step", *(r["loss"] for r in runs)],
                [[t, *(_wide(r["history"][t][key], digits) if t < len(r["history"]) else ""
                       for r in runs)] for t in range(n)],
            )
        )  # fmt: skip
    for r in runs:
        if r["diverged_at"] is not None:
            last = r["history"][r["diverged_at"] - 1]
            console.print(
                f"{r['loss']}: not finite at step {r['diverged_at']} (mean s⁺ had reached "
                f"{last['mean_positive']:.3g}: descent pushes the positives apart too); no lower "
                "bound, so it diverges"
            )
