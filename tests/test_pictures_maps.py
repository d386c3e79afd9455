"""Word maps: real PNG/SVG files of the right size, the coordinates behind them, readable labels."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.text import Annotation
from sklearn.decomposition import PCA as SklearnPCA

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.pictures.maps import DEFAULT_TOP, FIGSIZE, draw_map, plot_map, select_words
from embedlab.pictures.render import DPI
from embedlab.vectors.embeddings import Embeddings

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come first after the signature."""
    assert data[:8] == PNG_MAGIC
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


def two_cluster_embeddings(n: int = 60, dim: int = 12, seed: int = 0) -> Embeddings:
    rng = np.random.default_rng(seed)
    words = [f"w{i:02d}" if i % 4 else f"longword{i:02d}" for i in range(n)]
    centre = rng.normal(size=dim) * 3.0
    side = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)[:, None]
    vectors = side * centre + rng.normal(scale=0.5, size=(n, dim))
    return Embeddings(words, vectors.astype(np.float32))


@pytest.fixture(scope="module")
def emb():
    return two_cluster_embeddings()


def test_png_map_has_the_requested_size_and_the_pca_coordinates(emb, tmp_path):
    out = tmp_path / "map.png"
    chosen = emb.words[:20]
    result = plot_map(emb, words=chosen, path=out)
    data = out.read_bytes()
    assert png_size(data) == (int(FIGSIZE[0] * DPI), int(FIGSIZE[1] * DPI))
    assert result.size == png_size(data)
    assert result.words == chosen
    rows = [emb.index[w] for w in chosen]
    x = np.asarray(emb.vectors, dtype=np.float64)[rows]
    ref = SklearnPCA(n_components=2, svd_solver="full").fit(x)
    expected = ref.transform(x)
    for k in range(2):
        sign = np.sign(result.coords[:, k] @ expected[:, k])
        np.testing.assert_allclose(result.coords[:, k], sign * expected[:, k], atol=1e-4)
    np.testing.assert_allclose(
        result.explained_variance_ratio, ref.explained_variance_ratio_, rtol=1e-5
    )
    # the planted clusters (even vs odd rows) fall on opposite sides of PC1
    side = result.coords[:, 0] > 0
    even = np.array([emb.index[w] % 2 == 0 for w in chosen])
    assert np.all(side == even) or np.all(side == ~even)


def test_svg_map_is_an_svg_document_of_the_requested_size(emb, tmp_path):
    out = tmp_path / "map.svg"
    plot_map(emb, top=10, path=out, title="ten words")
    root = ET.fromstring(out.read_bytes())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # SVG sizes are in points: 72 per inch
    assert root.attrib["width"] == f"{FIGSIZE[0] * 72:g}pt"
    assert root.attrib["height"] == f"{FIGSIZE[1] * 72:g}pt"


def test_fifty_labels_do_not_overlap_in_the_drawn_picture(emb, tmp_path):
    result = plot_map(emb, top=50, path=tmp_path / "fifty.png")
    boxes = result.label_boxes
    assert boxes.shape == (50, 4)
    width, height = result.size
    for i in range(50):
        assert boxes[i, 0] >= 0 and boxes[i, 1] >= 0
        assert boxes[i, 2] <= width and boxes[i, 3] <= height
        for j in range(i + 1, 50):
            a, b = boxes[i], boxes[j]
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (result.words[i], result.words[j])


def test_groups_get_colours_and_a_legend_and_pairs_become_arrows(emb):
    groups = {"first": ["w01", "w02", "w03"], "second": ["w05", "w06"]}
    pairs = [("w01", "w05"), ("w02", "w06")]
    fig, result = draw_map(emb, groups=groups, pairs=pairs, title="groups & pairs")
    ax = fig.axes[0]
    assert ax.get_title() == "groups & pairs"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["first", "second"] and any("\u2192" in t for t in legend)
    assert result.groups == {
        "w01": "first",
        "w02": "first",
        "w03": "first",
        "w05": "second",
        "w06": "second",
    }
    colours = {tuple(c.get_facecolor()[0]) for c in ax.collections}
    assert len(colours) == 2  # one per group; every word is grouped here
    arrows = [a for a in ax.get_children() if isinstance(a, Annotation) and a.arrow_patch]
    coords = dict(zip(result.words, result.coords, strict=True))
    drawn = {(tuple(np.round(a.xyann, 9)), tuple(np.round(a.xy, 9))) for a in arrows}
    expected = {(tuple(np.round(coords[a], 9)), tuple(np.round(coords[b], 9))) for a, b in pairs}
    assert drawn == expected


