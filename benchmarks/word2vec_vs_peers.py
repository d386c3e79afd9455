"""embedlab's word2vec against every peer, side by side: gensim (``corpus_file`` and iterable),
fastText (with subwords, its default, and without) and word2vec.c, on the same corpus, threads and
machine.

Three kinds of run, for skip-gram and CBOW with negative sampling (and skip-gram with hierarchical
softmax, for the tools that have it):

- ``defaults``: each tool at its own defaults, with only dim, epochs, threads and min_count set
  for all (what a user who switches tools gets);
- ``matched``: every tool with the same window, negative, sample and learning rate (embedlab's
  defaults), so that the differences left are the tools' own;
- ``subwords``: fastText with its character n-grams (its defaults, 3-6, 2 M buckets) against
  embedlab with ``minn=3, maxn=6`` (``--subwords 3-6``, its own defaults otherwise), each
  saving its model as fastText's ``.bin``. Its table has the Google analogies' semantic and
  syntactic halves apart, and a rare-words column: the pairs of the bundled similarity sets
  (WS353, SimLex-999, MEN, RG-65, MC-30; human scores scaled to 0-10 per set) in which a word
  occurs fewer than 100 times in the corpus (case-insensitively) or not at all, scored with
  the vector each model composes from n-grams for an unseen word (Spearman; the table says
  how many pairs, and how many had an unseen word). The other columns use the usual protocol
  (30,000 most frequent words, pairs outside skipped), so they compare with the other tables.

Each run trains in its own process, one after the other, and saves its vectors; this script
reports wall time, training time, training words/s, peak RSS and the quality of the saved vectors
(embedlab's evaluator for every tool, gensim's protocol) with the ratios against each peer.
Training words/s is corpus tokens x epochs / training seconds for every tool. All tools read one
uncompressed whitespace-tokenized copy of the corpus, prepared before anything is timed.

word2vec.c is not a Python package: build it outside this repository and give its binary with
``--word2vec PATH``; without it that peer is skipped, with a line saying so. fastText needs
``pip install fasttext-wheel==0.9.2``. A quick check::

    python benchmarks/word2vec_vs_peers.py --max-tokens 300000 --epochs 1 --modes defaults
    python benchmarks/word2vec_vs_peers.py --max-tokens 200000 --epochs 1 --modes subwords
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402  (the benchmarks folder is not a package)

DIM = 100
MIN_COUNT = 5
SEED = 1
#: Tokens used to compile embedlab's Numba kernels before anything is timed, so that every timed
#: run finds them in the on-disk cache (as every run after a user's first).
WARMUP_TOKENS = 20_000


@dataclass(frozen=True)
class Config:
    """One word2vec variant: architecture and objective."""

    name: str
    label: str
    architecture: str  # "skipgram" or "cbow"
    objective: str  # "negative" or "hierarchical"


CONFIGS = {
    c.name: c
    for c in (
        Config("sg-ns", "skip-gram NS", "skipgram", "negative"),
        Config("cbow-ns", "CBOW NS", "cbow", "negative"),
        Config("sg-hs", "skip-gram HS", "skipgram", "hierarchical"),
    )
}
MODES = ("defaults", "matched", "subwords")
#: fastText's n-gram lengths, which the subwords runs give embedlab too.
MINN, MAXN = 3, 6
#: A word seen fewer times than this in the corpus is rare (the rare-words column).
RARE_BELOW = 100
#: The similarity sets the rare pairs come from (WS353's two halves are inside WS353).
RARE_SETS = ("ws353", "simlex999", "men", "rg65", "mc30")


def matched_settings(config: Config, tokens: int) -> dict:
    """The settings every tool gets in ``matched`` mode: embedlab's defaults, spelled out, with
    the starting rate sized from the corpus's ``tokens`` as embedlab sizes it."""
    from embedlab.methods import method_class
    from embedlab.methods.word2vec.model import sized_alpha

    estimator = method_class(config.architecture)(objective=config.objective)
    params = estimator.get_params()
    if params["alpha"] is None:
        params["alpha"] = sized_alpha(tokens, *estimator.alpha_rule)
    names = ("window", "negative", "sample", "alpha", "min_alpha")
    return {name: params[name] for name in names}


def train_embedlab(config, matched, corpus_file, vectors, epochs, threads):
    return _train_embedlab(config, corpus_file, vectors, epochs, threads, "word2vec-binary",
                           **(matched or {}))  # fmt: skip


