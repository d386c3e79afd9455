"""The notes' slips: under the numbers at the terminal, in --json, and only for the notes' own
examples. Each "the math gives" number is recomputed here from the notes' inputs with numpy."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from embedlab.cli.app import main
from embedlab.teach import slips, toy_data
from embedlab.teach.backprop import INPUTS, TARGETS


def run_json(capsys, *args):
    code = main(["teach", *args, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def titles(result) -> list[str]:
    return [s["title"] for s in result["slips"]]


def computed(result, title: str) -> dict[str, str]:
    """quantity -> what the math gives, for the slip called ``title``."""
    slip = next(s for s in result["slips"] if s["title"] == title)
    return {r["quantity"]: r["computed"] for r in slip["rows"]}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


#: The commands that reproduce one of the notes' examples, with the slips each must carry.
NOTES_EXAMPLES = [
    (
        ["step"],
        {"the update equations as first written", "the context table after the first update"},
    ),
    (
        ["step", "--toy", "vehicles-fruits-later"],
        {"the second update's z values and c_crane", "the tables after the second update"},
    ),
    (["cosine"], {"the three cosine similarities"}),
    (
        ["pairs", "--mode", "next-word"],
        {"the sentence above the sliding-window tables", "the 'CBOW' dataset table"},
    ),
    (["pairs", toy_data.WHITE_CAT], {"'a window size (here 4)'"}),
    (["sigmoid"], {"the negative-sampling table's probabilities"}),
    (["pmi"], {"the 'if independent' joint table", "'PMI ∝ log #(w,c)|V| / (#(w)#(c))'"}),
    (
        ["params"],
        {
            "the parameters one full-softmax pair updates",
            "the negative-sampling loss's sum of expectations",
            "the vectors in one negative-sampling loss",
        },
    ),
    (["gradcheck", "--dim", "2", "--k", "1"], {"u and v in notes 001 and 002"}),
    (
        ["backprop"],
        {
            "the update of w⁽²⁾₁,₂",
            "the update of w⁽¹⁾₂,₂",
            "the sign of the square-error loss",
            "the derivation's indices",
            "the vectorised unit",
        },
    ),
    (
        ["softmax-loss"],
        {
            "the cross-entropy loss",
            "which parameters a full-softmax update changes",
            "'cosine similarity' for u_oᵀv_c",
        },
    ),
    (["pca"], {"PCA without centring"}),
]


@pytest.mark.parametrize("args, expected", NOTES_EXAMPLES)
def test_the_notes_examples_carry_their_slips_in_json_and_under_the_numbers(capsys, args, expected):
    result = run_json(capsys, *args)
    assert set(titles(result)) == expected
    assert main(["teach", *args]) == 0
    out = capsys.readouterr().out
    for slip in result["slips"]:
        # the terminal prints the same entry: heading, title, every value, and why
        assert f"{slip['heading']} ({slip['notes']}): {slip['title']}" in out
        flat = " ".join(out.split())
        for word in slip["why"].split()[:6]:
            assert word in flat
        assert slip["kind"] in slips.HEADINGS and slip["rows"] and slip["why"]


@pytest.mark.parametrize(
    "args",
    [
        ["step", "--alpha", "0.5"],
        ["step", "--negative", "apple"],
        ["step", "--steps", "2"],
        ["cosine", "--vector", "a=1,0", "--vector", "b=1,1"],
        ["pairs", "a b c d"],
        ["sigmoid", "--scores", "1,2"],
        ["pmi", "I like cats and dogs"],
        ["softmax-loss", "--source", "ring"],
        ["backprop", "--learning-rate", "0.5"],
    ],
)
def test_other_inputs_have_no_slips(capsys, args):
    assert run_json(capsys, *args)["slips"] == []
    assert main(["teach", *args]) == 0
    assert "Slip in the notes" not in capsys.readouterr().out


def test_first_update_slip_numbers_by_hand(capsys):
    result = run_json(capsys, "step")
    # lemon, the positive: Δc = α (1 − σ(0)) w_banana; firetruck: α (0 − σ(0)) w_banana
    w = toy_data.TOY_WORD_VECTORS[toy_data.TOY_WORDS.index("banana")]
    got = computed(result, "the context table after the first update")
    assert got["c_lemon"] == "({:.3f}, {:.3f})".format(*(0.1 * 0.5 * w))
    assert got["c_firetruck (right)"] == "({:.3f}, {:.3f})".format(*(-0.1 * 0.5 * w))
    assert got["c_backhoe"] == "(0.000, 0.000)"


def test_second_update_slip_numbers_by_hand(capsys):
    result = run_json(capsys, "step", "--toy", "vehicles-fruits-later")
    words = list(toy_data.TOY_WORDS)
    W, C = toy_data.LATER_WORD_VECTORS, toy_data.LATER_CONTEXT_VECTORS
    w = W[words.index("firetruck")]
    pos, neg = C[words.index("backhoe")], C[words.index("crane")]
    new_w = w + 0.1 * (1 - sigmoid(w @ pos)) * pos + 0.1 * (0 - sigmoid(w @ neg)) * neg
    got = computed(result, "the tables after the second update")
    assert got["w_firetruck after"] == "({:.3f}, {:.3f})".format(*new_w)
    rounding = computed(result, "the second update's z values and c_crane")
    assert rounding["z = w_firetruck·c_backhoe"].startswith(f"{w @ pos:.6f}; ")
    # the slide's 0.780 lies inside the range its rounded inputs allow
    low, high = map(float, rounding["z = w_firetruck·c_backhoe"].split("; ")[1].split(" to "))
    assert low <= 0.780 <= high


def test_softmax_slip_numbers_by_hand(capsys):
    result = run_json(capsys, "softmax-loss")
    W, Wp = toy_data.SOFTMAX_W, toy_data.SOFTMAX_W_PRIME
    words = list(toy_data.SOFTMAX_WORDS)
    logits = Wp @ W[words.index("Frodo")]
    ring = words.index("ring")
    got = computed(result, "the cross-entropy loss")
    assert got["ln Σ exp(logit)"] == f"{np.log(np.exp(logits).sum()):.2f}"
    assert got["loss = −0.9265 + ln Σ"] == f"{np.log(np.exp(logits).sum()) - logits[ring]:.2f}"
    cosine = logits[ring] / (np.linalg.norm(W[1]) * np.linalg.norm(Wp[ring]))
    assert computed(result, "'cosine similarity' for u_oᵀv_c")["Frodo → ring here"] == (
        f"dot {logits[ring]:.4f}, cosine {cosine:.4f}"
    )


def test_backprop_slip_numbers_by_hand(capsys):
    result = run_json(capsys, "backprop")
    h = sigmoid(INPUTS @ np.ones((3, 2)))
    y = sigmoid(h @ np.ones((2, 2)))
    delta = (TARGETS - y) * y * (1 - y)
    # dL/dw1_22 = −(1/N) Σ_e h2(1 − h2) x2 Σ_l δ_l w_{2,l}; the slide's Σ_{l=2}^{2} keeps l = 2
    both = -np.mean(h[:, 1] * (1 - h[:, 1]) * INPUTS[:, 1] * delta.sum(axis=1))
    only_2 = -np.mean(h[:, 1] * (1 - h[:, 1]) * INPUTS[:, 1] * delta[:, 1])
    got = computed(result, "the derivation's indices")["the sum over outputs in ∂L/∂w⁽¹⁾₂,₂"]
    assert f"gives {only_2:.6f}, not {both:.6f}" in got
    np.testing.assert_allclose(result["deltas"], delta)
    # the slide's own arithmetic with two-decimal h and y gives its 0.965
    rounded = computed(result, "the update of w⁽²⁾₁,₂")["w⁽²⁾₁,₂ after"].split("; ")[1]
    assert round(float(rounded), 3) == 0.965


def test_params_and_sigmoid_and_pca_slip_numbers_by_hand(capsys):
    result = run_json(capsys, "params", "--vocab", "10", "--dim", "3", "--negative", "2")
    got = computed(result, "the parameters one full-softmax pair updates")
    assert got["for one pair (t, c)"] == "(|V| + 1)d = 33"  # u_t and all 10 context vectors
    assert "2d|V| = 60" in str(result["slips"])
    got = computed(run_json(capsys, "sigmoid"), "the negative-sampling table's probabilities")
    flipped = 1 - sigmoid(np.array([-1.11, 0.74]))
    assert got["P(label 0) for bigfoot, zomato"] == "1 − σ(z) = {:.2f}, {:.2f}".format(*flipped)
    X = toy_data.SOFTMAX_W
    centred = X - X.mean(axis=0)
    first = np.linalg.eigh(centred.T @ centred)[1][:, -1]
    mean = X.mean(axis=0)
    got = computed(run_json(capsys, "pca"), "PCA without centring")
    assert got["|cosine| with the mean row"] == f"{abs(first @ mean) / np.linalg.norm(mean):.3f}"


def test_slip_dict_shape():
    slip = slips.Slip("not a slip", "001", "t", (("q", "s", "c"),), "why").as_dict()
    assert slip == {
        "kind": "not a slip",
        "heading": "Not a slip",
        "notes": "001",
        "title": "t",
        "columns": ["quantity", "the slide says", "the math gives"],
        "rows": [{"quantity": "q", "slide": "s", "computed": "c"}],
        "why": "why",
    }


def test_a_math_gives_value_never_comes_from_the_slide():
    """Guard against a builder that types a computed value: the first update's slip follows
    the tables it is given."""
    result = {
        "context_vectors": {"lemon": [1.0, 2.0], "backhoe": [0.0, 0.0], "firetruck": [3.0, math.pi]}
    }
    (_, table) = slips.step("vehicles-fruits", result)
    assert dict((q, c) for q, _, c in table.rows)["c_lemon"] == "(1.000, 2.000)"
