// SPDX-License-Identifier: GPL-2.0
/* Many SEC() kinds, several programs per section, subprograms (static,
 * global, hidden), a "?" program and global data of every flavour, but no
 * BTF-defined maps: the open/inspect differential listing runs on it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int data_var = 1;
const volatile int rodata_var = 2;
int bss_var;
int custom_data SEC(".data.custom") = 3;
const volatile char custom_ro[5] SEC(".rodata.cst") = "abcd";

static __noinline int static_helper(int x)
{
	return x * 3 + rodata_var;
}

__noinline int global_helper(int x)
{
	return static_helper(x) + data_var;
}

__hidden __noinline int hidden_helper(int x)
{
	return x + bss_var;
}

SEC("socket") int sock_a(void *ctx) { return global_helper(1); }
SEC("socket") int sock_b(void *ctx) { return hidden_helper(2) + custom_data + custom_ro[1]; }
SEC("?socket") int sock_lazy(void *ctx) { return 0; }
SEC("kprobe/do_nanosleep") int kp(void *ctx) { return 0; }
SEC("kretprobe/do_nanosleep") int krp(void *ctx) { return 0; }
SEC("uprobe") int up(void *ctx) { return 0; }
SEC("uprobe.s//bin/true:main") int up_s(void *ctx) { return 0; }
SEC("kprobe.multi/do_*") int kpm(void *ctx) { return 0; }
SEC("ksyscall/nanosleep") int ksc(void *ctx) { return 0; }
SEC("usdt") int usdt_p(void *ctx) { return 0; }
SEC("tc") int tc_p(void *ctx) { return 0; }
SEC("classifier") int cls_p(void *ctx) { return 0; }
SEC("action") int act_p(void *ctx) { return 0; }
SEC("tracepoint/syscalls/sys_enter_nanosleep") int tp_p(void *ctx) { return 0; }
SEC("tp/sched/sched_switch") int tp2_p(void *ctx) { return 0; }
SEC("raw_tracepoint/sys_enter") int rtp(void *ctx) { return 0; }
SEC("raw_tp.w/sys_enter") int rtpw(void *ctx) { return 0; }
SEC("tp_btf/sched_switch") int tpbtf(void *ctx) { return 0; }
SEC("fentry/do_nanosleep") int fen(void *ctx) { return 0; }
SEC("fexit.s/do_nanosleep") int fex(void *ctx) { return 0; }
SEC("fmod_ret/do_nanosleep") int fmr(void *ctx) { return 0; }
SEC("freplace/foo") int frep(void *ctx) { return 0; }
SEC("lsm/file_open") int lsm_p(void *ctx) { return 0; }
SEC("lsm_cgroup/file_open") int lsmc(void *ctx) { return 0; }
SEC("iter/task") int it(void *ctx) { return 0; }
SEC("syscall") int sysc(void *ctx) { return 0; }
SEC("xdp") int xdp_p(void *ctx) { return 2; }
SEC("xdp.frags") int xdp_f(void *ctx) { return 2; }
SEC("xdp/devmap") int xdp_dm(void *ctx) { return 2; }
SEC("xdp.frags/cpumap") int xdp_cm(void *ctx) { return 2; }
SEC("perf_event") int pe(void *ctx) { return 0; }
SEC("lwt_in") int lwt_a(void *ctx) { return 0; }
SEC("lwt_seg6local") int lwt_b(void *ctx) { return 0; }
SEC("sockops") int sops(void *ctx) { return 0; }
SEC("sk_skb/stream_parser") int skb_p(void *ctx) { return 0; }
SEC("sk_skb/stream_verdict") int skb_v(void *ctx) { return 0; }
SEC("sk_skb") int skb_x(void *ctx) { return 0; }
SEC("sk_msg") int skmsg(void *ctx) { return 0; }
SEC("lirc_mode2") int lirc(void *ctx) { return 0; }
SEC("flow_dissector") int flow(void *ctx) { return 0; }
SEC("cgroup_skb/ingress") int cg_in(void *ctx) { return 1; }
SEC("cgroup_skb/egress") int cg_out(void *ctx) { return 1; }
SEC("cgroup/skb") int cg_skb(void *ctx) { return 1; }
SEC("cgroup/sock_create") int cg_sc(void *ctx) { return 1; }
SEC("cgroup/sock") int cg_s(void *ctx) { return 1; }
SEC("cgroup/post_bind4") int cg_pb4(void *ctx) { return 1; }
SEC("cgroup/bind6") int cg_b6(void *ctx) { return 1; }
SEC("cgroup/connect4") int cg_c4(void *ctx) { return 1; }
SEC("cgroup/sendmsg6") int cg_sm6(void *ctx) { return 1; }
SEC("cgroup/recvmsg4") int cg_rm4(void *ctx) { return 1; }
SEC("cgroup/getpeername4") int cg_gp4(void *ctx) { return 1; }
SEC("cgroup/getsockname6") int cg_gs6(void *ctx) { return 1; }
SEC("cgroup/sysctl") int cg_sys(void *ctx) { return 1; }
SEC("cgroup/getsockopt") int cg_gso(void *ctx) { return 1; }
SEC("cgroup/setsockopt") int cg_sso(void *ctx) { return 1; }
SEC("cgroup/dev") int cg_dev(void *ctx) { return 1; }
SEC("sk_lookup") int sklk(void *ctx) { return 1; }
SEC("sk_reuseport/migrate") int srm(void *ctx) { return 1; }
SEC("sk_reuseport") int sr(void *ctx) { return 1; }
SEC("custom_section/foo") int custom(void *ctx) { return 0; }
/* Sections whose meaning changed after libbpf 1.1 (listed, not compared). */
SEC("tc/ingress") int tcx_in(void *ctx) { return 0; }
SEC("tcx/egress") int tcx_out(void *ctx) { return 0; }
SEC("netkit/primary") int nk(void *ctx) { return 0; }
SEC("netfilter") int nf(void *ctx) { return 0; }
SEC("cgroup/connect_unix") int cg_cu(void *ctx) { return 1; }
SEC("kprobe.session/do_*") int kps(void *ctx) { return 0; }
SEC("uprobe.multi/bin:fn") int upm(void *ctx) { return 0; }
SEC("struct_ops/test") int sops2(void *ctx) { return 0; }

char LICENSE[] SEC("license") = "GPL";
