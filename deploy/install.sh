#!/usr/bin/env bash
# Installs GGnet as the systemd service ggnet on Debian 11+ or Ubuntu 20.04+, in production mode, running as its
# own user `ggnet` (root-only commands through a narrow sudoers rule: docs/decisions/0006). Run it again to upgrade:
# the app and the unit are replaced, the configuration in /etc/ggnet and the data in /var/lib/ggnet are kept.
# Usage: sudo bash deploy/install.sh [--prefix DIR] [--from PUBLISHDIR] [--root DIR] [--user NAME] [--pool SIZE]
#   --prefix DIR       where the app goes (default /opt/ggnet)
#   --from PUBLISHDIR  install this already published GGnet (dotnet publish GGnet.Web -c Release -o PUBLISHDIR)
#                      instead of publishing it from this repository
#   --root DIR         lay every file into DIR instead of / (the same tree and contents): no apt-get, no useradd,
#                      no systemctl; files belong to the user only if it already exists
#   --user NAME        the service's user (default ggnet)
#   --pool SIZE        keep images and session disks in GGnet's storage pool: an XFS filesystem (reflink=1) of SIZE
#                      (e.g. 500G or 2T) in the file /var/lib/ggnet/pool.xfs, its space reserved on the host's disk,
#                      mounted at /var/lib/ggnet/pool. Every session disk is then an instant reflink clone, whatever
#                      the host's filesystem (docs/storage-pool.md). Run again with a bigger SIZE to grow it.
set -euo pipefail

usage="Usage: sudo bash deploy/install.sh [--prefix DIR] [--from PUBLISHDIR] [--root DIR] [--user NAME] [--pool SIZE]"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=/opt/ggnet
from=
root=
user=ggnet
pool=
while [ $# -gt 0 ]; do
  case $1 in
    --prefix|--from|--root|--user|--pool)
      [ $# -ge 2 ] || { echo "$1 needs a value. $usage" >&2; exit 2; }
      case $1 in --prefix) prefix=$2 ;; --from) from=$2 ;; --root) root=$2 ;; --user) user=$2 ;; --pool) pool=$2 ;; esac
      shift 2 ;;
    *) echo "Unknown option $1. $usage" >&2; exit 2 ;;
  esac
done

say() { printf '%s\n' "$*"; }
fail() { printf '%s\n' "$*" >&2; exit 1; }

