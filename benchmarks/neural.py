"""The neural encoders at their defaults next to ppmi-svd and skip-gram NS: time, RSS, quality;
and the encoders' cost per epoch against the vocabulary and the PPMI matrix's non-zeros.

By default it compares: runs, each in its own process (so its peak RSS is its own), on every
corpus of ``--corpora`` (enmix and WikiText-2 by default), with min_count 5: ppmi-svd at the
encoders' dim 100, window 5 and cds 0.75; skip-gram NS, autoencoder, vae and contrastive at
their defaults. It reports train seconds (wall, and the child's CPU seconds), peak RSS and
the four scores (embedlab's evaluator), and the gaps that issue 24 sets as targets: autoencoder
within 0.03 of ppmi-svd on WS353 and MEN, vae within 0.05, contrastive within 0.01 of skip-gram
NS on WS353, SimLex and MEN in at most twice its time; each encoder under 3 minutes on enmix.

``--scaling`` times the autoencoder's epoch, sparse and full reconstruction, at a few vocabulary
sizes (``max_vocab``) of one corpus: CPU seconds per epoch next to |V| and the PPMI matrix's
non-zeros, from ``--batches`` timed steps scaled to the epoch (the full decoder's |V|^2 x dim
work makes whole epochs of it take many minutes).

    python benchmarks/neural.py                                   # both corpora, full (minutes)
    python benchmarks/neural.py --max-tokens 200000               # a quick check of the script
    python benchmarks/neural.py --scaling --vocab 5000 20000 60000   # cost per epoch
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402  (the benchmarks folder is not a package)
from count_methods import Run  # noqa: E402

MIN_COUNT = 5
SEED = 1
WIKITEXT2 = _common.REPO.parent / "shared" / "data" / "corpora" / "wikitext-2"
#: Each corpus: one or more files read as one text, comma-separated.
CORPORA = [
    str(_common.ENMIX),
    f"{WIKITEXT2 / 'wiki.valid.tokens'},{WIKITEXT2 / 'wiki.test.tokens'}",
]
WARMUP_TOKENS = 20_000

RUNS = {
    r.name: r
    for r in (
        Run("svd", "ppmi-svd, dim 100, window 5, cds 0.75", "ppmi-svd",
            {"dim": 100, "window": 5, "cds": 0.75}),
        Run("sg-ns", "skip-gram NS (defaults)", "skipgram", {}),
        Run("ae", "autoencoder (defaults)", "autoencoder", {}),
        Run("vae", "vae (defaults)", "vae", {}),
        Run("contrastive", "contrastive (defaults)", "contrastive", {}),
    )
}  # fmt: skip
#: (run, reference, the scores it is held to, the largest gap allowed)
TARGETS = (
    ("ae", "svd", ("ws353", "men"), 0.03),
    ("vae", "svd", ("ws353", "men"), 0.05),
    ("contrastive", "sg-ns", ("ws353", "simlex999", "men"), 0.01),
)


def child(args) -> None:
    """Encode, train and save one run; write its timings as the report."""
    from embedlab.corpus import as_corpus
    from embedlab.methods import train

    run = RUNS[args.run]
    params = dict(run.params, threads=args.threads, seed=SEED, quiet=True)
    corpus = as_corpus(args.corpus_file, min_count=MIN_COUNT, cache=False)
    started, cpu = time.perf_counter(), time.process_time()
    emb = train(corpus, method=run.method, **params)
    trained, cpu = time.perf_counter(), time.process_time() - cpu
    emb.save(args.vectors)
    history = emb.meta.get("history", [])
    _common.write_report(
        args.report,
        {
            "train_seconds": trained - started,
            "train_cpu_seconds": cpu,
            "epochs": len(history) or None,
            "vocabulary": len(corpus.vocab),
        },
    )


def prepare(spec: str, target: Path, max_tokens: int | None) -> int:
    """Write the files of ``spec`` (comma-separated, plain or .gz) as one tokenized text."""
    import gzip

    def lines(path: Path):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            yield from handle

    files = [Path(part) for part in spec.split(",")]
    chained = itertools.chain.from_iterable(lines(path) for path in files)
    return _common.write_token_lines((line.split() for line in chained), target, max_tokens)


def corpus_name(spec: str) -> str:
    names = [Path(part).name for part in spec.split(",")]
    return "WikiText-2 (valid + test)" if names[0].startswith("wiki.") else " + ".join(names)


def warm_up(corpus_file: Path, workdir: Path, threads: int) -> None:
    """Fill the Numba cache (skip-gram's kernel with each objective) before anything is timed."""
    from embedlab.corpus import as_corpus
    from embedlab.methods import train

    small = workdir / "warmup.txt"
    _common.write_token_lines(
        (line.split() for line in corpus_file.open(encoding="utf-8")), small, WARMUP_TOKENS
    )
    corpus = as_corpus(str(small), min_count=1, cache=False)
    for method in ("skipgram", "contrastive"):
        train(corpus, method=method, dim=10, epochs=1, threads=threads, seed=SEED, quiet=True)


def render_corpus(spec: str, results: dict, runs, tokens: int, args) -> str:
    columns = ["run", "epochs", "train s", "train CPU s", "peak RSS MiB", "vocabulary"]
    columns += [label for _, label in _common.QUALITY]
    rows = []
    for run in runs:
        result = results[run.name]
        row = [run.label, str(result["epochs"] or "-")]
        row += [_common.fmt_seconds(result["train_seconds"])]
        row += [_common.fmt_seconds(result["train_cpu_seconds"]), _common.fmt_mib(result["rss"])]
        row += [f"{result['vocabulary']:,}"]
        row += [_common.fmt_score(name, result["quality"][name]) for name, _ in _common.QUALITY]
        rows.append(row)
    sliced = f"first {tokens:,} tokens" if args.max_tokens else f"{tokens:,} tokens"
    lines = [
        f"### {corpus_name(spec)} ({sliced}), min_count {MIN_COUNT}, {args.threads} threads, "
        f"seed {SEED}",
        "",
        _common.markdown_table(columns, rows),
        "",
    ]
    return "\n".join(lines + list(target_lines(results)) + [""])


def target_lines(results: dict):
    """One line per target: the gaps, and whether it is met."""
    for name, reference, scores, allowed in TARGETS:
        if name not in results or reference not in results:
            continue
        ours, theirs = results[name]["quality"], results[reference]["quality"]
        gaps = {score: ours[score] - theirs[score] for score in scores}
        met = all(gap >= -allowed for gap in gaps.values())
        text = ", ".join(f"{score} {gap:+.3f}" for score, gap in gaps.items())
        time_note = ""
        if reference == "sg-ns":
            ratio = results[name]["train_seconds"] / results[reference]["train_seconds"]
            met = met and ratio <= 2
            time_note = f", {ratio:.2f}x its train time (at most 2x)"
        verdict = "met" if met else "missed"
        yield f"- {name} vs {reference} (within {allowed}): {text}{time_note}: {verdict}"


def compare(args) -> None:
    _common.check_outputs(args.output)
    runs = [RUNS[name] for name in args.runs]
    sections = ["## Neural encoders vs ppmi-svd and skip-gram NS", "",
                _common.machine_header(_common.machine()), ""]  # fmt: skip
    for spec in args.corpora:
        with _common.prepared_corpus(_common.with_changes(args, corpus=spec.split(",")[0])) as (
            workdir,
            corpus_file,
            _,
        ):
            tokens = prepare(spec, corpus_file, args.max_tokens)
            if not args.no_warmup:
                warm_up(corpus_file, workdir, args.threads)
            results = {}
            for run in runs:
                print(f"{corpus_name(spec)}: {run.label} ...", file=sys.stderr)
                vectors, report = workdir / f"{run.name}.emb", workdir / f"{run.name}.json"
                argv = [sys.executable, __file__, "child", run.name, "--corpus-file",
                        str(corpus_file), "--vectors", str(vectors), "--report", str(report),
                        "--threads", str(args.threads)]  # fmt: skip
                results[run.name] = _common.measure_child(argv, report, vectors)
        sections.append(render_corpus(spec, results, runs, tokens, args))
    _common.publish("\n".join(sections), args.output)


def scaling(args) -> None:
    """CPU seconds per autoencoder epoch, sparse and full, at each ``--vocab`` size."""
    import numpy as np

    from embedlab.corpus import as_corpus
    from embedlab.methods.neural.autoencoder import Autoencoder
    from embedlab.methods.torch_support.device import generator, repeatable

    _common.check_outputs(args.output)
    rows = []
    with _common.prepared_corpus(args) as (_, corpus_file, tokens):
        for vocab in args.vocab:
            corpus = as_corpus(str(corpus_file), min_count=MIN_COUNT, max_vocab=vocab, cache=False)
            row = None
            for reconstruction in ("sparse", "full"):
                estimator = Autoencoder(reconstruction=reconstruction, device="cpu",
                                        threads=args.threads, quiet=True)  # fmt: skip
                with repeatable(args.threads):
                    data = estimator._prepare(corpus, "cpu")
                    seconds = _epoch_seconds(estimator, data, args.batches, np, generator)
                if row is None:
                    row = [f"{data.units:,}", f"{data.matrix.nnz:,}"]
                row.append(_common.fmt_seconds(seconds))
            rows.append(row)
    columns = ["|V|", "PPMI non-zeros", "sparse: CPU s / epoch", "full: CPU s / epoch"]
    text = "\n".join([
        "## Autoencoder: cost per epoch against |V| and non-zeros",
        "",
        _common.machine_header(_common.machine()),
        f"- Corpus: {_common.corpus_label(args, tokens)}, min_count {MIN_COUNT}, defaults "
        f"(batch 256, dim 100, multinomial, 2048 sampled columns), {args.threads} threads; "
        f"{args.batches} steps timed (process CPU time) and scaled to the epoch's steps.",
        "",
        _common.markdown_table(columns, rows),
    ])  # fmt: skip
    _common.publish(text, args.output)


def _epoch_seconds(estimator, data, batches: int, np, generator) -> float:
    """CPU seconds of ``batches`` training steps, scaled to a whole epoch."""
    params = estimator._network(data, generator(SEED, -1, "cpu"))
    opt = estimator._optimizer_for(params)
    gen = generator(SEED, 0, "cpu")
    steps = estimator._batches(data, np.random.default_rng(SEED), "cpu")
    started, rows = time.process_time(), 0
    for batch, size, _ in itertools.islice(steps, batches):
        loss = estimator._loss(params, batch, data, gen, 0.0)
        opt.zero_grad()
        loss.backward()
        opt.step()
        rows += size
    return (time.process_time() - started) * data.units / max(rows, 1)


def parse(argv=None):
    parser, one = _common.parsers(__doc__, "internal: one run in this process")
    one.add_argument("run", choices=sorted(RUNS))
    parser.add_argument("--corpora", nargs="+", default=CORPORA, metavar="FILE[,FILE...]",
                        help="corpora to compare on (compare)")  # fmt: skip
    parser.add_argument("--runs", nargs="+", choices=sorted(RUNS), default=list(RUNS),
                        metavar="RUN")  # fmt: skip
    parser.add_argument("--vocab", nargs="+", type=int, default=[5_000, 10_000, 20_000, 60_000],
                        help="max_vocab sizes (scaling)")  # fmt: skip
    parser.add_argument("--batches", type=int, default=10, help="steps timed (scaling)")
    parser.add_argument("--scaling", action="store_true", help="time epochs instead of comparing")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse(argv)
    _common.run(args, child, scaling if args.scaling else compare, "neural")


if __name__ == "__main__":
    main()