def train_embedlab_subwords(config, matched, corpus_file, vectors, epochs, threads):
    """embedlab at its defaults with fastText's n-grams, saved as fastText's model."""
    return _train_embedlab(config, corpus_file, vectors, epochs, threads, "fasttext",
                           minn=MINN, maxn=MAXN)  # fmt: skip


def _train_embedlab(config, corpus_file, vectors, epochs, threads, file_format, **params):
    from embedlab.corpus import as_corpus
    from embedlab.methods import train

    started = time.perf_counter()
    corpus = as_corpus(
        corpus_file, min_count=MIN_COUNT, tokenizer="whitespace", lowercase=False, cache=False
    )
    encoded = time.perf_counter()
    emb = train(
        corpus,
        method=config.architecture,
        objective=config.objective,
        dim=DIM,
        epochs=epochs,
        threads=threads,
        seed=SEED,
        quiet=True,
        **params,
    )
    trained = time.perf_counter()
    emb.save(vectors, format=file_format)
    return {
        "train_seconds": trained - encoded,
        "setup_seconds": encoded - started,
        "vocabulary": len(emb.words),
    }


def train_fasttext_model(config, matched, corpus_file, vectors, epochs, threads):
    """fastText at its defaults (subwords 3-6, 2 M buckets), its model saved by fastText."""
    import fasttext

    started = time.perf_counter()
    model = fasttext.train_unsupervised(corpus_file, **_fasttext_params(config, epochs, threads))
    trained = time.perf_counter()
    model.save_model(vectors)
    return {
        "train_seconds": trained - started,
        "setup_seconds": 0.0,
        "vocabulary": len(model.words),
    }


def _gensim_model(config, matched, threads):
    from gensim.models import Word2Vec

    hierarchical = config.objective == "hierarchical"
    params = dict(
        vector_size=DIM,
        sg=int(config.architecture == "skipgram"),
        hs=int(hierarchical),
        min_count=MIN_COUNT,
        workers=threads,
        seed=SEED,
    )
    if hierarchical:
        params["negative"] = 0
    if matched:
        params.update(
            window=matched["window"],
            sample=matched["sample"],
            alpha=matched["alpha"],
            min_alpha=matched["min_alpha"],
        )
        if not hierarchical:
            params["negative"] = matched["negative"]
    return Word2Vec(**params)


def _train_gensim(config, matched, corpus_file, vectors, epochs, threads, corpus: dict) -> dict:
    """``corpus`` is ``{"corpus_file": PATH}`` (each worker reads its own part of the file, gensim's
    fastest mode) or ``{"corpus_iterable": SENTENCES}`` (fed to the workers through a queue)."""
    model = _gensim_model(config, matched, threads)
    started = time.perf_counter()
    model.build_vocab(**corpus)
    built = time.perf_counter()
    model.train(
        **corpus,
        total_examples=model.corpus_count,
        total_words=model.corpus_total_words,
        epochs=epochs,
    )
    trained = time.perf_counter()
    model.wv.save_word2vec_format(vectors, binary=True)
    return {
        "train_seconds": trained - built,
        "setup_seconds": built - started,
        "vocabulary": len(model.wv),
    }


def train_gensim(config, matched, corpus_file, vectors, epochs, threads):
    return _train_gensim(
        config, matched, corpus_file, vectors, epochs, threads, {"corpus_file": corpus_file}
    )


def train_gensim_iterable(config, matched, corpus_file, vectors, epochs, threads):
    from gensim.models.word2vec import LineSentence

    sentences = {"corpus_iterable": LineSentence(corpus_file)}
    return _train_gensim(config, matched, corpus_file, vectors, epochs, threads, sentences)


def _train_fasttext(config, matched, corpus_file, vectors, epochs, threads, subwords: bool):
    import fasttext
    import numpy as np

    from embedlab.vectors.embeddings import Embeddings

    params = _fasttext_params(config, epochs, threads)
    if not subwords:
        params["maxn"] = 0
    if matched:
        params.update(
            ws=matched["window"], neg=matched["negative"], t=matched["sample"], lr=matched["alpha"]
        )
    started = time.perf_counter()
    model = fasttext.train_unsupervised(corpus_file, **params)  # counts, then trains
    trained = time.perf_counter()
    words = model.get_words()
    matrix = np.stack([model.get_word_vector(word) for word in words]).astype(np.float32)
    Embeddings(words, matrix).save(vectors, format="word2vec-binary")
    return {"train_seconds": trained - started, "setup_seconds": 0.0, "vocabulary": len(words)}


