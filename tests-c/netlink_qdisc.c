// oxbpf-test: valgrind
/*
 * BPF_TC_QDISC hooks (libbpf 1.6+, so not differential against Debian's
 * 1.1): bpf_tc_hook_create/destroy manage any qdisc by kind, parent and
 * handle, on a veth in private network namespaces. What the kernel holds
 * is read back with tc(8). A clsact created this way serves the ingress
 * hook. A NULL kind is -EINVAL here (libbpf dereferences it), a kind too
 * long for the request -EMSGSIZE, like libbpf.
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <linux/pkt_sched.h>
#include "harness.h"
#include "syscall_util.h"
#include "veth.h"

static char kernel_msg[512];

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (strstr(buf, "Kernel error message"))
		snprintf(kernel_msg, sizeof(kernel_msg), "%s", buf);
	fputs(buf, stderr);
	return 0;
}

/* Whether `tc qdisc show dev <dev>` lists a line containing `what`. */
static int tc_shows(const char *dev, const char *what)
{
	char cmd[128], line[256];
	int found = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "tc qdisc show dev %s", dev);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, what))
			found = 1;
	pclose(f);
	return found;
}

int main(void)
{
	struct veth v;
	char why[256], longname[200];

	if (veth_setup(&v, why, sizeof(why)))
		SKIP("no private network: %s", why);
	libbpf_set_print(print_fn);

	LIBBPF_OPTS(bpf_tc_hook, fifo, .ifindex = v.ifindex_a, .attach_point = BPF_TC_QDISC, .parent = TC_H_ROOT,
		    .handle = TC_H_MAKE(1 << 16, 0), .qdisc = "pfifo");
	CHECK_EQ(tc_shows(v.a, "pfifo 1:"), 0);
	CHECK_EQ(bpf_tc_hook_create(&fifo), 0);
	CHECK_EQ(tc_shows(v.a, "pfifo 1: root"), 1);
	kernel_msg[0] = 0;
	CHECK_EQ(bpf_tc_hook_create(&fifo), -EEXIST);
	CHECK_EQ(errno, EEXIST);
	CHECK(kernel_msg[0] != 0); /* the kernel said why */
	CHECK_EQ(bpf_tc_hook_destroy(&fifo), 0);
	CHECK_EQ(tc_shows(v.a, "pfifo 1:"), 0);
	CHECK(bpf_tc_hook_destroy(&fifo) < 0);

	/* The parent travels: one that does not exist is refused. */
	LIBBPF_OPTS(bpf_tc_hook, orphan, .ifindex = v.ifindex_a, .attach_point = BPF_TC_QDISC,
		    .parent = TC_H_MAKE(7 << 16, 1), .handle = TC_H_MAKE(8 << 16, 0), .qdisc = "pfifo");
	CHECK(bpf_tc_hook_create(&orphan) < 0);
	CHECK_EQ(tc_shows(v.a, "pfifo 8:"), 0);

	/* clsact through BPF_TC_QDISC, then used by the ingress hook. */
	LIBBPF_OPTS(bpf_tc_hook, clsact, .ifindex = v.ifindex_a, .attach_point = BPF_TC_QDISC, .parent = TC_H_CLSACT,
		    .handle = TC_H_MAKE(TC_H_CLSACT, 0), .qdisc = "clsact");
	CHECK_EQ(bpf_tc_hook_create(&clsact), 0);
	CHECK_EQ(tc_shows(v.a, "clsact"), 1);
	LIBBPF_OPTS(bpf_tc_hook, ingress, .ifindex = v.ifindex_a, .attach_point = BPF_TC_INGRESS);
	CHECK_EQ(bpf_tc_hook_create(&ingress), -EEXIST);
	struct bpf_insn insns[] = { I_MOV64_IMM(BPF_REG_0, 0), I_EXIT() };
	int prog = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "ox_qdisc", "GPL", insns, 2, NULL);
	CHECK(prog >= 0);
	LIBBPF_OPTS(bpf_tc_opts, o, .prog_fd = prog);
	CHECK_EQ(bpf_tc_attach(&ingress, &o), 0);
	CHECK(o.prog_id != 0 && o.handle != 0 && o.priority != 0);
	CHECK_EQ(bpf_tc_hook_destroy(&clsact), 0);
	CHECK_EQ(tc_shows(v.a, "clsact"), 0);
	LIBBPF_OPTS(bpf_tc_opts, q, .handle = o.handle, .priority = o.priority);
	CHECK(bpf_tc_query(&ingress, &q) < 0);

	/* Kinds: unknown, NULL, too long for the request. */
	LIBBPF_OPTS(bpf_tc_hook, unknown, .ifindex = v.ifindex_a, .attach_point = BPF_TC_QDISC, .parent = TC_H_ROOT,
		    .qdisc = "oxnosuch");
	CHECK(bpf_tc_hook_create(&unknown) < 0);
	LIBBPF_OPTS(bpf_tc_hook, null, .ifindex = v.ifindex_a, .attach_point = BPF_TC_QDISC, .parent = TC_H_ROOT);
	CHECK_EQ(bpf_tc_hook_create(&null), -EINVAL);
	CHECK_EQ(bpf_tc_hook_destroy(&null), -EINVAL);
	memset(longname, 'q', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	LIBBPF_OPTS(bpf_tc_hook, lng, .ifindex = v.ifindex_a, .attach_point = BPF_TC_QDISC, .qdisc = longname);
	CHECK_EQ(bpf_tc_hook_create(&lng), -EMSGSIZE);
	CHECK_EQ(errno, EMSGSIZE);
	/* A caller built against libbpf 1.1 (no qdisc field) can not name one. */
	struct {
		size_t sz;
		int ifindex;
		int attach_point;
		__u32 parent;
	} old = { .sz = 24, .ifindex = v.ifindex_a, .attach_point = BPF_TC_QDISC, .parent = TC_H_ROOT };
	CHECK_EQ(bpf_tc_hook_create((struct bpf_tc_hook *)&old), -EINVAL);
	/* Filters have no place on a plain qdisc hook. */
	LIBBPF_OPTS(bpf_tc_opts, fresh, .prog_fd = prog);
	CHECK_EQ(bpf_tc_attach(&fifo, &fresh), -EINVAL);

	close(prog);
	veth_cleanup(&v);
	return harness_done();
}
