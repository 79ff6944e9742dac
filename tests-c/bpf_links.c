// oxbpf-test: differential
/*
 * Links on the real kernel: an iterator link made with bpf_link_create and
 * read through bpf_iter_create; a raw tracepoint opened and seen through
 * bpf_task_fd_query and the link's info; a perf-event link with a cookie on
 * a tracepoint; the link id walk; kprobe_multi refused by this kernel's
 * lockdown exactly as libbpf gets it. Same lines against Debian's libbpf.
 */
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include "harness.h"
#include "syscall_util.h"

#ifndef BPF_FUNC_seq_write
#define BPF_FUNC_seq_write 127
#endif

static void test_iter(void)
{
	/* For each map: seq_write(meta->seq, "ox\n", 3). */
	struct bpf_insn insns[] = {
		I_LDX_DW(BPF_REG_6, BPF_REG_1, 0), /* meta */
		I_LDX_DW(BPF_REG_7, BPF_REG_1, 8), /* map or NULL */
		I_JEQ_IMM(BPF_REG_7, 0, 6),
		I_LDX_DW(BPF_REG_1, BPF_REG_6, 0), /* meta->seq */
		I_ST_W(BPF_REG_10, -8, 0x0a786f),
		I_MOV64_REG(BPF_REG_2, BPF_REG_10),
		I_ADD64_IMM(BPF_REG_2, -8),
		I_MOV64_IMM(BPF_REG_3, 3),
		I_CALL(BPF_FUNC_seq_write),
		I_MOV64_IMM(BPF_REG_0, 0),
		I_EXIT(),
	};
	__u32 btf_id = vmlinux_btf_id("bpf_iter_bpf_map", BTF_KIND_FUNC);
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_ITER, .attach_btf_id = btf_id);
	char log[8192] = "", buf[4096];
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	int prog, link, iter, n, total = 0, ok = 1;

	CHECK(btf_id > 0);
	o.log_buf = log;
	o.log_size = sizeof(log);
	prog = SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_TRACING, "ox_iter", "GPL", insns, ARRAY_LEN(insns), &o));
	if (prog < 0)
		fprintf(stderr, "%s\n", log);
	link = SHOW_FD(bpf_link_create(prog, 0, BPF_TRACE_ITER, NULL));
	CHECK(fd_ok(link));
	SHOW(bpf_obj_get_info_by_fd(link, &info, &len));
	printf("iter link type %u prog matches %d\n", info.type, info.prog_id != 0);
	int keep = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_it_seen", 4, 4, 1, NULL); /* at least one map to visit */
	iter = SHOW_FD(bpf_iter_create(link));
	CHECK(fd_ok(iter));
	while ((n = read(iter, buf, sizeof(buf))) > 0) {
		for (int i = 0; i < n; i += 3)
			ok &= i + 2 < n && buf[i] == 'o' && buf[i + 1] == 'x' && buf[i + 2] == '\n';
		total += n;
	}
	printf("iterator output: %s, well formed %d, read end %d\n", total > 0 ? "non-empty" : "empty", ok, n);
	close(iter);
	close(keep);
	SHOW_FD(bpf_iter_create(prog)); /* not a link */
	SHOW(bpf_link_update(link, prog, NULL));

	/* Iterator info: a map iterator over one map. */
	int map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_it_map", 4, 4, 1, NULL);
	union bpf_iter_link_info li = { .map.map_fd = map };
	LIBBPF_OPTS(bpf_link_create_opts, lo, .iter_info = &li, .iter_info_len = sizeof(li));
	SHOW_FD(bpf_link_create(prog, 0, BPF_TRACE_ITER, &lo)); /* bpf_map iterators take no map */
	lo.target_btf_id = 1;
	SHOW_FD(bpf_link_create(prog, 0, BPF_TRACE_ITER, &lo)); /* both set */
	close(map);
	close(link);
	close(prog);
}

