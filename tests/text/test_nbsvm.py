"""NBSVM on one sparse view (:func:`pantau.text.training.nb_svm`)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix, vstack

from pantau.text.training import CLASSES, nb_ratio, nb_svm

# Columns: "bagus", "buruk", "jalan", "biasa".
GOOD, BAD, ROAD, PLAIN = range(4)
ROWS = {
    "positive": [[1, 0, 1, 0], [1, 0, 0, 0], [1, 0, 1, 1]],
    "negative": [[0, 1, 1, 0], [0, 1, 0, 0], [0, 1, 1, 1]],
    "neutral": [[0, 0, 1, 1], [0, 0, 0, 1], [0, 0, 1, 0]],
}


def _data(classes: list[str]) -> tuple[csr_matrix, np.ndarray]:
    rows = [r for name in classes for r in ROWS[name]]
    labels = [name for name in classes for _ in ROWS[name]]
    return csr_matrix(np.array(rows, dtype=np.float64)), np.array(labels)


def test_each_class_column_leans_on_the_words_only_that_class_uses() -> None:
    x, y = _data(CLASSES)
    coef, intercept = nb_svm(x, y, None, 1.0, CLASSES)
    assert coef.shape == (4, 3) and intercept.shape == (3,)
    neg, neu, pos = (CLASSES.index(c) for c in ("negative", "neutral", "positive"))
    assert coef[GOOD, pos] > 0 > coef[GOOD, neg]
    assert coef[BAD, neg] > 0 > coef[BAD, pos]
    assert coef[PLAIN, neu] > 0
    # Weights over the plain columns: the training texts come out as their own class.
    assert list(np.array(CLASSES)[(x @ coef + intercept).argmax(1)]) == list(y)


def test_two_classes_give_one_column_for_the_second_as_an_svm_does() -> None:
    x, y = _data(["negative", "positive"])
    coef, intercept = nb_svm(x, y, None, 1.0, ["negative", "positive"])
    assert coef.shape == (4, 1)
    decision = (x @ coef + intercept)[:, 0]
    assert (decision[y == "positive"] > 0).all() and (decision[y == "negative"] < 0).all()


def test_the_ratios_count_each_text_at_its_weight() -> None:
    # EmoT and the negation sentences train at 0.3: their words must count at 0.3 too. A text at
    # weight 0 leaves the ratios as they were without it; at weight 1 "jalan" leans positive.
    x, y = _data(CLASSES)
    extra = csr_matrix(np.array([[0, 0, 1, 0]], dtype=np.float64))
    xs, mine = vstack([x, extra]).tocsr(), np.r_[y == "positive", [True]]
    alone = nb_ratio(x, y == "positive", np.ones(len(y)))
    unweighted = nb_ratio(xs, mine, np.r_[np.ones(len(y)), [0.0]])
    np.testing.assert_allclose(unweighted, alone)
    counted = nb_ratio(xs, mine, np.ones(len(mine)))
    assert counted[ROAD] > alone[ROAD]
    assert alone[GOOD] > 0 > alone[BAD]


def test_a_missing_class_is_refused_by_name() -> None:
    x, y = _data(["negative", "positive"])
    with pytest.raises(ValueError, match="lacks a class"):
        nb_svm(x, y, None, 1.0, CLASSES)
