#!/usr/bin/env bash
# End-to-end benchmark: `sakip run` against the same consolidation written
# in DuckDB SQL and in Polars, on the synthetic national history.
#
#   benches/e2e.sh [--runs N] [--scales "1 2 4 8"] [--scale-runs N]
#                  [--quiet-budget SECONDS] [--no-build] [--no-strace] [--keep]
#
# On a fresh machine with only Rust, Python 3.11 with venv and pip (Debian:
# python3-venv) it:
#   1. builds sakip (`cargo build --release`; the first release build compiles
#      polars and takes about 15 minutes on two cores) and installs the peers'
#      Python packages (benches/peers/requirements.txt, pinned) into their own
#      virtualenv, data/bench/venv, which runs the peers and compare.py;
#   2. writes the rule files as small lookup CSVs for the peers
#      (benches/peers/lookups.py) and generates the inbox if missing
#      (`sakip gen`, 11,040 CSV files, 1.59 M answer rows) — neither is timed;
#   3. times, on the same inbox, interleaved, N runs each (default 3, median
#      reported): `cat` of every CSV (the read floor), `sakip run` with
#      --threads 1 and with the default (one thread per core), the DuckDB job
#      (benches/peers/duckdb_job.sql) and the Polars job
#      (benches/peers/polars_job.py), with /usr/bin/time -f '%e %U %S %M';
#   4. checks the peers' rankings against sakip's and against an exact
#      recomputation (benches/peers/compare.py); then, if strace is installed
#      (and not --no-strace), one more untimed sakip run under strace counts
#      its write() calls per output table (a few minutes: strace is slow);
#   5. scales the inbox K = 1, 2, 4, 8 times (`sakip gen --scale K`; K = 8 is
#      ~350 MB of CSV and is skipped if /work has less than 5 GB free) and
#      times `sakip run` on each;
#   6. prints a Markdown report to stdout and writes it to
#      benches/e2e-results.md (overwritten). Progress goes to stderr.
#
# Every run is warm-cache (the inbox is read once before timing). Before each
# timed run the script waits until no `rustc`/`cargo` process of anyone on
# the machine is alive and the machine is otherwise idle (< 0.3 cores busy),
# for at most --quiet-budget seconds in total (default 1200); every run
# records how much CPU other processes used while it ran, and the report says
# how quiet it was.
#
# Data: everything lives under data/bench/ (git-ignored through /data;
# override with SAKIP_BENCH_DIR):
#   data/bench/k1/inbox/          the K=1 inbox (kept, reused next time)
#   data/bench/kK/inbox/          K>1 inboxes (deleted after their runs)
#   data/bench/lookups/           the peers' lookup CSVs (kept)
#   data/bench/venv/              the peers' Python packages (kept, reused)
#   data/bench/runs/              every run's outputs (deleted at the end;
#                                 elsewhere with SAKIP_BENCH_RUNS, see below)
#   data/bench/bin/sakip          a copy of the release binary, so another
#                                 build cannot swap it mid-run (deleted)
#   data/bench/logs/, results/    each run's output and timings (kept)
# --keep keeps everything; `rm -rf data/bench` removes it all.
#
# Where the jobs write matters on ext4 without a journal: it skips inodes it
# counts as recently deleted when it makes a file, and in a folder whose
# inode group holds many of them each new file costs a walk past them. sakip
# writes some 1,700 files a run (the peers a few), and in one folder of the
# development machine (290 µs to create a file there, against 20 µs in
# others) that cost it 0.4 s of system time a run. The report gives the
# time to create a file where the jobs write, measured before the runs;
# SAKIP_BENCH_RUNS=DIR puts the outputs in a new folder inside DIR
# (`DIR/sakip-e2e-XXXXXX`), which alone is removed at the end.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

RUNS=3
SCALES="1 2 4 8"
SCALE_RUNS=1
QUIET_BUDGET=1200
BUILD=1
STRACE=1
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --scales) SCALES=$2; shift 2 ;;
    --scale-runs) SCALE_RUNS=$2; shift 2 ;;
    --quiet-budget) QUIET_BUDGET=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-strace) STRACE=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,60p' "$0"; exit 0 ;;
    *) echo "e2e.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

