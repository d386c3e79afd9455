"""Label placement: no two labels overlap, labels stay in the frame, layouts are repeatable."""

from __future__ import annotations

import numpy as np

from embedlab.pictures.labels import PADDING, overlaps, place_labels

BOUNDS = (0.0, 0.0, 800.0, 600.0)


def _intersect(a, b) -> bool:
    """Two boxes (x0, y0, x1, y1) share interior area: the plain definition, one pair at a time."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _boxes(centres, sizes):
    return np.hstack([centres - sizes / 2, centres + sizes / 2])


def _crowded(seed: int, n: int = 50):
    rng = np.random.default_rng(seed)
    clusters = rng.uniform([150, 150], [650, 450], size=(3, 2))
    anchors = clusters[rng.integers(0, 3, n)] + rng.normal(scale=12.0, size=(n, 2))
    sizes = np.column_stack([rng.integers(25, 90, n), np.full(n, 13.0)]).astype(float)
    return anchors, sizes


def test_fifty_crowded_labels_do_not_overlap_and_stay_inside():
    for seed in (0, 1):
        anchors, sizes = _crowded(seed)
        boxes = _boxes(place_labels(anchors, sizes, BOUNDS), sizes)
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                assert not _intersect(boxes[i], boxes[j]), (seed, i, j)
        assert np.all(boxes[:, :2] >= -1e-9) and np.all(boxes[:, 2] <= 800 + 1e-9)
        assert np.all(boxes[:, 3] <= 600 + 1e-9)


def test_labels_of_identical_points_are_spread_out():
    anchors = np.full((50, 2), 400.0)
    sizes = np.tile([60.0, 12.0], (50, 1))
    centres = place_labels(anchors, sizes, BOUNDS)
    assert overlaps(centres, sizes) == []
    assert len({tuple(c) for c in centres}) == 50


def test_a_label_with_room_sits_just_right_of_its_point():
    anchors = np.array([[100.0, 100.0], [500.0, 300.0]])
    sizes = np.array([[40.0, 10.0], [30.0, 12.0]])
    centres = place_labels(anchors, sizes, BOUNDS, marker=3.0)
    expected = anchors + np.column_stack([sizes[:, 0] / 2 + 3.0 + PADDING, [0.0, 0.0]])
    np.testing.assert_allclose(centres, expected)


def test_a_label_is_kept_off_the_points_it_would_cover():
    # the first label's preferred spot covers the second point; it must move off it
    anchors = np.array([[100.0, 100.0], [125.0, 100.0]])
    sizes = np.array([[60.0, 10.0], [20.0, 10.0]])
    centres = place_labels(anchors, sizes, BOUNDS, marker=3.0)
    boxes = _boxes(centres, sizes)
    for box in boxes:
        for x, y in anchors:
            assert not _intersect(box, (x - 3, y - 3, x + 3, y + 3))


def test_a_label_at_the_edge_is_pulled_inside():
    centres = place_labels([[795.0, 595.0]], [[80.0, 14.0]], BOUNDS)
    box = _boxes(centres, np.array([[80.0, 14.0]]))[0]
    assert box[2] <= 800 and box[3] <= 600


def test_layout_is_deterministic():
    anchors, sizes = _crowded(4)
    np.testing.assert_array_equal(
        place_labels(anchors, sizes, BOUNDS), place_labels(anchors, sizes, BOUNDS)
    )


def test_overlaps_reports_the_intersecting_pairs():
    centres = np.array([[0.0, 0.0], [5.0, 0.0], [100.0, 0.0], [110.0, 0.0]])
    sizes = np.tile([10.0, 10.0], (4, 1))
    # 0 and 1 overlap by 5 px; 2 and 3 only touch (edges at 105)
    assert overlaps(centres, sizes) == [(0, 1)]
