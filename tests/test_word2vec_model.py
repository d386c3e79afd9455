"""The SkipGram / CBOW estimators: parameter checks, and fit() through the shared contracts."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.corpus import as_corpus
from embedlab.errors import EmbedlabError
from embedlab.methods import method_class
from embedlab.methods.word2vec.model import CBOW, SkipGram, sized_alpha
from embedlab.methods.word2vec.objectives.softmax import MAX_VOCAB as FULL_SOFTMAX_MAX_VOCAB
from embedlab.vectors.formats import load
from test_word2vec_training import planted_corpus  # noqa: I001  (tests folder is on sys.path)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"objective": "nce"}, "objective must be one of"),
        ({"dim": 0}, "dim must be at least 1"),
        ({"window": 2.5}, "window must be an integer"),
        ({"negative": 0}, "negative must be at least 1"),
        ({"sample": -1e-3}, "sample must be at least 0"),
        ({"epochs": 0}, "epochs must be at least 1"),
        ({"alpha": 0.0}, "alpha must be greater than 0"),
        ({"min_alpha": 0.5}, "min_alpha must be at most"),
        ({"threads": 0}, "threads must be at least 1"),
        ({"seed": -1}, "seed must be at least 0"),
        ({"dynamic_window": "yes"}, "dynamic_window must be true or false"),
        ({"combine": "max"}, "combine must be one of"),
        ({"callbacks": [42]}, "neither callable"),
        ({"objective": "hierarchical", "combine": "sum"}, "Huffman inner nodes"),
    ],
)
def test_bad_parameters_are_user_errors(params, message):
    with pytest.raises(EmbedlabError, match=message):
        SkipGram(**params)


def test_cbow_checks_cbow_mean_and_has_its_own_alpha():
    with pytest.raises(EmbedlabError, match="cbow_mean"):
        CBOW(cbow_mean=1)
    assert CBOW().alpha is None and SkipGram().alpha is None  # sized from the corpus
    assert CBOW(cbow_mean=False).get_params()["objective"] == "negative"


@pytest.mark.parametrize(
    ("tokens", "skipgram", "cbow"),
    [
        # 0.1 * (1e6 / n) ** 0.25 and 0.2 * (1e6 / n) ** 0.25, clipped to [0.025, 0.1] and
        # [0.05, 0.1]: worked out by hand from the documented rule.
        (200_000, 0.1, 0.1),
        (1_000_000, 0.1, 0.1),
        (16_000_000, 0.05, 0.1),
        (81_000_000, 0.1 / 3, 0.2 / 3),
        (10**10, 0.025, 0.05),
    ],
)
def test_the_default_starting_rate_is_sized_from_the_corpus(tokens, skipgram, cbow):
    assert sized_alpha(tokens, *SkipGram.alpha_rule) == pytest.approx(skipgram)
    assert sized_alpha(tokens, *CBOW.alpha_rule) == pytest.approx(cbow)


def test_a_sized_rate_is_what_training_uses_and_records():
    sentences = [["a", "b", "c", "d", "e"][i % 3 :] for i in range(400)]
    emb = SkipGram(dim=4, epochs=1, threads=1, quiet=True).fit(as_corpus(sentences, min_count=1))
    n_tokens = sum(len(sentence) for sentence in sentences)
    assert n_tokens < 1_000_000 and emb.meta["params"]["alpha"] == 0.1
    given = SkipGram(dim=4, epochs=1, threads=1, quiet=True, alpha=0.02)
    assert given.fit(as_corpus(sentences, min_count=1)).meta["params"]["alpha"] == 0.02


def test_registered_under_their_method_names():
    assert method_class("skipgram") is SkipGram and method_class("cbow") is CBOW


def test_checkpoint_dir_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(EmbedlabError, match="is a file"):
        SkipGram(checkpoint_dir=target)


def test_full_softmax_refuses_a_large_vocabulary():
    from embedlab.corpus.encoded import EncodedCorpus
    from embedlab.corpus.vocabulary import Vocabulary

    n = FULL_SOFTMAX_MAX_VOCAB + 1
    vocab = Vocabulary([f"w{i}" for i in range(n)], np.ones(n, dtype=np.int64))
    corpus = EncodedCorpus(vocab, np.arange(n, dtype=np.int32), np.array([0, n]), n)
    with pytest.raises(EmbedlabError, match="objective='softmax'"):
        SkipGram(objective="softmax", quiet=True).fit(corpus)


def test_fit_returns_embeddings_with_history_and_calls_callbacks(tmp_path):
    calls = []

    class Hook:
        def on_epoch_end(self, epoch, loss, embeddings):
            calls.append(("object", epoch, loss, len(embeddings)))

    model = SkipGram(
        dim=8,
        window=3,
        negative=3,
        sample=0.0,
        epochs=2,
        threads=1,
        quiet=True,
        callbacks=[Hook(), lambda e, loss, emb: calls.append(("function", e, loss, len(emb)))],
        checkpoint_dir=tmp_path / "ckpt",
    )
    emb = model.fit(planted_corpus())
    history = emb.meta["history"]
    assert [h["epoch"] for h in history] == [1, 2]
    assert emb.meta["method"] == "skipgram" and emb.meta["objective"] == "negative"
    assert [c[:2] for c in calls] == [
        ("object", 1),
        ("function", 1),
        ("object", 2),
        ("function", 2),
    ]
    assert calls[-1][2] == history[-1]["loss"] and calls[-1][3] == 12
    assert sorted(p.name for p in (tmp_path / "ckpt").iterdir()) == [
        "epoch-001.emb",
        "epoch-002.emb",
    ]


@pytest.mark.parametrize("model", [SkipGram, CBOW])
def test_resume_continues_the_interrupted_run_bit_for_bit(model, tmp_path):
    corpus = planted_corpus()
    small = dict(dim=8, sample=1e-2, epochs=3, threads=1, quiet=True)
    whole = model(**small, checkpoint_dir=tmp_path).fit(corpus)
    path = tmp_path / "epoch-001.emb"
    saved = path.read_bytes()
    resumed = model(**small, resume=path, checkpoint_dir=tmp_path / "again").fit(corpus)
    assert np.array_equal(resumed.input_vectors, whole.input_vectors)
    assert np.array_equal(resumed.context_vectors, whole.context_vectors)
    assert [e["epoch"] for e in resumed.meta["history"]] == [1, 2, 3]
    assert resumed.meta["history"][0] == whole.meta["history"][0]  # carried over
    assert sorted(p.name for p in (tmp_path / "again").iterdir()) == [
        "epoch-002.emb",
        "epoch-003.emb",
    ]
    assert path.read_bytes() == saved
    schedule = resumed.meta["schedule"]
    assert schedule["epochs_done"] == 3 and schedule["words_done"] == 3 * corpus.n_tokens


def test_resume_refuses_what_would_not_continue_the_run(tmp_path):
    corpus = planted_corpus()
    small = dict(dim=8, sample=0.0, epochs=2, alpha=0.02, seed=1, threads=1, quiet=True)
    SkipGram(**small, checkpoint_dir=tmp_path).fit(corpus)
    path = tmp_path / "epoch-001.emb"
    # half the run done: half-way from alpha down to min_alpha (0.0001)
    assert load(path).meta["schedule"]["next_alpha"] == pytest.approx(0.02 - (0.02 - 0.0001) / 2)
    with pytest.raises(EmbedlabError, match="pass epochs greater than 1"):
        SkipGram(**(small | {"epochs": 1}), resume=path).fit(corpus)
    with pytest.raises(EmbedlabError, match="seed=1, not 2: pass seed=1"):
        SkipGram(**(small | {"seed": 2}), resume=path).fit(corpus)
    with pytest.raises(EmbedlabError, match="alpha=0.02, not 0.03"):
        SkipGram(**(small | {"alpha": 0.03}), resume=path).fit(corpus)
    with pytest.raises(EmbedlabError, match="this corpus has 1600 a pass"):
        SkipGram(**small, resume=path).fit(planted_corpus(n_sentences=200, seed=0))
    renamed = tmp_path / "elsewhere" / "epoch-002.emb"  # epoch 1's model under epoch 2's name
    renamed.parent.mkdir()
    renamed.write_bytes(path.read_bytes())
    with pytest.raises(EmbedlabError, match="epoch 2's checkpoint would overwrite"):
        SkipGram(**small, resume=renamed, checkpoint_dir=renamed.parent).fit(corpus)
    other = planted_corpus()
    other_vocab = type(other.vocab)(list(reversed(other.vocab.words)), other.vocab.counts)
    shuffled = type(other)(other_vocab, other.tokens, other.sentence_starts, other.raw_tokens)
    with pytest.raises(EmbedlabError, match="vocabulary differs"):
        SkipGram(**small, resume=path).fit(shuffled)


def test_vectors_without_a_schedule_are_a_warm_start_of_the_whole_run():
    from embedlab.vectors.embeddings import Embeddings

    corpus = planted_corpus()
    small = dict(dim=8, sample=0.0, epochs=2, threads=1, quiet=True)
    plain = SkipGram(**small).fit(corpus)
    start = Embeddings(plain.words, plain.input_vectors, context=plain.context_vectors)
    warm = SkipGram(**small, resume=start).fit(corpus)
    assert [e["epoch"] for e in warm.meta["history"]] == [1, 2]
    assert not np.array_equal(warm.input_vectors, plain.input_vectors)
