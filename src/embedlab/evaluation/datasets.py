"""The benchmark registry and the readers for similarity and analogy files.

A dataset is named either by a bundled name (``ws353``, ``google``, ...) or by the path of a user
file. Similarity files hold ``word word score`` per line, separated by tabs (words may then hold
spaces) or by spaces; blank lines and ``#`` comments are skipped and the first data line may be a
header. Analogy files hold four words per line in ``: section`` blocks (word2vec's
``questions-words.txt`` format). A ``.gz`` suffix means gzip. Every problem in a user file is an
``EmbedlabError`` naming the file and the line.
"""

from __future__ import annotations

import gzip
import math
import zlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from embedlab.errors import EmbedlabError
from embedlab.fileio import open_input
from embedlab.resources import human_bytes

#: Bundled word-similarity benchmarks: name -> file in ``embedlab/evaluation/data``.
SIMILARITY_FILES = {
    "ws353": "ws353.txt",
    "ws353-sim": "ws353-sim.txt",
    "ws353-rel": "ws353-rel.txt",
    "simlex999": "simlex999.txt",
    "men": "men.txt",
    "rg65": "rg65.txt",
    "mc30": "mc30.txt",
}
#: Bundled analogy benchmarks: name -> file in ``embedlab/evaluation/data``.
ANALOGY_FILES = {"google": "google.txt.gz"}
#: Every bundled benchmark name, similarity first.
BUNDLED = (*SIMILARITY_FILES, *ANALOGY_FILES)


@dataclass(frozen=True)
class SimilarityData:
    """Word pairs with human scores, in file order."""

    name: str
    pairs: list[tuple[str, str, float]]

    def words(self) -> list[str]:
        """Every word of the pairs, in order (repeats kept)."""
        return [word for a, b, _ in self.pairs for word in (a, b)]


@dataclass(frozen=True)
class AnalogyData:
    """Analogy questions ``a : b :: c : d`` grouped by section, in file order.

    A section name that occurs twice in a file keeps one entry holding both blocks' questions.
    """

    name: str
    sections: dict[str, list[tuple[str, str, str, str]]]

    def words(self) -> list[str]:
        """The words the questions ask with (``a``, ``b``, ``c``; the answer ``d`` is found
        among the vocabulary, never given a vector), in order (repeats kept)."""
        return [word for part in self.sections.values() for q in part for word in q[:3]]


def load_dataset(name: str) -> SimilarityData | AnalogyData:
    """The bundled benchmark called ``name``, or the user file at path ``name``.

    A bundled name wins over a file of the same name in the working folder.
    """
    name = str(name)
    if name in SIMILARITY_FILES:
        return parse_similarity(name, bundled_text(SIMILARITY_FILES[name]))
    if name in ANALOGY_FILES:
        return parse_analogy(name, bundled_text(ANALOGY_FILES[name]))
    path = check_dataset_name(name)
    text = _read_user_file(path)
    if _looks_like_analogy(text):
        return parse_analogy(name, text)
    return parse_similarity(name, text)


def check_dataset_name(name: str) -> Path | None:
    """None for a bundled name, the path for an existing file; otherwise an ``EmbedlabError``.

    Cheap (nothing is read), so a command can check its datasets before loading vectors.
    """
    name = str(name)
    if name in BUNDLED:
        return None
    path = Path(name)
    if path.is_dir():
        raise EmbedlabError(f"dataset {name!r} is a directory: give a similarity or analogy file")
    if not path.is_file():
        raise EmbedlabError(
            f"unknown dataset {name!r}: give a file path or one of {', '.join(BUNDLED)}"
        )
    return path


def bundled_text(filename: str) -> str:
    """The text of a file shipped in ``embedlab/evaluation/data`` (gunzipped if ``.gz``)."""
    raw = (resources.files("embedlab.evaluation") / "data" / filename).read_bytes()
    if filename.endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def parse_similarity(name: str, text: str) -> SimilarityData:
    """Read ``word word score`` lines; ``name`` is used in error messages."""
    pairs = []
    for position, (line_no, line) in enumerate(_content_lines(text)):
        fields = _fields(line)
        if position == 0 and not _is_number(fields[-1]):
            continue  # a header line: column titles, no score
        if len(fields) != 3 or not fields[0] or not fields[1]:
            raise EmbedlabError(
                f"{name}, line {line_no}: expected 3 fields 'word word score',"
                f" got {_shorten(line)!r} (separate them with tabs or spaces)"
            )
        if not _is_number(fields[2]):
            raise EmbedlabError(
                f"{name}, line {line_no}: score {fields[2]!r} is not a finite number (fix the line)"
            )
        pairs.append((fields[0], fields[1], float(fields[2])))
    return SimilarityData(name, pairs)


def parse_analogy(name: str, text: str) -> AnalogyData:
    """Read ``: section`` headers and ``a b c d`` question lines; ``name`` names the source."""
    sections: dict[str, list[tuple[str, str, str, str]]] = {}
    current = None
    for line_no, line in _content_lines(text):
        if line.startswith(":"):
            current = sections.setdefault(line[1:].strip(), [])
            continue
        if current is None:
            raise EmbedlabError(
                f"{name}, line {line_no}: question before any ': section' line"
                " (start the file with a section header such as ': capitals')"
            )
        words = line.split()
        if len(words) != 4:
            raise EmbedlabError(
                f"{name}, line {line_no}: expected 4 words 'a b c d', got {len(words)}"
            )
        current.append(tuple(words))
    return AnalogyData(name, sections)


#: The most a dataset file may hold once decompressed: the largest benchmark (Google's
#: analogies) is 0.6 MB, and a gzip "bomb" would otherwise be decompressed whole.
MAX_DATASET_BYTES = 256 << 20


def _read_user_file(path: Path) -> str:
    try:
        with open_input(path) as handle:
            stream = gzip.GzipFile(fileobj=handle) if path.suffix == ".gz" else handle
            raw = stream.read(MAX_DATASET_BYTES + 1)
    except OSError as err:  # BadGzipFile is an OSError
        raise EmbedlabError(f"cannot read dataset {str(path)!r}: {err}") from None
    except (EOFError, zlib.error):
        raise EmbedlabError(f"dataset {str(path)!r} is a truncated gzip file") from None
    if len(raw) > MAX_DATASET_BYTES:
        raise EmbedlabError(
            f"dataset {str(path)!r} holds more than {human_bytes(MAX_DATASET_BYTES)} of text: "
            "give a similarity or analogy benchmark file"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line_no = raw.count(b"\n", 0, err.start) + 1
        raise EmbedlabError(
            f"{path}, line {line_no}: not UTF-8 (byte {err.start}); save the file as UTF-8"
        ) from None
    if not any(True for _ in _content_lines(text)):
        raise EmbedlabError(f"dataset {str(path)!r} is empty: give a similarity or analogy file")
    return text


def _looks_like_analogy(text: str) -> bool:
    """Any ``: section`` line makes it an analogy file (so a misplaced question is reported)."""
    return any(line.startswith(":") for _, line in _content_lines(text))


def _content_lines(text: str):
    """(1-based line number, stripped line) for lines that are neither blank nor comments."""
    for line_no, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            yield line_no, line


def _fields(line: str) -> list[str]:
    """Split on tabs when the line has any (words may hold spaces), otherwise on spaces."""
    if "\t" in line:
        return [field.strip() for field in line.split("\t")]
    return line.split()


def _shorten(line: str, width: int = 60) -> str:
    return line if len(line) <= width else line[: width - 3] + "..."


def _is_number(field: str) -> bool:
    try:
        return math.isfinite(float(field))
    except ValueError:
        return False
