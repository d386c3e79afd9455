"""The explorer against issue 22's targets, on random but structured vectors.

The model: ``--words`` words (default 100,000) x ``--dim`` (300) float32, each word a cluster
centre (one of ``words / 50``) plus noise, so neighbourhoods are real clusters; counts fall as
Zipf's law; saved as a native ``.emb`` file, which the explorer memory-maps. Measured:

1. a neighbour query answered server-side (``Explorer.answer``, after one warm-up query),
   median and 95th percentile over ``--repeat`` random words; target under 50 ms;
2. the first PCA map of ``--top`` words (5,000) drawn in headless Chromium: the page's own
   ``performance.now()`` at the end of the first draw (from navigation start: page, script,
   model list, the server's PCA, JSON and the canvas); target under 2 s. Also the map of every
   word (100,000 points) and one repaint of it after a zoom;
3. ``--static`` of ``--static-words`` (20,000) words: file size (target under 10 MB) and time;
4. the server's resident memory (``embedlab explore`` in its own process, after neighbour
   queries and the 5,000- and 100,000-word maps), against the model file's size plus 150 MiB.

    python benchmarks/explorer.py                                     # the targets
    python benchmarks/explorer.py --words 20000 --dim 100 --static-words 5000 --repeat 20
    python benchmarks/explorer.py --no-browser --no-static            # the quick parts
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402  (the benchmarks folder is not a package)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
]
MIB = 2**20


def structured_model(words: int, dim: int, path: Path, seed: int = 1) -> None:
    """Write the benchmark model: clustered rows, Zipf counts, native format."""
    from embedlab.vectors import Embeddings

    rng = np.random.default_rng(seed)
    clusters = max(2, words // 50)
    centres = rng.standard_normal((clusters, dim)).astype(np.float32)
    matrix = np.empty((words, dim), dtype=np.float32)
    block = 10_000
    for start in range(0, words, block):
        stop = min(words, start + block)
        members = rng.integers(0, clusters, stop - start)
        matrix[start:stop] = centres[members] + 0.6 * rng.standard_normal((stop - start, dim))
    counts = (1e7 / np.arange(1, words + 1)).astype(np.int64) + 1
    names = [f"w{i:06d}" for i in range(words)]
    Embeddings(names, matrix, counts=counts).save(path)


def neighbour_latency(path: Path, repeat: int, seed: int = 2) -> dict:
    """Server-side time of ``/api/neighbours`` (the API call the HTTP handler makes)."""
    from embedlab.explore import Explorer
    from embedlab.query import Model

    explorer = Explorer([Model.open(path)])
    words = explorer.models[0].vectors.words
    rng = np.random.default_rng(seed)
    first = time.perf_counter()
    explorer.answer("/api/neighbours", f"q={words[0]}&k=10")  # norms and index built here
    cold = time.perf_counter() - first
    times = []
    for i in rng.integers(0, len(words), repeat):
        started = time.perf_counter()
        explorer.answer("/api/neighbours", f"q={words[i]}&k=10")
        times.append(time.perf_counter() - started)
    times.sort()
    return {
        "cold_ms": cold * 1000,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(0.95 * (len(times) - 1))] * 1000,
    }


def start_server(path: Path, top: int) -> tuple[subprocess.Popen, str]:
    """``embedlab explore`` in its own process on a free port; its URL."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    src = str(_common.REPO / "src")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    code = "import sys; from embedlab.cli.app import main; sys.exit(main(sys.argv[1:]))"
    argv = [sys.executable, "-c", code, "explore", str(path), "--port", "0", "--top", str(top)]
    server = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    found = re.search(r"http://\S+/", line)
    if not found:
        server.kill()
        raise RuntimeError(f"the explorer did not start: {line!r}")
    return server, found.group(0)


def rss(pid: int) -> dict:
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                fields[name] = int(value.split()[0]) * 1024
    return fields


