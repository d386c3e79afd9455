"""embedlab's GloVe against Stanford GloVe (glove.c), side by side on one corpus.

Both tools count the same whitespace-tokenized text (min_count 5, 1/d-weighted symmetric
windows), train with the same dim, window, x_max, epochs and threads, and keep W + W~. Each run
is its own process; the report gives counting and training seconds, seconds per epoch, peak RSS
and the quality of the saved vectors (embedlab's evaluator for both). Runs are listed as
``WINDOW:X_MAX`` pairs with ``--settings``.

glove.c is not a Python package: build it outside this repository (its ``build/`` folder holds
``vocab_count``, ``cooccur``, ``shuffle`` and ``glove``) and give that folder with
``--glove-dir``; without it only embedlab runs, with a line saying so. A quick check::

    python benchmarks/glove_vs_glove_c.py --max-tokens 300000 --epochs 2 --glove-dir DIR
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402  (the benchmarks folder is not a package)

DIM = 100
MIN_COUNT = 5
SEED = 1
WARMUP_TOKENS = 20_000
TOOLS = ("embedlab", "glove.c")


def train_embedlab(corpus_file, vectors, window, x_max, epochs, threads) -> dict:
    from embedlab.corpus import as_corpus
    from embedlab.methods import train

    corpus = as_corpus(
        corpus_file, min_count=MIN_COUNT, tokenizer="whitespace", lowercase=False, cache=False
    )
    started = time.perf_counter()
    emb = train(
        corpus,
        method="glove",
        dim=DIM,
        window=window,
        x_max=x_max,
        epochs=epochs,
        threads=threads,
        seed=SEED,
        quiet=True,
    )
    total = time.perf_counter() - started
    emb.save(vectors, format="word2vec-binary")
    trained = sum(entry["seconds"] for entry in emb.meta["history"])
    return {
        "count_seconds": total - trained,
        "train_seconds": trained,
        "vocabulary": len(emb.words),
    }


def train_glove_c(corpus_file, vectors, window, x_max, epochs, threads, glove_dir) -> dict:
    """vocab_count, cooccur and shuffle (counting), then glove (training), as glove.c's demo."""
    from embedlab.vectors.formats import load

    build = Path(glove_dir)
    work = Path(vectors).with_suffix("")
    vocab, cooc, shuffled = (f"{work}.vocab", f"{work}.cooc", f"{work}.shuf")
    started = time.perf_counter()
    _pipe(
        [build / "vocab_count", "-min-count", str(MIN_COUNT), "-verbose", "0"], corpus_file, vocab
    )
    _pipe(
        [
            build / "cooccur",
            "-memory",
            "4.0",
            "-vocab-file",
            vocab,
            "-verbose",
            "0",
            "-window-size",
            str(window),
        ],
        corpus_file,
        cooc,
    )
    _pipe(
        [build / "shuffle", "-memory", "4.0", "-verbose", "0", "-seed", str(SEED)], cooc, shuffled
    )
    counted = time.perf_counter()
    subprocess.run(
        [
            build / "glove",
            "-save-file",
            work,
            "-threads",
            str(threads),
            "-input-file",
            shuffled,
            "-x-max",
            str(x_max),
            "-iter",
            str(epochs),
            "-vector-size",
            str(DIM),
            "-binary",
            "0",
            "-vocab-file",
            vocab,
            "-verbose",
            "0",
            "-seed",
            str(SEED),
        ],
        check=True,
    )
    trained = time.perf_counter()
    emb = load(f"{work}.txt", format="glove")
    emb.save(vectors, format="word2vec-binary")
    for path in (vocab, cooc, shuffled, f"{work}.txt"):
        os.unlink(path)
    return {
        "count_seconds": counted - started,
        "train_seconds": trained - counted,
        "vocabulary": len(emb.words),
    }


def _pipe(argv, source, target) -> None:
    with open(source, "rb") as stdin, open(target, "wb") as stdout:
        subprocess.run([str(a) for a in argv], stdin=stdin, stdout=stdout, check=True)


def run_child_mode(args) -> None:
    common = (args.corpus_file, args.vectors, args.window, args.x_max, args.epochs, args.threads)
    if args.tool == "embedlab":
        report = train_embedlab(*common)
    else:
        report = train_glove_c(*common, args.glove_dir)
    _common.write_report(args.report, report)


