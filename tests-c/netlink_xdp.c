// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * XDP through netlink on a veth pair in private network namespaces
 * (lib/veth.h): attach in generic (SKB) and native (DRV) mode, query,
 * query_id per mode, replace with old_prog_fd, UPDATE_IF_NOEXIST,
 * detach; datagrams sent across the pair are counted by the attached
 * program through a map, so each attachment is proven by real packets.
 * Kernel refusals come with the kernel's extended-ACK text, logged by the
 * library and printed here. Bad flags, opts and devices.
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <linux/if_link.h>
#include <dirent.h>
#include "harness.h"
#include "syscall_util.h"
#include "veth.h"

#define NETDEV_XDP_ACT_BASIC (1ULL << 0)

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n++;
	closedir(d);
	return n;
}

/* Kernel error texts are part of the compared output; the rest of the log
 * goes to stderr. */
static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (strstr(buf, "Kernel error message"))
		printf("log: %s", buf);
	else
		fputs(buf, stderr);
	return 0;
}

static int counts_fd;

static long long count_of(void *slot)
{
	__u32 key = (__u32)(long)slot;
	__u64 v = 0;

	bpf_map_lookup_elem(counts_fd, &key, &v);
	return (long long)v;
}

static void reset_counts(void)
{
	__u64 zero = 0;
	__u32 k;

	for (k = 0; k < 4; k++)
		bpf_map_update_elem(counts_fd, &k, &zero, BPF_ANY);
}

static __u32 id_of(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/* Sends 5 datagrams from B to A and prints what each XDP slot counted. */
static void traffic(struct veth *v, const char *what)
{
	reset_counts();
	veth_send(v, 1, 5);
	veth_wait(count_of, (void *)0, 5);
	veth_wait(count_of, (void *)1, 5);
	printf("%s: xdp_a counted %lld, xdp_b counted %lld\n", what, count_of((void *)0), count_of((void *)1));
}

static void show_query(int ifindex, __u32 a, __u32 b, int check_features)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int err = bpf_xdp_query(ifindex, 0, &q);

	printf("query = %d: attach_mode %u prog %s skb %s drv %s hw %u\n", err, q.attach_mode,
	       q.prog_id == a ? "a" : q.prog_id == b ? "b" : q.prog_id ? "?" : "0",
	       q.skb_prog_id == a ? "a" : q.skb_prog_id == b ? "b" : q.skb_prog_id ? "?" : "0",
	       q.drv_prog_id == a ? "a" : q.drv_prog_id == b ? "b" : q.drv_prog_id ? "?" : "0", q.hw_prog_id);
	/* libbpf 1.1 has no feature_flags (added in 1.2): ours only. */
	if (check_features && !harness_is_reference())
		CHECKM(q.feature_flags & NETDEV_XDP_ACT_BASIC, "veth has basic XDP: %#llx", (unsigned long long)q.feature_flags);
	note("feature_flags %#llx zc_max_segs %u", (unsigned long long)q.feature_flags, q.xdp_zc_max_segs);
}

