/*
 * The parts of bpf.h newer than Debian's libbpf 1.1 (so not differential),
 * on the real kernel: typed info getters, pin/get relative to a directory
 * fd, raw tracepoint cookies, tcx links and mprog attach/query/detach with
 * relative positions and revisions (in a network namespace of our own), a
 * netfilter link, a uprobe_multi link that really fires, the func_info
 * record-size fix-up, map binding, statistics, map-creation logs, streams,
 * and the commands this kernel refuses (token without delegation,
 * struct_ops association).
 */
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <linux/btf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "syscall_util.h"

/* UAPI values newer than the system's Linux 6.1 headers. */
#define OX_BPF_PROG_TYPE_NETFILTER 32
#define OX_BPF_NETFILTER 45
#define OX_BPF_TCX_INGRESS 46
#define OX_BPF_TRACE_UPROBE_MULTI 48
#define OX_BPF_LINK_TYPE_NETFILTER 10
#define OX_BPF_LINK_TYPE_TCX 11
#define OX_BPF_LINK_TYPE_UPROBE_MULTI 12
#define OX_BPF_F_BEFORE (1U << 3)
#define OX_BPF_F_AFTER (1U << 4)
#define OX_BPF_F_PATH_FD (1U << 14)
#define OX_BPF_STREAM_STDERR 2
#define OX_BPF_FUNC_map_lookup_elem 1

static __u32 id_of(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	return bpf_prog_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static int load(enum bpf_prog_type type, __u32 expected, int ret)
{
	struct bpf_insn insns[] = { I_MOV64_IMM(BPF_REG_0, ret), I_EXIT() };
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = expected);

	return bpf_prog_load(type, "ox_newer", "GPL", insns, 2, &o);
}

static void test_typed_info(void)
{
	struct bpf_map_info mi = {};
	struct bpf_prog_info pi = {};
	struct bpf_btf_info bi = {};
	struct bpf_link_info li = {};
	__u32 len;
	int map = bpf_map_create(BPF_MAP_TYPE_HASH, "ox_typed", 8, 16, 32, NULL);
	int prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0);
	int link = bpf_raw_tracepoint_open("sched_switch", prog);
	struct {
		struct btf_header h;
		__u32 t[4];
		char s[5];
	} __attribute__((packed)) raw = { { BTF_MAGIC, BTF_VERSION, 0, sizeof(struct btf_header), 0, 16, 16, 5 },
					  { 1, BTF_KIND_INT << 24, 4, 32 }, "\0int" };
	int btf = bpf_btf_load(&raw, sizeof(raw), NULL);

	len = sizeof(mi);
	CHECK_EQ(bpf_map_get_info_by_fd(map, &mi, &len), 0);
	CHECK_STR(mi.name, "ox_typed");
	CHECK_EQ(mi.type, BPF_MAP_TYPE_HASH);
	CHECK_EQ(mi.key_size, 8);
	CHECK_EQ(mi.value_size, 16);
	CHECK_EQ(mi.max_entries, 32);
	CHECK(mi.id > 0);
	len = sizeof(pi);
	CHECK_EQ(bpf_prog_get_info_by_fd(prog, &pi, &len), 0);
	CHECK_STR(pi.name, "ox_newer");
	CHECK_EQ(pi.type, BPF_PROG_TYPE_RAW_TRACEPOINT);
	len = sizeof(bi);
	CHECK_EQ(bpf_btf_get_info_by_fd(btf, &bi, &len), 0);
	CHECK_EQ(bi.btf_size, sizeof(raw));
	CHECK(bi.id > 0);
	len = sizeof(li);
	CHECK_EQ(bpf_link_get_info_by_fd(link, &li, &len), 0);
	CHECK_EQ(li.type, BPF_LINK_TYPE_RAW_TRACEPOINT);
	CHECK_EQ(li.prog_id, pi.id);
	len = sizeof(mi);
	CHECK_EQ(bpf_map_get_info_by_fd(-1, &mi, &len), -EBADFD); /* the kernel's answer for a bad fd here */
	CHECK_EQ(errno, EBADFD);
	close(link);
	close(prog);
	close(map);
	close(btf);
}

