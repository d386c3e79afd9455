"""Subword skip-gram: each position's hidden vector once, or once per pair as fastText does.

With subwords a word's input is the mean of its row and its n-gram rows (about 25 rows at
fastText's 3-6). fastText averages the bag and scatters the gradient back to every row for each
(centre, context) pair; embedlab's ``Subwords`` input piece does both once per position for all
the pairs it is the input of (``methods/word2vec/inputs.py``). This runs the same skip-gram
(negative sampling, one thread, same seed) with each input piece on one text, twice in turn
(the first round also compiles the kernels), and prints words/s and the word-similarity scores
of each. Run it alone on the machine:

    python benchmarks/subword_hidden.py --max-tokens 300000 --output subword_hidden.md
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402  (the benchmarks folder is not a package)

PIECES = ("once per position", "once per pair (fastText)")
SIMILARITY = ("ws353", "simlex999", "men")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(_common.ENMIX), help="plain or .gz text")
    parser.add_argument("--max-tokens", type=int, default=300_000)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--buckets", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each, alternating")
    parser.add_argument("--output", default=None, help="also write the Markdown table here")
    args = parser.parse_args(argv)

    from embedlab.corpus import as_corpus
    from embedlab.evaluation import evaluate
    from embedlab.methods.word2vec.inputs import Subwords, SubwordsEachPair
    from embedlab.methods.word2vec.model import SkipGram
    from embedlab.methods.word2vec.trainer import input_piece, train_matrices
    from embedlab.vectors.subwords import SubwordEmbeddings

    with tempfile.TemporaryDirectory(prefix="embedlab-bench-") as tmp:
        text = Path(tmp) / "corpus.txt"
        tokens = _common.prepare_corpus(Path(args.corpus), text, args.max_tokens)
        corpus = as_corpus(str(text), min_count=5, cache=False)
    params = SkipGram(dim=args.dim, epochs=args.epochs, threads=1, seed=1, quiet=True, minn=3,
                      maxn=6, buckets=args.buckets)  # fmt: skip
    params = params.sized_for(len(corpus.vocab), corpus.n_tokens)
    table = input_piece(params, list(corpus.vocab.words))
    pieces = dict(zip(PIECES, (table, SubwordsEachPair(*table)), strict=True))
    assert isinstance(table, Subwords)
    rates: dict[str, list[float]] = {name: [] for name in PIECES}
    scores: dict[str, dict] = {}
    for _ in range(args.rounds):
        for name, inputs in pieces.items():
            result = train_matrices(corpus, params, inputs=inputs)
            rates[name].append(sum(e["words_per_sec"] for e in result.history) / args.epochs)
            emb = SubwordEmbeddings(list(corpus.vocab.words), result.W, minn=3, maxn=6)
            report = evaluate(emb, datasets=list(SIMILARITY))["similarity"]
            scores[name] = {s: report[s]["spearman"] for s in SIMILARITY if s in report}
    rows = [
        [name, _common.fmt_rate(max(rates[name]))]
        + [_common.fmt_score(s, scores[name].get(s)) for s in SIMILARITY]
        for name in PIECES
    ]
    speedup = max(rates[PIECES[0]]) / max(rates[PIECES[1]])
    text = "\n".join(
        [
            f"Subword skip-gram, {Path(args.corpus).name} (first {tokens:,} tokens), "
            f"{len(corpus.vocab):,} words, dim {args.dim}, 3-6 in {args.buckets:,} buckets, "
            f"1 thread, best of {args.rounds}:",
            "",
            _common.markdown_table(["hidden vector", "words/s", *SIMILARITY], rows),
            "",
            f"once per position / once per pair: {speedup:.2f}x",
        ]
    )
    _common.publish(text, args.output)


if __name__ == "__main__":
    main()
