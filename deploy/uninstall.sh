#!/usr/bin/env bash
# Removes what deploy/install.sh installed: the service, the app and the sudoers rule. The data (/var/lib/ggnet, with
# the storage pool and its mount unit), the logs (/var/log/ggnet), the configuration (/etc/ggnet) and the boot files
# stay, unless --purge: then they go too, with the ggnet user.
# Usage: sudo bash deploy/uninstall.sh [--prefix DIR] [--root DIR] [--user NAME] [--purge]
#   --prefix, --root, --user  as given to install.sh
set -euo pipefail

usage="Usage: sudo bash deploy/uninstall.sh [--prefix DIR] [--root DIR] [--user NAME] [--purge]"
prefix=/opt/ggnet
root=
user=ggnet
purge=
while [ $# -gt 0 ]; do
  case $1 in
    --prefix|--root|--user)
      [ $# -ge 2 ] || { echo "$1 needs a value. $usage" >&2; exit 2; }
      case $1 in --prefix) prefix=$2 ;; --root) root=$2 ;; --user) user=$2 ;; esac
      shift 2 ;;
    --purge) purge=yes; shift ;;
    *) echo "Unknown option $1. $usage" >&2; exit 2 ;;
  esac
done

fail() { printf '%s\n' "$*" >&2; exit 1; }
[[ $prefix =~ ^/[A-Za-z0-9._/-]+$ && $prefix != *..* ]] || fail "--prefix must be the absolute path install.sh was given (got '$prefix')."
prefix=${prefix%/}
[[ $user =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || fail "--user must be a system user name (got '$user')."
if [ -n "$root" ]; then
  root=$(cd -- "$root" && pwd)
  [ "$root" != / ] || root=
fi
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
  fail "Removing GGnet needs root. Run: sudo bash deploy/uninstall.sh"
fi
at() { printf '%s%s' "$root" "$1"; }

app=$(at "$prefix")
# Only ever a folder that holds GGnet: a wrong --prefix must not remove anything else.
if [ -e "$app" ] && [ ! -f "$app/GGnet.Web.dll" ]; then
  fail "$app does not hold GGnet (no GGnet.Web.dll): nothing was removed. Pass the --prefix install.sh was given."
fi

if [ -z "$root" ] && [ -d /run/systemd/system ]; then
  systemctl disable --now ggnet ggnet-helper >/dev/null 2>&1 || true
fi
rm -f -- "$(at /etc/systemd/system/ggnet.service)" "$(at /etc/systemd/system/ggnet-helper.service)" "$(at /etc/sudoers.d/ggnet)" "$(at /etc/dnsmasq.d/ggnet)"
# install.sh's drop-ins (--pool's, and tgt's I/O threads), and their folders if nothing of the admin's is left in them.
rm -f -- "$(at /etc/systemd/system/tgt.service.d/ggnet.conf)"
for unit in ggnet.service ggnet-helper.service tgt.service; do
  rm -f -- "$(at /etc/systemd/system/$unit.d/pool.conf)"
  [ ! -d "$(at /etc/systemd/system/$unit.d)" ] || rmdir --ignore-fail-on-non-empty -- "$(at /etc/systemd/system/$unit.d)"
done
if [ -z "$root" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
fi
rm -rf -- "$app"

if [ -z "$purge" ]; then
  printf 'GGnet is removed. Its data (/var/lib/ggnet) and configuration (/etc/ggnet) are kept; --purge removes them.\n'
  exit 0
fi

# The service's qemu-storage-daemons outlive it (KillMode=process): they go first, their FUSE mounts with them.
if [ -z "$root" ] && id -u "$user" >/dev/null 2>&1; then
  pkill -TERM -u "$user" 2>/dev/null || true
  sleep 2
fi
# The storage pool (install.sh --pool) is data: unmounted and removed with the rest.
pool_mount=$(at /var/lib/ggnet/pool)
if [ -z "$root" ] && [ -d /run/systemd/system ]; then
  systemctl disable --now var-lib-ggnet-pool.mount >/dev/null 2>&1 || true
fi
if mountpoint -q -- "$pool_mount"; then
  umount -- "$pool_mount"
fi
rm -f -- "$(at /etc/systemd/system/var-lib-ggnet-pool.mount)"
rm -rf -- "$(at /var/lib/ggnet)" "$(at /var/log/ggnet)" "$(at /etc/ggnet)" "$(at /etc/dhcp/ggnet)" "$(at /var/lib/tftpboot/machines)"
rm -f -- "$(at /var/lib/tftpboot)"/{boot.ipxe,undionly.kpxe,ipxe.efi,snponly.efi}
# The line install.sh added for dhcpd, and nothing else of the admin's file.
dhcp_default=$(at /etc/default/isc-dhcp-server)
if [ -f "$dhcp_default" ] && grep -qx 'DHCPDv4_CONF=/etc/dhcp/ggnet/dhcpd.conf' "$dhcp_default"; then
  temporary=$(mktemp "$(dirname -- "$dhcp_default")/.ggnet-uninstall.XXXXXX")
  grep -vx -e 'DHCPDv4_CONF=/etc/dhcp/ggnet/dhcpd.conf' -e '# GGnet writes the DHCP configuration here (deploy/install.sh).' "$dhcp_default" > "$temporary" || true
  chmod 0644 -- "$temporary"
  mv -f -- "$temporary" "$dhcp_default"
fi
if [ -z "$root" ] && id -u "$user" >/dev/null 2>&1; then
  userdel -- "$user"
fi
printf 'GGnet is removed with its data and configuration.\n'
