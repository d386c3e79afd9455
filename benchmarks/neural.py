"""The neural encoders next to ppmi-svd and skip-gram NS at the same dim: time, RSS, quality.

Runs, each in its own process (so its peak RSS is its own), all at dim 100, window 5, cds 0.75
and min_count 5 on one prepared text: autoencoder (multinomial loss) and vae against ppmi-svd,
contrastive (infonce loss) against skip-gram NS. The parent evaluates every saved vector file
with embedlab's evaluator and prints a Markdown table (also written to ``--output``).
Issue 11's targets: autoencoder within 0.03 of ppmi-svd on WS353 and MEN, vae within 0.05,
contrastive within 0.03 of skip-gram NS, each under 10 minutes on 2 cores.

    python benchmarks/neural.py                       # full enmix (the lead runs this)
    python benchmarks/neural.py --max-tokens 200000   # a quick check of the script
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402  (the benchmarks folder is not a package)
from count_methods import Run  # noqa: E402

MIN_COUNT = 5
SEED = 1
COUNTING = {"dim": 100, "window": 5, "cds": 0.75}


RUNS = {
    r.name: r
    for r in (
        Run("svd", "ppmi-svd, dim 100, window 5", "ppmi-svd", COUNTING),
        Run("ae", "autoencoder (multinomial), dim 100", "autoencoder", COUNTING),
        Run("vae", "vae (multinomial, kl 1), dim 100", "vae", COUNTING),
        Run("sg-ns", "skip-gram NS, dim 100, window 5", "skipgram",
            {"dim": 100, "window": 5, "negative": 5, "sample": 1e-3, "epochs": 5}),
        Run("contrastive", "contrastive (infonce), dim 100, window 5", "contrastive",
            {"dim": 100, "window": 5, "negative": 5, "sample": 1e-3, "epochs": 5}),
    )
}  # fmt: skip


def child(args) -> None:
    """Encode, train and save one run; write its timings as the report."""
    from embedlab.corpus import as_corpus
    from embedlab.methods import train

    run = RUNS[args.run]
    params = dict(run.params, threads=args.threads, seed=SEED, quiet=True)
    if args.epochs and run.method in ("autoencoder", "vae", "contrastive"):
        params["epochs"] = args.epochs
    started = time.perf_counter()
    corpus = as_corpus(args.corpus_file, min_count=MIN_COUNT, cache=False)
    encoded = time.perf_counter()
    emb = train(corpus, method=run.method, **params)
    trained = time.perf_counter()
    emb.save(args.vectors)
    history = emb.meta.get("history", [])
    _common.write_report(
        args.report,
        {
            "train_seconds": trained - encoded,
            "encode_seconds": encoded - started,
            "vocabulary": len(corpus.vocab),
            "final_loss": history[-1]["loss"] if history else None,
            "params": params,
        },
    )


def render(results: dict, runs, tokens: int, args) -> str:
    columns = ["run", "wall s", "train s", "peak RSS MiB", "final loss", "vocabulary"]
    columns += [label for _, label in _common.QUALITY]
    rows = []
    for run in runs:
        result = results[run.name]
        loss = result["final_loss"]
        row = [run.label, _common.fmt_seconds(result["wall"])]
        row += [_common.fmt_seconds(result["train_seconds"]), _common.fmt_mib(result["rss"])]
        row += ["-" if loss is None else f"{loss:.4f}", f"{result['vocabulary']:,}"]
        row += [_common.fmt_score(name, result["quality"][name]) for name, _ in _common.QUALITY]
        rows.append(row)
    sliced = f" (first {tokens:,} tokens)" if args.max_tokens else f" ({tokens:,} tokens)"
    return "\n".join(
        [
            "## Neural encoders vs ppmi-svd and skip-gram NS",
            "",
            _common.machine_header(_common.machine()),
            f"- Corpus: {Path(args.corpus).name}{sliced}, min_count {MIN_COUNT}, "
            f"{args.threads} threads, seed {SEED}, neural epochs "
            f"{args.epochs or 'default'}; each run in its own process.",
            "",
            _common.markdown_table(columns, rows),
        ]
    )


def run_benchmark(args) -> None:
    runs = [RUNS[name] for name in args.runs]
    with tempfile.TemporaryDirectory(prefix="embedlab-neural-", dir=args.workdir) as tmp:
        workdir = Path(tmp)
        corpus_file = workdir / "corpus.txt"
        print(f"preparing {args.corpus} ...", file=sys.stderr)
        tokens = _common.prepare_corpus(Path(args.corpus), corpus_file, args.max_tokens)
        results = {}
        for run in runs:
            print(f"{run.label} ...", file=sys.stderr)
            vectors, report = workdir / f"{run.name}.emb", workdir / f"{run.name}.json"
            argv = [sys.executable, __file__, "child", run.name, "--corpus-file",
                    str(corpus_file), "--vectors", str(vectors), "--report", str(report),
                    "--threads", str(args.threads), "--epochs", str(args.epochs)]  # fmt: skip
            results[run.name] = _common.measure_child(argv, report, vectors)
    text = render(results, runs, tokens, args)
    _common.publish(text, args.output)


def parse(argv=None):
    parser, one = _common.parsers(__doc__, "internal: one run in this process")
    one.add_argument("run", choices=sorted(RUNS))
    for p in (one, parser):
        p.add_argument("--epochs", type=int, default=0, help="neural epochs (0: defaults)")
    parser.add_argument(
        "--runs", nargs="+", choices=sorted(RUNS), default=list(RUNS), metavar="RUN"
    )
    return parser.parse_args(argv)


def main(argv=None) -> None:
    _common.run(parse(argv), child, run_benchmark, "neural")


if __name__ == "__main__":
    main()
