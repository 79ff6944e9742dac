#!/usr/bin/env bash
# xdp-tools (Debian's builds: libxdp is linked in, libbpf.so.1 is not) on
# oxbpf (xdp-loader also through LD_PRELOAD) and on Debian's libbpf, on a veth end in a private namespace:
#  - xdp-loader load/status/unload of a clang-built object in skb and native
#    mode, by section and by program name. libxdp first loads its embedded
#    multi-program dispatcher; this kernel's lockdown refuses its freplace
#    check (EPERM) with either library, and libxdp falls back to attaching
#    the program alone: that path is asserted, with datagrams counted;
#  - xdpdump --load-xdp-program: its capture program (libxdp) and the
#    packets it sends through a perf event array, read with
#    perf_buffer__new_raw: the datagrams sent are printed, payload included;
#  - xdp-filter load (allow policy) / port / status / unload: its embedded
#    objects, maps pinned in bpffs, filter entries written and hit counters
#    read back through the library, datagrams to the filtered port dropped.
# shellcheck source=../lib/users.sh
. "$(dirname "$0")/../lib/users.sh"
users_init "$@"
need_tool xdp-loader xdp-filter xdpdump ip bpftool jq unshare nsenter
export OBJ=${OXBPF_PROGS:-}/nl_count.bpf.o
[ -f "$OBJ" ] || fail "$OBJ is missing (tests-c/run.sh builds it)"

xdp_prog_id() { ip -j link show dev va | jq -r '.[0].xdp.prog.id // "none"'; }
# The status table of va without the program id (it differs per load).
loader_status() { "$@" xdp-loader status va | awk '$1 == "va" { $4 = "ID"; print }'; }

loader() { # on_ours|on_debian
	local run=$1 mode id map want
	for mode in skb native; do
		$run xdp-loader load -v -m $mode va "$OBJ" -s xdp > "$WORK/load.log" 2>&1 ||
			fail "$run: xdp-loader load -m $mode -s xdp: $(cat "$WORK/load.log")"
		grep -q "Falling back to loading single prog without dispatcher" "$WORK/load.log" ||
			fail "$run: libxdp did not fall back: $(cat "$WORK/load.log")"
		id=$(xdp_prog_id)
		[ "$id" != none ] || fail "$run: nothing attached"
		want="va xdp_a $mode ID $(bpftool prog show id "$id" -j | jq -r .tag)"
		loader_status $run >> "$WORK/status.$run"
		expect_eq "$run $mode: xdp-loader status" "$want" "$(tail -n 1 "$WORK/status.$run")"
		map=$(bpftool prog show id "$id" -j | jq -r '.map_ids[0]')
		send_udp 6
		expect_eq "$run $mode: datagrams counted by xdp_a" 6 "$(map_slot "$map" 0)"
		$run xdp-loader unload -a va || fail "$run: xdp-loader unload -a"
		expect_eq "$run $mode: unloaded" none "$(xdp_prog_id)"
	done
	$run xdp-loader load -m skb va "$OBJ" -n xdp_b > "$WORK/load.log" 2>&1 ||
		fail "$run: xdp-loader load -n xdp_b: $(cat "$WORK/load.log")"
	id=$(xdp_prog_id)
	expect_eq "$run: program by name" xdp_b "$(bpftool prog show id "$id" -j | jq -r .name)"
	$run xdp-loader unload va --id "$id" || fail "$run: xdp-loader unload --id"
	expect_eq "$run: unloaded by id" none "$(xdp_prog_id)"
}

filter() { # on_ours|on_debian
	local run=$1 st
	$run xdp-filter load -p allow -m skb va || fail "$run: xdp-filter load"
	[ -d /sys/fs/bpf/xdp-filter ] || fail "$run: xdp-filter pinned nothing"
	$run xdp-filter port 4242 || fail "$run: xdp-filter port"
	send_udp 5 4242
	send_udp 3 4243
	$run xdp-filter status > "$WORK/fstatus.$run" || fail "$run: xdp-filter status"
	st=$WORK/fstatus.$run
	expect_eq "$run: filtered port hits" "4242 dst,tcp,udp 5" \
		"$(awk '$1 == "4242" { print $1, $2, $3 }' "$st")"
	expect_eq "$run: XDP_DROP count" 5 "$(awk '$1 == "XDP_DROP" { print $2 }' "$st")"
	expect_eq "$run: loaded on" "va (skb mode) tcp,udp,ipv6,ipv4,ethernet,allow" \
		"$(awk '$1 == "va" { print $1, $2, $3, $4 }' "$st")"
	$run xdp-filter unload va || fail "$run: xdp-filter unload"
	expect_eq "$run: filter unloaded" none "$(xdp_prog_id)"
	# The statistics lines are not compared: ARP and IPv6 neighbour
	# traffic in the XDP_PASS line depends on timing.
	grep -v -e XDP_PASS -e XDP_DROP "$st" > "$st.cmp"
	rm -rf /sys/fs/bpf/xdp-filter
}

dump() { # on_ours|on_debian
	local run=$1 pid i
	$run timeout -s INT 20 xdpdump -i va --load-xdp-program --load-xdp-mode skb -x > "$WORK/dump.$run" 2>&1 &
	pid=$!
	for i in $(seq 100); do
		grep -q '^listening on va' "$WORK/dump.$run" && break
		sleep 0.1
	done
	grep -q '^listening on va' "$WORK/dump.$run" || fail "$run: xdpdump did not start: $(cat "$WORK/dump.$run")"
	send_udp 3
	sleep 0.5
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	# Each datagram's payload "oxbpf\n" ends its hex dump.
	expect_eq "$run: datagrams captured by xdpdump" 3 "$(grep -c '6f 78 62 70 66 0a  ' "$WORK/dump.$run")"
	grep -q '^0 packets dropped by perf ring' "$WORK/dump.$run" || fail "$run: xdpdump: $(cat "$WORK/dump.$run")"
	expect_eq "$run: xdpdump unloaded its program" none "$(xdp_prog_id)"
}

ns_main() {
	veth_up
	loader on_debian
	loader on_ours
	loader on_ours_preload
	expect_eq "xdp-loader status (Debian vs ours)" "$(cat "$WORK/status.on_debian")" "$(cat "$WORK/status.on_ours")"
	dump on_debian
	dump on_ours
	filter on_debian
	filter on_ours
	diff "$WORK/fstatus.on_debian.cmp" "$WORK/fstatus.on_ours.cmp" || fail "xdp-filter status differs (< Debian, > ours)"
	echo "ok: xdp-filter status identical"
}
in_private_ns ns_main
