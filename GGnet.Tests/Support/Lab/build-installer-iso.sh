#!/usr/bin/env bash
# A small bootable installer ISO (BIOS, isolinux) for the install-from-ISO tests, built from Debian packages:
#
#   build-installer-iso.sh --rootfs TAR --out FILE
#
#   --rootfs TAR  the lab's real-OS root filesystem cache (rootfs-<recipe>.tar): its kernel and its initramfs, which
#                 logs in to the iSCSI disk the iBFT names (open-iscsi, ISCSI_AUTO=true)
#   --out FILE    the ISO image, written beside FILE and renamed at the end
#
# The installer (kernel argument boot=ggnet-install) logs in to the target iPXE hooked, finds its disk and the ISO, writes a tiny system onto it
# (GRUB's i386-pc core in the first sectors, whose embedded config prints sector 4096), writes its marker into sector
# 4096, prints on the serial console and powers off:
#   GGNET-INSTALLER started
#   GGNET-INSTALLER-DONE marker=<uuid> disk=<device> medium=<device>:<volume label>   (or GGNET-INSTALLER-FAILED <reason>)
# where medium is the CD-ROM of the session's target this ISO was booted from, as the installer's own initiator sees it
# ("none:none" when it found none).
# The installed system, booted from that disk, prints:
#   GGNET-INSTALLED marker=<uuid>
#
# Needs: xorriso isolinux syslinux-common grub-pc-bin cpio tar
set -Eeuo pipefail
umask 022
export LC_ALL=C

ME=build-installer-iso
die() { printf '%s: error: %s\n' "$ME" "$*" >&2; exit 1; }

ROOTFS= OUT=
while [ $# -gt 0 ]; do
  case $1 in
    --rootfs) [ $# -ge 2 ] || die "--rootfs needs a file"; ROOTFS=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || die "--out needs a file name"; OUT=$2; shift 2 ;;
    *) die "unknown argument (usage: $ME --rootfs TAR --out FILE)" ;;
  esac
done
[ -s "$ROOTFS" ] || die "--rootfs TAR is required and must exist"
[ -n "$OUT" ] || die "--out FILE is required"
for c in xorriso grub-mkimage cpio tar; do command -v "$c" >/dev/null || die "missing '$c' (see '# Needs:' in $0)"; done
GRUB_PC=/usr/lib/grub/i386-pc
ISOLINUX=/usr/lib/ISOLINUX/isolinux.bin
LDLINUX=/usr/lib/syslinux/modules/bios/ldlinux.c32
for f in "$GRUB_PC/boot.img" "$ISOLINUX" "$LDLINUX"; do [ -f "$f" ] || die "missing $f"; done

WORK=$(mktemp -d)
trap 'rm -rf -- "$WORK"' EXIT
ISO=$WORK/iso
mkdir -p "$ISO/isolinux" "$WORK/extra/scripts" "$WORK/extra/ggnet"

# ---- the kernel and the real OS's initramfs ---------------------------------------------------------------------
tar -C "$WORK" -xf "$ROOTFS" --wildcards './boot/vmlinuz-*' './boot/initrd.img-*'
cp "$(ls "$WORK"/boot/vmlinuz-* | sort -V | tail -n 1)" "$ISO/vmlinuz"
INITRD=$(ls "$WORK"/boot/initrd.img-* | sort -V | tail -n 1)

