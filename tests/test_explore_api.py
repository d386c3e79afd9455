"""The explorer's API without HTTP: answers against the protocol and NumPy, maps against
``pictures.projection``, exports read back, the static page's data, and every bad parameter.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from urllib.parse import urlencode

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.explore import Explorer, maps
from embedlab.explore.api import Download
from embedlab.explore.params import MAX_LIST_WORDS, BadRequest
from embedlab.explore.static import render_static, static_data
from embedlab.pictures.projection import pca
from embedlab.query import Model
from embedlab.vectors import Embeddings

WORDS = ["the", "man", "woman", "king", "queen", "apple", "pear", "car", "bus", "sky"]
WORDS += [f"w{i}" for i in range(50)]


def _matrix(seed=4, dim=12):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((len(WORDS), dim))
    royal = 2 * rng.standard_normal(dim)
    W[WORDS.index("king")] = W[WORDS.index("man")] + royal
    W[WORDS.index("queen")] = W[WORDS.index("woman")] + royal
    return W.astype(np.float32)


@pytest.fixture(scope="module")
def emb():
    return Embeddings(WORDS, _matrix(), counts=np.arange(len(WORDS), 0, -1))


@pytest.fixture(scope="module")
def one(emb):
    return Explorer([Model(emb, "one.emb")], top=40)


@pytest.fixture(scope="module")
def two(emb):
    rng = np.random.default_rng(9)
    other = _matrix() + 0.5 * rng.standard_normal(_matrix().shape).astype(np.float32)
    second = Embeddings(WORDS[::-1][5:], other[::-1][5:])  # reversed, w45..w49 gone
    return Explorer([Model(emb, "one.emb"), Model(second, "two.txt")], top=40)


def _assert_ranking(results, expected):
    """``results`` ({word, similarity} dicts) rank the words of ``expected`` ((word, score)
    pairs) in the same order with the same scores."""
    assert [r["word"] for r in results] == [w for w, _ in expected]
    assert [r["similarity"] for r in results] == pytest.approx([s for _, s in expected], abs=1e-5)


def test_models_describe_both_files(two):
    info = two.answer("/api/models")
    assert [m["name"] for m in info["models"]] == ["one.emb", "two.txt"]
    assert [m["words"] for m in info["models"]] == [len(WORDS), len(WORDS) - 5]
    assert info["top"] == 40 and info["aligned"] is True
    assert "meta" not in info["models"][0] and "path" not in info["models"][0]


def test_neighbours_and_analogies_are_the_protocols(one, emb):
    answer = one.answer("/api/neighbours", "q=king&k=4")
    expected = emb.most_similar("king", topn=4)
    _assert_ranking(answer["results"], expected)
    solved = one.answer("/api/analogy", "a=man&b=king&c=woman&k=3&method=3CosMul")
    expected = emb.most_similar_cosmul(positive=["king", "woman"], negative=["man"], topn=3)
    _assert_ranking(solved["results"], expected)


def test_completions(one):
    assert one.answer("/api/complete", "prefix=W1&limit=3")["words"] == ["w1", "w10", "w11"]
    assert one.answer("/api/complete", "prefix=")["words"] == []


def test_compare_names_which_model_knows_a_word(two):
    answer = two.answer("/api/compare", "q=king&k=5")
    assert answer["models"] == ["one.emb", "two.txt"] and len(answer["lists"][1]) == 5
    with pytest.raises(UnknownWordError, match="only one.emb knows it"):
        two.answer("/api/compare", "q=w49")
    with pytest.raises(UnknownWordError, match="neither model knows it"):
        two.answer("/api/compare", "q=zzz")


def test_a_pca_map_is_the_notes_pca(one, emb):
    result = one.answer("/api/map", "top=30")
    fitted = pca(emb[WORDS[:30]])
    np.testing.assert_allclose(np.c_[result["x"], result["y"]], fitted.coords, atol=1e-9)
    assert result["axes"][0].startswith("PC1 (") and result["words"] == WORDS[:30]


def test_pca_of_wide_rows_takes_the_svd_path(emb, monkeypatch):
    monkeypatch.setattr(maps, "COVARIANCE_DIM", 4)
    coords, ratio = maps.principal_components(emb, WORDS[:20], 2)
    fitted = pca(emb[WORDS[:20]])
    np.testing.assert_allclose(coords, fitted.coords, atol=1e-9)
    np.testing.assert_allclose(ratio, fitted.explained_variance_ratio[:2])
    monkeypatch.setattr(maps, "WIDE_CELLS", 12 * 10)
    with pytest.raises(EmbedlabError, match="at most 10 words fit"):
        maps.principal_components(emb, WORDS[:20], 2)


def test_formula_axes_are_cosines(one, emb):
    result = one.answer("/api/map", "method=axes&words=king,queen,apple&x=man+-+woman&y=-+sky")
    W = emb[["king", "queen", "apple"]].astype(np.float64)
    unit = lambda v: v / np.linalg.norm(v)  # noqa: E731
    x_axis = unit(unit(emb["man"].astype(np.float64)) - unit(emb["woman"].astype(np.float64)))
    y_axis = -unit(emb["sky"].astype(np.float64))
    expected = np.c_[W @ x_axis, W @ y_axis] / np.linalg.norm(W, axis=1)[:, None]
    np.testing.assert_allclose(np.c_[result["x"], result["y"]], expected, atol=1e-6)
    assert result["axes"] == ["cos(word, man - woman)", "cos(word, - sky)"]


def test_tsne_and_umap_maps(one, monkeypatch):
    result = one.answer("/api/map", "method=tsne&top=12&seed=3")
    coords = np.c_[result["x"], result["y"]]
    assert coords.shape == (12, 2) and np.isfinite(coords).all() and coords.std() > 0
    monkeypatch.setitem(sys.modules, "umap", None)  # as if umap-learn were not installed
    with pytest.raises(EmbedlabError, match=r"pip install 'embedlab\[explore\]'"):
        one.answer("/api/map", "method=umap&top=12")


def test_groups_colour_the_map_and_join_it(one):
    result = one.answer("/api/map", "top=5&groups=fruit:apple,pear;transport:car")
    assert result["words"] == WORDS[:5] + ["apple", "pear", "car"]
    assert result["group"] == [None] * 5 + ["fruit", "fruit", "transport"]
    assert result["group_names"] == ["fruit", "transport"]


def test_the_joint_map_puts_both_models_in_one_frame(two):
    result = two.answer("/api/map", "model=both&words=king,queen,man,woman,apple")
    first, second = two.comparison.aligned_rows(["king", "queen", "man", "woman", "apple"])
    fitted = pca(first)
    np.testing.assert_allclose(np.c_[result["x"], result["y"]], fitted.coords, atol=1e-6)
    projected = (second - fitted.mean) @ fitted.components.T
    np.testing.assert_allclose(np.c_[result["x2"], result["y2"]], projected, atol=1e-6)
    with pytest.raises(BadRequest, match="method=pca"):
        two.answer("/api/map", "model=both&method=tsne")


def test_survey_and_disagreements_answer_through_the_api(two):
    survey = two.answer("/api/survey", "k=4&n=30&limit=5")
    assert survey["n"] == 30 and sum(b["words"] for b in survey["histogram"]) == 30
    pairs = two.answer("/api/disagreements", "dataset=simlex999&limit=3")
    assert pairs["dataset"] == "simlex999" and pairs["models"] == ["one.emb", "two.txt"]


def test_exports_read_back(one, emb):
    table = one.answer("/api/export/map.csv", "top=5&groups=fruit:apple")
    assert isinstance(table, Download) and table.filename == "map.csv"
    rows = list(csv.DictReader(io.StringIO(table.text)))
    result = one.answer("/api/map", "top=5&groups=fruit:apple")
    assert [r["word"] for r in rows] == result["words"]
    assert [float(r["x"]) for r in rows] == result["x"]
    assert [r["group"] for r in rows] == [""] * 5 + ["fruit"]

    lists = one.answer("/api/export/neighbours.csv", "words=king,apple&k=3").text
    rows = list(csv.DictReader(io.StringIO(lists)))
    for word in ("king", "apple"):
        mine = [(r["neighbour"], float(r["similarity"])) for r in rows if r["word"] == word]
        _assert_ranking(
            [{"word": w, "similarity": s} for w, s in mine], emb.most_similar(word, topn=3)
        )

    vectors = one.answer("/api/export/vectors.tsv", "words=king,apple,sky").text
    np.testing.assert_allclose(
        np.loadtxt(io.StringIO(vectors), delimiter="\t"), emb[["king", "apple", "sky"]], rtol=1e-6
    )
    plain = one.answer("/api/export/metadata.tsv", "words=king,apple").text
    assert plain == "king\napple\n"  # one column: no header, as the Projector reads it
    grouped = one.answer("/api/export/metadata.tsv", "words=king,apple&groups=f:apple").text
    assert grouped == "word\tgroup\nking\t\napple\tf\n"


BAD = [
    ("/api/neighbours", "", BadRequest, "q is missing"),
    ("/api/neighbours", "q=king&k=0", BadRequest, "k must be from 1 to 100"),
    ("/api/neighbours", "q=king&k=ten", BadRequest, "whole number"),
    ("/api/neighbours", "q=king&k=99999999999999", BadRequest, "at most"),
    ("/api/neighbours", "q=king&q=queen", BadRequest, "given twice"),
    ("/api/neighbours", "q=king&path=/etc/passwd", BadRequest, "unknown parameter 'path'"),
    ("/api/neighbours", "q=" + "a" * 201, BadRequest, "at most 200"),
    ("/api/neighbours", "q=ki%00ng", BadRequest, "control characters"),
    ("/api/neighbours", "q=%ff%fe", BadRequest, "not valid UTF-8"),
    ("/api/neighbours", "q=king&model=1", BadRequest, "model must be one of 0"),
    ("/api/neighbours", "q=nowhere", UnknownWordError, "'nowhere'"),
    ("/api/neighbours", "&".join(f"q{i}=1" for i in range(20)), BadRequest, "more than 16"),
    ("/api/analogy", "a=man&b=king", BadRequest, "c is missing"),
    ("/api/analogy", "a=man&b=king&c=woman&method=../../x", BadRequest, "method must be"),
    ("/api/map", "method=mds", BadRequest, "method must be one of pca"),
    ("/api/map", "top=1", BadRequest, "top must be from 2"),
    ("/api/map", "top=100001", BadRequest, "top must be from 2"),
    (
        "/api/map",
        "words=" + ",".join(f"x{i}" for i in range(MAX_LIST_WORDS + 1)),
        BadRequest,
        "at most 1,000",
    ),
    ("/api/map", "words=king,zzz,yyy", UnknownWordError, "'zzz', 'yyy'"),
    ("/api/map", "words=,,", BadRequest, "has no words"),
    ("/api/map", "groups=fruit", BadRequest, "not NAME:w1,w2"),
    ("/api/map", "groups=a:king;a:queen", BadRequest, "given twice"),
    ("/api/map", "method=axes&x=man", EmbedlabError, "formula for each axis"),
    ("/api/map", "method=axes&x=man+woman&y=sky", EmbedlabError, "two words in a row"),
    ("/api/map", "model=both", BadRequest, "model must be one of 0"),
    ("/api/map", "model=1", BadRequest, "model must be one of 0"),
    ("/api/compare", "q=king", BadRequest, "comparing needs two models"),
    ("/api/survey", "", BadRequest, "comparing needs two models"),
    ("/api/export/vectors.tsv", "words=../../../etc/passwd", UnknownWordError, "passwd"),
]


@pytest.mark.parametrize(("route", "query", "error", "fragment"), BAD)
def test_bad_parameters_are_one_clear_line(one, route, query, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)) as caught:
        one.answer(route, query)
    assert "\n" not in str(caught.value)


def test_limits_of_the_expensive_maps(one, monkeypatch):
    monkeypatch.setattr(maps, "MAX_TSNE_WORDS", 10)
    with pytest.raises(EmbedlabError, match="at most 10"):
        one.answer("/api/map", "method=tsne&top=11")
    with pytest.raises(BadRequest, match="dataset must be one of"):
        Explorer(one.models * 2).answer("/api/disagreements", "dataset=/etc/passwd")


# ---- the static page --------------------------------------------------------------------------


def _embedded(page: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="explorer-data">(.*?)</script>', page, re.S
    )
    return json.loads(found.group(1))


def test_static_data_holds_each_words_neighbours(one, emb):
    data = static_data(one, top=20, k=4)
    assert data["count"] == 20 and data["words"][:20] == WORDS[:20]
    for i in (0, 3, 19):
        ids, scores = data["neighbours"]["ids"][i], data["neighbours"]["scores"][i]
        expected = emb.most_similar(WORDS[i], topn=4)
        assert [data["words"][j] for j in ids] == [w for w, _ in expected]
        assert scores == pytest.approx([s for _, s in expected], abs=1e-4)
    fitted = pca(emb[WORDS[:20]])
    np.testing.assert_allclose(
        np.c_[data["map"]["x"], data["map"]["y"]],
        fitted.coords,
        rtol=1e-4,
        atol=1e-4 * np.abs(fitted.coords).max(),
    )


def test_static_comparison_data(two):
    data = static_data(two, top=15, k=3)
    compare = data["compare"]
    for i in (0, 7):
        word = data["words"][i]
        answer = two.comparison.word(word, k=3)
        for side in (0, 1):
            assert [data["words"][j] for j in compare["ids"][side][i]] == [
                r["word"] for r in answer["lists"][side]
            ]
        assert compare["jaccard"][i] == pytest.approx(answer["jaccard"], abs=1e-4)
    assert set(data["disagreements"]) == {"ws353", "simlex999"}


def test_the_static_page_is_self_contained_and_escapes_words(tmp_path):
    words = ["ok", "</script><script>alert(1)</script>", "a&b", "x"]
    W = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    explorer = Explorer([Model(Embeddings(words, W), "tricky.emb")])
    page = render_static(static_data(explorer, top=4, k=2))
    assert "alert(1)</script>" not in page
    assert not re.search(r"https?://", page) and "/assets/" not in page
    assert page.count("<script") == 2  # the data and the page's own script, nothing fetched
    assert _embedded(page)["words"][:4] == words


# ---- other kinds of the vector protocol -------------------------------------------------------


def test_sparse_rows_answer_and_map():
    import scipy.sparse as sp

    from embedlab.vectors.sparse import SparseEmbeddings

    dense = np.abs(_matrix()) * (np.random.default_rng(3).random(_matrix().shape) < 0.5)
    sparse = Explorer([Model(SparseEmbeddings(WORDS, sp.csr_matrix(dense)), "ppmi.npz")])
    plain = Explorer([Model(Embeddings(WORDS, dense), "dense.emb")])
    for query in ("/api/neighbours?q=apple&k=5", "/api/map?top=20", "/api/complete?prefix=w4"):
        route, _, params = query.partition("?")
        ours, theirs = sparse.answer(route, params), plain.answer(route, params)
        ours.pop("model", None), theirs.pop("model", None)
        assert _close(ours, theirs)
    assert sparse.answer("/api/models")["models"][0]["sparse"] is True


def _close(ours: dict, theirs: dict) -> bool:
    """Equal up to float rounding (sparse and dense products round differently)."""
    if ours.keys() != theirs.keys():
        return False
    for key in ours:
        a, b = ours[key], theirs[key]
        if key in ("x", "y", "explained_variance_ratio"):
            np.testing.assert_allclose(a, b, atol=1e-6)
        elif key == "results":
            assert [r["word"] for r in a] == [r["word"] for r in b]
            assert [r["similarity"] for r in a] == pytest.approx([r["similarity"] for r in b])
        else:
            assert a == b, key
    return True


def test_a_word_a_subword_kind_composes_is_marked(emb):
    class Composing(Embeddings):
        """``kingly`` is composed from ``king`` (twice its vector); nothing else is."""

        def __getitem__(self, word):
            if word == "kingly":
                return 2 * super().__getitem__("king")
            return super().__getitem__(word)

    explorer = Explorer([Model(Composing(WORDS, _matrix()), "subword.bin")])
    assert "kingly" not in explorer.models[0].vectors
    answer = explorer.answer("/api/neighbours", "q=kingly&k=3")
    assert answer["composed"] == ["kingly"]
    king = emb["king"].astype(np.float64)
    cosines = (
        _matrix().astype(np.float64)
        @ king
        / (np.linalg.norm(_matrix(), axis=1) * np.linalg.norm(king))
    )
    assert [r["word"] for r in answer["results"]] == [WORDS[i] for i in np.argsort(-cosines)[:3]]
    result = explorer.answer("/api/map", "words=king,queen,kingly")
    assert result["words"] == ["king", "queen", "kingly"]


# ---- anything a request can say ---------------------------------------------------------------

_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "2",
            "-1",
            "both",
            "1e9",
            "99999999999",
            "3",
            "king",
            "zzz",
            "man - woman",
            "- sky",
            "+",
            "a:b,c",
            "royal:king,queen",
            "pca",
            "tsne",
            "axes",
            "umap",
            "3CosMul",
            "ws353",
            "../../etc/passwd",
            "/etc/passwd",
            "king,queen,apple",
            "%00",
            "\x00",
            "\u2028",
        ]
    ),
    st.text(max_size=12),
)
_NAMES = sorted({name for _, names in Explorer.ROUTES.values() for name in names} | {"file"})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    route=st.sampled_from(sorted(Explorer.ROUTES)),
    fields=st.lists(st.tuples(st.sampled_from(_NAMES), _VALUES), max_size=5),
    two_models=st.booleans(),
)
def test_any_request_is_an_answer_or_one_clear_line(one, two, route, fields, two_models):
    explorer = two if two_models else one
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "umap", None)  # a UMAP fit would take seconds
        patch.setattr(maps, "MAX_TSNE_WORDS", 40)
        try:
            result = explorer.answer(route, urlencode(fields))
        except EmbedlabError as err:
            assert str(err) and "\n" not in str(err)
            return
    json.dumps(result if not isinstance(result, Download) else result.text, allow_nan=False)
