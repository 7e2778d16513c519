#!/bin/bash
# A stand-in for Slurm's sbatch, for tests (TestSlurmRecipe copies it onto
# PATH as `sbatch`). It does what sbatch and the scheduler together do for a
# job array, at once and one task after another:
#
#   - a batch script: its #SBATCH lines are read up to the first command
#     (options on the command line win), the --array spec is expanded
#     (lists, ranges, steps, a %limit ignored) and the script runs once per
#     task id with SLURM_JOB_ID, SLURM_ARRAY_JOB_ID, SLURM_ARRAY_TASK_ID,
#     _COUNT, _MIN, _MAX, _STEP and SLURM_CPUS_PER_TASK set as Slurm sets
#     them; then the jobs that depend on the array run.
#   - --wrap=CMD: runs CMD under bash at once, or with --dependency=afterok:ID
#     or afterany:ID once job ID has ended: afterany always, afterok only if
#     every task exited 0, else it never runs (DependencyNeverSatisfied).
#
# Everything is recorded under $FAKE_SLURM: job-ID.sh (a wrapped command),
# array-ID_TASK.out and .rc (a task's output and exit status), job-ID.out and
# .rc (a wrapped job's; .rc holds "never" for an unsatisfied dependency).
# It prints "Submitted batch job ID" as sbatch does; an option it does not
# know is an error, so that a recipe cannot rely on something it ignores.
set -u
state=${FAKE_SLURM:?FAKE_SLURM names the stand-in scheduler state directory}
declare -A opt

# set_opt NAME VALUE [keep]: records a long option; with keep, an option
# already given (on the command line) wins.
set_opt() {
  local name=$1
  case $name in
  -a) name=--array ;;
  -d) name=--dependency ;;
  -c) name=--cpus-per-task ;;
  -J) name=--job-name ;;
  -o) name=--output ;;
  -t) name=--time ;;
  esac
  case $name in
  --array | --dependency | --wrap | --cpus-per-task | --job-name | --output | --mem | --time) ;;
  *)
    echo "sbatch (stand-in): unsupported option $1" >&2
    exit 1
    ;;
  esac
  if [ -z "${3-}" ] || [ -z "${opt[$name]+set}" ]; then
    opt[$name]=$2
  fi
}

script=
while [ $# -gt 0 ]; do
  case $1 in
  --*=*) set_opt "${1%%=*}" "${1#*=}" ;;
  -*)
    set_opt "$1" "${2-}"
    shift
    ;;
  *)
    script=$1
    break
    ;;
  esac
  shift
done

if [ -n "$script" ]; then
  while IFS= read -r line; do
    case $line in
    '#SBATCH '*)
      d=${line#'#SBATCH '}
      case $d in
      --*=*) set_opt "${d%%=*}" "${d#*=}" keep ;;
      *) set_opt "${d%% *}" "${d#* }" keep ;;
      esac
      ;;
    '#'* | '') ;;
    *) break ;;
    esac
  done <"$script"
fi

id=$(($(cat "$state/next" 2>/dev/null || echo 100) + 1))
echo "$id" >"$state/next"
echo "Submitted batch job $id"

# run_job ID: runs the wrapped job ID outside any array task.
run_job() {
  (
    unset SLURM_ARRAY_JOB_ID SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_COUNT \
      SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_MAX SLURM_ARRAY_TASK_STEP
    export SLURM_JOB_ID=$1
    bash "$state/job-$1.sh" >"$state/job-$1.out" 2>&1
    echo $? >"$state/job-$1.rc"
  )
}

# release ID: runs or cancels the jobs waiting for job ID, which has ended.
release() {
  local ok
  ok=$(cat "$state/done-$1")
  for f in "$state"/wait-*; do
    [ -e "$f" ] || continue
    local j=${f##*/wait-} dep
    dep=$(cat "$f")
    case $dep in
    afterany:"$1") run_job "$j" ;;
    afterok:"$1") if [ "$ok" = ok ]; then run_job "$j"; else echo never >"$state/job-$j.rc"; fi ;;
    *) continue ;;
    esac
    rm -f "$f"
  done
}

if [ -n "${opt[--wrap]+set}" ]; then
  printf 'cd %q\n%s\n' "$PWD" "${opt[--wrap]}" >"$state/job-$id.sh"
  dep=${opt[--dependency]-}
  case $dep in
  '') run_job "$id" ;;
  afterok:* | afterany:*)
    echo "$dep" >"$state/wait-$id"
    if [ -e "$state/done-${dep#*:}" ]; then release "${dep#*:}"; fi
    ;;
  *)
    echo "sbatch (stand-in): unsupported dependency $dep" >&2
    exit 1
    ;;
  esac
  echo ok >"$state/done-$id"
  exit 0
fi

[ -n "$script" ] || {
  echo "sbatch (stand-in): no batch script" >&2
  exit 1
}
spec=${opt[--array]:?sbatch (stand-in): only job arrays are run; give --array}
spec=${spec%%\%*}
IFS=, read -ra parts <<<"$spec"
ids=()
step=1
for p in "${parts[@]}"; do
  s=1
  if [[ $p == *:* ]]; then
    s=${p#*:}
    p=${p%%:*}
  fi
  [ "${#parts[@]}" -eq 1 ] && step=$s
  for ((t = ${p%-*}; t <= ${p#*-}; t += s)); do ids+=("$t"); done
done
mapfile -t ids < <(printf '%s\n' "${ids[@]}" | sort -n -u)

ok=ok
for t in "${ids[@]}"; do
  SLURM_JOB_ID=$((id + t)) SLURM_ARRAY_JOB_ID=$id SLURM_ARRAY_TASK_ID=$t \
    SLURM_ARRAY_TASK_COUNT=${#ids[@]} SLURM_ARRAY_TASK_MIN=${ids[0]} \
    SLURM_ARRAY_TASK_MAX=${ids[-1]} SLURM_ARRAY_TASK_STEP=$step \
    SLURM_CPUS_PER_TASK=${opt[--cpus-per-task]-} \
    bash "$script" >"$state/array-${id}_$t.out" 2>&1
  rc=$?
  echo $rc >"$state/array-${id}_$t.rc"
  [ $rc -eq 0 ] || ok=failed
done
echo $ok >"$state/done-$id"
release "$id"
