#!/usr/bin/env bash
# Creates the schemathesis virtualenv of llmops in <workspace>/.venv-schemathesis (git-ignored) and installs
# tools/schemathesis/requirements.txt into it. Does nothing when the venv already holds exactly these
# requirements (same SHA-256 of requirements.txt and the same python3) and imports schemathesis.
#
# Usage: bash tools/schemathesis/setup-venv.sh [workspace-root]
# Exit codes: 0 ready, 1 python3 missing or the install failed.
set -euo pipefail

script_directory="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workspace_root="$(cd "${1:-${script_directory}/../..}" && pwd)"
requirements="${script_directory}/requirements.txt"
venv="${workspace_root}/.venv-schemathesis"
stamp="${venv}/.requirements.sha256"

if ! command -v python3 >/dev/null 2>&1; then
  echo "setup-venv: python3 is not on PATH; install Python 3.10+ (with the venv module) first" >&2
  exit 1
fi

wanted="$( (sha256sum "${requirements}" | cut -d' ' -f1; python3 --version) | sha256sum | cut -d' ' -f1)"

venv_is_current() {
  [[ -x "${venv}/bin/python" && -f "${stamp}" && "$(cat "${stamp}")" == "${wanted}" ]] &&
    "${venv}/bin/python" -c 'import schemathesis' >/dev/null 2>&1
}

if venv_is_current; then
  echo "setup-venv: ${venv} is up to date"
  exit 0
fi

mkdir -p "${venv}"
# Two test runs may start at once (several packages' integration targets): one installs, the other waits.
exec 9>"${venv}/.install.lock"
flock 9
if venv_is_current; then
  echo "setup-venv: ${venv} is up to date"
  exit 0
fi

echo "setup-venv: installing $(grep -v '^#' "${requirements}" | xargs) into ${venv} (takes a few minutes the first time)"
if [[ ! -x "${venv}/bin/python" ]]; then
  python3 -m venv "${venv}"
fi
# pip warns once per package about index folders of this machine's pip config that lack it: noise.
quiet_pip() {
  "${venv}/bin/python" -m pip "$@" 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
}
quiet_pip install --quiet --upgrade pip
quiet_pip install --quiet -r "${requirements}"
"${venv}/bin/python" -m schemathesis.cli --version
echo "${wanted}" >"${stamp}"
