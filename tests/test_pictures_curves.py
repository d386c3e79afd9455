"""Training curves: the picture, the numbers drawn, and reading a run's history back."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from embedlab.errors import EmbedlabError
from embedlab.pictures.curves import FIGSIZE, history_curves, plot_history, read_history
from embedlab.pictures.render import DPI
from embedlab.vectors.embeddings import Embeddings
from test_pictures_maps import png_size

HISTORY = [
    {"epoch": 1, "loss": 2.5, "words_per_sec": 1000.0, "seconds": 1.0, "alpha": 0.02},
    {"epoch": 2, "loss": 2.0, "words_per_sec": 1100.0, "seconds": 0.9, "alpha": 0.01},
    {"epoch": 3, "loss": 1.75, "words_per_sec": 1050.0, "seconds": 0.95, "alpha": 0.0},
]


def test_png_curve_has_the_requested_size_and_returns_the_numbers(tmp_path):
    out = tmp_path / "curve.png"
    curves = plot_history(HISTORY, out)
    assert png_size(out.read_bytes()) == (int(FIGSIZE[0] * DPI), int(FIGSIZE[1] * DPI))
    assert curves == {
        "epoch": [1, 2, 3],
        "loss": [2.5, 2.0, 1.75],
        "words_per_sec": [1000.0, 1100.0, 1050.0],
    }


def test_svg_curve_is_an_svg_document(tmp_path):
    out = tmp_path / "curve.svg"
    plot_history(HISTORY, out, title="three epochs")
    root = ET.fromstring(out.read_bytes())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.attrib["width"] == f"{FIGSIZE[0] * 72:g}pt"


def test_missing_throughput_and_a_diverged_loss_are_left_out():
    history = [
        {"epoch": 1, "loss": 1.0},
        {"epoch": 2, "loss": float("nan"), "words_per_sec": 10.0},
    ]
    curves = history_curves(history)
    assert curves["loss"] == [1.0, None]
    assert curves["words_per_sec"] == [None, 10.0]


@pytest.mark.parametrize(
    "history, message",
    [
        ([], "no training history"),
        (None, "no training history"),
        ([{"epoch": 1, "words_per_sec": 5.0}], "records no loss"),
        ([{"epoch": 1, "loss": "low"}], "entry 1: loss must be a number"),
        (["epoch 1"], "entry 1 is not a dict"),
    ],
)
def test_bad_histories_are_user_errors(history, message, tmp_path):
    with pytest.raises(EmbedlabError, match=message):
        plot_history(history, tmp_path / "curve.png")
    assert list(tmp_path.iterdir()) == []


def test_history_is_read_from_train_json_and_from_meta(tmp_path):
    printed = tmp_path / "run.json"
    printed.write_text(json.dumps({"method": "skipgram", "history": HISTORY}))
    assert read_history(printed) == HISTORY
    nested = tmp_path / "nested.json"
    nested.write_text(json.dumps({"meta": {"history": HISTORY[:1]}}))
    assert read_history(nested) == HISTORY[:1]
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps({"vectors": 3}))
    with pytest.raises(EmbedlabError, match="no 'history' list"):
        read_history(bare)
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(EmbedlabError, match="as JSON"):
        read_history(broken)


def test_history_is_read_from_a_native_model(tmp_path):
    model = tmp_path / "model.emb"
    vectors = np.arange(6, dtype=np.float32).reshape(3, 2)
    Embeddings(["a", "b", "c"], vectors, meta={"method": "skipgram", "history": HISTORY}).save(
        model
    )
    assert read_history(model) == HISTORY
    plain = tmp_path / "plain.emb"
    Embeddings(["a", "b", "c"], vectors).save(plain)
    assert read_history(plain) == []


def test_other_run_files_are_refused(tmp_path):
    with pytest.raises(EmbedlabError, match="does not exist"):
        read_history(tmp_path / "absent.json")
    text = tmp_path / "vectors.txt"
    text.write_text("1 2\na 0.1 0.2\n")
    with pytest.raises(EmbedlabError, match="native .emb model"):
        read_history(text)
