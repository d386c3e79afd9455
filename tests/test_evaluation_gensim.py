"""The benchmark numbers equal gensim's evaluate_word_pairs / evaluate_word_analogies (1e-6).

gensim reads the same files with the same protocol (restrict_vocab, case-insensitive, skipped
OOV), so it is an independent oracle for every number the report holds.
"""

from __future__ import annotations

import gzip
import itertools
import logging
import re
from importlib import resources

import gensim.models as gensim_models
import numpy as np
import pytest

from embedlab.corpus import sample_corpus_path
from embedlab.evaluation import evaluate
from embedlab.evaluation.datasets import ANALOGY_FILES, SIMILARITY_FILES, load_dataset
from embedlab.vectors.embeddings import Embeddings

#: Lines of the bundled sample corpus gensim trains on: about 150k words.
SAMPLE_LINES = 12_000
DATA = resources.files("embedlab.evaluation").joinpath("data")

logging.getLogger("gensim").setLevel(logging.WARNING)


def _keyed_vectors(words, vectors):
    kv = gensim_models.KeyedVectors(vectors.shape[1])
    kv.add_vectors(list(words), vectors)
    return kv


@pytest.fixture(scope="module")
def trained():
    """Vectors gensim trains on a slice of the bundled corpus: real, noisy similarity structure."""
    with gzip.open(sample_corpus_path(), "rt", encoding="utf-8") as lines:
        text = list(itertools.islice(lines, SAMPLE_LINES))
    sentences = [re.findall(r"[a-z]+", line.lower()) for line in text]
    model = gensim_models.Word2Vec(
        [s for s in sentences if s],
        vector_size=16,
        window=5,
        min_count=2,
        workers=1,
        seed=3,
        epochs=2,
    )
    kv = model.wv
    return Embeddings(list(kv.index_to_key), kv.vectors.copy()), kv


@pytest.fixture(scope="module")
def planted():
    """Every Google word, some case variants, and relation offsets planted per section.

    Half the sections get a shared offset between a question's pairs plus noise, so 3CosAdd
    solves many but not all of them.
    """
    rng = np.random.default_rng(7)
    sections = load_dataset("google").sections
    words: list[str] = []
    for questions in sections.values():
        for question in questions:
            for word in question:
                if word.lower() not in words:
                    words.append(word.lower())
    vectors = {w: rng.standard_normal(24) for w in words}
    for number, questions in enumerate(sections.values()):
        if number % 2:
            continue
        offset = rng.standard_normal(24) * 1.5
        for a, b, _, _ in questions:
            vectors[b.lower()] = vectors[a.lower()] + offset + 0.6 * rng.standard_normal(24)
    order = list(rng.permutation(words))
    # Upper-case copies of 60 words, less frequent than the original: as near to a query as
    # the word itself, so they would often win if not excluded like the question words.
    for word in rng.choice(words, 60, replace=False):
        position = order.index(word) + 1 + int(rng.integers(0, 50))
        order.insert(position, word.upper())
        vectors[word.upper()] = vectors[word] + 0.01 * rng.standard_normal(24)
    # A capitalised variant MORE frequent than the lower-case form: it stands for the word.
    order.remove("paris")
    order.insert(5, "Paris")
    order.insert(len(order) - 5, "paris")
    vectors["Paris"] = vectors["paris"]
    vectors["paris"] = rng.standard_normal(24)
    order += [f"filler{i}" for i in range(200)]
    for word in order[-200:]:
        vectors[word] = rng.standard_normal(24)
    matrix = np.array([vectors[w] for w in order], dtype=np.float32)
    return Embeddings(order, matrix), _keyed_vectors(order, matrix)


def _gensim_pairs(kv, path, restrict_vocab, delimiter="\t"):
    try:
        pearson, spearman, oov_ratio = kv.evaluate_word_pairs(
            str(path), delimiter=delimiter, restrict_vocab=restrict_vocab
        )
    except ValueError:  # gensim refuses a file with no usable pair
        return None
    return pearson[0], spearman[0], oov_ratio


