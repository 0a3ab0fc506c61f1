#!/bin/bash
# Queue the grading array and, after it, the merge:  LAB=lab1 SEED=2021 ./submit.sh
# Run it from the folder that holds submissions/<lab>/ and mit6s191-grader.sif.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${LAB:?set LAB, e.g. LAB=lab1}" "${SEED:?set SEED: one seed for the whole class}"
mkdir -p logs
grade=$(sbatch --parsable --export="ALL,LAB=$LAB,SEED=$SEED,WORK=$PWD" "$here/grade.sbatch")
merge=$(sbatch --parsable --dependency="afterok:${grade%%;*}" --export="ALL,WORK=$PWD" \
  "$here/merge.sbatch")
echo "grading: job array $grade; merge: job $merge (starts when every shard succeeded)"
