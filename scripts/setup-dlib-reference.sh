#!/usr/bin/env bash
# The PyPI dlib build (dlib-bin: no compiling) in a virtual environment under .build, out of git: the
# descriptor test compares gazetop's face descriptors with its compute_face_descriptor. Quiet when ready.
# usage: setup-dlib-reference.sh [VENV_DIR]   (default: .build/dlib-venv)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-.build/dlib-venv}
"$venv/bin/python" -c "import dlib, numpy" 2>/dev/null && exit 0
rm -rf "$venv"
echo "setting up the PyPI dlib build for the descriptor test in $venv"
if ! python3 -m venv "$venv" || ! "$venv/bin/pip" install -q "dlib-bin==20.0.1.post1" "numpy==2.4.6"; then
  rm -rf "$venv"   # no half-made environment that the next run would take for a ready one
  echo "could not set up $venv (python3 -m venv, then pip install dlib-bin numpy)" >&2
  exit 1
fi
