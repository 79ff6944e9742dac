#!/usr/bin/env bash
# The whole test suite behind `make check` (run after `make all`):
#   1. the generated headers are the committed ones;
#   2. cargo test (the core, without a kernel);
#   3. ABI checks generated from ../shared/abi/ (C and C++), and the symbol table;
#   4. BPF objects built from tests-c/progs/*.bpf.c with clang;
#   5. every C test tests-c/*.c, on the real kernel, against build/libbpf.so.1,
#      and for differential tests also against Debian's libbpf1, comparing output.
# Ends with one line: N passed, N failed, N skipped.
#
# Markers a test file may carry in its first lines:
#   // oxbpf-test: differential     also run against Debian's libbpf; stdout must match
#                                   (lines starting with "~" are not compared)
#   // oxbpf-test: debian-headers   compile against Debian's headers (/usr/include/bpf)
#                                   and link against Debian's library
#   // oxbpf-test: valgrind         also run under valgrind (errors and leaks fail it)
#   // oxbpf-test: cflags <flags>   extra compiler flags
#   // oxbpf-test: cxx              compile as C++
# A test exits 0 (pass), 77 (skip, printing "SKIP: reason") or anything else (fail).
# Run a subset with: tests-c/run.sh <pattern> (matched against test names).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$ROOT/tests-c
B=$T/build
LOGS=$B/logs
OURS=$ROOT/build/libbpf.so.1
ABI_DIR=${OXBPF_ABI_DIR:-$ROOT/../shared/abi}
FILTER=${1:-}
CLANG=${CLANG:-clang-19}
mkdir -p "$B/bin" "$B/progs" "$LOGS" "$B/abi" "$B/alone"

pass=0 fail=0 skip=0
failed_names=()

