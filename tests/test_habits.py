"""The habits users bring: public estimators with scikit-learn's get/set_params, gensim's
keywords and word2vec.c's and fastText's flags answered with embedlab's, a summary line and
per-epoch records where there is no terminal, and an ``import embedlab`` that stays light."""

from __future__ import annotations

import inspect
import logging
import subprocess
import sys

import pytest

import embedlab
from embedlab.cli.app import main
from embedlab.errors import EmbedlabError
from embedlab.methods import METHODS, method_class

SENTENCES = [["king", "queen", "royal", "crown"], ["water", "river", "sea", "boat"]] * 60
TINY = dict(dim=4, epochs=2, min_count=1, threads=1, seed=1)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_is_public_with_its_full_signature(method):
    name = METHODS[method].split(":")[1]
    cls = getattr(embedlab, name)
    assert cls is method_class(method)
    parameters = inspect.signature(cls).parameters
    assert "params" not in parameters and len(parameters) >= 5  # no **params hiding them
    doc = inspect.getdoc(cls)
    for parameter in parameters.values():
        if parameter.default is not inspect.Parameter.empty:
            assert f"{parameter.name} = {parameter.default!r}:" in doc  # listed with its default


def test_trains_help_lists_the_methods_and_where_their_parameters_are():
    doc = inspect.getdoc(embedlab.train)
    for method, path in METHODS.items():
        assert f"{method}: embedlab.{path.split(':')[1]}" in doc
    assert list(inspect.signature(embedlab.train).parameters) == [
        "corpus", "method", "corpus_format", "dask", "dask_storage", "params",
    ]  # fmt: skip


def test_get_params_and_set_params_as_scikit_learn():
    model = embedlab.SkipGram(dim=10, window=3)
    assert model.get_params(deep=False)["dim"] == 10
    assert model.set_params(dim=20, epochs=2) is model
    assert (model.dim, model.epochs, model.window) == (20, 2, 3)
    with pytest.raises(EmbedlabError, match="min_alpha must be at most 0.05"):
        model.set_params(alpha=0.05, min_alpha=0.5)  # checked together, as the constructor does
    assert (model.alpha, model.min_alpha) == (None, 0.0001)  # nothing changed
    with pytest.raises(EmbedlabError, match="did you mean dim"):
        model.set_params(dimm=3)
    walks = embedlab.Node2Vec(q=2.0).set_params(dim=16, p=0.5)
    assert (walks.word2vec.dim, walks.p, walks.q) == (16, 0.5, 2.0)


GENSIM = {
    "vector_size=100": "vector_size=100 (gensim) is dim=100 here",
    "sg=1": "sg=1 (gensim) is method='skipgram' here",
    "sg=0": "sg=0 (gensim) is method='cbow' here",
    "hs=1": "hs=1 (word2vec.c and gensim) is objective='hierarchical' here",
    "workers=4": "workers=4 (gensim) is threads=4 here",
    "iter=3": "iter=3 (word2vec.c and gensim 3) is epochs=3 here",
}


@pytest.mark.parametrize("given", GENSIM)
def test_gensims_keywords_get_embedlabs(given):
    name, value = given.split("=")
    with pytest.raises(EmbedlabError) as caught:
        embedlab.train(SENTENCES, **{name: int(value)})
    assert str(caught.value) == GENSIM[given]
    with pytest.raises(EmbedlabError, match="is threads=2 here"):
        embedlab.CBOW(workers=2)  # the estimators answer too, before Python's TypeError


def test_min_count_negative_and_window_keep_their_gensim_names():
    emb = embedlab.train(SENTENCES, negative=3, window=2, quiet=True, **TINY)
    assert emb.meta["params"]["negative"] == 3 and emb.meta["params"]["window"] == 2


def test_a_typo_gets_the_closest_names():
    with pytest.raises(EmbedlabError, match=r"windw does not apply to method 'skipgram': did you"
                       r" mean window for windw\? \(it takes: "):  # fmt: skip
        embedlab.train(SENTENCES, windw=3)


