/*
 * The attach API newer than libbpf 1.1 (so not compared with Debian's
 * libbpf), on the real kernel: tcx links ordered by BPF_F_BEFORE with real
 * frames on a veth pair; netkit (not built into this kernel: the kernel's
 * answer); netfilter links seeing local UDP; sockmap links running a
 * verdict program on TCP data; multi-uprobes by pattern, names and
 * offsets with cookies; raw tracepoint cookies; perf-event links made with
 * the ioctl and left disabled; uprobe attach modes (legacy tracefs events
 * removed on destroy, perf, link) and kprobe modes this kernel lacks;
 * ordered cgroup links; tracing_multi and struct_ops up to what this
 * kernel and loader allow.
 */
#include <stdlib.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/perf_event.h>
#include "harness.h"
#include "attach_util.h"
#include "net_util.h"

#ifndef BPF_F_BEFORE
#define BPF_F_BEFORE (1U << 3)
#define BPF_F_AFTER (1U << 4)
#define BPF_F_ID (1U << 5)
#define BPF_F_LINK (1U << 13)
#endif
#define OX_BPF_TCX_INGRESS 46

__attribute__((noinline, used)) int ox_multi_target_a(int x)
{
	asm volatile("" ::: "memory");
	return x + 1;
}

__attribute__((noinline, used)) int ox_multi_target_b(int x)
{
	asm volatile("" ::: "memory");
	return x + 2;
}

__attribute__((noinline, used)) int ox_mode_target(int x)
{
	asm volatile("" ::: "memory");
	return x;
}

static int (*volatile call_a)(int) = ox_multi_target_a;
static int (*volatile call_b)(int) = ox_multi_target_b;
static int (*volatile call_mode)(int) = ox_mode_target;

static struct bpf_object *obj;
static char exe[4096];

static struct bpf_program *prog(const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);

	CHECKM(p != NULL, "program %s", name);
	return p;
}

static __u64 delta(__u32 slot, __u64 before)
{
	return hits_of(obj, slot) - before;
}

static __u32 prog_id(struct bpf_program *p)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	return bpf_prog_get_info_by_fd(bpf_program__fd(p), &info, &len) ? 0 : info.id;
}

static void test_uprobe_multi(void)
{
	struct bpf_program *p = prog("upm");
	const char *syms[] = { "ox_multi_target_b", "ox_multi_target_a" };
	__u64 cookies[] = { 0xbb, 0xaa };
	LIBBPF_OPTS(bpf_uprobe_multi_opts, o, .syms = syms, .cookies = cookies, .cnt = 2);
	struct bpf_link *l;
	__u64 b;

	l = bpf_program__attach_uprobe_multi(p, 0, exe, "ox_multi_target_*", NULL);
	CHECK(l != NULL);
	b = hits_of(obj, S_UPROBE_MULTI);
	call_a(1);
	call_b(1);
	call_a(1);
	CHECK_EQ(delta(S_UPROBE_MULTI, b), 3);
	CHECK_EQ(bpf_link__destroy(l), 0);
	b = hits_of(obj, S_UPROBE_MULTI);
	call_a(1);
	CHECK_EQ(delta(S_UPROBE_MULTI, b), 0);

	/* By names, each with its cookie. */
	l = bpf_program__attach_uprobe_multi(p, -1, exe, NULL, &o);
	CHECK(l != NULL);
	call_b(1);
	CHECK_EQ(cookie_of(obj, S_UPROBE_MULTI), 0xbb);
	call_a(1);
	CHECK_EQ(cookie_of(obj, S_UPROBE_MULTI), 0xaa);
	bpf_link__destroy(l);

	/* Return probes on both. */
	LIBBPF_OPTS(bpf_uprobe_multi_opts, ret, .retprobe = true);
	l = bpf_program__attach_uprobe_multi(prog("urpm"), 0, exe, "ox_multi_target_?", &ret);
	CHECK(l != NULL);
	call_b(40);
	CHECK_EQ(cookie_of(obj, S_URETPROBE), 42);
	bpf_link__destroy(l);

	/* Argument rules and missing functions. */
	errno = 0;
	CHECK(!bpf_program__attach_uprobe_multi(p, -1, exe, "ox_multi_target_*", &o) && errno == EINVAL);
	CHECK(!bpf_program__attach_uprobe_multi(p, -1, NULL, "ox_multi_target_*", NULL) && errno == EINVAL);
	CHECK(!bpf_program__attach_uprobe_multi(p, -1, exe, NULL, NULL) && errno == EINVAL);
	CHECK(!bpf_program__attach_uprobe_multi(p, -1, exe, "ox_none_*", NULL) && errno == ENOENT);
	syms[0] = "ox_none";
	CHECK(!bpf_program__attach_uprobe_multi(p, -1, exe, NULL, &o) && errno == ENOENT);
	LIBBPF_OPTS(bpf_uprobe_multi_opts, both, .retprobe = true, .session = true);
	CHECK(!bpf_program__attach_uprobe_multi(p, -1, exe, "ox_multi_target_*", &both) && errno == EINVAL);
	/* libc through the library search, by pattern. */
	l = bpf_program__attach_uprobe_multi(p, 0, "libc.so.6", "getppi?", NULL);
	CHECK(l != NULL);
	b = hits_of(obj, S_UPROBE_MULTI);
	getppid();
	CHECK_EQ(delta(S_UPROBE_MULTI, b), 1);
	bpf_link__destroy(l);
}

