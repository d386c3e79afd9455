"""Reading graphs: every format gives the same CSR graph; irregular input is told or refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.io import savemat

from embedlab.errors import EmbedlabError
from embedlab.graphs import build_graph, karate_club, read_graph, write_edgelist

TRIANGLE_AND_TAIL = "a b\nb c\nc a\nc d\n"


def neighbour_sets(graph):
    return {
        graph.nodes[i]: {graph.nodes[j] for j in graph.neighbours(i)} for i in range(graph.n_nodes)
    }


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_edge_list_undirected_links_both_ways(tmp_path):
    graph = read_graph(write(tmp_path, "g.edgelist", TRIANGLE_AND_TAIL))
    assert graph.nodes == ["a", "b", "c", "d"]
    assert neighbour_sets(graph) == {
        "a": {"b", "c"},
        "b": {"a", "c"},
        "c": {"a", "b", "d"},
        "d": {"c"},
    }
    assert graph.n_edges == 4 and graph.notes == ()
    for i in range(graph.n_nodes):  # walks binary-search each row
        row = graph.neighbours(i)
        assert np.all(row[:-1] < row[1:])


def test_directed_edge_list_keeps_directions(tmp_path):
    graph = read_graph(write(tmp_path, "g.edg", TRIANGLE_AND_TAIL), directed=True)
    assert neighbour_sets(graph) == {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}


def test_adjlist_and_matrices_read_the_same_graph(tmp_path):
    from_edges = neighbour_sets(read_graph(write(tmp_path, "g.txt", "0 1\n1 2\n2 0\n2 3\n")))
    adj = read_graph(write(tmp_path, "g.adjlist", "0 1 2\n1 2\n2 3\n"))
    assert neighbour_sets(adj) == from_edges
    dense = np.zeros((4, 4))
    for a, b in [(0, 1), (1, 2), (2, 0), (2, 3)]:
        dense[a, b] = dense[b, a] = 1
    sp.save_npz(tmp_path / "g.npz", sp.csr_matrix(dense))
    savemat(tmp_path / "g.mat", {"network": sp.csc_matrix(dense)})
    assert neighbour_sets(read_graph(tmp_path / "g.npz")) == from_edges
    mat = read_graph(tmp_path / "g.mat")
    assert neighbour_sets(mat) == from_edges and mat.notes == ()  # symmetric: no repeats


def test_weights_are_kept_and_a_third_column_without_weighted_is_told(tmp_path):
    path = write(tmp_path, "w.edgelist", "a b 2.5\nb c 1\n")
    weighted = read_graph(path, weighted=True)
    a, b = weighted.nodes.index("a"), weighted.nodes.index("b")
    row = weighted.indptr[a]
    assert weighted.indices[row] == b and weighted.weights[row] == 2.5
    plain = read_graph(path)
    assert plain.weights is None
    assert any("pass weighted=True to use weights" in note for note in plain.notes)


def test_self_loops_repeats_and_isolated_nodes_are_dropped_and_noted(tmp_path):
    graph = read_graph(write(tmp_path, "g.adjlist", "a a b\nb a\nc\nd b\n"))
    assert graph.nodes == ["a", "b", "d"]
    assert neighbour_sets(graph) == {"a": {"b"}, "b": {"a", "d"}, "d": {"b"}}
    notes = " | ".join(graph.notes)
    assert "1 self-loops" in notes and "1 repeated edges" in notes and "1 isolated" in notes


def test_repeated_edge_with_two_weights_is_an_error(tmp_path):
    path = write(tmp_path, "g.edgelist", "a b 1\nb a 2\n")
    with pytest.raises(EmbedlabError, match="given twice with weights 1 and 2"):
        read_graph(path, weighted=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a b\nc\n", r"g.edgelist:2: 1 fields"),
        ("a b x\n", r"g.edgelist:1: weight 'x' is not a number"),
        ("a b 0\n", r"weight 0: weights must be positive"),
        ("a a\n", r"no edges between two different nodes"),
    ],
)
def test_bad_edge_lists_name_the_line_and_the_fix(tmp_path, text, message):
    with pytest.raises(EmbedlabError, match=message):
        read_graph(write(tmp_path, "g.edgelist", text), weighted="x" in text or "0" in text)


def test_unknown_extension_and_missing_matrix_are_one_line(tmp_path):
    with pytest.raises(EmbedlabError, match="pass graph_format='edgelist' or another of"):
        read_graph(write(tmp_path, "g.csv", "a b\n"))
    savemat(tmp_path / "x.mat", {"other": np.eye(2)})
    with pytest.raises(EmbedlabError, match="no adjacency matrix named network.*holds other"):
        read_graph(tmp_path / "x.mat")


def write_damaged_mat(path: Path, name: str) -> Path:
    """A .mat file whose sparse ``name`` has a row-index element of data type 127, which the
    MAT v5 format does not define (scipy 1.17's compiled reader segfaults on it)."""
    savemat(path, {name: sp.csc_matrix(np.eye(2))})
    data = bytearray(path.read_bytes())
    # A sparse array's elements: flags, dimensions, name (padded to 8 bytes), then the row
    # indices, whose tag starts with its type.
    data[data.index(name.encode() + b"\0") + 8] = 0x7F
    path.write_bytes(bytes(data))
    return path


def test_a_mat_file_that_crashes_the_matlab_reader_is_one_line(tmp_path):
    from embedlab.evaluation.node_classification import read_labels

    with pytest.raises(EmbedlabError, match=r"g.mat is not a readable MATLAB file") as err:
        read_graph(write_damaged_mat(tmp_path / "g.mat", "network"))
    assert "\n" not in str(err.value)
    with pytest.raises(EmbedlabError, match=r"l.mat is not a readable MATLAB file"):
        read_labels(write_damaged_mat(tmp_path / "l.mat", "group"))


def test_the_mat_reader_ignores_an_embedlab_folder_in_the_current_directory(tmp_path, monkeypatch):
    decoy = tmp_path / "work" / "embedlab"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise SystemExit(3)  # not the package under test\n")
    savemat(tmp_path / "g.mat", {"network": sp.csc_matrix(np.eye(2)[::-1])})
    monkeypatch.chdir(decoy.parent)
    graph = read_graph(tmp_path / "g.mat")
    assert neighbour_sets(graph) == {"0": {"1"}, "1": {"0"}}


def test_a_mat_matrix_that_is_not_numbers_is_one_line(tmp_path):
    savemat(tmp_path / "s.mat", {"network": np.array(["ab", "cd"])})
    with pytest.raises(EmbedlabError, match="adjacency matrix is not a 2-D matrix of numbers"):
        read_graph(tmp_path / "s.mat")


def test_edge_list_round_trip(tmp_path):
    graph = build_graph(["x", "y", "z"], [0, 1], [1, 2], [0.5, 3.0], directed=False, origin="test")
    write_edgelist(graph, tmp_path / "out.edgelist")
    again = read_graph(tmp_path / "out.edgelist", weighted=True)
    assert neighbour_sets(again) == neighbour_sets(graph)
    assert sorted(again.weights.tolist()) == sorted(graph.weights.tolist())


def test_bundled_karate_club_matches_the_shared_copy():
    graph, factions = karate_club()
    assert (graph.n_nodes, graph.n_edges) == (34, 78)  # Zachary 1977
    assert sorted(set(factions.values())) == ["Mr.Hi", "Officer"]
    assert factions["1"] == "Mr.Hi" and factions["34"] == "Officer"
    shared = Path(__file__).parents[1] / ".." / "shared" / "data" / "graphs"
    if (shared / "karate.adjlist").is_file():
        assert neighbour_sets(read_graph(shared / "karate.adjlist")) == neighbour_sets(graph)
