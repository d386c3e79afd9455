"""embedlab's word2vec against gensim's, on the same corpus, settings, threads and machine.

For skip-gram with negative sampling (embedlab twice: with its default shared negatives per
centre word, and with word2vec.c's fresh draw per pair), CBOW with negative sampling and
skip-gram with hierarchical softmax, each tool trains in its own process, one after the
other, and saves its vectors; this script then reports wall time, training words/s, peak RSS and
the quality of the saved vectors (embedlab's evaluator for both) as a Markdown table with the
embedlab/gensim ratios.

Training words/s is computed the same way for both tools: corpus tokens x epochs / seconds spent
in training (vocabulary building and saving excluded; they are in the wall time). gensim runs in
``corpus_file`` mode, its fastest, on an uncompressed whitespace-tokenized copy of the corpus
that is prepared once, before anything is timed; embedlab reads the same file with its
whitespace tokenizer, so both see exactly the same tokens.

The full run (enmix, 9M tokens, 5 epochs, 3 configurations x 2 tools) takes a while; for a quick
check::

    python benchmarks/word2vec_vs_peers.py --max-tokens 300000 --epochs 1
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402  (the benchmarks folder is not a package)

DIM = 100
WINDOW = 5
NEGATIVE = 5
SAMPLE = 1e-4
MIN_COUNT = 5
SEED = 1
MIN_ALPHA = 0.0001
#: Tokens of the corpus used to compile embedlab's Numba kernels before anything is timed, so
#: that every timed run finds them in Numba's on-disk cache (as every run after a user's first).
WARMUP_TOKENS = 20_000


@dataclass(frozen=True)
class Config:
    """One word2vec variant, in both tools' terms."""

    name: str
    label: str
    method: str  # embedlab method
    objective: str  # embedlab objective
    alpha: float  # word2vec.c's default for the architecture, given to both tools
    #: embedlab's skip-gram draws one set of negatives per centre word (its default); False is
    #: word2vec.c's and gensim's fresh draw per pair
    shared_negatives: bool = True


CONFIGS = {
    c.name: c
    for c in (
        Config("sg-ns", "skip-gram NS", "skipgram", "negative", 0.025),
        Config("sg-ns-fresh", "skip-gram NS, fresh draws", "skipgram", "negative", 0.025, False),
        Config("cbow-ns", "CBOW NS", "cbow", "negative", 0.05),
        Config("sg-hs", "skip-gram HS", "skipgram", "hierarchical", 0.025),
    )
}
TOOLS = ("embedlab", "gensim")


def train_embedlab(config: Config, corpus_file: str, vectors: str, epochs: int, threads: int):
    """Child: encode, train and save with embedlab; return its report."""
    from embedlab.corpus import as_corpus
    from embedlab.methods import train

    started = time.perf_counter()
    corpus = as_corpus(
        corpus_file, min_count=MIN_COUNT, tokenizer="whitespace", lowercase=False, cache=False
    )
    encoded = time.perf_counter()
    own = {"shared_negatives": config.shared_negatives} if config.method == "skipgram" else {}
    emb = train(
        corpus,
        **own,
        method=config.method,
        objective=config.objective,
        dim=DIM,
        window=WINDOW,
        negative=NEGATIVE,
        sample=SAMPLE,
        epochs=epochs,
        alpha=config.alpha,
        min_alpha=MIN_ALPHA,
        threads=threads,
        seed=SEED,
        quiet=True,
    )
    trained = time.perf_counter()
    emb.save(vectors, format="word2vec-binary")
    history = emb.meta.get("history", [])
    return {
        "vocab_seconds": encoded - started,
        "train_seconds": trained - encoded,
        "vocabulary": len(emb.words),
        "reported_words": sum(int(entry.get("words", 0)) for entry in history),
    }


def train_gensim(config: Config, corpus_file: str, vectors: str, epochs: int, threads: int):
    """Child: the same with gensim's ``corpus_file`` mode; return its report."""
    from gensim.models import Word2Vec

    hierarchical = config.objective == "hierarchical"
    started = time.perf_counter()
    model = Word2Vec(
        vector_size=DIM,
        window=WINDOW,
        sg=int(config.method == "skipgram"),
        hs=int(hierarchical),
        negative=0 if hierarchical else NEGATIVE,
        sample=SAMPLE,
        min_count=MIN_COUNT,
        alpha=config.alpha,
        min_alpha=MIN_ALPHA,
        workers=threads,
        seed=SEED,
    )
    model.build_vocab(corpus_file=corpus_file)
    built = time.perf_counter()
    effective, _ = model.train(
        corpus_file=corpus_file,
        total_examples=model.corpus_count,
        total_words=model.corpus_total_words,
        epochs=epochs,
    )
    trained = time.perf_counter()
    model.wv.save_word2vec_format(vectors, binary=True)
    return {
        "vocab_seconds": built - started,
        "train_seconds": trained - built,
        "vocabulary": len(model.wv),
        "reported_words": int(effective),
    }


CHILDREN = {"embedlab": train_embedlab, "gensim": train_gensim}


def run_child_mode(args) -> None:
    config = CONFIGS[args.config]
    report = CHILDREN[args.tool](config, args.corpus_file, args.vectors, args.epochs, args.threads)
    _common.write_report(args.report, report)


def child_argv(tool, config, corpus_file, workdir, epochs, threads) -> tuple[list, Path, Path]:
    """The command line of one child, and where it writes its report and vectors."""
    vectors = workdir / f"{tool}-{config.name}.bin"
    report = workdir / f"{tool}-{config.name}.json"
    argv = [sys.executable, __file__, "child", tool, config.name]
    argv += ["--corpus-file", str(corpus_file), "--vectors", str(vectors), "--report", str(report)]
    argv += ["--epochs", str(epochs), "--threads", str(threads)]
    return argv, report, vectors


