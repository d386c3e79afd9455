"""node2vec and DeepWalk on BlogCatalog: embedlab beside PecanPy and the PyPI ``node2vec``.

Each run is its own process (its peak RSS is its own): it reads the graph, generates the walks
(timed), trains skip-gram on them (timed) and saves the vectors; the parent then scores them by
node classification (Micro/Macro-F1 at 10%, 50% and 90% labelled, 5 splits each) and prints a
Markdown table. Settings are the node2vec paper's: dim 128, walk length 80, 10 walks per node,
window 10, one epoch; p = q = 1 (DeepWalk-equivalent) and a p/q grid. embedlab's walk time
excludes its one-off Numba compilation (a tiny walk runs first, untimed). A run past
``--time-limit`` seconds (the PyPI node2vec precomputes O(sum of deg^2) transition tables) is
killed and reported as timed out, with its elapsed time and peak RSS; that tool's remaining
p/q settings are then skipped.

    python benchmarks/graphs.py                        # BlogCatalog in full: the lead runs it
    python benchmarks/graphs.py --graph karate --quick # a quick check of the script
    python benchmarks/graphs.py --max-nodes 2000       # BlogCatalog's first 2,000 nodes
    python benchmarks/graphs.py --grid 0.25:0.25       # other p/q points
    python benchmarks/graphs.py --time-limit 600       # stop any run after 10 minutes
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402  (the benchmarks folder is not a package)

BLOGCATALOG = _common.REPO.parent / "shared" / "data" / "graphs" / "blogcatalog.mat"
SETTINGS = {"dim": 128, "walk_length": 80, "walks_per_node": 10, "window": 10, "epochs": 1}
GRID = [(1.0, 1.0), (0.25, 4.0), (4.0, 0.25), (1.0, 0.5), (1.0, 2.0)]
TOOLS = ("embedlab", "pecanpy", "node2vec")
FRACTIONS = (0.1, 0.5, 0.9)
#: Seconds one tool's run may take by default (half an hour): a run past it has no place in a
#: comparison of walk and training times, and the grid would otherwise wait on it five times.
TIME_LIMIT = 1800.0


def child(args) -> None:
    """One tool on the edge list: walks, training, vectors saved as word2vec text."""
    started = time.perf_counter()
    runner = {"embedlab": _embedlab, "pecanpy": _pecanpy, "node2vec": _pypi_node2vec}[args.tool]
    walk_seconds, train_seconds = runner(args)
    report = {"walks": walk_seconds, "train": train_seconds, "total": time.perf_counter() - started}
    _common.write_report(args.report, report)


def _embedlab(args):
    from embedlab.graphs import read_graph
    from embedlab.graphs.walks import walk_corpus
    from embedlab.methods.word2vec.model import SkipGram

    graph = read_graph(args.edges)
    walk_corpus(graph, walk_length=4, walks_per_node=1, p=args.p, q=args.q)  # compile
    started = time.perf_counter()
    corpus = walk_corpus(
        graph,
        walk_length=SETTINGS["walk_length"],
        walks_per_node=SETTINGS["walks_per_node"],
        p=args.p,
        q=args.q,
        threads=args.threads,
        seed=1,
    )
    walked = time.perf_counter()
    model = SkipGram(
        dim=SETTINGS["dim"],
        window=SETTINGS["window"],
        epochs=SETTINGS["epochs"],
        threads=args.threads,
        quiet=True,
    )
    model.fit(corpus).save(args.vectors)
    return walked - started, time.perf_counter() - walked


def _gensim_train(walks, args) -> float:
    from gensim.models import Word2Vec

    started = time.perf_counter()
    model = Word2Vec(
        walks,
        vector_size=SETTINGS["dim"],
        window=SETTINGS["window"],
        min_count=0,
        sg=1,
        workers=args.threads,
        epochs=SETTINGS["epochs"],
    )
    model.wv.save_word2vec_format(args.vectors)
    return time.perf_counter() - started


def _pecanpy(args):
    from pecanpy import pecanpy

    started = time.perf_counter()
    graph = pecanpy.SparseOTF(p=args.p, q=args.q, workers=args.threads, verbose=False)
    graph.read_edg(args.edges, weighted=False, directed=False, delimiter=" ")
    walks = graph.simulate_walks(
        num_walks=SETTINGS["walks_per_node"], walk_length=SETTINGS["walk_length"]
    )
    return time.perf_counter() - started, _gensim_train(walks, args)


def _pypi_node2vec(args):
    import networkx as nx
    from node2vec import Node2Vec

    started = time.perf_counter()
    graph = nx.read_edgelist(args.edges)
    walker = Node2Vec(
        graph,
        dimensions=SETTINGS["dim"],
        walk_length=SETTINGS["walk_length"],
        num_walks=SETTINGS["walks_per_node"],
        p=args.p,
        q=args.q,
        workers=args.threads,
        quiet=True,
    )
    return time.perf_counter() - started, _gensim_train(walker.walks, args)


def benchmark(args) -> None:
    from embedlab.evaluation.node_classification import node_classification
    from embedlab.vectors.formats import load

    work = Path(args.workdir or tempfile.mkdtemp(prefix="graphs-bench-"))
    edges, labels = _prepare(args, work)
    rows = []
    for tool in args.tools:
        timed_out = None
        for p, q in [(1.0, 1.0)] if args.quick else args.grid:
            if timed_out is not None:  # its walk set-up does not depend on p and q
                rows.append(_unfinished(tool, p, q, f"skipped ({timed_out} timed out)"))
                continue
            vectors, report = work / f"{tool}-{p}-{q}.txt", work / f"{tool}-{p}-{q}.json"
            argv = [sys.executable, __file__, "child", "--tool", tool, "--edges", str(edges)]
            argv += ["--vectors", str(vectors), "--report", str(report)]
            argv += ["--threads", str(args.threads), "--p", str(p), "--q", str(q)]
            run = _common.run_child(argv, report, time_limit=args.time_limit or None)
            if run.timed_out:
                timed_out = f"p={p:g} q={q:g}"
                late = f"timed out after {run.wall_seconds:.0f} s"
                rows.append(_unfinished(tool, p, q, late, _common.fmt_mib(run.peak_rss_bytes)))
                continue
            scores = node_classification(load(vectors), labels, fractions=FRACTIONS)["fractions"]
            rows.append(_row(tool, p, q, run, scores))
    columns = ["tool", "p", "q", "walks", "training", "peak RSS"]
    columns += [f"{name} {int(100 * f)}%" for f in FRACTIONS for name in ("Micro", "Macro")]
    text = _common.markdown_table(columns, rows)
    print(text)
    if args.output:
        _common.save_markdown(args.output, _common.machine_header(_common.machine()) + text)


def _row(tool: str, p: float, q: float, run, scores: dict) -> list[str]:
    times = [_common.fmt_seconds(run.report[key]) for key in ("walks", "train")]
    quality = [f"{scores[f'{f:g}'][k]:.3f}" for f in FRACTIONS for k in ("micro_f1", "macro_f1")]
    return [tool, f"{p:g}", f"{q:g}", *times, _common.fmt_mib(run.peak_rss_bytes), *quality]


def _unfinished(tool: str, p: float, q: float, why: str, peak: str = "-") -> list[str]:
    """A row without timings or scores: ``why`` in the walks column, the peak RSS if known."""
    return [tool, f"{p:g}", f"{q:g}", why, "-", peak, *["-"] * (2 * len(FRACTIONS))]


def _prepare(args, work: Path):
    """The graph as an edge list every tool reads, and the labels (a slice when asked)."""
    from embedlab.evaluation.node_classification import read_labels
    from embedlab.graphs import build_graph, karate_club, read_graph, write_edgelist

    if args.graph == "karate":
        graph, labels = karate_club()
    else:
        graph, labels = read_graph(args.graph), read_labels(args.graph)
    if args.max_nodes:
        sources, targets, _ = graph.edges()
        inside = (sources < args.max_nodes) & (targets < args.max_nodes)
        graph = build_graph(
            graph.nodes, sources[inside], targets[inside], directed=False, origin="the slice"
        )
        kept = set(graph.nodes)
        labels = {node: value for node, value in labels.items() if node in kept}
    edges = work / "graph.edgelist"
    write_edgelist(graph, edges)
    return edges, labels


def _pq(text: str) -> tuple[float, float]:
    """``P:Q`` as two floats (argparse's type for ``--grid``)."""
    p, _, q = text.partition(":")
    try:
        return float(p), float(q)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not P:Q, e.g. 0.25:4") from None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    kid = parser.add_subparsers(dest="mode").add_parser("child", help="one tool's run (internal)")
    for name in ("--tool", "--edges", "--vectors", "--report"):
        kid.add_argument(name, required=True)
    kid.add_argument("--threads", type=int, required=True)
    kid.add_argument("--p", type=float, required=True)
    kid.add_argument("--q", type=float, required=True)
    parser.add_argument(
        "--graph", default=str(BLOGCATALOG), help="a .mat with network + group, or 'karate'"
    )
    parser.add_argument("--max-nodes", type=int, default=None, help="keep nodes 0..N-1 only")
    parser.add_argument("--tools", nargs="+", default=list(TOOLS), choices=TOOLS)
    parser.add_argument("--quick", action="store_true", help="p = q = 1 only")
    parser.add_argument(
        "--grid", nargs="+", type=_pq, default=GRID, metavar="P:Q", help="the p/q points to run"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--time-limit",
        type=float,
        default=TIME_LIMIT,
        help=f"seconds one tool's run may take (0: no limit; default {TIME_LIMIT:g})",
    )
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--output", default=None, help="also write the Markdown table here")
    _common.run(parser.parse_args(), child, benchmark, "graphs")


if __name__ == "__main__":
    main()