say() { printf '%s\n' "$*"; }
ok() { pass=$((pass + 1)); say "PASS  $1"; }
ko() {
	fail=$((fail + 1)); failed_names+=("$1"); say "FAIL  $1"
	[ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/      | /' "$2" | tail -n 40
}
sk() { skip=$((skip + 1)); say "SKIP  $1 ($2)"; }
selected() { [ -z "$FILTER" ] || [[ "$1" == *$FILTER* ]]; }

# Debian's libbpf1, the reference of differential tests.
DEBIAN_LIB=$(ls /usr/lib/x86_64-linux-gnu/libbpf.so.1.* /usr/lib/*/libbpf.so.1.* 2>/dev/null | head -n 1)

# Filesystems the tests need.
mountpoint -q /sys/fs/bpf 2>/dev/null || mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mountpoint -q /sys/kernel/tracing 2>/dev/null || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mountpoint -q /sys/kernel/debug 2>/dev/null || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

[ -e "$OURS" ] || { say "build/libbpf.so.1 is missing: run make first"; exit 1; }

# 1. The committed headers are what build.rs generates.
if selected "headers"; then
	if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
		if git -C "$ROOT" diff --quiet HEAD -- include/ 2>/dev/null &&
			[ -z "$(git -C "$ROOT" ls-files --others --exclude-standard -- include/)" ]; then
			ok "headers: include/bpf/*.h match the Rust declarations"
		else
			git -C "$ROOT" diff --stat HEAD -- include/ > "$LOGS/headers.log" 2>&1
			git -C "$ROOT" ls-files --others --exclude-standard -- include/ >> "$LOGS/headers.log"
			say "      (the build regenerated include/bpf/: commit the new headers)"
			ko "headers: include/bpf/*.h are stale" "$LOGS/headers.log"
		fi
	else
		sk "headers: staleness" "not a git checkout"
	fi
fi

# 2. cargo test.
if selected "cargo"; then
	if (cd "$ROOT" && cargo test --release --quiet) > "$LOGS/cargo-test.log" 2>&1; then
		ok "cargo test ($(grep -Eo '[0-9]+ passed' "$LOGS/cargo-test.log" | awk '{s+=$1} END {print s+0}') Rust tests)"
	else
		ko "cargo test" "$LOGS/cargo-test.log"
	fi
fi

# 3. ABI checks.
if selected "abi"; then
	if [ -d "$ABI_DIR" ]; then
		OXBPF_ABI_DIR=$ABI_DIR python3 "$ROOT/tools/abi-check.py" gen "$B/abi"
		for src in "$B"/abi/*.c; do
			n=$(basename "$src" .c)
			if gcc -std=gnu11 -Wall -Wextra -Werror -I"$ROOT/include" -c "$src" -o /dev/null > "$LOGS/abi-$n.log" 2>&1; then
				ok "abi: $n (C)"
			else
				ko "abi: $n (C)" "$LOGS/abi-$n.log"
			fi
			if g++ -std=gnu++20 -Wall -Werror -I"$ROOT/include" -x c++ -c "$src" -o /dev/null > "$LOGS/abi-$n-cxx.log" 2>&1; then
				ok "abi: $n (C++)"
			else
				ko "abi: $n (C++)" "$LOGS/abi-$n-cxx.log"
			fi
		done
		if OXBPF_ABI_DIR=$ABI_DIR python3 "$ROOT/tools/abi-check.py" symbols "$OURS" > "$LOGS/abi-symbols.log" 2>&1; then
			ok "abi: dynamic symbols and versions ($(tail -n 1 "$LOGS/abi-symbols.log"))"
		else
			ko "abi: dynamic symbols and versions" "$LOGS/abi-symbols.log"
		fi
	else
		sk "abi: checks" "no ABI description at $ABI_DIR"
	fi
	for h in libbpf bpf btf libbpf_common libbpf_legacy libbpf_version; do
		# included twice: everything must sit inside the include guard
		printf '#include <bpf/%s.h>\n#include <bpf/%s.h>\nint main(void) { return 0; }\n' "$h" "$h" > "$B/alone/$h.c"
		if gcc -std=gnu11 -Wall -Wextra -Werror -I"$ROOT/include" -c "$B/alone/$h.c" -o /dev/null > "$LOGS/alone-$h.log" 2>&1 &&
			g++ -Wall -Werror -I"$ROOT/include" -x c++ -c "$B/alone/$h.c" -o /dev/null >> "$LOGS/alone-$h.log" 2>&1; then
			ok "abi: bpf/$h.h compiles on its own, included twice (C, C++)"
		else
			ko "abi: bpf/$h.h compiles on its own, included twice (C, C++)" "$LOGS/alone-$h.log"
		fi
	done
fi

# 3b. make install lays out libbpf's install layout, and a program builds
#     against the installed headers and library.
if selected "install"; then
	dest=$B/destdir
	rm -rf "$dest"
	if make -s -C "$ROOT" install DESTDIR="$dest" PREFIX=/opt/oxbpf LIBDIR=/opt/oxbpf/lib \
		INCLUDEDIR=/opt/oxbpf/inc > "$LOGS/install.log" 2>&1 &&
		[ -x "$dest/opt/oxbpf/lib/libbpf.so.1.8.0" ] && [ -L "$dest/opt/oxbpf/lib/libbpf.so.1" ] &&
		[ -L "$dest/opt/oxbpf/lib/libbpf.so" ] && [ -f "$dest/opt/oxbpf/inc/bpf/libbpf.h" ] &&
		[ -f "$dest/opt/oxbpf/inc/bpf/libbpf_version.h" ] &&
		grep -q '^libdir=/opt/oxbpf/lib$' "$dest/opt/oxbpf/lib/pkgconfig/libbpf.pc" &&
		grep -q '^includedir=/opt/oxbpf/inc$' "$dest/opt/oxbpf/lib/pkgconfig/libbpf.pc" &&
		gcc -Wall -Werror -I"$dest/opt/oxbpf/inc" "$ROOT/examples/demo.c" -o "$B/bin/demo-installed" \
			-L"$dest/opt/oxbpf/lib" -lbpf -ldl >> "$LOGS/install.log" 2>&1 &&
		LD_LIBRARY_PATH="$dest/opt/oxbpf/lib" "$B/bin/demo-installed" >> "$LOGS/install.log" 2>&1 &&
		grep -q "libbpf v1.8 from $dest/opt/oxbpf/lib/libbpf.so.1" "$LOGS/install.log"; then
		ok "install: DESTDIR/PREFIX/LIBDIR/INCLUDEDIR layout, pkg-config, a program builds and runs on it"
	else
		ko "install: layout" "$LOGS/install.log"
	fi
fi

# 4. BPF objects.
progs_ok=1
if ls "$T"/progs/*.bpf.c >/dev/null 2>&1; then
	if ! command -v "$CLANG" >/dev/null; then
		progs_ok=0
		ko "progs: $CLANG is not installed (make deps)"
	else
		[ -s "$B/progs/vmlinux.h" ] || bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$B/progs/vmlinux.h" 2> "$LOGS/vmlinux.log" || rm -f "$B/progs/vmlinux.h"
		for src in "$T"/progs/*.bpf.c; do
			n=$(basename "$src" .bpf.c)
			obj=$B/progs/$n.bpf.o
			if [ "$obj" -nt "$src" ] && [ "$obj" -nt "$B/progs/vmlinux.h" ]; then continue; fi
			extra=$(sed -n 's|^// oxbpf-prog: cflags ||p' "$src" | head -n 1)
			# shellcheck disable=SC2086
			if ! "$CLANG" -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$B/progs" -I"$T/progs" \
				-I/usr/include/x86_64-linux-gnu $extra -c "$src" -o "$obj" > "$LOGS/prog-$n.log" 2>&1; then
				ko "progs: $n.bpf.c compiles" "$LOGS/prog-$n.log"
				rm -f "$obj"
				continue
			fi
			if grep -q '^// oxbpf-prog: skeleton' "$src"; then
				bpftool gen skeleton "$obj" name "$n" > "$B/progs/$n.skel.h" 2> "$LOGS/skel-$n.log" ||
					ko "progs: skeleton of $n" "$LOGS/skel-$n.log"
			fi
		done
	fi
fi

# 5. C tests.
run_one() { # name bin expect_lib reference out
	local name=$1 bin=$2 lib=$3 ref=$4 out=$5 libdir
	libdir=$(dirname "$lib")
	[ "$ref" = 1 ] && libdir=""
	env OXBPF_EXPECT_LIB="$lib" OXBPF_REFERENCE_RUN="$ref" OXBPF_PROGS="$B/progs" \
		LD_LIBRARY_PATH="$libdir" timeout 300 "$bin" > "$out" 2> "$out.err"
}

for src in "$T"/*.c "$T"/*.cc; do
	[ -e "$src" ] || continue
	name=$(basename "$src"); name=${name%.*}
	selected "$name" || continue
	head=$(head -n 20 "$src")
	marker() { grep -q "^// oxbpf-test: $1" <<< "$head"; }
	cflags=$(sed -n 's|^// oxbpf-test: cflags ||p' <<< "$head" | head -n 1)
	bin=$B/bin/$name
	compiler=(gcc -std=gnu11)
	[[ "$src" == *.cc ]] || marker cxx && compiler=(g++ -std=gnu++20)
	if marker debian-headers; then
		inc=(-I"$T/lib" -I"$B/progs")
		link=(-L"$(dirname "${DEBIAN_LIB:-/usr/lib/x86_64-linux-gnu/x}")" -lbpf)
	else
		inc=(-I"$ROOT/include" -I"$T/lib" -I"$B/progs")
		link=(-L"$ROOT/build" -lbpf)
	fi
	# shellcheck disable=SC2086
	if ! "${compiler[@]}" -g -O1 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror -D_GNU_SOURCE $cflags \
		"${inc[@]}" "$src" -o "$bin" "${link[@]}" -ldl -lpthread > "$LOGS/$name.build.log" 2>&1; then
		ko "$name (build)" "$LOGS/$name.build.log"
		continue
	fi
	run_one "$name" "$bin" "$(readlink -f "$OURS")" 0 "$LOGS/$name.ours"
	rc=$?
	if [ $rc = 77 ]; then
		sk "$name" "$(sed -n 's/^SKIP: //p' "$LOGS/$name.ours" | head -n 1)"
		continue
	elif [ $rc != 0 ]; then
		cat "$LOGS/$name.ours.err" >> "$LOGS/$name.ours"
		ko "$name (exit $rc)" "$LOGS/$name.ours"
		continue
	fi
	verdict=ok detail=""
	if marker differential; then
		if [ -z "$DEBIAN_LIB" ]; then
			verdict=fail detail="Debian's libbpf1 is not installed (make deps)"
		else
			run_one "$name" "$bin" "$DEBIAN_LIB" 1 "$LOGS/$name.debian"
			rc=$?
			if [ $rc != 0 ] && [ $rc != 77 ]; then
				cat "$LOGS/$name.debian.err" >> "$LOGS/$name.debian"
				verdict=fail detail="failed against Debian's libbpf (exit $rc)"
				cp "$LOGS/$name.debian" "$LOGS/$name.diff"
			elif ! diff <(grep -v '^~' "$LOGS/$name.debian") <(grep -v '^~' "$LOGS/$name.ours") > "$LOGS/$name.diff"; then
				verdict=fail detail="output differs from Debian's libbpf (< Debian, > oxbpf)"
			fi
		fi
	fi
	if [ $verdict = ok ] && marker valgrind; then
		if ! command -v valgrind >/dev/null; then
			verdict=fail detail="valgrind is not installed (make deps)"
		elif ! env OXBPF_EXPECT_LIB="$(readlink -f "$OURS")" OXBPF_PROGS="$B/progs" LD_LIBRARY_PATH="$ROOT/build" \
			timeout 600 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
			"$bin" > "$LOGS/$name.valgrind" 2>&1; then
			verdict=fail detail="valgrind reports errors or leaks"
			cp "$LOGS/$name.valgrind" "$LOGS/$name.diff"
		fi
	fi
	if [ $verdict = ok ]; then
		tags=""
		marker differential && tags+=" [= Debian]"
		marker valgrind && tags+=" [valgrind]"
		ok "$name$tags"
	else
		say "      $detail"
		ko "$name" "$LOGS/$name.diff"
	fi
done

say ""
[ ${#failed_names[@]} -gt 0 ] && say "failed: ${failed_names[*]}" && say "logs: $LOGS"
say "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
