"""Regenerate docs/lectures.md by running the ``embedlab teach`` commands for real.

Usage (from the repository root)::

    PYTHONPATH=src python tools/build_lectures_doc.py

Every output block in the document is what the command printed in this run; every "the math
gives" number in a slip section is read from the command's ``--json`` output. Only the "the
slide says" numbers are typed here, copied from the notes (``shared/seeds``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "lectures.md"
PICTURES = ROOT / "docs" / "lectures"
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "gutenberg" / "shakespeare-hamlet.txt"


def run(*args: str) -> str:
    """Run ``embedlab ARGS`` in a fresh process; return stdout (fails loudly on an error)."""
    env = dict(os.environ, COLUMNS="110", PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    done = subprocess.run(
        [sys.executable, "-m", "embedlab", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"embedlab {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def run_json(*args: str):
    return json.loads(run(*args, "--json"))


def shell(args: tuple[str, ...]) -> str:
    return "embedlab " + " ".join(f'"{a}"' if " " in a else a for a in args)


def block(*args: str, head: int | None = None) -> str:
    """The command and its real output, as Markdown."""
    out = run(*args).rstrip("\n")
    if head is not None:
        lines = out.splitlines()
        if len(lines) > head:
            out = "\n".join(lines[:head] + ["…"])
    return f"```console\n$ {shell(args)}\n{out}\n```\n"


def slip(title: str, rows: list[tuple[str, str, str]], why: str) -> str:
    """A clearly marked slip: what the slide says against what the math gives."""
    cell = lambda text: text.replace("|", "\\|")  # noqa: E731  (|V| inside a table cell)
    table = "\n".join(
        f"| {cell(what)} | {cell(slide)} | **{cell(math)}** |" for what, slide, math in rows
    )
    return (
        f"> **Slip in the notes: {title}.**\n>\n"
        "> | quantity | the slide says | the math gives |\n> |---|---|---|\n"
        + "\n".join(f"> {line}" for line in table.splitlines())
        + f"\n>\n> {why}\n"
    )


def vec(values, digits: int = 3) -> str:
    return "(" + ", ".join(f"{v:.{digits}f}" for v in values) + ")"


def backprop_exercise() -> dict:
    """The Mannheim toy network (3 inputs, 2 sigmoid hidden, 2 sigmoid outputs, all weights 1,
    learning rate 1): one batch update of w^(2)_{1,2} and w^(1)_{2,2}. Not an embedlab
    command; computed here so the slip can show both numbers."""
    X = np.array([[-1.0, 0.0, 2.0], [2.0, 1.0, 1.0]])
    T = np.array([[0.0, 1.0], [1.0, 0.0]])
    W1 = np.ones((3, 2))
    W2 = np.ones((2, 2))
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    H = sig(X @ W1)
    Y = sig(H @ W2)
    delta = (T - Y) * Y * (1 - Y)
    grad_w2_12 = np.mean(delta[:, 1] * H[:, 0])
    grad_w1_22 = np.mean(H[:, 1] * (1 - H[:, 1]) * X[:, 1] * (delta @ W2[1]))
    return {"H": H, "Y": Y, "w2_12": 1 + grad_w2_12, "w1_22": 1 + grad_w1_22}


def section_windows() -> str:
    fox = "The quick brown fox jumped over the lazy dog"
    return (
        "## 1. Sliding windows: the training examples (notes 001, 003)\n\n"
        "Skip-gram with a window of 2 on the Mannheim sentence reproduces their table (windows "
        "1 to 4, then the part the slide elides):\n\n"
        + block("teach", "pairs", fox, "--window", "2", head=22)
        + '\nThe CS109B slides use "a window size (here 4)": two words on each side, which is '
        "`--window 2` here (words per side, as in word2vec). Around *by* and *a*:\n\n"
        + block(
            "teach",
            "pairs",
            "The dog was chased by a white cat as it was",
            "--window",
            "2",
            head=30,
        )
        + "\nTwo inputs, one output (the slides' table):\n\n"
        + block(
            "teach",
            "pairs",
            "Shivas was chased by a cat as",
            "--mode",
            "next-word",
            "--window",
            "2",
        )
        + "\n"
        + slip(
            "the 'CBOW' dataset table",
            [
                (
                    "second column of rows 1-2",
                    "was **hit** by / **hit** by a",
                    "was **chased** by / **chased** by a",
                )
            ],
            "The slide's sentence is 'Shivas was chased by a cat as'; 'hit' is not in it. The "
            "slide also calls this previous-two-words-predict-the-next table CBOW; word2vec's "
            "CBOW predicts the centre word from the words on *both* sides, which is this:",
        )
        + "\n"
        + block(
            "teach", "pairs", "Shivas was chased by a cat as", "--mode", "cbow", "--window", "1"
        )
        + "\nword2vec samples a smaller window for each position (`--dynamic`, the same "
        "generator the trainer uses, so a seed reproduces it):\n\n"
        + block("teach", "pairs", fox, "--window", "2", "--dynamic", "--seed", "1", head=16)
    )


def section_cosine() -> str:
    result = run_json("teach", "cosine")
    got = {r["name"]: r["cosine"] for r in result["similarities"]}
    return (
        "\n## 2. Cosine similarity: the personality example (notes 001)\n\n"
        "The Big-5 table's first column is Pavlos, then options A, B and C:\n\n"
        + block("teach", "cosine")
        + "\n"
        + slip(
            "the three cosine similarities",
            [
                ("most similar", "0.987", f"{got['C']:.3f} (C)"),
                ("second", "0.912", f"{got['A']:.3f} (A)"),
                ("third", "0.826", f"{got['B']:.3f} (B, right)"),
            ],
            "No pair of columns in the table has cosine 0.912; A and C are almost tied. Any "
            "vectors work: `embedlab teach cosine --vector me=1,2,3 --vector you=2,2,2`.",
        )
    )


def section_step() -> str:
    first = run_json("teach", "step")
    ctx = first["context_vectors"]
    later = run_json("teach", "step", "--toy", "vehicles-fruits-later")
    pos, neg = later["rows"]
    w = later["word_vectors"]["firetruck"]
    c = later["context_vectors"]
    return (
        "\n## 3. One negative-sampling update, by hand and by the trainer (notes 000)\n\n"
        "`teach step` calls the trainer's own `negative_sampling_update` with its trace switched "
        "on. Semantics are word2vec's: each context row changes at once, the focus word's change "
        "is summed over the positive and the negatives and applied after them. The notes' first "
        "update: focus *banana*, positive *lemon*, negative *firetruck*, α = 0.1, context "
        "vectors all zero:\n\n"
        + block(
            "teach",
            "step",
            "--focus",
            "banana",
            "--positive",
            "lemon",
            "--negative",
            "firetruck",
            "--alpha",
            "0.1",
        )
        + "\nEvery per-sample number on the slides is right (z = 0, σ(0) = 0.5, Δc_lemon = "
        "0.1·0.5·(0.046, 0.195) = (0.002, 0.010)). The table after the update is not:\n\n"
        + slip(
            "the context table after the first update",
            [
                ("lemon", "(0.005, 0.019)", vec(ctx["lemon"])),
                ("backhoe", "(-0.002, -0.010)", vec(ctx["backhoe"])),
                ("firetruck (right)", "(-0.002, -0.010)", vec(ctx["firetruck"])),
            ],
            "Lemon got its update twice on the slide, and backhoe, which took no part, got "
            "firetruck's. The slides also show stray 'α = 0.3', 'α = 0.7' and 'α = 0.15' "
            "headers; every computation on them uses α = 0.1.",
        )
        + '\nThe notes\' second update starts from their "much later" tables (`--toy '
        "vehicles-fruits-later`): focus *firetruck*, positive *backhoe*, negative *crane*:\n\n"
        + block("teach", "step", "--toy", "vehicles-fruits-later")
        + "\n"
        + slip(
            "the second update",
            [
                (
                    "z = w_firetruck·c_backhoe = -0.830·-0.984 + 0.094·-0.379",
                    "0.780",
                    f"{pos['z']:.3f} ({pos['z']:.6f})",
                ),
                (
                    "z = w_firetruck·c_crane = -0.830·-1.258 + 0.094·-0.188",
                    "1.025",
                    f"{neg['z']:.3f} ({neg['z']:.6f})",
                ),
                ("w_firetruck after", "(-0.833, 0.086)", vec(w)),
                ("c_backhoe after", "(-1.035, -0.373)", vec(c["backhoe"])),
                ("c_crane after", "(-1.196, -0.195)", vec(c["crane"])),
                ("c_lemon after (not in this update)", "(1.110, -0.083)", vec(c["lemon"])),
            ],
            f"E, Δw and Δc on the slides are right to 3 decimals (E = {pos['error']:.3f} and "
            f"{neg['error']:.3f}). The new firetruck is w + Δw_backhoe + Δw_crane = (-0.830, "
            "0.094) + (-0.031, -0.012) + (0.093, 0.014); backhoe moved by twice its Δc on the "
            "slide; lemon was not touched.",
        )
    )


def section_train_toy() -> str:
    PICTURES.mkdir(parents=True, exist_ok=True)
    picture = PICTURES / "train_toy.png"
    text = block("teach", "train-toy", "--epochs", "200", "-o", str(picture.relative_to(ROOT)))
    return (
        '\n## 4. "Much later": training the toy (notes 000)\n\n'
        'The notes do not show the corpus behind "much later". `teach train-toy` trains the '
        "real `SkipGram` estimator (one thread, seeded) from the notes' starting tables on a "
        "corpus in which vehicles only appear with vehicles and fruits with fruits "
        "(`embedlab.teach.toy_data.toy_sentences`), window 2, two negatives, constant α = 0.1. "
        "As on the slides, the vehicles end on one side and the fruits on the other, in both "
        "tables:\n\n"
        + text
        + "\n![word and context vectors taking shape](lectures/train_toy.png)\n\n"
        "The exact numbers differ from the slides' (their corpus, sampling and number of steps "
        "are unknown); the shape is the point.\n"
    )


def section_params() -> str:
    return (
        "\n## 5. How many parameters (notes 002, 003)\n\n"
        "Two d-vectors per word, 2·d·|V|; the Mannheim exercise has |V| = 101,425 and "
        "d = 300. One negative-sampling update touches (K + 2)·d numbers (notes 002's quick "
        "poll); one full-softmax update touches (|V| + 1)·d:\n\n"
        + block("teach", "params", "--vocab", "101425", "--dim", "300", "--negative", "5")
        + "\n"
        + slip(
            "the vectors in one negative-sampling loss",
            [
                (
                    "vectors counted in (K + 2)·d",
                    "u_t, v_t, v_c1, …, v_cK",
                    "u_t, v_c, v_c1, …, v_cK",
                )
            ],
            "The count (K + 2)·d is right; the list names the target's context vector v_t where "
            "the loss uses the observed context's v_c.",
        )
    )


def section_softmax() -> str:
    result = run_json("teach", "softmax-loss")
    exps = dict(zip(result["words"], result["exp_logits"], strict=True))
    return (
        "\n## 6. The full-softmax loss for Frodo → ring (notes 003)\n\n"
        "The probabilities and the loss come from the trainer's `full_softmax_update`:\n\n"
        + block("teach", "softmax-loss")
        + "\nThe logits match the notes to all four decimals. The sum does not:\n\n"
        + slip(
            "the cross-entropy loss",
            [
                (
                    "terms of Σ exp(logit)",
                    "2.49 + 1.81 + 3.58 + 2.59 + 2.10 (five)",
                    " + ".join(f"{exps[w]:.2f}" for w in result["words"]) + " (six)",
                ),
                ("ln Σ exp(logit)", "2.53", f"{result['log_sum_exp']:.2f}"),
                ("loss = −0.9265 + ln Σ", "1.60", f"{result['loss']:.2f}"),
            ],
            f"The slide leaves out ring's own term exp(0.9265) = {exps['ring']:.2f}; the "
            "softmax denominator sums over every word, the target included.",
        )
        + "\n"
        + slip(
            "which parameters a full-softmax update changes",
            [
                (
                    "rows of W' with gradient",
                    "every row but the source word's",
                    f"all {len(result['parameters_with_gradient']['W_prime']['rows'])} rows",
                )
            ],
            "Every context vector, the source's own included, is in the denominator, so each "
            "gets gradient (p_j − 1[j = target])·w_source; the source's row of W gets the rest.",
        )
    )


def section_gradcheck() -> str:
    return (
        "\n## 7. The gradients of SGNS and of the softmax (notes 002, Q2; notes 001)\n\n"
        "Three numbers for each gradient: the trainer's update run with α = 1 (so it is exactly "
        "minus the gradient), the notes' closed forms — (σ(u·v_c) − 1)v_c + Σσ(u·v_ci)v_ci, "
        "(σ(u·v_c) − 1)u and σ(u·v_cj)u; for the softmax −(u_o − Σ_j P(j|c)u_j) — and central "
        "finite differences of the loss. The notes' formulas are right:\n\n"
        + block("teach", "gradcheck", "--seed", "0")
    )


def section_pmi() -> str:
    return (
        "\n## 8. Co-occurrence, PMI and PPMI (notes 002)\n\n"
        "The I/like/dogs table (rows: targets, columns: contexts). PMI uses the natural log, "
        "as the notes' 0.18 and 0.65 do:\n\n"
        + block("teach", "pmi")
        + "\nln(6/5) = 0.18 and ln(48/25) = 0.65: the notes' PMI and PPMI tables are right.\n\n"
        + slip(
            "the 'if independent' joint table",
            [("p(dogs, I)", "1/2", "1/12 = 0.083 (10 of 120)")],
            "Only that one slide has 1/2; the table before and after it has 1/12.",
        )
        + "\nCounting a text with a window of 2 gives the increments the notes list for "
        '"I like cats and dogs"; `--k` adds the shifted PMI of section 9:\n\n'
        + block("teach", "pmi", "I like cats and dogs", "--window", "2", "--k", "2")
    )


def section_sgns_pmi() -> str:
    picture = PICTURES / "sgns_pmi.png"
    with tempfile.TemporaryDirectory() as tmp:
        # a copy outside shared/, so the command line in the document is short
        corpus = Path(tmp) / "hamlet.txt"
        corpus.write_bytes(CORPUS.read_bytes())
        args = (
            "teach",
            "sgns-pmi",
            str(corpus),
            "--dim",
            "100",
            "--epochs",
            "30",
            "--negative",
            "5",
            "-o",
            str(picture.relative_to(ROOT)),
        )
        text = block(*args).replace(str(corpus), "shakespeare-hamlet.txt")
    return (
        "\n## 9. Does SGNS factorize the shifted PMI matrix? (notes 003)\n\n"
        "The notes derive that at the optimum w·c = PMI(w, c) − ln k. `teach sgns-pmi` trains "
        "the real skip-gram in the derivation's setting (no subsampling, a fixed window, "
        "negatives drawn in proportion to counts: `--ns-exponent 1`) and compares, over the "
        "pairs seen at least 5 times. Here on *Hamlet* (Gutenberg, ~30k words):\n\n"
        + text
        + "\n![w·c against PMI − ln k](lectures/sgns_pmi.png)\n\n"
        "The correlation measures the claim; a slope a of 1 and an intercept b of 0 would be "
        "the derivation's optimum exactly. It treats each w·c as a free parameter, while a "
        "d-dimensional model shares vectors between pairs and training stops after a few "
        "epochs, so some gap remains.\n\n"
        + slip(
            "the derivation's notation",
            [
                ("Eq. 1, negative term", "log(−w_w·w_i)", "log σ(−w_w·w_i)"),
                (
                    "noise distribution",
                    '"uniform", P(c) = #(c)/|V|',
                    "unigram, P(c) = #(c)/|D| (|D| = corpus size)",
                ),
            ],
            "With #(c)/|V| the probabilities do not sum to 1; with |D| the optimum is "
            "ln(#(w,c)·|D| / (#(w)·#(c))) − ln k, the PMI shifted by ln k as the notes "
            "conclude.",
        )
    )


def section_backprop() -> str:
    got = backprop_exercise()
    return (
        "\n## 10. The backpropagation exercise (notes 003)\n\n"
        "Not an embedding command: this toy network is recomputed by "
        "`tools/build_lectures_doc.py` with NumPy so that its slip can be shown. Forward pass: "
        f"h = {vec(got['H'][0], 2)} and {vec(got['H'][1], 2)}, y = {vec(got['Y'][0], 2)} and "
        f"{vec(got['Y'][1], 2)}, as on the slides. The update of w⁽²⁾₁,₂ is right up to "
        f"rounding: the slide's 0.965 comes from its two-decimal intermediates, unrounded it is "
        f"{got['w2_12']:.4f}.\n\n"
        + slip(
            "the update of w⁽¹⁾₂,₂",
            [("w⁽¹⁾₂,₂ after one update", "0.99987", f"{got['w1_22']:.5f}")],
            "The slide writes the output deltas as (t − y)·y·(1 − **h**) — (1 − 0.98) where "
            "the rule it derived has (1 − y) = (1 − 0.88).",
        )
    )


HEADER = """# The lecture notes, computed

This walk through the lecture notes embedlab comes from runs every worked example with
`embedlab teach`. Every output below is real: the file is regenerated by
`PYTHONPATH=src python tools/build_lectures_doc.py`, which runs each command. The same functions
are in `embedlab.teach` for notebooks. Where a slide's arithmetic disagrees with the math, a
**Slip in the notes** box shows both numbers; the math wins.

Numbers are printed to the notes' precision (3 decimals, 4 for the softmax logits); add
`--digits N` for more, or `--json` for every digit.
"""


def main() -> None:
    sections = [
        section_windows,
        section_cosine,
        section_step,
        section_train_toy,
        section_params,
        section_softmax,
        section_gradcheck,
        section_pmi,
        section_sgns_pmi,
        section_backprop,
    ]
    text = HEADER + "\n" + "".join(s() for s in sections)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
