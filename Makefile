# Tensorpad: `make run` runs a notebook, `make test` runs the tests.
# Each target installs the system packages it needs first (scripts/deps.sh).
SWIFT ?= swift
RELEASE := $(SWIFT) build -c release
BIN := .build/release
NOTEBOOK ?= Notebooks/01-conv-shapes.tpad

.PHONY: deps build run test bench clean

deps:
	@bash scripts/deps.sh

build: deps
	$(RELEASE) --product tensorpad

run: build
	$(BIN)/tensorpad run $(NOTEBOOK)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	$(RELEASE) --product tensorpad-bench
	$(BIN)/tensorpad-bench

clean:
	rm -rf .build
