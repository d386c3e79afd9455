"""Count-based methods and GloVe next to skip-gram NS on one corpus: time, peak RSS, quality.

Runs, each in its own process (so its peak RSS is its own): ppmi-svd at window 2 and 5 (dim
300), glove at dim 100 and 300, and skip-gram with negative sampling with the settings of
``word2vec_vs_peers.py``. Every run encodes the same prepared text with min_count 5, trains, and
saves its vectors; the parent evaluates them all with embedlab's evaluator and prints a Markdown
table (also written to ``--output``).

    python benchmarks/count_methods.py                       # full enmix: minutes per run
    python benchmarks/count_methods.py --max-tokens 300000   # a quick check of the script
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402  (the benchmarks folder is not a package)

MIN_COUNT = 5
SEED = 1
#: Tokens encoded and trained on before anything is timed, so every timed run finds the Numba
#: kernels in the on-disk cache, as every run after a user's first does.
WARMUP_TOKENS = 20_000


@dataclass(frozen=True)
class Run:
    """One method with its parameters, as ``embedlab.train`` takes them."""

    name: str
    label: str
    method: str
    params: dict = field(default_factory=dict)


RUNS = {
    r.name: r
    for r in (
        Run("svd-w2", "ppmi-svd, window 2, dim 300", "ppmi-svd", {"window": 2, "dim": 300}),
        Run("svd-w5", "ppmi-svd, window 5, dim 300", "ppmi-svd", {"window": 5, "dim": 300}),
        Run("glove-100", "glove, dim 100", "glove", {"dim": 100}),
        Run("glove-300", "glove, dim 300", "glove", {"dim": 300}),
        Run(
            "sg-ns",
            "skip-gram NS, dim 100 (word2vec benchmark settings)",
            "skipgram",
            {"dim": 100, "window": 5, "negative": 5, "sample": 1e-4, "epochs": 5},
        ),
    )
}


def child(args) -> None:
    """Encode, train and save one run; write its timings as the report."""
    from embedlab.corpus import as_corpus
    from embedlab.methods import train

    run = RUNS[args.run]
    params = dict(run.params, threads=args.threads, seed=SEED, quiet=True)
    if run.method == "glove":
        params["epochs"] = args.glove_epochs
    started = time.perf_counter()
    corpus = as_corpus(args.corpus_file, min_count=MIN_COUNT, cache=False)
    encoded = time.perf_counter()
    emb = train(corpus, method=run.method, **params)
    trained = time.perf_counter()
    emb.save(args.vectors)
    _common.write_report(
        args.report,
        {
            "encode_seconds": encoded - started,
            "train_seconds": trained - encoded,
            "vocabulary": len(corpus.vocab),
            "tokens": corpus.n_tokens,
            "params": params,
            "epoch_seconds": [entry["seconds"] for entry in emb.meta.get("history", [])],
        },
    )


def measure(run: Run, corpus_file: Path, workdir: Path, args) -> dict:
    vectors = workdir / f"{run.name}.bin"
    report = workdir / f"{run.name}.json"
    argv = [sys.executable, __file__, "child", run.name, "--corpus-file", str(corpus_file)]
    argv += ["--vectors", str(vectors), "--report", str(report)]
    argv += ["--threads", str(args.threads), "--glove-epochs", str(args.glove_epochs)]
    return _common.measure_child(argv, report, vectors)


def warm_up(runs, corpus_file: Path, workdir: Path, threads: int) -> None:
    """Train each method once, tiny, in this process: only the Numba cache it fills matters."""
    from embedlab.corpus import as_corpus
    from embedlab.methods import train

    small = workdir / "warmup.txt"
    _common.prepare_corpus(corpus_file, small, WARMUP_TOKENS)
    corpus = as_corpus(str(small), min_count=1, cache=False)
    for method in sorted({run.method for run in runs}):
        passes = {} if method.startswith("ppmi") else {"epochs": 1}
        train(corpus, method=method, dim=10, threads=threads, seed=SEED, quiet=True, **passes)


def render(results: dict, runs, tokens: int, args) -> str:
    columns = ["run", "wall s", "train s", "s/epoch first, median, last", "peak RSS MiB"]
    columns.append("vocabulary")
    columns += [label for _, label in _common.QUALITY]
    rows = []
    for run in runs:
        result = results[run.name]
        row = [run.label, _common.fmt_seconds(result["wall"])]
        row += [_common.fmt_seconds(result["train_seconds"]), _epochs(result)]
        row.append(_common.fmt_mib(result["rss"]))
        row.append(f"{result['vocabulary']:,}")
        row += [_common.fmt_score(name, result["quality"][name]) for name, _ in _common.QUALITY]
        rows.append(row)
    corpus = Path(args.corpus).name
    sliced = f" (first {tokens:,} tokens)" if args.max_tokens else f" ({tokens:,} tokens)"
    return "\n".join(
        [
            "## Count-based methods and GloVe vs skip-gram NS",
            "",
            _common.machine_header(_common.machine()),
            f"- Corpus: {corpus}{sliced}, min_count {MIN_COUNT}, {args.threads} threads, "
            f"glove {args.glove_epochs} epochs, seed {SEED}",
            "- Each run in its own process; wall includes encoding and saving.",
            "",
            _common.markdown_table(columns, rows),
        ]
    )


def _epochs(result: dict) -> str:
    # GloVe's and word2vec's cost per epoch should stay flat; count methods have no epochs
    seconds = result.get("epoch_seconds") or []
    if not seconds:
        return "-"
    shown = (seconds[0], statistics.median(seconds), seconds[-1])
    return ", ".join(f"{value:.1f}" for value in shown)


def run_benchmark(args) -> None:
    runs = [RUNS[name] for name in args.runs]
    with tempfile.TemporaryDirectory(prefix="embedlab-count-", dir=args.workdir) as tmp:
        workdir = Path(tmp)
        corpus_file = workdir / "corpus.txt"
        print(f"preparing {args.corpus} ...", file=sys.stderr)
        tokens = _common.prepare_corpus(Path(args.corpus), corpus_file, args.max_tokens)
        if not args.no_warmup:
            warm_up(runs, corpus_file, workdir, args.threads)
        results = {}
        for run in runs:
            print(f"{run.label} ...", file=sys.stderr)
            results[run.name] = measure(run, corpus_file, workdir, args)
    text = render(results, runs, tokens, args)
    _common.publish(text, args.output)


def parse(argv=None):
    parser, one = _common.parsers(__doc__, "internal: one run in this process")
    one.add_argument("run", choices=sorted(RUNS))
    one.add_argument("--glove-epochs", type=int, required=True)
    parser.add_argument("--glove-epochs", type=int, default=25)
    parser.add_argument(
        "--runs", nargs="+", choices=sorted(RUNS), default=list(RUNS), metavar="RUN"
    )
    return parser.parse_args(argv)


def main(argv=None) -> None:
    _common.run(parse(argv), child, run_benchmark, "count_methods")


if __name__ == "__main__":
    main()
