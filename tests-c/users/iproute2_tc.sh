#!/usr/bin/env bash
# iproute2's `tc` (Debian's build, linked against libbpf.so.1) loads cls_bpf
# filters from a clang-built object through the library, on oxbpf and on
# Debian's libbpf: `tc filter add dev va {ingress,egress} bpf da obj O sec S`
# on a clsact qdisc of a veth end in a private namespace. The object has a
# map pinned by name (tc pins it in <bpffs>/tc/globals and the second
# filter, and a reload, reuse it) and a map of each program's own. Datagrams
# sent each way are counted in both maps.
# shellcheck source=../lib/users.sh
. "$(dirname "$0")/../lib/users.sh"
users_init "$@"
need_tool tc ip bpftool jq unshare nsenter
export OBJ=${OXBPF_PROGS:-}/users_pin.bpf.o
[ -f "$OBJ" ] || fail "$OBJ is missing (tests-c/run.sh builds it)"

export PIN=/sys/fs/bpf/tc/globals/users_pinned

# filter_prog <ingress|egress>: id of the program of the direction's filter.
filter_prog() { tc -j filter show dev va "$1" | jq -r '[.. | .prog? | objects | .id] | first // "none"'; }
# own_map <prog id>: the id of its map that is not the pinned one.
own_map() { bpftool prog show id "$1" -j | jq -r --argjson p "$2" '[.map_ids[] | select(. != $p)] | first'; }
send_from_a() {
	local i
	for i in $(seq "$1"); do bash -c 'echo oxbpf > /dev/udp/10.78.0.2/4242' 2>/dev/null; done
	sleep 0.2
}

scenario() { # on_ours|on_debian
	local run=$1 in out pinned min mout
	tc qdisc add dev va clsact || fail "clsact"
	$run tc filter add dev va ingress bpf da obj "$OBJ" sec tc/ingress || fail "$run: tc filter add ingress"
	$run tc filter add dev va egress bpf da obj "$OBJ" sec tc/egress || fail "$run: tc filter add egress"
	[ -e "$PIN" ] || fail "$run: $PIN was not pinned"
	pinned=$(bpftool map show pinned "$PIN" -j | jq -r .id)
	in=$(filter_prog ingress)
	out=$(filter_prog egress)
	expect_eq "$run: ingress program" count_in "$(bpftool prog show id "$in" -j | jq -r .name)"
	expect_eq "$run: egress program" count_out "$(bpftool prog show id "$out" -j | jq -r .name)"
	expect_eq "$run: ingress program uses the pinned map" 1 \
		"$(bpftool prog show id "$in" -j | jq --argjson p "$pinned" '[.map_ids[] | select(. == $p)] | length')"
	expect_eq "$run: egress program reuses the pinned map" 1 \
		"$(bpftool prog show id "$out" -j | jq --argjson p "$pinned" '[.map_ids[] | select(. == $p)] | length')"
	min=$(own_map "$in" "$pinned")
	mout=$(own_map "$out" "$pinned")
	[ "$min" != "$mout" ] || fail "$run: both programs share their unpinned map"
	$run tc filter show dev va ingress | grep -q "users_pin.bpf.o:\[tc/ingress\] direct-action .* name count_in" ||
		fail "$run: tc filter show ingress"
	send_udp 5
	send_from_a 3
	expect_eq "$run: ingress datagrams (pinned map)" 5 "$(map_slot "$pinned" 0)"
	expect_eq "$run: egress datagrams (pinned map)" 3 "$(map_slot "$pinned" 1)"
	expect_eq "$run: ingress datagrams (own map)" 5 "$(map_slot "$min" 0)"
	expect_eq "$run: egress datagrams (own map)" 3 "$(map_slot "$mout" 0)"
	echo "$(bpftool prog show id "$in" -j | jq -r .tag) $(bpftool prog show id "$out" -j | jq -r .tag)" > "$WORK/tags.$run"
	# A new load reuses the pinned map, counts included.
	tc filter del dev va ingress || fail "tc filter del"
	$run tc filter add dev va ingress bpf da obj "$OBJ" sec tc/ingress || fail "$run: tc filter add ingress again"
	expect_eq "$run: reload keeps the pinned map" "$pinned" "$(bpftool map show pinned "$PIN" -j | jq -r .id)"
	send_udp 2
	expect_eq "$run: ingress datagrams after the reload" 7 "$(map_slot "$pinned" 0)"
	tc qdisc del dev va clsact
	rm -rf /sys/fs/bpf/tc
}

ns_main() {
	veth_up
	scenario on_debian
	scenario on_ours
	expect_eq "program tags (Debian vs ours)" "$(cat "$WORK/tags.on_debian")" "$(cat "$WORK/tags.on_ours")"
}
in_private_ns ns_main
