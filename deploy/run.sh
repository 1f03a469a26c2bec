#!/usr/bin/env bash
# Sets up and starts GGnet on this machine (Debian 12), on the embedded SQLite database.
# Usage: bash deploy/run.sh [--port N] [--listen ADDRESS] [--data DIR]
# Prints the URL and, on the first run, the admin password. Stop it with Ctrl+C.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${GGNET_PORT:-5000}
listen=${GGNET_LISTEN:-0.0.0.0}
data=${GGNET__Database__DataDirectory:-/var/lib/ggnet}
while [ $# -gt 0 ]; do
  case $1 in
    --port) port=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --listen) listen=$2; shift 2 ;;
    *) echo "Unknown option $1. Usage: bash deploy/run.sh [--port N] [--listen ADDRESS] [--data DIR]" >&2; exit 2 ;;
  esac
done

if ! command -v dotnet >/dev/null; then
  echo "GGnet needs the .NET 10 SDK: install it (https://learn.microsoft.com/dotnet/core/install/linux-debian), then run this again." >&2
  exit 1
fi
if ! mkdir -p "$data" 2>/dev/null || [ ! -w "$data" ]; then
  echo "GGnet can't write its data directory $data: run as root, or pass --data DIR with a directory you own." >&2
  exit 1
fi

# The programs GGnet drives: ISC dhcpd, tftpd-hpa, Debian's iPXE binaries, dnsmasq for proxyDHCP, tgt for iSCSI.
packages=(isc-dhcp-server tftpd-hpa ipxe dnsmasq-base tgt)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "GGnet needs ${missing[*]}: run this as root once so it can install them." >&2
    exit 1
  fi
  echo "Installing ${missing[*]}…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

out="$repo/.build/ggnet"
echo "Building GGnet (Release)…"
# A fresh folder each time: publish copies by timestamp and would keep a stale newer-dated library.
rm -rf "$out"
dotnet publish "$repo/GGnet.Web/GGnet.Web.csproj" -c Release -o "$out" --nologo -v quiet

echo "GGnet will listen on http://$listen:$port — open http://127.0.0.1:$port (or this server's address) and log in as 'admin'."
export GGNET__Database__DataDirectory="$data"
export ASPNETCORE_URLS="http://$listen:$port"
cd "$out"
exec dotnet "$out/GGnet.Web.dll"
