#!/usr/bin/env bash
# `make fuzz SECONDS=N`: builds the libFuzzer binary (Fuzz/Harness.swift linked against the
# library modules compiled with -sanitize=fuzzer,address into .build-fuzz) and runs each
# target for N seconds, one job, one target at a time. See docs/fuzzing.md.
#   scripts/fuzz.sh [SECONDS] [TARGET...]        run (all targets when none given)
#   scripts/fuzz.sh minimize TARGET CRASH_FILE   minimise a crash (-minimize_crash=1)
#   scripts/fuzz.sh build                        only build fuzz-out/tensorpad-fuzz
#   RUNS=N stops each target after N inputs; NOBUILD=1 skips the build.
# Everything it writes is under fuzz-out/ (gitignored): corpus/<target>/ (seeded from the
# notebooks and test fixtures by Fuzz/seeds.py, then grown), crashes/<target>/, logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
ALL="syntax lang npy npz safetensors pt idx pgm ipynb percent kernel"
OUT=$PWD/fuzz-out
BUILD=.build-fuzz
BIN=$OUT/tensorpad-fuzz
SWIFT=${SWIFT:-swift}

build() {
    mkdir -p "$OUT"
    # Kernel's dependency closure is every module the harness needs (Syntax ... Notebook).
    # Optimised (-O keeps Swift's overflow and bounds traps): unoptimised Swift under ASan runs
    # the lexer at a few inputs a second.
    $SWIFT build --build-path "$BUILD" --target Kernel -Xswiftc -sanitize=fuzzer,address -Xswiftc -O
    local dbg="$BUILD/debug"
    local objs
    objs=$(find "$dbg/" -path '*.build/*' -name '*.o' \
        ! -path '*Tests.build/*' ! -path '*/tensorpad.build/*' ! -path '*/tensorpad_bench.build/*' \
        ! -path '*/TestSupport.build/*' ! -path '*/ArgumentParser*' ! -path '*/REPL.build/*' \
        ! -path '*/_CryptoExtras.build/*' ! -path '*/SwiftASN1.build/*' ! -path '*/CEdit.build/*')
    local includes=(-I "$dbg/Modules" -I "$dbg/CConv.build" -Xcc -I -Xcc Sources/CConv/include)
    for m in Sources/C*/module.modulemap; do includes+=(-Xcc -fmodule-map-file="$m"); done
    for m in "$dbg"/*.build/module.modulemap; do includes+=(-Xcc -fmodule-map-file="$m"); done
    # shellcheck disable=SC2086
    swiftc -parse-as-library -sanitize=fuzzer,address -g "${includes[@]}" Fuzz/Harness.swift $objs \
        $(pkg-config --libs openblas cairo zlib libzmq) -lstdc++ -o "$BIN.new" 2>&1 | grep -v 'Cannot export local symbol' || true
    test -x "$BIN.new"
    mv "$BIN.new" "$BIN"   # a target still running keeps the old binary
}

# Runs the built binary on one target: prints executions, coverage and crashes.
run_target() {
    local t=$1 secs=$2
    local corpus=$OUT/corpus/$t crashes=$OUT/crashes/$t log=$OUT/logs/$t.log
    mkdir -p "$corpus" "$crashes" "$OUT/logs" "$OUT/sandbox"
    if [ -z "$(ls -A "$corpus")" ]; then
        python3 Fuzz/seeds.py "$OUT/seeds" > /dev/null
        cp "$OUT/seeds/$t/"* "$corpus/" 2>/dev/null || true
    fi
    chmod -R a+rwX "$OUT/corpus" "$OUT/crashes" "$OUT/sandbox"   # the lang target runs as nobody under root
    local timeout=1 extra=() leaks=1
    # Swift's reference counting leaks cycles a program makes (`a = []; a.append(a)`) by
    # design, and the interpreter's thread may still be releasing an input's closure when
    # libFuzzer checks: the lang target does not check leaks per input.
    if [ "$t" = lang ]; then leaks=0; extra+=(-detect_leaks=0); fi
    if [ -n "${RUNS:-}" ]; then extra+=(-runs="$RUNS"); fi
    case $t in syntax|lang) extra+=(-dict="$OUT/tensorpad.dict");; esac
    local start=$SECONDS rc=0
    # malloc_context_size=0: recording a stack per allocation took a quarter of the time
    # (StackDepot, unwinding); `minimize` re-runs a crash with full stacks.
    # SWIFT_BACKTRACE=enable=no: a Swift trap is reported by ASan and libFuzzer (Swift's own
    # backtracer, reading other threads' stacks, trips ASan instead).
    TENSORPAD_FUZZ_TARGET=$t TENSORPAD_FUZZ_SANDBOX=$OUT/sandbox SWIFT_BACKTRACE=enable=no \
        ASAN_OPTIONS=detect_leaks=$leaks:malloc_context_size=0 \
        "$BIN" "$corpus" -max_total_time="$secs" -max_len=4096 -timeout="$timeout" -rss_limit_mb=3072 \
        -malloc_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$crashes/" "${extra[@]}" \
        > "$log" 2>&1 || rc=$?
    local execs cov ft n
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || true)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || true)
    n=$(ls "$crashes" | wc -l)
    printf '%-12s %10s execs %6ss  cov %6s  ft %7s  corpus %5s  crashes %s%s\n' "$t" "${execs:-?}" \
        $((SECONDS - start)) "${cov:-?}" "${ft:-?}" "$(ls "$corpus" | wc -l)" "$n" \
        "$([ $rc -ne 0 ] && echo "  (exit $rc: see $log)")"
    if [ $rc -ne 0 ]; then grep -m3 -E '^==[0-9]+==ERROR|^SUMMARY|Test unit written|ALARM|out-of-memory' "$log" | sed 's/^/    /' || true; fi
    return 0
}

case "${1:-}" in
build) build; exit 0 ;;
minimize)
    t=$2 crash=$3
    TENSORPAD_FUZZ_TARGET=$t TENSORPAD_FUZZ_SANDBOX=$OUT/sandbox SWIFT_BACKTRACE=enable=no "$BIN" -minimize_crash=1 -runs=20000 \
        -max_total_time=120 -exact_artifact_path="$crash.min" "$crash" 2>&1 | tail -3
    echo "minimised: $crash.min ($(wc -c < "$crash.min") bytes)"
    exit 0 ;;
esac

secs=${1:-60}
shift || true
targets=${*:-$ALL}
# NOBUILD=1 runs the binary already built (to run a second target beside a running one).
[ -n "${NOBUILD:-}" ] && [ -x "$BIN" ] || build
TENSORPAD_FUZZ_TARGET=syntax TENSORPAD_FUZZ_WRITE_DICT=$OUT/tensorpad.dict "$BIN"
echo "dictionary: $(wc -l < "$OUT/tensorpad.dict") words; ${secs}s per target"
for t in $targets; do run_target "$t" "$secs"; done