def browser_maps(url: str, top: int, words: int, chromium: str, chromedriver: str) -> dict:
    """The page's timings: the first map of ``top`` words, the map of every word, a repaint."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        try:
            wait = WebDriverWait(driver, 600)
            drawn = "return document.body.dataset.mapDrawn"
            driver.get(url)
            wait.until(lambda d: d.execute_script(drawn) == str(top))
            timings = driver.execute_script("return window.explorerTimings")
            result = {
                "first_map_ms": timings["firstMap"],
                "first_map_request_ms": timings["lastMap"],
            }
            driver.get(f"{url}?top={words}")
            wait.until(lambda d: d.execute_script(drawn) == str(words))
            timings = driver.execute_script("return window.explorerTimings")
            result["all_words_map_ms"] = timings["lastMap"]
            driver.execute_script(
                "document.getElementById('map-canvas').dispatchEvent(new WheelEvent('wheel', "
                "{deltaY: -200, clientX: 400, clientY: 300, bubbles: true, cancelable: true}))"
            )
            time.sleep(0.5)
            result["repaint_ms"] = driver.execute_script("return window.explorerTimings.lastPaint")
        finally:
            driver.quit()
    return result


def server_memory(url: str, server: subprocess.Popen, words: int, top: int) -> dict:
    """Resident memory after neighbour queries and the maps of ``top`` and every word."""
    for i in range(0, words, max(1, words // 20)):
        urllib.request.urlopen(f"{url}api/neighbours?q=w{i:06d}&k=10").read()
    for count in (top, words):
        urllib.request.urlopen(f"{url}api/map?top={count}", timeout=600).read()
    return rss(server.pid)


def static_size(path: Path, words: int, folder: Path) -> dict:
    from embedlab.explore import Explorer, write_static
    from embedlab.query import Model

    explorer = Explorer([Model.open(path)])
    started = time.perf_counter()
    written = write_static(explorer, folder / "static.html", top=words, quiet=True)
    return {"bytes": written["bytes"], "seconds": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--top", type=int, default=5000, help="words on the first map")
    parser.add_argument("--static-words", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=200, help="neighbour queries timed")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    parser.add_argument("--no-static", action="store_true", help="skip the --static file")
    parser.add_argument("--output", help="also write the Markdown report here")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / "model.emb"
        structured_model(args.words, args.dim, model)
        size = model.stat().st_size
        shape = f"{args.words:,} x {args.dim}"

        latency = neighbour_latency(model, args.repeat)
        rows.append(
            [
                f"neighbour query, {shape} (median; p95)",
                f"{latency['median_ms']:.1f} ms; {latency['p95_ms']:.1f} ms",
                "< 50 ms",
                _verdict(latency["p95_ms"] < 50),
            ]
        )
        rows.append(
            ["first neighbour query (builds the norms)", f"{latency['cold_ms']:.0f} ms", "", ""]
        )

        server, url = start_server(model, args.top)
        try:
            if not args.no_browser:
                maps = browser_maps(url, args.top, args.words, args.chromium, args.chromedriver)
                rows.append(
                    [
                        f"first PCA map of {args.top:,} words drawn (from navigation)",
                        f"{maps['first_map_ms'] / 1000:.2f} s",
                        "< 2 s",
                        _verdict(maps["first_map_ms"] < 2000),
                    ]
                )
                rows.append(
                    [
                        "  of which the map's request to its drawing",
                        f"{maps['first_map_request_ms'] / 1000:.2f} s",
                        "",
                        "",
                    ]
                )
                rows.append(
                    [
                        f"PCA map of all {args.words:,} words (request to drawing)",
                        f"{maps['all_words_map_ms'] / 1000:.2f} s",
                        "",
                        "",
                    ]
                )
                rows.append(
                    [
                        f"repaint of {args.words:,} points after a zoom",
                        f"{maps['repaint_ms']:.0f} ms",
                        "",
                        "",
                    ]
                )
            memory = server_memory(url, server, args.words, args.top)
        finally:
            server.terminate()
            server.wait(timeout=30)
        budget = size + 150 * MIB
        rows.append(
            [
                f"server RSS after queries and maps (model file {size / MIB:,.0f} MiB)",
                f"{memory['VmRSS'] / MIB:,.0f} MiB (peak {memory['VmHWM'] / MIB:,.0f})",
                f"<= {budget / MIB:,.0f} MiB",
                _verdict(memory["VmHWM"] <= budget),
            ]
        )
        rows.append(
            [
                "  of which file-backed (the mapped model) / anonymous",
                f"{memory['RssFile'] / MIB:,.0f} / {memory['RssAnon'] / MIB:,.0f} MiB",
                "",
                "",
            ]
        )

        if not args.no_static:
            count = min(args.static_words, args.words)
            static = static_size(model, count, Path(folder))
            rows.append(
                [
                    f"--static of {count:,} words",
                    f"{static['bytes'] / 1e6:.2f} MB in {static['seconds']:.0f} s",
                    "< 10 MB",
                    _verdict(static["bytes"] < 10e6),
                ]
            )

    report = "\n".join(
        [
            "## Explorer",
            "",
            _common.machine_header(_common.machine()),
            "",
            _common.markdown_table(["measure", "result", "target", ""], rows),
        ]
    )
    print(report)
    if args.output:
        Path(args.output).write_text(report + "\n", encoding="utf-8")


def _verdict(ok: bool) -> str:
    return "met" if ok else "missed"


if __name__ == "__main__":
    main()