BENCH=${SAKIP_BENCH_DIR:-data/bench}
PIPELINE=pipelines/national-history.toml
YEARS=2006-2025
RESULTS_MD=benches/e2e-results.md
mkdir -p "$BENCH"/{bin,logs,results}
BENCH=$(cd "$BENCH" && pwd)
if [ -n "${SAKIP_BENCH_RUNS:-}" ]; then
  # A folder of the script's own inside the one given: the clean-up below
  # removes only what this run made.
  mkdir -p "$SAKIP_BENCH_RUNS"
  RUNS_DIR=$(mktemp -d "$(cd "$SAKIP_BENCH_RUNS" && pwd)/sakip-e2e-XXXXXX")
else
  RUNS_DIR=$BENCH/runs
  mkdir -p "$RUNS_DIR"
fi
TSV=$BENCH/results/runs.tsv
SCALE_TSV=$BENCH/results/scaling.tsv
MONITOR=$BENCH/results/monitor.log
META=$BENCH/results/meta.env
: >"$TSV"; : >"$SCALE_TSV"; : >"$MONITOR"; : >"$META"
TCK=$(getconf CLK_TCK)
STARTED=$(date -u '+%Y-%m-%d %H:%M:%S UTC')

log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
meta() { printf '%s=%s\n' "$1" "$2" >>"$META"; }

for tool in cargo python3 /usr/bin/time lscpu; do
  command -v "$tool" >/dev/null 2>&1 || { echo "e2e.sh: $tool is needed (GNU time: apt-get install time)" >&2; exit 2; }
done

# --- 1. build and install -------------------------------------------------
BUILD_START=$(date +%s)
if [ "$BUILD" = 1 ]; then
  log "cargo build --release (the first release build compiles polars: about 15 minutes on two cores)"
  if ! cargo build --release >"$BENCH/logs/build.log" 2>&1; then
    tail -30 "$BENCH/logs/build.log" >&2
    echo "e2e.sh: cargo build --release failed (log: $BENCH/logs/build.log)" >&2
    exit 2
  fi
else
  log "--no-build: using the existing target/release/sakip"
fi
[ -x target/release/sakip ] || { echo "e2e.sh: target/release/sakip is missing" >&2; exit 2; }
cp -f target/release/sakip "$BENCH/bin/sakip"
SAKIP=$BENCH/bin/sakip
meta BUILD_SECONDS "$(( $(date +%s) - BUILD_START ))"
meta SAKIP_VERSION "$("$SAKIP" --version)"
meta BINARY_MTIME "$(date -u -r target/release/sakip '+%Y-%m-%d %H:%M:%S UTC')"