@pytest.mark.parametrize("restrict_vocab", [30000, 800])
def test_similarity_equals_gensim_on_every_bundled_set(trained, restrict_vocab):
    emb, kv = trained
    report = evaluate(emb, datasets=list(SIMILARITY_FILES), restrict_vocab=restrict_vocab)
    usable = 0
    for name, filename in SIMILARITY_FILES.items():
        mine = report["similarity"][name]
        total = mine["pairs"] + mine["oov"]
        assert total == len(load_dataset(name).pairs)
        expected = _gensim_pairs(kv, DATA.joinpath(filename), restrict_vocab)
        if expected is None or mine["pairs"] < 3:
            assert mine["pairs"] < 3
            continue
        usable += 1
        pearson, spearman, oov_ratio = expected
        assert mine["spearman"] == pytest.approx(spearman, abs=1e-6)
        assert mine["pearson"] == pytest.approx(pearson, abs=1e-6)
        assert 100 * mine["oov"] / total == pytest.approx(oov_ratio, abs=1e-9)
    assert usable >= 4  # the comparison really compared something


def test_similarity_user_file_with_crlf_header_comments_equals_gensim(trained, tmp_path):
    emb, kv = trained
    words = kv.index_to_key[:60]
    rng = np.random.default_rng(1)
    lines = ["# a comment", "w1\tw2\tscore"]
    lines += [f"{words[i].upper()}\t{words[i + 1]}\t{rng.uniform(0, 10):.2f}" for i in range(50)]
    lines.append("zzzunknown\tthe\t3")
    path = tmp_path / "mine.tsv"
    path.write_bytes("\r\n".join(lines).encode())  # CRLF and no final newline
    mine = evaluate(emb, datasets=[str(path)])["similarity"][str(path)]
    pearson, spearman, oov_ratio = _gensim_pairs(kv, path, 30000)
    assert (mine["pairs"], mine["oov"]) == (50, 1)
    assert mine["spearman"] == pytest.approx(spearman, abs=1e-6)
    assert mine["pearson"] == pytest.approx(pearson, abs=1e-6)


def _gensim_analogies(kv, path, restrict_vocab):
    _, sections = kv.evaluate_word_analogies(str(path), restrict_vocab=restrict_vocab)
    return {s["section"]: (len(s["correct"]), len(s["incorrect"])) for s in sections}


@pytest.mark.parametrize("restrict_vocab", [30000, 700])
def test_google_analogies_equal_gensim(planted, restrict_vocab):
    emb, kv = planted
    mine = evaluate(emb, datasets=["google"], restrict_vocab=restrict_vocab)["analogy"]["google"]
    theirs = _gensim_analogies(kv, DATA.joinpath(ANALOGY_FILES["google"]), restrict_vocab)
    total = theirs.pop("Total accuracy")
    for name, (correct, incorrect) in theirs.items():
        section = mine["sections"][name]
        assert (section["correct"], section["questions"]) == (correct, correct + incorrect)
    assert mine["questions"] == sum(total)
    assert mine["skipped"] == 19544 - sum(total)
    assert mine["accuracy"] == pytest.approx(total[0] / sum(total), abs=1e-12)
    semantic = [v for k, v in theirs.items() if not k.startswith("gram")]
    expected_semantic = sum(c for c, _ in semantic) / sum(c + i for c, i in semantic)
    assert mine["semantic"] == pytest.approx(expected_semantic, abs=1e-12)
    assert 0.1 < mine["accuracy"] < 0.9  # non-trivial: some right, some wrong


def test_analogy_user_file_equals_gensim_on_trained_vectors(trained, tmp_path):
    emb, kv = trained
    top = kv.index_to_key[:40]
    rng = np.random.default_rng(2)
    lines = []
    for section in ("family", "gram-tense"):
        lines.append(f": {section}")
        for _ in range(60):
            lines.append(" ".join(rng.choice(top, 4)))
        lines.append("missingword a b c")
    path = tmp_path / "q.txt"
    path.write_text("\n".join(lines))
    mine = evaluate(emb, datasets=[str(path)], restrict_vocab=500)["analogy"][str(path)]
    theirs = _gensim_analogies(kv, path, 500)
    for name in ("family", "gram-tense"):
        correct, incorrect = theirs[name]
        assert mine["sections"][name]["correct"] == correct
        assert mine["sections"][name]["questions"] == correct + incorrect == 60
    assert mine["skipped"] == 2