static void test_path_fd(void)
{
	char name[64];
	int dir = open("/sys/fs/bpf", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_pathfd", 4, 4, 1, NULL);
	LIBBPF_OPTS(bpf_obj_pin_opts, po, .file_flags = OX_BPF_F_PATH_FD, .path_fd = dir);
	LIBBPF_OPTS(bpf_obj_get_opts, go, .file_flags = OX_BPF_F_PATH_FD, .path_fd = dir);
	struct bpf_map_info a = {}, b = {};
	__u32 len = sizeof(a);
	int fd;

	snprintf(name, sizeof(name), "ox_pathfd_%d", getpid());
	CHECK_EQ(bpf_obj_pin_opts(map, name, &po), 0);
	fd = bpf_obj_get_opts(name, &go);
	CHECK(fd_ok(fd));
	CHECK_EQ(bpf_map_get_info_by_fd(map, &a, &len), 0);
	len = sizeof(b);
	CHECK_EQ(bpf_map_get_info_by_fd(fd, &b, &len), 0);
	CHECK_EQ(a.id, b.id);
	po.file_flags = 0; /* a relative path without BPF_F_PATH_FD: relative to the cwd, not bpffs */
	CHECK(bpf_obj_pin_opts(map, name, &po) < 0);
	unlinkat(dir, name, 0);
	close(fd);
	close(map);
	close(dir);
}

static void test_raw_tp_cookie(void)
{
	int prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0);
	LIBBPF_OPTS(bpf_raw_tp_opts, o, .tp_name = "sched_switch", .cookie = 0xabcdef);
	__u64 raw[16] = {};
	__u32 len = sizeof(raw);
	int link = bpf_raw_tracepoint_open_opts(prog, &o);

	CHECK(fd_ok(link));
	CHECK_EQ(bpf_link_get_info_by_fd(link, (void *)raw, &len), 0);
	CHECK_EQ(raw[4], 0xabcdef); /* raw_tracepoint.cookie, after tp_name and its length */
	o.tp_name = NULL;
	CHECK(bpf_raw_tracepoint_open_opts(prog, &o) < 0);
	close(link);
	close(prog);
}

static void query_tcx(const char *what, __u32 *ids, __u32 *cnt, __u64 *rev)
{
	LIBBPF_OPTS(bpf_prog_query_opts, q, .prog_ids = ids, .count = 4);
	int ret = bpf_prog_query_opts(1 /* lo */, OX_BPF_TCX_INGRESS, &q);

	CHECKM(ret == 0, "%s: query %d errno %d", what, ret, errno);
	*cnt = q.count;
	*rev = q.revision;
}

