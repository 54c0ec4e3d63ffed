#!/usr/bin/env bash
# Creates (or reuses) the Python venv of the PyMC-Marketing MMM anchor and installs benches/mmm/requirements.txt
# (pinned by constraints.txt) into it. The venv lives OUTSIDE the repo:
#   ${SOCIALLEDGER_PYMC_VENV:-$HOME/.cache/socialledger-pymc-venv}
#
# Idempotent and fast: when the venv exists, runs Python 3.12 and carries the stamp of the current
# requirements.txt + constraints.txt (and imports pymc_marketing and nutpie), it exits at once without asking
# the registry anything. Otherwise it (re)creates what is missing and runs pip; a fresh install downloads about
# 400 MB of wheels and takes 1-3 minutes.
#
# Interpreter for a new venv: $SOCIALLEDGER_PYMC_PYTHON if set, else `python3.12` under pyenv's 3.12.1
# (PYENV_VERSION=3.12.1), which is how this machine has 3.12.
#
# Usage: benches/mmm/setup-venv.sh        then: "$SOCIALLEDGER_PYMC_VENV/bin/python" benches/mmm/pymc_fit.py ...
# Prints the venv's python path on stdout as its last line (messages go to stderr).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${SOCIALLEDGER_PYMC_VENV:-$HOME/.cache/socialledger-pymc-venv}"
req="$here/requirements.txt"
con="$here/constraints.txt"
stamp_file="$venv/.socialledger-requirements.sha256"
stamp="$(cat "$req" "$con" | sha256sum | cut -d' ' -f1)"

venv_ok() {
    [[ -x "$venv/bin/python" ]] &&
        "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null
}

if venv_ok && [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]] &&
    "$venv/bin/python" -c 'import importlib.util as u, sys; sys.exit(not (u.find_spec("pymc_marketing") and u.find_spec("nutpie")))' \
        2>/dev/null; then
    echo "setup-venv: $venv is up to date" >&2
    echo "$venv/bin/python"
    exit 0
fi

if ! venv_ok; then
    if [[ -e "$venv" ]]; then
        echo "setup-venv: $venv exists but is not a Python 3.12 venv; recreating it" >&2
        rm -rf -- "$venv"
    fi
    if [[ -n "${SOCIALLEDGER_PYMC_PYTHON:-}" ]]; then
        "$SOCIALLEDGER_PYMC_PYTHON" -m venv "$venv"
    else
        PYENV_VERSION="${PYENV_VERSION:-3.12.1}" python3.12 -m venv "$venv"
    fi
    echo "setup-venv: created $venv ($("$venv/bin/python" --version))" >&2
fi

# pip >= 23.1 ships with 3.12.1's venv; upgrade it quietly (the pinned set resolves with either).
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$req"
"$venv/bin/python" -c 'import pymc_marketing, nutpie, pymc; print("setup-venv: pymc-marketing", pymc_marketing.__version__, "nutpie", nutpie.__version__, "pymc", pymc.__version__)' >&2
echo "$stamp" >"$stamp_file"
echo "$venv/bin/python"
