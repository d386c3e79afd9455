"""The corpus cache cannot poison a run: checked arrays, checksums, fallbacks, the cap, and
``embedlab cache list|clear``."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from embedlab.cli.app import main
from embedlab.corpus import EncodedCorpus, Tokenizer, Vocabulary, collect, encode_corpus
from embedlab.corpus import cache as cache_module
from embedlab.corpus.cache import clear_cache, list_entries
from embedlab.errors import EmbedlabError

TEXT = "the cat sat on the mat\nthe dog sat on the log\na cat and a dog\n"
SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("EMBEDLAB_CACHE", str(folder))
    monkeypatch.delenv("EMBEDLAB_CACHE_SIZE", raising=False)
    return folder


@pytest.fixture
def corpus_file(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def same(a: EncodedCorpus, b: EncodedCorpus) -> bool:
    return (
        a.vocab.words == b.vocab.words
        and a.vocab.counts.tolist() == b.vocab.counts.tolist()
        and a.tokens.tolist() == b.tokens.tolist()
        and a.sentence_starts.tolist() == b.sentence_starts.tolist()
        and a.raw_tokens == b.raw_tokens
    )


def warnings_in(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("embedlab: warning: ")]


# --- EncodedCorpus checks its arrays ---------------------------------------------------------

VOCAB = Vocabulary(["a", "b", "c"], [3, 2, 1])


@pytest.mark.parametrize(
    "tokens, starts, problem",
    [
        ([0, 1, 2**31 - 1], [0, 3], "outside 0..2"),
        ([0, -1, 2], [0, 3], "outside 0..2"),
        ([0, 1, 3], [0, 3], "outside 0..2"),
        ([0, 1, 2, 0], [0, 3, 1, 4], "decrease"),
        ([0, 1, 2], [0, 2], "from 0 to 3"),
        ([0, 1, 2], [1, 3], "from 0 to 3"),
        ([0, 1, 2], [], "from 0 to 3"),
    ],
)
def test_encoded_corpus_refuses_ids_and_starts_the_kernels_cannot_take(tokens, starts, problem):
    with pytest.raises(EmbedlabError, match=problem):
        EncodedCorpus(VOCAB, np.array(tokens, np.int32), np.array(starts, np.int64), 3)


def test_encoded_corpus_refuses_arrays_of_another_type():
    with pytest.raises(EmbedlabError, match="int32"):
        EncodedCorpus(VOCAB, np.array([0, 1], np.int64), np.array([0, 2], np.int64), 2)
    with pytest.raises(EmbedlabError, match="int64"):
        EncodedCorpus(VOCAB, np.array([0, 1], np.int32), np.array([0, 2], np.int32), 2)


def test_encoded_corpus_takes_empty_sentences_and_every_id():
    corpus = EncodedCorpus(VOCAB, np.array([2, 0, 1], np.int32), np.array([0, 1, 1, 3]), 3)
    assert [s.tolist() for s in corpus.sentences()] == [[2], [], [0, 1]]


# --- damaged entries are found and rebuilt ---------------------------------------------------


def _entry_files(folder: Path) -> dict[str, Path]:
    return {suffix: next(folder.glob(f"*{suffix}")) for suffix in cache_module._SUFFIXES}


def _rewrite_array(path: Path, change) -> None:
    array = np.load(path)
    before = path.stat().st_size
    change(array)
    np.save(path, array)
    assert path.stat().st_size == before  # same-size damage: the shape still fits


def _rewrite_vocab(path: Path, change) -> None:
    meta = json.loads(path.read_text(encoding="utf-8"))
    change(meta)
    path.write_text(json.dumps(meta), encoding="utf-8")


def _swap_first_two_words(meta):
    meta["words"][:2] = meta["words"][1::-1]


def _drop_last_word(meta):
    del meta["words"][-1], meta["counts"][-1]


def _swap_starts(a):
    a[1], a[2] = a[2], a[1]


DAMAGE = {
    "ids of 2**31-1": (".tokens.npy", lambda a: a.__setitem__(slice(None, 3), 2**31 - 1)),
    "zeroed ids": (".tokens.npy", lambda a: a.__setitem__(slice(None), 0)),
    "negative ids": (".tokens.npy", lambda a: a.__setitem__(slice(4, 6), -7)),
    "out-of-order starts": (".starts.npy", _swap_starts),
    "two words swapped": (".vocab.json", _swap_first_two_words),
    "too few words": (".vocab.json", _drop_last_word),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_entry_is_rebuilt_with_one_warning(damage, corpus_file, private_cache, capfd):
    expected = encode_corpus(corpus_file, min_count=1, cache=False)
    encode_corpus(corpus_file, min_count=1)
    suffix, change = DAMAGE[damage]
    path = _entry_files(private_cache)[suffix]
    (_rewrite_vocab if suffix == ".vocab.json" else _rewrite_array)(path, change)
    capfd.readouterr()

    rebuilt = encode_corpus(corpus_file, min_count=1)

    assert same(rebuilt, expected)
    (line,) = warnings_in(capfd.readouterr().err)
    assert "damaged" in line and "rebuilding" in line
    again = encode_corpus(corpus_file, min_count=1)  # the rebuilt entry is whole again
    assert same(again, expected) and not warnings_in(capfd.readouterr().err)


def test_a_truncated_tokens_file_is_rebuilt(corpus_file, private_cache, capfd):
    encode_corpus(corpus_file, min_count=1)
    tokens = _entry_files(private_cache)[".tokens.npy"]
    tokens.write_bytes(tokens.read_bytes()[:-8])
    corpus = encode_corpus(corpus_file, min_count=1)
    assert same(corpus, encode_corpus(corpus_file, min_count=1, cache=False))
    assert len(warnings_in(capfd.readouterr().err)) == 1


def test_the_checksum_covers_arrays_and_vocabulary(corpus_file, private_cache):
    import hashlib

    encode_corpus(corpus_file, min_count=1)
    files = _entry_files(private_cache)
    meta = json.loads(files[".vocab.json"].read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    digest.update(np.load(files[".tokens.npy"]).astype("<i4").tobytes())
    digest.update(np.load(files[".starts.npy"]).astype("<i8").tobytes())
    vocab = [meta["words"], meta["counts"], meta["raw_tokens"]]
    digest.update(json.dumps(vocab).encode("utf-8"))
    assert meta["sha256"] == digest.hexdigest()


def test_a_new_entry_is_returned_without_reading_it_back(corpus_file, monkeypatch):
    loaded = []
    real_load = cache_module.CacheEntry.load
    monkeypatch.setattr(
        cache_module.CacheEntry,
        "load",
        lambda entry, files: loaded.append(real_load(entry, files)) or loaded[-1],
    )
    corpus = encode_corpus(corpus_file, min_count=1)
    assert loaded == [None]  # the one look-up that missed; the written entry is not re-hashed
    assert isinstance(corpus.tokens, np.memmap) and isinstance(corpus.sentence_starts, np.memmap)
    again = encode_corpus(corpus_file, min_count=1)
    assert loaded[-1] is not None and same(corpus, again)
    assert same(corpus, encode_corpus(corpus_file, min_count=1, cache=False))


def test_training_on_a_damaged_cache_does_not_crash(corpus_file, private_cache, tmp_path):
    """Ids of 2**31-1 in the cache segfaulted every later run (so the run is a child: a crash
    fails this test, not the test run). The entry is the one train's settings read, made here
    rather than by a first child."""
    encode_corpus(corpus_file, min_count=1)
    command = [sys.executable, "-m", "embedlab", "train", str(corpus_file), "--min-count", "1"]
    command += ["--dim", "8", "--epochs", "1", "--threads", "1", "-o", str(tmp_path / "v.txt")]
    env = os.environ | {"PYTHONPATH": SRC, "EMBEDLAB_CACHE": str(private_cache)}
    _rewrite_array(_entry_files(private_cache)[".tokens.npy"], DAMAGE["ids of 2**31-1"][1])
    run = subprocess.run(command, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert len(warnings_in(run.stderr)) == 1


# --- an edited source is noticed --------------------------------------------------------------


def _edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """Change the text in place with the same length, and put the modification time back, as
    ``touch -r``, ``rsync -t`` or unpacking an archive do."""
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_same_length_edit_with_the_mtime_restored_is_rebuilt_with_a_warning(corpus_file, capfd):
    encode_corpus(corpus_file, min_count=1)
    _edit_keeping_size_and_mtime(corpus_file, "cat", "cow")
    capfd.readouterr()

    corpus = encode_corpus(corpus_file, min_count=1)

    assert same(corpus, encode_corpus(corpus_file, min_count=1, cache=False))
    assert "cow" in corpus.vocab.words and "cat" not in corpus.vocab.words
    (line,) = warnings_in(capfd.readouterr().err)
    assert f"{corpus_file} has other contents than when it was cached" in line
    assert "touch -r" in line and "encoding it again" in line
    again = encode_corpus(corpus_file, min_count=1)
    assert same(again, corpus) and not warnings_in(capfd.readouterr().err)


@pytest.fixture
def digests(monkeypatch):
    """The files the cache hashes to check its sources, in order."""
    hashed = []
    real = cache_module.file_digest
    monkeypatch.setattr(cache_module, "file_digest", lambda path: hashed.append(path) or real(path))
    return hashed


def test_sources_bearing_their_stamps_are_not_read_again(corpus_file, monkeypatch, digests):
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)  # as if written long ago
    encode_corpus(corpus_file, min_count=1)
    encode_corpus(corpus_file, min_count=1)
    assert digests == []
    os.chmod(corpus_file, 0o600)  # moves the change time only: the file is hashed once
    encode_corpus(corpus_file, min_count=1)
    assert digests == [corpus_file]
    encode_corpus(corpus_file, min_count=1)  # and trusted from its new stamp on
    assert digests == [corpus_file]


def test_a_stamp_taken_as_the_file_changed_is_not_trusted(corpus_file, digests):
    """A second write within the file system's clock tick would not move the stamp."""
    encode_corpus(corpus_file, min_count=1)  # the file was written a moment ago
    encode_corpus(corpus_file, min_count=1)
    assert digests == [corpus_file]


