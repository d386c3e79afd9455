"""Quality against training time, for every tool: who gives the best vectors for a time budget.

For skip-gram NS and CBOW NS each tool trains at its own defaults (dim 100, min_count 5 and the
threads set for all); the two GloVe tools both get embedlab's window and x_max (glove.c's own
x_max, 100, is far worse at these sizes). Each runs for each number of epochs in ``--epochs``
(GloVe 5x as many), in its own process, one run after the other; every run's WS353, SimLex-999
and Google analogy scores are plotted against its training seconds, one line per tool. The
picture goes to ``--plot`` (a PNG), the numbers to ``--output`` (Markdown) and ``--json``.

The runs reuse the children of ``word2vec_vs_peers.py`` and ``glove_vs_glove_c.py``, so a peer
that is not installed or not given (``--word2vec``, ``--glove-dir``) is skipped with a line::

    python benchmarks/quality_vs_time.py --max-tokens 3000000 --epochs 1 3 5 \\
        --word2vec PATH --glove-dir DIR --plot docs/quality_vs_time.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402  (the benchmarks folder is not a package)
import glove_vs_glove_c  # noqa: E402
import word2vec_vs_peers  # noqa: E402

PANELS = (
    ("ws353", "WS353 Spearman"),
    ("simlex999", "SimLex-999 Spearman"),
    ("google", "Google analogy accuracy"),
)
#: GloVe runs more epochs than word2vec by design (glove.c's default is 25).
GLOVE_EPOCH_FACTOR = 5


def glove_settings() -> tuple[int, float]:
    """embedlab's GloVe defaults (window, x_max), given to both GloVe tools: glove.c's own
    x_max default (100) scores half as well on corpora of this size (see BENCHMARKS.md)."""
    import inspect

    from embedlab.methods.glove import GloVe

    params = inspect.signature(GloVe).parameters
    return params["window"].default, params["x_max"].default


def word2vec_runs(args, corpus_file: Path, workdir: Path) -> list[dict]:
    runs = []
    tools = word2vec_vs_peers.available_tools(args)
    for name in ("sg-ns", "cbow-ns"):
        config = word2vec_vs_peers.CONFIGS[name]
        for tool in tools:
            for epochs in args.epochs:
                print(f"{config.label}: {tool}, {epochs} epochs ...", file=sys.stderr)
                argv, report, vectors = word2vec_vs_peers.child_argv(
                    tool,
                    config,
                    "defaults",
                    corpus_file,
                    workdir,
                    _common.with_changes(args, epochs=epochs),
                )
                run = _common.measure_child(argv, report, vectors)
                runs.append(_entry(config.label, word2vec_vs_peers.TOOLS[tool][0], epochs, run))
    return runs


def glove_runs(args, corpus_file: Path, workdir: Path) -> list[dict]:
    runs = []
    tools = ["embedlab"] + (["glove.c"] if args.glove_dir else [])
    if not args.glove_dir:
        print("glove.c: skipped (give its build folder with --glove-dir DIR)", file=sys.stderr)
    for tool in tools:
        for epochs in (GLOVE_EPOCH_FACTOR * e for e in args.epochs):
            print(f"GloVe: {tool}, {epochs} epochs ...", file=sys.stderr)
            argv, report, vectors = glove_vs_glove_c.child_argv(
                tool,
                *glove_settings(),
                corpus_file,
                workdir,
                _common.with_changes(args, epochs=epochs),
            )
            runs.append(_entry("GloVe", tool, epochs, _common.measure_child(argv, report, vectors)))
    return runs


def _entry(method: str, tool: str, epochs: int, run: dict) -> dict:
    return {
        "method": method,
        "tool": tool,
        "epochs": epochs,
        "train_seconds": run["train_seconds"],
        "rss": run["rss"],
        **run["quality"],
    }


def plot(runs: list[dict], path: str, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    methods = list(dict.fromkeys(run["method"] for run in runs))
    figure, axes = plt.subplots(
        len(methods), len(PANELS), figsize=(13, 3.6 * len(methods)), squeeze=False
    )
    for row, method in enumerate(methods):
        mine = [run for run in runs if run["method"] == method]
        for column, (score, label) in enumerate(PANELS):
            ax = axes[row][column]
            for tool in dict.fromkeys(run["tool"] for run in mine):
                points = sorted(
                    (r["train_seconds"], r[score])
                    for r in mine
                    if r["tool"] == tool and r[score] is not None
                )
                if points:
                    xs, ys = zip(*points, strict=True)
                    ax.plot(
                        xs, ys, marker="o", label=tool, linewidth=2 if tool == "embedlab" else 1
                    )
            ax.set_xscale("log")
            seconds = [r["train_seconds"] for r in mine]
            if max(seconds) > 10 * min(seconds):  # a decade's minor labels would crowd it
                ax.xaxis.set_minor_formatter(NullFormatter())
            ax.set_xlabel("training seconds (log scale)")
            ax.set_title(f"{method}: {label}", fontsize=10)
            ax.grid(alpha=0.3)
        axes[row][0].legend(fontsize=8)
    figure.suptitle(title, fontsize=11)
    figure.tight_layout()
    from embedlab.fileio import atomic_write

    with atomic_write(path, "wb") as handle:
        figure.savefig(handle, format="png", dpi=90)
    plt.close(figure)


def render(runs: list[dict], title: str, info: dict) -> str:
    columns = ["method", "tool", "epochs", "train s", "peak RSS MiB"]
    columns += [label for _, label in _common.QUALITY]
    rows = [
        [
            run["method"],
            run["tool"],
            str(run["epochs"]),
            _common.fmt_seconds(run["train_seconds"]),
            _common.fmt_mib(run["rss"]),
        ]
        + [_common.fmt_score(n, run[n]) for n, _ in _common.QUALITY]
        for run in runs
    ]
    return "\n".join(
        [f"## {title}", "", _common.machine_header(info), "", _common.markdown_table(columns, rows)]
    )


def run_benchmark(args) -> None:
    _common.check_outputs(args.output, args.plot, args.json)
    with _common.prepared_corpus(args) as (workdir, corpus_file, tokens):
        if not args.no_warmup:
            word2vec_vs_peers.warm_up(
                list(word2vec_vs_peers.CONFIGS.values())[:2], corpus_file, workdir, args
            )
        runs = []
        if "word2vec" in args.methods:
            runs += word2vec_runs(args, corpus_file, workdir)
        if "glove" in args.methods:
            runs += glove_runs(args, corpus_file, workdir)
    window, x_max = glove_settings()
    title = (
        f"Quality against training time: {Path(args.corpus).name}, {tokens:,} tokens, "
        f"{args.threads} threads; word2vec tools at their defaults, GloVe tools at window "
        f"{window}, x_max {x_max:g}"
    )
    text = render(runs, title, _common.machine())
    _common.publish(text, args.output)
    if args.json:
        _common.save_markdown(args.json, json.dumps(runs, indent=1))
    if args.plot:
        plot(runs, args.plot, title)


def parse(argv=None):
    parser, _ = _common.parsers(__doc__, "unused: the runs use the other benchmarks' children")
    parser.add_argument(
        "--epochs",
        nargs="+",
        type=int,
        default=[1, 3, 5],
        help="word2vec epochs; GloVe runs 5x as many",
    )
    parser.add_argument(
        "--tools",
        nargs="+",
        choices=list(word2vec_vs_peers.TOOLS),
        default=list(word2vec_vs_peers.TOOLS),
    )
    parser.add_argument(
        "--methods", nargs="+", choices=("word2vec", "glove"), default=["word2vec", "glove"]
    )
    parser.add_argument("--word2vec", default=None, help="path of word2vec.c's binary")
    parser.add_argument("--glove-dir", default=None, help="glove.c's build folder")
    parser.add_argument("--plot", default=None, help="write the picture here (PNG)")
    parser.add_argument("--json", default=None, help="write every run's numbers here")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    _common.run(parse(argv), None, run_benchmark, "quality_vs_time")


if __name__ == "__main__":
    main()
