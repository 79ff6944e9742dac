#!/usr/bin/env bash
# pahole (Debian's dwarves build, linked against libbpf.so.1) reading BTF
# through the library (btf__parse, btf__parse_split, type walks, strings):
# the whole of this kernel's vmlinux BTF printed with several option sets,
# and the BTF of clang-built BPF objects (ELF .BTF sections, one of them
# big-endian), must print exactly the same on oxbpf as on Debian's libbpf.
# shellcheck source=../lib/users.sh
. "$(dirname "$0")/../lib/users.sh"
users_init "$@"
need_tool pahole
VMLINUX=/sys/kernel/btf/vmlinux
[ -r "$VMLINUX" ] || skip "no $VMLINUX"
P=${OXBPF_PROGS:-}
[ -f "$P/core_reloc.bpf.o" ] || fail "BPF objects are missing in '$P' (tests-c/run.sh builds them)"

n=0
same() { # <what> <pahole args>...
	local what=$1 rc_d rc_o
	shift
	n=$((n + 1))
	on_debian pahole "$@" > "$WORK/$n.debian" 2>&1
	rc_d=$?
	on_ours pahole "$@" > "$WORK/$n.ours" 2>&1
	rc_o=$?
	expect_eq "$what: exit status" "$rc_d" "$rc_o"
	[ "$rc_d" = 0 ] || fail "$what: pahole failed on Debian's libbpf: $(head -n 3 "$WORK/$n.debian")"
	[ -s "$WORK/$n.debian" ] || fail "$what: empty output"
	diff "$WORK/$n.debian" "$WORK/$n.ours" > "$WORK/$n.diff" ||
		fail "$what: output differs (< Debian, > ours): $(head -n 20 "$WORK/$n.diff")"
	echo "ok: $what: $(wc -l < "$WORK/$n.ours") identical lines"
}

same "vmlinux, every type" -F btf "$VMLINUX"
same "vmlinux, sizes" -F btf --sizes "$VMLINUX"
same "vmlinux, task_struct expanded" -F btf -E -C task_struct "$VMLINUX"
same "vmlinux, sk_buff with expanded types" -F btf --expand_types -C sk_buff "$VMLINUX"
same "vmlinux, list_head users" -F btf -R -C list_head "$VMLINUX"
same "vmlinux, packable structs" -F btf --show_private_classes --packable "$VMLINUX"
same "vmlinux, enums and typedefs" -F btf --classes_as_structs -C 'bpf_attach_type,bpf_map_type,u64' "$VMLINUX"
same "vmlinux, members with their offsets" -F btf --contains sk_buff "$VMLINUX"
for o in obj_maps obj_globals obj_globals_be core_reloc btf_ext_sample; do
	same "$o.bpf.o" -F btf "$P/$o.bpf.o"
done
