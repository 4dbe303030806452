#!/usr/bin/env bash
# Fuzzes the llmops API with schemathesis against its own GET /openapi.json: starts tools/schemathesis/fuzz-target.ts
# (the whole API on an embedded store, an admin key of its own, an offline model registered), runs schemathesis with
# the admin key on every operation, and stops the server. Checks: no 5xx, every answer valid against its documented
# schema, status code and content type, and a method a path does not take answered 405 with `Allow` listing exactly
# the documented methods. Reports (JUnit, NDJSON) go to --report-dir.
#
# Usage: bash tools/schemathesis/run.sh [--max-examples N] [--report-dir DIR] [--seed N]
#   --max-examples  examples per operation and phase (default 20; CI runs 5)
# Exit codes: 0 no failure, 1 a check failed or the target did not start.
set -euo pipefail

script_directory="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${script_directory}/../.." && pwd)"
max_examples=20
report_dir=""
seed=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --max-examples) max_examples="$2"; shift 2 ;;
    --report-dir) report_dir="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "run.sh: unknown option $1 (expected --max-examples, --report-dir or --seed)" >&2; exit 2 ;;
  esac
done

bash "${script_directory}/setup-venv.sh" "${root}" >&2
work="$(mktemp -d)"
report_dir="${report_dir:-${work}/reports}"
mkdir -p "${report_dir}"
cd "${root}"
# In a process group of its own: npx and tsx start child processes, and the whole group is stopped at the end.
setsid npx tsx --conditions=@llmops/source tools/schemathesis/fuzz-target.ts --key-file "${work}/admin-key" \
  >"${work}/target.log" 2>&1 &
target=$!
cleanup() {
  kill -- "-${target}" 2>/dev/null || true
  wait "${target}" 2>/dev/null || true
  rm -rf "${work}/admin-key"
}
trap cleanup EXIT

url=""
for _ in $(seq 1 240); do
  url="$(sed -n 's/^listening //p' "${work}/target.log")"
  [[ -n "${url}" ]] && break
  if ! kill -0 "${target}" 2>/dev/null; then
    echo "run.sh: the fuzz target stopped before listening:" >&2
    cat "${work}/target.log" >&2
    exit 1
  fi
  sleep 0.5
done
if [[ -z "${url}" ]]; then
  echo "run.sh: the fuzz target did not listen within 120 s" >&2
  exit 1
fi

# Left out: POST /api/v1/evaluations (a generated body may name any endpoint URL, which the evaluation would call) and
# revoking or rotating keys (the stateful phase follows GET /api/v1/keys to the run's own admin key and revokes it).
"${root}/.venv-schemathesis/bin/schemathesis" run "${url}/openapi.json" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance,unsupported_method,allow_header_conformance \
  --header "Authorization: Bearer $(cat "${work}/admin-key")" \
  --exclude-operation-id postApiV1Evaluations \
  --exclude-operation-id postApiV1KeysIdRevoke \
  --exclude-operation-id postApiV1KeysIdRotate \
  --max-examples "${max_examples}" \
  ${seed:+--seed "${seed}"} \
  --workers 1 \
  --no-color \
  --report junit,ndjson --report-dir "${report_dir}"