static void test_tcx_and_netfilter(void)
{
	__u32 ids[4], cnt;
	__u64 rev, rev0;
	int a, b, c, la, lb, nf, nfl;

	if (unshare(CLONE_NEWNET))
		SKIP("cannot create a network namespace (%s)", strerror(errno));
	a = load(BPF_PROG_TYPE_SCHED_CLS, OX_BPF_TCX_INGRESS, 0);
	b = load(BPF_PROG_TYPE_SCHED_CLS, OX_BPF_TCX_INGRESS, 0);
	c = load(BPF_PROG_TYPE_SCHED_CLS, OX_BPF_TCX_INGRESS, 0);
	CHECK(a >= 0 && b >= 0 && c >= 0);

	query_tcx("empty", ids, &cnt, &rev0);
	CHECK_EQ(cnt, 0);
	la = bpf_link_create(a, 1, OX_BPF_TCX_INGRESS, NULL);
	CHECK(fd_ok(la));
	/* B before A, by A's program fd. */
	LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = OX_BPF_F_BEFORE, .tcx.relative_fd = a);
	lb = bpf_link_create(b, 1, OX_BPF_TCX_INGRESS, &lo);
	CHECK(fd_ok(lb));
	query_tcx("two links", ids, &cnt, &rev);
	CHECK_EQ(cnt, 2);
	CHECK_EQ(ids[0], id_of(b));
	CHECK_EQ(ids[1], id_of(a));
	CHECK(rev > rev0);
	/* Both a relative fd and id: refused before the kernel. */
	lo.tcx.relative_id = id_of(a);
	CHECK_EQ(bpf_link_create(c, 1, OX_BPF_TCX_INGRESS, &lo), -EINVAL);
	/* Wrong expected revision: ESTALE. */
	LIBBPF_OPTS(bpf_prog_attach_opts, ao, .flags = OX_BPF_F_AFTER, .relative_id = id_of(a),
		    .expected_revision = rev + 100);
	CHECK_EQ(bpf_prog_attach_opts(c, 1, OX_BPF_TCX_INGRESS, &ao), -ESTALE);
	CHECK_EQ(errno, ESTALE);
	/* C after A by id, with the right revision. */
	ao.expected_revision = rev;
	CHECK_EQ(bpf_prog_attach_opts(c, 1, OX_BPF_TCX_INGRESS, &ao), 0);
	query_tcx("three", ids, &cnt, &rev);
	CHECK_EQ(cnt, 3);
	CHECK_EQ(ids[2], id_of(c));
	ao.relative_fd = a;
	CHECK_EQ(bpf_prog_attach_opts(c, 1, OX_BPF_TCX_INGRESS, &ao), -EINVAL);
	LIBBPF_OPTS(bpf_prog_detach_opts, dopt, .expected_revision = rev + 7);
	CHECK_EQ(bpf_prog_detach_opts(c, 1, OX_BPF_TCX_INGRESS, &dopt), -ESTALE);
	dopt.expected_revision = 0;
	CHECK_EQ(bpf_prog_detach_opts(c, 1, OX_BPF_TCX_INGRESS, &dopt), 0);
	struct bpf_link_info li = {};
	__u32 len = sizeof(li);
	CHECK_EQ(bpf_link_get_info_by_fd(lb, &li, &len), 0);
	CHECK_EQ(li.type, OX_BPF_LINK_TYPE_TCX);
	CHECK_EQ(bpf_link_detach(lb), 0);
	query_tcx("after detach", ids, &cnt, &rev);
	CHECK_EQ(cnt, 1);
	close(la);
	close(lb);

	/* Netfilter: IPv4 LOCAL_IN hook. */
	nf = load(OX_BPF_PROG_TYPE_NETFILTER, OX_BPF_NETFILTER, 1 /* NF_ACCEPT */);
	CHECK(nf >= 0);
	LIBBPF_OPTS(bpf_link_create_opts, no, .netfilter.pf = 2, .netfilter.hooknum = 1, .netfilter.priority = -50);
	nfl = bpf_link_create(nf, 0, OX_BPF_NETFILTER, &no);
	CHECKM(fd_ok(nfl), "netfilter link %d errno %d", nfl, errno);
	__u32 nfinfo[16] = {};
	len = sizeof(nfinfo);
	CHECK_EQ(bpf_link_get_info_by_fd(nfl, (void *)nfinfo, &len), 0);
	CHECK_EQ(nfinfo[0], OX_BPF_LINK_TYPE_NETFILTER);
	CHECK_EQ(nfinfo[4], 2); /* pf */
	CHECK_EQ(nfinfo[5], 1); /* hooknum */
	CHECK_EQ((int)nfinfo[6], -50); /* priority */
	no.netfilter.priority = INT32_MIN; /* reserved for the first hook: refused by the kernel */
	CHECK_EQ(bpf_link_create(nf, 0, OX_BPF_NETFILTER, &no), -ERANGE);
	close(nfl);
	close(nf);
	close(a);
	close(b);
	close(c);
}

__attribute__((noinline)) int ox_uprobe_target(int x)
{
	asm volatile("" ::: "memory");
	return x + 1;
}

/* The file offset of a function of this executable, from /proc/self/maps. */
static unsigned long file_offset_of(void *fn, char *path, size_t path_len)
{
	unsigned long addr = (unsigned long)fn, lo, hi, off;
	char line[512], perms[8], file[256];
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long ret = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %255s", &lo, &hi, perms, &off, file) == 5 && addr >= lo &&
		    addr < hi) {
			ret = addr - lo + off;
			snprintf(path, path_len, "%s", file);
			break;
		}
	}
	if (f)
		fclose(f);
	return ret;
}

