#!/usr/bin/env bash
# The one way llmops fills a Python virtualenv for its tools (MLflow, schemathesis): sourced by
# tools/<tool>/setup-venv.sh, never run on its own.
#
# ensure_python_venv VENV REQUIREMENTS IMPORTS READY
#   Creates VENV (git-ignored) and installs REQUIREMENTS into it, then runs the Python code READY (which prints the
#   tool's version). Does nothing when VENV already holds exactly these requirements (same SHA-256 of the file and the
#   same python3) and the Python statement IMPORTS succeeds. Two callers at once: one installs, the other waits.
#   Returns 1 when python3 is missing or the install failed.
ensure_python_venv() {
  local venv="$1" requirements="$2" imports="$3" ready="$4"
  local stamp="${venv}/.requirements.sha256" wanted
  if ! command -v python3 >/dev/null 2>&1; then
    echo "setup-venv: python3 is not on PATH; install Python 3.10+ (with the venv module) first" >&2
    return 1
  fi
  wanted="$( (sha256sum "${requirements}" | cut -d' ' -f1; python3 --version) | sha256sum | cut -d' ' -f1)"
  venv_is_current() {
    [[ -x "${venv}/bin/python" && -f "${stamp}" && "$(cat "${stamp}")" == "${wanted}" ]] &&
      "${venv}/bin/python" -c "${imports}" >/dev/null 2>&1
  }
  if venv_is_current; then
    echo "setup-venv: ${venv} is up to date"
    return 0
  fi
  mkdir -p "${venv}"
  # Two test runs may start at once (several packages' integration targets): one installs, the other waits.
  exec 9>"${venv}/.install.lock"
  flock 9
  if venv_is_current; then
    echo "setup-venv: ${venv} is up to date"
    return 0
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
  "${venv}/bin/python" -c "${ready}"
  echo "${wanted}" >"${stamp}"
}