def test_a_folder_in_place_of_a_cache_file_is_removed_and_rebuilt(
    corpus_file, private_cache, capfd
):
    expected = encode_corpus(corpus_file, min_count=1)
    for suffix, path in _entry_files(private_cache).items():
        path.unlink()
        path.mkdir()
        (path / "inside").write_text("x")
        capfd.readouterr()
        rebuilt = encode_corpus(corpus_file, min_count=1)
        assert same(rebuilt, expected), suffix
        (line,) = warnings_in(capfd.readouterr().err)
        assert "damaged" in line and "rebuilding it" in line
        assert path.is_file()
        again = encode_corpus(corpus_file, min_count=1)
        assert same(again, expected) and not warnings_in(capfd.readouterr().err)


def test_entries_of_another_format_are_never_read(corpus_file, monkeypatch, capfd):
    monkeypatch.setattr(cache_module, "FORMAT", 1)
    encode_corpus(corpus_file, min_count=1)
    monkeypatch.setattr(cache_module, "FORMAT", 2)
    tokenized = []
    original = Tokenizer.tokenize
    monkeypatch.setattr(
        Tokenizer, "tokenize", lambda self, line: tokenized.append(line) or original(self, line)
    )
    encode_corpus(corpus_file, min_count=1)
    assert tokenized  # a miss, not a read of the old entry
    assert not warnings_in(capfd.readouterr().err)


