; GGnet demo disk (lab mode, and the end-to-end tests): a boot sector that proves the disk came over iSCSI.
; It reads LBA 2048 through INT 13h (served by iPXE's SAN boot, i.e. over iSCSI), prints the text
; stored there on COM1, then halts — so the PC stays "online" until it is powered off.
BITS 16
ORG 0x7C00
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    sti
    mov [boot_drive], dl
    call com1_setup
    mov si, packet              ; extended read: 1 sector at LBA 2048 into 0000:8000
    mov ah, 0x42
    mov dl, [boot_drive]
    int 0x13
    jc read_failed
    cmp word [0x8000], 'GG'
    jne read_failed
    mov si, 0x8000
    call com1_print
    jmp stop
read_failed:
    mov si, failure
    call com1_print
stop:
    cli
    hlt
    jmp stop

com1_setup:                     ; 115200 baud, 8N1
    mov dx, 0x3FB
    mov al, 0x80
    out dx, al
    mov dx, 0x3F8
    mov al, 1
    out dx, al
    inc dx
    xor al, al
    out dx, al
    mov dx, 0x3FB
    mov al, 3
    out dx, al
    ret

com1_print:                     ; DS:SI zero-terminated
    lodsb
    test al, al
    jz .done
    mov ah, al
    mov dx, 0x3FD
    mov cx, 0xFFFF
.wait:
    in al, dx
    test al, 0x20
    loopz .wait
    mov al, ah
    mov dx, 0x3F8
    out dx, al
    jmp com1_print
.done:
    ret

boot_drive: db 0
align 4
packet:   db 0x10, 0
          dw 1
          dw 0x8000, 0
          dq 2048
failure:  db "GGNET-READ-FAILED", 13, 10, 0

; iPXE and the BIOS look for a partition table to size the disk: one bootable entry covering LBA 2048 onwards.
times 446-($-$$) db 0
db 0x80, 0, 0, 0, 0x83, 0, 0, 0
dd 2048
dd 6144
times 510-($-$$) db 0
dw 0xAA55