# The prefix and the user name go into the unit and the sudoers rule: only plain characters are accepted there.
[[ $prefix =~ ^/[A-Za-z0-9._/-]+$ && $prefix != *..* ]] || fail "--prefix must be an absolute path of letters, digits, '.', '_', '-' and '/' (got '$prefix')."
prefix=${prefix%/}
[[ $user =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || fail "--user must be a system user name (lower-case letters, digits, '_' and '-'; got '$user')."
if [ -n "$pool" ]; then
  [[ $pool =~ ^[1-9][0-9]{0,5}[GT]$ ]] || fail "--pool must be a size in whole gigabytes or terabytes, at least 1G, like 500G or 2T (got '$pool')."
  unit_shift=30
  [[ $pool != *T ]] || unit_shift=40
  pool_bytes=$(( ${pool%?} << unit_shift ))
fi
if [ -n "$root" ]; then
  mkdir -p -- "$root"
  root=$(cd -- "$root" && pwd)
  [ "$root" != / ] || root=
fi
if [ -n "$from" ]; then
  [ -f "$from/GGnet.Web.dll" ] || fail "--from $from holds no published GGnet (GGnet.Web.dll is missing)."
  from=$(cd -- "$from" && pwd)
fi
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
  fail "Installing GGnet needs root (packages, a system user, a systemd unit). Run: sudo bash deploy/install.sh"
fi

# A path inside the tree being laid out.
at() { printf '%s%s' "$root" "$1"; }

# GGnet's storage pool (--pool): where it lives, and the units that mount it and point GGnet at it.
pool_file=$(at /var/lib/ggnet/pool.xfs)
pool_mount=$(at /var/lib/ggnet/pool)
pool_unit=var-lib-ggnet-pool.mount
pool_dropin=$(at /etc/systemd/system/ggnet.service.d/pool.conf)
pool_helper_dropin=$(at /etc/systemd/system/ggnet-helper.service.d/pool.conf)
# Image versions are recorded with their paths: a pool is made before the first image, so none is left behind.
if [ -n "$pool" ] && [ ! -e "$pool_file" ]; then
  for folder in images disks; do
    if [ -n "$(ls -A -- "$(at /var/lib/ggnet/$folder)" 2>/dev/null)" ]; then
      fail "GGnet already keeps files in /var/lib/ggnet/$folder, and a storage pool is made before the first image is imported (what is there would be left behind). Nothing was changed."
    fi
  done
fi

# Writes stdin to a file through a temporary file beside it: readers see the old content or the new, never half.
write_file() { # path mode owner
  local target=$1 mode=$2 owner=$3 temporary
  temporary=$(mktemp "$(dirname -- "$target")/.ggnet-install.XXXXXX")
  cat > "$temporary"
  chmod "$mode" "$temporary"
  chown "$owner" "$temporary"
  mv -f -- "$temporary" "$target"
}

# Files GGnet writes belong to its user; in --root mode only if that user happens to exist here.
if id -u "$user" >/dev/null 2>&1 || [ -z "$root" ]; then service_owner=$user; else service_owner=root; fi

# 1. The programs GGnet drives, and what the unit needs (sudo for the root-only commands, fuse3 for overlay disks).
if [ -z "$root" ]; then
  packages=(isc-dhcp-server tftpd-hpa tgt targetcli-fb qemu-utils qemu-system-common qemu-system-x86 ipxe-qemu ovmf socat ipxe dnsmasq-base sudo fuse3)
  [ -z "$pool" ] || packages+=(xfsprogs)
  missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing ${missing[*]}…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
systemctl_path=$(command -v systemctl || true)
systemctl_path=${systemctl_path:-/usr/bin/systemctl}
[[ $systemctl_path =~ ^/[A-Za-z0-9._/-]+$ ]] || fail "systemctl is at an unexpected path: $systemctl_path"

# 2. The app: published here unless --from names a published one; swapped in whole, so a running GGnet keeps its files.
staging=
cleanup() { [ -z "$staging" ] || rm -rf -- "$staging"; }
trap cleanup EXIT
if [ -z "$from" ]; then
  command -v dotnet >/dev/null || fail "Publishing GGnet needs the .NET 10 SDK (https://learn.microsoft.com/dotnet/core/install/linux-debian), or pass --from PUBLISHDIR."
  staging=$(mktemp -d /tmp/ggnet-publish.XXXXXX)
  say "Publishing GGnet (Release)…"
  dotnet publish "$repo/GGnet.Web/GGnet.Web.csproj" -c Release -o "$staging" --nologo -v quiet
  from=$staging
fi
if [ -z "$root" ] && ! dotnet --list-runtimes 2>/dev/null | grep -q '^Microsoft.AspNetCore.App 10\.'; then
  fail "GGnet needs the ASP.NET Core 10 runtime (apt-get install aspnetcore-runtime-10.0 from Microsoft's repository)."
fi
app=$(at "$prefix")
mkdir -p -- "$(dirname -- "$app")"
rm -rf -- "$app.new" "$app.old"
mkdir -p -- "$app.new"
cp -a -- "$from/." "$app.new/"
chown -R root:root -- "$app.new"
chmod -R u=rwX,go=rX -- "$app.new"
[ ! -f "$app.new/GGnet.Web" ] || chmod 755 -- "$app.new/GGnet.Web"
[ ! -e "$app" ] || mv -- "$app" "$app.old"
mv -- "$app.new" "$app"
rm -rf -- "$app.old"

# 3. The service's user: a system user with its data directory as home and no login.
if [ -z "$root" ] && ! id -u "$user" >/dev/null 2>&1; then
  useradd --system --user-group --home-dir /var/lib/ggnet --no-create-home --shell /usr/sbin/nologin --comment "GGnet" -- "$user"
fi
# Test boots of candidate versions run a QEMU PC as this user: with KVM when the server has it (else emulated, slower).
if [ -z "$root" ] && getent group kvm >/dev/null; then
  usermod -a -G kvm -- "$user"
fi

# 4. Folders: data and log files (the service's own), the TFTP root tftpd-hpa serves, and the folder of the DHCP
#    daemons' configuration, which root reads: root's alone, written by GGnet's root helper after its check.
install -d -m 0755 -o root -g root -- "$(at /etc/ggnet)" "$(at /etc/systemd/system)" "$(at /etc/sudoers.d)" "$(at /etc/dhcp)" "$(at /etc/dhcp/ggnet)"
install -d -m 0750 -o "$service_owner" -g "$service_owner" -- "$(at /var/lib/ggnet)" "$(at /var/log/ggnet)"
install -d -m 0755 -o "$service_owner" -g "$service_owner" -- "$(at /var/lib/tftpboot)" "$(at /var/lib/tftpboot/machines)"
[ -e "$(at /etc/dhcp/ggnet/dhcpd.conf)" ] || printf '# GGnet writes this file once the boot network is set.\n' \
  | write_file "$(at /etc/dhcp/ggnet/dhcpd.conf)" 0644 root:root
[ -e "$(at /etc/dhcp/ggnet/dnsmasq-proxy.conf)" ] || printf '' | write_file "$(at /etc/dhcp/ggnet/dnsmasq-proxy.conf)" 0644 root:root
# An older GGnet owned these: from now on only root writes what root's daemons read.
chown root:root -- "$(at /etc/dhcp/ggnet)/"*
chmod 0644 -- "$(at /etc/dhcp/ggnet)/"*
rm -rf -- "$(at /var/lib/ggnet/dnsmasq)"

# 4b. The storage pool (--pool): XFS with reflink in a file whose space is reserved on the host's disk (fallocate), so
#     the host can't fill up under the PCs' disks. Made once; a bigger SIZE later grows it in place, also while in use.
if [ -n "$pool" ] && [ ! -e "$pool_file" ]; then
  command -v mkfs.xfs >/dev/null || fail "mkfs.xfs is missing: apt-get install xfsprogs, then run this again."
  temporary=$(mktemp "$(at /var/lib/ggnet)/.pool.XXXXXX")
  if ! fallocate -l "$pool_bytes" -- "$temporary"; then
    rm -f -- "$temporary"
    fail "Could not reserve $pool for the storage pool in /var/lib/ggnet: is that much free (df -h /var/lib/ggnet)? No pool was made."
  fi
  # -K: no discard, which would give the reserved space back.
  if ! mkfs.xfs -q -K -m reflink=1 -L ggnet-pool -- "$temporary"; then
    rm -f -- "$temporary"
    fail "mkfs.xfs could not make the storage pool's filesystem (see above). No pool was made."
  fi
  chmod 0600 -- "$temporary"
  chown root:root -- "$temporary"
  mv -- "$temporary" "$pool_file"
  say "Made GGnet's storage pool: $pool of XFS with reflink, in /var/lib/ggnet/pool.xfs."
elif [ -n "$pool" ]; then
  current=$(stat -c %s -- "$pool_file")
  if [ "$pool_bytes" -lt "$current" ]; then
    fail "The storage pool has $((current >> 30))G and can't shrink (XFS can't): --pool $pool is smaller. Nothing of the pool was changed."
  elif [ "$pool_bytes" -gt "$current" ]; then
    fallocate -l "$pool_bytes" -- "$pool_file" \
      || fail "Could not reserve $pool for the storage pool in /var/lib/ggnet: is that much free (df -h /var/lib/ggnet)? The pool keeps its $((current >> 30))G."
    if mountpoint -q -- "$pool_mount"; then
      losetup -c "$(findmnt -n -o SOURCE --target "$pool_mount")"
      xfs_growfs -- "$pool_mount" >/dev/null
    fi
    say "The storage pool grew to $pool."
  fi
fi
if [ -e "$pool_file" ]; then
  install -d -m 0750 -o "$service_owner" -g "$service_owner" -- "$pool_mount"
fi

# 5. The configuration, written once: an admin's edits survive every later run.
if [ ! -e "$(at /etc/ggnet/appsettings.json)" ]; then
  write_file "$(at /etc/ggnet/appsettings.json)" 0640 "root:$service_owner" <<EOF
{
  "Lab": { "Enabled": false },
  "Database": { "Provider": "Sqlite", "DataDirectory": "/var/lib/ggnet" },
  "Boot": { "TftpRoot": "/var/lib/tftpboot", "IpxeDirectory": "/usr/lib/ipxe" },
  "Dhcp": {
    "ConfigPath": "/etc/dhcp/ggnet/dhcpd.conf",
    "RestartCommand": "sudo -n $systemctl_path restart isc-dhcp-server",
    "LeasesPath": "/var/lib/dhcp/dhcpd.leases",
    "DnsmasqConfigPath": "/etc/dhcp/ggnet/dnsmasq-proxy.conf",
    "DnsmasqRestartCommand": "sudo -n $systemctl_path restart dnsmasq"
  },
  "Iscsi": { "Backend": "Tgt" },
  "Https": { "Port": 443, "Address": "0.0.0.0" },
  "Logs": { "Directory": "/var/log/ggnet", "KeepFiles": 14 },
  "Logging": {
    "Console": { "FormatterName": "systemd" },
    "LogLevel": {
      "Default": "Information",
      "Microsoft.AspNetCore": "Warning",
      "Microsoft.EntityFrameworkCore": "Warning",
      "Hangfire": "Warning"
    }
  }
}
EOF
fi
# An older install.sh named the proxyDHCP file in the service's data folder: it moved to root's folder.
if grep -q '"/var/lib/ggnet/dnsmasq/ggnet-proxy.conf"' "$(at /etc/ggnet/appsettings.json)"; then
  sed 's|"/var/lib/ggnet/dnsmasq/ggnet-proxy.conf"|"/etc/dhcp/ggnet/dnsmasq-proxy.conf"|' "$(at /etc/ggnet/appsettings.json)" \
    | write_file "$(at /etc/ggnet/appsettings.json)" 0640 "root:$service_owner"
fi
if [ ! -e "$(at /etc/ggnet/ggnet.env)" ]; then
  write_file "$(at /etc/ggnet/ggnet.env)" 0640 "root:$service_owner" <<'EOF'
# The environment of the ggnet service (its EnvironmentFile). One NAME=value a line, read by systemd, not a shell.
# After a change: systemctl restart ggnet

# Where GGnet listens. Port 80 lets PCs fetch http://<server>/boot/boot.ipxe (the unit grants CAP_NET_BIND_SERVICE).
ASPNETCORE_URLS=http://0.0.0.0:80

# The first start generates the admin password: this script shows it when it has started GGnet (the journal never
# holds it), and you choose your own at first login. To choose it yourself, set it here before the first start,
# then remove the line:
#GGNET_ADMIN_PASSWORD=

# Any setting of /etc/ggnet/appsettings.json, as GGNET__Section__Key (these win over the file), e.g.:
#GGNET__Database__Provider=Postgres
#GGNET__Database__ConnectionString=Host=127.0.0.1;Database=ggnet;Username=ggnet;Password=secret
EOF
fi

# 6. The unit, always the one of this version.
for unit in ggnet.service ggnet-helper.service; do
  sed -e "s|/opt/ggnet|$prefix|g" -e "s|^User=ggnet\$|User=$user|" -e "s|^Group=ggnet\$|Group=$user|" \
      -e "s|^Environment=GGNET__Helper__Group=ggnet\$|Environment=GGNET__Helper__Group=$user|" "$repo/deploy/$unit" \
    | write_file "$(at /etc/systemd/system/$unit)" 0644 root:root
done

# The pool's mount, and GGnet's images and session disks in it (the service waits for the mount).
if [ -e "$pool_file" ]; then
  write_file "$(at /etc/systemd/system/$pool_unit)" 0644 root:root <<'EOF'
# GGnet's storage pool: an XFS filesystem with reflink in a file, so every session disk is an instant reflink clone of
# its image, whatever the host's filesystem. Written by deploy/install.sh --pool; a bigger --pool grows it.
[Unit]
Description=GGnet storage pool (/var/lib/ggnet/pool.xfs)

[Mount]
What=/var/lib/ggnet/pool.xfs
Where=/var/lib/ggnet/pool
Type=xfs
Options=loop,noatime

[Install]
WantedBy=multi-user.target
EOF
  install -d -m 0755 -o root -g root -- "$(dirname -- "$pool_dropin")"
  write_file "$pool_dropin" 0644 root:root <<'EOF'
# Written by deploy/install.sh --pool: GGnet keeps its images and session disks in its storage pool.
[Unit]
RequiresMountsFor=/var/lib/ggnet/pool

[Service]
Environment=GGNET__Storage__ImageDirectory=/var/lib/ggnet/pool/images
Environment=GGNET__Storage__DiskDirectory=/var/lib/ggnet/pool/disks
EOF
  # The root helper attaches only disks of GGnet's disk folder: the same folder.
  install -d -m 0755 -o root -g root -- "$(dirname -- "$pool_helper_dropin")"
  write_file "$pool_helper_dropin" 0644 root:root <<'EOF'
# Written by deploy/install.sh --pool: the session disks the root helper lets tgtd serve are in GGnet's storage pool.
[Service]
Environment=GGNET__Storage__DiskDirectory=/var/lib/ggnet/pool/disks
EOF
fi

# 7. Exactly the commands GGnet runs as root, checked by visudo before it is put in place. tgtd is reached through
#    GGnet's root helper (ggnet-helper.service), not through sudo.
sudoers=$(mktemp /tmp/ggnet-sudoers.XXXXXX)
cat > "$sudoers" <<EOF
# GGnet (the $user service) runs exactly these as root, through sudo -n. Written by deploy/install.sh on every run.
# systemctl restarts the DHCP daemon after GGnet installed a checked configuration.
Cmnd_Alias GGNET_DHCP = $systemctl_path restart isc-dhcp-server, $systemctl_path restart dnsmasq
$user ALL=(root) NOPASSWD: GGNET_DHCP
EOF
if command -v visudo >/dev/null; then
  visudo -cqf "$sudoers" || { rm -f -- "$sudoers"; fail "visudo refused the sudoers rule for GGnet; nothing was changed in /etc/sudoers.d."; }
elif [ -z "$root" ]; then
  rm -f -- "$sudoers"; fail "visudo is missing: install sudo (apt-get install sudo) and run this again."
fi
write_file "$(at /etc/sudoers.d/ggnet)" 0440 root:root < "$sudoers"
rm -f -- "$sudoers"

# 8. The packages' own settings GGnet depends on, changed only from their defaults.
# FUSE: tgtd (root) must read the overlay disks GGnet's qemu-storage-daemons (user ggnet) export.
fuse_conf=$(at /etc/fuse.conf)
if [ ! -e "$fuse_conf" ]; then
  printf 'user_allow_other\n' | write_file "$fuse_conf" 0644 root:root
elif ! grep -qx 'user_allow_other' "$fuse_conf"; then
  { if grep -qx '#user_allow_other' "$fuse_conf"; then sed 's/^#user_allow_other$/user_allow_other/' "$fuse_conf"
    else cat "$fuse_conf"; printf 'user_allow_other\n'; fi; } | write_file "$fuse_conf" 0644 root:root
fi
# ISC dhcpd reads the file GGnet writes (under /etc/dhcp, where Ubuntu's AppArmor profile lets dhcpd read).
dhcp_default=$(at /etc/default/isc-dhcp-server)
if [ -f "$dhcp_default" ] && ! grep -q '^[[:space:]]*DHCPDv4_CONF=' "$dhcp_default"; then
  { cat "$dhcp_default"; printf '\n# GGnet writes the DHCP configuration here (deploy/install.sh).\nDHCPDv4_CONF=/etc/dhcp/ggnet/dhcpd.conf\n'; } \
    | write_file "$dhcp_default" 0644 root:root
elif [ -f "$dhcp_default" ] && ! grep -qx 'DHCPDv4_CONF=/etc/dhcp/ggnet/dhcpd.conf' "$dhcp_default"; then
  say "Note: $dhcp_default sets DHCPDv4_CONF to another file; GGnet writes /etc/dhcp/ggnet/dhcpd.conf."
fi
# tftpd-hpa serves GGnet's TFTP root (Debian's default is /srv/tftp).
tftp_default=$(at /etc/default/tftpd-hpa)
tftp_changed=
if [ -f "$tftp_default" ] && grep -qx 'TFTP_DIRECTORY="/srv/tftp"' "$tftp_default"; then
  sed 's|^TFTP_DIRECTORY="/srv/tftp"$|TFTP_DIRECTORY="/var/lib/tftpboot"|' "$tftp_default" | write_file "$tftp_default" 0644 root:root
  tftp_changed=yes
elif [ -f "$tftp_default" ] && ! grep -qx 'TFTP_DIRECTORY="/var/lib/tftpboot"' "$tftp_default"; then
  say "Note: $tftp_default serves another folder; GGnet writes its boot files to /var/lib/tftpboot."
fi
# tgt: 4 I/O threads for each disk tgtd serves, not tgt's 16 (the drop-in, and why: deploy/tgt-threads.sh). It restarts
# tgt only while tgt serves no PC (a restart would cut their disks off).
bash "$repo/deploy/tgt-threads.sh" "$root"
# dnsmasq (proxyDHCP mode), when installed, reads the file GGnet writes.
if [ -d "$(at /etc/dnsmasq.d)" ]; then
  printf '# GGnet writes its proxyDHCP configuration there (deploy/install.sh).\nconf-file=/etc/dhcp/ggnet/dnsmasq-proxy.conf\n' \
    | write_file "$(at /etc/dnsmasq.d/ggnet)" 0644 root:root
fi

if [ -n "$root" ]; then
  say "GGnet is laid out under $root (prefix $prefix)."
  exit 0
fi

# 9. Start (or restart, on an upgrade) the service.
if [ ! -d /run/systemd/system ]; then
  say "GGnet is installed, but systemd is not running here: start it with systemctl start ggnet once it is."
  exit 0
fi
systemctl daemon-reload
[ -z "$tftp_changed" ] || systemctl restart tftpd-hpa
if [ -e "$pool_file" ]; then
  systemctl enable --now "$pool_unit" >/dev/null 2>&1 || fail "The storage pool did not mount: systemctl status $pool_unit says why."
  chown "$user:$user" -- "$pool_mount"
  chmod 0750 -- "$pool_mount"
  install -d -m 0750 -o "$user" -g "$user" -- "$pool_mount/images" "$pool_mount/disks"
fi
systemctl enable ggnet ggnet-helper >/dev/null 2>&1
systemctl restart ggnet-helper
if systemctl is-active -q ggnet; then
  systemctl restart ggnet
  say "GGnet was upgraded and restarted."
else
  systemctl start ggnet
  # The first start leaves the generated password in a file only root and GGnet read, until the admin chooses his own.
  first=/var/lib/ggnet/first-admin-password
  for _ in $(seq 60); do [ -s "$first" ] && break; sleep 1; done
  if [ -s "$first" ]; then
    say "GGnet runs. Log in as admin with the password $(cat -- "$first") (you choose your own at the first login)."
  else
    say "GGnet runs."
  fi
fi
certificate=/var/lib/ggnet/https/ggnet.crt
if [ -s "$certificate" ] && command -v openssl >/dev/null; then
  say "Its HTTPS certificate, made by GGnet: $(openssl x509 -in "$certificate" -noout -fingerprint -sha256). Compare it with what your browser shows once."
fi
say "Open https://<this server>/ (Https in /etc/ggnet/appsettings.json: Address may be a management address). Set the boot network in Settings or /etc/ggnet/appsettings.json."