# --- a cache folder that cannot be written ---------------------------------------------------


def _assert_fell_back(corpus, corpus_file, err: str) -> None:
    assert same(corpus, encode_corpus(corpus_file, min_count=1, cache=False))
    assert not isinstance(corpus.tokens, np.memmap)
    (line,) = warnings_in(err)
    assert "without" in line and "EMBEDLAB_CACHE" in line


def test_a_cache_folder_that_cannot_be_created_falls_back(
    corpus_file, tmp_path, monkeypatch, capfd
):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("EMBEDLAB_CACHE", str(tmp_path / "file" / "cache"))
    corpus = encode_corpus(corpus_file, min_count=1)
    _assert_fell_back(corpus, corpus_file, capfd.readouterr().err)


def test_a_read_only_cache_folder_falls_back(corpus_file, private_cache, monkeypatch, capfd):
    real = tempfile.TemporaryFile

    def read_only(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == private_cache:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(collect.tempfile, "TemporaryFile", read_only)
    corpus = encode_corpus(corpus_file, min_count=1)
    err = capfd.readouterr().err
    _assert_fell_back(corpus, corpus_file, err)
    assert os.strerror(errno.EROFS) in err
    assert list(private_cache.iterdir()) == []


def test_a_full_cache_folder_falls_back_and_leaves_no_files(
    corpus_file, private_cache, monkeypatch, capfd
):
    real = os.fsync

    def full(fd):  # the tokens file is the first file atomic_write finishes
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("embedlab.fileio.os.fsync", full)
    corpus = encode_corpus(corpus_file, min_count=1)
    monkeypatch.setattr("embedlab.fileio.os.fsync", real)
    _assert_fell_back(corpus, corpus_file, capfd.readouterr().err)
    assert list(private_cache.iterdir()) == []


def test_a_full_spool_falls_back(corpus_file, private_cache, monkeypatch, capfd):
    monkeypatch.setattr(collect, "BLOCK", 2)  # the spool is written while reading

    class Full:
        def __init__(self, *args, **kwargs):
            pass

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def close(self):
            pass

    real = tempfile.TemporaryFile
    monkeypatch.setattr(
        collect.tempfile,
        "TemporaryFile",
        lambda *a, dir=None, **k: Full() if dir is not None else real(*a, dir=dir, **k),
    )
    corpus = encode_corpus(corpus_file, min_count=1)
    _assert_fell_back(corpus, corpus_file, capfd.readouterr().err)


def test_a_full_spool_without_the_cache_is_one_error_naming_the_reason(corpus_file, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(collect.tempfile, "TemporaryFile", full)
    with pytest.raises(EmbedlabError) as caught:
        encode_corpus(corpus_file, min_count=1, cache=False)
    message = str(caught.value)
    assert message.startswith("cannot write the temporary spool file in ")
    assert f"({os.strerror(errno.ENOSPC)}): free space there or set TMPDIR" in message


def test_the_cli_trains_with_an_unwritable_cache(corpus_file, tmp_path, monkeypatch, capfd):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("EMBEDLAB_CACHE", str(tmp_path / "file" / "cache"))
    argv = ["train", str(corpus_file), "--min-count", "1", "--dim", "4", "--epochs", "1"]
    assert main(argv + ["--quiet", "-o", str(tmp_path / "v.txt")]) == 0
    err = capfd.readouterr().err
    assert len(warnings_in(err)) == 1 and "Traceback" not in err


# --- the cap, and list / clear ---------------------------------------------------------------


def _fill(tmp_path, n: int) -> list[str]:
    """``n`` entries, one per file, each used one hour after the previous; their keys."""
    keys = []
    for i in range(n):
        path = tmp_path / f"part{i}.txt"
        path.write_text(TEXT * (i + 1), encoding="utf-8")
        encode_corpus(path, min_count=1)
        (entry,) = [e for e in list_entries() if e.key not in keys]
        os.utime(tmp_path / "cache" / f"{entry.key}.vocab.json", (3600 * (i + 1),) * 2)
        keys.append(entry.key)
    return keys


def test_list_reports_size_sources_and_order(tmp_path, private_cache):
    keys = _fill(tmp_path, 3)
    entries = list_entries()
    assert [e.key for e in entries] == keys  # least recently used first
    for i, entry in enumerate(entries):
        files = list(private_cache.glob(f"{entry.key}.*"))
        assert len(files) == 3 and entry.size == sum(f.stat().st_size for f in files)
        assert entry.sources == (str(tmp_path / f"part{i}.txt"),)
        assert entry.status == "ok" and entry.used == 3600 * (i + 1)


def test_writing_an_entry_evicts_the_least_recently_used(tmp_path, private_cache, monkeypatch):
    keys = _fill(tmp_path, 3)
    sizes = {e.key: e.size for e in list_entries()}
    # Reading entry 0 makes it the most recently used; entry 1 is then the oldest.
    encode_corpus(tmp_path / "part0.txt", min_count=1)
    newest = tmp_path / "part9.txt"
    newest.write_text(TEXT, encoding="utf-8")
    # Entry 9 holds entry 0's text, so it is entry 0's size give or take the digits of the times
    # its metadata records: half of what entry 1 adds over entry 0 absorbs that, and still leaves
    # no room for entry 1.
    slack = (sizes[keys[1]] - sizes[keys[0]]) // 2
    room = sizes[keys[0]] + sizes[keys[2]] + sizes[keys[0]] + slack
    monkeypatch.setenv("EMBEDLAB_CACHE_SIZE", str(room))
    encode_corpus(newest, min_count=1)
    left = {e.key for e in list_entries()}
    assert keys[1] not in left and {keys[0], keys[2]} <= left and len(left) == 3
    assert sum(e.size for e in list_entries()) <= room


def test_the_new_entry_is_kept_even_above_the_cap(tmp_path, monkeypatch):
    _fill(tmp_path, 2)
    monkeypatch.setenv("EMBEDLAB_CACHE_SIZE", "0")
    corpus = encode_corpus(tmp_path / "part0.txt", min_count=2)
    (entry,) = list_entries()
    assert isinstance(corpus.tokens, np.memmap) and entry.status == "ok"


def test_stale_entries_go_first(tmp_path, private_cache, monkeypatch):
    keys = _fill(tmp_path, 2)
    stale = private_cache / ("f" * 32 + ".vocab.json")
    stale.write_text(json.dumps({"words": []}))
    (private_cache / ("f" * 32 + ".tokens.npy")).write_bytes(bytes(10_000))  # > a new entry
    os.utime(stale, (10**10, 10**10))  # used last, but written by an older embedlab
    assert [e.status for e in list_entries()][-1] == "stale"
    monkeypatch.setenv("EMBEDLAB_CACHE_SIZE", str(sum(e.size for e in list_entries())))
    encode_corpus(tmp_path / "part0.txt", min_count=3)
    left = {e.key for e in list_entries()}
    assert "f" * 32 not in left and set(keys) <= left


def test_eviction_parses_no_current_vocabulary(tmp_path, private_cache, monkeypatch):
    keys = _fill(tmp_path, 3)
    parsed = []
    real_loads = json.loads
    monkeypatch.setattr(
        cache_module.json, "loads", lambda text: parsed.append(text) or real_loads(text)
    )
    total = sum(e.size for e in list_entries())
    parsed.clear()
    assert cache_module.evict(private_cache, total, keep=keys[2]) == 0
    assert cache_module.evict(private_cache, total - 1, keep=keys[2]) == 1
    assert not parsed
    assert [e.key for e in list_entries()] == keys[1:]


def test_a_bad_cap_is_one_error_before_reading(corpus_file, monkeypatch):
    monkeypatch.setenv("EMBEDLAB_CACHE_SIZE", "lots")
    with pytest.raises(EmbedlabError, match="EMBEDLAB_CACHE_SIZE"):
        encode_corpus(corpus_file, min_count=1)


def test_clear_one_then_all_and_nothing_else(tmp_path, private_cache):
    keys = _fill(tmp_path, 3)
    (private_cache / "notes.txt").write_text("mine")
    removed, freed = clear_cache(keys[1][:6])
    assert removed == 1 and freed > 0
    assert [e.key for e in list_entries()] == [keys[0], keys[2]]
    with pytest.raises(EmbedlabError, match="no entry"):
        clear_cache(keys[1])
    assert clear_cache()[0] == 2
    assert [p.name for p in private_cache.iterdir()] == ["notes.txt"]


def test_cache_cli_lists_and_clears(tmp_path, private_cache, capsys):
    keys = _fill(tmp_path, 2)
    assert main(["cache", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [e["key"] for e in listed["entries"]] == keys
    assert listed["bytes"] == sum(p.stat().st_size for p in private_cache.iterdir())
    assert listed["cap"] == 10 << 30
    assert main(["cache", "list"]) == 0
    assert keys[0][:12] in capsys.readouterr().out
    assert main(["cache", "clear", keys[0]]) == 0
    assert "removed 1 entry" in capsys.readouterr().out
    assert main(["cache", "clear", "0123"]) == 2
    assert capsys.readouterr().err.startswith("embedlab: error: no entry")
    assert main(["cache", "clear"]) == 0
    assert list(private_cache.iterdir()) == []
