#!/usr/bin/env bash
# The GPU check: after the README's CUDA install, proves on this machine that the CUDA provider
# loads and really runs the model, then takes short measurements (run, fp16 vs fp32 with ab,
# serve + load with batching on and off) and prints one summary. README: "Checking a GPU machine".
set -euo pipefail

# The same threshold as run's own placement warning (LOW_ACCELERATOR_SHARE in src/core/placement.ts).
readonly GOAL_PERCENT=90
readonly GPU_PROFILES='a10g t4 rtx3090'
readonly NO_GPU_HINT="run this on a CUDA machine after the README's CUDA install"

usage() {
  cat <<'EOF'
Usage: bash scripts/gpu-check.sh [--out DIR] [PROFILE]
       npm run gpu:check -- [--out DIR] [PROFILE]

Checks a CUDA machine after the README's CUDA install (README: "Checking a GPU machine").

First, that a GPU is usable: nvidia-smi lists one, and onnxruntime-node's CUDA provider loads
(a one-text classify on synthetic:tiny with --provider cuda). If not, it stops at once with one
line on stderr naming what is missing, and exit code 2: no benchmark runs, no results folder.

Then, for PROFILE (a10g, t4, rtx3090, or a profile JSON file), else for each of a10g, t4 and
rtx3090 whose gpuNamePattern matches this GPU's name:
  run    zsc-bench run --items 5 --repeats 2 --processes 1: the provider that ran (the summary
         CSV's actual_provider) and its share of kernel time, PASS at >= 90% on cuda, else FAIL
  ab     fp16 vs fp32 (the profile with each precision): latency ratio per label count
  serve  zsc-bench serve, batching on, then --no-batching, each measured by zsc-bench load
         (concurrency 1 and 8, 5 s each); fp16/int8 profiles batch with --inexact-batching
and nvidia-smi's GPU memory and power, sampled every 500 ms during each step.

Options:
  --out DIR   results folder (default: results/gpu-check-<UTC timestamp>); the CSVs there are
              zsc-bench's own; logs/ holds each step's JSON and stderr, nvidia-smi samples,
              inputs/ the fp16 and fp32 profiles ab compared
  -h, --help  this text

Progress goes to stderr, the summary to stdout.
Exit codes: 0 every profile PASS; 1 a profile missed the 90% placement goal; 2 refused before
running anything (no GPU, CUDA provider does not load, no profile fits, bad argument, not built);
3 a zsc-bench step failed (the line names it and its log).
EOF
}

fail() {
  local code=$1
  shift
  printf 'gpu-check: %s\n' "$*" >&2
  exit "$code"
}

say() { printf 'gpu-check: %s\n' "$*" >&2; }

out=''
named=''
while (($# > 0)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --out) (($# >= 2)) || fail 2 '--out needs a folder'; out=$2; shift 2 ;;
    --out=*) out=${1#--out=}; shift ;;
    -*) fail 2 "unknown option $1 (see --help)" ;;
    *)
      [[ -z $named ]] || fail 2 "one profile at most (got $named and $1)"
      named=$1
      shift
      ;;
  esac
done
# Paths the user gave are theirs, relative to where they ran this; the CLI runs from the
# project root (its default dataset path is relative to it).
if [[ -n $named ]]; then
  case $named in
    a10g | t4 | rtx3090) ;;
    *.json)
      [[ -f $named ]] || fail 2 "profile file $named not found"
      named=$(cd "$(dirname "$named")" && pwd)/$(basename "$named")
      ;;
    *) fail 2 "profile $named: expected a10g, t4, rtx3090 or a profile JSON file" ;;
  esac
