# Tensorpad: `make run` runs a notebook, `make test` runs the tests,
# `make install` puts tensorpad on PATH (PREFIX=~/.local; PREFIX=/usr/local with sudo).
# Each target installs the system packages it needs first (scripts/deps.sh).
SWIFT ?= swift
# The Swift runtime and Foundation linked statically: no dynamic loading and relocation of
# their shared libraries at start (`tensorpad -c 'print(1)'`: 28 MiB and 15-20 ms, against
# 33 MiB and 25-30 ms linked dynamically).
RELEASE := $(SWIFT) build -c release --static-swift-stdlib
BIN := .build/release
NOTEBOOK ?= Notebooks/01-conv-shapes.tpad
PREFIX ?= $(HOME)/.local

.PHONY: deps build run test test-venv test-pytorch test-avx512 kernel-latency bench bench-deps clean install uninstall fuzz test-asan test-tsan

deps:
	@bash scripts/deps.sh

build: deps
	$(RELEASE) --product tensorpad

run: build
	$(BIN)/tensorpad run $(NOTEBOOK)

# The binary and bash/zsh/fish completion scripts (scripts/install.sh).
install: build
	bash scripts/install.sh $(BIN)/tensorpad $(PREFIX)

uninstall:
	bash scripts/install.sh --uninstall $(PREFIX)

test: deps test-venv test-avx512
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The conv kernels' AVX-512F builds (the direct kernels, the row Winograd, Winograd's products),
# which the machine may not have, run under BochsCPU (x86-64 emulation with AVX-512, from PyPI into
# .venv-avx512, not in git) and checked against the definition (scripts/avx512/).
AVX512_VENV := .venv-avx512

test-avx512: deps $(AVX512_VENV)/.installed
	bash scripts/avx512/run.sh $(AVX512_VENV)

$(AVX512_VENV)/.installed:
	python3 -m venv $(AVX512_VENV)
	$(AVX512_VENV)/bin/pip install -q "bochscpu-python==0.4.0"
	touch $@

# libFuzzer + AddressSanitizer over the parser, the interpreter, every file loader and the
# Jupyter wire decoder, SECONDS per target, one target at a time (docs/fuzzing.md).
# Corpora, crashes and logs go to fuzz-out/ (not in git); the build to .build-fuzz.
SECONDS ?= 60
fuzz: deps
	bash scripts/fuzz.sh $(SECONDS)

# The whole suite under AddressSanitizer / ThreadSanitizer, each in its own build path
# (slow: not part of `make test`). TSan reads scripts/tsan-suppressions.txt. ASan runs with
# its default fake stacks (StackGuard reads the real stack pointer from C) and reports
# signals itself (Swift's backtracer reading the stack trips ASan). Sanitized binaries are
# many times slower: the tests' timeouts for the binary scale by 10.
test-asan: deps test-venv
	$(SWIFT) build --build-tests --build-path .build-asan --sanitize=address
	ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no TENSORPAD_TEST_TIMEOUT_SCALE=10 \
		$(SWIFT) test --skip-build --build-path .build-asan --sanitize=address

test-tsan: deps test-venv
	$(SWIFT) build --build-tests --build-path .build-tsan --sanitize=thread
	TSAN_OPTIONS="suppressions=$(CURDIR)/scripts/tsan-suppressions.txt halt_on_error=0" TENSORPAD_TEST_TIMEOUT_SCALE=10 \
		$(SWIFT) test --skip-build --build-path .build-tsan --sanitize=thread

# Tests that check against real Python tools (jupyter_client, nbclient and jupyter
# console drive `tensorpad kernel`; PyTorch reads and writes torch.save files) run
# them from .venv-test (not in git), created from PyPI when missing.
TEST_VENV := .venv-test
TEST_PIP := jupyter_client nbclient nbformat jupyter_console ipykernel "torch==2.13.0+cpu" numpy

test-venv: $(TEST_VENV)/.installed

$(TEST_VENV)/.installed:
	python3 -m venv $(TEST_VENV)
	$(TEST_VENV)/bin/pip install -q $(TEST_PIP)
	touch $@

# Every notebook exported (`tensorpad export NB --to pytorch DIR`) and run under Python +
# PyTorch, its stdout and files compared with `tensorpad run`'s; the DDP notebook under
# `torchrun --nproc_per_node 2` (gloo). Python comes from .venv-pytorch (not in git),
# created from PyPI when missing.
PYTORCH_VENV := .venv-pytorch
PYTORCH_PIP := "torch==2.13.0+cpu" "torchvision==0.28.*" numpy tqdm matplotlib

test-pytorch: deps $(PYTORCH_VENV)/.installed
	$(RELEASE) --product tensorpad
	$(PYTORCH_VENV)/bin/python scripts/test_pytorch.py $(BIN)/tensorpad

$(PYTORCH_VENV)/.installed:
	python3 -m venv $(PYTORCH_VENV)
	$(PYTORCH_VENV)/bin/pip install -q $(PYTORCH_PIP)
	touch $@

# Round trip of a trivial execute request: Tensorpad's kernel (release) beside ipykernel.
kernel-latency: deps test-venv
	$(RELEASE) --product tensorpad
	$(BIN)/tensorpad kernel install --prefix .build/kernel-latency
	JUPYTER_PATH=.build/kernel-latency/share/jupyter $(TEST_VENV)/bin/python Tests/KernelTests/kernel_driver.py latency

# PyTorch's column needs torch (torchvision for the Fashion-MNIST rows): `make bench-deps` installs them from PyPI into
# .venv-bench (not in git); otherwise set TENSORPAD_BENCH_PYTHON to a python with torch.
BENCH_VENV := .venv-bench
BENCH_PYTHON ?= $(if $(TENSORPAD_BENCH_PYTHON),$(TENSORPAD_BENCH_PYTHON),$(if $(wildcard $(BENCH_VENV)/bin/python),$(BENCH_VENV)/bin/python,python3))

bench: deps
	$(RELEASE) --product tensorpad
	$(RELEASE) --product tensorpad-bench
	TENSORPAD_BENCH_PYTHON=$(BENCH_PYTHON) $(BIN)/tensorpad-bench

bench-deps:
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install torch torchvision

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan fuzz-out