def _fasttext_params(config, epochs: int, threads: int) -> dict:
    """fastText's arguments for ``config`` at its defaults otherwise (subwords 3-6 included)."""
    return dict(
        model="skipgram" if config.architecture == "skipgram" else "cbow",
        dim=DIM,
        epoch=epochs,
        minCount=MIN_COUNT,
        thread=threads,
        verbose=0,
        loss="hs" if config.objective == "hierarchical" else "ns",
    )


def train_fasttext(config, matched, corpus_file, vectors, epochs, threads):
    return _train_fasttext(config, matched, corpus_file, vectors, epochs, threads, subwords=True)


def train_fasttext_words(config, matched, corpus_file, vectors, epochs, threads):
    return _train_fasttext(config, matched, corpus_file, vectors, epochs, threads, subwords=False)


def train_word2vec_c(config, matched, corpus_file, vectors, epochs, threads, binary):
    """word2vec.c as a subprocess: it counts and trains in one run, so both are training time."""
    import subprocess

    argv = [
        binary,
        "-train",
        corpus_file,
        "-output",
        vectors,
        "-binary",
        "1",
        "-size",
        str(DIM),
        "-iter",
        str(epochs),
        "-min-count",
        str(MIN_COUNT),
        "-threads",
        str(threads),
        "-cbow",
        str(int(config.architecture == "cbow")),
    ]
    if config.objective == "hierarchical":
        argv += ["-hs", "1", "-negative", "0"]
    if matched:
        argv += [
            "-window",
            str(matched["window"]),
            "-sample",
            str(matched["sample"]),
            "-alpha",
            str(matched["alpha"]),
        ]
        if config.objective != "hierarchical":
            argv += ["-negative", str(matched["negative"])]
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    trained = time.perf_counter()
    from embedlab.vectors.formats import load

    return {
        "train_seconds": trained - started,
        "setup_seconds": 0.0,
        "vocabulary": len(load(vectors).words),
    }


#: tool -> (label, trainer, objectives it has)
TOOLS = {
    "embedlab": ("embedlab", train_embedlab, ("negative", "hierarchical")),
    "gensim": ("gensim corpus_file", train_gensim, ("negative", "hierarchical")),
    "gensim-iter": ("gensim iterable", train_gensim_iterable, ("negative", "hierarchical")),
    "fasttext": ("fastText (subwords)", train_fasttext, ("negative", "hierarchical")),
    "fasttext-words": ("fastText maxn 0", train_fasttext_words, ("negative", "hierarchical")),
    "word2vec-c": ("word2vec.c", train_word2vec_c, ("negative", "hierarchical")),
}
#: The ``subwords`` runs' tools: the same names, each saving a fastText model.
SUBWORD_TOOLS = {
    "embedlab": (f"embedlab --subwords {MINN}-{MAXN}", train_embedlab_subwords),
    "fasttext": ("fastText (subwords)", train_fasttext_model),
}


def run_child_mode(args) -> None:
    config = CONFIGS[args.config]
    trainer = (SUBWORD_TOOLS if args.run_mode == "subwords" else TOOLS)[args.tool][1]
    extra = {"binary": args.word2vec} if args.tool == "word2vec-c" else {}
    # The parent sizes the matched settings once from the corpus it prepared: no child re-reads it.
    matched = json.loads(args.matched) if args.run_mode == "matched" else None
    report = trainer(
        config, matched, args.corpus_file, args.vectors, args.epochs, args.threads, **extra
    )
    _common.write_report(args.report, report)


def child_argv(tool, config, mode, corpus_file, workdir, args) -> tuple[list, Path, Path]:
    stem = f"{tool}-{config.name}-{mode}"
    vectors, report = workdir / f"{stem}.bin", workdir / f"{stem}.json"
    argv = [sys.executable, __file__, "child", tool, config.name, mode]
    argv += ["--corpus-file", str(corpus_file), "--vectors", str(vectors), "--report", str(report)]
    argv += ["--epochs", str(args.epochs), "--threads", str(args.threads)]
    if mode == "matched":
        argv += ["--matched", json.dumps(matched_settings(config, args.tokens))]
    if tool == "word2vec-c":
        argv += ["--word2vec", args.word2vec]
    return argv, report, vectors


