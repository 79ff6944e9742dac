#!/usr/bin/env bash
# bpftrace (Debian's build) where it needs kernel types: it turns this
# kernel's BTF into C declarations with btf_dump (btf_dump__new,
# btf_dump__dump_type, btf_dump__emit_type_decl) for its clang front end,
# for sizeof(struct ...), tracepoint arguments (args->fd), curtask fields,
# and `-lv` listings. Same results on oxbpf as on Debian's libbpf.
# shellcheck source=../lib/users.sh
. "$(dirname "$0")/../lib/users.sh"
users_init "$@"
need_tool bpftrace gcc python3
[ -r /sys/kernel/btf/vmlinux ] || skip "no /sys/kernel/btf/vmlinux"
[ -d /sys/kernel/tracing/events/syscalls ] || [ -d /sys/kernel/debug/tracing/events/syscalls ] ||
	skip "no syscall tracepoints (tracefs not mounted?)"

# btf_dump__new(btf, NULL print callback) is -EINVAL in libbpf; a stub
# answers EOPNOTSUPP.
errno=$(python3 -c "
import ctypes, sys
l = ctypes.CDLL(sys.argv[1], use_errno=True); l.btf__new_empty.restype = ctypes.c_void_p
l.btf_dump__new.restype = ctypes.c_void_p
d = l.btf_dump__new(ctypes.c_void_p(l.btf__new_empty()), None, None, None)
print(ctypes.get_errno() if not d else 0)" "$OURS_LIB") || fail "btf_dump__new probe"
[ "$errno" = 95 ] && skip "btf_dump is not implemented yet (EOPNOTSUPP): branch btfdump"

HERE=$(cd "$(dirname "$0")" && pwd)
gcc -O1 -g -o "$WORK/work" "$HERE/bpftrace_work.c" || fail "workload build"

bt() {
	local run=$1 name=$2 rc
	shift 2
	(cd "$WORK" && $run timeout 60 bpftrace "$@") > "$WORK/$name.$run.raw" 2>&1
	rc=$?
	grep -v 'RLIMIT_MEMLOCK' "$WORK/$name.$run.raw" > "$WORK/$name.$run"
	[ $rc = 0 ] || fail "$run: bpftrace $name exited $rc: $(head -n 5 "$WORK/$name.$run")"
}
has() { grep -qxF -- "$3" "$WORK/$2.$1" || fail "$1: $2: no line '$3' in: $(cat "$WORK/$2.$1")"; echo "ok: $1: $2: $3"; }

for run in on_debian on_ours; do
	bt $run sizeof -e 'BEGIN { printf("sizes %d %d\n", sizeof(struct task_struct), sizeof(struct list_head)); exit(); }'
	grep -qE '^sizes [0-9]+ 16$' "$WORK/sizeof.$run" || fail "$run: sizeof: $(cat "$WORK/sizeof.$run")"
	bt $run args -e 'tracepoint:syscalls:sys_enter_close /pid == cpid && args->fd == 12345/ { printf("close %d\n", args->fd); }' -c ./work
	has $run args "close 12345"
	bt $run curtask -e 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @same[curtask->pid == pid] = count(); }' -c ./work
	has $run curtask "@same[1]: 7"
	bt $run list -lv 'tracepoint:syscalls:sys_enter_close'
	has $run list "    unsigned int fd"
	bt $run struct -lv 'struct list_head'
	has $run struct "	struct list_head *next;"
done
# Sorted: the traced child's own output and bpftrace's events interleave
# differently from run to run.
for n in sizeof args curtask list struct; do
	diff <(sort "$WORK/$n.on_debian") <(sort "$WORK/$n.on_ours") || fail "$n: output differs (< Debian, > ours)"
	echo "ok: $n: same output on both libraries"
done
