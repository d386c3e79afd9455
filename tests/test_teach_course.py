"""embedlab teach as a course: the list in the notes' order, one module per lesson, help that
names the notes, and every lesson readable at 80 columns (no vector split across lines)."""

from __future__ import annotations

import importlib.util
import json
import pkgutil
import re

import numpy as np
import pytest
from rich.cells import cell_len

import embedlab.cli.teach as teach_cli
from embedlab.cli.app import main
from embedlab.cli.common import console
from embedlab.cli.teach._lessons import LESSONS
from embedlab.teach import toy_data

NEEDS_TORCH = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="no torch")

#: The lessons in the order the notes reach them (000 to 004), read from shared/seeds.
NOTES_ORDER = [
    "step",
    "train-toy",  # 000: the first update, "much later"
    "onehot",
    "cosine",
    "analogy",
    "pairs",
    "sigmoid",
    "negatives",
    "keep",
    "huffman",
    "analogy-exercise",  # 001: ... hierarchical softmax, then the closing exercise
    "pmi",
    "svd",
    "params",
    "gradcheck",
    "matrix-calculus",  # 002
    "sigmoid-derivative",
    "backprop",
    "softmax-loss",
    "sgns-pmi",  # 003
    "optimizers",
    "autoencoder",
    "vae",
    "kl",
    "contrastive",
    "pca",  # 004
]

#: A vector of numbers opened on a line and not closed on it.
BROKEN_VECTOR = re.compile(r"\(\s*-?(?:\d[\d.]*|inf)(?:e[+-]?\d+)?,\s(?![^()]*\))")


@pytest.fixture
def columns80(monkeypatch):
    monkeypatch.setattr(console, "width", 80)


def test_teach_alone_lists_every_lesson_in_the_notes_order(capsys, columns80):
    assert main(["teach"]) == 0
    out = capsys.readouterr().out
    listed = [m.group(1) for m in re.finditer(r"^  (\S+) {2,}\S", out, flags=re.M)]
    assert listed == NOTES_ORDER
    registered = {c.name for c in teach_cli.teach_app.registered_commands}
    assert registered == set(NOTES_ORDER)
    headers = re.findall(r"^notes (\d{3}):", out, flags=re.M)
    assert headers == ["000", "001", "002", "003", "004"]
    assert all(cell_len(line) <= 80 for line in out.splitlines())  # one line each


