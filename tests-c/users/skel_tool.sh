#!/usr/bin/env bash
# A skeleton-based tool (tests-c/users/skel_tool.c, libbpf-tools style),
# compiled once against Debian's headers and bpftool's skeleton and linked
# with -lbpf like a distribution build, runs unchanged on Debian's libbpf
# and on oxbpf: open, .rodata set before load, load, attach (tracepoint),
# ring buffer and perf buffer events, .bss/.data through the skeleton's
# mmap, a hash map read back, detach, destroy. Outputs must be identical.
# shellcheck source=../lib/users.sh
. "$(dirname "$0")/../lib/users.sh"
users_init "$@"
need_tool gcc
HERE=$(cd "$(dirname "$0")" && pwd)
P=${OXBPF_PROGS:-}
[ -f "$P/users_snoop.skel.h" ] || fail "users_snoop.skel.h is missing (tests-c/run.sh generates it)"
[ -e /usr/include/bpf/libbpf.h ] || skip "Debian's libbpf-dev headers are not installed"
gcc -O1 -g -Wall -Werror -I"$P" "$HERE/skel_tool.c" -o "$WORK/skel_tool" -lbpf || fail "tool build"

on_debian "$WORK/skel_tool" > "$WORK/out.debian" 2>&1
rc=$?
[ $rc = 0 ] || fail "Debian's libbpf: exit $rc: $(cat "$WORK/out.debian")"
on_ours "$WORK/skel_tool" > "$WORK/out.ours" 2>&1
rc=$?
cat "$WORK/out.ours"
if [ $rc = 3 ] && grep -q "^attach failed: -95 " "$WORK/out.ours"; then
	skip "bpf_object__attach_skeleton is not implemented yet (EOPNOTSUPP): branch attach"
fi
[ $rc = 0 ] || fail "ours: exit $rc"
diff "$WORK/out.debian" "$WORK/out.ours" || fail "output differs (< Debian, > ours)"
grep -qx "ring: seq 20 tag skel-ok comm skel_tool" "$WORK/out.ours" || fail "no ring event for call 20"
grep -qx "perf: 1 2 3 4 5 6 7 8 9 10 15 20 (lost 0)" "$WORK/out.ours" || fail "perf events"
echo "ok: same output on both libraries"

# The same run under valgrind: no error, no leak in the library.
if command -v valgrind >/dev/null; then
	on_ours valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		"$WORK/skel_tool" > "$WORK/out.valgrind" 2>&1 ||
		fail "under valgrind: $(grep -v 'unhandled eBPF' "$WORK/out.valgrind" | tail -n 30)"
	echo "ok: under valgrind"
fi