# The peers' own virtualenv: their duckdb is not the one the test suite pins
# (scripts/requirements-test.txt), and neither may replace the other.
PEER_VENV=$BENCH/venv
if [ ! -x "$PEER_VENV/bin/python" ]; then
  log "python3 -m venv $PEER_VENV"
  python3 -m venv "$PEER_VENV" || { echo "e2e.sh: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 2; }
fi
PEER_PY=$PEER_VENV/bin/python
log "pip install -r benches/peers/requirements.txt into $PEER_VENV"
"$PEER_PY" -m pip install --quiet --disable-pip-version-check -r benches/peers/requirements.txt >&2

# --- 2. lookups and the inbox (not timed) ---------------------------------
python3 benches/peers/lookups.py "$PIPELINE" --out "$BENCH/lookups" >&2

# gen_inbox K: the K-fold inbox in $BENCH/kK/inbox, unless already complete.
gen_inbox() {
  local k=$1 dir=$BENCH/k$1
  if [ -f "$dir/gen.txt" ] && [ -d "$dir/inbox" ]; then
    log "K=$k inbox already there: $(cat "$dir/gen.txt")"
  else
    rm -rf "$dir"; mkdir -p "$dir"
    log "sakip gen --scale $k"
    "$SAKIP" gen --pipeline "$PIPELINE" --out "$dir/inbox" --years "$YEARS" --scale "$k" >"$dir/gen.tmp"
    mv "$dir/gen.tmp" "$dir/gen.txt"
  fi
  cp "$dir/gen.txt" "$BENCH/results/gen-k$k.txt"
}
# "gen  11040 files, 1589760 answer rows, 43311322 bytes in DIR"
gen_files() { sed -E 's/^gen +([0-9]+) files.*/\1/' "$BENCH/results/gen-k$1.txt"; }
gen_rows() { sed -E 's/.* ([0-9]+) answer rows.*/\1/' "$BENCH/results/gen-k$1.txt"; }
gen_bytes() { sed -E 's/.* ([0-9]+) bytes in .*/\1/' "$BENCH/results/gen-k$1.txt"; }
gen_inbox 1
INBOX=$BENCH/k1/inbox

# --- quiet machine --------------------------------------------------------
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
builds_alive() { pgrep -x rustc >/dev/null 2>&1 || pgrep -x cargo >/dev/null 2>&1; }
busy_cores() { # average busy cores over 2 s
  local a b; a=$(busy_ticks); sleep 2; b=$(busy_ticks)
  awk -v a="$a" -v b="$b" -v t="$TCK" 'BEGIN { printf "%.2f", (b - a) / t / 2 }'
}
QUIET_LEFT=$QUIET_BUDGET
QUIET_WAITED=0
wait_quiet() {
  local told=0 c
  while :; do
    if ! builds_alive; then
      c=$(busy_cores)
      awk -v c="$c" 'BEGIN { exit !(c < 0.3) }' && return 0
    fi
    if [ "$QUIET_LEFT" -le 0 ]; then
      [ "$told" = 1 ] || log "quiet budget spent: measuring while other work runs (recorded per run)"
      return 0
    fi
    [ "$told" = 1 ] || log "waiting for other builds/tests to finish (${QUIET_LEFT}s of waiting left)"
    told=1
    sleep 10
    QUIET_LEFT=$((QUIET_LEFT - 10)); QUIET_WAITED=$((QUIET_WAITED + 10))
  done
}
# One line a second: time, live rustc and cargo processes of anyone.
( while :; do echo "$(date +%s) $(pgrep -c -x rustc || true) $(pgrep -c -x cargo || true)"; sleep 1; done ) >>"$MONITOR" 2>/dev/null &
MONITOR_PID=$!
cleanup_monitor() { kill "$MONITOR_PID" 2>/dev/null || true; }
trap cleanup_monitor EXIT
trap 'cleanup_monitor; exit 130' INT TERM

# timed TSV LABEL RUN OUTDIR -- CMD...: one measured run, appended to TSV as
# label run wall user sys maxrss_kb others_cpu_s build_seconds exit_code
timed() {
  local tsv=$1 label=$2 run=$3 outdir=$4; shift 5
  # The last run's output is moved aside, not deleted: ext4 makes files
  # created just after a mass deletion slow to allocate (the next run of
  # sakip, which writes ~1,400 files, paid up to 2 s of system time for
  # it). The moved outputs are deleted at the end, with runs/.
  if [ -e "$outdir" ]; then
    mkdir -p "$RUNS_DIR/old"
    mv "$outdir" "$RUNS_DIR/old/$(basename "$outdir")-$(date +%s%N)"
  fi
  wait_quiet
  sync
  local b0 b1 t0 t1 rc=0
  b0=$(busy_ticks); t0=$(date +%s)
  /usr/bin/time -f '%e %U %S %M' -o "$BENCH/results/time.tmp" "$@" >"$BENCH/logs/$label-$run.log" 2>&1 || rc=$?
  b1=$(busy_ticks); t1=$(date +%s)
  local wall user sys rss
  read -r wall user sys rss < <(tail -n 1 "$BENCH/results/time.tmp")
  local others builds
  others=$(awk -v a="$b0" -v b="$b1" -v t="$TCK" -v u="$user" -v s="$sys" 'BEGIN { o = (b - a) / t - u - s; if (o < 0) o = 0; printf "%.2f", o }')
  builds=$(awk -v a="$t0" -v b="$t1" '$1 >= a && $1 <= b && ($2 > 0 || $3 > 0) { n++ } END { print n + 0 }' "$MONITOR")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$run" "$wall" "$user" "$sys" "$rss" "$others" "$builds" "$rc" >>"$tsv"
  log "$label run $run: ${wall}s wall, ${user}+${sys}s CPU, $((rss / 1024)) MiB, others ${others} CPU-s, exit $rc"
  case "$label:$rc" in
    sakip*:0|sakip*:1|cat*:0|duckdb*:0|polars*:0) ;;
    *) echo "e2e.sh: $label failed (exit $rc), see $BENCH/logs/$label-$run.log" >&2; tail -20 "$BENCH/logs/$label-$run.log" >&2; exit 2 ;;
  esac
}

