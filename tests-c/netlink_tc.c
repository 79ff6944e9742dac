// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * TC through netlink on a veth pair in private network namespaces
 * (lib/veth.h): the clsact hook (create, EEXIST, destroy of one side and
 * of both), cls_bpf direct-action filters on ingress and egress (attach
 * with kernel-chosen and explicit handle/priority, EEXIST, BPF_TC_F_REPLACE,
 * query, detach), a BPF_TC_CUSTOM parent, and the argument rules. Filters
 * are proven by datagrams crossing the pair, counted by the programs.
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <linux/pkt_sched.h>
#include "harness.h"
#include "syscall_util.h"
#include "veth.h"

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

/* 5 datagrams each way; prints what the ingress (slot 2) and egress
 * (slot 3) counters saw on A's end. */
static void traffic(struct veth *v, const char *what)
{
	reset_counts();
	veth_send(v, 1, 5);
	veth_send(v, 0, 5);
	veth_wait(count_of, (void *)2, 5);
	veth_wait(count_of, (void *)3, 5);
	printf("%s: ingress counted %lld, egress counted %lld\n", what, count_of((void *)2), count_of((void *)3));
}

static __u32 in_id, out_id;

static const char *who(__u32 id)
{
	return id == in_id ? "tc_in" : id == out_id ? "tc_out" : id ? "?" : "0";
}

static void show_opts(const char *what, int err, const struct bpf_tc_opts *o)
{
	printf("%s = %d: prog %s handle %u priority %u\n", what, err, who(o->prog_id), o->handle, o->priority);
}

