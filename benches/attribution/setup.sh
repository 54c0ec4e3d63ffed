#!/usr/bin/env bash
# Creates benches/.venv (gitignored) with ChannelAttribution 2.2.5 and the packages it imports (pandas,
# matplotlib), plus numpy for the independent truth of the Markov world. Idempotent: a venv that already imports
# ChannelAttribution 2.2.5 is left as it is. ChannelAttribution ships as an sdist with a C++ core, so the first
# install compiles it (needs g++; a few minutes on 2 cores).
#
# Usage: benches/attribution/setup.sh            (PYTHON=python3.11 to pick the interpreter)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/../.venv"
python="${PYTHON:-python3}"

if [[ -x "$venv/bin/python" ]] &&
    "$venv/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("channelattribution") != "2.2.5")' \
        2>/dev/null &&
    "$venv/bin/python" -c 'import ChannelAttribution, pandas, numpy' >/dev/null 2>&1; then
    echo "setup: $venv already has channelattribution 2.2.5" >&2
    exit 0
fi

"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip setuptools wheel
# numpy and Cython first: the sdist's build imports them.
"$venv/bin/python" -m pip install --quiet numpy Cython pandas matplotlib
"$venv/bin/python" -m pip install channelattribution==2.2.5
"$venv/bin/python" -c 'import ChannelAttribution, importlib.metadata as m; print("setup: channelattribution", m.version("channelattribution"))'
