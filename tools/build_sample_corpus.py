"""Build ``src/embedlab/data/sample.txt.gz``, the small corpus bundled for the quick start.

Sources (see ``src/embedlab/data/README.md`` for provenance and licences):

* the NLTK "Project Gutenberg Selections" (public domain): hard-wrapped lines are joined so that
  each paragraph becomes one line; Latin-1 files are decoded as such and CRLF becomes LF;
* WikiText-2 valid and test (CC BY-SA 3.0): ``= Title =`` heading lines are skipped, the
  ``@-@``, ``@,@`` and ``@.@`` number/compound markers are joined back, ``<unk>`` placeholders
  are removed and split contractions (``do n't``, ``it 's``) are rejoined.

The output is UTF-8, LF, one paragraph per line, gzip with mtime 0, so the same inputs always give
byte-identical output. Usage::

    python tools/build_sample_corpus.py [--corpora DIR] [--output PATH]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "data" / "corpora"
OUTPUT = REPO / "src" / "embedlab" / "data" / "sample.txt.gz"
WIKITEXT = ("wiki.valid.tokens", "wiki.test.tokens")
MAX_BYTES = 8 * 1024 * 1024

_HEADING = re.compile(r"^\s*=.*=\s*$")
_MARKER = re.compile(r" @([-,.])@ ")
_UNK = re.compile(r"\s*<unk>")
_CONTRACTION = re.compile(r" (n't|'(?:s|re|ve|ll|d|m))\b", re.IGNORECASE)


def decode(data: bytes) -> str:
    """UTF-8 where valid (most files are ASCII), else Latin-1; line endings made LF."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def gutenberg_paragraphs(text: str) -> Iterator[str]:
    """Paragraphs (blank-line separated blocks) with their hard-wrapped lines joined."""
    for block in re.split(r"\n\s*\n", text):
        paragraph = " ".join(block.split())
        if paragraph:
            yield paragraph


def wikitext_paragraphs(text: str) -> Iterator[str]:
    """Article paragraphs, headings skipped and the tokenization markers undone."""
    for line in text.split("\n"):
        if not line.strip() or _HEADING.match(line):
            continue
        line = _MARKER.sub(r"\1", line)
        line = _UNK.sub("", line)
        line = _CONTRACTION.sub(r"\1", line)
        paragraph = " ".join(line.split())
        if paragraph:
            yield paragraph


def sample_lines(corpora: Path) -> Iterator[str]:
    for path in sorted((corpora / "gutenberg").glob("*.txt")):
        yield from gutenberg_paragraphs(decode(path.read_bytes()))
    for name in WIKITEXT:
        yield from wikitext_paragraphs(decode((corpora / "wikitext-2" / name).read_bytes()))


def build(corpora: Path, output: Path) -> int:
    """Write the sample corpus; return its compressed size in bytes."""
    sys.path.insert(0, str(REPO / "src"))
    from embedlab.fileio import atomic_write

    with atomic_write(output, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            for line in sample_lines(corpora):
                gz.write(line.encode("utf-8") + b"\n")
    size = output.stat().st_size
    if size > MAX_BYTES:
        raise SystemExit(f"{output} is {size} bytes, over the {MAX_BYTES}-byte budget")
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="shared corpora folder")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write the corpus")
    args = parser.parse_args()
    size = build(args.corpora, args.output)
    print(f"wrote {args.output} ({size:,} bytes)")


if __name__ == "__main__":
    main()
