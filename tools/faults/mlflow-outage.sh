#!/usr/bin/env bash
# Runs the MLflow outage suite (packages/composition/src/serving/mlflow-outage.integration.ts): a real mlflow server
# killed and restarted during traffic, then black-holed while the server closes. It runs in CI too (the composition
# integration target); this script runs it alone, for example several times in a row (wiki/MLflow.md, "MLflow outage").
# Usage: bash tools/faults/mlflow-outage.sh [runs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "${root}/packages/composition"
runs="${1:-1}"
for ((run = 1; run <= runs; run++)); do
  echo "mlflow-outage: run ${run} of ${runs}"
  npx jest -c jest.integration.config.cts -- src/serving/mlflow-outage.integration.ts
done
