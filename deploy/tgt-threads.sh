#!/bin/bash
# Debian's tgt service with 4 I/O threads for each disk tgtd serves (tgtd -t), not tgt's 16: with 16, 1000 PCs with a
# game disk each make 32,000 threads, as many as the kernel allows processes by default; 4 read and write as fast
# (docs/benchmarks.md). GGnet's own tgtd (lab mode) gets the same from Iscsi:TgtIoThreads.
# Writes a drop-in for the service and restarts tgt if it serves no target now (else it says when the change takes
# effect). Run by deploy/install.sh and by deploy/run.sh --production; undone by deploy/uninstall.sh.
# Usage: sudo bash deploy/tgt-threads.sh [ROOT]    (ROOT: only lay the file out under ROOT, as install.sh --root does)
set -euo pipefail

root=${1:-}
threads=4
dropin="$root/etc/systemd/system/tgt.service.d/ggnet.conf"
text="# Written by GGnet (deploy/tgt-threads.sh): tgtd with $threads I/O threads for each disk it serves (16 by default).
[Service]
ExecStart=
ExecStart=/usr/sbin/tgtd -f -t $threads"

if [ "$(cat -- "$dropin" 2>/dev/null)" = "$text" ]; then
  exit 0
fi
install -d -m 0755 -o root -g root -- "$(dirname -- "$dropin")"
temporary=$(mktemp "$(dirname -- "$dropin")/.ggnet-tgt.XXXXXX")
printf '%s\n' "$text" > "$temporary"
chmod 0644 "$temporary"
chown root:root "$temporary"
mv -f -- "$temporary" "$dropin"

if [ -n "$root" ] || [ ! -d /run/systemd/system ]; then
  exit 0
fi
systemctl daemon-reload
if systemctl is-active -q tgt; then
  if [ -z "$(tgtadm --lld iscsi --op show --mode target 2>/dev/null)" ]; then
    systemctl restart tgt
  else
    echo "tgt serves PCs now: it takes $threads I/O threads a disk at its next start (systemctl restart tgt once no PC runs, or a reboot)."
  fi
fi
