"""Queries and vector files: embedlab's Embeddings against gensim's KeyedVectors.

On the same random 100,000 x 300 float32 matrix (fixed seed), both libraries answer nearest
neighbour and analogy queries (median over many, after one call that builds the unit vectors,
which both cache) and write and read the word2vec binary format. Reports milliseconds and the
embedlab/gensim ratio as a Markdown table.

    python benchmarks/queries.py [--words 100000] [--dim 300] [--repeat 25]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402  (the benchmarks folder is not a package)


def median_ms(call, repeat: int) -> float:
    call()  # both libraries build and cache their unit vectors on the first query
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def once_ms(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def measure(words: list[str], matrix: np.ndarray, repeat: int, workdir: Path) -> list[tuple]:
    from gensim.models import KeyedVectors

    import embedlab

    ours = embedlab.Embeddings(words, matrix)
    theirs = KeyedVectors(matrix.shape[1])
    theirs.add_vectors(words, matrix)
    a, b, c = words[10], words[20], words[30]
    ours_file, theirs_file = workdir / "ours.bin", workdir / "theirs.bin"
    return [
        (
            "most_similar, top 10",
            median_ms(lambda: ours.most_similar(a, topn=10), repeat),
            median_ms(lambda: theirs.most_similar(a, topn=10), repeat),
        ),
        (
            "analogy (3CosAdd), top 10",
            median_ms(lambda: ours.most_similar(positive=[b, c], negative=[a]), repeat),
            median_ms(lambda: theirs.most_similar(positive=[b, c], negative=[a]), repeat),
        ),
        (
            "write word2vec .bin",
            once_ms(lambda: ours.save(ours_file)),
            once_ms(lambda: theirs.save_word2vec_format(str(theirs_file), binary=True)),
        ),
        (
            "read word2vec .bin",
            once_ms(lambda: embedlab.load(theirs_file)),
            once_ms(lambda: KeyedVectors.load_word2vec_format(str(ours_file), binary=True)),
        ),
    ]


def render(rows, args, info) -> str:
    table = _common.markdown_table(
        ["operation", "embedlab ms", "gensim ms", "embedlab/gensim"],
        [[name, f"{a:.1f}", f"{b:.1f}", f"{a / b:.2f}x"] for name, a, b in rows],
    )
    return "\n".join(
        [
            "## Queries and files: embedlab vs gensim",
            "",
            _common.machine_header(info),
            f"- Vectors: {args.words:,} words x {args.dim} dims, float32, random (seed 0)",
            f"- Queries: median of {args.repeat} after a warm-up call; files: one write, one read",
            "",
            table,
            "",
            "Each tool reads the file the other wrote, so the formats are cross-checked as well.",
        ]
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--output", default=None, help="also write the Markdown table here")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((args.words, args.dim), dtype=np.float32)
    words = [f"w{i}" for i in range(args.words)]
    with tempfile.TemporaryDirectory() as workdir:
        rows = measure(words, matrix, args.repeat, Path(workdir))
    report = render(rows, args, _common.machine())
    print(report)
    if args.output:
        Path(args.output).write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
