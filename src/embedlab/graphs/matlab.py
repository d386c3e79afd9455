"""One named matrix from a MATLAB ``.mat`` file, read in a child process.

``scipy.io.loadmat`` crashes the interpreter (a segfault in its compiled reader) on some damaged
files, e.g. a sparse matrix whose row-index element names an unknown data type. No exception
can be caught for that, so a child Python reads the file and hands the matrix back pickled; a
crash costs the child only and becomes one ``EmbedlabError`` line here.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

from embedlab.errors import EmbedlabError

#: What the child runs: it takes the parent's module path from argv (``-I`` gave it one
#: without the current folder, PYTHONPATH or user site), then ``_child`` reads the rest of
#: argv and writes its pickled answer to stdout.
_CHILD = (
    "import json, sys; sys.path[:] = json.loads(sys.argv.pop(1)); "
    "from embedlab.graphs.matlab import _child; _child()"
)


def read_mat_matrix(path: Path, names: tuple[str, ...], what: str):
    """The first of ``names`` that the ``.mat`` file ``path`` holds, as a SciPy CSR matrix
    (``what`` names it in messages)."""
    answer = _ask_child(path, names)
    if "value" in answer:
        return _numeric_matrix(answer["value"], path, what)
    if "error" in answer:
        raise EmbedlabError(
            f"{path} is not a readable MATLAB file ({answer['error']}): save it with "
            "scipy.io.savemat"
        )
    held = ", ".join(answer["held"]) or "nothing"
    raise EmbedlabError(
        f"{path} has no {what} named {', '.join(names)} (it holds {held}): save the matrix "
        f"under {'one of those names' if len(names) > 1 else 'that name'}"
    )


def _numeric_matrix(value, path: Path, what: str):
    import numpy as np
    import scipy.sparse as sp

    numeric = sp.issparse(value) or (
        isinstance(value, np.ndarray) and value.ndim == 2 and value.dtype.kind in "biuf"
    )
    if not numeric:
        raise EmbedlabError(
            f"{path}: the {what} is not a 2-D matrix of numbers: save a (sparse) numeric matrix"
        )
    return sp.csr_matrix(value)


def _child_path() -> list[str]:
    """This very package's folder first, then the parent's own module path (SciPy, NumPy) but
    for "" (the current folder, where a stray embedlab/ or scipy/ would shadow ours)."""
    package_root = str(Path(__file__).resolve().parents[2])
    return [package_root, *(entry for entry in sys.path if entry)]


def _ask_child(path: Path, names: tuple[str, ...]) -> dict:
    done = subprocess.run(
        [sys.executable, "-I", "-c", _CHILD, json.dumps(_child_path()), str(path), *names],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": f"the MATLAB reader stopped with exit status {done.returncode}"}
    return pickle.loads(done.stdout)  # our own child's answer, not the file's bytes


def _child() -> None:
    """In the child: ``argv`` is the path, then the names; the answer goes to stdout."""
    from scipy.io import loadmat, whosmat

    path, *names = sys.argv[1:]
    try:
        contents = loadmat(path, variable_names=names)
        found = next((name for name in names if name in contents), None)
        if found is not None:
            answer = {"value": contents[found]}
        else:
            answer = {"held": [name for name, _, _ in whosmat(path)]}
    except Exception as err:  # scipy raises many kinds for a foreign or damaged file
        answer = {"error": type(err).__name__}
    pickle.dump(answer, sys.stdout.buffer)
