"""``similar``, ``analogy``, ``convert``, ``info``: output, JSON, and one-line errors (exit 2)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from embedlab.cli.app import main
from embedlab.vectors import Embeddings, load

WORDS = ["the", "man", "woman", "king", "queen", "apple", "car", "tree", "sky", "river"]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A native model where king - man + woman lands on queen, plus its word2vec text copy."""
    rng = np.random.default_rng(11)
    base = {w: rng.standard_normal(16) for w in WORDS}
    royal = 2 * rng.standard_normal(16)
    base["king"] = base["man"] + royal
    base["queen"] = base["woman"] + royal
    W = np.array([base[w] for w in WORDS], dtype=np.float32)
    emb = Embeddings(
        WORDS,
        W,
        counts=np.arange(100, 0, -10),
        context=rng.standard_normal(W.shape).astype(np.float32),
        meta={
            "method": "skipgram",
            "params": {"dim": 16, "window": 5},
            "history": [
                {"epoch": 1, "loss": 3.0, "words_per_sec": 1000.0, "seconds": 2.0},
                {"epoch": 2, "loss": 2.5, "words_per_sec": 3000.0, "seconds": 1.0},
            ],
        },
    )
    folder = tmp_path_factory.mktemp("cli")
    emb.save(folder / "model.emb")
    emb.save(folder / "model.txt")
    return emb, folder


def _run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(code, out, err, *fragments):
    assert code == 2
    assert out == ""
    assert err.startswith("embedlab: error: ") and err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err, err


def test_similar_json_equals_the_api(capsys, model):
    emb, folder = model
    code, out, err = _run(capsys, "similar", folder / "model.emb", "king", "-n", 3, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["query"] == {"positive": ["king"], "negative": []}
    expected = emb.most_similar("king", topn=3)
    assert [(r["word"], r["similarity"]) for r in report["results"]] == expected


def test_similar_table(capsys, model):
    emb, folder = model
    code, out, _ = _run(capsys, "similar", folder / "model.txt", "queen")
    assert code == 0
    best = emb.most_similar("queen", topn=10)
    assert len(best) == 9  # everything but the query word
    for word, score in best:
        assert word in out and f"{score:.4f}" in out


def test_similar_several_words_and_negative(capsys, model):
    emb, folder = model
    args = ["similar", folder / "model.emb", "king", "woman", "--negative", "man", "--json"]
    code, out, _ = _run(capsys, *args)
    report = json.loads(out)
    expected = emb.most_similar(positive=["king", "woman"], negative=["man"], topn=10)
    assert [r["word"] for r in report["results"]] == [w for w, _ in expected]
    assert report["results"][0]["word"] == "queen"


def test_analogy_finds_queen(capsys, model):
    _, folder = model
    code, out, err = _run(capsys, "analogy", folder / "model.emb", "man", "king", "woman")
    assert code == 0, err
    assert "queen" in out
    code, out, _ = _run(capsys, "analogy", folder / "model.txt", "man", "king", "woman", "--json")
    report = json.loads(out)
    assert report["query"]["method"] == "3CosAdd" and len(report["results"]) == 5
    assert report["results"][0]["word"] == "queen"
    args = ["analogy", folder / "model.emb", "man", "king", "woman", "--cosmul", "-n", 2, "--json"]
    code, out, _ = _run(capsys, *args)
    report = json.loads(out)
    assert report["query"]["method"] == "3CosMul" and len(report["results"]) == 2
    assert report["results"][0]["word"] == "queen"


def test_unknown_words_are_one_line_listing_all(capsys, model):
    _, folder = model
    code, out, err = _run(capsys, "analogy", folder / "model.emb", "mann", "king", "wombat")
    _one_line_error(code, out, err, "'mann'", "'wombat'", "not in the vocabulary")
    code, out, err = _run(capsys, "similar", folder / "model.txt", "kingg", "--json")
    _one_line_error(code, out, err, "'kingg'")


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["similar", "{f}/model.emb", "king", "-n", "0"], "-n must be at least 1"),
        (["similar", "{f}/model.emb", "king", "--restrict-vocab", "-1"], "--restrict-vocab"),
        (["similar", "{f}/missing.txt", "king"], "no such file"),
        (["similar", "{f}", "king"], "is a directory"),
        (["info", "{f}/missing.emb"], "no such file"),
    ],
)
def test_bad_invocations(capsys, model, args, fragment):
    _, folder = model
    code, out, err = _run(capsys, *(a.format(f=folder) for a in args))
    _one_line_error(code, out, err, fragment)


