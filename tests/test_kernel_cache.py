"""Compiled kernels are cached under a key of every kernel source, outside the package.

The end-to-end tests run a small kernel (``reduced_window``, which inlines ``randint`` from
another module) in subprocesses against a temporary copy of the package, so they can edit it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import embedlab
from embedlab import kernel_cache
from embedlab.corpus.random import seed_state

SEED = 1
WINDOW = 5

RUN_KERNEL = f"""
import json
from embedlab.corpus.random import seed_state
from embedlab.corpus.windows import reduced_window
value = int(reduced_window({WINDOW}, seed_state({SEED})))
stats = reduced_window.stats
print(json.dumps({{"value": value, "hits": sum(stats.cache_hits.values()),
                  "misses": sum(stats.cache_misses.values()),
                  "path": stats.cache_path}}))
"""

# Appended to random.py: the module-level name now refers to this kernel, which windows.py
# imports and reduced_window inlines; window - (-window) is a value no real draw can give.
NEGATIVE_RANDINT = """

@njit(cache=True, nogil=True)
def randint(state, n) -> int:
    return -n
"""


def _expected_window() -> int:
    # word2vec's LCG step and a multiply-shift to [0, window), in plain Python integers
    state = int(seed_state(SEED)[0])
    advanced = (state * 25214903917 + 11) % 2**64
    return WINDOW - (((advanced >> 32) * WINDOW) >> 32)


@pytest.fixture()
def package_copy(tmp_path) -> Path:
    """``tmp/src/embedlab``: a copy of the package under test, without compiled files."""
    copy = tmp_path / "src" / "embedlab"
    shutil.copytree(kernel_cache.PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _run(package: Path, cache: Path, script: str = RUN_KERNEL) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_CACHE")}
    env.update(PYTHONPATH=str(package.parent), EMBEDLAB_KERNEL_CACHE=str(cache))
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _compiled_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.suffix in (".nbi", ".nbc")]


def test_editing_an_inlined_dependency_recompiles_the_kernel(package_copy, tmp_path):
    cache = tmp_path / "kernels"
    first = _run(package_copy, cache)
    assert first["value"] == _expected_window()
    assert first["misses"] == 1

    again = _run(package_copy, cache)
    assert (again["value"], again["hits"], again["misses"]) == (first["value"], 1, 0)

    with open(package_copy / "corpus" / "random.py", "a", encoding="utf-8") as f:
        f.write(NEGATIVE_RANDINT)
    edited = _run(package_copy, cache)
    assert edited["value"] == 2 * WINDOW
    assert (edited["hits"], edited["misses"]) == (0, 1)


def test_cache_files_land_in_the_user_folder_under_the_source_key(package_copy, tmp_path):
    cache = tmp_path / "kernels"
    ran = _run(package_copy, cache)
    key = kernel_cache.source_key(package_copy)
    assert key.startswith(f"{embedlab.__version__}-")
    assert Path(ran["path"]) == cache / key / "corpus"
    names = {path.name.split("-")[0] for path in _compiled_files(cache / key / "corpus")}
    assert {"windows.reduced_window", "random.randint", "random.next_random"} <= names
    assert _compiled_files(package_copy) == []

    with open(package_copy / "corpus" / "random.py", "a", encoding="utf-8") as f:
        f.write(NEGATIVE_RANDINT)
    _run(package_copy, cache)
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [key, kernel_cache.source_key(package_copy)]
    )


def test_an_unusable_cache_folder_still_runs_the_kernels_correctly(package_copy, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the cache folder would go\n")
    ran = _run(package_copy, blocker / "kernels")
    assert ran["value"] == _expected_window()
    assert not Path(ran["path"]).is_relative_to(blocker)
    assert _compiled_files(package_copy) == []


def test_without_numbas_cache_api_kernels_run_uncached(package_copy, tmp_path):
    cache = tmp_path / "kernels"
    script = "import numba.core.caching\ndel numba.core.caching._CacheLocator\n" + RUN_KERNEL
    for _ in range(2):
        ran = _run(package_copy, cache, script)
        assert ran["value"] == _expected_window()
        assert (ran["hits"], ran["misses"], ran["path"]) == (0, 1, None)
    assert not cache.exists()
    assert _compiled_files(package_copy) == []


def _write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture()
def toy_package(tmp_path) -> Path:
    root = tmp_path / "embedlab"
    _write_package(
        root,
        {
            "__init__.py": "",
            "kernel.py": "from numba import njit\nfrom .helper import g\n",
            "helper.py": "from embedlab.constants import K\n\ndef g():\n    return K\n",
            "constants.py": "K = 3\n",
            "cli.py": "from embedlab.kernel import g\n",
            "nested/__init__.py": "from . import deep\n",
            "nested/deep.py": "import numba\nfrom ..more import h\n",
            "more.py": "def h():\n    pass\n",
            "unused.py": "X = 1\n",
        },
    )
    return root


def test_kernel_sources_are_the_numba_modules_and_what_they_import(toy_package):
    found = {
        path.relative_to(toy_package).as_posix()
        for path in kernel_cache.kernel_sources(toy_package)
    }
    assert found == {"kernel.py", "helper.py", "constants.py", "nested/deep.py", "more.py"}


def test_the_key_changes_with_a_kernel_source_and_only_with_one(toy_package):
    before = kernel_cache.source_key(toy_package)
    (toy_package / "unused.py").write_text("X = 2\n")
    (toy_package / "cli.py").write_text("print('edited')\n")
    assert kernel_cache.source_key(toy_package) == before
    (toy_package / "constants.py").write_text("K = 4\n")
    assert kernel_cache.source_key(toy_package) != before


def test_the_real_kernel_sources_cover_the_inlined_modules_and_skip_the_cli():
    found = {
        p.relative_to(kernel_cache.PACKAGE_ROOT).as_posix() for p in kernel_cache.kernel_sources()
    }
    inlined = {
        "corpus/random.py",
        "corpus/sampling.py",
        "corpus/windows.py",
        "methods/word2vec/objectives/__init__.py",  # the registry, read while compiling
        "methods/word2vec/objectives/base.py",
        "methods/word2vec/objectives/logistic.py",
        "methods/word2vec/objectives/negative.py",
        "methods/word2vec/skipgram.py",
    }
    assert inlined <= found
    assert not any(name.startswith(("cli/", "pictures/", "teach/")) for name in found)


def test_the_cache_root_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(kernel_cache.ENV_VAR, str(tmp_path / "mine"))
    assert kernel_cache.user_cache_root() == tmp_path / "mine"
    monkeypatch.delenv(kernel_cache.ENV_VAR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert kernel_cache.user_cache_root() == tmp_path / "xdg" / "embedlab" / "kernels"


def test_a_new_key_removes_the_folders_of_keys_unused_for_a_month(monkeypatch, tmp_path):
    monkeypatch.setenv(kernel_cache.ENV_VAR, str(tmp_path))
    month_and_a_day = (kernel_cache.UNUSED_DAYS + 1) * 86400
    stale, recent, other = "0.0.9-" + "a" * 16, "0.1.0-" + "b" * 16, "not-a-key"
    for name in (stale, recent, other):
        (tmp_path / name).mkdir()
    for name in (stale, other):
        old = (tmp_path / name).stat().st_mtime - month_and_a_day
        os.utime(tmp_path / name, (old, old))

    new = kernel_cache.cache_folder("0.1.0-" + "c" * 16)
    assert new == tmp_path / ("0.1.0-" + "c" * 16)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([new.name, recent, other])


def test_importing_embedlab_does_not_import_numba():
    done = subprocess.run(
        [sys.executable, "-c", "import sys, embedlab; print('numba' in sys.modules)"],
        env={**os.environ, "PYTHONPATH": str(kernel_cache.PACKAGE_ROOT.parent)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "False"
