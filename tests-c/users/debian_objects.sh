#!/usr/bin/env bash
# The BPF objects Debian ships (libxdp's dispatcher and AF_XDP programs,
# xdp-filter's and xdpdump's programs, xdp-tests' samples: built by
# Debian's clang, not ours) opened and loaded by a generic loader
# (tests-c/users/obj_report.c, built against Debian's headers) on both
# libraries: programs, sections, types and instruction counts, map
# definitions, and after load each program's tag (the hash of the
# instructions the kernel accepted, so of every relocation applied) and each
# map as the kernel created it must be identical.
# shellcheck source=../lib/users.sh
. "$(dirname "$0")/../lib/users.sh"
users_init "$@"
need_tool gcc
HERE=$(cd "$(dirname "$0")" && pwd)
[ -e /usr/include/bpf/libbpf.h ] || skip "Debian's libbpf-dev headers are not installed"
objs=$(ls /usr/lib/x86_64-linux-gnu/bpf/*.o /usr/libexec/xdp-tools/*.o 2>/dev/null)
[ -n "$objs" ] || skip "no BPF objects from Debian packages (xdp-tools, xdp-tests)"
gcc -O1 -g -Wall -Werror "$HERE/obj_report.c" -o "$WORK/obj_report" -lbpf || fail "obj_report build"

n=0
for o in $objs; do
	on_debian "$WORK/obj_report" "$o" > "$WORK/debian" 2>&1 || fail "$o: obj_report failed on Debian's"
	on_ours "$WORK/obj_report" "$o" > "$WORK/ours" 2>&1 || fail "$o: obj_report failed on ours"
	diff "$WORK/debian" "$WORK/ours" || fail "$o: differs (< Debian, > ours)"
	grep -q '^load: 0$' "$WORK/ours" || fail "$o: not loaded: $(cat "$WORK/ours")"
	echo "ok: $(basename "$o"): $(grep -c '^loaded ' "$WORK/ours") programs loaded, $(grep -c '^created ' "$WORK/ours") maps, identical"
	n=$((n + 1))
done
[ $n -ge 3 ] || fail "only $n objects"
