#!/usr/bin/env bash
# What the Makefile's targets need from the machine, installed and started when missing.
#
#   harness/setup/system.sh all      # make test, bench, images
#   harness/setup/system.sh sandbox  # make run, reproduce-table, claim
#
# As root: installs the missing apt packages (docker.io, bubblewrap, debootstrap, git; one
# `apt-get update` first, only then) and starts dockerd in the background (log: $DOCKERD_LOG),
# waiting at most $DOCKERD_WAIT seconds for `docker info` to answer. Not root: prints the commands
# to run, one per line, and exits 1 if something required is missing: everything for `all`; git
# and a sandbox (a Docker engine, or bubblewrap for the local one) for `sandbox`. When all is there it
# only checks (well under a second).
set -euo pipefail
need=${1:-}
[[ $need == all || $need == sandbox ]] || { echo "usage: $0 all|sandbox" >&2; exit 2; }
log=${DOCKERD_LOG:-/tmp/dockerd.log}
wait_s=${DOCKERD_WAIT:-90}
export DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes
PATH=$PATH:/usr/sbin:/sbin  # dockerd and debootstrap live there; a user's PATH may lack them

declare -A package=([docker]=docker.io [dockerd]=docker.io [bwrap]=bubblewrap
                    [debootstrap]=debootstrap [git]=git)
missing=()
for cmd in docker dockerd bwrap debootstrap git; do
  command -v "$cmd" >/dev/null || [[ " ${missing[*]} " == *" ${package[$cmd]} "* ]] \
    || missing+=("${package[$cmd]}")
done
engine_up() { docker info >/dev/null 2>&1; }

if [[ $EUID -ne 0 ]]; then
  todo=()
  ((${#missing[@]})) && todo+=("sudo apt-get update" "sudo apt-get install -y ${missing[*]}")
  if ! engine_up; then
    if [[ -S /var/run/docker.sock ]]; then todo+=("sudo usermod -aG docker $(id -un)  # then log in again")
    else todo+=("sudo sh -c 'setsid nohup dockerd >$log 2>&1 </dev/null &'"); fi
  fi
  ((${#todo[@]})) || exit 0
  # a sandbox is Docker or bubblewrap (the local one); debootstrap only builds images not yet built
  if [[ $need == sandbox ]] && command -v git >/dev/null \
     && { engine_up || command -v bwrap >/dev/null; }; then
    echo "note: not everything the harness can use is here; to add it, run:" >&2
    printf '  %s\n' "${todo[@]}" >&2
    engine_up || echo "note: no Docker engine, so runs use the local bubblewrap sandbox" >&2
    exit 0
  fi
  echo "error: this needs what is missing here (${missing[*]:-a Docker engine this user can reach}); run:" >&2
  printf '%s\n' "${todo[@]}"
  exit 1
fi

if ((${#missing[@]})); then
  echo "installing ${missing[*]} (apt-get)" >&2
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" ca-certificates >/dev/null
fi

engine_up && exit 0
echo "starting dockerd (log: $log)" >&2
setsid nohup dockerd >"$log" 2>&1 </dev/null &
for _ in $(seq "$wait_s"); do
  engine_up && exit 0
  kill -0 $! 2>/dev/null || break  # dockerd exited: no point waiting longer
  sleep 1
done
kill -0 $! 2>/dev/null && why="did not answer \`docker info\` within ${wait_s}s" || why=exited
echo "error: dockerd $why; last lines of $log:" >&2
tail -n 20 "$log" >&2
[[ $need == sandbox ]] && command -v bwrap >/dev/null \
  && { echo "note: going on with the local bubblewrap sandbox" >&2; exit 0; }
exit 1