def test_axis_labels_state_the_explained_variance(emb):
    fig, result = draw_map(emb, top=12)
    ax = fig.axes[0]
    share = 100 * result.explained_variance_ratio
    assert ax.get_xlabel() == f"PC1 ({share[0]:.1f}% of variance)"
    assert ax.get_ylabel() == f"PC2 ({share[1]:.1f}% of variance)"


def test_tsne_map_is_drawn_without_variance(emb, tmp_path):
    out = tmp_path / "tsne.png"
    result = plot_map(emb, top=12, method="tsne", path=out)
    assert result.method == "tsne" and result.explained_variance_ratio is None
    assert result.coords.shape == (12, 2)
    assert png_size(out.read_bytes()) == result.size
    assert result.to_dict()["explained_variance_ratio"] is None


def test_word_selection_order_default_and_limits(emb):
    shown, group_of = select_words(
        emb, words=["w05", "w01"], groups={"g": ["w01", "w02"]}, top=3, pairs=[("w06", "w05")]
    )
    assert shown == ["w05", "w01", "w02", "w06", "longword00"]  # top 3 = longword00, w01, w02
    assert group_of == {"w01": "g", "w02": "g"}
    shown, _ = select_words(emb)
    assert shown == emb.words[:DEFAULT_TOP]
    with pytest.raises(EmbedlabError, match="at most 200"):
        select_words(two_cluster_embeddings(n=250, dim=3), top=201)
    with pytest.raises(EmbedlabError, match="group 'g' has no words"):
        select_words(emb, groups={"g": []})


def test_unknown_words_are_left_off_with_one_warning(emb, tmp_path, capsys):
    out = tmp_path / "map.png"
    result = plot_map(
        emb, words=["w01", "nope"], groups={"g": ["zilch"]}, pairs=[("w02", "nada")], path=out
    )
    assert result.words == ["w01", "w02"]  # w02's arrow needs nada: the word stays, not the arrow
    assert result.groups == {}  # group g had no known word
    assert capsys.readouterr().err == (
        "embedlab: warning: 3 words not in the vectors, left off the map (and the arrows with "
        "them): 'nope', 'zilch', 'nada'\n"
    )


def test_no_known_word_is_one_error_listing_them_and_nothing_is_written(emb, tmp_path):
    out = tmp_path / "map.png"
    out.write_bytes(b"old picture")
    with pytest.raises(UnknownWordError) as caught:
        plot_map(emb, words=["nope"], groups={"g": ["zilch"]}, pairs=[("nix", "nada")], path=out)
    assert caught.value.words == ["nope", "zilch", "nix", "nada"]
    assert "\n" not in str(caught.value)
    assert out.read_bytes() == b"old picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png"]


def test_a_bad_output_name_fails_before_drawing(emb, tmp_path):
    with pytest.raises(EmbedlabError, match=r"end the file name in \.png or \.svg"):
        plot_map(emb, top=5, path=tmp_path / "map.jpg")
    with pytest.raises(EmbedlabError, match="does not exist"):
        plot_map(emb, top=5, path=tmp_path / "missing" / "map.png")
    assert list(tmp_path.iterdir()) == []


def test_coordinates_serialise_with_words_and_groups(emb):
    _, result = draw_map(emb, groups={"g": ["w01"]}, words=["w02"])
    payload = result.to_dict()
    assert payload["method"] == "pca"
    assert [p["word"] for p in payload["points"]] == ["w02", "w01"]
    assert payload["points"][1]["group"] == "g" and payload["points"][0]["group"] is None
    assert payload["points"][0]["x"] == pytest.approx(result.coords[0, 0])


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_the_same_map_gives_the_same_bytes(emb, tmp_path, suffix):
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    plot_map(emb, top=15, pairs=[("w01", "w02")], path=first)
    plot_map(emb, top=15, pairs=[("w01", "w02")], path=second)
    assert first.read_bytes() == second.read_bytes()