def available_tools(args) -> list[str]:
    import importlib.util

    tools = []
    for tool in args.tools:
        if tool == "word2vec-c" and not args.word2vec:
            print("word2vec.c: skipped (give its binary with --word2vec PATH)", file=sys.stderr)
        elif tool.startswith("fasttext") and importlib.util.find_spec("fasttext") is None:
            print(f"{tool}: skipped (pip install fasttext-wheel==0.9.2)", file=sys.stderr)
        elif tool.startswith("gensim") and importlib.util.find_spec("gensim") is None:
            print(f"{tool}: skipped (pip install gensim)", file=sys.stderr)
        else:
            tools.append(tool)
    return tools


def render(results, tokens, args, info, rare=None) -> str:
    words_only = {key: runs for key, runs in results.items() if key[1] != "subwords"}
    subword_runs = {key: runs for key, runs in results.items() if key[1] == "subwords"}
    parts = [render_words(words_only, tokens, args, info)] if words_only else []
    if subword_runs:
        parts.append(render_subwords(subword_runs, tokens, args, info, rare))
    return "\n\n".join(parts)


def render_words(results, tokens, args, info) -> str:
    columns = [
        "config",
        "mode",
        "tool",
        "wall s",
        "train s",
        "train words/s",
        "peak RSS MiB",
        "vocab",
    ] + [label for _, label in _common.QUALITY]
    rows = []
    words = tokens * args.epochs
    for (config, mode), runs in results.items():
        for tool, run in runs.items():
            rows.append([config.label, mode, TOOLS[tool][0], *_measures(run, words)])
        ours = runs.get("embedlab")
        for tool, run in runs.items():
            if ours is not None and tool != "embedlab":
                rows.append(
                    [
                        config.label,
                        mode,
                        f"**embedlab vs {TOOLS[tool][0]}**",
                        *_ratios(ours, run, words),
                    ]
                )
    corpus = _common.corpus_label(args, tokens)
    notes = (
        "train words/s = corpus tokens x epochs / training seconds (fastText and word2vec.c count "
        "their vocabulary inside that time; it is a few seconds). Wall time is the whole process. "
        "embedlab's Numba kernels were compiled into the on-disk cache by an untimed warm-up. "
        "Quality: embedlab's evaluator on each tool's saved vectors (30,000 most frequent words). "
        "Ratio rows: embedlab/peer for time, rate and memory; embedlab minus peer for quality. "
        "`matched` settings (embedlab's defaults, given to every tool): "
        + "; ".join(
            f"{c.label}: " + ", ".join(f"{k} {v:g}" for k, v in matched_settings(c, tokens).items())
            for c in {config for config, _ in results}
        )
    )
    return "\n".join(
        [
            "## word2vec: embedlab vs every peer (`benchmarks/word2vec_vs_peers.py`)",
            "",
            _common.machine_header(info),
            f"- Corpus: {corpus}, {tokens:,} tokens; dim {DIM}, epochs {args.epochs}, min_count "
            f"{MIN_COUNT}, {args.threads} threads for every tool",
            "",
            _common.markdown_table(columns, rows),
            "",
            notes,
        ]
    )


#: The subword table's quality columns: (key in the run's "quality", label).
SUBWORD_QUALITY = (
    ("google_semantic", "Google semantic"),
    ("google_syntactic", "Google syntactic"),
    ("ws353", "WS353"),
    ("simlex999", "SimLex"),
    ("men", "MEN"),
    ("rare", "rare words"),
)


