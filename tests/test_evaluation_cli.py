"""``embedlab evaluate``: JSON shape, tables, and one-line user errors with exit code 2."""

from __future__ import annotations

import json

import numpy as np
import pytest

from embedlab.cli.app import main
from embedlab.evaluation import BUNDLED

WORDS = ["king", "man", "woman", "queen", "tiger", "cat", "good", "bad", "film", "the"]


@pytest.fixture(scope="module")
def vectors_file(tmp_path_factory):
    """A word2vec text file (the format every tool reads), written by hand."""
    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((len(WORDS), 5))
    path = tmp_path_factory.mktemp("vectors") / "v.txt"
    lines = [f"{len(WORDS)} 5"]
    lines += [
        w + " " + " ".join(f"{x:.6f}" for x in row) for w, row in zip(WORDS, matrix, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def _run(capsys, *args):
    code = main(["evaluate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_for_chosen_datasets(capsys, vectors_file, tmp_path):
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("king queen 9\nman woman 8\ncat tiger 7\ngood bad 2\n")
    code, out, err = _run(
        capsys, vectors_file, "-d", "mc30", "--dataset", str(pairs), "-d", "google", "--json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert set(report) == {"similarity", "analogy"}
    assert list(report["similarity"]) == ["mc30", str(pairs)]
    assert report["similarity"][str(pairs)]["pairs"] == 4
    assert set(report["similarity"]["mc30"]) == {"spearman", "pearson", "pairs", "oov"}
    google = report["analogy"]["google"]
    assert set(google) == {"accuracy", "semantic", "syntactic", "questions", "skipped", "sections"}
    # only king/man/woman/queen-style questions can be used with this vocabulary
    assert google["questions"] + google["skipped"] == 19544
    assert set(google["sections"]["family"]) == {"accuracy", "correct", "questions"}


def test_json_default_is_every_bundled_benchmark(capsys, vectors_file):
    code, out, _ = _run(capsys, vectors_file, "--json")
    report = json.loads(out)
    assert code == 0 and sorted([*report["similarity"], *report["analogy"]]) == sorted(BUNDLED)
    assert "extrinsic" not in report


def test_sentiment_task_alone_and_merged(capsys, vectors_file):
    code, out, _ = _run(capsys, vectors_file, "--task", "sentiment", "--json")
    alone = json.loads(out)
    assert code == 0 and list(alone) == ["extrinsic"]
    sentiment = alone["extrinsic"]["sentiment"]
    assert set(sentiment) == {"accuracy", "coverage", "train", "test"}
    assert (sentiment["train"], sentiment["test"]) == (6000, 872)
    code, out, _ = _run(capsys, vectors_file, "--task", "sentiment", "-d", "rg65", "--json")
    merged = json.loads(out)
    assert code == 0 and set(merged) == {"similarity", "analogy", "extrinsic"}
    assert merged["extrinsic"] == alone["extrinsic"]
    assert list(merged["similarity"]) == ["rg65"]


def test_restrict_vocab_option(capsys, vectors_file, tmp_path):
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("king queen 9\nman woman 8\ncat tiger 7\n")
    _, out, _ = _run(capsys, vectors_file, "-d", str(pairs), "--restrict-vocab", "4", "--json")
    assert json.loads(out)["similarity"][str(pairs)]["oov"] == 1
    _, out, _ = _run(capsys, vectors_file, "-d", str(pairs), "--restrict-vocab", "0", "--json")
    assert json.loads(out)["similarity"][str(pairs)]["oov"] == 0


def test_tables_without_json(capsys, vectors_file):
    code, out, _ = _run(capsys, vectors_file, "-d", "ws353", "-d", "google", "--task", "sentiment")
    assert code == 0
    for text in ("Word similarity", "ws353", "Analogy google", "capital-world", "Sentiment"):
        assert text in out


def _assert_user_error(code, out, err, *fragments):
    assert code == 2 and out == ""
    assert err.startswith("embedlab: error: ") and err.count("\n") == 1
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


def test_unknown_dataset_is_checked_before_loading_vectors(capsys, tmp_path):
    missing_vectors = str(tmp_path / "absent.txt")
    code, out, err = _run(capsys, missing_vectors, "-d", "ws999")
    _assert_user_error(code, out, err, "unknown dataset 'ws999'", *BUNDLED)


def test_malformed_dataset_names_file_and_line(capsys, vectors_file, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("king queen 9\nking queen\n")
    _assert_user_error(*_run(capsys, vectors_file, "-d", str(bad)), str(bad), "line 2")


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--task", "parsing"], "--task must be one of intrinsic, sentiment"),
        (["--restrict-vocab", "-3"], "--restrict-vocab must be 0"),
    ],
)
def test_bad_options_are_user_errors(capsys, vectors_file, args, fragment):
    _assert_user_error(*_run(capsys, vectors_file, *args), fragment)


def test_missing_vectors_file_is_a_user_error(capsys, tmp_path):
    code, out, err = _run(capsys, str(tmp_path / "absent.txt"), "-d", "mc30")
    _assert_user_error(code, out, err, "absent.txt")


def test_vectors_that_cover_no_benchmark_warn_and_exit_non_zero(capsys, tmp_path):
    upper = tmp_path / "upper.txt"  # the benchmarks' words are lowercase
    upper.write_text("3 2\nKING 1 0\nQUEEN 0 1\nMAN 1 1\n")
    code, out, err = _run(capsys, str(upper), "-d", "rg65", "-d", "google", "--json")
    assert code == 1
    report = json.loads(out)  # the report is still printed
    assert report["similarity"]["rg65"]["spearman"] is None
    assert report["analogy"]["google"]["accuracy"] is None
    assert err == (
        "embedlab: warning: no score for rg65 (0 of 65 pairs), google (0 of 19544 questions): "
        "too few of their words have vectors; are the words lowercased and in the benchmark's "
        "language? ('embedlab info' lists the first words)\n"
    )


def test_one_benchmark_without_a_score_is_a_warning_only(capsys, vectors_file, tmp_path):
    foreign, pairs = tmp_path / "foreign.txt", tmp_path / "pairs.txt"
    foreign.write_text("Hund Katze 7\nHaus Baum 2\n")
    pairs.write_text("king queen 9\nman woman 8\ncat tiger 7\ngood bad 2\n")
    code, out, err = _run(capsys, vectors_file, "-d", str(foreign), "-d", str(pairs), "--json")
    assert code == 0
    assert err.startswith(f"embedlab: warning: no score for {foreign} (0 of 2 pairs): ")
