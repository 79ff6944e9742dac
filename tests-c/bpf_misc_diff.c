// oxbpf-test: differential
/*
 * The remaining bpf.h functions Debian's libbpf 1.1 also has, compared call
 * for call: bpf_prog_bind_map, bpf_enable_stats errors, bpf_prog_query_opts
 * and bpf_prog_attach_opts (BPF_F_REPLACE) on a cgroup of our own, the
 * *_get_fd_by_id_opts variants with flags, and test runs on a chosen CPU.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include "harness.h"
#include "syscall_util.h"

static int load_skb(const char *name)
{
	struct bpf_insn insns[] = { I_MOV64_IMM(BPF_REG_0, 1), I_EXIT() };
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_CGROUP_INET_EGRESS);

	return bpf_prog_load(BPF_PROG_TYPE_CGROUP_SKB, name, "GPL", insns, 2, &o);
}

static __u32 id_of(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

int main(void)
{
	struct bpf_insn insns[] = { I_MOV64_IMM(BPF_REG_0, 3), I_EXIT() };
	int prog = SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_misc", "GPL", insns, 2, NULL));
	int map = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_misc", 4, 4, 1, NULL));
	unsigned char pkt[64] = {};
	char path[128];
	int cg, a, b;

	SHOW(bpf_prog_bind_map(prog, map, NULL));
	SHOW(bpf_prog_bind_map(prog, -1, NULL));
	SHOW(bpf_prog_bind_map(map, map, NULL));
	LIBBPF_OPTS(bpf_prog_bind_opts, bo, .flags = 1);
	SHOW(bpf_prog_bind_map(prog, map, &bo));
	SHOW_FD(bpf_enable_stats(1000));

	/* Test runs pinned to a CPU: allowed for some program types only. */
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt), .flags = BPF_F_TEST_RUN_ON_CPU,
		    .cpu = 0);
	SHOW(bpf_prog_test_run_opts(prog, &t));
	t.flags = 0;
	SHOW(bpf_prog_test_run_opts(prog, &t));
	printf("retval %u\n", t.retval);

	/* get_fd_by_id_opts: flags the object kind does not take. */
	LIBBPF_OPTS(bpf_get_fd_by_id_opts, io, .open_flags = BPF_F_RDONLY);
	SHOW_FD(bpf_btf_get_fd_by_id_opts(0xfffffff0, &io));
	SHOW_FD(bpf_link_get_fd_by_id_opts(0xfffffff0, &io));
	io.open_flags = 1u << 30;
	SHOW_FD(bpf_map_get_fd_by_id_opts(1, &io));

	/* Query and attach with options on a cgroup. */
	snprintf(path, sizeof(path), "/sys/fs/cgroup/unified/ox_cgm_%d", getpid());
	if (mkdir(path, 0755) && errno != EEXIST)
		SKIP("cannot create a cgroup v2 directory (%s)", strerror(errno));
	cg = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	a = load_skb("ox_cgm_a");
	b = load_skb("ox_cgm_b");
	LIBBPF_OPTS(bpf_prog_attach_opts, ao, .flags = BPF_F_ALLOW_MULTI);
	SHOW(bpf_prog_attach_opts(a, cg, BPF_CGROUP_INET_EGRESS, &ao));
	/* Replace A by B in place. */
	ao.flags = BPF_F_ALLOW_MULTI | BPF_F_REPLACE;
	ao.replace_prog_fd = a;
	SHOW(bpf_prog_attach_opts(b, cg, BPF_CGROUP_INET_EGRESS, &ao));
	SHOW(bpf_prog_attach_opts(b, cg, BPF_CGROUP_INET_EGRESS, &ao)); /* A is gone */
	__u32 ids[4] = {}, flags[4] = {};
	LIBBPF_OPTS(bpf_prog_query_opts, q, .prog_ids = ids, .prog_attach_flags = flags, .count = 4);
	SHOW(bpf_prog_query_opts(cg, BPF_CGROUP_INET_EGRESS, &q));
	printf("query_opts: count %u attach_flags %#x first is B %d\n", q.count, q.attach_flags, ids[0] == id_of(b));
	q.query_flags = BPF_F_QUERY_EFFECTIVE;
	q.count = 4;
	q.prog_attach_flags = NULL;
	SHOW(bpf_prog_query_opts(cg, BPF_CGROUP_INET_EGRESS, &q));
	printf("effective: count %u\n", q.count);
	SHOW(bpf_prog_query_opts(-1, BPF_CGROUP_INET_EGRESS, &q));
	SHOW(bpf_prog_detach2(b, cg, BPF_CGROUP_INET_EGRESS));
	close(a);
	close(b);
	close(cg);
	CHECK_EQ(rmdir(path), 0);
	close(map);
	close(prog);
	return harness_done();
}