# --- 3. the timed comparison ----------------------------------------------
R=$RUNS_DIR
# How long making a file takes where the jobs write: 2,000 empty files in a
# folder of their own (left in place: deleting them would make the next
# files slower to create). About 20 µs each in most folders of the
# development machine; 290 µs in the one its earlier runs had used.
export CREATE_US=$(python3 -c '
import os, sys, time
d = os.path.join(sys.argv[1], "create-probe-%d" % time.time_ns())
os.makedirs(d)
t = time.perf_counter()
for i in range(2000):
    os.close(os.open(os.path.join(d, str(i)), os.O_CREAT | os.O_WRONLY, 0o644))
print("%.1f" % ((time.perf_counter() - t) / 2000 * 1e6))
' "$R")
log "creating a file in $R: $CREATE_US µs (2,000 empty files)"
CMD_CAT="find $INBOX -name '*.csv' -print0 | xargs -0 cat > /dev/null"
CMD_SAKIP1="$SAKIP run $PIPELINE --inbox $INBOX --warehouse $R/sakip-1t --threads 1"
CMD_SAKIP="$SAKIP run $PIPELINE --inbox $INBOX --warehouse $R/sakip"
CMD_DUCKDB="$PEER_PY benches/peers/duckdb_job.py --inbox $INBOX --lookups $BENCH/lookups --out $R/duckdb"
CMD_POLARS="$PEER_PY benches/peers/polars_job.py --inbox $INBOX --lookups $BENCH/lookups --out $R/polars"
run_job() { # label run
  case "$1" in
    cat) timed "$TSV" cat "$2" "$R/none" -- sh -c "$CMD_CAT" ;;
    sakip-1t) timed "$TSV" sakip-1t "$2" "$R/sakip-1t" -- $CMD_SAKIP1 ;;
    sakip) timed "$TSV" sakip "$2" "$R/sakip" -- $CMD_SAKIP ;;
    duckdb) timed "$TSV" duckdb "$2" "$R/duckdb" -- $CMD_DUCKDB ;;
    polars) timed "$TSV" polars "$2" "$R/polars" -- $CMD_POLARS ;;
  esac
  # Keep each peer run's output: their float sums may differ run to run.
  case "$1" in duckdb|polars) rm -rf "$R/$1-run$2"; cp -r "$R/$1" "$R/$1-run$2" ;; esac
}
JOBS="cat sakip-1t sakip duckdb polars"

log "warming up: page cache, binaries, Python imports (not timed)"
sh -c "$CMD_CAT"; sh -c "$CMD_CAT"
for job in $JOBS; do run_job "$job" 0; done
: >"$TSV"
for run in $(seq 1 "$RUNS"); do
  for job in $JOBS; do run_job "$job" "$run"; done
done

# --- 4. agreement ------------------------------------------------------------
log "comparing the peers' rankings with sakip's (benches/peers/compare.py)"
# --strict: the run fails if sakip itself differs from the exact reference.
CMD_COMPARE="$PEER_PY benches/peers/compare.py --strict --pipeline $PIPELINE --inbox $INBOX --sakip $R/sakip --peer duckdb=$R/duckdb --peer polars=$R/polars"
$CMD_COMPARE --out "$BENCH/results/compare.md" >/dev/null
: >"$BENCH/results/compare-runs.txt"
for run in $(seq 1 "$RUNS"); do
  echo "run $run: $("$PEER_PY" benches/peers/compare.py --counts --pipeline "$PIPELINE" --inbox "$INBOX" --sakip "$R/sakip" \
    --peer "duckdb=$R/duckdb-run$run" --peer "polars=$R/polars-run$run")" >>"$BENCH/results/compare-runs.txt"
