"""A line longer than the reader's bound is tokenized in pieces: same tokens, one sentence, and
memory that does not grow with the line."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from embedlab.corpus import encode_corpus, reader
from embedlab.corpus.reader import read_pieces
from embedlab.corpus.tokenizer import Tokenizer


def random_text(words: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    vocab = ["don't", "well-known", "ΣΟΦΟΣ", "a", "the", "Cat", "o'clock", "x" * 30]
    spaces = [" ", "  ", "\t", " \u00a0 "]
    return "".join(rng.choice(vocab) + rng.choice(spaces) for _ in range(words))


@pytest.mark.parametrize("bound", [7, 50, 333])
def test_pieces_join_to_the_line_and_give_its_tokens(tmp_path, monkeypatch, bound):
    line = random_text(2000)
    path = tmp_path / "one.txt"
    path.write_text(line + "\r\nshort line\n", encoding="utf-8")
    monkeypatch.setattr(reader, "CHUNK_BYTES", 64)
    monkeypatch.setattr(reader, "LINE_PIECE_CHARS", bound)
    pieces = list(read_pieces([path]))
    ends = [i for i, (_, end) in enumerate(pieces) if end]
    assert ends == [len(pieces) - 2, len(pieces) - 1]  # two lines, the first in many pieces
    assert len(pieces) > 2
    assert "".join(text for text, _ in pieces[:-1]) == line
    tokenizer = Tokenizer()
    expected = tokenizer.tokenize(line)  # the whole line at once, by the same tokenizer
    assert [t for text, _ in pieces[:-1] for t in tokenizer.tokenize(text)] == expected


def test_a_long_line_encodes_to_the_same_single_sentence(tmp_path, monkeypatch):
    path = tmp_path / "corpus.txt"
    path.write_text(random_text(3000, seed=1) + "\n" + random_text(50, seed=2), encoding="utf-8")
    whole = encode_corpus(path, min_count=1, cache=False)
    monkeypatch.setattr(reader, "LINE_PIECE_CHARS", 100)
    monkeypatch.setattr(reader, "CHUNK_BYTES", 256)
    pieced = encode_corpus(path, min_count=1, cache=False)
    assert whole.n_sentences == pieced.n_sentences == 2
    assert pieced.vocab.words == whole.vocab.words
    np.testing.assert_array_equal(pieced.tokens, whole.tokens)
    np.testing.assert_array_equal(pieced.sentence_starts, whole.sentence_starts)


_PEAK = textwrap.dedent(
    """
    import resource, sys
    from embedlab.corpus import encode_corpus
    corpus = encode_corpus(sys.argv[1], min_count=1, cache=False)
    assert corpus.n_tokens == int(sys.argv[2]), corpus.n_tokens
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux
    """
)


def peak_kib(path, tokens: int) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(path), str(tokens)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return int(done.stdout.split()[-1])


def test_memory_for_one_long_line_is_that_of_the_same_text_in_lines(tmp_path):
    rng = random.Random(3)
    words = [f"w{rng.randrange(500)}" for _ in range(1_500_000)]  # about 7 MB of text
    one_line = tmp_path / "one.txt"
    one_line.write_text(" ".join(words), encoding="utf-8")
    many_lines = tmp_path / "many.txt"
    many_lines.write_text(
        "\n".join(" ".join(words[i : i + 20]) for i in range(0, len(words), 20)), encoding="utf-8"
    )
    extra_mib = (peak_kib(one_line, len(words)) - peak_kib(many_lines, len(words))) / 1024
    # Held whole, the line's token list alone takes well over 100 MiB (a list slot and a str
    # object per token); in pieces of 1 M characters it is a few MiB.
    assert extra_mib < 40, f"one long line took {extra_mib:.0f} MiB more than the same lines"