static void test_uprobe_modes(void)
{
	struct bpf_program *p = prog("up_modes");
	LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = "ox_mode_target", .bpf_cookie = 5);
	LIBBPF_OPTS(bpf_kprobe_opts, ko);
	int modes[] = { PROBE_ATTACH_MODE_LEGACY, PROBE_ATTACH_MODE_PERF, PROBE_ATTACH_MODE_LINK };
	struct bpf_link *l;
	__u64 b;

	for (int i = 0; i < 3; i++) {
		o.attach_mode = modes[i];
		o.bpf_cookie = modes[i] == PROBE_ATTACH_MODE_LINK ? 5 : 0;
		l = bpf_program__attach_uprobe_opts(p, 0, exe, 0, &o);
		CHECKM(l != NULL, "mode %d errno %d", modes[i], errno);
		b = hits_of(obj, S_UPROBE);
		call_mode(1);
		call_mode(2);
		CHECKM(delta(S_UPROBE, b) == 2, "mode %d", modes[i]);
		/* Legacy probes are tracefs events while attached. */
		CHECK_EQ(own_probe_events("/sys/kernel/tracing/uprobe_events"), modes[i] == PROBE_ATTACH_MODE_LEGACY);
		CHECK_EQ(bpf_link__destroy(l), 0);
		CHECK_EQ(own_probe_events("/sys/kernel/tracing/uprobe_events"), 0);
	}
	CHECK_EQ(cookie_of(obj, S_UPROBE), 5);
	/* A cookie through the perf ioctl is refused; a legacy probe cannot
	 * count a reference; modes are checked. */
	o.attach_mode = PROBE_ATTACH_MODE_PERF;
	o.bpf_cookie = 7;
	errno = 0;
	CHECK(!bpf_program__attach_uprobe_opts(p, 0, exe, 0, &o) && errno == EOPNOTSUPP);
	o.attach_mode = PROBE_ATTACH_MODE_LEGACY;
	o.bpf_cookie = 0;
	o.ref_ctr_offset = 8;
	CHECK(!bpf_program__attach_uprobe_opts(p, 0, exe, 0, &o) && errno == EINVAL);
	o.ref_ctr_offset = 0;
	o.attach_mode = 9;
	CHECK(!bpf_program__attach_uprobe_opts(p, 0, exe, 0, &o) && errno == EINVAL);
	CHECK_EQ(own_probe_events("/sys/kernel/tracing/uprobe_events"), 0);

	/* This kernel has no kprobe PMU and no kprobe_events. */
	ko.attach_mode = PROBE_ATTACH_MODE_PERF;
	CHECK(!bpf_program__attach_kprobe_opts(p, "do_nanosleep", &ko) && errno == EOPNOTSUPP);
	ko.attach_mode = PROBE_ATTACH_MODE_LINK;
	CHECK(!bpf_program__attach_kprobe_opts(p, "do_nanosleep", &ko) && errno == EOPNOTSUPP);
	ko.attach_mode = PROBE_ATTACH_MODE_LEGACY;
	CHECK(!bpf_program__attach_kprobe_opts(p, "do_nanosleep", &ko) && errno == ENOENT);
	ko.attach_mode = 9;
	CHECK(!bpf_program__attach_kprobe_opts(p, "do_nanosleep", &ko) && errno == EINVAL);
}

