"""Files that lie, files in other encodings, files that cannot be read, values of the wrong type:
each is one clear line (or read correctly), never a crash, a giant allocation or junk."""

from __future__ import annotations

import bz2
import codecs
import errno
import json
import struct
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import embedlab
from embedlab import fileio
from embedlab.cli.app import main
from embedlab.corpus import encode_corpus
from embedlab.errors import EmbedlabError
from embedlab.vectors import Embeddings, load

TEXT = "The cat sat on the mat\nthe dog ate the café's bone\n" * 3


def one_line(call, *args, **kwargs) -> str:
    with pytest.raises(EmbedlabError) as caught:
        call(*args, **kwargs)
    message = str(caught.value)
    assert message and "\n" not in message
    return message


# ---- headers that lie ---------------------------------------------------------------------


def test_a_binary_header_claiming_a_billion_words_allocates_nothing_big(tmp_path):
    path = tmp_path / "lie.bin"
    path.write_bytes(b"1000000000 300\nthe " + np.zeros(300, "<f4").tobytes() + b"\n")
    tracemalloc.start()
    try:
        message = one_line(load, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "record 2: the file ends inside it (1 of 1000000000 vectors read)" in message
    assert peak < 10 << 20  # it allocated 37 GiB before the first record


def native_with(tmp_path: Path, change) -> Path:
    """A valid native file whose JSON header ``change(header)`` edited."""
    path = tmp_path / "m.emb"
    meta = {"method": "skipgram", "history": [{"epoch": 1, "loss": 2.0, "seconds": 1.0}]}
    Embeddings(["a", "b"], np.ones((2, 3), np.float32), meta=meta).save(path)
    raw = path.read_bytes()
    length = struct.unpack("<Q", raw[16:24])[0]
    header = json.loads(raw[24 : 24 + length])
    change(header)
    text = json.dumps(header).encode()
    head = raw[:16] + struct.pack("<Q", len(text)) + text
    path.write_bytes(head + bytes(-len(head) % 64) + raw[-(-(24 + length) // 64) * 64 :])
    return path


def test_a_negative_shape_is_one_line(tmp_path):
    path = native_with(tmp_path, lambda h: h["sections"]["input"].update(shape=[-2, -3]))
    for mmap in (False, True):
        message = one_line(load, path, mmap=mmap)
        assert "section 'input': its shape [-2, -3] is not a list of counts" in message


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda h: h["meta"].update(history="every epoch"), "meta.history is 'every epoch'"),
        (lambda h: h["meta"].update(params=7), "meta.params is 7, not a mapping"),
        (lambda h: h["meta"]["history"][0].update(seconds="1s"), "meta.history[0].seconds"),
        (lambda h: h["meta"].update(method=["x"]), "meta.method is ['x'], not a string"),
    ],
)
def test_info_on_meta_of_the_wrong_type_is_one_line(tmp_path, capsys, change, field):
    path = native_with(tmp_path, change)
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and field in err and "re-save the vectors with embedlab" in err


def resume_from(tmp_path: Path, schedule) -> str:
    from embedlab.methods.word2vec.model import SkipGram
    from embedlab.methods.word2vec.resume import resume_point

    emb = Embeddings(
        ["a", "b"],
        np.ones((2, 3), np.float32),
        context=np.ones((2, 3), np.float32),
        meta={"schedule": schedule},
    )
    params = SkipGram(dim=3, epochs=3, alpha=0.025, resume=emb)
    return one_line(resume_point, params, ["a", "b"], 10)


def good_schedule() -> dict:
    from embedlab.methods.word2vec.model import SkipGram
    from embedlab.methods.word2vec.resume import schedule

    return schedule(SkipGram(dim=3, epochs=3, alpha=0.025), 10, 1)


@pytest.mark.parametrize(
    ("garbage", "field"),
    [
        ({"epochs_done": 9}, "meta.schedule.epochs_done is more than its epochs"),
        ({"alpha_position": 7.0}, "meta.schedule.alpha_position is not between 0 and 1"),
    ],
)
def test_resume_refuses_a_garbage_schedule_naming_the_field(tmp_path, garbage, field):
    """It used to become a silent warm start."""
    message = resume_from(tmp_path, good_schedule() | garbage)
    assert message.startswith(f"resume: {field}") and "cannot be continued" in message


@pytest.mark.parametrize("garbage", [{"epochs_done": "1"}, {"epochs_done": None}, {"seed": -1}])
def test_a_schedule_field_of_the_wrong_type_is_refused_when_the_vectors_are_made(garbage):
    """So no resume ever sees one (a file's meta is checked as it loads, the same way)."""
    assert one_line(Embeddings, ["a"], np.ones((1, 1), np.float32), meta={"schedule": "x"})
    message = one_line(
        Embeddings, ["a"], np.ones((1, 1), np.float32), meta={"schedule": good_schedule() | garbage}
    )
    assert message.startswith("meta.schedule.")


def test_resume_refuses_a_schedule_missing_a_field(tmp_path):
    schedule = good_schedule()
    del schedule["words_done"]
    assert resume_from(tmp_path, schedule).startswith("resume: meta.schedule has no 'words_done'")


# ---- encodings: byte-order marks, UTF-16 without one -------------------------------------


def tokens_of(path: Path, **settings) -> list[list[str]]:
    corpus = encode_corpus(path, min_count=1, cache=False, **settings)
    return [[corpus.vocab.words[i] for i in s] for s in corpus.sentences()]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-32-be", "utf-8-sig"])
def test_a_byte_order_mark_decides_the_encoding(tmp_path, codec):
    plain = tmp_path / "plain.txt"
    plain.write_text(TEXT, encoding="utf-8")
    marked = tmp_path / "marked.txt"
    bom = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-32-be": codecs.BOM_UTF32_BE}.get(codec, b"")
    marked.write_bytes(bom + TEXT.encode(codec))
    assert tokens_of(marked) == tokens_of(plain)
    assert tokens_of(marked, tokenizer="whitespace") == tokens_of(plain, tokenizer="whitespace")


def test_a_mark_that_contradicts_the_encoding_names_the_right_one(tmp_path, capsys):
    path = tmp_path / "u16.txt"
    path.write_bytes(TEXT.encode("utf-16"))  # little-endian with its mark, on this machine
    message = one_line(encode_corpus, path, cache=False, encoding="latin-1")
    assert "starts with a UTF-16 (little-endian) byte-order mark" in message
    assert "not latin-1: pass encoding='utf-16-le' (or leave encoding out)" in message
    argv = ["train", str(path), "-o", str(tmp_path / "v.txt"), "--encoding", "latin-1"]
    assert main([*argv, "--no-cache"]) == 2  # the same fix, as the command's flags
    assert "pass --encoding utf-16-le (or leave --encoding out)" in capsys.readouterr().err


def test_utf16_without_a_mark_is_not_read_as_junk(tmp_path):
    path = tmp_path / "nomark.txt"
    path.write_bytes(TEXT.encode("utf-16-le"))
    message = one_line(encode_corpus, path, cache=False)
    assert "holds NUL bytes" in message and "pass encoding='utf-16-le'" in message
    assert tokens_of(path, encoding="utf-16-le") == tokens_of(_plain(tmp_path))


def _plain(tmp_path: Path) -> Path:
    path = tmp_path / "p.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


# ---- Zstandard ----------------------------------------------------------------------------


def test_a_zstandard_corpus_is_read_every_frame(tmp_path):
    zstandard = pytest.importorskip("zstandard")
    path = tmp_path / "c.txt.zst"
    half = len(TEXT) // 2
    frames = [zstandard.compress(part.encode()) for part in (TEXT[:half], TEXT[half:])]
    path.write_bytes(b"".join(frames))  # what zstd -T or cat a.zst b.zst gives
    assert tokens_of(path) == tokens_of(_plain(tmp_path))


def test_without_zstandard_a_zst_corpus_is_named(tmp_path, monkeypatch):
    import builtins

    path = tmp_path / "c.txt.zst"
    path.write_bytes(b"\x28\xb5\x2f\xfd" + bytes(20))
    real_import = builtins.__import__

    def without_zstd(name, *args, **kwargs):
        if name in ("zstandard", "compression"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_zstd)
    message = one_line(encode_corpus, path, cache=False)
    assert message.startswith(f"{path} is Zstandard-compressed, which needs the zstandard")
    assert "pip install 'embedlab[zstd]'" in message


def test_a_damaged_zst_corpus_is_one_line(tmp_path):
    zstandard = pytest.importorskip("zstandard")
    path = tmp_path / "c.txt.zst"
    data = zstandard.compress(TEXT.encode() * 50)
    path.write_bytes(data[: len(data) // 2] + bytes(64))
    assert "is corrupt or truncated" in one_line(encode_corpus, path, cache=False)


# ---- files that cannot be read ---------------------------------------------------------------


def unreadable(monkeypatch, path: Path, code: int = errno.EACCES) -> None:
    """Opening ``path`` fails as for a file without read permission (root ignores the bits)."""
    real_open = open

    def refuse(name, *args, **kwargs):
        if Path(name) == path:
            raise PermissionError(code, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(fileio, "open", refuse, raising=False)


def test_an_unreadable_corpus_is_one_line_naming_it_without_a_cache_warning(
    tmp_path, monkeypatch, capfd
):
    monkeypatch.setenv("EMBEDLAB_CACHE", str(tmp_path / "cache"))
    good, bad = _plain(tmp_path), tmp_path / "secret.txt"
    bad.write_text(TEXT)
    unreadable(monkeypatch, bad)
    rc = main(["train", str(good), str(bad), "-o", str(tmp_path / "v.txt"), "--min-count", "1"])
    err = capfd.readouterr().err
    assert rc == 2 and err.count("\n") == 1, err
    assert f"cannot read {str(bad)!r} (Permission denied): check its permissions" in err
    assert not (tmp_path / "cache").exists()  # refused before the first file was read


@pytest.mark.parametrize("name", ["v.txt", "v.bin", "v.emb", "v.txt.bz2"])
def test_unreadable_vectors_are_one_line_naming_them(tmp_path, monkeypatch, name):
    path = tmp_path / name
    Embeddings(["a", "b"], np.eye(2, dtype=np.float32)).save(path)
    unreadable(monkeypatch, path)
    assert f"cannot read {str(path)!r} (Permission denied)" in one_line(load, path)


def test_an_input_error_while_reading_is_one_line(tmp_path, faults):
    path = tmp_path / "c.txt.bz2"
    path.write_bytes(bz2.compress(TEXT.encode() * 100))
    faults.fail("read", 3, errno.EIO)  # opened up front, opened to read, then its first read
    message = one_line(encode_corpus, path, cache=False)
    assert message.startswith(f"cannot read {str(path)!r} (Input/output error): the disk")


# ---- values of the wrong type ---------------------------------------------------------------

EMB = Embeddings(["a", "b"], np.eye(2, dtype=np.float32))

WRONG = {
    "train(None)": lambda: embedlab.train(None),
    "train(123)": lambda: embedlab.train(123),
    "train(b'text')": lambda: embedlab.train(b"text"),
    "encode_corpus(None)": lambda: embedlab.encode_corpus(None),
    "encode_corpus([None])": lambda: embedlab.encode_corpus([None]),
    "as_corpus(4.5)": lambda: embedlab.as_corpus(4.5),
    "load(None)": lambda: embedlab.load(None),
    "evaluate(None)": lambda: embedlab.evaluate(None),
    "evaluate(datasets=5)": lambda: embedlab.evaluate(EMB, datasets=5),
    "evaluate_sentiment('v.txt')": lambda: embedlab.evaluate_sentiment("v.txt"),
    "Embeddings(None, None)": lambda: embedlab.Embeddings(None, None),
    "Vocabulary(None, None)": lambda: embedlab.Vocabulary(None, None),
    "emb[5]": lambda: EMB[5],
    "emb.most_similar(5)": lambda: EMB.most_similar(5),
    "emb.save(None)": lambda: EMB.save(None),
}


@pytest.mark.parametrize("call", sorted(WRONG))
def test_a_wrong_type_is_one_line(call):
    one_line(WRONG[call])


def test_a_dataset_that_decompresses_past_its_bound_is_refused(tmp_path, monkeypatch):
    import gzip

    from embedlab.evaluation import datasets

    monkeypatch.setattr(datasets, "MAX_DATASET_BYTES", 1 << 10)
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"cat dog 7.5\n" * 1000))  # 12 kB from 100 bytes
    message = one_line(datasets.load_dataset, str(path))
    assert message == (
        f"dataset {str(path)!r} holds more than 1.0 KiB of text: give a similarity or analogy "
        "benchmark file"
    )


def test_json_nested_past_the_recursion_limit_is_one_line(tmp_path):
    from embedlab.pictures.curves import read_history

    path = tmp_path / "run.json"
    path.write_text("[" * 100_000)
    assert "cannot read" in one_line(read_history, path)