# ---- the system the installer writes: GRUB's BIOS boot code, whose config prints the marker sector ---------------
# serial only: the BIOS mirrors the screen to the serial port already, and two terminals would interleave every line
cat >"$WORK/grub.cfg" <<'EOF'
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
cat (hd0)4096+1
sleep 3600
EOF
grub-mkimage -O i386-pc -d "$GRUB_PC" -o "$WORK/core.img" -c "$WORK/grub.cfg" -p /boot/grub biosdisk serial terminal cat sleep
CORE_SECTORS=$(( ($(stat -c %s "$WORK/core.img") + 511) / 512 ))
[ "$CORE_SECTORS" -lt 4000 ] || die "GRUB core too large"
SYSTEM=$WORK/extra/ggnet/system.img
truncate -s $((4096 * 512)) "$SYSTEM"
# le FILE OFFSET NBYTES VALUE: write VALUE little-endian
le() {
  local i s=
  for ((i = 0; i < $3; i++)); do s+=$(printf '\\x%02x' $(( ($4 >> (8 * i)) & 255 ))); done
  printf "$s" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# boot.img in the MBR loads core.img from sector 1 (what grub-bios-setup does on a disk without partitions)
cp "$GRUB_PC/boot.img" "$WORK/boot.img"
printf '\x90\x90' | dd of="$WORK/boot.img" bs=1 seek=$((0x66)) conv=notrunc status=none
le "$WORK/boot.img" $((0x5c)) 8 1
le "$WORK/core.img" $((0x1f4)) 8 2
le "$WORK/core.img" $((0x1fc)) 2 $((CORE_SECTORS - 1))
dd if="$WORK/boot.img" of="$SYSTEM" bs=512 count=1 conv=notrunc status=none
dd if="$WORK/core.img" of="$SYSTEM" bs=512 seek=1 conv=notrunc status=none
# the marker sector is padded with line ends, which GRUB's cat prints as they are
head -c 512 /dev/zero | tr '\0' '\n' >"$WORK/extra/ggnet/line-ends"

# ---- the installer: initramfs-tools' boot=ggnet-install -----------------------------------------------------------
cat >"$WORK/extra/scripts/ggnet-install" <<'EOF'
# GGnet lab installer. /init sources scripts/local, scripts/nfs, then this file, and runs mount_top, mount_premount and
# mountroot: the local ones (open-iscsi's local-top script logs in to the disk the iBFT names), then the install.
mount_top()
{
	local_top
}

mount_premount()
{
	local_premount
}

mountroot()
{
	con=/dev/ttyS0
	echo "GGNET-INSTALLER started" >$con
	local_top
	# The session's target shows both LUNs to this initiator as to Windows Setup's: the disk (SCSI type 0) and the ISO
	# this system was booted from, a CD-ROM (type 5). Found again here, after the firmware's iSCSI is gone.
	disk= medium=
	n=0
	while { [ -z "$disk" ] || [ -z "$medium" ]; } && [ $n -lt 60 ]; do
		for b in /sys/class/iscsi_session/session*/device/target*/*/block/*; do
			[ -e "$b" ] && [ -b "/dev/${b##*/}" ] || continue
			case $(cat "${b%/block/*}/type") in
			0) disk=/dev/${b##*/} ;;
			5) medium=/dev/${b##*/} ;;
			esac
		done
		{ [ -n "$disk" ] && [ -n "$medium" ]; } || { sleep 1; n=$((n + 1)); }
	done
	# the medium's ISO 9660 volume label (sector 16, from byte 40)
	label=none
	[ -n "$medium" ] && label=$(dd if="$medium" bs=1 skip=$((16 * 2048 + 40)) count=15 2>/dev/null)
	if [ -z "$disk" ]; then
		echo "GGNET-INSTALLER-FAILED no iSCSI disk appeared" >$con
	else
		marker=$(cat /proc/sys/kernel/random/uuid)
		{ echo "GGNET-INSTALLED marker=$marker"; cat /ggnet/line-ends; } >/run/marker
		if dd if=/ggnet/system.img of="$disk" bs=512 conv=notrunc,fsync 2>/dev/null \
			&& dd if=/run/marker of="$disk" bs=512 count=1 seek=4096 conv=notrunc,fsync 2>/dev/null; then
			sync
			echo "GGNET-INSTALLER-DONE marker=$marker disk=$disk medium=${medium:-none}:$label" >$con
		else
			echo "GGNET-INSTALLER-FAILED writing to $disk" >$con
		fi
	fi
	sleep 2
	echo o >/proc/sysrq-trigger
	sleep 60
}
EOF
(cd "$WORK/extra" && find . | cpio -o -H newc --quiet) >"$WORK/extra.cpio"
# the kernel reads concatenated archives; the next one must start on a 4-byte boundary (zeros between are skipped)
cp "$INITRD" "$ISO/initrd.img"
PAD=$(( (4 - $(stat -c %s "$ISO/initrd.img") % 4) % 4 ))
head -c "$PAD" /dev/zero >>"$ISO/initrd.img"
cat "$WORK/extra.cpio" >>"$ISO/initrd.img"

# ---- the ISO --------------------------------------------------------------------------------------------------------
cp "$ISOLINUX" "$LDLINUX" "$ISO/isolinux/"
cat >"$ISO/isolinux/isolinux.cfg" <<'EOF'
SERIAL 0 115200
DEFAULT install
PROMPT 0
TIMEOUT 0
LABEL install
  KERNEL /vmlinuz
  APPEND initrd=/initrd.img boot=ggnet-install console=ttyS0,115200 panic=30
EOF
TMP=$(mktemp "$(dirname -- "$OUT")/.$(basename -- "$OUT").XXXXXX")
xorriso -as mkisofs -quiet -o "$TMP" -V GGNET_INSTALLER -R -J \
  -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table "$ISO" \
  || { rm -f -- "$TMP"; die "xorriso failed"; }
chmod 644 "$TMP"
mv -f -- "$TMP" "$OUT"
