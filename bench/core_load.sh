#!/usr/bin/env bash
# CO-RE load time: open + load + close of a CO-RE object 20 times in one
# process, user CPU per iteration, oxbpf vs Debian's libbpf in the same run.
# oxbpf parses vmlinux BTF once for the 20 loads; libbpf parses it every time.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/bench/build
CLANG=${CLANG:-clang-19}
mkdir -p "$B"
DEBIAN_LIB=$(ls /usr/lib/x86_64-linux-gnu/libbpf.so.1.* 2>/dev/null | head -n 1)
[ -n "$DEBIAN_LIB" ] || { echo "core_load: skipped (Debian's libbpf1 is not installed)"; exit 0; }
[ -s "$B/vmlinux.h" ] || bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$B/vmlinux.h"
"$CLANG" -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$B" -I/usr/include/x86_64-linux-gnu \
	-c "$ROOT/tests-c/progs/core_reloc.bpf.c" -o "$B/core_reloc.bpf.o" || exit 1
gcc -O2 -Wall -Werror -I"$ROOT/include" "$ROOT/bench/core_load/driver.c" -o "$B/core_load" -L"$ROOT/build" -lbpf || exit 1
ours=$(LD_LIBRARY_PATH="$ROOT/build" "$B/core_load" "$B/core_reloc.bpf.o" 20)
theirs=$(LD_LIBRARY_PATH="$(dirname "$DEBIAN_LIB")" "$B/core_load" "$B/core_reloc.bpf.o" 20)
case "$ours$theirs" in
*error*) echo "core_load: skipped (oxbpf: $ours, libbpf: $theirs)"; exit 0 ;;
esac
ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 0.3 ? "ok" : "over target") }')
echo "core_load: user CPU per open+load+close of a CO-RE object (20 in one process): oxbpf ${ours} us, libbpf ${theirs} us, ratio ${ratio} (target <= 0.30: ${verdict})"
[ "$verdict" = ok ]