done

# --- 4b. where sakip's system time goes (untimed, only if strace is there) ---
if [ "$STRACE" = 0 ]; then
  echo "--no-strace: write() counts skipped" >"$BENCH/results/writes.txt"
elif command -v strace >/dev/null 2>&1; then
  log "one more sakip run under strace, counting write() calls per output table (not timed)"
  rm -rf "$R/sakip-strace"
  strace -f -e trace=write -y -o "|awk -F'[<>]' '{ n = split(\$2, p, \"/\"); t = \"other\"; for (i = 1; i <= n; i++) if (p[i] ~ /^[.]staging-/ && i < n) { t = p[i + 1]; break } c[t]++ } END { for (t in c) print c[t], t }' | sort -rn >'$BENCH/results/writes.txt'" \
    "$SAKIP" run "$PIPELINE" --inbox "$INBOX" --warehouse "$R/sakip-strace" >/dev/null 2>&1 || true
  sleep 1
  rm -rf "$R/sakip-strace"
else
  echo "strace not installed: write() counts skipped" >"$BENCH/results/writes.txt"
fi

# --- 5. scaling ----------------------------------------------------------------
SKIPPED=""
for k in $SCALES; do
  if [ "$k" = 1 ]; then continue; fi  # K=1 is the main table's `sakip` row
  avail_kb=$(df -Pk "$ROOT" | awk 'NR == 2 { print $4 }')
  need_kb=$((1024 * 1024))
  [ "$k" -ge 8 ] && need_kb=$((5 * 1024 * 1024))
  if [ "$avail_kb" -lt "$need_kb" ]; then
    msg="K=$k skipped: $(df -h "$ROOT" | awk 'NR == 2 { print $4 }') free on $(df -h "$ROOT" | awk 'NR == 2 { print $6 }'), it needs $((need_kb / 1024 / 1024)) GB"
    log "$msg"; SKIPPED="$SKIPPED$msg; "
    continue
  fi
  gen_inbox "$k"
  for run in $(seq 1 "$SCALE_RUNS"); do
    timed "$SCALE_TSV" "sakip-k$k" "$run" "$R/sakip-k$k" -- "$SAKIP" run "$PIPELINE" --inbox "$BENCH/k$k/inbox" --warehouse "$R/sakip-k$k"
  done
  # Moved aside and deleted at the end, not now (see `timed`).
  mkdir -p "$R/old"
  mv "$R/sakip-k$k" "$R/old/sakip-k$k"
  [ "$KEEP" = 1 ] || mv "$BENCH/k$k" "$R/old/inbox-k$k"
done

# --- 6. the report ---------------------------------------------------------------
FINISHED=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
export TSV SCALE_TSV RUNS RUNS_DIR SCALES SCALE_RUNS STARTED FINISHED QUIET_BUDGET QUIET_WAITED SKIPPED BENCH INBOX PIPELINE YEARS
export CMD_CAT CMD_SAKIP1 CMD_SAKIP CMD_DUCKDB CMD_POLARS CMD_COMPARE MONITOR META BUILD
export K1_FILES=$(gen_files 1) K1_ROWS=$(gen_rows 1) K1_BYTES=$(gen_bytes 1)
for k in $SCALES; do
  if [ -f "$BENCH/results/gen-k$k.txt" ]; then
    export "FILES_K$k=$(gen_files "$k")" "ROWS_K$k=$(gen_rows "$k")" "BYTES_K$k=$(gen_bytes "$k")"
  fi
done
export MACHINE_CPU=$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')
export MACHINE_CORES=$(nproc)
export MACHINE_MEM=$(free -h | awk '/^Mem:/ { print $2 }')
export MACHINE_KERNEL=$(uname -sr)
export DISK_FREE=$(df -h "$ROOT" | awk 'NR == 2 { print $4 " free of " $2 }')
export RUSTC_VERSION=$(rustc --version 2>/dev/null || echo "?")
export PY_VERSIONS=$("$PEER_PY" -c 'import sys, duckdb, polars, pyarrow; print(f"Python {sys.version.split()[0]}, duckdb {duckdb.__version__}, polars {polars.__version__}, pyarrow {pyarrow.__version__}")')
export GIT_HEAD=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
export GIT_DIRTY=$(git status --porcelain 2>/dev/null | wc -l)
export LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - <<'PY' | tee "$RESULTS_MD"
import os, statistics as st
from collections import defaultdict

