#!/usr/bin/env bash
# GGnet "real OS" disk image: Debian 12 (bookworm) whose root filesystem lives on the iSCSI disk it boots
# from, bootable on BIOS and on UEFI (iPXE sanboot), built from Debian packages only, as root:
#
#   build-realos-image.sh --cache DIR --out FILE [--mirror URL]
#
#   --cache DIR   keeps the debootstrapped + configured root filesystem as DIR/rootfs-<recipe>.tar, so later
#                 builds skip debootstrap (fresh ~2 min, cached ~10 s). Work files also go under DIR.
#   --out FILE    the raw disk image (sparse, 1 GiB apparent); written beside FILE and renamed at the end.
#   --mirror URL  Debian archive; default: first URIs: of /etc/apt/sources.list.d/debian.sources (main
#                 archive), else http://deb.debian.org/debian.
#
# The disk: GPT, 1 MiB BIOS-boot partition (GRUB i386-pc core, with boot.img in the MBR), 32 MiB FAT16 ESP
# (\EFI\BOOT\BOOTX64.EFI = GRUB x86_64-efi), ext4 root labelled ggnet-root. Both GRUB cores carry an embedded
# config (search by label, linux + initrd). Built without loop devices, device-mapper or grub-install:
# filesystems are written at their offsets, the BIOS boot code is patched in here.
# The initramfs logs in to the iSCSI disk from the iBFT iPXE leaves (open-iscsi, ISCSI_AUTO=true), after
# DHCPing again as a plain client. At every boot the OS writes to /dev/ttyS0:
#   GGNET-REALOS-UP host=<hostname>
#   GGNET-REALOS-COUNTER value=<N>      (N read before the increment; printed after N+1 is synced to disk)
#   GGNET-REALOS-ISCSI sessions=<number of entries in /sys/class/iscsi_session> disk-timeouts=<its disks' SCSI timeouts, s>
#   GGNET-REALOS-DATA label=<L> marker=<M> writes=<W>   for each data disk found: a filesystem labelled ggnet-data*
#                                       (another LUN of the boot target); M is its file ggnet-marker, W its write
#                                       counter read before the increment (what this session's copy had)
#   GGNET-REALOS-FILL wrote=<MiB>       a data disk with a file ggnet-fill-mib (a number of MiB) is written that much
#                                       (a file, 16 MiB at a time, each synced): a PC filling its write space
#   GGNET-REALOS-DATA-DISKS found=<N>   after them: how many data disks it found
# The network card must be virtio-net (linux-image-cloud-amd64 has no e1000 driver).
#
# Needs: debootstrap e2fsprogs dosfstools mtools gdisk grub-common grub-pc-bin grub-efi-amd64-bin tar zstd
#        coreutils util-linux
set -Eeuo pipefail
umask 022
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

RECIPE=v4                          # bump when anything below that shapes the root filesystem changes
SUITE=bookworm
PACKAGES=systemd-sysv,udev,kmod,open-iscsi,initramfs-tools,busybox,zstd,linux-image-cloud-amd64
LABEL=ggnet-root
DISK_MIB=1024
BIOS_START=2048;  BIOS_SECTORS=2048     # 1 MiB BIOS-boot partition (GRUB i386-pc core)
ESP_START=4096;   ESP_SECTORS=65536     # 32 MiB FAT16 ESP
ROOT_START=69632                        # ext4 root up to the end of the disk
GRUB_PC=/usr/lib/grub/i386-pc
GRUB_EFI=/usr/lib/grub/x86_64-efi

ME=build-realos-image
T0=$SECONDS
say() { printf '%s: [%3ds] %s\n' "$ME" $((SECONDS - T0)) "$*" >&2; }
die() { printf '%s: error: %s\n' "$ME" "$*" >&2; exit 1; }

# ---- arguments -------------------------------------------------------------------------------------------
CACHE= OUT= MIRROR=
while [ $# -gt 0 ]; do
  case $1 in
    --cache) [ $# -ge 2 ] || die "--cache needs a directory"; CACHE=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || die "--out needs a file name"; OUT=$2; shift 2 ;;
    --mirror) [ $# -ge 2 ] || die "--mirror needs a URL"; MIRROR=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" >&2; exit 0 ;;
    *) die "unknown argument (usage: $ME --cache DIR --out FILE [--mirror URL])" ;;
  esac