def measure(tool, config, corpus_file, workdir, epochs, threads) -> dict:
    """Train in a child process, then evaluate its vectors here (outside the timing)."""
    return _common.measure_child(*child_argv(tool, config, corpus_file, workdir, epochs, threads))


def warm_up(configs, corpus_file: Path, workdir: Path, threads: int) -> None:
    """Compile embedlab's kernels into Numba's cache on a few thousand words, untimed."""
    small = workdir / "warmup.txt"
    _common.prepare_corpus(corpus_file, small, WARMUP_TOKENS)
    for config in configs:
        argv, report, _ = child_argv("embedlab", config, small, workdir, 1, threads)
        _common.run_child(argv, report)


def render(results, configs, tokens, args, info) -> str:
    columns = ["config", "tool", "wall s", "train s", "train words/s", "peak RSS MiB", "vocab"]
    columns += [label for _, label in _common.QUALITY]
    rows = []
    for config in configs:
        runs = results[config.name]
        for tool in TOOLS:
            rows.append(_tool_row(config, tool, runs[tool], tokens * args.epochs))
        rows.append(_ratio_row(config, runs, tokens * args.epochs))
    corpus = Path(args.corpus).name + (f" (first {tokens:,} tokens)" if args.max_tokens else "")
    settings = (
        f"dim {DIM}, window {WINDOW}, negative {NEGATIVE}, sample {SAMPLE:g}, min_count "
        f"{MIN_COUNT}, epochs {args.epochs}, {args.threads} threads, alpha 0.025 (skip-gram) / "
        f"0.05 (CBOW) for both tools, seed {SEED}"
    )
    notes = (
        "train words/s = corpus tokens x epochs / training seconds, for both tools. Wall time is "
        "the whole process (start-up, vocabulary, training, saving); embedlab's Numba kernels "
        "were compiled into the on-disk cache by an untimed warm-up. Quality: embedlab's "
        "evaluator on each tool's saved vectors (30,000 most frequent words). Ratio rows: "
        "embedlab/gensim for time, rate and memory; embedlab minus gensim for quality."
    )
    return "\n".join(
        [
            "## word2vec: embedlab vs gensim",
            "",
            _common.machine_header(info),
            f"- Corpus: {corpus}, {tokens:,} tokens",
            f"- Settings: {settings}",
            "",
            _common.markdown_table(columns, rows),
            "",
            notes,
        ]
    )


def _tool_row(config, tool, run, words) -> list[str]:
    row = [config.label, tool, _common.fmt_seconds(run["wall"])]
    row += [_common.fmt_seconds(run["train_seconds"]), _common.fmt_rate(_rate(run, words))]
    row += [_common.fmt_mib(run["rss"]), f"{run['vocabulary']:,}"]
    row += [_common.fmt_score(name, run["quality"][name]) for name, _ in _common.QUALITY]
    return row


def _ratio_row(config, runs, words) -> list[str]:
    ours, theirs = runs["embedlab"], runs["gensim"]
    row = [config.label, "**embedlab/gensim**", _common.fmt_ratio(ours["wall"], theirs["wall"])]
    row.append(_common.fmt_ratio(ours["train_seconds"], theirs["train_seconds"]))
    row.append(_common.fmt_ratio(_rate(ours, words), _rate(theirs, words)))
    row += [_common.fmt_ratio(ours["rss"], theirs["rss"]), ""]
    for name, _ in _common.QUALITY:
        a, b = ours["quality"][name], theirs["quality"][name]
        if a is None or b is None:
            row.append("-")
        elif name == "google":
            row.append(f"{100 * (a - b):+.1f} pt")
        else:
            row.append(f"{a - b:+.3f}")
    return row


def _rate(run, words) -> float:
    return words / run["train_seconds"] if run["train_seconds"] > 0 else 0.0


def run_benchmark(args) -> None:
    configs = [CONFIGS[name] for name in args.configs]
    if args.output:
        from embedlab.fileio import check_output_path

        check_output_path(args.output)  # before the long run, not after it
    with tempfile.TemporaryDirectory(prefix="embedlab-bench-", dir=args.workdir) as tmp:
        workdir = Path(tmp)
        corpus_file = workdir / "corpus.txt"
        print(f"preparing {args.corpus} ...", file=sys.stderr)
        tokens = _common.prepare_corpus(Path(args.corpus), corpus_file, args.max_tokens)
        if not args.no_warmup:
            warm_up(configs, corpus_file, workdir, args.threads)
        results: dict[str, dict] = {}
        for config in configs:
            results[config.name] = {}
            for tool in TOOLS:
                print(f"{config.label}: {tool} ...", file=sys.stderr)
                results[config.name][tool] = measure(
                    tool, config, corpus_file, workdir, args.epochs, args.threads
                )
    text = render(results, configs, tokens, args, _common.machine())
    print(text)
    if args.output:
        _common.save_markdown(args.output, text)


def parse(argv=None):
    parser, child = _common.parsers(__doc__, "internal: one tool, one configuration")
    child.add_argument("tool", choices=TOOLS)
    child.add_argument("config", choices=sorted(CONFIGS))
    child.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument(
        "--configs", nargs="+", choices=sorted(CONFIGS), default=list(CONFIGS), metavar="CONFIG"
    )
    return parser.parse_args(argv)


def main(argv=None) -> None:
    _common.run(parse(argv), run_child_mode, run_benchmark, "word2vec_vs_peers")


if __name__ == "__main__":
    main()
