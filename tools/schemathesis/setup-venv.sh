#!/usr/bin/env bash
# Creates the schemathesis virtualenv of llmops in <workspace>/.venv-schemathesis (git-ignored) and installs
# tools/schemathesis/requirements.txt into it (tools/python/venv.sh: a no-op when the requirements are unchanged).
#
# Usage: bash tools/schemathesis/setup-venv.sh [workspace-root]
# Exit codes: 0 ready, 1 python3 missing or the install failed.
set -euo pipefail

script_directory="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workspace_root="$(cd "${1:-${script_directory}/../..}" && pwd)"
# shellcheck source=../python/venv.sh
source "${script_directory}/../python/venv.sh"
ensure_python_venv "${workspace_root}/.venv-schemathesis" "${script_directory}/requirements.txt" \
  'import schemathesis' 'import schemathesis; print("setup-venv: schemathesis", schemathesis.__version__, "ready")'
