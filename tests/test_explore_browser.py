"""The explorer page in a real browser: Debian's headless Chromium driven by Selenium.

One browser and two servers (one model; two models) are shared by the module. The page is read
as a user sees it (the neighbour table, the analogy list, the overlap line, the map's status)
and compared with the Python API. These tests carry the ``browser`` marker: ``pytest -m 'not
browser'`` runs everything else without Chromium; run here without Chromium they fail, saying
what to install.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
from pathlib import Path

import numpy as np
import pytest

from embedlab.explore import Explorer, ExplorerServer, write_static
from embedlab.query import Model
from embedlab.vectors import Embeddings

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("EMBEDLAB_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("EMBEDLAB_CHROMEDRIVER", "/usr/bin/chromedriver")
#: Flags that keep Chromium from reaching for the network (this machine has none) or a GPU.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1300,1000",
]
WAIT = 30

WORDS = ["the", "man", "woman", "king", "queen", "apple", "pear", "car", "bus", "sky"]
WORDS += [f"w{i}" for i in range(290)]


def _models():
    rng = np.random.default_rng(21)
    W = rng.standard_normal((len(WORDS), 24))
    royal = 2.5 * rng.standard_normal(24)
    W[WORDS.index("king")] = W[WORDS.index("man")] + royal
    W[WORDS.index("queen")] = W[WORDS.index("woman")] + royal
    first = Embeddings(WORDS, W.astype(np.float32))
    turned = (W + 0.6 * rng.standard_normal(W.shape)) @ np.linalg.qr(rng.standard_normal((24, 24)))[
        0
    ]
    second = Embeddings(WORDS[::-1], turned[::-1].astype(np.float32))
    return first, second


def _start(explorer):
    server = ExplorerServer(explorer, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


@pytest.fixture(scope="module")
def site():
    first, second = _models()
    one = _start(Explorer([Model(first, "first.emb")], top=200))
    two = _start(Explorer([Model(first, "first.emb"), Model(second, "second.txt")], top=200))
    # past 20,000 points the page writes pixels instead of drawing a square per point
    rng = np.random.default_rng(5)
    many = Embeddings([f"m{i}" for i in range(25000)], rng.standard_normal((25000, 6)))
    big = _start(Explorer([Model(many, "many.emb")], top=25000))
    yield {"one": one, "two": two, "big": big, "first": first}
    for server in (one, two, big):
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).is_file()]
    if missing:
        pytest.fail(
            f"the browser tests need Debian's chromium and chromium-driver ({', '.join(missing)} "
            "not found): apt-get install -y chromium chromium-driver, or leave these tests out "
            "with -m 'not browser'",
            pytrace=False,
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("the browser tests need selenium: pip install -e '.[test]'", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        # the driver's path is given, so Selenium Manager never runs (nothing is downloaded)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def _until(driver, condition):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(lambda d: condition(d))


def _by_id(driver, name):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, name)


def _open(driver, server, query=""):
    driver.get(f"{server.url}{query}")
    _until(driver, lambda d: d.execute_script("return document.body.dataset.mapDrawn"))


def _neighbour_rows(driver, table=0):
    from selenium.webdriver.common.by import By

    tables = driver.find_elements(By.CSS_SELECTOR, "#neighbours table")
    rows = tables[table].find_elements(By.CSS_SELECTOR, "tr")
    return [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")] for row in rows]


def test_search_with_autocomplete_shows_the_neighbours(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, site["one"])
    box = _by_id(browser, "search")
    box.send_keys("kin")
    _until(
        browser,
        lambda d: [e.text for e in d.find_elements(By.CSS_SELECTOR, "#suggestions li")] == ["king"],
    )
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    _until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#neighbours tr"))
    rows = _neighbour_rows(browser)
    expected = site["first"].most_similar("king", topn=10)
    assert [row[1] for row in rows] == [w for w, _ in expected]
    assert [row[2] for row in rows] == [f"{s:.3f}" for _, s in expected]
    assert "q=king" in browser.current_url


def test_the_url_opens_a_word_and_an_unknown_word_is_one_message(browser, site):
    from selenium.webdriver.common.keys import Keys

    _open(browser, site["one"], "?q=queen&k=3")
    _until(browser, lambda d: len(_neighbour_rows(d)) == 3)
    assert _by_id(browser, "neighbours-title").text == "Nearest neighbours of queen"
    box = _by_id(browser, "search")
    box.clear()
    box.send_keys("zzzz", Keys.ENTER)
    message = _by_id(browser, "message")
    _until(browser, lambda d: message.is_displayed())
    assert message.text == "unknown word 'zzzz': not in the vocabulary (check spelling and case)"


def test_an_analogy(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _open(browser, site["one"])
    for name, word in (("analogy-a", "man"), ("analogy-b", "king"), ("analogy-c", "woman")):
        _by_id(browser, name).send_keys(word)
    Select(_by_id(browser, "analogy-method")).select_by_value("3CosMul")
    _by_id(browser, "analogy-go").click()
    _until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#analogy-results li"))
    shown = [
        e.get_attribute("data-word")
        for e in browser.find_elements(By.CSS_SELECTOR, "#analogy-results li")
    ]
    expected = site["first"].most_similar_cosmul(["king", "woman"], ["man"], topn=10)
    assert shown == [w for w, _ in expected] and shown[0] == "queen"


def test_switching_the_projection_redraws_the_map(browser, site):
    from selenium.webdriver.support.ui import Select

    _open(browser, site["one"], "?top=60")
    status = _by_id(browser, "map-status")
    assert status.text.startswith("PCA map of 60 words")
    Select(_by_id(browser, "map-method")).select_by_value("tsne")
    _until(browser, lambda d: status.text.startswith("t-SNE map of 60 words"))
    assert "method=tsne" in browser.current_url


def test_two_models_side_by_side(browser, site):
    from selenium.webdriver.common.by import By

    _open(browser, site["two"], "?q=king&k=5")
    overlap = _by_id(browser, "overlap")
    _until(browser, lambda d: overlap.is_displayed())
    answer = site["two"].explorer.answer("/api/compare", "q=king&k=5")
    assert overlap.text.startswith(f"Jaccard {answer['jaccard']:.3f}: ")
    assert f"{answer['shared_neighbours']} of 5 neighbours shared" in overlap.text
    for side in (0, 1):
        assert [row[1] for row in _neighbour_rows(browser, side)] == [
            r["word"] for r in answer["lists"][side]
        ]
    _until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#differing li"))
    assert _by_id(browser, "survey-summary").text.startswith("Mean Jaccard ")


@pytest.mark.parametrize(
    ("server", "query", "grey", "points"),
    [
        # 300 points as squares of rgba(60, 60, 60, 0.6) over white: 138 grey
        ("one", "?groups=royal:king,queen", 138, 300),
        # 25,000 points written as pixels of 90 grey
        ("big", "", 90, 5000),
    ],
)
def test_the_map_is_drawn(browser, site, server, query, grey, points):
    from matplotlib import image

    _open(browser, site[server], query)
    pixels = image.imread(io.BytesIO(_by_id(browser, "map-canvas").screenshot_as_png))
    rgb = np.round(pixels[..., :3] * 255).astype(int).reshape(-1, 3)
    assert (np.abs(rgb - grey).max(axis=1) <= 2).sum() >= points  # the points themselves
    assert len(np.unique(rgb, axis=0)) > 20  # and labels, axes, group colours


def test_the_static_page_answers_offline(browser, site, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page = tmp_path / "page.html"
    write_static(site["one"].explorer, page, top=100, quiet=True)
    browser.get(page.as_uri())
    _until(browser, lambda d: d.execute_script("return document.body.dataset.mapDrawn"))
    _by_id(browser, "search").send_keys("queen", Keys.ENTER)
    _until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#neighbours tr"))
    expected = site["first"].most_similar("queen", topn=10)
    assert [row[1] for row in _neighbour_rows(browser)] == [w for w, _ in expected]
    assert not _by_id(browser, "exports").is_displayed()
