"""``embedlab teach ...``: the lecture notes' worked examples, as tables or JSON.

Every command computes through ``embedlab.teach`` (itself built on the training code) and only
formats here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from embedlab.cli.common import console, print_json, table
from embedlab.errors import EmbedlabError

teach_app = typer.Typer(
    name="teach",
    help="The lecture notes' worked examples, computed step by step by the real code.",
    no_args_is_help=True,
)

JSON = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
DIGITS = Annotated[int, typer.Option("--digits", min=0, max=12, help="Decimals shown in tables.")]
OUTPUT = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the 2-D picture here (PNG).")
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


def _num(value, digits: int) -> str:
    return "-inf" if value is None else f"{value:.{digits}f}"


def _vec(values, digits: int) -> str:
    return "(" + ", ".join(_num(v, digits) for v in values) + ")"


def _vectors_table(title: str, vectors: dict, digits: int):
    dim = len(next(iter(vectors.values())))
    return table(
        title,
        ["word", *(f"x{i + 1}" for i in range(dim))],
        [[w, *(_num(x, digits) for x in v)] for w, v in vectors.items()],
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


def _tables_from(toy: str | None, word_vectors, context_vectors):
    from embedlab.teach.tables import load_tables, toy_tables

    if (word_vectors is None) != (context_vectors is None):
        raise EmbedlabError("give both --word-vectors and --context-vectors, or neither")
    if word_vectors is not None:
        if toy is not None:
            raise EmbedlabError("give --toy or vector files, not both")
        return load_tables(word_vectors, context_vectors), False
    return toy_tables(toy or "vehicles-fruits"), True


@teach_app.command("step")
def step_command(
    toy: Annotated[
        str | None,
        typer.Option(
            "--toy",
            help="Built-in tables: vehicles-fruits (the notes' start) or vehicles-fruits-later "
            "(their 'much later' tables). Default when no files are given: vehicles-fruits.",
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
    alpha: Annotated[float, typer.Option("--alpha", help="Learning rate.")] = 0.1,
    steps: Annotated[int, typer.Option("--steps", help="Repeat the update this many times.")] = 1,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Negative-sampling SGD updates with every intermediate number (the trainer's routine)."""
    from embedlab.teach.sgd_step import sgns_step

    tables, builtin = _tables_from(toy, word_vectors, context_vectors)
    if builtin and focus is None and positive is None and not negative:
        later = toy == "vehicles-fruits-later"
        focus, positive, negative = (
            ("firetruck", "backhoe", ["crane"]) if later else ("banana", "lemon", ["firetruck"])
        )
    if focus is None or positive is None or not negative:
        raise EmbedlabError("give --focus, --positive and at least one --negative word")
    result = sgns_step(tables, focus, positive, list(negative), alpha=alpha, steps=steps)
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
    output: OUTPUT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Train the toy (or a small corpus) with the real skip-gram and show the vectors form."""
    from embedlab.fileio import check_output_path
    from embedlab.teach.picture import save_toy_picture
    from embedlab.teach.toy_training import train_toy

    if output is not None:
        check_output_path(output)
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
        trajectories = result["trajectories"]
        if dim != 2:
            trajectories = _project_2d(trajectories)
        save_toy_picture(
            output,
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
    console.print(
        table(
            "loss per prediction",
            ["epoch", "loss"],
            [[history[i]["epoch"], _num(history[i]["loss"], digits)] for i in shown],
        )
    )
    console.print(
        _vectors_table("word vectors, much later", result["final"]["word_vectors"], digits)
    )
    console.print(
        _vectors_table("context vectors, much later", result["final"]["context_vectors"], digits)
    )
    if output is not None:
        console.print(f"picture written to {output}")


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
        tables, _ = _tables_from(None, word_vectors, context_vectors)
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
        tables, _ = _tables_from(None, word_vectors, context_vectors)
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
                _grad(c["numeric"], digits),
                f"{c['max_abs_error']:.1e}",
            ]
            for c in result[key]
        ]
        console.print(
            table(
                title,
                ["gradient", "trainer", "finite differences", "max |error|"],
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
        body = [
            [w, *(_num(v, places) for v in row)]
            for w, row in zip(result["words"], result[key], strict=True)
        ]
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
    output: OUTPUT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Train SGNS and measure how w·c compares with PMI − ln k (the notes' factorization claim)."""
    from embedlab.fileio import check_output_path
    from embedlab.teach.picture import save_pmi_picture
    from embedlab.teach.sgns_pmi import sgns_vs_pmi

    if output is not None:
        check_output_path(output)
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
    if output is not None:
        save_pmi_picture(
            output,
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
    if output is not None:
        console.print(f"picture written to {output}")


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