def test_corrupt_vectors_file_is_one_line(capsys, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("2 3\nking 1 2 3\nqueen 1 2\n")
    code, out, err = _run(capsys, "similar", path, "king")
    _one_line_error(code, out, err, f"{path}: line 3: expected a word and 3 values")
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    _one_line_error(*_run(capsys, "info", empty), "is empty")


@pytest.mark.parametrize(
    "name, options, expected_format",
    [
        ("out.bin", [], "word2vec-binary"),
        ("out.vec", [], "word2vec"),
        ("out.data", ["--format", "glove"], "glove"),
        ("out.emb", [], "native"),
    ],
)
def test_convert(capsys, model, tmp_path, name, options, expected_format):
    emb, folder = model
    target = tmp_path / name
    code, out, err = _run(capsys, "convert", folder / "model.emb", target, *options)
    assert code == 0, err
    assert str(target) in out and expected_format in out
    back = load(target, format=expected_format)
    assert back.words == WORDS
    np.testing.assert_array_equal(back.vectors, emb.vectors)


def test_convert_combine_and_limit(capsys, model, tmp_path):
    emb, folder = model
    target = tmp_path / "sum.txt"
    code, _, err = _run(
        capsys, "convert", folder / "model.emb", target, "--combine", "sum", "--limit", 4
    )
    assert code == 0, err
    back = load(target)
    assert back.words == WORDS[:4]
    np.testing.assert_array_equal(back.vectors, (emb.input_vectors + emb.context_vectors)[:4])


def test_convert_failures_create_or_clobber_nothing(capsys, model, tmp_path):
    _, folder = model
    target = tmp_path / "out.bin"
    target.write_bytes(b"keep me")
    # text vectors have no context matrix to combine with
    code, out, err = _run(capsys, "convert", folder / "model.txt", target, "--combine", "mean")
    _one_line_error(
        code,
        out,
        err,
        "--combine mean needs context (output) vectors and these have none: use --combine input",
    )
    assert target.read_bytes() == b"keep me"
    bad = tmp_path / "bad.txt"
    bad.write_text("1 2\nx 1 zz\n")
    _one_line_error(*_run(capsys, "convert", bad, target), "'zz' is not a number")
    assert target.read_bytes() == b"keep me"
    _one_line_error(*_run(capsys, "convert", folder / "model.emb", tmp_path), "is a directory")
    fresh = tmp_path / "new.xyz"
    _one_line_error(*_run(capsys, "convert", folder / "model.emb", fresh), "cannot tell the format")
    _one_line_error(
        *_run(capsys, "convert", folder / "model.emb", fresh, "--format", "npy"),
        "format must be one of",
    )
    assert not fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", "out.bin"]


def test_info_json_for_a_trained_model(capsys, model):
    _, folder = model
    code, out, err = _run(capsys, "info", folder / "model.emb", "--top", 3, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["format"] == "native" and report["words"] == 10 and report["dim"] == 16
    assert report["has_context"] is True and report["has_counts"] is True
    assert report["corpus_tokens"] == sum(range(10, 101, 10))
    assert report["method"] == "skipgram" and report["params"] == {"dim": 16, "window": 5}
    assert report["training"] == {
        "epochs": 2,
        "first_loss": 3.0,
        "final_loss": 2.5,
        "seconds": 3.0,
        "words_per_sec": 2000.0,
    }
    assert report["top_words"] == [
        {"word": "the", "count": 100},
        {"word": "man", "count": 90},
        {"word": "woman", "count": 80},
    ]


def test_info_table_and_plain_text_vectors(capsys, model):
    _, folder = model
    code, out, _ = _run(capsys, "info", folder / "model.emb")
    assert code == 0 and "skipgram" in out and "3.0000 -> 2.5000" in out and "river" in out
    code, out, _ = _run(capsys, "info", folder / "model.txt", "--json")
    report = json.loads(out)
    assert report["format"] == "word2vec" and report["has_context"] is False
    assert report["method"] is None and report["training"] is None
    assert report["top_words"][0] == {"word": "the", "count": None}
