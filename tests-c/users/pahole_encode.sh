#!/usr/bin/env bash
# pahole -J (Debian's dwarves build, linked against libbpf.so.1) encodes
# DWARF into BTF through the library: btf__new_empty_split, every
# btf__add_* pahole emits for C, btf__add_btf (to merge the per-thread
# encoders of -j), btf__dedup and btf__raw_data. The .BTF section written
# into an ELF, and a detached raw BTF file, must hold the same types and
# strings on oxbpf as on Debian's libbpf, and read back the same.
# shellcheck source=../lib/users.sh
. "$(dirname "$0")/../lib/users.sh"
users_init "$@"
need_tool pahole gcc clang-19 objcopy python3
HERE=$(cd "$(dirname "$0")" && pwd)

# pahole cannot encode anything without btf__dedup.
dedup=$(python3 -c "
import ctypes, sys
l = ctypes.CDLL(sys.argv[1]); l.btf__new_empty.restype = ctypes.c_void_p
print(l.btf__dedup(ctypes.c_void_p(l.btf__new_empty()), None))" "$OURS_LIB") || fail "btf__dedup probe"
[ "$dedup" = -95 ] && skip "btf__dedup is not implemented yet (EOPNOTSUPP): branch dedup"

# A two-unit program with every C type kind (and duplicates across units),
# two of the suite's C tests as bigger relocatable objects, and every type
# of this kernel (vmlinux.h, from its BTF, compiled with all debug types:
# ~2.4 MB of BTF for dedup).
gcc -g -O0 -DUNIT=1 -c "$HERE/pahole_corpus.c" -o "$WORK/u1.o" &&
	gcc -g -O0 -DUNIT=2 -c "$HERE/pahole_corpus.c" -o "$WORK/u2.o" &&
	gcc -g "$WORK/u1.o" "$WORK/u2.o" -o "$WORK/corpus" || fail "corpus build"
for t in object_api btf_build; do
	gcc -g -O0 -D_GNU_SOURCE -I"$HERE/../../include" -I"$HERE/../lib" -I"${OXBPF_PROGS:-.}" \
		-c "$HERE/../$t.c" -o "$WORK/$t.o" || fail "$t.o build"
done

# same_btf <debian raw BTF> <ours>: 1.8 writes a 32-byte header (two zero
# fields after str_len), 1.1.2 a 24-byte one: the headers are compared
# field by field, the type and string sections byte for byte.
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
same_btf() {
	local d=$1 o=$2 hd ho f
	[ -s "$d" ] && [ -s "$o" ] || fail "empty BTF ($d, $o)"
	cmp -n 4 "$d" "$o" >/dev/null || fail "BTF magic/version/flags differ"
	hd=$(u32 "$d" 4)
	ho=$(u32 "$o" 4)
	for f in 8 12 16 20; do
		expect_eq "$3: header field at $f" "$(u32 "$d" $f)" "$(u32 "$o" $f)"
	done
	if [ "$ho" = 32 ]; then
		expect_eq "$3: 1.8's extra header fields" "0 0" "$(u32 "$o" 24) $(u32 "$o" 28)"
	else
		expect_eq "$3: header length" "$hd" "$ho"
	fi
	cmp <(tail -c +$((hd + 1)) "$d") <(tail -c +$((ho + 1)) "$o") ||
		fail "$3: types or strings differ"
	echo "ok: $3: $(($(stat -c %s "$o") - ho)) bytes of types and strings identical"
}

[ -f "${OXBPF_PROGS:-}/vmlinux.h" ] || fail "vmlinux.h is missing (tests-c/run.sh makes it)"
printf '#include "vmlinux.h"\nint main(void) { return 0; }\n' > "$WORK/vmlinux_types.c"
clang-19 -g -fno-eliminate-unused-debug-types -w -I"$OXBPF_PROGS" -c "$WORK/vmlinux_types.c" \
	-o "$WORK/vmlinux_types.o" || fail "vmlinux_types.o build"

for bin in corpus object_api.o btf_build.o vmlinux_types.o; do
	for j in "" -j2; do
		what="pahole -J $j $bin"
		cp "$WORK/$bin" "$WORK/deb.$bin"
		cp "$WORK/$bin" "$WORK/ours.$bin"
		on_debian pahole -J $j "$WORK/deb.$bin" || fail "$what on Debian's libbpf"
		on_ours pahole -J $j "$WORK/ours.$bin" > "$WORK/err" 2>&1 || fail "$what on ours: $(cat "$WORK/err")"
		objcopy --dump-section .BTF="$WORK/deb.btf" "$WORK/deb.$bin" /dev/null &&
			objcopy --dump-section .BTF="$WORK/ours.btf" "$WORK/ours.$bin" /dev/null ||
			fail "$what: no .BTF section"
		same_btf "$WORK/deb.btf" "$WORK/ours.btf" "$what"
		# Both ELF files read back the same (by Debian's libbpf).
		cmp <(pahole -F btf "$WORK/deb.$bin") <(pahole -F btf "$WORK/ours.$bin") ||
			fail "$what: pahole -F btf differs"
		on_debian pahole -J $j --btf_encode_detached="$WORK/deb.raw" "$WORK/$bin" || fail "detached on Debian's"
		on_ours pahole -J $j --btf_encode_detached="$WORK/ours.raw" "$WORK/$bin" || fail "detached on ours"
		same_btf "$WORK/deb.raw" "$WORK/ours.raw" "$what --btf_encode_detached"
	done
done

# Split BTF, as for a kernel module: types of a unit using kernel types,
# deduplicated against this kernel's vmlinux BTF (btf__new_empty_split).
cat > "$WORK/module.c" <<'EOC'
#include "vmlinux.h"
struct my_mod_state { struct list_head list; struct task_struct *owner; u64 counter; struct my_mod_state *next; };
struct my_mod_state *global_state;
int my_mod_fn(struct my_mod_state *s, struct sk_buff *skb) { return s->counter + skb->len; }
EOC
clang-19 -g -w -I"$OXBPF_PROGS" -c "$WORK/module.c" -o "$WORK/module.o" || fail "module.o build"
cp "$WORK/module.o" "$WORK/deb.module.o"
cp "$WORK/module.o" "$WORK/ours.module.o"
on_debian pahole -J --btf_base /sys/kernel/btf/vmlinux "$WORK/deb.module.o" || fail "split BTF on Debian's"
on_ours pahole -J --btf_base /sys/kernel/btf/vmlinux "$WORK/ours.module.o" || fail "split BTF on ours"
objcopy --dump-section .BTF="$WORK/deb.btf" "$WORK/deb.module.o" /dev/null &&
	objcopy --dump-section .BTF="$WORK/ours.btf" "$WORK/ours.module.o" /dev/null || fail "split: no .BTF section"
same_btf "$WORK/deb.btf" "$WORK/ours.btf" "pahole -J --btf_base vmlinux module.o"