def render_subwords(results, tokens, args, info, rare) -> str:
    columns = ["config", "tool", "train s", "train words/s", "peak RSS MiB", "vocab"]
    columns += [label for _, label in SUBWORD_QUALITY]
    rows, words = [], tokens * args.epochs
    for (config, _), runs in results.items():
        for tool, run in runs.items():
            cells = [config.label, SUBWORD_TOOLS[tool][0]]
            cells += [
                _common.fmt_seconds(run["train_seconds"]),
                _common.fmt_rate(_rate(run, words)),
            ]
            cells += [_common.fmt_mib(run["rss"]), f"{run['vocabulary']:,}"]
            rows.append(cells + [_subword_score(k, run["quality"][k]) for k, _ in SUBWORD_QUALITY])
        ours, theirs = runs.get("embedlab"), runs.get("fasttext")
        if ours is not None and theirs is not None:
            cells = [config.label, "**embedlab vs fastText**"]
            cells += [_common.fmt_ratio(ours["train_seconds"], theirs["train_seconds"])]
            cells += [_common.fmt_ratio(_rate(ours, words), _rate(theirs, words))]
            cells += [_common.fmt_ratio(ours["rss"], theirs["rss"]), ""]
            rows.append(cells + [_subword_delta(k, ours, theirs) for k, _ in SUBWORD_QUALITY])
    rare_note = (
        f"Rare words: {rare['pairs']:,} pairs of {', '.join(RARE_SETS)} with a word seen fewer "
        f"than {RARE_BELOW} times in this corpus ({rare['unseen']:,} with a word never seen), "
        "human scores scaled to 0-10 per set, Spearman over the pooled pairs; every word has a "
        "vector (its own, or composed from its n-grams)."
        if rare
        else "Rare words: no pair of the bundled sets has a rare word in this corpus."
    )
    return "\n".join(
        [
            "## Subwords: embedlab vs fastText "
            "(`benchmarks/word2vec_vs_peers.py --modes subwords`)",
            "",
            _common.machine_header(info),
            f"- Corpus: {_common.corpus_label(args, tokens)}, {tokens:,} tokens; dim {DIM}, epochs "
            f"{args.epochs}, min_count {MIN_COUNT}, {args.threads} threads; n-grams {MINN}-{MAXN}, "
            "fastText's 2,000,000 buckets for both; each tool otherwise at its defaults",
            "",
            _common.markdown_table(columns, rows),
            "",
            "Google semantic/syntactic, WS353, SimLex, MEN: embedlab's evaluator with the usual "
            "protocol (30,000 most frequent words; pairs and questions outside them skipped, "
            "not composed), as in the other tables. " + rare_note + " Ratio rows: "
            "embedlab/fastText for time, rate and memory; embedlab minus fastText for quality.",
        ]
    )


def _subword_score(key: str, value) -> str:
    if value is None:
        return "-"
    if key.startswith("google"):
        return f"{100 * value:.1f}%"
    return f"{value:.3f}"


def _subword_delta(key: str, ours: dict, theirs: dict) -> str:
    a, b = ours["quality"][key], theirs["quality"][key]
    if a is None or b is None:
        return "-"
    return f"{100 * (a - b):+.1f} pt" if key.startswith("google") else f"{a - b:+.3f}"


def subword_quality(vectors: Path, rare_file: Path | None) -> dict:
    """The subword table's scores of a saved fastText model: the usual protocol for the
    benchmarks, every rare pair (composed where unseen) for the rare-words column."""
    from embedlab.evaluation import evaluate
    from embedlab.vectors.formats import load

    emb = load(vectors, mmap=True)
    report = evaluate(emb, datasets=["google", "ws353", "simlex999", "men"], compose=False)
    google = report["analogy"]["google"]
    scores = {"google_semantic": google["semantic"], "google_syntactic": google["syntactic"]}
    for name in ("ws353", "simlex999", "men"):
        scores[name] = report["similarity"][name]["spearman"]
    scores["rare"] = None
    if rare_file is not None:
        rare = evaluate(emb, datasets=[str(rare_file)], restrict_vocab=None, compose=True)
        scores["rare"] = rare["similarity"][str(rare_file)]["spearman"]
    return scores


def rare_pairs(corpus_file: Path, target: Path) -> dict | None:
    """Write the bundled similarity pairs with a word seen fewer than ``RARE_BELOW`` times in
    ``corpus_file`` (upper-cased, as the evaluator compares words) to ``target``, human scores
    scaled to 0-10 per set; how many, and how many with an unseen word (None when none)."""
    from collections import Counter

    from embedlab.evaluation.datasets import load_dataset

    counts: Counter = Counter()
    with open(corpus_file, encoding="utf-8") as lines:
        for line in lines:
            counts.update(token.upper() for token in line.split())
    chosen, unseen = [], 0
    for name in RARE_SETS:
        pairs = load_dataset(name).pairs
        low, high = min(s for *_, s in pairs), max(s for *_, s in pairs)
        for a, b, score in pairs:
            seen = (counts[a.upper()], counts[b.upper()])
            if min(seen) < RARE_BELOW:
                chosen.append(f"{a}\t{b}\t{10 * (score - low) / (high - low):.4f}\n")
                unseen += min(seen) == 0
    if not chosen:
        return None
    target.write_text("".join(chosen), encoding="utf-8")
    return {"pairs": len(chosen), "unseen": unseen}