static int cpu_clock_event(int disabled)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(a),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = 100000,
		.disabled = disabled,
	};

	return syscall(__NR_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static void spin(int ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void test_perf_opts(void)
{
	struct bpf_program *p = prog("pe_opts");
	LIBBPF_OPTS(bpf_perf_event_opts, o, .force_ioctl_attach = true);
	struct bpf_link *l;
	int pfd = cpu_clock_event(1);
	__u64 b;

	/* Through the ioctl, the link's fd is the perf event's. */
	l = bpf_program__attach_perf_event_opts(p, pfd, &o);
	CHECK(l != NULL);
	CHECK_EQ(bpf_link__fd(l), pfd);
	b = hits_of(obj, S_PERF);
	spin(20);
	CHECK(delta(S_PERF, b) > 0);
	bpf_link__destroy(l);

	/* Left disabled: nothing runs until the event is enabled. */
	pfd = cpu_clock_event(1);
	o.force_ioctl_attach = false;
	o.dont_enable = true;
	l = bpf_program__attach_perf_event_opts(p, pfd, &o);
	CHECK(l != NULL);
	CHECK(bpf_link__fd(l) != pfd);
	b = hits_of(obj, S_PERF);
	spin(20);
	CHECK_EQ(delta(S_PERF, b), 0);
	CHECK_EQ(ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0), 0);
	spin(20);
	CHECK(delta(S_PERF, b) > 0);
	bpf_link__destroy(l);
}

static void test_raw_tp_cookie(void)
{
	LIBBPF_OPTS(bpf_raw_tracepoint_opts, o, .cookie = 0xabc);
	struct bpf_link *l = bpf_program__attach_raw_tracepoint_opts(prog("raw_cookie"), "sys_enter", &o);

	CHECK(l != NULL);
	getppid_n(1);
	CHECK_EQ(cookie_of(obj, S_RAW_TP), 0xabc);
	bpf_link__destroy(l);
	o.sz = 3;
	errno = 0;
	CHECK(!bpf_program__attach_raw_tracepoint_opts(prog("raw_cookie"), "sys_enter", &o) && errno == EINVAL);
}

static void test_netfilter(void)
{
	LIBBPF_OPTS(bpf_netfilter_opts, o, .pf = 2 /* NFPROTO_IPV4 */, .hooknum = 3 /* NF_INET_LOCAL_OUT */, .priority = 10);
	struct bpf_link *l = bpf_program__attach_netfilter(prog("nf_count"), &o);
	__u64 b;

	CHECKM(l != NULL, "netfilter errno %d", errno);
	b = hits_of(obj, S_NETFILTER);
	udp_send(9, 4);
	CHECK(delta(S_NETFILTER, b) >= 4);
	bpf_link__destroy(l);
	b = hits_of(obj, S_NETFILTER);
	udp_send(9, 2);
	CHECK_EQ(delta(S_NETFILTER, b), 0);
	o.pf = 99;
	errno = 0;
	CHECK(!bpf_program__attach_netfilter(prog("nf_count"), &o) && errno == EAFNOSUPPORT);
}

static void test_sockmap(void)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "socks");
	int srv = tcp_listen_local(7200), cli, acc, k = 0;
	__u64 v;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7200) };
	struct bpf_link *l;
	char buf[16];
	__u64 b;

	CHECK(srv >= 0);
	l = bpf_program__attach_sockmap(prog("verdict"), bpf_map__fd(m));
	CHECKM(l != NULL, "sockmap errno %d", errno);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK_EQ(connect(cli, (struct sockaddr *)&a, sizeof(a)), 0);
	acc = accept(srv, NULL, NULL);
	CHECK(acc >= 0);
	v = acc;
	CHECK_EQ(bpf_map_update_elem(bpf_map__fd(m), &k, &v, BPF_ANY), 0);
	b = hits_of(obj, S_SOCKMAP);
	CHECK_EQ(write(cli, "hello", 5), 5);
	CHECK_EQ(read(acc, buf, sizeof(buf)), 5);
	CHECK(delta(S_SOCKMAP, b) >= 1);
	CHECK_EQ(cookie_of(obj, S_SOCKMAP), 5);
	/* A second verdict link on the same map: the kernel says busy. */
	errno = 0;
	CHECK(!bpf_program__attach_sockmap(prog("verdict"), bpf_map__fd(m)));
	CHECK_EQ(bpf_link__destroy(l), 0);
	bpf_map_delete_elem(bpf_map__fd(m), &k);
	close(cli);
	close(acc);
	close(srv);
	CHECK(!bpf_program__attach_sockmap(prog("verdict"), -1) && errno == EBADF);
}

