#!/usr/bin/env bash
# iproute2's `ip route ... encap bpf out obj O section lwt_out` (Debian's
# build) loads a lightweight-tunnel program through the library, on oxbpf
# and on Debian's libbpf, in a private namespace: the route shows the
# program, and the datagrams routed through it are counted.
# shellcheck source=../lib/users.sh
. "$(dirname "$0")/../lib/users.sh"
users_init "$@"
need_tool ip bpftool jq unshare
export OBJ=${OXBPF_PROGS:-}/users_lwt.bpf.o
[ -f "$OBJ" ] || fail "$OBJ is missing (tests-c/run.sh builds it)"

lwt_progs() { bpftool prog show -j | jq -r '.[] | select(.name == "count_out" and .type == "lwt_out") | .id' | sort; }

scenario() { # on_ours|on_debian
	local run=$1 id map i before
	before=$(lwt_progs)
	$run ip route add 10.80.0.0/24 encap bpf out obj "$OBJ" section lwt_out dev va ||
		fail "$run: ip route add encap bpf"
	$run ip route show 10.80.0.0/24 | grep -q "encap bpf out users_lwt.bpf.o:\[lwt_out\] dev va" ||
		fail "$run: ip route show: $(ip route show 10.80.0.0/24)"
	# The program is the LWT_OUT program named count_out that appeared.
	id=$(comm -13 <(echo "$before") <(lwt_progs))
	[ "$(echo "$id" | wc -w)" = 1 ] || fail "$run: cannot tell the route's program among: $id"
	map=$(bpftool prog show id "$id" -j | jq -r '.map_ids[0]')
	for i in 1 2 3 4; do bash -c 'echo oxbpf > /dev/udp/10.80.0.5/9' 2>/dev/null; done
	expect_eq "$run: datagrams through the tunnel program" 4 "$(map_slot "$map" 0)"
	bpftool prog show id "$id" -j | jq -r .tag > "$WORK/tag.$run"
	ip route del 10.80.0.0/24 || fail "route del"
}

ns_main() {
	ip link add va type veth peer name vb && ip addr add 10.79.0.1/24 dev va &&
		ip link set va up && ip link set vb up || fail "veth"
	scenario on_debian
	scenario on_ours
	expect_eq "program tags (Debian vs ours)" "$(cat "$WORK/tag.on_debian")" "$(cat "$WORK/tag.on_ours")"
}
in_private_ns ns_main
