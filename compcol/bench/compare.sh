#!/bin/sh
# Prints compcol/peer ratios per corpus file and level (see src/bin/compare.rs
# for deflate, src/bin/compare_zstd.rs for zstd, src/bin/compare_lz.rs for
# LZ4 and Snappy, src/bin/compare_xz.rs for xz).
# Usage: bench/compare.sh            (corpus: ../tests/data/corpus)
#        COMPCOL_CORPUS=dir COMPARE_REPS=9 bench/compare.sh
set -eu
cd "$(dirname "$0")"
cargo run --quiet --release --bin compare
cargo run --quiet --release --bin compare_zstd
# xz rows: compcol vs liblzma (the xz2 crate).
cargo run --quiet --release --bin compare_xz
# brotli rows: compcol vs the brotli crate.
cargo run --quiet --release --bin compare_brotli
# LZ4 / Snappy rows: compcol vs liblz4, lz4_flex and snap.
exec cargo run --quiet --release --bin compare_lz
