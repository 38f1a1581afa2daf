#!/usr/bin/env bash
# Create .venv (if missing) and install the pinned course stack into it.
# Used by `make lab` and `make test`; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python - <<'PY'
import sys
if sys.version_info[:2] != (3, 11):
    sys.exit(f"The course is pinned for Python 3.11; .venv has {sys.version.split()[0]}. "
             "Remove .venv and run again with PYTHON=python3.11.")
PY
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
.venv/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
# A python3 kernel that starts TensorFlow quietly (no log banner in any notebook) and always draws figures
# inline, whatever MPLBACKEND the process that starts it has.
.venv/bin/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (course)" \
    --env TF_CPP_MIN_LOG_LEVEL 2 --env TF_ENABLE_ONEDNN_OPTS 0 --env PYTHONHASHSEED 0 \
    --env MPLBACKEND module://matplotlib_inline.backend_inline >/dev/null
# Lab settings for learners: no news or update prompts.
mkdir -p .venv/share/jupyter/lab/settings
cp lab/overrides.json .venv/share/jupyter/lab/settings/overrides.json
echo "Course environment ready in .venv"
