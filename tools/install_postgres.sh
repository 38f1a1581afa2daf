#!/usr/bin/env bash
# Install PostgreSQL's server for the gradebook tests (Debian's postgresql package; apt-get, as root), unless its
# programs are already here. The tests start their own throwaway server on the loopback (tools/pgserver.py).
set -euo pipefail
if command -v pg_ctl >/dev/null || compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
    echo "PostgreSQL present: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1 || command -v pg_ctl)"
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "No PostgreSQL and no apt-get: install PostgreSQL's server with your system's package manager" \
         "(dnf install postgresql-server, pacman -S postgresql, ...) and put pg_ctl on PATH." >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# Debian's package would start its own cluster on port 5432: the policy below keeps services from starting.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends postgresql >/dev/null
echo "PostgreSQL installed: $(ls -d /usr/lib/postgresql/*/bin | tail -1)"
