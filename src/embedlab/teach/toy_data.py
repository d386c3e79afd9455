"""The lecture notes' example inputs, transcribed as given (outputs are always computed).

Sources (``shared/seeds`` in the project history):
``000``: the vehicles/fruits skip-gram toy (Boyd-Graber, "Update Examples");
``001``: the sliding-window sentences and the Big-5 personality example (CS109B);
``002``: the "I like cats and dogs" window and the I/like/dogs co-occurrence table (COS 484);
``003``: "The quick brown fox ..." and the six-word full-softmax example (Mannheim, Ex. 02).
"""

from __future__ import annotations

import numpy as np

#: The vehicles/fruits vocabulary, in the notes' (alphabetical) table order.
TOY_WORDS = (
    "ambulance",
    "apple",
    "backhoe",
    "banana",
    "crane",
    "firetruck",
    "lemon",
    "strawberry",
)

#: Which kind each toy word is (the notes' "two types of words").
TOY_KINDS = {
    "ambulance": "vehicle",
    "apple": "fruit",
    "backhoe": "vehicle",
    "banana": "fruit",
    "crane": "vehicle",
    "firetruck": "vehicle",
    "lemon": "fruit",
    "strawberry": "fruit",
}

#: The notes' two-dimensional starting word vectors (rows aligned with ``TOY_WORDS``); the
#: context vectors start at zero.
TOY_WORD_VECTORS = np.array(
    [
        [-0.228, 0.099],
        [0.078, 0.217],
        [-0.086, 0.138],
        [0.046, 0.195],
        [-0.220, 0.153],
        [0.039, -0.047],
        [0.008, -0.043],
        [0.202, -0.081],
    ]
)

#: The notes' "much later" tables, the starting point of their second worked update.
LATER_WORD_VECTORS = np.array(
    [
        [-0.906, 0.107],
        [0.992, 0.780],
        [-0.902, 0.459],
        [1.286, 0.573],
        [-1.119, 0.399],
        [-0.830, 0.094],
        [0.750, -0.289],
        [1.174, -0.379],
    ]
)
LATER_CONTEXT_VECTORS = np.array(
    [
        [-0.927, -0.090],
        [0.973, -0.923],
        [-0.984, -0.379],
        [0.634, -0.486],
        [-1.258, -0.188],
        [-1.224, -0.060],
        [1.087, -0.081],
        [1.054, 0.410],
    ]
)

#: The notes' learning rate for both worked updates (the slides also show stray "alpha = 0.3"
#: and "alpha = 0.7" headers; every computation on them uses 0.1).
TOY_ALPHA = 0.1

#: The notes' two worked updates: (focus, positive, negatives) for each starting table.
NOTES_UPDATES = {
    "vehicles-fruits": ("banana", "lemon", ("firetruck",)),
    "vehicles-fruits-later": ("firetruck", "backhoe", ("crane",)),
}


def toy_sentences() -> list[list[str]]:
    """A tiny corpus in which vehicles only meet vehicles and fruits only meet fruits.

    The notes train the toy "much later" without showing its corpus; this one has the property
    they rely on. Each kind's four words appear in every rotation and both directions, so every
    within-kind pair co-occurs equally often.
    """
    sentences = []
    for kind in ("vehicle", "fruit"):
        words = [w for w in TOY_WORDS if TOY_KINDS[w] == kind]
        for shift in range(len(words)):
            rotated = words[shift:] + words[:shift]
            sentences.append(rotated)
            sentences.append(rotated[::-1])
    return sentences


#: The six-word full-softmax example: vocabulary, centre matrix W and context matrix W'.
SOFTMAX_WORDS = ("Daenerys", "Frodo", "ring", "dragon", "Picard", "ship")
SOFTMAX_W = np.array(
    [
        [0.54, 0.25, 0.07],
        [0.91, 0.74, 0.27],
        [0.58, 0.00, 0.05],
        [0.16, 0.77, 0.31],
        [0.10, 0.54, 0.32],
        [0.59, 0.99, 0.06],
    ]
)
SOFTMAX_W_PRIME = np.array(
    [
        [0.19, 0.64, 0.98],
        [0.17, 0.42, 0.47],
        [0.55, 0.24, 0.92],
        [0.89, 0.58, 0.13],
        [0.31, 0.73, 0.48],
        [0.49, 0.20, 0.54],
    ]
)
SOFTMAX_SOURCE = "Frodo"
SOFTMAX_TARGET = "ring"

#: The I/like/dogs co-occurrence counts (rows: target, columns: context).
COOCCURRENCE_WORDS = ("I", "like", "dogs")
COOCCURRENCE_COUNTS = np.array(
    [
        [0, 10, 10],
        [10, 0, 40],
        [10, 40, 0],
    ]
)

#: Notes 001's one-hot vectors: "cat" and "dog" in a vocabulary of eight (the other six words
#: are not named on the slide).
ONEHOT_VOCAB_SIZE = 8
ONEHOT_WORDS = {"cat": 2, "dog": 5}

#: The Big-5 personality scores; column 0 is Pavlos, then options A, B, C.
PERSONALITY_TRAITS = (
    "extroversion",
    "emotional stability",
    "agreeableness",
    "conscientiousness",
    "imagination",
)
PERSONALITY_PEOPLE = ("Pavlos", "A", "B", "C")
PERSONALITY_SCORES = np.array(
    [
        [97, 70, 88, 67],
        [98, 74, 13, 87],
        [73, 62, 51, 56],
        [88, 46, 22, 89],
        [76, 68, 93, 80],
    ]
)

#: The notes' example sentences for sliding windows.
QUICK_FOX = "The quick brown fox jumped over the lazy dog"
WHITE_CAT = "The dog was chased by a white cat as it was"
SHIVAS = "Shivas was chased by a cat as"
LIKE_CATS = "I like cats and dogs"

#: The notes' skip-gram parameter-count question (Mannheim Ex. 02, "101.425" words, d = 300).
PARAMS_VOCAB = 101_425
PARAMS_DIM = 300

#: Notes 004 gives its encoders no worked example, so their lessons read a toy text of our own
#: built on note 000's words: vehicles and fruits, each in sentences with words of its kind
#: only, so that same-kind words share contexts (a sentence per line, punctuation dropped).
ENCODER_TEXT = """\
drive the ambulance to the hospital
the ambulance siren wails on the road
drive the backhoe to the site
the backhoe digs a trench on the site
drive the crane to the site
the crane lifts steel on the road
drive the firetruck to the fire
the firetruck siren wails on the road
eat a ripe apple for lunch
peel the sweet apple with a knife
eat a ripe banana for lunch
peel the sweet banana with a knife
eat a sour lemon for lunch
squeeze the sour lemon with a knife
eat a ripe strawberry for lunch
slice the sweet strawberry with a knife
"""
