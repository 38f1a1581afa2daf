"""One-call set-up for a course notebook: quiet TensorFlow, reproducible seeds, readable plots."""

from __future__ import annotations

import logging
import os
import warnings


def quiet_tensorflow() -> None:
    """Silence TensorFlow's C++ log banner and Python warnings; call before TensorFlow is imported."""
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
    warnings.filterwarnings("ignore", category=UserWarning, module="keras")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    # TensorFlow's Python logger (e.g. retracing warnings of model.predict); no TensorFlow import needed.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    import absl.logging

    absl.logging.set_verbosity(absl.logging.ERROR)


def set_seed(seed: int = 0) -> None:
    """Seed Python, NumPy and TensorFlow in one go (``keras.utils.set_random_seed``)."""
    import keras

    keras.utils.set_random_seed(seed)


def plot_style() -> None:
    """Apply the course's matplotlib style (readable sizes, light grid)."""
    import matplotlib as mpl

    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 10,
        }
    )


def setup_notebook(seed: int = 0, lang: str = "en") -> None:
    """Prepare a notebook: quiet TensorFlow, seed everything with ``seed``, set the plot style, and speak
    ``lang`` (``"fr"``: the course's messages and figures in French)."""
    from helpers.i18n import set_language

    set_language(lang)
    quiet_tensorflow()
    set_seed(seed)
    plot_style()
