#!/usr/bin/env bash
# iproute2's `ip` (Debian's build, linked against libbpf.so.1) loads XDP
# programs from a clang-built object through the library: `ip link set dev
# va xdp{generic,drv} obj O sec xdp` and `... program xdp_b`, on oxbpf
# (through LD_LIBRARY_PATH and through LD_PRELOAD) and on Debian's libbpf.
# Each program counts the UDP datagrams to port 4242 it sees on a veth end
# in a private namespace; the counts, the attached program's name and tag,
# `ip -d link show` and `off` are compared.
# shellcheck source=../lib/users.sh
. "$(dirname "$0")/../lib/users.sh"
users_init "$@"
need_tool ip bpftool jq unshare nsenter
export OBJ=${OXBPF_PROGS:-}/nl_count.bpf.o
[ -f "$OBJ" ] || fail "$OBJ is missing (tests-c/run.sh builds it)"

# xdp_info <field>: the attached program's id/name/tag, or "none".
xdp_prog_id() { ip -j link show dev va | jq -r '.[0].xdp.prog.id // "none"'; }

scenario() { # on_ours|on_debian
	local run=$1 id name tag map mode
	for mode in xdpgeneric xdpdrv; do
		$run ip link set dev va $mode obj "$OBJ" sec xdp || fail "$run: ip link set $mode obj sec xdp"
		id=$(xdp_prog_id)
		[ "$id" != none ] || fail "$run: no XDP program on va after $mode"
		name=$(bpftool prog show id "$id" -j | jq -r .name)
		tag=$(bpftool prog show id "$id" -j | jq -r .tag)
		map=$(bpftool prog show id "$id" -j | jq -r '.map_ids[0]')
		echo "$run $mode: prog $name tag $tag"
		expect_eq "$run $mode: program loaded" xdp_a "$name"
		send_udp 5 4242
		send_udp 2 4243
		expect_eq "$run $mode: datagrams to 4242 counted by xdp_a" 5 "$(map_slot "$map" 0)"
		expect_eq "$run $mode: xdp_b's slot" 0 "$(map_slot "$map" 1)"
		# `ip -d link show` prints the program through the library too.
		$run ip -d link show dev va | grep -Eo 'prog/xdp id [0-9]+ name [a-z_]+ tag [0-9a-f]+' > "$WORK/show.$run" ||
			fail "$run: ip -d link show: no prog/xdp line"
		expect_eq "$run $mode: ip -d link show" "prog/xdp id $id name xdp_a tag $tag" "$(cat "$WORK/show.$run")"
		# Without -force ip refuses to replace an attached program; with it,
		# the program chosen by name replaces xdp_a.
		$run ip link set dev va $mode obj "$OBJ" program xdp_b 2>/dev/null &&
			fail "$run: ip link set replaced a program without -force"
		$run ip -force link set dev va $mode obj "$OBJ" program xdp_b || fail "$run: ip -force link set $mode obj program xdp_b"
		id=$(xdp_prog_id)
		map=$(bpftool prog show id "$id" -j | jq -r '.map_ids[0]')
		expect_eq "$run $mode: program by name" xdp_b "$(bpftool prog show id "$id" -j | jq -r .name)"
		send_udp 4 4242
		expect_eq "$run $mode: datagrams counted by xdp_b" 4 "$(map_slot "$map" 1)"
		$run ip link set dev va $mode off || fail "$run: ip link set $mode off"
		expect_eq "$run $mode: detached" none "$(xdp_prog_id)"
		echo "$tag" >> "$WORK/tags.$run"
	done
}

ns_main() {
	veth_up
	scenario on_debian
	scenario on_ours
	scenario on_ours_preload
	expect_eq "program tags (Debian vs ours)" "$(cat "$WORK/tags.on_debian")" "$(cat "$WORK/tags.on_ours")"
	expect_eq "program tags (Debian vs ours preloaded)" "$(cat "$WORK/tags.on_debian")" "$(cat "$WORK/tags.on_ours_preload")"
}
in_private_ns ns_main
