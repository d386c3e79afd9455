"""``embedlab evaluate``: intrinsic benchmarks and the sentiment task, as tables or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from embedlab.checks import check_choice
from embedlab.cli.common import ErrorsOpt, FormatOpt, console, print_json, table
from embedlab.cli.roles import INPUT
from embedlab.errors import EmbedlabError, warn

TASKS = ("intrinsic", "sentiment", "node-classification", "link-prediction")


def register(app: typer.Typer) -> None:
    """Add ``evaluate`` to the top-level app."""
    app.command("evaluate")(evaluate_command)


def evaluate_command(
    vectors: Annotated[
        Path, typer.Argument(help="Vectors file (word2vec text/binary, GloVe, .emb).")
    ],
    dataset: Annotated[
        list[str] | None,
        typer.Option(
            "--dataset",
            "-d",
            help="Bundled benchmark (ws353, ws353-sim, ws353-rel, simlex999, men, rg65, mc30, "
            "google) or a file path; repeat for several. Default: every bundled benchmark.",
        ),
        INPUT,
    ] = None,
    restrict_vocab: Annotated[
        int,
        typer.Option(
            "--restrict-vocab", help="Only the N most frequent words take part (0 = all words)."
        ),
    ] = 30000,
    compose: Annotated[
        bool,
        typer.Option(
            "--compose/--no-compose",
            help="Subword vectors (fastText's .bin, --subwords models): --compose, as "
            "given when neither is, scores pairs and questions whose words are outside "
            "--restrict-vocab with the vectors composed from their n-grams; --no-compose skips "
            "them, as for word-only vectors, so that scores compare with theirs.",
            show_default=False,
        ),
    ] = True,
    task: Annotated[
        list[str] | None,
        typer.Option(
            "--task",
            help="intrinsic (similarity and analogy), sentiment (SST-2 logistic regression), "
            "node-classification (--labels) or link-prediction (--graph); repeatable. Default: "
            "intrinsic. Giving --dataset also runs intrinsic.",
        ),
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option(
            help="node-classification: 'node label' lines, or a .mat with a group matrix."
        ),
    ] = None,
    graph: Annotated[
        Path | None,
        typer.Option(
            help="link-prediction: the pairs file of embedlab split-edges (u v 1 held-out edge, "
            "u v 0 non-edge)."
        ),
    ] = None,
    operator: Annotated[
        str, typer.Option(help="link-prediction edge score: hadamard or dot.")
    ] = "hadamard",
    repeats: Annotated[
        int, typer.Option(help="node-classification: random splits per training fraction.")
    ] = 5,
    format: FormatOpt = None,
    errors: ErrorsOpt = "strict",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Score vectors on word-similarity and analogy benchmarks, and on sentence polarity."""
    # imported on use so that every other command (and --help) starts without SciPy's stats
    from embedlab.evaluation import evaluate, evaluate_sentiment
    from embedlab.evaluation.datasets import check_dataset_name
    from embedlab.query import open_vectors

    tasks = {check_choice("--task", name, TASKS) for name in (task or ["intrinsic"])}
    if dataset:
        tasks.add("intrinsic")
    if restrict_vocab < 0:
        raise EmbedlabError(
            f"--restrict-vocab must be 0 (all words) or a positive count, got {restrict_vocab}"
        )
    for name in dataset or ():
        check_dataset_name(name)  # a typo fails before a large vectors file is read
    node_labels, pairs = _graph_inputs(tasks, labels, graph)
    emb = open_vectors(vectors, format, errors)
    limit = restrict_vocab or None
    report: dict = {}
    if "intrinsic" in tasks:
        report.update(
            evaluate(emb, datasets=dataset or None, restrict_vocab=limit, compose=compose)
        )
    if "sentiment" in tasks:
        report["extrinsic"] = {"sentiment": evaluate_sentiment(emb)}
    if node_labels is not None:
        from embedlab.evaluation.node_classification import node_classification

        report["node_classification"] = node_classification(emb, node_labels, repeats=repeats)
    if pairs is not None:
        from embedlab.evaluation.link_prediction import link_prediction

        report["link_prediction"] = link_prediction(emb, *pairs, operator=operator)
    if as_json:
        print_json(report)
    else:
        _print_tables(report)
    if not _covered(report):
        raise typer.Exit(1)


