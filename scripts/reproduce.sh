#!/usr/bin/env bash
# Small-scale reproduction of the corruption stage (docs/reproduction.md): one-shot fine-tuning runs of a held-out
# subject with the bundled base model (baselines at several learning rates, then BNN runs), then charts, sample
# strips and a summary table from the stored metrics.
#
# Resumable: stop it at any time (Ctrl-C, kill, --max-minutes M, or `touch $OUT/STOP`) and run the same command
# again: finished runs are skipped, an unfinished one resumes from its newest checkpoint (every 250 steps).
#
# Usage: scripts/reproduce.sh [all|run] [runner options] | scripts/reproduce.sh report [report options]
#   scripts/reproduce.sh                                  # build, run the default plan (subject wink), report
#   scripts/reproduce.sh run --max-minutes 45             # one working period of runs, no report
#   scripts/reproduce.sh run --only base                  # the baselines only (names matching a regex)
#   scripts/reproduce.sh all --subjects wink,blue_heart   # both subjects
#   scripts/reproduce.sh all --bnn-lr 1e-3                # BNN runs at the baseline lr with the clearest dip
#   scripts/reproduce.sh all --plan my-plan.tsv           # a plan file (format: report/.../Plan.java)
#   scripts/reproduce.sh run --print-plan                 # print the effective plan as a plan file
#   scripts/reproduce.sh report                           # charts + summary from what is stored
#   scripts/reproduce.sh run --plan P.tsv --base-model data/pretrain-8k/base-model.bsw   # another base model
#   FIGURES=docs/x scripts/reproduce.sh report --only '^e2-wink-base'                 # charts of some runs only
# Environment: OUT (data/reproduction), FIGURES (docs/reproduction), THREADS (libtorch threads, 1),
#   XMX (1g), SKIP_BUILD=1 (use the last build), MVN_ARGS (extra Maven arguments, e.g. -Pcuda for a GPU build).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=all
case "${1:-}" in
  all|run|report) mode=$1; shift ;;
esac
out=${OUT:-data/reproduction}
figures=${FIGURES:-docs/reproduction}
threads=${THREADS:-1}
xmx=${XMX:-1g}

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  # one reactor build, so the classpath names this working tree's core and model (and its bundled base model)
  ./mvnw -q -B ${MVN_ARGS:-} -pl report -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/report-classpath.txt -DincludeScope=runtime
fi
cp="report/target/classes:$(cat report/target/report-classpath.txt)"
jvm=(-Dai.djl.offline=true -DOPT_OUT_TRACKING=true "-Dai.djl.pytorch.num_threads=$threads" "-Xmx$xmx"
     -Djava.awt.headless=true)

status=0
if [[ $mode != report ]]; then
  rm -f "$out/STOP"
  OMP_WAIT_POLICY=PASSIVE java "${jvm[@]}" -cp "$cp" io.bayesweep.report.ReproductionRunner --out "$out" "$@" \
    || status=$?
  for a in "$@"; do [[ $a == --print-plan ]] && exit $status; done
fi
if [[ $mode == report ]]; then
  # report alone: the arguments are the report's (--only REGEX, --strip-steps N, ...)
  java "${jvm[@]}" -cp "$cp" io.bayesweep.report.ReproductionReport --data "$out" --figures "$figures" "$@"
elif [[ $mode == all ]]; then
  java "${jvm[@]}" -cp "$cp" io.bayesweep.report.ReproductionReport --data "$out" --figures "$figures"
fi
exit $status
