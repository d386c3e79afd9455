"""What the corpus cache's source check costs, per GiB of corpus, in process CPU time.

    python benchmarks/cache_check.py CORPUS [CORPUS ...]

For each corpus (plain or compressed text): encoding without the cache, building an entry
(the sources hashed while they are read), a hit whose stamps are trusted, a hit after a
``chmod`` (the change time moves: the source is hashed and restamped), hashing alone, and one
trusted stamp check. CPU time (``time.process_time``) is the measure, since wall time on a
shared machine says more about the neighbours. Each corpus is copied into a temporary folder
first (the ``chmod`` touches only the copy), and the cache lives there too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def cpu(call) -> float:
    started = time.process_time()
    call()
    return time.process_time() - started


def measure(path: Path) -> dict:
    from embedlab.corpus import encode_corpus
    from embedlab.corpus.cache import stamp
    from embedlab.corpus.reader import file_digest

    gib = path.stat().st_size / 2**30
    file_digest(path)  # the page cache warm for every measurement alike
    row = {"corpus": path.name, "MB": path.stat().st_size / 1e6}
    row["encode, no cache"] = cpu(lambda: encode_corpus(path, cache=False)) / gib
    row["build entry"] = cpu(lambda: encode_corpus(path)) / gib
    time.sleep(2.1)  # past the racy window: the next hits trust the stamp
    encode_corpus(path)  # restamps the source the entry's build stamped as racy
    row["hit, stamp trusted"] = cpu(lambda: encode_corpus(path)) / gib
    os.chmod(path, path.stat().st_mode)  # moves the change time only
    row["hit, stamp moved"] = cpu(lambda: encode_corpus(path)) / gib
    row["hash alone"] = cpu(lambda: file_digest(path)) / gib
    started = time.process_time()
    for _ in range(10_000):
        stamp(path)
    row["stamp check, us/file"] = (time.process_time() - started) / 10_000 * 1e6
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["EMBEDLAB_CACHE"] = str(Path(folder) / "cache")
        copies = [Path(shutil.copy(path, Path(folder) / path.name)) for path in args.corpora]
        rows = [measure(path) for path in copies]
    columns = list(rows[0])
    print("CPU seconds per GiB of corpus (process time), unless the column says otherwise\n")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        cells = [row["corpus"], *(f"{row[c]:.2f}" for c in columns[1:])]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