def test_each_lesson_is_one_module_found_by_itself():
    modules = {
        f"embedlab.cli.teach.{m.name}"
        for m in pkgutil.iter_modules(teach_cli.__path__)
        if not m.name.startswith("_")
    }
    assert sorted(lesson.command.__module__ for lesson in LESSONS) == sorted(modules)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_help_starts_with_the_summary_and_the_notes(capsys, lesson):
    assert main(["teach", lesson.name, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"{lesson.summary} (notes {lesson.notes})." in text


def test_pca_help_does_not_credit_the_centring_to_the_notes(capsys):
    assert main(["teach", "pca", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "The notes never centre X" in text
    assert "as the notes derive it: centre" not in text


def test_teach_help_points_to_the_course_and_the_docs(capsys):
    assert main(["teach", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "docs/lectures.md" in text and "'embedlab teach' alone" in text


def _number_rows(text: str, columns: int) -> dict[str, list[float]]:
    """Table rows ``│ word │ x │ y │ ...`` with ``columns`` numbers, by word."""
    number = r"│\s*(-?\d+\.\d+)\s*"
    pattern = re.compile(r"^│\s*(\w+)\s*" + number * columns + "│$", flags=re.M)
    return {m.group(1): [float(v) for v in m.groups()[1:]] for m in pattern.finditer(text)}


def _vector_after(label: str, text: str) -> np.ndarray:
    match = re.search(re.escape(label) + r" = \(([^)]*)\)", text)
    return np.array([float(v) for v in match.group(1).split(",")])


def test_analogy_cosines_recomputed_from_the_printed_vectors(capsys, columns80):
    assert main(["teach", "analogy", "--digits", "6"]) == 0
    out = capsys.readouterr().out
    tables = out.split("the answers")
    vectors = _number_rows(tables[0], 3)
    assert set(vectors) == {"king", "queen", "man", "woman", "prince", "apple"}
    raw = _vector_after("king − man + woman", out)
    ranked = _vector_after("unit(king) − unit(man) + unit(woman)", out)
    v = {w: np.array(x) for w, x in vectors.items()}
    unit = {w: x / np.linalg.norm(x) for w, x in v.items()}
    np.testing.assert_allclose(raw, v["king"] - v["man"] + v["woman"], atol=2e-6)
    np.testing.assert_allclose(ranked, unit["king"] - unit["man"] + unit["woman"], atol=2e-6)
    answers = _number_rows(tables[1], 2)
    assert list(answers) == ["queen", "prince", "apple"]

    def cos(a, b):
        return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))

    for word, (ranked_cosine, raw_cosine) in answers.items():
        assert ranked_cosine == pytest.approx(cos(v[word], ranked), abs=5e-6)
        assert raw_cosine == pytest.approx(cos(v[word], raw), abs=5e-6)
    ranked_order = [a[0] for a in answers.values()]
    assert ranked_order == sorted(ranked_order, reverse=True)  # ranked by the printed vector
    assert answers["queen"][1] == pytest.approx(1.0)  # the raw sum is queen exactly


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("course") / "small.txt"
    path.write_text(("the cat sat on the mat and the dog sat on the rug\n" * 20), encoding="utf-8")
    return str(path)


#: Every lesson with small settings (the defaults train for seconds to minutes).
NARROW = [
    ["step"],
    ["step", "--toy", "vehicles-fruits-later"],
    ["train-toy", "--epochs", "5"],
    ["onehot"],
    ["cosine"],
    ["analogy"],
    ["pairs"],
    ["pairs", "--mode", "next-word"],
    ["pairs", toy_data.WHITE_CAT],
    ["sigmoid"],
    ["negatives", "--epochs", "3"],
    ["keep"],
    ["huffman"],
    [
        "analogy-exercise",
        "--corpus",
        "{corpus}",
        "--dim",
        "4",
        "--epochs",
        "1",
        "--min-count",
        "1",
        "the",
        "cat",
        "dog",
    ],
    ["pmi"],
    ["pmi", toy_data.LIKE_CATS, "--k", "2"],
    ["svd"],
    ["params"],
    ["gradcheck"],
    ["matrix-calculus"],
    ["sigmoid-derivative"],
    ["backprop"],
    ["softmax-loss"],
    ["sgns-pmi", "{corpus}", "--dim", "4", "--epochs", "1", "--min-count", "1"],
    pytest.param(["optimizers", "--steps", "5"], marks=NEEDS_TORCH),
    pytest.param(["autoencoder", "--steps", "3"], marks=NEEDS_TORCH),
    pytest.param(["vae", "--steps", "3"], marks=NEEDS_TORCH),
    ["kl"],
    pytest.param(["contrastive", "--steps", "3"], marks=NEEDS_TORCH),
    ["pca"],
]


@pytest.mark.parametrize("args", NARROW, ids=lambda args: " ".join(args[:3]))
def test_every_lesson_fits_80_columns_without_splitting_a_vector(
    capsys, columns80, small_corpus, args
):
    args = [a.replace("{corpus}", small_corpus) for a in args]
    assert main(["teach", *args]) == 0
    out = capsys.readouterr().out
    for line in out.splitlines():
        assert cell_len(line) <= 80, line
        assert not BROKEN_VECTOR.search(line), line


def test_step_numbers_survive_80_columns(capsys, columns80):
    assert main(["teach", "step", "--steps", "3", "--digits", "4"]) == 0
    printed = set(re.findall(r"-?\d+\.\d+", capsys.readouterr().out))
    assert main(["teach", "step", "--steps", "3", "--json"]) == 0
    for row in json.loads(capsys.readouterr().out)["rows"]:
        for value in (row["z"], row["sigma"], row["error"], *row["delta_context"]):
            assert f"{value:.4f}" in printed