def child_argv(tool, window, x_max, corpus_file, workdir, args, epochs=None):
    stem = f"{tool}-w{window}-x{x_max:g}"
    vectors, report = workdir / f"{stem}.bin", workdir / f"{stem}.json"
    argv = [
        sys.executable,
        __file__,
        "child",
        tool,
        "--corpus-file",
        str(corpus_file),
        "--vectors",
        str(vectors),
        "--report",
        str(report),
        "--threads",
        str(args.threads),
        "--window",
        str(window),
        "--x-max",
        str(x_max),
        "--epochs",
        str(epochs or args.epochs),
    ]
    if tool == "glove.c":
        argv += ["--glove-dir", args.glove_dir]
    return argv, report, vectors


def render(results, tokens, args, info) -> str:
    columns = [
        "window",
        "x_max",
        "tool",
        "count s",
        "train s",
        "s/epoch",
        "peak RSS MiB",
        "vocab",
    ] + [label for _, label in _common.QUALITY]
    rows = []
    for (window, x_max), runs in results.items():
        for tool, run in runs.items():
            per_epoch = run["train_seconds"] / args.epochs
            rows.append(
                [
                    str(window),
                    f"{x_max:g}",
                    tool,
                    _common.fmt_seconds(run["count_seconds"]),
                    _common.fmt_seconds(run["train_seconds"]),
                    f"{per_epoch:.2f}",
                    _common.fmt_mib(run["rss"]),
                    f"{run['vocabulary']:,}",
                ]
                + [_common.fmt_score(n, run["quality"][n]) for n, _ in _common.QUALITY]
            )
        if len(runs) == 2:
            ours, theirs = runs["embedlab"], runs["glove.c"]
            row = [
                str(window),
                f"{x_max:g}",
                "**embedlab vs glove.c**",
                _common.fmt_ratio(ours["count_seconds"], theirs["count_seconds"]),
                _common.fmt_ratio(ours["train_seconds"], theirs["train_seconds"]),
                "",
                _common.fmt_ratio(ours["rss"], theirs["rss"]),
                "",
            ]
            row += _common.quality_deltas(ours["quality"], theirs["quality"])
            rows.append(row)
    corpus = _common.corpus_label(args, tokens)
    return "\n".join(
        [
            "## GloVe: embedlab vs Stanford GloVe (`benchmarks/glove_vs_glove_c.py`)",
            "",
            _common.machine_header(info),
            f"- Corpus: {corpus}, {tokens:,} tokens; dim {DIM}, min_count {MIN_COUNT}, epochs "
            f"{args.epochs}, {args.threads} threads, learning rate 0.05, W + W~, for both",
            "",
            _common.markdown_table(columns, rows),
            "",
            "count s: vocabulary and co-occurrence counting (glove.c: vocab_count, cooccur and "
            "shuffle; embedlab: its counting pass, encoding excluded); train s: the epochs. "
            "Ratio rows: embedlab/glove.c for time and memory, embedlab minus glove.c for quality.",
        ]
    )


def run_benchmark(args) -> None:
    tools = list(TOOLS)
    if not args.glove_dir:
        print("glove.c: skipped (give its build folder with --glove-dir DIR)", file=sys.stderr)
        tools.remove("glove.c")
    _common.check_outputs(args.output)
    settings = [tuple(map(float, item.split(":"))) for item in args.settings]
    with _common.prepared_corpus(args) as (workdir, corpus_file, tokens):
        if not args.no_warmup:
            small = workdir / "warmup.txt"
            _common.prepare_corpus(corpus_file, small, WARMUP_TOKENS)
            _common.run_child(*child_argv("embedlab", 2, 10.0, small, workdir, args, 1)[:2])
        results: dict = {}
        for window, x_max in settings:
            for tool in tools:
                print(f"window {window:g}, x_max {x_max:g}: {tool} ...", file=sys.stderr)
                argv, report, vectors = child_argv(
                    tool, int(window), x_max, corpus_file, workdir, args
                )
                results.setdefault((int(window), x_max), {})[tool] = _common.measure_child(
                    argv, report, vectors
                )
    text = render(results, tokens, args, _common.machine())
    _common.publish(text, args.output)


def parse(argv=None):
    parser, child = _common.parsers(__doc__, "internal: one tool, one setting")
    child.add_argument("tool", choices=TOOLS)
    for name, kind in (("--window", int), ("--x-max", float), ("--epochs", int)):
        child.add_argument(name, type=kind, required=True)
    child.add_argument("--glove-dir", default=None)
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument(
        "--settings", nargs="+", default=["10:10", "10:100"], help="WINDOW:X_MAX pairs"
    )
    parser.add_argument("--glove-dir", default=None, help="glove.c's build folder")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    _common.run(parse(argv), run_child_mode, run_benchmark, "glove_vs_glove_c")


if __name__ == "__main__":
    main()
