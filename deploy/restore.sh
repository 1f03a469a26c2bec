#!/usr/bin/env bash
# Puts a GGnet backup back (the database, the settings saved on the Settings page and the login keys).
# Stop GGnet first. Usage: sudo bash deploy/restore.sh ARCHIVE [--data DIR] [--force]
#   ARCHIVE  a ggnet-YYYYMMDD-HHMMSS-fff.tar.gz from <data>/backups (or Backup:Directory), or one downloaded from Settings
#   --data   the data directory to restore into (default: the configured one, /var/lib/ggnet)
#   --force  replace a database that is already there (it is kept beside, as ggnet.db.before-restore-<time>)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ $# -lt 1 ]; then
  echo "Usage: sudo bash deploy/restore.sh ARCHIVE [--data DIR] [--force]" >&2
  exit 2
fi
out="$repo/.build/ggnet"
if [ ! -f "$out/GGnet.Web.dll" ]; then
  echo "Building GGnet (Release)…"
  dotnet publish "$repo/GGnet.Web/GGnet.Web.csproj" -c Release -o "$out" --nologo -v quiet
fi
# GGnet reads its settings from the folder it runs in: paths given here are made absolute first.
args=()
previous=
for a in "$@"; do
  if [ "$previous" = --data ] || [ -e "$a" ]; then args+=("$(realpath -m "$a")"); else args+=("$a"); fi
  previous=$a
done
cd "$out"
exec dotnet "$out/GGnet.Web.dll" restore "${args[@]}"
