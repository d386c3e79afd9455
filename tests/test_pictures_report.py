"""The comparison: its table is evaluate()'s numbers, and the HTML report stands alone."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest

from embedlab.errors import EmbedlabError
from embedlab.evaluation import evaluate, evaluate_sentiment
from embedlab.evaluation.datasets import BUNDLED, load_dataset
from embedlab.pictures.report import compare
from embedlab.vectors.embeddings import Embeddings
from test_pictures_maps import PNG_MAGIC

ANALOGY_WORDS = ["king", "queen", "man", "woman", "boy", "girl", "father", "mother"]


def benchmark_words() -> list[str]:
    words = []
    for name in ("mc30", "rg65"):
        for a, b, _ in load_dataset(name).pairs:
            words.extend((a, b))
    return list(dict.fromkeys(ANALOGY_WORDS + words))


def random_embeddings(words, seed, meta=None) -> Embeddings:
    rng = np.random.default_rng(seed)
    return Embeddings(words, rng.normal(size=(len(words), 8)).astype(np.float32), meta=meta)


@pytest.fixture(scope="module")
def pair():
    words = benchmark_words()
    full = random_embeddings(words, seed=1, meta={"method": "skipgram"})
    part = random_embeddings(words[: len(words) // 2], seed=2, meta={"method": "ppmi-svd"})
    return full, part


@pytest.fixture(scope="module")
def result(pair, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    return compare(list(pair), path=path, map_words=12)


def _row(result, metric):
    return next(r for r in result["rows"] if r["metric"] == metric)


def test_table_values_are_evaluate_and_evaluate_sentiment(pair, result):
    assert result["names"] == ["skipgram", "ppmi-svd"]
    for column, emb in enumerate(pair):
        truth = evaluate(emb)
        sentiment = evaluate_sentiment(emb)
        for name, scores in truth["similarity"].items():
            assert _row(result, f"{name} Spearman")["values"][column] == scores["spearman"]
            total = scores["pairs"] + scores["oov"]
            coverage = _row(result, f"{name} coverage")["values"][column]
            assert coverage == pytest.approx(scores["pairs"] / total)
        google = truth["analogy"]["google"]
        for part in ("accuracy", "semantic", "syntactic"):
            assert _row(result, f"google {part}")["values"][column] == google[part]
        assert _row(result, "sentiment accuracy")["values"][column] == sentiment["accuracy"]
        assert _row(result, "sentiment coverage")["values"][column] == sentiment["coverage"]
        assert _row(result, "vocabulary size")["values"][column] == len(emb)
        assert _row(result, "dimension")["values"][column] == 8
    assert {r["benchmark"] for r in result["rows"]} >= set(BUNDLED) | {"sentiment"}


def test_the_best_of_each_row_is_marked(result, pair):
    assert _row(result, "vocabulary size")["best"] == [0]
    assert _row(result, "dimension")["best"] == []  # a description, not a score
    # the full vocabulary answers every mc30 pair; half of it cannot
    assert _row(result, "mc30 coverage")["best"] == [0]
    for row in result["rows"]:
        values = [v for v in row["values"] if v is not None]
        if row["kind"] == "info" or not values:
            continue
        assert row["best"] == [i for i, v in enumerate(row["values"]) if v == max(values)]


def test_map_words_are_the_most_frequent_shared_words(result, pair):
    full, part = pair
    assert result["map_words"] == [w for w in full.words if w in part.index][:12]


def test_the_report_is_one_self_contained_html_file(result):
    page = open(result["report"], encoding="utf-8").read()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<(script|link)\b", page)
    assert not re.search(r"""src=["'](?!data:)""", page)  # every image is inline
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    # one map per file and one bar chart per benchmark with a score (9 benchmarks here)
    assert len(images) == 2 + len(BUNDLED) + 1
    for data in images:
        assert base64.b64decode(data)[:8] == PNG_MAGIC
    cells = re.findall(r'<td class="num best">', page)
    assert len(cells) == sum(len(r["best"]) for r in result["rows"])


def test_text_from_the_inputs_is_escaped(pair, tmp_path):
    full, part = pair
    out = tmp_path / "r.html"
    compare([full, part], names=["<b>one</b>", "a&b"], extrinsic=False, path=out, datasets=["mc30"])
    page = out.read_text(encoding="utf-8")
    assert "<b>one</b>" not in page and "&lt;b&gt;one&lt;/b&gt;" in page
    assert "a&amp;b" in page


def test_files_are_read_by_path_and_named_by_file_name(pair, tmp_path):
    full, part = pair
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    full.save(tmp_path / "x" / "vectors.txt")
    part.save(tmp_path / "y" / "vectors.txt")
    full.save(tmp_path / "full.bin")
    result = compare(
        [tmp_path / "full.bin", tmp_path / "x" / "vectors.txt"], extrinsic=False, datasets=["mc30"]
    )
    assert result["names"] == ["full.bin", "vectors.txt"]
    assert result["rows"][0]["values"] == [len(full), len(full)]
    # the same file name twice: the paths tell them apart
    twins = compare(
        [tmp_path / "x" / "vectors.txt", tmp_path / "y" / "vectors.txt"],
        extrinsic=False,
        datasets=["mc30"],
    )
    assert twins["names"] == [
        str(tmp_path / "x" / "vectors.txt"),
        str(tmp_path / "y" / "vectors.txt"),
    ]
    assert "extrinsic" not in twins["evaluations"][0]


def test_bad_requests_are_user_errors(pair, tmp_path):
    full, part = pair
    with pytest.raises(EmbedlabError, match="at least one vectors file"):
        compare([])
    with pytest.raises(EmbedlabError, match="1 names for 2 sources"):
        compare([full, part], names=["only"])
    with pytest.raises(EmbedlabError, match=r"ppmi-svd lacks 'cord'"):
        compare([full, part], words=["king", "cord"], extrinsic=False, datasets=["mc30"])
    with pytest.raises(EmbedlabError, match="does not exist"):
        compare([full], path=tmp_path / "missing" / "r.html")
    assert list(tmp_path.iterdir()) == []