static void test_uprobe_multi(void)
{
	char path[256];
	unsigned long off = file_offset_of((void *)ox_uprobe_target, path, sizeof(path));
	int map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_upm_cnt", 4, 8, 1, NULL);
	struct bpf_insn insns[] = {
		I_ST_W(BPF_REG_10, -4, 0),
		I_LD_MAP_FD(BPF_REG_1, map),
		I_MOV64_REG(BPF_REG_2, BPF_REG_10),
		I_ADD64_IMM(BPF_REG_2, -4),
		I_CALL(OX_BPF_FUNC_map_lookup_elem),
		I_JEQ_IMM(BPF_REG_0, 0, 3),
		I_LDX_DW(BPF_REG_1, BPF_REG_0, 0),
		I_ADD64_IMM(BPF_REG_1, 1),
		((struct bpf_insn){ .code = BPF_STX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_1 }),
		I_MOV64_IMM(BPF_REG_0, 0),
		I_EXIT(),
	};
	LIBBPF_OPTS(bpf_prog_load_opts, po, .expected_attach_type = OX_BPF_TRACE_UPROBE_MULTI);
	unsigned long offsets[1] = { off };
	LIBBPF_OPTS(bpf_link_create_opts, lo, .uprobe_multi.path = path, .uprobe_multi.offsets = offsets,
		    .uprobe_multi.cnt = 1, .uprobe_multi.pid = getpid());
	__u32 key = 0;
	__u64 hits = 0;
	int prog, link, sum = 0;

	CHECK(off != 0);
	prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "ox_upm", "GPL", insns, ARRAY_LEN(insns), &po);
	CHECKM(prog >= 0, "uprobe_multi prog: errno %d", errno);
	link = bpf_link_create(prog, 0, OX_BPF_TRACE_UPROBE_MULTI, &lo);
	CHECKM(fd_ok(link), "uprobe_multi link %d errno %d", link, errno);
	for (int i = 0; i < 3; i++)
		sum += ox_uprobe_target(i);
	CHECK_EQ(sum, 6);
	CHECK_EQ(bpf_map_lookup_elem(map, &key, &hits), 0);
	CHECK_EQ(hits, 3);
	__u32 info[16] = {};
	__u32 len = sizeof(info);
	CHECK_EQ(bpf_link_get_info_by_fd(link, (void *)info, &len), 0);
	CHECK_EQ(info[0], OX_BPF_LINK_TYPE_UPROBE_MULTI);
	close(link);
	/* A stray byte past uprobe_multi is refused. */
	lo.sz += 8;
	struct {
		struct bpf_link_create_opts o;
		__u64 extra;
	} big = { lo, 1 };
	CHECK_EQ(bpf_link_create(prog, 0, OX_BPF_TRACE_UPROBE_MULTI, &big.o), -EINVAL);
	close(prog);
	close(map);
}

static void test_func_info_fixup(void)
{
	/* [1] int, [2] int (void), [3] func "main" of [2]. */
	struct {
		struct btf_header h;
		__u32 t[4 + 3 + 3];
		char s[10];
	} __attribute__((packed)) raw = {
		{ BTF_MAGIC, BTF_VERSION, 0, sizeof(struct btf_header), 0, 40, 40, 10 },
		{ 1, BTF_KIND_INT << 24, 4, (BTF_INT_SIGNED << 24) | 32, 0, BTF_KIND_FUNC_PROTO << 24, 1, 5,
		  (BTF_KIND_FUNC << 24) | 1 /* global */, 2 },
		"\0int\0main",
	};
	/* Records of 12 bytes, 4 more than the kernel knows, with garbage there. */
	__u32 finfo[3] = { 0, 3, 0xdeadbeef };
	struct bpf_insn insns[] = { I_MOV64_IMM(BPF_REG_0, 0), I_EXIT() };
	int btf = bpf_btf_load(&raw, sizeof(raw), NULL), fd;
	LIBBPF_OPTS(bpf_prog_load_opts, o, .prog_btf_fd = btf, .func_info = finfo, .func_info_cnt = 1,
		    .func_info_rec_size = sizeof(finfo));

	CHECKM(btf >= 0, "btf %d errno %d", btf, errno);
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_finfo", "GPL", insns, 2, &o);
	CHECKM(fd >= 0, "func_info fix-up: %d errno %d", fd, errno);
	struct bpf_prog_info pi = {};
	__u32 len = sizeof(pi);
	CHECK_EQ(bpf_prog_get_info_by_fd(fd, &pi, &len), 0);
	CHECK_EQ(pi.nr_func_info, 1);
	CHECK_EQ(finfo[2], 0xdeadbeef); /* the caller's records are left alone */
	close(fd);
	close(btf);
}

