#!/usr/bin/env bash
# Install Debian packages a test group needs, when they are missing (sourced by the setup-*.sh
# scripts): apt_install "what needs them" [--no-install-recommends] PACKAGE...; nothing to do, no call.
apt_install() {
  local purpose="$1"; shift
  local options=()
  if [ "${1:-}" = "--no-install-recommends" ]; then options+=("$1"); shift; fi
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "${purpose} need: $* (Debian: sudo apt-get install $*)" >&2
    return 1
  fi
  echo "installing $* for the ${purpose}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${options[@]}" "$@" >/dev/null
}
