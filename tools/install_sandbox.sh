#!/usr/bin/env bash
# Install the sandbox of the grading kernels: Debian's bubblewrap package (command `bwrap`; apt-get, as root),
# then check that it can start a jail here (user namespaces allowed; see the README's host requirements).
set -euo pipefail
BWRAP=${BWRAP:-bwrap}
if ! command -v "$BWRAP" >/dev/null; then
    if ! command -v apt-get >/dev/null; then
        echo "No $BWRAP and no apt-get: install bubblewrap with your system's package manager" \
             "(dnf install bubblewrap, pacman -S bubblewrap, ...) or set BWRAP=/path/to/bwrap." >&2
        exit 1
    fi
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
    $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends bubblewrap >/dev/null
fi
echo "bubblewrap present: $(command -v "$BWRAP") ($("$BWRAP" --version 2>/dev/null || echo "version unknown"))"
# The same probe autograding runs before the first kernel (tools/grading_kernel.py: probe): the kernel's
# namespaces, on a read-only root. Root needs no user namespace; an ordinary user does.
USERNS=""
if [ "$(id -u)" -ne 0 ]; then
    USERNS="--unshare-user"
fi
if ! "$BWRAP" $USERNS --unshare-pid --unshare-net --unshare-ipc --unshare-uts --unshare-cgroup-try \
        --die-with-parent --cap-drop ALL --ro-bind / / --proc /proc --dev /dev -- /bin/true; then
    if [ -z "$USERNS" ]; then
        echo "bwrap is installed but cannot start a sandbox here, as root: it needs CAP_SYS_ADMIN" \
             "(in Docker: --privileged, or --cap-add SYS_ADMIN --security-opt seccomp=unconfined" \
             "--security-opt apparmor=unconfined). See the README's host requirements." >&2
    else
        echo "bwrap is installed but cannot start a sandbox here: unprivileged user namespaces are refused" \
             "(kernel.unprivileged_userns_clone=0, kernel.apparmor_restrict_unprivileged_userns=1 or" \
             "user.max_user_namespaces=0). See the README's host requirements." >&2
    fi
    exit 1
fi
echo "sandbox check: bwrap starts a jail without network"
