#!/usr/bin/env bash
# Sets up and starts GGnet on this machine (Debian 12), on the embedded SQLite database.
# By default in lab mode: GGnet makes its own private network inside this machine and boots virtual PCs
# there; nothing reaches your real network, and the web UI listens on 127.0.0.1 only.
# Usage: sudo bash deploy/run.sh [--port N] [--listen ADDRESS] [--data DIR] [--lab | --production]
#        sudo bash deploy/run.sh --reset-admin-password [--data DIR]   (a new admin password, GGnet running or not)
#   --production  serve real PCs on the boot network set in Settings (DHCP, TFTP, iSCSI on a real interface)
#   --lab         lab mode even if Settings chose production
# Without --lab/--production the mode is the one chosen in Settings (lab until you switch).
# Prints the URL and, on the first run, the admin password. Stop it with Ctrl+C.
set -euo pipefail

usage="Usage: sudo bash deploy/run.sh [--port N] [--listen ADDRESS] [--data DIR] [--lab | --production] [--reset-admin-password]"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${GGNET_PORT:-5000}
listen=${GGNET_LISTEN:-}
data=${GGNET__Database__DataDirectory:-/var/lib/ggnet}
mode=
reset=
while [ $# -gt 0 ]; do
  case $1 in
    --port) port=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --listen) listen=$2; shift 2 ;;
    --lab) mode=lab; shift ;;
    --production) mode=production; shift ;;
    --reset-admin-password) reset=yes; shift ;;
    *) echo "Unknown option $1. $usage" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "GGnet needs root: it runs dhcpd, tftpd and tgtd, and in lab mode creates a private network namespace with virtual PCs. Run: sudo bash deploy/run.sh" >&2
  exit 1
fi

if ! command -v dotnet >/dev/null; then
  echo "GGnet needs the .NET 10 SDK: install it (https://learn.microsoft.com/dotnet/core/install/linux-debian), then run this again." >&2
  exit 1
fi
if ! mkdir -p "$data" 2>/dev/null || [ ! -w "$data" ]; then
  echo "GGnet can't write its data directory $data: pass --data DIR with a writable directory." >&2
  exit 1
fi

# The mode: an explicit flag (or GGNET__Lab__Enabled) wins; then the choice saved in Settings (mode.json);
# then production only if a boot network is configured (as GGnet itself decides); else lab.
if [ -z "$mode" ] && [ -n "${GGNET__Lab__Enabled:-}" ]; then
  mode=$([ "$GGNET__Lab__Enabled" = true ] && echo lab || echo production)
fi
if [ -n "$mode" ]; then
  export GGNET__Lab__Enabled=$([ "$mode" = lab ] && echo true || echo false)
elif [ -f "$data/mode.json" ]; then
  mode=$(grep -q '"Enabled": false' "$data/mode.json" && echo production || echo lab)
elif grep -qs '"ServerAddress"' "$data/network.json" /etc/ggnet/appsettings.json; then
  mode=production
else
  mode=lab
fi

# The programs GGnet drives: ISC dhcpd, tftpd-hpa, Debian's iPXE binaries, dnsmasq for proxyDHCP, tgt for iSCSI,
# iproute2 for the lab network, QEMU with its iPXE network ROMs and OVMF for the lab's virtual PCs, and what builds
# the lab's real-OS image from Debian packages (debootstrap, GRUB for BIOS and UEFI, FAT and GPT tools).
packages=(isc-dhcp-server tftpd-hpa ipxe dnsmasq-base tgt iproute2 socat qemu-system-x86 qemu-system-common qemu-utils ipxe-qemu ovmf debootstrap dosfstools mtools gdisk grub-common grub-pc-bin grub-efi-amd64-bin zstd)
daemons=(isc-dhcp-server tftpd-hpa tgt)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}…"
  # In lab mode GGnet runs its own dhcpd, tftpd and tgtd inside the lab: the packages' own services must not
  # start on this machine's real interfaces, not even for a moment during the install.
  blocked=
  if [ "$mode" = lab ] && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && blocked=yes
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { [ -n "$blocked" ] && rm -f /usr/sbin/policy-rc.d; exit 1; }
  [ -n "$blocked" ] && rm -f /usr/sbin/policy-rc.d
  if [ "$mode" = lab ]; then
    for p in "${missing[@]}"; do
      for d in "${daemons[@]}"; do
        if [ "$p" = "$d" ]; then
          systemctl disable --now "$d" >/dev/null 2>&1 || true
          echo "Lab mode: the $d service stays off on this machine (GGnet runs its own inside the lab)."
        fi
      done
    done
  fi
fi

# In production GGnet uses Debian's tgt service: with 4 I/O threads a disk, as install.sh sets it (deploy/tgt-threads.sh).
if [ "$mode" = production ] && [ -z "$reset" ]; then
  bash "$repo/deploy/tgt-threads.sh"
fi

out="$repo/.build/ggnet"
if [ -n "$reset" ]; then
  # GGnet may be running from $out: it is not rebuilt under it.
  [ -f "$out/GGnet.Web.dll" ] || dotnet publish "$repo/GGnet.Web/GGnet.Web.csproj" -c Release -o "$out" --nologo -v quiet
  export GGNET__Database__DataDirectory="$data"
  cd "$out"
  exec dotnet "$out/GGnet.Web.dll" reset-admin-password
fi
# Built already, and no file of the repository changed since: start at once.
changed=yes
if [ -f "$out/GGnet.Web.dll" ]; then
  changed=$(find "$repo" \( -path "$repo/.build" -o -path "$repo/.git" -o -path "$repo/artifacts" -o -name bin -o -name obj \) -prune \
    -o -type f -newer "$out/GGnet.Web.dll" -print -quit)
fi
if [ -n "$changed" ]; then
  echo "Building GGnet (Release)…"
  # A fresh folder each time: publish copies by timestamp and would keep a stale newer-dated library.
  rm -rf "$out"
  dotnet publish "$repo/GGnet.Web/GGnet.Web.csproj" -c Release -o "$out" --nologo -v quiet
  touch "$out/GGnet.Web.dll"
else
  echo "GGnet is built already and no source changed since: starting it."
fi

# In lab mode nothing needs to reach GGnet from outside this machine: listen on loopback unless told otherwise.
if [ -z "$listen" ]; then
  listen=$([ "$mode" = lab ] && echo 127.0.0.1 || echo 0.0.0.0)
fi

if [ "$mode" = lab ]; then
  echo "GGnet starts in lab mode: its own private network inside this machine, with virtual PCs. Your real network is untouched."
  echo "Open http://127.0.0.1:$port, log in as 'admin' and click \"Boot 3 virtual PCs\"."
  [ "$listen" = 127.0.0.1 ] && echo "(On a remote server: ssh -L $port:127.0.0.1:$port this-server, or run with --listen 0.0.0.0.)"
else
  echo "GGnet starts in production mode on http://$listen:$port: it serves real PCs on the boot network set in Settings."
fi
if [ -f "$data/ggnet.db" ]; then
  echo "Lost the admin password? sudo bash deploy/run.sh --reset-admin-password gives a new one."
else
  echo "This is the first run: GGnet prints the admin password below (once)."
fi
export GGNET__Database__DataDirectory="$data"
export ASPNETCORE_URLS="http://$listen:$port"
cd "$out"
exec dotnet "$out/GGnet.Web.dll"
