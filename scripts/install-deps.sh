#!/usr/bin/env bash
# Installs the Debian packages gazetop builds and tests with, if any is missing (through sudo when not
# root). Quiet when everything is there already. libopenblas0-pthread takes over libblas.so.3 and
# liblapack.so.3 (Debian's alternatives): dlib's face-recognition network runs 13 times faster on it than on
# the reference BLAS. Its pthread build, not the serial one: the serial build has no locks and gives wrong
# numbers when two threads call it at once (gazetop's vision runs on several); gazetop asks it for one
# thread per call (Sources/CVision/blas_guard.hpp), so it does not compete with the vision queues. qemu-user is for a test only: it runs the
# built binary as an older (x86-64-v2) processor would. chromium is for a test only too: the web page of
# `gazetop serve` in a real headless browser, its fake camera fed a shared clip (Tests/ServerTests/WebPageTests.swift).
# postgresql is for tests too: scripts/with-postgres.sh starts a throwaway server of it for `serve --store`
# (Debian's service, if the package starts one, is not used).
set -euo pipefail
packages=(libdlib-dev libdlib-data libopencv-dev libavformat-dev libavcodec-dev libavutil-dev libswscale-dev
          libv4l-dev libncursesw5-dev libblas-dev liblapack-dev
          libopenblas0-pthread pkg-config tmux python3 python3-pip python3-venv qemu-user
          chromium postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "gazetop needs these Debian packages, and this system has no apt-get: ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "installing ${missing[*]} needs root (no sudo found)" >&2; exit 1; }
  sudo=sudo
fi
echo "installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
