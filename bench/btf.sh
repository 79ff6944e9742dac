#!/usr/bin/env bash
# BTF benchmark: parse vmlinux BTF + walk all types + 1,000
# btf__find_by_name_kind() lookups, best of 20 rounds, with peak RSS,
# oxbpf against Debian's libbpf in the same run (bench/btf_vmlinux.c).
# Targets: oxbpf at most 0.6x Debian's time, and no more memory.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/bench/build
mkdir -p "$B"
DEBIAN_LIB=$(ls /usr/lib/x86_64-linux-gnu/libbpf.so.1.* /usr/lib/*/libbpf.so.1.* 2>/dev/null | head -n 1)
ROUNDS=${BTF_BENCH_ROUNDS:-20}

gcc -O2 -Wall -Werror -I"$ROOT/include" "$ROOT/bench/btf_vmlinux.c" -o "$B/btf_vmlinux" -L"$ROOT/build" -lbpf || exit 1
[ -n "$DEBIAN_LIB" ] || { echo "btf: Debian's libbpf1 is not installed"; exit 1; }

# Alternate the libraries over a few runs and keep each one's best.
# one <libdir>: "<best us> <peak RSS KiB> <lookups found>"
one() {
	LD_LIBRARY_PATH="$1" "$B/btf_vmlinux" "$ROUNDS" |
		awk '/^RESULT/ { t = int($3 / 1000) } /^RSS_KIB/ { r = $2 } /^FOUND/ { f = $2 } END { print t, r, f }'
}
best_ours="" best_deb="" rss_ours="" rss_deb=""
for _ in 1 2 3; do
	read -r t_o rss_o found_o < <(one "$ROOT/build")
	read -r t_d rss_d found_d < <(one "$(dirname "$DEBIAN_LIB")")
	[ "$found_o" = "$found_d" ] || { echo "btf: lookups disagree ($found_o vs $found_d)"; exit 1; }
	[ -z "$best_ours" ] || [ "$t_o" -lt "$best_ours" ] && best_ours=$t_o
	[ -z "$best_deb" ] || [ "$t_d" -lt "$best_deb" ] && best_deb=$t_d
	[ -z "$rss_ours" ] || [ "$rss_o" -gt "$rss_ours" ] && rss_ours=$rss_o
	[ -z "$rss_deb" ] || [ "$rss_d" -gt "$rss_deb" ] && rss_deb=$rss_d
done
awk -v to="$best_ours" -v td="$best_deb" -v ro="$rss_ours" -v rd="$rss_deb" 'BEGIN {
	tr = to / td; rr = ro / rd
	printf "btf: vmlinux parse + walk + 1000 lookups (best of '"$ROUNDS"'): oxbpf %.2f ms, Debian %.2f ms: %.2fx time %s\n",
		to / 1000, td / 1000, tr, (tr <= 0.6 ? "(ok, target <= 0.6x)" : "(ABOVE the 0.6x target)")
	printf "btf: peak RSS: oxbpf %d KiB, Debian %d KiB: %.2fx memory %s\n", ro, rd, rr,
		(rr <= 1.0 ? "(ok, target <= 1x)" : "(ABOVE the 1x target)")
	exit (tr <= 0.6 && rr <= 1.0) ? 0 : 1
}'
