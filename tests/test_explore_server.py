"""The explorer over HTTP: fixed routes, read-only, loopback, bad requests and path traversal;
and ``embedlab explore`` on the command line."""

from __future__ import annotations

import http.client
import json
import threading

import numpy as np
import pytest

from embedlab.cli.app import main
from embedlab.explore import Explorer
from embedlab.explore.server import ExplorerServer, open_server, read_asset
from embedlab.query import Model
from embedlab.vectors import Embeddings

WORDS = ["the", "man", "woman", "king", "queen", "apple", "pear", "car"]
WORDS += [f"w{i}" for i in range(40)]


def _emb():
    rng = np.random.default_rng(12)
    return Embeddings(WORDS, rng.standard_normal((len(WORDS), 10)).astype(np.float32))


@pytest.fixture(scope="module")
def server():
    running = ExplorerServer(Explorer([Model(_emb(), "m.emb")], top=20), "127.0.0.1", 0)
    thread = threading.Thread(target=running.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def _get(server, target, method="GET", host=None):
    """``target`` sent exactly as written (no client-side normalisation of ``..``)."""
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
    headers = {} if host is None else {"Host": host}
    connection.putrequest(method, target, skip_host=host is not None)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_the_page_and_its_assets(server):
    response, body = _get(server, "/")
    assert response.status == 200 and body == read_asset("index.html")
    assert "script-src 'self'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Access-Control-Allow-Origin") is None
    response, body = _get(server, "/assets/explorer.js")
    assert response.status == 200 and body == read_asset("explorer.js")
    assert response.getheader("Content-Type").startswith("text/javascript")


def test_api_answers_are_the_protocols(server):
    response, body = _get(server, "/api/neighbours?q=king&k=5")
    assert response.status == 200
    answer = json.loads(body)
    expected = _emb().most_similar("king", topn=5)
    assert [r["word"] for r in answer["results"]] == [w for w, _ in expected]
    assert [r["similarity"] for r in answer["results"]] == pytest.approx([s for _, s in expected])
    response, body = _get(server, "/api/neighbours?q=quee%6E&k=2")  # percent-encoded
    assert json.loads(body)["query"]["positive"] == ["queen"]


@pytest.mark.parametrize(
    "target",
    [
        "/assets/../pyproject.toml",
        "/assets/../../../../etc/passwd",
        "/assets/%2e%2e/%2e%2e/etc/passwd",
        "/assets/..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/assets/explorer.js/../../../etc/passwd",
        "/assets/index.html",
        "/api/../assets/explorer.js",
        "/src/embedlab/explore/assets/explorer.js",
        "/api/export/../../../etc/passwd",
        "/%00",
    ],
)
def test_no_path_reaches_a_file(server, target):
    response, body = _get(server, target)
    assert response.status == 404
    assert b"root:" not in body and b"[project]" not in body
    assert "no such page" in json.loads(body)["error"]


def test_bad_parameters_and_unknown_words(server):
    response, body = _get(server, "/api/neighbours?q=king&k=1000")
    assert response.status == 400 and "k must be from 1 to 100" in json.loads(body)["error"]
    response, body = _get(server, "/api/neighbours?q=nowhere")
    assert response.status == 404
    assert json.loads(body) == {
        "error": "unknown word 'nowhere': not in the vocabulary (check spelling and case)",
        "unknown": ["nowhere"],
    }
    response, _ = _get(server, "/api/map?words=" + "x," * 20000)
    assert response.status == 414


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_the_api_is_read_only(server, method):
    response, body = _get(server, "/api/models", method=method)
    assert response.status == 405 and response.getheader("Allow") == "GET, HEAD"


def test_requests_for_another_host_are_refused(server):
    response, _ = _get(server, "/api/models", host="attacker.example:80")
    assert response.status == 403
    port = server.server_address[1]
    response, _ = _get(server, "/api/models", host=f"localhost:{port}")
    assert response.status == 200


def test_head_sends_headers_only(server):
    response, body = _get(server, "/api/models", method="HEAD")
    assert response.status == 200 and body == b"" and int(response.getheader("Content-Length")) > 0


def test_concurrent_first_requests_build_each_cache_once(monkeypatch):
    from embedlab.vectors import embeddings

    calls = []
    real = embeddings._combine

    def counted(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(embeddings, "_combine", counted)
    fresh = ExplorerServer(Explorer([Model(_emb(), "m.emb")]), "127.0.0.1", 0)
    thread = threading.Thread(target=fresh.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        answers = [None] * 8
        barrier = threading.Barrier(8)

        def ask(i):
            barrier.wait()
            answers[i] = json.loads(_get(fresh, f"/api/neighbours?q={WORDS[i]}&k=3")[1])

        workers = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        fresh.shutdown()
        fresh.server_close()
    assert len(calls) == 1
    for i, answer in enumerate(answers):
        assert [r["word"] for r in answer["results"]] == [
            w for w, _ in _emb().most_similar(WORDS[i], topn=3)
        ]


def test_listening_beyond_loopback_warns(capsys):
    server = open_server(Explorer([Model(_emb(), "m.emb")]), "0.0.0.0", 0)
    server.server_close()
    assert not server.loopback
    err = capsys.readouterr().err
    assert err.startswith("embedlab: warning: serving on 0.0.0.0") and err.count("\n") == 1
    quiet = open_server(Explorer([Model(_emb(), "m.emb")]), "127.0.0.1", 0)
    quiet.server_close()
    assert quiet.loopback and capsys.readouterr().err == ""


# ---- the command line -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explore")
    _emb().save(folder / "m.emb")
    return folder


def _run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--port", "70000"], "--port must be from 0 to 65535"),
        (["--top", "1"], "--top must be from 2"),
        (["--host", "no such host.invalid"], "cannot resolve --host"),
    ],
)
def test_bad_options_are_one_line(capsys, saved, args, fragment):
    code, out, err = _run(capsys, "explore", saved / "m.emb", *args)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("embedlab: error: ") and fragment in err


def test_a_port_in_use_is_one_line(capsys, saved, server):
    port = server.server_address[1]
    code, _, err = _run(capsys, "explore", saved / "m.emb", "--port", port)
    assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in err and err.count("\n") == 1


def test_a_missing_file_is_one_line(capsys, tmp_path):
    code, _, err = _run(capsys, "explore", tmp_path / "none.emb")
    assert code == 2 and "no such file" in err


def test_static_writes_one_file(capsys, saved, tmp_path):
    out = tmp_path / "page.html"
    code, printed, err = _run(capsys, "explore", saved / "m.emb", "--static", out, "--top", 12)
    assert code == 0, err
    assert "12 words" in printed and out.exists()
    assert '"count":12' in out.read_text(encoding="utf-8")
    code, _, err = _run(capsys, "explore", saved / "m.emb", "--static", tmp_path / "no" / "x.html")
    assert code == 2 and err.count("\n") == 1
