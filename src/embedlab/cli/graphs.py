"""``embedlab split-edges`` and the graph quick start (``embedlab quickstart --graph``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from embedlab.cli.common import console, err_console, print_json, table
from embedlab.cli.roles import OUTPUT
from embedlab.errors import EmbedlabError
from embedlab.fileio import check_output_path, writes_stdout

#: node2vec on the karate club, chosen on seeds 1-6 (mean accuracy 0.950 with half the nodes
#: labelled): short windows and q = 2 keep walks near their faction; 8 dimensions are plenty
#: for 34 nodes; no subsampling, since every node is "frequent" in so small a graph.
KARATE_PARAMS = {
    "method": "node2vec",
    "dim": 8,
    "window": 5,
    "walks_per_node": 40,
    "epochs": 5,
    "q": 2.0,
    "sample": 0.0,
    "combine": "sum",
    "threads": 1,
}


def register(app: typer.Typer) -> None:
    """Add ``split-edges`` to the top-level app."""
    app.command("split-edges")(split_edges_command)


def split_edges_command(
    graph: Annotated[Path, typer.Argument(help="Graph file (.edgelist, .adjlist, .mat, .npz).")],
    train_graph: Annotated[
        Path,
        typer.Option(
            "--train", help="Where to write the training graph (an edge list).", show_default=False
        ),
        OUTPUT,
    ],
    pairs: Annotated[
        Path,
        typer.Option(
            "--pairs",
            help="Where to write the held-out edges (u v 1) and as many non-edges (u v 0).",
            show_default=False,
        ),
        OUTPUT,
    ],
    fraction: Annotated[float, typer.Option(help="Share of the edges held out.")] = 0.5,
    directed: Annotated[bool, typer.Option("--directed", help="Keep edge directions.")] = False,
    weighted: Annotated[bool, typer.Option("--weighted", help="Keep edge weights.")] = False,
    graph_format: Annotated[
        str | None, typer.Option("--graph-format", help="edgelist, adjlist, mat or npz.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Hold out edges for link prediction: train on --train, then evaluate with --pairs."""
    from embedlab.evaluation.link_prediction import split_edges, write_pairs
    from embedlab.graphs import read_graph, write_edgelist

    for path in (train_graph, pairs):
        check_output_path(path)
    if train_graph.resolve() == pairs.resolve():
        raise EmbedlabError("--train and --pairs name the same file: give two paths")
    full = read_graph(graph, directed=directed, weighted=weighted, graph_format=graph_format)
    train, held_pairs, labels = split_edges(full, fraction=fraction, seed=seed)
    write_edgelist(train, train_graph)
    write_pairs(pairs, full.nodes, held_pairs, labels)
    result = {
        "train": str(train_graph),
        "pairs": str(pairs),
        "train_edges": train.n_edges,
        "held_out": int(labels.sum()),
        "non_edges": int((labels == 0).sum()),
        "notes": list(full.notes),
    }
    if as_json:
        print_json(result)
        return
    for note in full.notes:
        err_console.print(f"embedlab: note: {note}", soft_wrap=True)
    err_console.print(
        f"embedlab: {result['train_edges']:,} training edges -> {train_graph}; "
        f"{result['held_out']:,} held-out edges and {result['non_edges']:,} non-edges -> {pairs}",
        soft_wrap=True,
    )


def picture_path(picture: Path | None, output: Path | None) -> Path:
    """Where the map goes: ``--picture``, else beside ``-o`` as a .png, else a new temporary
    folder (never the current folder unasked)."""
    if picture is not None:
        return picture
    if output is not None and not writes_stdout(output):
        return output.with_suffix(".png")
    return Path(tempfile.mkdtemp(prefix="embedlab-quickstart-")) / "karate.png"


def graph_quickstart(output: Path | None, picture: Path | None, quiet: bool, as_json: bool) -> None:
    """node2vec on the bundled karate club: faction accuracy and a map of the two factions."""
    from embedlab.evaluation.node_classification import node_classification
    from embedlab.graphs import karate_club
    from embedlab.methods import fit
    from embedlab.pictures.maps import plot_map
    from embedlab.pictures.render import picture_format

    if output is not None:
        check_output_path(output)
    picture = picture_path(picture, output)
    picture_format(picture)
    graph, factions = karate_club()
    emb, seconds = fit(graph, quiet=quiet, **KARATE_PARAMS)
    if output is not None:
        emb.save(output)
    scores = node_classification(emb, factions, fractions=[0.5], repeats=10)["fractions"]["0.5"]
    groups: dict[str, list[str]] = {}
    for node, faction in factions.items():
        groups.setdefault(faction, []).append(node)
    plot_map(emb, groups=groups, path=picture, title="Karate club: node2vec, PCA of the nodes")
    result = {
        "graph": "karate club (Zachary 1977)",
        "nodes": graph.n_nodes,
        "edges": graph.n_edges,
        "dim": emb.dim,
        "seconds": seconds,
        "accuracy": scores["micro_f1"],
        "macro_f1": scores["macro_f1"],
        "picture": str(picture),
    }
    if as_json:
        print_json(result)
        return
    rows = [
        ["nodes, edges", f"{graph.n_nodes}, {graph.n_edges}"],
        ["faction accuracy, half labelled (10 splits)", f"{100 * scores['micro_f1']:.1f}%"],
        ["trained in", f"{seconds:.1f} s"],
        ["map of the two factions", str(picture)],
    ]
    console.print(table("Karate club: node2vec", ["measure", "value"], rows))