int main(void)
{
	struct bpf_object *obj;
	struct veth v;
	char why[256];
	int in, out, err;

	if (veth_setup(&v, why, sizeof(why)))
		SKIP("no private network: %s", why);
	libbpf_set_print(print_fn);
	obj = bpf_object__open_file(prog_path("nl_count.bpf.o"), NULL);
	if (!obj || bpf_object__load(obj)) {
		veth_cleanup(&v);
		SKIP("cannot load nl_count.bpf.o");
	}
	in = bpf_program__fd(bpf_object__find_program_by_name(obj, "tc_in"));
	out = bpf_program__fd(bpf_object__find_program_by_name(obj, "tc_out"));
	counts_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "counts"));
	in_id = id_of(in);
	out_id = id_of(out);
	CHECK(in_id && out_id);

	LIBBPF_OPTS(bpf_tc_hook, ingress, .ifindex = v.ifindex_a, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_hook, egress, .ifindex = v.ifindex_a, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_hook, both, .ifindex = v.ifindex_a, .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);

	/* Hooks. */
	LIBBPF_OPTS(bpf_tc_opts, o, .prog_fd = in);
	SHOW(bpf_tc_attach(&ingress, &o)); /* no clsact yet */
	SHOW(bpf_tc_hook_create(&ingress));
	SHOW(bpf_tc_hook_create(&ingress));
	SHOW(bpf_tc_hook_create(&egress));
	SHOW(bpf_tc_hook_create(&both));
	traffic(&v, "no filter");

	/* Attach with kernel-chosen handle and priority, then explicit ones. */
	err = bpf_tc_attach(&ingress, &o);
	show_opts("attach ingress", err, &o);
	__u32 in_handle = o.handle, in_prio = o.priority;
	LIBBPF_OPTS(bpf_tc_opts, eo, .prog_fd = out, .handle = 7, .priority = 3);
	err = bpf_tc_attach(&egress, &eo);
	show_opts("attach egress", err, &eo);
	traffic(&v, "in/out");

	/* Same handle and priority again: EEXIST, unless replacing. */
	LIBBPF_OPTS(bpf_tc_opts, again, .prog_fd = in, .handle = 7, .priority = 3);
	err = bpf_tc_attach(&egress, &again);
	show_opts("attach egress again", err, &again);
	LIBBPF_OPTS(bpf_tc_opts, rep, .prog_fd = in, .handle = 7, .priority = 3, .flags = BPF_TC_F_REPLACE);
	err = bpf_tc_attach(&egress, &rep);
	show_opts("replace egress", err, &rep);
	LIBBPF_OPTS(bpf_tc_opts, q, .handle = 7, .priority = 3);
	err = bpf_tc_query(&egress, &q);
	show_opts("query egress", err, &q);
	traffic(&v, "in/in");
	/* Replace with a new handle: a second filter. */
	LIBBPF_OPTS(bpf_tc_opts, rep2, .prog_fd = out, .handle = 8, .priority = 3, .flags = BPF_TC_F_REPLACE);
	err = bpf_tc_attach(&egress, &rep2);
	show_opts("replace creates", err, &rep2);
	traffic(&v, "in/in+out");

	/* Query and detach. */
	LIBBPF_OPTS(bpf_tc_opts, qi, .handle = in_handle, .priority = in_prio);
	err = bpf_tc_query(&ingress, &qi);
	show_opts("query ingress", err, &qi);
	LIBBPF_OPTS(bpf_tc_opts, qx, .handle = 99, .priority = 3);
	err = bpf_tc_query(&egress, &qx);
	show_opts("query missing", err, &qx);
	LIBBPF_OPTS(bpf_tc_opts, d, .handle = 7, .priority = 3);
	SHOW(bpf_tc_detach(&egress, &d));
	SHOW(bpf_tc_detach(&egress, &d));
	SHOW(bpf_tc_query(&egress, &d));
	traffic(&v, "in/out again");

	/* A custom parent: the ingress class of clsact, by handle. */
	LIBBPF_OPTS(bpf_tc_hook, custom, .ifindex = v.ifindex_a, .attach_point = BPF_TC_CUSTOM,
		    .parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS));
	LIBBPF_OPTS(bpf_tc_opts, co, .prog_fd = in, .handle = 5, .priority = 9);
	err = bpf_tc_attach(&custom, &co);
	show_opts("attach custom", err, &co);
	LIBBPF_OPTS(bpf_tc_opts, cq, .handle = 5, .priority = 9);
	err = bpf_tc_query(&ingress, &cq);
	show_opts("query it on ingress", err, &cq);
	traffic(&v, "in x2/out");
	SHOW(bpf_tc_hook_create(&custom));
	SHOW(bpf_tc_hook_destroy(&custom));

	/* Argument rules. */
	LIBBPF_OPTS(bpf_tc_opts, a1, .prog_fd = in, .prog_id = 1);
	SHOW(bpf_tc_attach(&ingress, &a1));
	LIBBPF_OPTS(bpf_tc_opts, a2, .prog_fd = in, .priority = 0x10000);
	SHOW(bpf_tc_attach(&ingress, &a2));
	LIBBPF_OPTS(bpf_tc_opts, a3, .prog_fd = in, .flags = 2);
	SHOW(bpf_tc_attach(&ingress, &a3));
	LIBBPF_OPTS(bpf_tc_opts, a4);
	SHOW(bpf_tc_attach(&ingress, &a4));
	SHOW(bpf_tc_attach(&ingress, NULL));
	SHOW(bpf_tc_attach(NULL, &o));
	SHOW(bpf_tc_attach(&both, &o));
	LIBBPF_OPTS(bpf_tc_opts, a5, .prog_fd = counts_fd);
	SHOW(bpf_tc_attach(&ingress, &a5));
	LIBBPF_OPTS(bpf_tc_opts, a6, .prog_fd = 9999);
	SHOW(bpf_tc_attach(&ingress, &a6));
	LIBBPF_OPTS(bpf_tc_hook, parented, .ifindex = v.ifindex_a, .attach_point = BPF_TC_INGRESS, .parent = 1);
	SHOW(bpf_tc_attach(&parented, &o));
	SHOW(bpf_tc_hook_create(&parented));
	LIBBPF_OPTS(bpf_tc_hook, noparent, .ifindex = v.ifindex_a, .attach_point = BPF_TC_CUSTOM);
	SHOW(bpf_tc_attach(&noparent, &o));
	LIBBPF_OPTS(bpf_tc_hook, nodev, .ifindex = 0, .attach_point = BPF_TC_INGRESS);
	SHOW(bpf_tc_hook_create(&nodev));
	SHOW(bpf_tc_hook_destroy(&nodev));
	SHOW(bpf_tc_attach(&nodev, &o));
	LIBBPF_OPTS(bpf_tc_hook, baddev, .ifindex = 0x7ffffff0, .attach_point = BPF_TC_INGRESS);
	SHOW(bpf_tc_hook_create(&baddev));
	SHOW(bpf_tc_attach(&baddev, &o));
	LIBBPF_OPTS(bpf_tc_hook, badap, .ifindex = v.ifindex_a, .attach_point = 16);
	SHOW(bpf_tc_hook_create(&badap));
	SHOW(bpf_tc_hook_destroy(&badap));
	LIBBPF_OPTS(bpf_tc_opts, d1, .handle = 1);
	SHOW(bpf_tc_detach(&ingress, &d1));
	LIBBPF_OPTS(bpf_tc_opts, d2, .handle = 1, .priority = 1, .prog_fd = in);
	SHOW(bpf_tc_detach(&ingress, &d2));
	LIBBPF_OPTS(bpf_tc_opts, d3, .handle = 1, .priority = 1, .flags = BPF_TC_F_REPLACE);
	SHOW(bpf_tc_detach(&ingress, &d3));
	SHOW(bpf_tc_detach(&ingress, NULL));
	LIBBPF_OPTS(bpf_tc_opts, q1, .priority = 1);
	SHOW(bpf_tc_query(&ingress, &q1));
	LIBBPF_OPTS(bpf_tc_opts, q2, .handle = 1, .priority = 1, .prog_id = 3);
	SHOW(bpf_tc_query(&ingress, &q2));
	SHOW(bpf_tc_query(&ingress, NULL));
	struct {
		struct bpf_tc_opts o;
		char tail[8];
	} big = { .o = { .sz = sizeof(big), .prog_fd = in } };
	big.tail[1] = 1;
	SHOW(bpf_tc_attach(&ingress, &big.o));

	/* Destroying one side flushes its filters; both sides: the qdisc. */
	SHOW(bpf_tc_hook_destroy(&ingress));
	err = bpf_tc_query(&ingress, &qi);
	printf("query after flush = %d\n", err);
	LIBBPF_OPTS(bpf_tc_opts, eq, .handle = 8, .priority = 3);
	err = bpf_tc_query(&egress, &eq);
	show_opts("egress survives", err, &eq);
	traffic(&v, "flushed ingress");
	SHOW(bpf_tc_hook_create(&ingress));
	SHOW(bpf_tc_hook_destroy(&both));
	SHOW(bpf_tc_hook_destroy(&both));
	SHOW(bpf_tc_query(&egress, &eq));
	traffic(&v, "no qdisc");

	bpf_object__close(obj);
	veth_cleanup(&v);
	return harness_done();
}