env = os.environ
def rows(path):
    out = defaultdict(list)
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) < 9:
            continue
        out[f[0]].append(dict(wall=float(f[2]), cpu=float(f[3]) + float(f[4]), rss=int(f[5]), others=float(f[6]), builds=int(f[7]), rc=int(f[8])))
    return out

runs = rows(env["TSV"])
scal = rows(env["SCALE_TSV"])
med = lambda xs: st.median(xs)
def summary(rs):
    return dict(wall=med([r["wall"] for r in rs]), cpu=med([r["cpu"] for r in rs]), rss=med([r["rss"] for r in rs]) / 1024,
                others=max(r["others"] for r in rs), builds=sum(1 for r in rs if r["builds"] > 0), n=len(rs),
                walls=[r["wall"] for r in rs])
S = {k: summary(v) for k, v in runs.items()}
meta = {}
for line in open(env["META"]):
    k, _, v = line.rstrip("\n").partition("=")
    meta[k] = v

p = print
p("# End-to-end benchmark: sakip vs DuckDB vs Polars")
p()
p(f"Written by `benches/e2e.sh` (run {env['STARTED']} – {env['FINISHED']}); overwritten on every run.")
p()
p("## Machine and software")
p()
p(f"- CPU: {env['MACHINE_CPU']}, {env['MACHINE_CORES']} cores; memory {env['MACHINE_MEM']}; {env['MACHINE_KERNEL']}; disk {env['DISK_FREE']}")
p(f"- Jobs write to `{env['RUNS_DIR']}`; creating a file there took {env['CREATE_US']} µs (2,000 empty files, before the runs). "
  "sakip writes some 1,700 files a run and the peers a few, so where this is hundreds of microseconds the filesystem, not the job, "
  "accounts for part of sakip's system time (about 20 µs in most folders of the development machine; see the header of benches/e2e.sh).")
p(f"- {meta.get('SAKIP_VERSION', 'sakip')} (release build, binary of {meta.get('BINARY_MTIME', '?')}{'' if env['BUILD'] == '1' else ', --no-build'}), {env['RUSTC_VERSION']}. "
  f"`cargo build --release` took {meta.get('BUILD_SECONDS', '?')} s this time; the first release build compiles polars and takes about 15 minutes on two cores.")
p(f"- {env['PY_VERSIONS']}")
p(f"- checkout {env['GIT_HEAD']}, {env['GIT_DIRTY']} files modified or new in the working tree (other engineers work in the same checkout)")
p()
p("## Workload")
p()
mb = int(env["K1_BYTES"]) / 1e6
p(f"`sakip gen --years {env['YEARS']}` (K=1): {int(env['K1_FILES']):,} CSV files, {int(env['K1_ROWS']):,} answer rows, {mb:.1f} MB "
  f"(552 KPU units × 20 years, both tracks). Every job reads the same inbox `{env['INBOX']}`, warm page cache "
  "(read twice before timing, and one untimed warm-up run of every job). Runs are interleaved (one of each job, then the next round).")
p()
p("## Results")
p()
peers = [k for k in ("duckdb", "polars") if k in S]
fast = min(peers, key=lambda k: S[k]["wall"]) if peers else None
floor = S.get("cat")
cores = env["MACHINE_CORES"]
names = {"cat": "`cat` every CSV (read floor)", "sakip-1t": "sakip run --threads 1", "sakip": f"sakip run (default: {cores} threads)",
         "duckdb": "DuckDB job (SQL)", "polars": "Polars job (lazy)"}