def _covered(report: dict) -> bool:
    """Warn for each benchmark the vectors cover too little of to score; False when that is
    every benchmark run and no other task ran (a table of dashes is no result: the exit code
    says so)."""
    covered = {
        name: (r["spearman"], f"{r['pairs']} of {r['pairs'] + r['oov']} pairs")
        for name, r in report.get("similarity", {}).items()
    }
    covered |= {
        name: (r["accuracy"], f"{r['questions']} of {r['questions'] + r['skipped']} questions")
        for name, r in report.get("analogy", {}).items()
    }
    empty = [f"{name} ({seen})" for name, (score, seen) in covered.items() if score is None]
    if empty:
        warn(
            f"no score for {', '.join(empty)}: too few of their words have vectors; are the "
            "words lowercased and in the benchmark's language? ('embedlab info' lists the first "
            "words)"
        )
    others = any(task in report for task in ("extrinsic", "node_classification", "link_prediction"))
    return others or not covered or len(empty) < len(covered)


def _graph_inputs(tasks: set, labels: Path | None, graph: Path | None):
    """The labels and the pairs the graph tasks need, read (and checked) before the vectors."""
    needs = {"node-classification": ("--labels", labels), "link-prediction": ("--graph", graph)}
    for task, (option, value) in needs.items():
        if (task in tasks) != (value is not None):
            raise EmbedlabError(
                f"--task {task} needs {option} FILE"
                if task in tasks
                else f"{option} is for --task {task}: add --task {task}"
            )
    node_labels = pairs = None
    if labels is not None:
        from embedlab.evaluation.node_classification import read_labels

        node_labels = read_labels(labels)
    if graph is not None:
        from embedlab.evaluation.link_prediction import read_pairs

        pairs = read_pairs(graph)
    return node_labels, pairs


def _print_tables(report: dict) -> None:
    similarity = report.get("similarity")
    if similarity:
        composes = any("composed" in r for r in similarity.values())
        rows = [
            [name, _num(r["spearman"]), _num(r["pearson"]), r["pairs"], r["oov"]]
            + ([r["composed"]] if composes else [])
            for name, r in similarity.items()
        ]
        columns = ["dataset", "Spearman", "Pearson", "pairs", "OOV"]
        columns += ["composed"] if composes else []
        console.print(_numeric(table("Word similarity", columns, rows)))
    for name, r in (report.get("analogy") or {}).items():
        rows = [
            [section, _pct(s["accuracy"]), s["correct"], s["questions"]]
            for section, s in r["sections"].items()
        ]
        for label, syntactic in (("semantic", False), ("syntactic", True)):
            part = [s for n, s in r["sections"].items() if n.startswith("gram") == syntactic]
            rows.append(_total_row(label, r[label], part))
        rows.append(_total_row("all", r["accuracy"], list(r["sections"].values())))
        title = f"Analogy {name} ({r['skipped']} questions skipped: out of vocabulary"
        title += f"; {r['composed']} with composed words)" if "composed" in r else ")"
        console.print(_numeric(table(title, ["section", "accuracy", "correct", "questions"], rows)))
    sentiment = (report.get("extrinsic") or {}).get("sentiment")
    if sentiment:
        row = [
            "SST-2",
            _pct(sentiment["accuracy"]),
            _pct(sentiment["coverage"]),
            sentiment["train"],
            sentiment["test"],
        ]
        columns = ["task", "accuracy", "token coverage", "train sentences", "test sentences"]
        console.print(_numeric(table("Sentiment", columns, [row])))
    _print_graph_tables(report)


def _print_graph_tables(report: dict) -> None:
    nodes = report.get("node_classification")
    if nodes:
        rows = [
            [fraction, _num(s["micro_f1"]), _num(s["macro_f1"])]
            for fraction, s in nodes["fractions"].items()
        ]
        title = (
            f"Node classification ({nodes['nodes']} nodes, {nodes['labels']} labels, "
            f"{nodes['repeats']} splits each; {nodes['missing']} labelled nodes without vectors)"
        )
        columns = ["labelled fraction", "Micro-F1", "Macro-F1"]
        console.print(_numeric(table(title, columns, rows)))
    links = report.get("link_prediction")
    if links:
        row = [links["operator"], _num(links["roc_auc"]), links["pairs"], links["missing"]]
        columns = ["operator", "ROC-AUC", "pairs", "pairs without vectors"]
        console.print(_numeric(table("Link prediction", columns, [row])))


def _total_row(label: str, accuracy, sections: list[dict]) -> list:
    correct = sum(s["correct"] for s in sections)
    return [label, _pct(accuracy), correct, sum(s["questions"] for s in sections)]


def _numeric(out):
    """Right-align every column but the first (the numbers are pre-formatted strings)."""
    for column in out.columns[1:]:
        column.justify = "right"
    return out


def _num(value) -> str:
    return "-" if value is None else f"{value:.4f}"


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"