static void test_raw_tp(void)
{
	struct bpf_insn insns[] = { I_MOV64_IMM(BPF_REG_0, 0), I_EXIT() };
	struct bpf_prog_info pinfo = {};
	struct bpf_link_info info = {};
	char name[64] = "", small[4];
	__u32 len = sizeof(pinfo), buf_len = sizeof(name), prog_id = 0, fd_type = 99, id;
	__u64 off = 1, addr = 1;
	int prog, link, found = 0, fd;

	prog = SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "ox_rawtp", "GPL", insns, 2, NULL));
	CHECK_EQ(bpf_obj_get_info_by_fd(prog, &pinfo, &len), 0);
	link = SHOW_FD(bpf_raw_tracepoint_open("sched_switch", prog));
	CHECK(fd_ok(link));
	SHOW(bpf_task_fd_query(getpid(), link, 0, name, &buf_len, &prog_id, &fd_type, &off, &addr));
	printf("task_fd_query: name '%s' len %u type %u same prog %d off %llu addr %llu\n", name, buf_len, fd_type,
	       prog_id == pinfo.id, (unsigned long long)off, (unsigned long long)addr);
	buf_len = sizeof(small);
	SHOW(bpf_task_fd_query(getpid(), link, 0, small, &buf_len, &prog_id, &fd_type, &off, &addr));
	printf("small buffer: len %u text '%.3s'\n", buf_len, small);
	buf_len = sizeof(name);
	SHOW(bpf_task_fd_query(getpid(), 0, 0, name, &buf_len, &prog_id, &fd_type, &off, &addr));

	info.raw_tracepoint.tp_name = (__u64)(unsigned long)name;
	info.raw_tracepoint.tp_name_len = sizeof(name);
	len = sizeof(info);
	memset(name, 0, sizeof(name));
	SHOW(bpf_obj_get_info_by_fd(link, &info, &len));
	printf("raw tp link: type %u tp '%s' same prog %d\n", info.type, name, info.prog_id == pinfo.id);
	id = info.id;
	for (__u32 cur = 0; bpf_link_get_next_id(cur, &cur) == 0;)
		found += cur == id;
	printf("link walk finds ours: %d\n", found);
	fd = SHOW_FD(bpf_link_get_fd_by_id(id));
	CHECK(fd_ok(fd));
	close(fd);
	SHOW_FD(bpf_raw_tracepoint_open("ox_no_such_tracepoint", prog));
	SHOW_FD(bpf_raw_tracepoint_open("sched_switch", -1));
	close(link);
	close(prog);
}

static int tracepoint_id(const char *cat, const char *name)
{
	char path[256];
	int id = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%s/%s/id", cat, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &id) != 1)
		id = -1;
	fclose(f);
	return id;
}

static void test_perf_event_link(void)
{
	struct bpf_insn insns[] = { I_MOV64_IMM(BPF_REG_0, 0), I_EXIT() };
	struct perf_event_attr pa = { .type = PERF_TYPE_TRACEPOINT, .size = sizeof(pa), .sample_period = 1 };
	LIBBPF_OPTS(bpf_link_create_opts, lo, .perf_event.bpf_cookie = 0x1234);
	char name[64] = "";
	__u32 buf_len = sizeof(name), prog_id, fd_type;
	__u64 off, addr;
	int prog, pfd, link;

	pa.config = tracepoint_id("sched", "sched_switch");
	CHECK(pa.config != (__u64)-1);
	pfd = syscall(__NR_perf_event_open, &pa, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	CHECK(pfd >= 0);
	prog = SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "ox_tp", "GPL", insns, 2, NULL));
	link = SHOW_FD(bpf_link_create(prog, pfd, BPF_PERF_EVENT, &lo));
	CHECK(fd_ok(link));
	SHOW(bpf_task_fd_query(getpid(), pfd, 0, name, &buf_len, &prog_id, &fd_type, &off, &addr));
	printf("perf event: name '%s' fd_type %u\n", name, fd_type);
	close(link);
	/* A byte set past the perf_event member. */
	lo.kprobe_multi.cookies = (void *)1;
	SHOW_FD(bpf_link_create(prog, pfd, BPF_PERF_EVENT, &lo));
	close(prog);
	close(pfd);
}

static void test_kprobe_multi_refused(void)
{
	struct bpf_insn insns[] = { I_MOV64_IMM(BPF_REG_0, 0), I_EXIT() };
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_KPROBE_MULTI);
	const char *syms[] = { "do_nanosleep" };
	LIBBPF_OPTS(bpf_link_create_opts, lo, .kprobe_multi.syms = syms, .kprobe_multi.cnt = 1);
	int prog = SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_KPROBE, "ox_kpm", "GPL", insns, 2, &o));
	int link = SHOW_FD(bpf_link_create(prog, 0, BPF_TRACE_KPROBE_MULTI, &lo));

	if (link >= 0)
		close(link);
	close(prog);
}

int main(void)
{
	test_iter();
	test_raw_tp();
	test_perf_event_link();
	test_kprobe_multi_refused();
	return harness_done();
}