int main(void)
{
	struct bpf_object *obj;
	struct veth v;
	char why[256];
	int a, b, ifx;
	__u32 ida, idb, id;

	if (veth_setup(&v, why, sizeof(why)))
		SKIP("no private network: %s", why);
	ifx = v.ifindex_a;
	libbpf_set_print(print_fn);

	obj = bpf_object__open_file(prog_path("nl_count.bpf.o"), NULL);
	CHECK(obj != NULL);
	if (!obj || bpf_object__load(obj)) {
		veth_cleanup(&v);
		SKIP("cannot load nl_count.bpf.o");
	}
	a = bpf_program__fd(bpf_object__find_program_by_name(obj, "xdp_a"));
	b = bpf_program__fd(bpf_object__find_program_by_name(obj, "xdp_b"));
	counts_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "counts"));
	ida = id_of(a);
	idb = id_of(b);
	CHECK(ida && idb && ida != idb);
	int fds_before = count_fds();

	/* Nothing attached yet. */
	show_query(ifx, ida, idb, 1);
	traffic(&v, "no program");

	/* Generic mode. */
	SHOW(bpf_xdp_attach(ifx, a, XDP_FLAGS_SKB_MODE, NULL));
	show_query(ifx, ida, idb, 1);
	id = 0;
	SHOW(bpf_xdp_query_id(ifx, 0, &id));
	printf("query_id(0) is a: %d\n", id == ida);
	SHOW(bpf_xdp_query_id(ifx, XDP_FLAGS_SKB_MODE, &id));
	printf("query_id(SKB) is a: %d\n", id == ida);
	SHOW(bpf_xdp_query_id(ifx, XDP_FLAGS_DRV_MODE, &id));
	printf("query_id(DRV): %u\n", id);
	traffic(&v, "skb a");

	/* Only if nothing is attached; native and generic at once. */
	SHOW(bpf_xdp_attach(ifx, b, XDP_FLAGS_SKB_MODE | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL));
	SHOW(bpf_xdp_attach(ifx, b, XDP_FLAGS_DRV_MODE, NULL));

	/* Replace: only when the expected program is the attached one. */
	LIBBPF_OPTS(bpf_xdp_attach_opts, ro, .old_prog_fd = b);
	SHOW(bpf_xdp_attach(ifx, b, XDP_FLAGS_SKB_MODE, &ro));
	ro.old_prog_fd = a;
	SHOW(bpf_xdp_attach(ifx, b, XDP_FLAGS_SKB_MODE, &ro));
	show_query(ifx, ida, idb, 0);
	traffic(&v, "skb b");

	/* Detach: with an old fd that is not attached, then for real. */
	SHOW(bpf_xdp_detach(ifx, XDP_FLAGS_SKB_MODE, &ro));
	SHOW(bpf_xdp_detach(ifx, XDP_FLAGS_SKB_MODE, NULL));
	show_query(ifx, ida, idb, 0);
	traffic(&v, "detached");

	/* Native mode on veth. */
	SHOW(bpf_xdp_attach(ifx, a, XDP_FLAGS_DRV_MODE, NULL));
	show_query(ifx, ida, idb, 0);
	SHOW(bpf_xdp_query_id(ifx, XDP_FLAGS_DRV_MODE, &id));
	printf("query_id(DRV) is a: %d\n", id == ida);
	SHOW(bpf_xdp_query_id(ifx, XDP_FLAGS_SKB_MODE, &id));
	printf("query_id(SKB): %u\n", id);
	traffic(&v, "drv a");
	ro.old_prog_fd = a;
	SHOW(bpf_xdp_attach(ifx, b, XDP_FLAGS_DRV_MODE, &ro));
	show_query(ifx, ida, idb, 0);
	traffic(&v, "drv b");
	SHOW(bpf_xdp_detach(ifx, XDP_FLAGS_DRV_MODE, NULL));
	show_query(ifx, ida, idb, 0);

	/* Default mode: the kernel picks native on veth. */
	SHOW(bpf_xdp_attach(ifx, a, 0, NULL));
	show_query(ifx, ida, idb, 0);
	SHOW(bpf_xdp_detach(ifx, 0, NULL));
	SHOW(bpf_xdp_detach(ifx, 0, NULL));

	/* Bad arguments. */
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	SHOW(bpf_xdp_query(ifx, XDP_FLAGS_SKB_MODE | XDP_FLAGS_DRV_MODE, &q));
	SHOW(bpf_xdp_query(ifx, 1 << 5, &q));
	SHOW(bpf_xdp_query(ifx, -1, &q));
	SHOW(bpf_xdp_query(ifx, XDP_FLAGS_SKB_MODE | XDP_FLAGS_REPLACE | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL));
	SHOW(bpf_xdp_query_id(ifx, XDP_FLAGS_SKB_MODE | XDP_FLAGS_HW_MODE, &id));
	struct {
		struct bpf_xdp_query_opts o;
		char tail[8];
	} big = { .o.sz = sizeof(big) };
	big.tail[3] = 1;
	SHOW(bpf_xdp_query(ifx, 0, &big.o));
	struct bpf_xdp_attach_opts bad = { .sz = 2 };
	SHOW(bpf_xdp_attach(ifx, a, XDP_FLAGS_SKB_MODE, &bad));
	SHOW(bpf_xdp_detach(ifx, XDP_FLAGS_SKB_MODE, &bad));
	SHOW(bpf_xdp_attach(ifx, counts_fd, XDP_FLAGS_SKB_MODE, NULL));
	SHOW(bpf_xdp_attach(ifx, 9999, XDP_FLAGS_SKB_MODE, NULL));
	SHOW(bpf_xdp_attach(ifx, a, 1 << 7, NULL));
	SHOW(bpf_xdp_attach(0x7ffffff0, a, XDP_FLAGS_SKB_MODE, NULL));
	/* A device that does not exist reads as nothing attached, unless the
	 * features are asked for: libbpf 1.8 asks the netdev family, which
	 * knows no such device (1.1 has no features). */
	LIBBPF_OPTS(bpf_xdp_query_opts, q2);
	errno = 0;
	int r = bpf_xdp_query(0x7ffffff0, 0, &q2);
	note("query of a missing device = %d errno=%d", r, r ? errno : 0);
	if (!harness_is_reference())
		CHECK(r == -ENODEV && errno == ENODEV);
	struct {
		size_t sz;
		__u32 prog_id, drv_prog_id, hw_prog_id, skb_prog_id;
		__u8 attach_mode;
	} old = { .sz = 25 }; /* 1.1's layout: no features asked */
	SHOW(bpf_xdp_query(0x7ffffff0, 0, (struct bpf_xdp_query_opts *)&old));
	printf("old-layout query: mode %u\n", old.attach_mode);
	errno = 0;
	r = bpf_xdp_query_id(0x7ffffff0, 0, &id);
	note("query_id of a missing device = %d errno=%d", r, r ? errno : 0);
	if (!harness_is_reference())
		CHECK(r == -ENODEV);

	/* Every call closed the netlink sockets it opened. */
	CHECK_EQ(count_fds(), fds_before);
	bpf_object__close(obj);
	veth_cleanup(&v);
	return harness_done();
}