p(f"Median of {env['RUNS']} runs each. CPU = user + sys. Ratios are of median wall time (and CPU) to the faster peer ({fast}) and to the read floor.")
p()
p(f"| job | wall s | CPU s | peak MiB | wall × {fast} | CPU × {fast} | wall × read floor | all walls s | others' CPU s, max of a run | runs with a build alive |")
p("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|")
for k in ("cat", "sakip-1t", "sakip", "duckdb", "polars"):
    if k not in S:
        continue
    s = S[k]
    rf = f"{s['wall'] / floor['wall']:.1f}" if floor and k != "cat" else "1" if k == "cat" else "—"
    p(f"| {names[k]} | {s['wall']:.2f} | {s['cpu']:.2f} | {s['rss']:.0f} | {s['wall'] / S[fast]['wall']:.2f} | {s['cpu'] / S[fast]['cpu']:.2f} | {rf} "
      f"| {', '.join(f'{w:.2f}' for w in s['walls'])} | {s['others']:.2f} | {s['builds']}/{s['n']} |")
p()
if "sakip" in S and "sakip-1t" in S:
    sp = S["sakip-1t"]["wall"] / S["sakip"]["wall"]
    p(f"sakip speed-up, {cores} threads vs 1: **{sp:.2f}×** ({S['sakip-1t']['wall']:.2f} s → {S['sakip']['wall']:.2f} s wall; "
      f"CPU {S['sakip-1t']['cpu']:.2f} s → {S['sakip']['cpu']:.2f} s).")
    p()
rows_m = int(env["K1_ROWS"]) / 1e6
p(f"Throughput at K=1 ({rows_m:.2f} M rows): " + ", ".join(f"{k} {rows_m / S[k]['wall']:.2f} M rows/s" for k in ("sakip-1t", "sakip", "duckdb", "polars") if k in S) + ".")
p()
allr = [r for v in runs.values() for r in v] + [r for v in scal.values() for r in v]
busy = sum(1 for r in allr if r["builds"] > 0)
others = sorted(r["others"] / r["wall"] for r in allr if r["wall"] > 0)
p("### How quiet the machine was")
p()
p(f"Before each timed run the script waited until no `rustc`/`cargo` process was alive and the machine was otherwise below 0.3 busy cores "
  f"(waited {env['QUIET_WAITED']} s in all, budget {env['QUIET_BUDGET']} s). "
  f"{busy} of {len(allr)} timed runs had a `rustc`/`cargo` process alive at some second of the run. "
  f"CPU used by other processes during a run (machine busy time from /proc/stat minus the run's own user+sys): "
  f"median {st.median(others) if others else 0:.2f} cores, max {max(others) if others else 0:.2f} cores. Load average at the end: {env['LOADAVG']}.")
p()
p("## Scaling (sakip run, default threads)")
p()
p(f"`sakip gen --scale K` writes K copies of the 20 years, each shifted back 20 years: K× the files, every partition the same shape. "
  f"K=1 is the `sakip` row above (median of {env['RUNS']}); K>1: {env['SCALE_RUNS']} run(s) each, median.")
p()
p("| K | files | answer rows | CSV MB | wall s | CPU s | peak MiB | s per M rows | M rows/s | build alive |")
p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for k in env["SCALES"].split():
    if k == "1":
        s, rows, files, mb_k = S.get("sakip"), int(env["K1_ROWS"]), int(env["K1_FILES"]), int(env["K1_BYTES"]) / 1e6
    else:
        if f"sakip-k{k}" not in scal:
            continue
        s = summary(scal[f"sakip-k{k}"])
        rows, files, mb_k = int(env[f"ROWS_K{k}"]), int(env[f"FILES_K{k}"]), int(env[f"BYTES_K{k}"]) / 1e6
    if not s:
        continue
    p(f"| {k} | {files:,} | {rows:,} | {mb_k:.0f} | {s['wall']:.2f} | {s['cpu']:.2f} | {s['rss']:.0f} | {s['wall'] / (rows / 1e6):.2f} | {rows / 1e6 / s['wall']:.2f} | {s['builds']}/{s['n']} |")
if env.get("SKIPPED"):
    p()
    p(f"Skipped: {env['SKIPPED'].rstrip('; ')}.")
