"""``embedlab quickstart``: what it prints is computed from the vectors it trained.

The real sample corpus takes tens of seconds, so the tests point the command at a tiny corpus
with quick settings; the quickstart's own words and analogy occur in it.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import embedlab.corpus
import embedlab.methods
from embedlab.cli import train as train_cli
from embedlab.cli.app import main
from embedlab.evaluation import evaluate
from embedlab.vectors.formats import load

FAMILY = ["brother", "sister", "father", "mother", "son", "daughter"]
SEA = ["ship", "water", "sea", "boat", "sail", "wave"]


@pytest.fixture
def tiny_quickstart(tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    lines = [" ".join(rng.choice(FAMILY if i % 2 else SEA, size=12)) for i in range(200)]
    path = tmp_path / "sample.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(embedlab.corpus, "sample_corpus_path", lambda: path)
    quick = {"dim": 8, "epochs": 1, "min_count": 1, "threads": 1}
    monkeypatch.setattr(train_cli, "QUICKSTART_PARAMS", train_cli.QUICKSTART_PARAMS | quick)
    return path


def test_json_is_computed_from_the_saved_vectors(tiny_quickstart, tmp_path, capsys):
    saved = tmp_path / "quick.emb"
    rc = main(["quickstart", "--json", "--quiet", "-o", str(saved)])
    out, err = capsys.readouterr()
    assert rc == 0, err
    result = json.loads(out)
    emb = load(saved)
    present = [w for w in train_cli.QUICKSTART_WORDS if w in emb]
    assert present == ["father", "ship", "water"]  # the others are not in the tiny corpus
    assert list(result["neighbours"]) == present
    for word in present:
        expected = emb.most_similar(word, topn=train_cli.NEIGHBOURS)
        assert [w for w, _ in result["neighbours"][word]] == [w for w, _ in expected]
        assert np.allclose([s for _, s in result["neighbours"][word]], [s for _, s in expected])
    a, b, c = train_cli.QUICKSTART_ANALOGY
    assert result["analogy"]["question"] == [a, b, c]
    assert [w for w, _ in result["analogy"]["answers"]] == [w for w, _ in emb.analogy(a, b, c, 3)]
    assert result["evaluation"] == json.loads(json.dumps(evaluate(emb)))
    assert result["vocabulary"] == 12 and result["dim"] == 8


def test_tables_show_neighbours_analogy_and_scores(tiny_quickstart, capsys):
    rc = main(["quickstart", "--quiet"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert err == ""  # --quiet: no progress, no summary
    assert "Nearest neighbours" in out
    assert "brother : sister :: father : ?" in out
    assert "Evaluation" in out and "ws353" in out and "google" in out


def test_summary_goes_to_stderr_unless_quiet(tiny_quickstart, capsys):
    rc = main(["quickstart"])
    out, err = capsys.readouterr()
    assert rc == 0
    # in a pipe: a line per epoch (one here), then the summary
    epoch, summary = err.splitlines()
    assert epoch.startswith("embedlab: skipgram epoch 1/1: ")
    assert summary.startswith("embedlab: skipgram trained 12 words x 8 dims")


def test_a_bad_output_fails_before_training(tiny_quickstart, tmp_path, capsys, monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("trained before checking the output")

    monkeypatch.setattr("embedlab.methods.fit", no_training)
    rc = main(["quickstart", "-o", str(tmp_path / "v.unknown")])
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith("embedlab: error: ") and err.count("\n") == 1


def test_the_bundled_sample_corpus_holds_the_quickstart_words():
    # The real command needs its words and its analogy well above min_count in the sample
    # corpus; counting them in the text is cheap, training on it is not.
    with gzip.open(embedlab.corpus.sample_corpus_path(), "rt", encoding="utf-8") as text:
        counts = Counter(re.findall(r"[a-z]+", text.read().lower()))
    needed = set(train_cli.QUICKSTART_WORDS) | set(train_cli.QUICKSTART_ANALOGY)
    rare = {word: counts[word] for word in needed if counts[word] < 50}
    assert not rare


def test_after_the_scores_one_line_says_what_they_mean(tiny_quickstart, capsys):
    rc = main(["quickstart", "--quiet"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    tail = out[out.index("Evaluation") :].splitlines()
    note = [line for line in tail if "sample" in line]
    assert len(note) == 1
    tokens = len(tiny_quickstart.read_text(encoding="utf-8").split())  # 200 lines x 12 = 2.4k
    assert f"from a {tokens / 1000:.1f}k-word sample" in note[0]
    assert "embedlab train CORPUS.txt.gz -o vectors.bin" in note[0]
    assert tail[-1] == note[0]  # the last thing printed


def test_the_readme_analogy_holds_on_the_real_quickstart_vectors(tmp_path, monkeypatch):
    # README promises an answer; train exactly what `embedlab quickstart` trains and ask.
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    found = re.search(r"embedlab analogy vectors\.bin (\w+) (\w+) (\w+) +# -> (\w+)", readme)
    assert found, "README has no 'embedlab analogy vectors.bin a b c  # -> d' example"
    a, b, c, answer = found.groups()
    assert (a, b, c) == train_cli.QUICKSTART_ANALOGY  # what the quickstart shows, too
    monkeypatch.setenv("EMBEDLAB_CACHE", str(tmp_path / "cache"))
    emb = embedlab.methods.train(
        embedlab.corpus.sample_corpus_path(), quiet=True, **train_cli.QUICKSTART_PARAMS
    )
    assert emb.analogy(a, b, c, topn=1)[0][0] == answer
