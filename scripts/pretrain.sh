#!/usr/bin/env bash
# Pretrains the shipped base model (model/src/main/resources/io/bayesweep/model/base-model.bsw) and writes
# its sample grid. Resumable: run it again with the same STATE folder and it continues from the last
# 500-step checkpoint (the schedule depends only on the step); --max-minutes bounds one working period.
# Usage: scripts/pretrain.sh [STATE_DIR] [MAX_MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
state=${1:-data/pretrain}
minutes=${2:-1e9}
./mvnw -q -pl model -am -DskipTests install
./mvnw -q -pl model dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
mkdir -p "$state"
OMP_WAIT_POLICY=PASSIVE java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads=2 -Xmx2g \
  -cp "model/target/classes:$(cat model/target/classpath.txt)" io.bayesweep.model.Pretrain \
  --steps 40000 --batch 32 --lr 1e-3 --ema 0.999 --seed 1 --max-minutes "$minutes" --state "$state" \
  --out "$state/base-model.bsw" --grid "$state/pretrain-samples.png"
echo "to ship it: cp $state/base-model.bsw model/src/main/resources/io/bayesweep/model/base-model.bsw;" \
  "cp $state/pretrain-samples.png docs/model-pretrain-samples.png"
