#!/usr/bin/env bash
# bpftrace (Debian's build, linked against libbpf.so.1 and libbcc_bpf) on
# oxbpf and on Debian's libbpf: one-liners that this kernel's lockdown
# allows (tracepoints with arguments, uprobes/uretprobes, interval and
# profile perf events, BEGIN/END), every kind of map bpftrace prints
# (count, sum, min, max, avg, stats, hist, lhist, keyed maps), its feature
# probes (--info) and probe listing. bpftrace loads programs and creates and
# reads maps through libbpf's bpf.h; attaching goes through libbcc_bpf.
# Tracepoint arguments and kernel types need btf_dump: bpftrace_btf.sh.
# shellcheck source=../lib/users.sh
. "$(dirname "$0")/../lib/users.sh"
users_init "$@"
need_tool bpftrace gcc
[ -d /sys/kernel/tracing/events/syscalls ] || [ -d /sys/kernel/debug/tracing/events/syscalls ] ||
	skip "no syscall tracepoints (tracefs not mounted?)"
HERE=$(cd "$(dirname "$0")" && pwd)
gcc -O1 -g -o "$WORK/work" "$HERE/bpftrace_work.c" || fail "workload build"

# bt <on_ours|on_debian> <name> <bpftrace args>...: output without bpftrace's
# RLIMIT_MEMLOCK complaint (it prints it on any libbpf: the limit is
# already raised), in $WORK/<name>.<lib>.
bt() {
	local run=$1 name=$2 rc
	shift 2
	(cd "$WORK" && $run timeout 60 bpftrace "$@") > "$WORK/$name.$run.raw" 2>&1
	rc=$?
	grep -v 'RLIMIT_MEMLOCK' "$WORK/$name.$run.raw" > "$WORK/$name.$run"
	[ $rc = 0 ] || fail "$run: bpftrace $name exited $rc: $(head -n 5 "$WORK/$name.$run")"
}
has() { grep -qxF -- "$3" "$WORK/$2.$1" || fail "$1: $2: no line '$3' in: $(cat "$WORK/$2.$1")"; echo "ok: $1: $2: $3"; }
# Both runs print the same lines (sorted: bpftrace prints hash maps in the
# kernel's iteration order, which is per map, not per library).
same_sorted() {
	diff <(sort "$WORK/$1.on_debian") <(sort "$WORK/$1.on_ours") ||
		fail "$1: output differs (< Debian, > ours)"
	echo "ok: $1: same output on both libraries"
}

MAPS='
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @calls = count(); @per[comm] = count(); }
tracepoint:syscalls:sys_enter_close /pid == cpid/ { @closes = count(); }
uprobe:./work:ru_target /pid == cpid/ {
	@arg[arg0] = count(); @h = hist(arg1); @l = lhist(arg1, 0, 20, 5); @s = sum(arg1);
	@mx = max(arg1); @mn = min(arg1); @av = avg(arg1); @st = stats(arg1);
}
uretprobe:./work:ru_target /pid == cpid/ { @ret = sum(retval); }'
TIMERS='
BEGIN { printf("%s %d %x %5d|\n", "oxbpf", 42, 255, 7); }
interval:ms:100 { @n++; if (@n == 3) { exit(); } }
profile:hz:99 { @p[cpu] = count(); }
END { printf("end %d\n", @n); clear(@p); }'

for run in on_debian on_ours; do
	bt $run maps -e "$MAPS" -c ./work
	has $run maps "Attaching 4 probes..."
	has $run maps "work done 278"
	grep -qE '^@closes: [1-9]' "$WORK/maps.$run" || fail "$run: maps: close(12345) not counted"
	has $run maps "@calls: 7"
	has $run maps "@per[work]: 7"
	has $run maps "@arg[3]: 4"
	has $run maps "@s: 190"
	has $run maps "@mn: 0"
	has $run maps "@mx: 19"
	has $run maps "@av: 9"
	has $run maps "@st: count 20, average 9, total 190"
	has $run maps "@ret: 270"
	has $run maps "[8, 16)                8 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|"
	has $run maps "[15, 20)               5 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|"
	bt $run timers -e "$TIMERS"
	has $run timers "oxbpf 42 ff     7|"
	has $run timers "end 3"
	has $run timers "@n: 3"
	bt $run info --info
	bt $run list -l 'tracepoint:syscalls:sys_enter_getp*'
	has $run list "tracepoint:syscalls:sys_enter_getppid"
done
same_sorted maps
same_sorted timers
same_sorted info
same_sorted list