def _measures(run, words) -> list[str]:
    row = [_common.fmt_seconds(run["wall"]), _common.fmt_seconds(run["train_seconds"])]
    row += [_common.fmt_rate(_rate(run, words)), _common.fmt_mib(run["rss"])]
    row.append(f"{run['vocabulary']:,}")
    return row + [_common.fmt_score(name, run["quality"][name]) for name, _ in _common.QUALITY]


def _ratios(ours, theirs, words) -> list[str]:
    row = [_common.fmt_ratio(ours["wall"], theirs["wall"])]
    row.append(_common.fmt_ratio(ours["train_seconds"], theirs["train_seconds"]))
    row.append(_common.fmt_ratio(_rate(ours, words), _rate(theirs, words)))
    row += [_common.fmt_ratio(ours["rss"], theirs["rss"]), ""]
    return row + _common.quality_deltas(ours["quality"], theirs["quality"])


def _rate(run, words) -> float:
    return words / run["train_seconds"] if run["train_seconds"] > 0 else 0.0


def run_benchmark(args) -> None:
    configs = [CONFIGS[name] for name in args.configs]
    tools = available_tools(args)
    _common.check_outputs(args.output)
    with _common.prepared_corpus(args) as (workdir, corpus_file, tokens):
        args.tokens = tokens  # what matched mode sizes the starting rate from
        if not args.no_warmup:
            warm_up(configs, corpus_file, workdir, args)
        rare_file = workdir / "rare.txt"
        rare = rare_pairs(corpus_file, rare_file) if "subwords" in args.modes else None
        results: dict = {}
        for config in configs:
            for mode in args.modes:
                runs = results.setdefault((config, mode), {})
                for tool in tools:
                    if mode == "subwords":
                        if tool not in SUBWORD_TOOLS:
                            continue
                    elif config.objective not in TOOLS[tool][2]:
                        continue
                    print(f"{config.label}, {mode}: {tool} ...", file=sys.stderr)
                    argv, report, vectors = child_argv(
                        tool, config, mode, corpus_file, workdir, args
                    )
                    if mode != "subwords":
                        runs[tool] = _common.measure_child(argv, report, vectors)
                        continue
                    run = _common.run_child(argv, report)
                    runs[tool] = {
                        "wall": run.wall_seconds,
                        "rss": run.peak_rss_bytes,
                        **run.report,
                        "quality": subword_quality(vectors, rare_file if rare else None),
                    }
    if args.output:  # the raw numbers first: a report that fails to render loses nothing
        raw = [
            {"config": c.name, "mode": m, "tool": t, **run}
            for (c, m), runs in results.items()
            for t, run in runs.items()
        ]
        _common.save_markdown(f"{args.output}.json", json.dumps(raw, indent=1))
    text = render(results, tokens, args, _common.machine(), rare)
    _common.publish(text, args.output)


def warm_up(configs, corpus_file: Path, workdir: Path, args) -> None:
    small = workdir / "warmup.txt"
    _common.prepare_corpus(corpus_file, small, WARMUP_TOKENS)
    modes = ["defaults"] + (["subwords"] if "subwords" in args.modes else [])
    for config in configs:
        for mode in modes:
            argv, report, _ = child_argv(
                "embedlab", config, mode, small, workdir, _common.with_changes(args, epochs=1)
            )
            _common.run_child(argv, report)


def parse(argv=None):
    parser, child = _common.parsers(__doc__, "internal: one tool, one configuration")
    child.add_argument("tool", choices=sorted(TOOLS))
    child.add_argument("config", choices=sorted(CONFIGS))
    child.add_argument("run_mode", choices=MODES)
    child.add_argument("--epochs", type=int, required=True)
    child.add_argument("--word2vec", default=None)
    child.add_argument("--matched", default=None, help="internal: the matched settings, JSON")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument(
        "--configs",
        nargs="+",
        choices=sorted(CONFIGS),
        default=["sg-ns", "cbow-ns"],
        metavar="CONFIG",
    )
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--tools", nargs="+", choices=list(TOOLS), default=list(TOOLS))
    parser.add_argument("--word2vec", default=None, help="path of word2vec.c's binary")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    _common.run(parse(argv), run_child_mode, run_benchmark, "word2vec_vs_peers")


if __name__ == "__main__":
    main()
