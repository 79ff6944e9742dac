// oxbpf-test: differential
/*
 * Attach, query and detach on a cgroup v2 directory of our own: legacy
 * bpf_prog_attach / bpf_prog_query / bpf_prog_detach2 / bpf_prog_detach,
 * a cgroup link from bpf_link_create updated with bpf_link_update and cut
 * with bpf_link_detach, and the argument errors. Same lines against
 * Debian's libbpf.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include "harness.h"
#include "syscall_util.h"

static int load_skb(const char *name, int ret)
{
	struct bpf_insn insns[] = { I_MOV64_IMM(BPF_REG_0, ret), I_EXIT() };
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_CGROUP_INET_INGRESS);

	return bpf_prog_load(BPF_PROG_TYPE_CGROUP_SKB, name, "GPL", insns, 2, &o);
}

static __u32 prog_id(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static void show_query(int cg, const char *when, __u32 id_a, __u32 id_b)
{
	__u32 ids[4] = {}, cnt = 4, flags = 99;
	int ret = bpf_prog_query(cg, BPF_CGROUP_INET_INGRESS, 0, &flags, ids, &cnt);

	printf("query %s: ret %d cnt %u flags %#x ids:", when, ret, cnt, flags);
	for (__u32 i = 0; i < cnt && i < 4; i++)
		printf(" %s", ids[i] == id_a ? "A" : ids[i] == id_b ? "B" : "?");
	printf("\n");
}

int main(void)
{
	char path[128];
	int cg, a, b, link;
	__u32 ida, idb, cnt, ids[1];

	snprintf(path, sizeof(path), "/sys/fs/cgroup/unified/ox_cg_%d", getpid());
	if (mkdir(path, 0755) && errno != EEXIST)
		SKIP("cannot create a cgroup v2 directory (%s)", strerror(errno));
	cg = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	a = SHOW_FD(load_skb("ox_cg_a", 1));
	b = SHOW_FD(load_skb("ox_cg_b", 1));
	ida = prog_id(a), idb = prog_id(b);

	show_query(cg, "empty", ida, idb);
	SHOW(bpf_prog_attach(a, cg, BPF_CGROUP_INET_INGRESS, BPF_F_ALLOW_MULTI));
	SHOW(bpf_prog_attach(b, cg, BPF_CGROUP_INET_INGRESS, BPF_F_ALLOW_MULTI));
	show_query(cg, "two attached", ida, idb);
	cnt = 1;
	SHOW(bpf_prog_query(cg, BPF_CGROUP_INET_INGRESS, 0, NULL, ids, &cnt)); /* ENOSPC */
	printf("count with a small array: %u\n", cnt);
	cnt = 0;
	SHOW(bpf_prog_query(cg, BPF_CGROUP_INET_INGRESS, 0, NULL, NULL, &cnt));
	printf("count only: %u\n", cnt);
	SHOW(bpf_prog_detach2(a, cg, BPF_CGROUP_INET_INGRESS));
	SHOW(bpf_prog_detach2(a, cg, BPF_CGROUP_INET_INGRESS)); /* not attached */
	show_query(cg, "after detaching A", ida, idb);
	SHOW(bpf_prog_detach2(b, cg, BPF_CGROUP_INET_INGRESS));

	/* Single (non-multi) attachment, detached without naming the program. */
	SHOW(bpf_prog_attach(a, cg, BPF_CGROUP_INET_INGRESS, 0));
	SHOW(bpf_prog_attach(b, cg, BPF_CGROUP_INET_INGRESS, BPF_F_ALLOW_MULTI)); /* flags must match */
	show_query(cg, "single", ida, idb);
	SHOW(bpf_prog_detach(cg, BPF_CGROUP_INET_INGRESS));
	show_query(cg, "after bpf_prog_detach", ida, idb);

	/* A cgroup link: create, update to B, detach. */
	link = SHOW_FD(bpf_link_create(a, cg, BPF_CGROUP_INET_INGRESS, NULL));
	CHECK(fd_ok(link));
	show_query(cg, "link to A", ida, idb);
	SHOW(bpf_link_update(link, b, NULL));
	show_query(cg, "link updated to B", ida, idb);
	LIBBPF_OPTS(bpf_link_update_opts, uo, .flags = BPF_F_REPLACE, .old_prog_fd = a);
	SHOW(bpf_link_update(link, a, &uo)); /* B runs, not A: EPERM */
	uo.old_prog_fd = b;
	SHOW(bpf_link_update(link, a, &uo));
	show_query(cg, "link replaced back to A", ida, idb);
	SHOW(bpf_link_detach(link));
	show_query(cg, "link detached", ida, idb);
	SHOW(bpf_link_update(link, b, NULL)); /* defunct link */
	close(link);

	/* Errors. */
	SHOW(bpf_prog_attach(a, -1, BPF_CGROUP_INET_INGRESS, 0));
	SHOW(bpf_prog_attach(-1, cg, BPF_CGROUP_INET_INGRESS, 0));
	SHOW(bpf_prog_attach(a, cg, BPF_CGROUP_INET_EGRESS, 0)); /* skb programs take either direction */
	SHOW(bpf_prog_detach2(a, cg, BPF_CGROUP_INET_EGRESS));
	SHOW(bpf_prog_attach(a, cg, BPF_CGROUP_INET_INGRESS, 1u << 20));
	SHOW_FD(bpf_link_create(a, cg, BPF_CGROUP_INET_EGRESS, NULL));
	SHOW(bpf_link_detach(-1));
	SHOW(bpf_link_update(-1, a, NULL));

	close(a);
	close(b);
	close(cg);
	CHECK_EQ(rmdir(path), 0);
	return harness_done();
}
