#!/usr/bin/env bash
# make bench: speed of oxbpf against Debian's libbpf and against bare
# syscall(2), measured on this machine in one run (run after `make all`).
#
# Each benchmark is a C program bench/<name>.c, built once against our
# headers and run twice: with build/libbpf.so.1 (LD_LIBRARY_PATH) and with
# Debian's libbpf1. It prints "RESULT <metric> <value-in-ns>" lines; metrics
# named raw_<m> are library-independent baselines for metric <m> (e.g. the
# same bpf() command issued directly), measured in the same process so both
# sides see the same machine noise. A new benchmark is one more .c file.
#
# Prints one table row per metric: ns for oxbpf, Debian and raw, and the
# ratios oxbpf/raw, Debian/raw and oxbpf/Debian (lower is better). The raw
# column is the better of the two runs' baselines; each library's ratio to raw
# uses the baseline measured in its own process.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/bench/build
OURS_DIR=$ROOT/build
DEBIAN_LIB=$(ls /usr/lib/x86_64-linux-gnu/libbpf.so.1.* /usr/lib/*/libbpf.so.1.* 2>/dev/null | head -n 1)
FILTER=${1:-}
mkdir -p "$B"

[ -e "$OURS_DIR/libbpf.so.1" ] || { echo "build/libbpf.so.1 is missing: run make first"; exit 1; }
[ -n "$DEBIAN_LIB" ] || { echo "Debian's libbpf1 is not installed (make deps)"; exit 1; }
mountpoint -q /sys/fs/bpf 2>/dev/null || mount -t bpf bpf /sys/fs/bpf 2>/dev/null

# run <bin> <libdir|""> <out>: the library is picked by LD_LIBRARY_PATH;
# Debian's is the system default.
run() {
	LD_LIBRARY_PATH="$2" "$1" > "$3" 2>&1
}

metric() { sed -n "s/^RESULT $2 //p" "$1" | head -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.3f", a / b }'; }

status=0
printf '%-26s %10s %10s %10s %10s %11s %13s\n' benchmark "oxbpf ns" "debian ns" "raw ns" oxbpf/raw debian/raw oxbpf/debian
for src in "$ROOT"/bench/*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	[ -z "$FILTER" ] || [[ "$name" == *$FILTER* ]] || continue
	bin=$B/$name
	if ! gcc -O2 -Wall -Werror -I"$ROOT/include" "$src" -o "$bin" -L"$OURS_DIR" -lbpf -ldl > "$B/$name.build.log" 2>&1; then
		echo "$name: build failed"; cat "$B/$name.build.log"; status=1; continue
	fi
	if ! run "$bin" "$OURS_DIR" "$B/$name.ours" || ! run "$bin" "" "$B/$name.debian"; then
		echo "$name: run failed"; cat "$B/$name.ours" "$B/$name.debian"; status=1; continue
	fi
	# A benchmark may print "LIBRARY <path>" (dladdr of a libbpf symbol):
	# then it must be ours in the first run and not ours in the second.
	if grep -q '^LIBRARY ' "$B/$name.ours"; then
		grep -q "^LIBRARY $OURS_DIR/" "$B/$name.ours" && ! grep -q "^LIBRARY $OURS_DIR/" "$B/$name.debian" ||
			{ echo "$name: the runs did not load the intended libraries"; status=1; }
	fi
	for m in $(sed -n 's/^RESULT \([^ ]*\) .*/\1/p' "$B/$name.ours" | grep -v '^raw_'); do
		o=$(metric "$B/$name.ours" "$m"); d=$(metric "$B/$name.debian" "$m")
		# The raw baseline: the best of the two processes' measurements.
		r1=$(metric "$B/$name.ours" "raw_$m"); r2=$(metric "$B/$name.debian" "raw_$m")
		r=$(awk -v a="$r1" -v b="$r2" 'BEGIN { if (a == "") print b; else if (b == "" || a < b) print a; else print b }')
		# oxbpf/raw from oxbpf's own process (same noise), not the mixed baseline.
		printf '%-26s %10s %10s %10s %10s %11s %13s\n' "$name $m" "$o" "$d" "${r:--}" \
			"$(ratio "$o" "$r1")" "$(ratio "$d" "$r2")" "$(ratio "$o" "$d")"
	done
done
"$ROOT/bench/btf.sh" || status=1
"$ROOT/bench/core_load.sh" || status=1
exit $status