fi
[[ -z $out || $out == /* ]] || out=$PWD/$out

# Profiles use deviceId 0; in PCI order CUDA's device 0 is nvidia-smi's index 0 (CUDA's default
# order is fastest first). Under CUDA_VISIBLE_DEVICES device 0 is the first one listed there.
export CUDA_DEVICE_ORDER=PCI_BUS_ID
gpu_id=${CUDA_VISIBLE_DEVICES:-0}
gpu_id=${gpu_id%%,*}

command -v nvidia-smi >/dev/null 2>&1 || fail 2 "no NVIDIA GPU here (nvidia-smi not found); $NO_GPU_HINT"
if ! smi=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>&1); then
  fail 2 "no usable NVIDIA GPU (nvidia-smi failed: $(printf '%s\n' "$smi" | head -n 1)); $NO_GPU_HINT"
fi
[[ -n ${smi//[[:space:]]/} ]] || fail 2 "no NVIDIA GPU here (nvidia-smi lists none); $NO_GPU_HINT"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
cli="$root/dist/src/cli/bin.js"
command -v node >/dev/null 2>&1 || fail 2 'node not found on PATH'
[[ -f $cli ]] || fail 2 "$cli not found; run npm run build first"

work=$(mktemp -d "${TMPDIR:-/tmp}/gpu-check.XXXXXX")
serve_pid=''
sampler_pid=''
# shellcheck disable=SC2317 # run by the EXIT trap, which shellcheck does not follow
cleanup() {
  # A serve left behind would hold the GPU and the port after the check has gone.
  if [[ -n $serve_pid ]]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  if [[ -n $sampler_pid ]]; then kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The CLI's own answer: it opens a real CUDA session (after refusing at once when the provider
# library is not installed). No --allow-fallback: a CPU answer must not pass for CUDA.
if ! node "$cli" classify 测试 --labels 体育,财经 --model synthetic:tiny --provider cuda --pairs-per-run all --json >"$work/probe.json" 2>"$work/probe.log"; then
  reason=$(grep -m 1 '^error: ' "$work/probe.log" || tail -n 1 "$work/probe.log")
  reason=${reason#error: }
  reason=${reason%; pass --allow-fallback to run on CPU}
  fail 2 "onnxruntime-node's CUDA provider does not load: ${reason:-classify --provider cuda failed without a message}"
fi
probe_provider=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).provider)' "$work/probe.json") ||
  fail 2 "classify --provider cuda printed no JSON; its log: $(head -n 1 "$work/probe.log")"
[[ $probe_provider == cuda ]] || fail 2 "onnxruntime-node's CUDA provider does not load: classify --provider cuda ran on $probe_provider"

gpu_name=$(nvidia-smi -i "$gpu_id" --query-gpu=name --format=csv,noheader | head -n 1) || fail 2 "nvidia-smi -i $gpu_id names no GPU"

# Each profile after inheritance, as the CLI reads it (its gpuNamePattern, its precision).
show_profile() {
  node "$cli" profiles show "$1" >"$work/profile-$(basename "$1" .json).json" 2>"$work/show.log" ||
    fail 2 "profile $1: $(sed -n '1s/^error: //p' "$work/show.log")"
}
profiles=()
if [[ -n $named ]]; then
  show_profile "$named"
  profiles=("$named")
else
  for profile in $GPU_PROFILES; do
    show_profile "$profile"
    # The CLI's own rule for platform_match: the pattern as a case-insensitive regex.
    if node -e 'const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).platform.gpuNamePattern; process.exit(p !== undefined && new RegExp(p, "i").test(process.argv[2]) ? 0 : 1)' "$work/profile-$profile.json" "$gpu_name"; then
      profiles+=("$profile")
    fi
  done
  ((${#profiles[@]} > 0)) || fail 2 "no profile fits this GPU ($gpu_name); name one: bash scripts/gpu-check.sh a10g|t4|rtx3090"
fi

out=${out:-results/gpu-check-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out/logs" "$out/inputs" || fail 2 "cannot create the results folder $out"
out=$(cd "$out" && pwd)
logs="$out/logs"

# One line naming the failed step, its exit code and its log, then stop.
step_failed() {
  local what=$1 code=$2 log=$3 last
  last=$(grep -m 1 '^error: ' "$log" || tail -n 1 "$log" || true)
  fail 3 "$what failed (exit $code${last:+: ${last#error: }}); log: $log"
}

# nvidia-smi samples of the GPU the profiles use, during one step, for its peak memory and power.
sample_start() {
  nvidia-smi -i "$gpu_id" --query-gpu=memory.used,power.draw --format=csv,noheader,nounits -lms 500 >"$logs/nvidia-smi-$1.csv" 2>/dev/null &
  sampler_pid=$!
}
sample_stop() {
  kill "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=''
}
sample_peaks() {
  # "[N/A]" where a GPU does not report power: left out, and said so.
  awk -F', *' '
    $1 ~ /^[0-9.]+$/ { if ($1 > mem) mem = $1; m = 1 }
    $2 ~ /^[0-9.]+$/ { if ($2 > pw) pw = $2; sum += $2; n++ }
    END {
      printf "nvidia-smi: GPU memory used (all processes) peak %s; power %s\n", m ? mem " MiB" : "n/a", n ? sprintf("peak %.1f W, mean %.1f W over %d samples", pw, sum / n, n) : "n/a"
    }' "$logs/nvidia-smi-$1.csv"
}

# Reads what the CLI wrote and prints summary lines; node because the files are CSV and JSON.
read -r -d '' REPORT <<'JS' || true
const { readFileSync } = require('fs');
const { parse } = require('csv-parse/sync');
const [mode, tag, file, extra] = process.argv.slice(1);
const json = (path) => JSON.parse(readFileSync(path, 'utf8'));
const csv = (path) => parse(readFileSync(path, 'utf8'), { columns: true });
if (mode === 'run') {
  const rows = csv(json(file).files.summary);
  const goal = Number(extra);
  const cudaShare = (row) => Number(/(?:^|; )cuda ([\d.]+)%/.exec(row.provider_kernel_time_shares)?.[1] ?? 0);
  // Each row records a placement; the goal must hold for the lowest.
  const worst = rows.reduce((low, row) => (cudaShare(row) < cudaShare(low) ? row : low));
  // gpu_memory_mb is empty where nvidia-smi did not see this process on the GPU.
  const memory = rows.map((row) => Number(row.gpu_memory_mb || Number.NaN)).filter(Number.isFinite);
  console.log(`${tag} run: actual provider ${[...new Set(rows.map((row) => row.actual_provider))].join(' | ')}, ${worst.precision}`);
  console.log(`${tag} kernel time: ${worst.provider_kernel_time_shares}`);
  console.log(`${tag} placement: ${cudaShare(worst) >= goal ? 'PASS' : 'FAIL'} (cuda ${cudaShare(worst).toFixed(1)}% of kernel time; goal >= ${goal}%)`);
  console.log(`${tag} mean latency: ${rows.map((row) => `${row.labels} labels ${Number(row.mean_ms).toFixed(2)} ms`).join(', ')}`);
  console.log(`${tag} GPU memory of the run's process: ${memory.length > 0 ? `${Math.max(...memory)} MiB` : 'not measured'}`);
} else if (mode === 'ab') {
  const parts = json(file).comparisons.map((c) => `${c.labels} labels ${c.ratio.toFixed(2)}x [${c.interval[0].toFixed(2)}, ${c.interval[1].toFixed(2)}] ${c.verdict}`);
  console.log(`${tag} fp16/fp32 latency (ab, 95% interval): ${parts.join('; ')}`);
} else if (mode === 'load') {
  const rows = csv(json(file).file);
  const levels = rows.map((row) => `c${row.concurrency} ${Number(row.throughput_rps).toFixed(1)} req/s, p95 ${Number(row.p95_ms).toFixed(1)} ms, ${Number(row.mean_batch_requests).toFixed(2)} requests/batch, ${row.errors} errors`);
  // The CSV's batching column says on only where requests were really merged.
  console.log(`${tag} serve (batching ${extra} asked): batching ${rows[0].batching}, ${rows[0].actual_provider}: ${levels.join('; ')}`);
} else if (mode === 'field') {
  console.log(json(file)[extra]);
} else {
  throw new Error(`unknown report mode ${mode}`);
}
JS
report() {
  node -e "$REPORT" "$@" || fail 3 "could not read $3 (report $1)"
}

serve_url=''
start_serve() {
  local profile=$1 step=$2
  shift 2
  node "$cli" serve --profile "$profile" --port 0 "$@" 2>"$logs/$step.log" &
  serve_pid=$!
  # The model loads (and may be built) before it listens: a first build takes a while.
  local waited=0 code=0
  while ! serve_url=$(grep -o -m 1 'listening on http://[^ ]*' "$logs/$step.log"); do
    if ! kill -0 "$serve_pid" 2>/dev/null; then
      wait "$serve_pid" || code=$?
      serve_pid=''
      step_failed "zsc-bench serve --profile $profile $*" "$code" "$logs/$step.log"
    fi
    ((waited < 600)) || fail 3 "zsc-bench serve --profile $profile did not listen within 600 s; log: $logs/$step.log"
    sleep 1
    waited=$((waited + 1))
  done
  serve_url=${serve_url#listening on }
}
stop_serve() {
  local code=0
  # SIGTERM drains: serve answers what it holds, then exits 0.
  kill -TERM "$serve_pid"
  wait "$serve_pid" || code=$?
  serve_pid=''
  ((code == 0)) || step_failed 'zsc-bench serve (on SIGTERM)' "$code" "$logs/$1.log"
}

summary="$work/summary.txt"
before=$(nvidia-smi -i "$gpu_id" --query-gpu=driver_version,memory.used,memory.total,power.draw,power.limit --format=csv,noheader,nounits)
IFS=', ' read -r driver before_mem total_mem before_power power_limit <<<"$before"
{
  echo "results: $out"
  echo "gpu: $gpu_name (nvidia-smi -i $gpu_id), driver $driver, $total_mem MiB"
  echo "before the check: $before_mem MiB used, power $before_power W of a $power_limit W limit"
} >"$summary"

verdict=0
for profile in "${profiles[@]}"; do
  tag=$(basename "$profile" .json)

  step="run-$tag"
  say "$tag: run (5 items x 2 repeats, 1 process)"
  sample_start "$step"
  code=0
  node "$cli" run --profile "$profile" --items 5 --repeats 2 --processes 1 --out "$out" --json >"$logs/$step.json" 2>"$logs/$step.log" || code=$?
  sample_stop
  ((code == 0)) || step_failed "zsc-bench run --profile $profile" "$code" "$logs/$step.log"
  # Assignments, not arguments, so that a report that fails stops the script (set -e).
  lines=$(report run "$tag" "$logs/$step.json" "$GOAL_PERCENT")
  [[ $lines != *'placement: FAIL'* ]] || verdict=1
  peaks=$(sample_peaks "$step")
  printf '%s\n%s run %s\n' "$lines" "$tag" "$peaks" >>"$summary"

  # ab compares two profiles: this one at each precision, kept in inputs/ beside the results.
  step="ab-$tag"
  for precision in fp16 fp32; do
    node -e 'const [file, base, name, precision] = process.argv.slice(1); require("fs").writeFileSync(file, JSON.stringify({ extends: base, name, precision }) + "\n")' \
      "$out/inputs/$tag-$precision.json" "$profile" "$tag-$precision" "$precision"
  done
  say "$tag: ab fp16 vs fp32 (5 items, 3 pass pairs per label count)"
  sample_start "$step"
  code=0
  node "$cli" ab --profile "$out/inputs/$tag-fp16.json" --versus "$out/inputs/$tag-fp32.json" --items 5 --pairs 3 --out "$out" --json >"$logs/$step.json" 2>"$logs/$step.log" || code=$?
  sample_stop
  ((code == 0)) || step_failed "zsc-bench ab ($tag fp16 vs fp32)" "$code" "$logs/$step.log"
  lines=$(report ab "$tag" "$logs/$step.json")
  peaks=$(sample_peaks "$step")
  printf '%s\n%s ab %s\n' "$lines" "$tag" "$peaks" >>"$summary"

  # serve merges requests only at fp32 unless asked: at fp16 or int8 the batch changes scores slightly.
  precision=$(report field "$tag" "$work/profile-$tag.json" precision)
  batching_on=()
  [[ $precision == fp32 ]] || batching_on=(--inexact-batching)
  for batching in on off; do
    step="serve-$tag-batching-$batching"
    flags=("${batching_on[@]}")
    [[ $batching == on ]] || flags=(--no-batching)
    say "$tag: serve (batching $batching) + load (concurrency 1,8, 5 s each)"
    sample_start "$step"
    start_serve "$profile" "$step" "${flags[@]}"
    code=0
    node "$cli" load --url "$serve_url" --concurrency 1,8 --duration 5 --warmup 1 --labels 3 --out "$out" --json >"$logs/load-$tag-batching-$batching.json" 2>"$logs/load-$tag-batching-$batching.log" || code=$?
    stop_serve "$step"
    sample_stop
    ((code == 0)) || step_failed "zsc-bench load (serve $tag, batching $batching)" "$code" "$logs/load-$tag-batching-$batching.log"
    lines=$(report load "$tag" "$logs/load-$tag-batching-$batching.json" "$batching")
    peaks=$(sample_peaks "$step")
    printf '%s\n%s serve batching %s %s\n' "$lines" "$tag" "$batching" "$peaks" >>"$summary"
  done
done

if ((verdict == 0)); then
  echo "result: PASS (cuda ran >= $GOAL_PERCENT% of the kernel time in every profile's run)" >>"$summary"
else
  echo "result: FAIL (a profile's run had under $GOAL_PERCENT% of its kernel time on cuda: not the GPU's numbers)" >>"$summary"
fi
cat "$summary"
exit "$verdict"