static void test_tcx_netkit(void)
{
	char a[IFNAMSIZ], b[IFNAMSIZ];
	__u32 ids[4] = {}, id_a = prog_id(prog("tcx_count")), id_b = prog_id(prog("tcx_count2"));
	LIBBPF_OPTS(bpf_prog_query_opts, q, .prog_ids = ids, .count = 4);
	LIBBPF_OPTS(bpf_tcx_opts, o, .flags = BPF_F_BEFORE | BPF_F_LINK);
	LIBBPF_OPTS(bpf_netkit_opts, no);
	struct bpf_link *first, *second;
	int ia, ib;
	__u64 before;

	snprintf(a, sizeof(a), "oxta%d", getpid() % 100000);
	snprintf(b, sizeof(b), "oxtb%d", getpid() % 100000);
	CHECK_EQ(make_veth(a, b), 0);
	ia = if_nametoindex(a);
	ib = if_nametoindex(b);
	first = bpf_program__attach_tcx(prog("tcx_count"), ib, NULL);
	CHECKM(first != NULL, "tcx errno %d", errno);
	/* The second one goes before the first link. */
	o.relative_fd = bpf_link__fd(first);
	second = bpf_program__attach_tcx(prog("tcx_count2"), ib, &o);
	CHECKM(second != NULL, "tcx before errno %d", errno);
	CHECK_EQ(bpf_prog_query_opts(ib, OX_BPF_TCX_INGRESS, &q), 0);
	CHECK_EQ(q.count, 2);
	CHECK_EQ(ids[0], id_b);
	CHECK_EQ(ids[1], id_a);
	before = hits_of(obj, S_TCX);
	CHECK_EQ(send_frames(ia, 3), 3);
	for (int i = 0; i < 100 && delta(S_TCX, before) < 6; i++)
		usleep(10000);
	CHECK_EQ(delta(S_TCX, before), 6);
	/* The first link runs last. */
	CHECK_EQ(cookie_of(obj, S_TCX), 1);
	bpf_link__destroy(second);
	bpf_link__destroy(first);
	before = hits_of(obj, S_TCX);
	send_frames(ia, 2);
	usleep(20000);
	CHECK_EQ(delta(S_TCX, before), 0);
	errno = 0;
	CHECK(!bpf_program__attach_tcx(prog("tcx_count"), 0, NULL) && errno == EINVAL);
	o.relative_id = 1;
	CHECK(!bpf_program__attach_tcx(prog("tcx_count"), ib, &o) && errno == EINVAL);
	LIBBPF_OPTS(bpf_tcx_opts, stale, .expected_revision = 12345);
	CHECK(!bpf_program__attach_tcx(prog("tcx_count"), ib, &stale) && errno == ESTALE);

	/* This kernel has no netkit devices: a veth is not one. */
	CHECK(!bpf_program__attach_netkit(prog("nk_count"), 0, &no) && errno == EINVAL);
	errno = 0;
	CHECK(!bpf_program__attach_netkit(prog("nk_count"), ib, &no));
	note("netkit on a veth: errno=%d", errno);
	CHECK(errno == ENXIO || errno == EINVAL || errno == EOPNOTSUPP);
	run_cmd("ip link del %s", a);
}

