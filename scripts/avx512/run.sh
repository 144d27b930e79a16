#!/usr/bin/env bash
# The conv kernels' AVX-512F builds (CConv's direct kernels, CWinograd's products), run under emulation on any x86-64 machine (`make
# test-avx512`): driver.c built freestanding with the Swift toolchain's clang, loaded by run.py
# into BochsCPU (from PyPI, in the venv given as $1), whose CPU model has AVX-512.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:-.venv-avx512}
if [ "$(uname -m)" != x86_64 ]; then
    echo "test-avx512: not run: the AVX-512F builds exist on x86-64 only (this is $(uname -m))"
    exit 0
fi
out=.build/avx512
mkdir -p "$out"
clang -O2 -ffreestanding -fno-stack-protector -fno-pie -nostdlib -static -Wl,-e,_start \
    -ISources/CConv/include -ISources/CWinograd/include -o "$out/driver.elf" scripts/avx512/driver.c \
    Sources/CConv/*.c Sources/CWinograd/*.c
preload=
if ! nm -D "$(ldconfig -p | awk '/libc\.so\.6 .*x86-64/ {print $NF; exit}')" | grep -q __isoc23_strtoull; then
    cc -shared -fPIC -O2 -o "$out/libglibc_isoc23.so" scripts/avx512/glibc_isoc23.c
    preload=$PWD/$out/libglibc_isoc23.so
fi
LD_PRELOAD=$preload "$venv/bin/python" scripts/avx512/run.py "$out/driver.elf"
