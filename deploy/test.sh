#!/usr/bin/env bash
# Sets up and runs GGnet's whole test suite on Debian 12, as root:
# installs the programs the tests use, starts a private PostgreSQL and Redis on 127.0.0.1, runs every test, runs the
# fast tier once more as an unprivileged user (it must need neither root nor a daemon), stops what it started, and
# ends with the line "N passed, N failed, N skipped".
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
work=$(mktemp -d /tmp/ggnet-test.XXXXXX)
pg_port=${GGNET_TEST_PG_PORT:-55432}
redis_port=${GGNET_TEST_REDIS_PORT:-56379}
pg_bin=""
redis_pid=""
lab_pid=""

say() { printf '[test] %s\n' "$*"; }

stop_services() {
  if [ -n "$lab_pid" ]; then
    kill -- -"$lab_pid" 2>/dev/null; wait "$lab_pid" 2>/dev/null
  fi
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null
  fi
  if [ -n "$pg_bin" ] && [ -f "$work/pg/postmaster.pid" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap stop_services EXIT

if [ "$(id -u)" -ne 0 ]; then
  say "The tests need root: they install packages and run dhcpd, tgtd, PostgreSQL and virtual PCs of their own. Run: sudo bash deploy/test.sh"
  echo "0 passed, 1 failed"
  exit 1
fi

# 1. Programs the tests drive for real.
if ! command -v dotnet >/dev/null; then
  say "The .NET 10 SDK is missing: install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run this again."
  echo "0 passed, 1 failed"
  exit 1
fi
packages=(postgresql redis-server nginx-light chromium fonts-dejavu-core sudo fuse3 systemd isc-dhcp-server tftpd-hpa tftp-hpa ipxe dnsmasq-base tgt libiscsi-bin socat targetcli-fb qemu-system-x86 qemu-system-common qemu-utils qemu-block-extra ipxe-qemu ovmf debootstrap dosfstools mtools gdisk grub-common grub-pc-bin grub-efi-amd64-bin zstd xorriso isolinux syslinux-common cpio nasm iproute2 xfsprogs e2fsprogs util-linux)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  # The packages' own services (nginx on port 80, redis, dhcpd…) must not start on this machine's interfaces, not even
  # during the install: the tests start what they need themselves, on loopback or in their own network namespaces.
  blocked=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && blocked=yes
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  installed=$?
  [ -n "$blocked" ] && rm -f /usr/sbin/policy-rc.d
  [ "$installed" -eq 0 ] || { say "apt-get install ${missing[*]} failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# 2. A private PostgreSQL cluster on loopback (the system cluster is left alone).
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
mkdir -p "$work/pg" "$work/pgsock" && chown postgres:postgres "$work/pg" "$work/pgsock" && chmod 755 "$work"
runuser -u postgres -- "$pg_bin/initdb" -A trust -U postgres -D "$work/pg" >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log"; echo "0 passed, 1 failed"; exit 1; }
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pgsock/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $work/pgsock -c fsync=off" start >/dev/null \
  || { cat "$work/pgsock/pg.log"; echo "0 passed, 1 failed"; exit 1; }
export GGNET_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
say "PostgreSQL up on 127.0.0.1:$pg_port"

# 3. A private Redis on loopback for the scale-out tests (no persistence; the system's redis service is left alone).
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --dir "$work" >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redis_port" ping >/dev/null 2>&1 || { cat "$work/redis.log"; echo "0 passed, 1 failed"; exit 1; }
export GGNET_TEST_REDIS="127.0.0.1:$redis_port"
say "Redis up on 127.0.0.1:$redis_port"

# 4. Build and run every test; the counts come from the runner's own results file.
export GGNET_ARTIFACTS="$repo/artifacts"
mkdir -p "$GGNET_ARTIFACTS"
# The lab tests (real operating systems booting under QEMU, each against GGnet as its own process) run in a test run of
# their own beside the rest: they wait on emulated CPUs most of their time, and would otherwise add it to the rest's.
lab_filter='FullyQualifiedName~GGnet.Tests.Lab.'
rc=0
if dotnet build "$repo/GGnet.sln" -c Release --nologo 2>&1 | tee "$work/build.log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
  say "lab tests running beside the rest; their output follows the rest's"
  setsid dotnet test "$repo/GGnet.Tests/GGnet.Tests.csproj" -c Release --no-build --filter "$lab_filter" \
    --logger "trx;LogFileName=$work/lab.trx" --logger "console;verbosity=normal" >"$work/lab.log" 2>&1 &
  lab_pid=$!
  dotnet test "$repo/GGnet.Tests/GGnet.Tests.csproj" -c Release --no-build --filter "FullyQualifiedName!~GGnet.Tests.Lab." \
    --logger "trx;LogFileName=$work/results.trx" --logger "console;verbosity=normal" 2>&1 | tee "$work/test.log"
  rc=${PIPESTATUS[0]}
  wait "$lab_pid"; lab_rc=$?; lab_pid=""
  say "the lab tests:"
  tee -a "$work/test.log" <"$work/lab.log"
  [ "$lab_rc" -ne 0 ] && rc=$lab_rc
else
  rc=1
fi

count() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
passed=0; failed=0; skipped=0
for trx in "$work/results.trx" "$work/lab.trx"; do
  if [ ! -f "$trx" ]; then
    failed=$(( failed + 1 ))
    say "no test results in $(basename "$trx"): the build or the test run failed (see above)"
    continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$(( passed + $(count passed) )); failed=$(( failed + $(count failed) ))
  skipped=$(( skipped + $(count total) - $(count executed) ))
done
[ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1

# 5. The fast tier (Core and components: README, Tests) as the user nobody, from a copy of the built tests, so that it
#    stays runnable by a developer without root or daemons, whatever the repository's folder lets others read.
fast_filter='FullyQualifiedName~GGnet.Tests.Core.|FullyQualifiedName~GGnet.Tests.Web.Components.'
tests_built="$repo/GGnet.Tests/bin/Release/net10.0"
if [ -f "$tests_built/GGnet.Tests.dll" ]; then
  # The test sources (golden files) and the solution file that marks the repository's root, without the repository.
  fast="$work/fast"
  mkdir -p "$fast/home" "$fast/repo/GGnet.Tests/bin/Release"
  tar -C "$repo" --exclude=GGnet.Tests/bin --exclude=GGnet.Tests/obj -cf - GGnet.sln GGnet.Tests | tar -C "$fast/repo" -xf -
  cp -a "$tests_built" "$fast/repo/GGnet.Tests/bin/Release/"
  chmod -R a+rX "$fast" && chmod 0777 "$fast/home" && chmod 0755 "$work"
  if runuser -u nobody -- env HOME="$fast/home" DOTNET_CLI_HOME="$fast/home" DOTNET_NOLOGO=1 \
      dotnet test "$fast/repo/GGnet.Tests/bin/Release/net10.0/GGnet.Tests.dll" --results-directory "$fast/home/results" \
      --filter "$fast_filter" >"$work/fast.log" 2>&1; then
    say "fast tier as an unprivileged user: $(grep -o 'Passed: *[0-9]*' "$work/fast.log" | head -1 | tr -s ' ')"
  else
    cat "$work/fast.log"
    say "the fast tier failed as an unprivileged user: a test under GGnet.Tests/Core or GGnet.Tests/Web/Components needs root, a daemon or a file outside the build"
    failed=$(( ${failed:-0} + 1 ))
    rc=1
  fi
fi
# The failures again, each with its message, so the end of a long log says what broke.
if [ "${failed:-0}" -gt 0 ] && [ -f "$work/test.log" ]; then
  say "failed tests:"
  awk '/^  Failed [A-Za-z]/ { keep = 24 } /^  Stack Trace:/ { keep = 0 } keep > 0 { print; keep-- }' "$work/test.log"
fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
[ "$rc" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
