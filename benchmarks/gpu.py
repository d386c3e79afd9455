"""word2vec's PyTorch backend on a device against the Numba kernels: words/s, RSS and quality.

Runs, each in its own process (so its peak RSS is its own), skip-gram and CBOW with negative
sampling at the same settings on one prepared text: the Numba kernels on ``--threads`` CPU
threads, and ``backend="torch"`` on ``--device`` (cuda on a GPU machine, cpu for a smoke check)
at each ``--batch-size``. The parent evaluates every saved vector file with embedlab's
evaluator and prints a Markdown table (also written to ``--output``). Issue 11's target: on
one H200 the torch skip-gram reaches 20 M words/s, 20 times the 2-core Numba figure, with
quality within noise of it. Words/s is the mean of the epochs' own figures (training only).

    python benchmarks/gpu.py --device cuda                          # on a GPU machine
    python benchmarks/gpu.py --device cpu --max-tokens 100000 --epochs 1   # a smoke check
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402  (the benchmarks folder is not a package)

MIN_COUNT = 5
SEED = 1
SETTINGS = {"dim": 100, "window": 5, "negative": 5, "sample": 1e-3}
ARCHITECTURES = ("skipgram", "cbow")
WARMUP_TOKENS = 20_000


def child(args) -> None:
    """Encode, train and save one run; write its timings as the report."""
    from embedlab.corpus import as_corpus
    from embedlab.methods import train

    params = dict(SETTINGS, epochs=args.epochs, threads=args.threads, seed=SEED, quiet=True)
    if args.backend == "torch":
        params.update(backend="torch", device=args.device, batch_size=args.batch_size)
    corpus = as_corpus(args.corpus_file, min_count=MIN_COUNT, cache=False)
    started = time.perf_counter()
    emb = train(corpus, method=args.architecture, **params)
    trained = time.perf_counter()
    emb.save(args.vectors)
    history = emb.meta["history"]
    _common.write_report(
        args.report,
        {
            "train_seconds": trained - started,
            "words_per_sec": sum(h["words_per_sec"] for h in history) / len(history),
            "final_loss": history[-1]["loss"],
            "vocabulary": len(corpus.vocab),
        },
    )


def warm_up(args, corpus_file: Path, workdir: Path) -> None:
    """Train each architecture once, tiny, in this process: only the Numba cache it fills
    matters (the torch runs compile nothing ahead)."""
    from embedlab.corpus import as_corpus
    from embedlab.methods import train

    small = workdir / "warmup.txt"
    _common.prepare_corpus(corpus_file, small, WARMUP_TOKENS)
    corpus = as_corpus(str(small), min_count=1, cache=False)
    for architecture in args.architectures:
        train(corpus, method=architecture, dim=10, epochs=1, threads=args.threads, seed=SEED,
              quiet=True)  # fmt: skip


def _runs(args):
    """``(name, label, child options)`` for every run, the Numba one of each architecture
    first (the ratios are against it)."""
    for architecture in args.architectures:
        yield (f"{architecture}-numba", f"{architecture} numba, {args.threads} threads",
               ["--architecture", architecture, "--backend", "numba"])  # fmt: skip
        for size in args.batch_sizes:
            yield (f"{architecture}-torch-{size}",
                   f"{architecture} torch {args.device}, batch {size}",
                   ["--architecture", architecture, "--backend", "torch", "--device",
                    args.device, "--batch-size", str(size)])  # fmt: skip


def render(results: dict, labels: dict, tokens: int, args) -> str:
    columns = ["run", "train s", "words/s", "x numba", "peak RSS MiB", "final loss"]
    columns += [label for _, label in _common.QUALITY]
    rows = []
    for name, result in results.items():
        base = results[f"{name.split('-')[0]}-numba"]
        row = [labels[name], _common.fmt_seconds(result["train_seconds"])]
        row += [_common.fmt_rate(result["words_per_sec"])]
        row += [_common.fmt_ratio(result["words_per_sec"], base["words_per_sec"])]
        row += [_common.fmt_mib(result["rss"]), f"{result['final_loss']:.4f}"]
        row += [_common.fmt_score(n, result["quality"][n]) for n, _ in _common.QUALITY]
        rows.append(row)
    return "\n".join(
        [
            f"## word2vec: torch backend on {args.device} vs the Numba kernels",
            "",
            _common.machine_header(_common.machine()),
            f"- Corpus: {_common.corpus_label(args, tokens)}, min_count {MIN_COUNT}, dim "
            f"{SETTINGS['dim']}, window {SETTINGS['window']}, negative {SETTINGS['negative']}, "
            f"sample {SETTINGS['sample']:g}, {args.epochs} epochs, seed {SEED}, sized alpha; "
            "each run in its own process.",
            "",
            _common.markdown_table(columns, rows),
        ]
    )


def run_benchmark(args) -> None:
    _common.check_outputs(args.output)
    results, labels = {}, {}
    with _common.prepared_corpus(args) as (workdir, corpus_file, tokens):
        if not args.no_warmup:
            warm_up(args, corpus_file, workdir)
        for name, label, options in _runs(args):
            print(f"{label} ...", file=sys.stderr)
            vectors, report = workdir / f"{name}.emb", workdir / f"{name}.json"
            argv = [sys.executable, __file__, "child", "--corpus-file", str(corpus_file),
                    "--vectors", str(vectors), "--report", str(report), "--threads",
                    str(args.threads), "--epochs", str(args.epochs), *options]  # fmt: skip
            results[name], labels[name] = _common.measure_child(argv, report, vectors), label
    _common.publish(render(results, labels, tokens, args), args.output)


def parse(argv=None):
    parser, one = _common.parsers(__doc__, "internal: one run in this process")
    one.add_argument("--architecture", choices=ARCHITECTURES, required=True)
    one.add_argument("--backend", choices=("numba", "torch"), required=True)
    one.add_argument("--device", default="cpu")
    one.add_argument("--batch-size", type=int, default=None)
    for p in (one, parser):
        p.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--device", choices=("cuda", "cpu"), default="cuda")
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1024, 16384],
                        help="torch runs, one per size (centre words per step)")  # fmt: skip
    parser.add_argument("--architectures", nargs="+", choices=ARCHITECTURES,
                        default=list(ARCHITECTURES))  # fmt: skip
    return parser.parse_args(argv)


def main(argv=None) -> None:
    _common.run(parse(argv), child, run_benchmark, "gpu")


if __name__ == "__main__":
    main()
