"""Layering: each layer imports only from the layers beneath it (read from the source)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "embedlab"

#: What each layer may import from embedlab besides itself.
BENEATH = {
    "errors": set(),
    "checks": {"errors"},
    "resources": {"errors"},
    "fileio": {"errors", "checks", "resources"},
    "arrays": {"errors", "checks", "resources", "fileio"},
    "limits": {"errors", "checks"},
    "progress": {"errors", "checks"},
    "corpus": {"errors", "checks", "limits", "fileio", "progress", "memory", "resources"},
    "vectors": {"errors", "checks", "limits", "fileio", "arrays", "progress", "corpus"},
    "graphs": {"errors", "checks", "limits", "fileio", "arrays", "resources", "progress", "corpus"},
    "evaluation": {
        "errors",
        "checks",
        "limits",
        "fileio",
        "resources",
        "progress",
        "corpus",
        "vectors",
        "graphs",
    },
    "query": {"errors", "checks", "fileio", "progress", "corpus", "vectors", "evaluation"},
    # the explorer serves the query layer and draws with pictures' projections (plain NumPy)
    "explore": {
        "errors",
        "checks",
        "fileio",
        "progress",
        "corpus",
        "vectors",
        "evaluation",
        "query",
        "pictures",
    },
}


def _imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name.split(".")[1] for name in names if name.startswith("embedlab.")}


def _files(layer: str) -> list[Path]:
    single = PACKAGE / f"{layer}.py"
    return [single] if single.exists() else sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(BENEATH))
def test_no_module_imports_upward(layer):
    files = _files(layer)
    assert files, f"no source for layer {layer}"
    for path in files:
        upward = _imported_layers(path) - BENEATH[layer] - {layer}
        assert not upward, f"{path.relative_to(PACKAGE)} imports {sorted(upward)}"


def test_the_scan_sees_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from embedlab.methods.params import Int\n")
    assert _imported_layers(bad) == {"methods"}
