#!/bin/sh
# Prints compcol/peer ratios per corpus file and level (see src/bin/compare.rs
# for deflate, src/bin/compare_zstd.rs for zstd).
# Usage: bench/compare.sh            (corpus: ../tests/data/corpus)
#        COMPCOL_CORPUS=dir COMPARE_REPS=9 bench/compare.sh
set -eu
cd "$(dirname "$0")"
cargo run --quiet --release --bin compare
exec cargo run --quiet --release --bin compare_zstd