FLAGS = [
    (
        ["-size", "100", "-window", "5"],
        "-size 100 (word2vec.c and gensim 3) is --dim 100 here; -window 5 is --window 5 here",
    ),
    (
        ["-hs", "1", "-negative", "0"],
        "-hs 1 (word2vec.c and gensim) is --objective hierarchical"
        " here; -negative 0 is --negative 0 here",
    ),
    (
        ["-cbow", "1", "-iter", "3"],
        "-cbow 1 (word2vec.c) is --method cbow here; -iter 3 "
        "(word2vec.c and gensim 3) is --epochs 3 here",
    ),
    (
        ["-min-count", "2", "-threads", "4", "-sample", "1e-4", "-alpha", "0.05"],
        "-min-count 2 (word2vec.c) is --min-count 2 here; -threads 4 is --threads 4 here; "
        "-sample 1e-4 is --sample 1e-4 here; -alpha 0.05 is --alpha 0.05 here",
    ),
    (
        ["-dim", "50", "-ws", "5", "-epoch", "5", "-minCount", "1", "-neg", "5", "-thread", "2"],
        "-dim 50 is --dim 50 here; -ws 5 (fastText) is --window 5 here; -epoch 5 (fastText) is "
        "--epochs 5 here; -minCount 1 (fastText) is --min-count 1 here; -neg 5 (fastText) is "
        "--negative 5 here; -thread 2 (fastText) is --threads 2 here",
    ),
    (
        ["-loss", "hs", "-lr", "0.05", "-minn", "3", "-maxn", "6", "-bucket", "2000000"],
        "-loss hs (fastText) is --objective hierarchical here; -lr 0.05 (fastText) is --alpha 0.05"
        " here; -bucket 2000000 (fastText and gensim) is --buckets 2000000 here; -minn 3 -maxn 6 "
        "(fastText) is --subwords 3-6 here",
    ),
    (
        ["--size", "100", "--sg", "1", "--workers", "2", "--min_count", "1"],
        "--size 100 (word2vec.c and gensim 3) is --dim 100 here; --sg 1 (gensim) is --method "
        "skipgram here; --workers 2 (gensim) is --threads 2 here; --min_count 1 is --min-count 1 "
        "here",
    ),
]


@pytest.mark.parametrize("flags, answer", FLAGS, ids=[f[0][0] for f in FLAGS])
def test_word2vec_c_and_fasttext_flags_are_answered_in_one_line(flags, answer, tmp_path, capsys):
    out = tmp_path / "v.bin"
    code = main(["train", str(tmp_path / "corpus.txt"), "-o", str(out), *flags])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err == (
        f"embedlab: error: {answer} (other tools' flags are answered, not taken: see "
        "'embedlab train --help')\n"
    )
    assert not out.exists()


def test_fasttexts_whole_command_line_is_translated(tmp_path, capsys):
    args = ["skipgram", "-input", "data.txt", "-output", "model", "-lr", "0.1"]
    assert main(["train", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "embedlab: error: skipgram (fastText's mode) is --method skipgram here; -input data.txt "
        "(fastText): give the corpus file(s) as the first argument; -output model (word2vec.c "
        "and fastText): write the vectors with -o FILE"
    )


def test_a_fasttext_name_for_a_method_without_it_names_embedlabs(tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n" * 20)
    # --lr is the neural methods' option; skip-gram's rate is --alpha
    assert main(["train", str(corpus), "-o", str(tmp_path / "v.bin"), "--lr", "0.05"]) == 2
    assert capsys.readouterr().err == "embedlab: error: --lr 0.05 (fastText) is --alpha 0.05 here\n"


def test_the_python_api_says_what_it_trained_even_in_a_pipe(capsys, caplog):
    embedlab.train(SENTENCES, **TINY)
    err = capsys.readouterr().err
    assert err.startswith("embedlab: skipgram trained 8 words x 4 dims in ")
    assert err.count("\n") == 1 and "final loss" in err
    caplog.set_level(logging.INFO, logger="embedlab")
    emb = embedlab.train(SENTENCES, **TINY)
    assert capsys.readouterr().err == ""  # logging shows embedlab's records: they say it all
    messages = [r.getMessage() for r in caplog.records if r.name == "embedlab"]
    losses = [entry["loss"] for entry in emb.meta["history"]]
    assert messages[0].startswith("skipgram epoch 1/2: ") and f"loss {losses[0]:.4g}" in messages[0]
    assert messages[1].startswith("skipgram epoch 2/2: ") and f"loss {losses[1]:.4g}" in messages[1]
    assert messages[2].startswith("skipgram trained 8 words x 4 dims")
    caplog.clear()
    embedlab.train(SENTENCES, quiet=True, **TINY)
    assert capsys.readouterr().err == "" and not caplog.records  # quiet silences all


def test_import_embedlab_stays_light():
    # the public names resolve on first use: train and Embeddings need no Numba, SciPy or torch
    code = (
        "import sys, embedlab\n"
        "embedlab.train, embedlab.Embeddings, embedlab.load\n"
        "print(sorted(m for m in ('numba', 'scipy', 'torch', 'gensim') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