done
[ -n "$CACHE" ] || die "--cache DIR is required"
[ -n "$OUT" ] || die "--out FILE is required"
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, file ownership in the image)"
if [ -z "$MIRROR" ]; then
  MIRROR=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /-security/) { print $i; exit } }' \
             /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian
fi
[[ $MIRROR =~ ^(https?|file)://[A-Za-z0-9._~:/@%+=-]+$ ]] || die "mirror must be a plain http(s):// or file:// URL"

for c in debootstrap chroot mke2fs e2fsck mkfs.vfat mmd mcopy sgdisk grub-mkimage tar zstd flock truncate dd \
         mountpoint findmnt stat; do
  command -v "$c" >/dev/null || die "missing host command '$c' (see '# Needs:' in $0)"
done
for f in "$GRUB_PC/boot.img" "$GRUB_PC/diskboot.img" "$GRUB_PC/biosdisk.mod" "$GRUB_EFI/linux.mod"; do
  [ -f "$f" ] || die "missing $f (install grub-pc-bin and grub-efi-amd64-bin)"
done

mkdir -p -- "$CACHE" 2>/dev/null || die "cannot create cache directory"
CACHE=$(cd -- "$CACHE" && pwd -P) || die "cannot enter cache directory"
OUTDIR=$(dirname -- "$OUT")
mkdir -p -- "$OUTDIR" 2>/dev/null || die "cannot create output directory"
OUTDIR=$(cd -- "$OUTDIR" && pwd -P) || die "cannot enter output directory"
OUT=$OUTDIR/$(basename -- "$OUT")
[ ! -d "$OUT" ] || die "--out names a directory"
TARBALL=$CACHE/rootfs-$RECIPE.tar

# One build at a time per cache directory (the tarball and the work area live there).
exec 9>>"$CACHE/.build.lock"
flock -w 1800 9 || die "another build holds $CACHE/.build.lock"

WORK=$(mktemp -d "$CACHE/.work.XXXXXX")
ROOT=$WORK/root
LOG=$WORK/build.log
IMG_TMP=
TAR_TMP=
MOUNTS=()
: >"$LOG"

unmount_all() {       # our mounts, newest first, then anything debootstrap may have left under $ROOT
  local i m
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    m=${MOUNTS[i]}
    mountpoint -q -- "$m" 2>/dev/null && { umount -- "$m" 2>/dev/null || umount -l -- "$m" 2>/dev/null || true; }
  done
  MOUNTS=()
  for m in dev/pts dev sys proc run; do
    mountpoint -q -- "$ROOT/$m" 2>/dev/null && { umount -- "$ROOT/$m" 2>/dev/null || umount -l -- "$ROOT/$m" 2>/dev/null || true; }
  done
  return 0
}
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM HUP
  if [ -n "${WORK:-}" ] && [ -d "$WORK" ]; then
    unmount_all
    if [ $rc -ne 0 ] && [ -s "$LOG" ]; then
      echo "$ME: last lines of the tool output:" >&2; tail -n 15 "$LOG" | sed 's/^/    /' >&2
    fi
    if findmnt -rn -o TARGET | grep -qF -- "$WORK"; then
      echo "$ME: warning: something is still mounted under $WORK; left in place" >&2
    else
      rm -rf --one-file-system -- "$WORK"
    fi
  fi
  [ -n "$IMG_TMP" ] && rm -f -- "$IMG_TMP"
  [ -n "$TAR_TMP" ] && rm -f -- "$TAR_TMP"
  [ $rc -ne 0 ] && [ -n "${FAILED:-}" ] && printf '%s: error: %s\n' "$ME" "$FAILED" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP
trap 'FAILED=${FAILED:-"command failed (exit $?) at line $LINENO: $BASH_COMMAND"}' ERR

# run WHAT CMD...: tool output goes to the log; on failure the one-line reason names WHAT.
run() { local what=$1; shift; "$@" >>"$LOG" 2>&1 || { local rc=$?; FAILED="$what failed (exit $rc)"; return $rc; }; }
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C HOME=/root "$@"; }
mnt() { local dir=${!#}; mkdir -p -- "$dir"; mount "$@" && MOUNTS+=("$dir"); }   # mnt MOUNT-ARGS... DIR

# ---- 1. root filesystem (cached) --------------------------------------------------------------------------
build_rootfs() {
  say "debootstrap $SUITE (minbase + kernel, open-iscsi, initramfs-tools) from $MIRROR"
  run "debootstrap" debootstrap --variant=minbase --components=main --include="$PACKAGES" \
    "$SUITE" "$ROOT" "$MIRROR"
  unmount_all

  say "configuring the root filesystem"
  # initramfs: log in to the disk described by the iBFT iPXE leaves (no ip=, no root=iscsi:)
  echo 'ISCSI_AUTO=true' >"$ROOT/etc/iscsi/iscsi.initramfs"
  # every clone makes its own initiator name at first boot (open-iscsi's startup checks); the initramfs logs in
  # with the name from the iBFT anyway
  printf '## written by open-iscsi at first boot\nGenerateName=yes\n' >"$ROOT/etc/iscsi/initiatorname.iscsi"
  # Its disks are on the network: a request the server is slow to answer (a busy host, a heavy writer on the same
  # connection) is waited for 180 s, not given up after the SCSI layer's 30 s, whose aborts, retries and resets end
  # in read errors on the root filesystem. The initramfs takes the rules of /etc/udev/rules.d along, so the root
  # disk waits so from its first request.
  cat >"$ROOT/etc/udev/rules.d/60-ggnet-disk-timeout.rules" <<'EOF'
# GGnet: this OS's disks are iSCSI disks; wait 180 s for a request before the SCSI layer gives up on it.
ACTION=="add", SUBSYSTEM=="scsi", ENV{DEVTYPE}=="scsi_device", ATTR{type}=="0", ATTR{timeout}="180"
EOF
  # a small initramfs (MODULES=most unpacks to ~50 MB: the guest then needs > 128 MiB): network drivers, the
  # iSCSI bits (open-iscsi's hook), SCSI disk, ext4
  echo 'MODULES=list' >"$ROOT/etc/initramfs-tools/conf.d/ggnet-modules"
  cat >"$ROOT/etc/initramfs-tools/hooks/ggnet-netroot" <<'EOF'
#!/bin/sh
# GGnet: modules for a root filesystem on an iSCSI disk reached over the network (MODULES=list)
case $1 in prereqs) exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
auto_add_modules net
for m in virtio_pci virtio_net af_packet sd_mod sr_mod ext4 crc32c_generic; do manual_add_modules "$m"; done
EOF
  chmod 755 "$ROOT/etc/initramfs-tools/hooks/ggnet-netroot"
  cat >"$ROOT/etc/fstab" <<EOF
# root is on the iSCSI disk (logged in by the initramfs); the kernel mounts it ro, systemd remounts it rw
LABEL=$LABEL / ext4 defaults,errors=remount-ro 0 0
EOF
  # host name: from DHCP (initramfs) if given, else ggnet-realos (set by the marker service); debootstrap
  # copied the build host's hostname and resolv.conf, which must not end up in the image.
  rm -f "$ROOT/etc/hostname"
  : >"$ROOT/etc/resolv.conf"
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
  # every clone gets its own machine id at first boot
  : >"$ROOT/etc/machine-id"; rm -f "$ROOT/var/lib/dbus/machine-id"
  # nothing may wait for console input, nor write to the disk behind our back
  for u in systemd-firstboot.service apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
           e2scrub_all.timer e2scrub_reap.service fstrim.timer; do
    ln -sf /dev/null "$ROOT/etc/systemd/system/$u"
  done

  mkdir -p "$ROOT/var/lib/ggnet" "$ROOT/usr/local/sbin"
  echo 0 >"$ROOT/var/lib/ggnet/counter"
  cat >"$ROOT/usr/local/sbin/ggnet-realos-marker" <<'EOF'
#!/bin/sh
# GGnet real-OS boot marker: host name, then the boot counter kept on the (iSCSI) root filesystem.
con=/dev/ttyS0
h=$(cat /proc/sys/kernel/hostname 2>/dev/null)
case $h in ''|'(none)'|localhost|localhost.localdomain)
  h=
  for f in /run/net-*.conf; do                          # written by the initramfs' DHCP (ipconfig)
    [ -r "$f" ] || continue
    v=$(sed -n "s/^HOSTNAME='\{0,1\}\([A-Za-z0-9.-]\{1,63\}\)'\{0,1\}\$/\1/p" "$f" | head -n 1)
    [ -n "$v" ] && { h=$v; break; }
  done
  [ -n "$h" ] || h=ggnet-realos
  echo "$h" >/proc/sys/kernel/hostname ;;
esac
echo "GGNET-REALOS-UP host=$h" >$con
f=/var/lib/ggnet/counter
n=$(cat $f 2>/dev/null)
case $n in ''|*[!0-9]*) n=0 ;; esac
echo $((n + 1)) >$f.new && sync $f.new && mv $f.new $f && sync
echo "GGNET-REALOS-COUNTER value=$n" >$con
s=$(ls /sys/class/iscsi_session 2>/dev/null | wc -l)
t=$(cat /sys/class/scsi_disk/*/device/timeout 2>/dev/null | sort -u | tr '\n' ' ')
echo "GGNET-REALOS-ISCSI sessions=$s disk-timeouts=${t% }" >$con
# data disks (GGnet's game disks): other LUNs of the target, found by their filesystem's label
n=0
for d in $(blkid -o device 2>/dev/null | sort); do
  l=$(blkid -s LABEL -o value "$d" 2>/dev/null)
  case $l in ggnet-data*) ;; *) continue ;; esac
  m=/run/ggnet-data
  mkdir -p $m
  if ! mount "$d" $m 2>/dev/null; then echo "GGNET-REALOS-DATA label=$l mount=failed" >$con; continue; fi
  mk=$(head -c 200 $m/ggnet-marker 2>/dev/null | tr -cd 'A-Za-z0-9._=-')
  w=$(cat $m/ggnet-writes 2>/dev/null)
  case $w in ''|*[!0-9]*) w=0 ;; esac
  echo $((w + 1)) >$m/ggnet-writes && sync
  fill=$(head -c 12 $m/ggnet-fill-mib 2>/dev/null)
  case $fill in ''|*[!0-9]*) fill=0 ;; esac
  # 16 MiB of random data made once on the disk itself (a small PC's /run can't hold it), then copied on in a loop
  if [ "$fill" -gt 0 ] && dd if=/dev/urandom of=$m/ggnet-chunk bs=1M count=16 status=none 2>/dev/null; then
    i=0
    while [ $i -lt "$fill" ]; do
      dd if=$m/ggnet-chunk of=$m/ggnet-fill bs=1M seek=$i conv=notrunc,fsync status=none 2>/dev/null || break
      i=$((i + 16))
      echo "GGNET-REALOS-FILL wrote=$i" >$con
    done
    rm -f $m/ggnet-chunk
  fi
  umount $m
  echo "GGNET-REALOS-DATA label=$l marker=$mk writes=$w" >$con
  n=$((n + 1))
done
echo "GGNET-REALOS-DATA-DISKS found=$n" >$con
exit 0
EOF
  chmod 755 "$ROOT/usr/local/sbin/ggnet-realos-marker"
  cat >"$ROOT/etc/systemd/system/ggnet-realos-marker.service" <<'EOF'
[Unit]
Description=GGnet real-OS boot marker and persistent boot counter (on /dev/ttyS0)
DefaultDependencies=no
After=local-fs.target systemd-remount-fs.service
Before=sysinit.target shutdown.target
Conflicts=shutdown.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/ggnet-realos-marker

[Install]
WantedBy=sysinit.target
EOF
  mkdir -p "$ROOT/etc/systemd/system/sysinit.target.wants"
  ln -sf ../ggnet-realos-marker.service "$ROOT/etc/systemd/system/sysinit.target.wants/ggnet-realos-marker.service"

  # stable kernel/initrd names for GRUB's embedded config (kernel postinst normally keeps these up to date)
  local kver
  kver=$(cd "$ROOT/boot" && ls -1 vmlinuz-* 2>/dev/null | sed 's/^vmlinuz-//' | sort -V | tail -n 1)
  [ -n "$kver" ] || { FAILED="no kernel in the root filesystem"; return 1; }
  ln -sfn "boot/vmlinuz-$kver" "$ROOT/vmlinuz"
  ln -sfn "boot/initrd.img-$kver" "$ROOT/initrd.img"

  # keep it small, now and for later installs
  cat >"$ROOT/etc/dpkg/dpkg.cfg.d/01-ggnet-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
EOF

  say "rebuilding the initramfs (kernel $kver, ISCSI_AUTO=true)"
  mnt -t proc proc "$ROOT/proc"
  mnt -t sysfs sysfs "$ROOT/sys"
  mnt --bind /dev "$ROOT/dev"
  run "update-initramfs" in_root update-initramfs -u -k "$kver"
  unmount_all
  [ -s "$ROOT/boot/initrd.img-$kver" ] || { FAILED="initramfs missing after update-initramfs"; return 1; }
  run "lsinitramfs" in_root lsinitramfs "/boot/initrd.img-$kver"
  if ! grep -q 'sbin/iscsistart$' "$LOG"; then
    FAILED="the initramfs has no iscsistart (open-iscsi hook not applied)"; return 1
  fi

  in_root apt-get clean >>"$LOG" 2>&1 || true
  rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/cache/debconf/*-old \
         "$ROOT"/var/log/*.log "$ROOT"/var/log/apt/* "$ROOT"/tmp/* "$ROOT"/var/tmp/* \
         "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* "$ROOT"/usr/share/lintian/*
  find "$ROOT/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete 2>/dev/null || true
  find "$ROOT/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  find "$ROOT/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} + 2>/dev/null || true

  say "saving the root filesystem to the cache ($(basename -- "$TARBALL"))"
  TAR_TMP=$(mktemp "$CACHE/.rootfs.XXXXXX")
  run "tar (cache)" tar -C "$ROOT" --numeric-owner --xattrs --xattrs-include='*' -cf "$TAR_TMP" .
  chmod 644 "$TAR_TMP"; mv -f -- "$TAR_TMP" "$TARBALL"; TAR_TMP=
  # an older recipe's root filesystem (250 MB) is of no more use
  find "$CACHE" -maxdepth 1 -name 'rootfs-*.tar' ! -name "$(basename -- "$TARBALL")" -delete
}

if [ -s "$TARBALL" ]; then
  say "using cached root filesystem $(basename -- "$TARBALL")"
  mkdir -p "$ROOT"
  run "tar (extract cache)" tar -C "$ROOT" --numeric-owner --xattrs --xattrs-include='*' -xpf "$TARBALL"
else
  build_rootfs
fi
[ -e "$ROOT/vmlinuz" ] && [ -e "$ROOT/initrd.img" ] || { FAILED="cached root filesystem has no /vmlinuz or /initrd.img; delete $TARBALL"; exit 1; }

# ---- 2. GRUB cores (one embedded config for BIOS and UEFI) ----------------------------------------------
say "making GRUB cores (i386-pc, x86_64-efi)"
# GRUB's rescue parser runs this (no normal.mod, so no 'if'): when search or linux fails, boot fails and the
# lines after it report and reboot (iPXE then tries again).
grub_cfg() {   # $1: terminal lines
  cat <<EOF
$1
echo "GGNET-GRUB searching for the root filesystem labelled $LABEL"
search --no-floppy --label $LABEL --set=root
echo "GGNET-GRUB booting Linux from (\$root)"
linux /vmlinuz root=LABEL=$LABEL ro console=ttyS0,115200 panic=30
initrd /initrd.img
boot
echo "GGNET-GRUB-FAILED (root filesystem $LABEL or its /vmlinuz, /initrd.img not found); rebooting in 30 s"
sleep 30
reboot
EOF
}
# BIOS: screen and COM1. UEFI: the firmware console only (OVMF already mirrors it to the serial port, so adding
# GRUB's serial terminal would print every line twice there).
grub_cfg $'serial --unit=0 --speed=115200\nterminal_input console serial\nterminal_output console serial' >"$WORK/grub-pc.cfg"
grub_cfg '' >"$WORK/grub-efi.cfg"
GRUB_MODS="part_gpt part_msdos ext2 search search_label linux echo sleep reboot"
run "grub-mkimage i386-pc" grub-mkimage -O i386-pc -d "$GRUB_PC" -o "$WORK/core.img" -c "$WORK/grub-pc.cfg" \
  -p '/boot/grub' biosdisk serial terminal $GRUB_MODS
run "grub-mkimage x86_64-efi" grub-mkimage -O x86_64-efi -d "$GRUB_EFI" -o "$WORK/BOOTX64.EFI" \
  -c "$WORK/grub-efi.cfg" -p '/EFI/BOOT' fat efi_gop efi_uga $GRUB_MODS
CORE_BYTES=$(stat -c %s "$WORK/core.img")
CORE_SECTORS=$(( (CORE_BYTES + 511) / 512 ))
[ "$CORE_SECTORS" -le "$BIOS_SECTORS" ] || { FAILED="GRUB core.img ($CORE_BYTES bytes) exceeds the BIOS-boot partition"; exit 1; }
cmp -s -n 500 "$WORK/core.img" "$GRUB_PC/diskboot.img" || { FAILED="core.img does not start with diskboot.img"; exit 1; }

# ---- 3. disk image ----------------------------------------------------------------------------------------
IMG_TMP=$(mktemp "$OUTDIR/.$(basename -- "$OUT").XXXXXX")
TOTAL_SECTORS=$((DISK_MIB * 2048))
ROOT_BLOCKS=$(( (TOTAL_SECTORS - 34 - ROOT_START) / 8 ))            # 4 KiB blocks, before the backup GPT
ROOT_END=$((ROOT_START + ROOT_BLOCKS * 8 - 1))
say "partitioning ($DISK_MIB MiB GPT: BIOS-boot, ESP, root)"
truncate -s "${DISK_MIB}M" "$IMG_TMP"
run "sgdisk" sgdisk --clear \
  -n "1:$BIOS_START:$((BIOS_START + BIOS_SECTORS - 1))" -t 1:ef02 -c 1:bios-boot \
  -n "2:$ESP_START:$((ESP_START + ESP_SECTORS - 1))" -t 2:ef00 -c 2:esp \
  -n "3:$ROOT_START:$ROOT_END" -t 3:8300 -c "3:$LABEL" "$IMG_TMP"

say "writing ext4 root ($((ROOT_BLOCKS * 4 / 1024)) MiB, label $LABEL)"
run "mke2fs" mke2fs -q -F -t ext4 -L "$LABEL" -b 4096 -m 1 -O '^metadata_csum_seed' \
  -E "offset=$((ROOT_START * 512)),lazy_itable_init=0,lazy_journal_init=0,root_owner=0:0" \
  -d "$ROOT" "$IMG_TMP" "$ROOT_BLOCKS"
run "e2fsck (verify)" e2fsck -fn "$IMG_TMP?offset=$((ROOT_START * 512))"

say "writing the ESP (FAT16, \\EFI\\BOOT\\BOOTX64.EFI)"
run "mkfs.vfat" mkfs.vfat -F 16 -n GGNET-ESP -C "$WORK/esp.img" $((ESP_SECTORS / 2))
run "mmd" mmd -i "$WORK/esp.img" ::/EFI ::/EFI/BOOT
run "mcopy" mcopy -i "$WORK/esp.img" "$WORK/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
run "dd (ESP)" dd if="$WORK/esp.img" of="$IMG_TMP" bs=512 seek="$ESP_START" conv=notrunc,sparse status=none

say "installing GRUB BIOS boot code (MBR boot.img -> LBA $BIOS_START core.img, $CORE_SECTORS sectors)"
# le FILE OFFSET NBYTES VALUE: write VALUE little-endian
le() {
  local i s=
  for ((i = 0; i < $3; i++)); do s+=$(printf '\\x%02x' $(( ($4 >> (8 * i)) & 255 ))); done
  printf "$s" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# what grub-bios-setup does: boot.img keeps the disk's BPB area (0x03-0x59), the drive check jump at 0x66 becomes
# NOPs (hard disk), kernel_sector (0x5c) = core.img's first sector; only bytes 0-439 replace the protective MBR
# (disk signature, partition table and 55AA stay).
cp "$GRUB_PC/boot.img" "$WORK/boot.img"
dd if="$IMG_TMP" of="$WORK/boot.img" bs=1 skip=3 seek=3 count=$((0x5a - 3)) conv=notrunc status=none
printf '\x90\x90' | dd of="$WORK/boot.img" bs=1 seek=$((0x66)) conv=notrunc status=none
le "$WORK/boot.img" $((0x5c)) 8 "$BIOS_START"
dd if="$WORK/boot.img" of="$IMG_TMP" bs=1 count=440 conv=notrunc status=none
# core.img's first sector (diskboot.img) ends with its blocklist: start (8 bytes at 0x1f4), sectors (2 bytes at
# 0x1fc), load segment (0x1fe, kept); the rest of core.img follows contiguously.
le "$WORK/core.img" $((0x1f4)) 8 $((BIOS_START + 1))
le "$WORK/core.img" $((0x1fc)) 2 $((CORE_SECTORS - 1))
run "dd (core.img)" dd if="$WORK/core.img" of="$IMG_TMP" bs=512 seek="$BIOS_START" conv=notrunc status=none

run "sgdisk (verify)" sgdisk -v "$IMG_TMP"
[ "$(stat -c %s "$IMG_TMP")" = $((DISK_MIB * 1048576)) ] || { FAILED="image size changed while writing"; exit 1; }
chmod 644 "$IMG_TMP"
mv -f -- "$IMG_TMP" "$OUT"; IMG_TMP=
say "done: $OUT ($DISK_MIB MiB apparent, $(( $(stat -c %b "$OUT") * $(stat -c %B "$OUT") / 1048576 )) MiB used)"
