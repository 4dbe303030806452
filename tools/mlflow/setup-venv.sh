#!/usr/bin/env bash
# Creates the MLflow virtualenv of llmops in <workspace>/.venv-mlflow (git-ignored) and installs
# tools/mlflow/requirements.txt into it (tools/python/venv.sh: a no-op when the requirements are unchanged).
#
# Usage: bash tools/mlflow/setup-venv.sh [workspace-root]
# Exit codes: 0 ready, 1 python3 missing or the install failed.
set -euo pipefail

script_directory="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workspace_root="$(cd "${1:-${script_directory}/../..}" && pwd)"
# shellcheck source=../python/venv.sh
source "${script_directory}/../python/venv.sh"
ensure_python_venv "${workspace_root}/.venv-mlflow" "${script_directory}/requirements.txt" \
  'import mlflow, psycopg2' 'import mlflow; print("setup-venv: mlflow", mlflow.__version__, "ready")'