p()
p("## Agreement (benches/peers/compare.py)")
p()
p(open(os.path.join(env["BENCH"], "results", "compare.md")).read().rstrip())
p()
p("The tables above are of the last timed run. The peers sum floats in parallel, so their figures can change from run to run; every timed run, checked the same way:")
p()
for line in open(os.path.join(env["BENCH"], "results", "compare-runs.txt")):
    p(f"- {line.strip()}")
p()
writes = open(os.path.join(env["BENCH"], "results", "writes.txt")).read().split("\n")
writes = [w.split(" ", 1) for w in writes if w.strip()]
if writes and writes[0][0].isdigit():
    total = sum(int(n) for n, _ in writes)
    p("### Where sakip's system time goes")
    p()
    p(f"sakip spends a large share of its CPU in the kernel (sys column of `{os.path.basename(env['TSV'])}`). One extra, untimed `sakip run` under "
      f"`strace -f -e trace=write` made {total:,} write() calls; by output table: "
      + ", ".join(f"{t} {int(n):,}" for n, t in writes) + ". "
      "Every table is encoded in memory and written with one call: scores, component_scores, rankings and "
      "component_rankings by `tables::write` in src/tables/frames.rs (polars), answers and rejects by src/ingest/warehouse.rs (arrow-rs).")
    p()
else:
    p(f"(No write() counts: {' '.join(writes[0]) if writes else 'strace not run'}.)")
    p()
p("## What each job does")
p()
p("- **sakip run**: discovers the inbox, reads and validates every file against the unit registry and the rubric "
  "(rejects with reasons, missing criteria, lineage: source file and row, SHA-256 of each file), writes the answers table "
  "(one file per year, ZSTD), scores both tracks with exact rational arithmetic (scores and component scores), "
  "ranks (province and national, previous year's standing, component rankings), writes the review workbooks/HTML of the last year, "
  "and publishes an atomic snapshot.")
p("- **DuckDB / Polars jobs**: read every CSV, join the lookups generated from the same TOML rules (`benches/peers/lookups.py`, not timed), "
  "map answers to DOUBLE values, sub-component = mean of value / full marks × weight (missing = 0), total, the engine's own `round(x, 2)` "
  "(DuckDB: half away from zero on the double; Polars: `round(2)`, whose default is half-to-even), grade, competition rank per province "
  "and nationally (evaluator track), and write Parquet: answers (partitioned by year), scores (both tracks), rankings. No validation, "
  "no rejects, no lineage, no component tables, no previous-year columns, no review: they do less than sakip, so the comparison flatters them.")
p()
p("## Exact commands")
p()
p("```sh")
p("benches/e2e.sh " + f"--runs {env['RUNS']} --scales \"{env['SCALES']}\" --scale-runs {env['SCALE_RUNS']}")
p("cargo build --release" if env["BUILD"] == "1" else "# --no-build: existing target/release/sakip")
p(f"python3 benches/peers/lookups.py {env['PIPELINE']} --out {env['BENCH']}/lookups")
p(f"{env['BENCH']}/bin/sakip gen --pipeline {env['PIPELINE']} --out {env['BENCH']}/kK/inbox --years {env['YEARS']} --scale K   # copy of target/release/sakip")
p("# each timed as: /usr/bin/time -f '%e %U %S %M' <command>")
for c in ("CMD_CAT", "CMD_SAKIP1", "CMD_SAKIP", "CMD_DUCKDB", "CMD_POLARS"):
    p(env[c])
p(f"{env['BENCH']}/bin/sakip run {env['PIPELINE']} --inbox {env['BENCH']}/kK/inbox --warehouse {env['RUNS_DIR']}/sakip-kK")
p(env["CMD_COMPARE"])
p("```")
p()
p(f"Raw timings: `{env['TSV']}` and `{env['SCALE_TSV']}` (label, run, wall, user, sys, peak KB, others' CPU s, seconds with a build alive, exit code); "
  f"each run's output in `{env['BENCH']}/logs/`.")
PY

# --- clean up -----------------------------------------------------------------
if [ "$KEEP" = 0 ]; then
  rm -rf "$RUNS_DIR" "$BENCH/bin"
  log "removed $RUNS_DIR and $BENCH/bin; kept $BENCH/k1 (the inbox), lookups, logs and results (--keep keeps everything)"
fi
log "report written to $RESULTS_MD"
