# shellcheck shell=bash
# Helpers of the real-user scenarios (tests-c/users/*.sh): Debian's builds of
# tools linked against libbpf.so.1 (iproute2, xdp-tools, pahole, bpftrace)
# run unchanged, once on oxbpf and once on Debian's libbpf1, and the scenario
# asserts concrete results of both runs.
#
# A scenario is run as `bash tests-c/users/<name>.sh <directory of our
# libbpf.so.1>` and exits 0 (pass), 77 (skip, after printing "SKIP: reason")
# or anything else (fail). It sources this file first.
#
#   users_init "$@"         checks the argument, makes $WORK (removed at exit)
#   need_tool <cmd>...      skips when a tool is missing
#   on_ours  <cmd>...       runs cmd with our library, and fails the scenario
#                           unless every process of it that loaded a libbpf
#                           loaded ours (LD_DEBUG=libs, written to files)
#   on_ours_preload <cmd>.. the same with LD_PRELOAD instead
#   on_debian <cmd>...      the same with Debian's libbpf1
#   in_private_ns <fn>      runs the shell function fn in a network and
#                           mount namespace of its own, with a fresh bpffs
#                           (it sees the functions and the exported variables)
#   veth_up                 (inside in_private_ns) veth pair va (10.78.0.1)
#                           here, vb (10.78.0.2) in a second namespace
#                           held by a sleeping process ($PEER_PID)
#   send_udp <n> [port]     n datagrams from vb's namespace to 10.78.0.1
#   fail <msg> / skip <msg> end the scenario
#   expect_eq <what> <want> <got>

set -u

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
	echo "ok: $1 = $3"
}

users_init() {
	OURS_DIR=${1:-}
	[ -n "$OURS_DIR" ] && [ -e "$OURS_DIR/libbpf.so.1" ] ||
		fail "usage: $0 <directory holding our libbpf.so.1>"
	OURS_DIR=$(cd "$OURS_DIR" && pwd)
	OURS_LIB=$(readlink -f "$OURS_DIR/libbpf.so.1")
	DEBIAN_LIB=$(readlink -f "$(ls /usr/lib/x86_64-linux-gnu/libbpf.so.1 /usr/lib/*/libbpf.so.1 2>/dev/null | head -n 1)")
	[ -e "$DEBIAN_LIB" ] || skip "Debian's libbpf1 is not installed (make deps)"
	WORK=$(mktemp -d "/tmp/oxbpf-users.$$.XXXXXX")
	trap 'users_cleanup' EXIT
	USERS_CLEANUP=()
	LDDEBUG_N=0
	export OURS_DIR OURS_LIB DEBIAN_LIB WORK LDDEBUG_N
}

# Commands run at exit, last registered first.
at_exit() { USERS_CLEANUP+=("$*"); }
users_cleanup() {
	local i
	for ((i = ${#USERS_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${USERS_CLEANUP[$i]}" >/dev/null 2>&1
	done
	rm -rf "$WORK"
}

need_tool() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip "$t is not installed (tools/install-deps.sh)"
	done
}

# run_with <expected lib> <env assignment> <cmd>...: runs cmd with the
# assignment (LD_LIBRARY_PATH=... or LD_PRELOAD=...; "-" for neither). The
# dynamic loader writes its library trace to one file per process; every
# process that initialised a libbpf.so.1 must have initialised <expected
# lib>, and at least one must have.
run_with() {
	local want=$1 assign=$2 rc trace hits
	shift 2
	LDDEBUG_N=$((LDDEBUG_N + 1))
	trace=$WORK/lddebug.$LDDEBUG_N
	mkdir -p "$trace"
	if [ "$assign" != - ]; then
		env -u LD_LIBRARY_PATH -u LD_PRELOAD "$assign" LD_DEBUG=libs LD_DEBUG_OUTPUT="$trace/t" "$@"
	else
		env -u LD_LIBRARY_PATH -u LD_PRELOAD LD_DEBUG=libs LD_DEBUG_OUTPUT="$trace/t" "$@"
	fi
	rc=$?
	hits=$(cat "$trace"/t.* 2>/dev/null | grep -E 'calling init: .*/libbpf\.so\.1' | sed 's/.*calling init: //' | sort -u)
	if [ -z "$hits" ]; then
		echo "FAIL: '$*' loaded no libbpf.so.1" >&2
		exit 1
	fi
	while read -r l; do
		[ "$(readlink -f "$l")" = "$want" ] || {
			echo "FAIL: '$*' loaded $l instead of $want" >&2
			exit 1
		}
	done <<< "$hits"
	rm -rf "$trace"
	return $rc
}
on_ours() { run_with "$OURS_LIB" LD_LIBRARY_PATH="$OURS_DIR" "$@"; }
on_ours_preload() { run_with "$OURS_LIB" LD_PRELOAD="$OURS_LIB" "$@"; }
on_debian() { run_with "$DEBIAN_LIB" - "$@"; }

# in_private_ns <function> [args]: runs the function in a child bash that
# has its own network and mount namespaces (nothing another test sees: no
# interface, pin or bpffs instance is shared), with lo up and a fresh bpffs
# at /sys/fs/bpf. Exit status is the function's.
in_private_ns() {
	local script=$WORK/ns.$1.sh
	{
		declare -f
		echo 'set -u; USERS_CLEANUP=(); trap users_ns_cleanup EXIT'
		echo 'mount --make-rprivate / && mount -t bpf bpf /sys/fs/bpf && ip link set lo up || fail "private namespace setup"'
		printf '%q ' "$@"
		echo
	} > "$script"
	unshare --net --mount bash "$script"
}
users_ns_cleanup() {
	local i
	for ((i = ${#USERS_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${USERS_CLEANUP[$i]}" >/dev/null 2>&1
	done
}

veth_up() {
	unshare --net sleep 100000 &
	PEER_PID=$!
	at_exit "kill $PEER_PID"
	# wait for the sleeper to be in its own namespace
	local i
	for i in $(seq 50); do
		[ "$(readlink /proc/$PEER_PID/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
		sleep 0.1
	done
	ip link add va type veth peer name vb || fail "veth pair"
	ip link set vb netns "$PEER_PID" || fail "veth peer into its namespace"
	ip addr add 10.78.0.1/24 dev va && ip link set va up || fail "va up"
	nsenter -t "$PEER_PID" -n sh -c 'ip addr add 10.78.0.2/24 dev vb && ip link set vb up && ip link set lo up' ||
		fail "vb up"
	for i in $(seq 50); do
		ip link show va | grep -q LOWER_UP && break
		sleep 0.1
	done
	# Resolve the neighbour once, so that later datagrams all go out.
	nsenter -t "$PEER_PID" -n ping -c 1 -W 2 10.78.0.1 >/dev/null 2>&1 || true
}

send_udp() {
	local n=$1 port=${2:-4242} i
	for i in $(seq "$n"); do
		nsenter -t "$PEER_PID" -n bash -c "echo oxbpf > /dev/udp/10.78.0.1/$port" 2>/dev/null
	done
	sleep 0.2
}

# Value of slot <key> (an array index) of the map <id>, as a decimal number,
# read with bpftool (Debian's, statically linked to its own libbpf).
map_slot() {
	local v=0 b bytes
	bytes=$(bpftool map lookup id "$1" key $(u32_bytes "$2") -j | jq -r '.value[]' | tac) || return 1
	for b in $bytes; do v=$((v * 256 + b)); done
	echo "$v"
}
u32_bytes() { printf '%d %d %d %d' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
