"""Training throughput of one checkout's trainers, for before/after checks of a refactor.

Run it once per checkout (``PYTHONPATH=CHECKOUT/src``), alternating the checkouts, on the same
corpus; it prints one JSON line per method with each epoch's rate (words/s for word2vec,
cells/s for GloVe) and seconds. Skip-gram and CBOW run one epoch at alpha 0.05, GloVe three
epochs at window 10: a fixed workload, whatever the checkout's defaults. The first run of a
checkout also compiles its kernels, so compare the second round::

    for i in 1 2; do for tree in OLD NEW; do
        PYTHONPATH=$tree/src python benchmarks/trainer_throughput.py corpus.txt; done; done
"""

from __future__ import annotations

import argparse
import json

WORKLOAD = {
    "skipgram": {"epochs": 1, "alpha": 0.05, "sample": 1e-3},
    "cbow": {"epochs": 1, "alpha": 0.05, "sample": 1e-3},
    "glove": {"epochs": 3, "window": 10},
}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="whitespace-tokenized text")
    parser.add_argument("--methods", nargs="+", choices=list(WORKLOAD), default=list(WORKLOAD))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    import embedlab
    from embedlab.corpus import as_corpus

    corpus = as_corpus(args.corpus, min_count=5, tokenizer="whitespace", lowercase=False)
    for method in args.methods:
        emb = embedlab.train(
            corpus,
            method=method,
            dim=100,
            threads=args.threads,
            quiet=True,
            seed=1,
            **WORKLOAD[method],
        )
        history = emb.meta["history"]
        print(
            json.dumps(
                {
                    "method": method,
                    "embedlab": embedlab.__file__,
                    "rate": [entry["words_per_sec"] for entry in history],
                    "seconds": [entry["seconds"] for entry in history],
                }
            )
        )


if __name__ == "__main__":
    main()