static void test_cgroup_opts(void)
{
	char dir[128];
	__u32 ids[4] = {};
	LIBBPF_OPTS(bpf_prog_query_opts, q, .prog_ids = ids, .count = 4);
	LIBBPF_OPTS(bpf_cgroup_opts, o, .flags = BPF_F_BEFORE | BPF_F_LINK);
	struct bpf_link *a, *b;
	int cg;

	snprintf(dir, sizeof(dir), "/sys/fs/cgroup/unified/ox_attach_opts_%d", getpid());
	if (mkdir(dir, 0755) && errno != EEXIST)
		return;
	cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	a = bpf_program__attach_cgroup_opts(prog("cg_a"), cg, NULL);
	CHECK(a != NULL);
	/* Before cg_a's link. */
	o.relative_fd = bpf_link__fd(a);
	b = bpf_program__attach_cgroup_opts(prog("cg_b"), cg, &o);
	CHECKM(b != NULL, "cgroup before errno %d", errno);
	CHECK_EQ(bpf_prog_query_opts(cg, BPF_CGROUP_INET_EGRESS, &q), 0);
	CHECK_EQ(q.count, 2);
	CHECK_EQ(ids[0], prog_id(prog("cg_b")));
	o.relative_id = prog_id(prog("cg_a"));
	errno = 0;
	CHECK(!bpf_program__attach_cgroup_opts(prog("cg_b"), cg, &o) && errno == EINVAL);
	bpf_link__destroy(b);
	bpf_link__destroy(a);
	close(cg);
	rmdir(dir);
}

static void test_limits(void)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "hits");
	__u32 ids[1] = { 1 };
	LIBBPF_OPTS(bpf_tracing_multi_opts, to, .ids = ids, .cnt = 1);
	LIBBPF_OPTS(bpf_kprobe_multi_opts, ko, .unique_match = true);
	struct bpf_link *l;

	/* struct_ops: other maps are refused, and so are other links. */
	errno = 0;
	CHECK(!bpf_map__attach_struct_ops(m) && errno == EINVAL);
	l = bpf_program__attach_raw_tracepoint(prog("raw_cookie"), "sys_enter");
	CHECK_EQ(bpf_link__update_map(l, m), -EINVAL);
	bpf_link__destroy(l);
	/* tracing_multi: arguments, then names matched in vmlinux BTF. */
	CHECK(!bpf_program__attach_tracing_multi(prog("raw_cookie"), "x", &to) && errno == EINVAL);
	CHECK(!bpf_program__attach_tracing_multi(prog("raw_cookie"), NULL, NULL) && errno == EINVAL);
	CHECK(!bpf_program__attach_tracing_multi(prog("raw_cookie"), "ox_no_such_kernel_fn*", NULL) && errno == ENOENT);
	/* kprobe_multi: unique_match needs a pattern. */
	CHECK(!bpf_program__attach_kprobe_multi_opts(prog("up_modes"), NULL, &ko) && errno == EINVAL);
}

int main(void)
{
	ssize_t n;
	int fds;

	libbpf_set_print(quiet_print);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = 0;
	fds = count_fds();
	obj = bpf_object__open_file(prog_path("attach_newer.bpf.o"), NULL);
	if (!obj)
		SKIP("cannot open attach_newer.bpf.o");
	CHECK_EQ(bpf_object__load(obj), 0);
	CHECK_EQ(set_test_pid(obj), 0);
	test_uprobe_multi();
	test_uprobe_modes();
	test_perf_opts();
	test_raw_tp_cookie();
	test_cgroup_opts();
	test_limits();
	if (private_netns())
		SKIP("cannot create a network namespace (%s)", strerror(errno));
	test_netfilter();
	test_sockmap();
	test_tcx_netkit();
	bpf_object__close(obj);
	CHECK_EQ(count_fds(), fds);
	return harness_done();
}
