"""Reading benchmark files: the bundled registry and user files in their many shapes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from embedlab.errors import EmbedlabError
from embedlab.evaluation.datasets import (
    BUNDLED,
    AnalogyData,
    SimilarityData,
    check_dataset_name,
    load_dataset,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

# Pair and question counts as published with the files (see /work/shared/data/README.md).
BUNDLED_SIZES = {
    "ws353": 353,
    "ws353-sim": 203,
    "ws353-rel": 252,
    "simlex999": 999,
    "men": 3000,
    "rg65": 65,
    "mc30": 30,
}


@pytest.mark.parametrize("name, size", sorted(BUNDLED_SIZES.items()))
def test_bundled_similarity_sets_have_their_published_sizes(name, size):
    data = load_dataset(name)
    assert isinstance(data, SimilarityData)
    assert len(data.pairs) == size
    assert all(isinstance(score, float) for _, _, score in data.pairs)


def test_bundled_google_has_14_sections_and_19544_questions():
    data = load_dataset("google")
    assert isinstance(data, AnalogyData)
    assert len(data.sections) == 14
    assert sum(len(q) for q in data.sections.values()) == 19544
    assert list(data.sections)[0] == "capital-common-countries"
    assert data.sections["capital-common-countries"][0] == ("Athens", "Greece", "Baghdad", "Iraq")
    assert sum(name.startswith("gram") for name in data.sections) == 9


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs the shared data folder")
def test_bundled_files_match_their_sources():
    original = (SHARED / "wordsim" / "EN-WS-353-ALL.txt").read_text()
    expected = [line.split("\t") for line in original.replace("\r", "").split("\n") if line]
    pairs = load_dataset("ws353").pairs
    assert [(a, b, float(s)) for a, b, s in expected] == pairs
    questions = (SHARED / "analogy" / "questions-words.txt").read_text().split("\n")
    google = load_dataset("google").sections
    assert sum(1 for q in questions if q and not q.startswith(":")) == sum(
        len(v) for v in google.values()
    )


def test_registry_lists_every_name_once():
    assert sorted(BUNDLED) == sorted([*BUNDLED_SIZES, "google"])


def _write(tmp_path, name, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_similarity_file_with_crlf_header_comments_and_no_final_newline(tmp_path):
    text = b"# my pairs\r\nword1\tword2\tscore\r\n\r\ncat\tdog\t7.5\r\n# note\r\nsea\tcar\t1"
    data = load_dataset(_write(tmp_path, "pairs.tsv", text))
    assert isinstance(data, SimilarityData)
    assert data.pairs == [("cat", "dog", 7.5), ("sea", "car", 1.0)]


def test_similarity_file_separated_by_spaces(tmp_path):
    data = load_dataset(_write(tmp_path, "pairs.txt", b"cat  dog 7.5\nsea car   -1e0\n"))
    assert data.pairs == [("cat", "dog", 7.5), ("sea", "car", -1.0)]


def test_tab_separated_words_may_hold_spaces(tmp_path):
    data = load_dataset(_write(tmp_path, "pairs.txt", b"new york\tcity\t8\n"))
    assert data.pairs == [("new york", "city", 8.0)]


def test_gzipped_user_file(tmp_path):
    data = load_dataset(_write(tmp_path, "pairs.txt.gz", gzip.compress(b"cat\tdog\t7\n")))
    assert data.pairs == [("cat", "dog", 7.0)]


def test_dataset_name_is_the_path_given(tmp_path):
    path = _write(tmp_path, "pairs.txt", b"cat dog 1\n")
    assert load_dataset(path).name == path


@pytest.mark.parametrize(
    "content, line, problem",
    [
        (b"cat\tdog\t1\ncat\tdog\n", 2, "expected 3 fields"),
        (b"cat dog 1\ncat dog bird 2\n", 2, "expected 3 fields"),
        (b"cat dog 1\n\ncat dog high\n", 3, "not a finite number"),
        (b"cat dog 1\ncat dog nan\n", 2, "not a finite number"),
        (b"a b 1\n\xff\xfe b 2\n", 2, "not UTF-8"),
    ],
)
def test_malformed_similarity_file_names_file_and_line(tmp_path, content, line, problem):
    path = _write(tmp_path, "bad.txt", content)
    with pytest.raises(EmbedlabError, match=problem) as info:
        load_dataset(path)
    message = str(info.value)
    assert path in message and f"line {line}" in message and "\n" not in message


def test_analogy_file_with_sections_crlf_and_no_final_newline(tmp_path):
    text = (
        b": capitals\r\nAthens Greece Rome Italy\r\n\r\n:gram-x\r\na b c d\r\n: capitals\r\ne f g h"
    )
    data = load_dataset(_write(tmp_path, "q.txt", text))
    assert isinstance(data, AnalogyData)
    assert data.sections == {
        "capitals": [("Athens", "Greece", "Rome", "Italy"), ("e", "f", "g", "h")],
        "gram-x": [("a", "b", "c", "d")],
    }


@pytest.mark.parametrize(
    "content, line, problem",
    [
        (b": s\na b c\n", 2, "expected 4 words"),
        (b": s\na b c d\na b c d e\n", 3, "expected 4 words"),
        (b"# comment\n: s\nfine words here ok\n: t\n\nx y\n", 6, "expected 4 words"),
    ],
)
def test_malformed_analogy_file_names_file_and_line(tmp_path, content, line, problem):
    path = _write(tmp_path, "bad.txt", content)
    with pytest.raises(EmbedlabError, match=problem) as info:
        load_dataset(path)
    assert path in str(info.value) and f"line {line}" in str(info.value)


def test_question_before_any_section_names_the_line(tmp_path):
    path = _write(tmp_path, "q.txt", b"# questions\na b c d\n: s\n")
    with pytest.raises(EmbedlabError, match="line 2: question before any ': section' line"):
        load_dataset(path)


def test_unknown_dataset_lists_the_bundled_names(tmp_path):
    with pytest.raises(EmbedlabError) as info:
        load_dataset(str(tmp_path / "nope.txt"))
    message = str(info.value)
    assert "unknown dataset" in message and "nope.txt" in message
    assert all(name in message for name in BUNDLED)
    with pytest.raises(EmbedlabError, match="unknown dataset 'ws999'"):
        check_dataset_name("ws999")


def test_empty_file_and_directory_are_user_errors(tmp_path):
    with pytest.raises(EmbedlabError, match="is empty"):
        load_dataset(_write(tmp_path, "empty.txt", b"\n# only a comment\n"))
    with pytest.raises(EmbedlabError, match="is a directory"):
        load_dataset(str(tmp_path))


def test_truncated_gzip_is_a_user_error(tmp_path):
    whole = gzip.compress(b"cat dog 1\n" * 100)
    with pytest.raises(EmbedlabError, match="gzip"):
        load_dataset(_write(tmp_path, "pairs.txt.gz", whole[: len(whole) // 2]))
