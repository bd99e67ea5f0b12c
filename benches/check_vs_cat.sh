#!/usr/bin/env bash
# `casetag check` over a generated batch against `cat` reading the same files,
# and the peak memory of `casetag check` against the batch's size.
#
#   bash benches/check_vs_cat.sh [N]        (N defaults to 100000)
#
# The batch is TMPDIR/casetag-bench-N (default /tmp), written by
# examples/gen_batch.rs unless it is already there (the benchmarks share it).
# Each command runs twice and the second, warm run counts (no cache is
# dropped). Wall time is the target; CPU time (user + sys) is printed too,
# since it hardly changes when other processes compete for the cores.
# Targets: check within 1.25x of cat in wall time and 1.5x in CPU time;
# peak RSS under a quarter of the batch's bytes.
# Needs GNU time (/usr/bin/time; `apt-get install -y time`).
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-100000}"
DIR="${TMPDIR:-/tmp}"
DIR="${DIR%/}/casetag-bench-$N"

if [ ! -x /usr/bin/time ]; then
    echo "GNU time is needed: apt-get install -y time" >&2
    exit 2
fi

cargo build --release --quiet --bin casetag --example gen_batch
if ! target/release/examples/gen_batch "$DIR" "$N"; then
    # Ours by its name, but incomplete or of another size: write it anew.
    rm -rf "$DIR"
    target/release/examples/gen_batch "$DIR" "$N"
fi

# measure OUT CMD...: runs CMD twice, writes "wall user sys maxrss_kb" of the
# second run to OUT.
measure() {
    local out="$1"
    shift
    "$@"
    /usr/bin/time -f '%e %U %S %M' -o "$out" "$@"
}

run_cat() { find "$DIR" -type f -print0 | xargs -0 cat > /dev/null; }
run_check() {
    # Exit 1 means problems were found (the batch has invalid records on purpose).
    local rc=0
    target/release/casetag check "$DIR" > /dev/null 2>&1 || rc=$?
    if [ "$rc" -gt 1 ]; then
        echo "casetag check failed with exit $rc" >&2
        exit "$rc"
    fi
}
export DIR
export -f run_cat run_check

files=$(find "$DIR" -type f | wc -l)
bytes=$(du -sb "$DIR" | cut -f1)
cat_out=$(mktemp)
check_out=$(mktemp)
trap 'rm -f "$cat_out" "$check_out"' EXIT
measure "$cat_out" bash -c run_cat
measure "$check_out" bash -c run_check

echo "machine:        $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "batch:          $DIR: $N submissions, $files files, $bytes bytes (du -sb)"
awk -v bytes="$bytes" '
    FNR == 1 && NR == 1 { cw = $1; cu = $2; cs = $3; cc = $2 + $3 }
    FNR == 1 && NR == 2 { kw = $1; ku = $2; ks = $3; kc = $2 + $3; rss = $4 }
    END {
        printf "cat:            %6.2f s wall, %6.2f s CPU (user %.2f, sys %.2f)   (find DIR -type f -print0 | xargs -0 cat > /dev/null, warm)\n", cw, cc, cu, cs
        printf "casetag check:  %6.2f s wall, %6.2f s CPU (user %.2f, sys %.2f)   (target/release/casetag check DIR > /dev/null, warm)\n", kw, kc, ku, ks
        r = (cw > 0) ? kw / cw : 0
        rc = (cc > 0) ? kc / cc : 0
        printf "ratio:          %.2fx cat in wall time (target: within 1.25x): %s; %.2fx in CPU time (target: within 1.5x): %s\n", r, (r <= 1.25 ? "met" : "MISSED"), rc, (rc <= 1.5 ? "met" : "MISSED")
        m = rss * 1024 / bytes
        printf "peak memory:    %d KiB max RSS of casetag check (%.0f MB) = %.2fx the batch bytes (target: under 0.25x): %s\n", rss, rss * 1024 / 1e6, m, (m < 0.25 ? "met" : "MISSED")
    }' "$cat_out" "$check_out"
