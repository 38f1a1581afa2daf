"""07_quiz: multiple-choice questions on the chapter (q1 is the chapter's own question)."""

from cells import answer_lines, code, hidden_test, make_notebook, md, test

OPTIONS = "abcd"

# (question, options a-d, right letter). The right letters live only in the hidden test cells.
QUESTIONS = [
    (
        "Which of the following statements about regularization and normalization techniques in neural "
        "networks is true, according to the text?",
        [
            "L2 regularization drives many weights to exactly zero, which makes the model sparse.",
            "Dropout permanently removes a fixed set of neurons from the network to make it smaller.",
            "Batch normalization normalizes the activations inside the network, which stabilizes training "
            "and can reduce the number of epochs needed.",
            "In Keras a penalty can only be applied to a layer's weight matrix, never to its bias or outputs.",
        ],
        "c",
    ),
    (
        "What does an L1 (Lasso) penalty on a layer's weights tend to do?",
        [
            "It makes all the weights equal.",
            "It drives many weights to exactly zero, giving a sparse model.",
            "It makes the weights larger, which speeds up training.",
            "It only changes the layer's outputs, never its weights.",
        ],
        "b",
    ),
    (
        "Compared with L1, what does an L2 (Ridge) penalty tend to do to the weights?",
        [
            "It sets most of them to exactly zero.",
            "It only penalizes the biases.",
            "It increases their magnitude.",
            "It keeps them small, but rarely exactly zero.",
        ],
        "d",
    ),
    (
        "A model contains `layers.Dropout(rate=0.5)`. What does that layer do when you call `model.predict(x)`?",
        [
            "Nothing: dropout is only active during training, so every unit is used.",
            "It sets half of the units' outputs to zero at random, as during training.",
            "It multiplies every output by 0.5.",
            "It sets the same half of the units' outputs to zero at every call.",
        ],
        "a",
    ),
    (
        "In `layers.Dropout(rate=0.2)`, what is 0.2?",
        [
            "The fraction of the units that are kept at each training step.",
            "The learning rate used for the layer before it.",
            "The probability that each unit's output is set to zero at a training step.",
            "The factor of an L2 penalty on the layer before it.",
        ],
        "c",
    ),
    (
        "In `Dense(64, kernel_regularizer=regularizers.l2(0.01), activity_regularizer=regularizers.l1(0.001))`, "
        "what does the activity regularizer penalize?",
        [
            "The layer's weight matrix.",
            "The layer's outputs (its activations).",
            "The layer's bias vector.",
            "The optimizer's learning rate.",
        ],
        "b",
    ),
    (
        "Which Keras construct applies an Elastic Net penalty (L1 and L2 together) to a layer's weights?",
        [
            "`kernel_regularizer=regularizers.l2(0.01)` written twice.",
            "`Dropout(0.5)` followed by `BatchNormalization()`.",
            "`kernel_regularizer=regularizers.OrthogonalRegularizer()`.",
            "`kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)`.",
        ],
        "d",
    ),
    (
        "Which statement about a `BatchNormalization()` layer is true?",
        [
            "During training it normalizes each feature with the mean and variance of the current batch; "
            "at inference it uses moving averages of those statistics collected during training.",
            "It makes a validation set unnecessary.",
            "It normalizes the input data once, before training starts, and does nothing afterwards.",
            "It is a weight penalty added to the loss, like L2.",
        ],
        "a",
    ),
    (
        "After 60 epochs a model has a training accuracy of 0.99 and a validation accuracy of 0.80, and its "
        "validation loss has been rising since epoch 15. What is the best reading and response?",
        [
            "It underfits: make the network larger and train longer.",
            "It fits well: the gap between training and validation accuracy is expected.",
            "It overfits: add regularization (a penalty, dropout) or stop training near epoch 15.",
            "The validation data must be wrong, because training accuracy is high.",
        ],
        "c",
    ),
]

FORMAT_POINTS = 0.5
ANSWER_POINTS = 1.5


def _question_cells(number, question, options, right):
    """The markdown, answer, visible and hidden test cells of one question."""
    name = f"q{number}"
    listing = "\n".join(f"- **{letter}.** {text}" for letter, text in zip(OPTIONS, options, strict=True))
    return [
        md(f"question-{number}", f"### Question {number}\n\n{question}\n\n{listing}"),
        answer_lines(
            name,
            f'# Your answer to question {number}: one letter as a string, e.g. {name} = "a"',
            f'{name} = "{right}"',
        ),
        test(
            f"test_{name}",
            FORMAT_POINTS,
            f"Visible test of {name}: one letter among a, b, c, d (the answer itself is checked at grading).",
            f"""
            from helpers.grading import check_quiz_format

            assert check_quiz_format(globals().get("{name}"), "{name}", "{OPTIONS}")
            """,
        ),
        hidden_test(
            f"test_{name}_hidden",
            ANSWER_POINTS,
            f"Hidden test of {name}: the answer.",
            f"""
            assert grading.check_quiz_answer(globals().get("{name}"), "{name}", "{OPTIONS}", "{right}")
            """,
        ),
    ]


def notebook_cells():
    """The cells of the notebook, in order."""
    cells = [
        md(
            "title",
            f"""
            # Exercise 7: Quiz

            {len(QUESTIONS)} multiple-choice questions on the whole chapter. For each question, set the variable
            in the answer cell (`q1`, `q2`, ...) to the letter of the **one** true statement, as a string:
            `q1 = "b"`. Upper or lower case and surrounding spaces do not matter. The test cell below each answer
            only checks that your answer is one of the letters; the answers themselves are checked when the
            quiz is graded ({FORMAT_POINTS:g} point for the format, {ANSWER_POINTS:g} for the right answer).
            """,
        ),
        code(
            "setup",
            """
            from helpers.setup import setup_notebook

            setup_notebook(seed=0)
            """,
        ),
    ]
    for number, (question, options, right) in enumerate(QUESTIONS, start=1):
        cells += _question_cells(number, question, options, right)
    return cells


def notebook():
    """The notebook object."""
    return make_notebook(notebook_cells())
