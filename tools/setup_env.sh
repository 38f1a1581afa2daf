#!/usr/bin/env bash
# Create the course venv (if missing) and install into it the pinned stack of its Python, requirements-py3.X.lock.
# Used by `make lab`, `make test` and `make smoke`; safe to run again.
#   VENV=dir         where the venv lives (default .venv)
#   PYTHON=command   the interpreter of a new venv (default: the newest supported Python on PATH that runs)
# `tools/setup_env.sh --python` prints the interpreter it would use and `--check` fails if an existing venv has
# another Python than PYTHON asks for (both for the Makefile); both print why and how to choose when they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
# Supported Pythons, newest first: one requirements-py<version>.lock each (`make lock PYTHON=python<version>`).
SUPPORTED=(3.13 3.12 3.11)
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-}
LIST="3.11, 3.12 and 3.13"
HOW="choose one with PYTHON, e.g. \`make test PYTHON=python3.12\` (a command on PATH or a path to the interpreter)"

version_of() {  # "3.X" of an interpreter that runs
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

# The real interpreter behind a command name or path. A pyenv shim answers `command -v` for every installed
# version but exits 127 unless that version is selected: for one named on purpose (PYTHON=python3.12), ask pyenv.
resolve() {
    local exe path name
    if exe=$("$1" -c 'import sys; print(sys.executable)' 2>/dev/null) && [ -n "$exe" ]; then
        echo "$exe"
        return 0
    fi
    [ "${2:-}" = pyenv ] || return 1
    path=$(command -v "$1" 2>/dev/null) || return 1
    name=${path##*/}
    [[ $path == */shims/* && $name =~ ^python(3\.[0-9]+)$ ]] && command -v pyenv >/dev/null || return 1
    path="$(pyenv prefix "${BASH_REMATCH[1]}" 2>/dev/null)/bin/$name" || return 1
    exe=$("$path" -c 'import sys; print(sys.executable)' 2>/dev/null) && [ -n "$exe" ] && echo "$exe"
}

supported() {
    local v
    for v in "${SUPPORTED[@]}"; do [ "$v" = "$1" ] && return 0; done
    return 1
}

# The interpreter for a new venv: PYTHON if given (and supported), else the newest supported one on PATH that runs.
choose_python() {
    local exe v
    if [ -n "$PYTHON" ]; then
        if ! exe=$(resolve "$PYTHON" pyenv); then
            echo "PYTHON=$PYTHON does not run here. The course supports Python $LIST: $HOW." >&2
            return 1
        fi
        v=$(version_of "$exe")
        if ! supported "$v"; then
            echo "PYTHON=$PYTHON is Python $v, which the course does not support: it is locked for Python $LIST;" \
                 "$HOW." >&2
            return 1
        fi
        echo "$exe"
        return 0
    fi
    for v in "${SUPPORTED[@]}"; do
        if exe=$(resolve "python$v"); then
            echo "$exe"
            return 0
        fi
    done
    echo "No supported Python on PATH: the course needs Python $LIST (python3.13, python3.12 or python3.11)." >&2
    if command -v pyenv >/dev/null && installed=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[123]\.' | tr '\n' ' ') \
        && [ -n "$installed" ]; then
        echo "pyenv has ${installed% }, not selected here: $HOW, or select one with \`pyenv shell\`." >&2
    else
        echo "Install one (python.org, your package manager, pyenv or conda), or $HOW." >&2
    fi
    return 1
}

# An existing venv keeps its Python: asking for another one is an error, not a silent rebuild.
check_venv() {
    local have want exe
    [ -x "$VENV/bin/python" ] || return 0
    have=$(version_of "$VENV/bin/python") || have=unknown
    if ! supported "$have"; then
        echo "$VENV has Python $have, which the course does not support (it is locked for Python $LIST)." \
             "Remove $VENV and run again; $HOW." >&2
        return 1
    fi
    if [ -n "$PYTHON" ]; then
        exe=$(choose_python) || return 1
        want=$(version_of "$exe")
        if [ "$want" != "$have" ]; then
            echo "$VENV has Python $have but PYTHON=$PYTHON is Python $want: remove $VENV (\`rm -rf $VENV\`)" \
                 "to rebuild it with $want, or keep it and leave PYTHON out." >&2
            return 1
        fi
    fi
}

case "${1:-}" in
    --python) choose_python; exit ;;
    --check) check_venv; exit ;;
    "") ;;
    *) echo "usage: tools/setup_env.sh [--python | --check]" >&2; exit 2 ;;
esac

check_venv
if [ ! -x "$VENV/bin/python" ]; then
    exe=$(choose_python)
    echo "Creating $VENV with Python $(version_of "$exe") ($exe)"
    "$exe" -m venv "$VENV"
fi
version=$(version_of "$VENV/bin/python")
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "requirements-py$version.lock"
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
# A python3 kernel that starts TensorFlow quietly (no log banner in any notebook) and always draws figures
# inline, whatever MPLBACKEND the process that starts it has.
"$VENV/bin/python" -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (course)" \
    --env TF_CPP_MIN_LOG_LEVEL 2 --env TF_ENABLE_ONEDNN_OPTS 0 --env PYTHONHASHSEED 0 \
    --env MPLBACKEND module://matplotlib_inline.backend_inline >/dev/null
# Lab settings for learners: no news or update prompts.
mkdir -p "$VENV/share/jupyter/lab/settings"
cp lab/overrides.json "$VENV/share/jupyter/lab/settings/overrides.json"
echo "Course environment ready in $VENV (Python $version, requirements-py$version.lock)"