static void test_misc(void)
{
	struct bpf_insn insns[] = { I_MOV64_IMM(BPF_REG_0, 0), I_EXIT() };
	int prog = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_misc", "GPL", insns, 2, NULL);
	int map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_bound", 4, 4, 1, NULL), stats, fd;
	unsigned char pkt[64] = {};
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt), .repeat = 5);
	struct bpf_prog_info pi = {};
	__u32 len = sizeof(pi), ids[2];
	char buf[64];

	/* Binding: the program now holds the map. */
	CHECK_EQ(bpf_prog_bind_map(prog, map, NULL), 0);
	pi.nr_map_ids = 2;
	pi.map_ids = (__u64)(unsigned long)ids;
	CHECK_EQ(bpf_prog_get_info_by_fd(prog, &pi, &len), 0);
	CHECK_EQ(pi.nr_map_ids, 1);
	CHECK_EQ(bpf_prog_bind_map(prog, -1, NULL), -EBADF);

	/* Statistics: run counts only while the stats fd is open. */
	stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
	CHECK(fd_ok(stats));
	CHECK_EQ(bpf_prog_test_run_opts(prog, &t), 0);
	memset(&pi, 0, sizeof(pi));
	len = sizeof(pi);
	CHECK_EQ(bpf_prog_get_info_by_fd(prog, &pi, &len), 0);
	CHECK(pi.run_cnt >= 5);
	close(stats);
	CHECK_EQ(bpf_enable_stats(1000), -EINVAL);

	/* Streams (6.17+): nothing written yet. */
	CHECK_EQ(bpf_prog_stream_read(prog, OX_BPF_STREAM_STDERR, buf, sizeof(buf), NULL), 0);
	CHECK(bpf_prog_stream_read(prog, 99, buf, sizeof(buf), NULL) < 0);

	/* Commands this kernel refuses: a token without delegation,
	 * struct_ops association (after 6.18). */
	fd = open("/sys/fs/bpf", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	errno = 0;
	CHECK(bpf_token_create(fd, NULL) < 0 && errno != 0);
	close(fd);
	CHECK_EQ(bpf_prog_assoc_struct_ops(prog, map, NULL), -EINVAL);

	/* A map-creation log on a kernel without common attributes: the map
	 * is created, true_size reported as 0. */
	char log[128] = "";
	LIBBPF_OPTS(bpf_log_opts, lg, .buf = log, .size = sizeof(log), .level = 1, .true_size = 77);
	LIBBPF_OPTS(bpf_map_create_opts, mo, .log_opts = &lg);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_logged", 4, 4, 1, &mo);
	CHECK(fd_ok(fd));
	CHECK_EQ(lg.true_size, 0);
	close(fd);

	/* A log level without a buffer is passed to the kernel (libbpf 1.8). */
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .log_level = 1);
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_lvl", "GPL", insns, 2, &lo);
	CHECK(fd_ok(fd));
	CHECK(lo.log_true_size > 0);
	close(fd);

	/* get_fd_by_id with a token this kernel cannot use. */
	LIBBPF_OPTS(bpf_get_fd_by_id_opts, io, .token_fd = 1000);
	CHECK(bpf_map_get_fd_by_id_opts(1, &io) < 0);
	close(prog);
	close(map);
}

int main(void)
{
	test_typed_info();
	test_path_fd();
	test_raw_tp_cookie();
	test_func_info_fixup();
	test_uprobe_multi();
	test_misc();
	test_tcx_and_netfilter(); /* last: moves the process into a new netns */
	return harness_done();
}
