// oxbpf-test: differential
/*
 * Every fd the low-level API returns is close-on-exec and above stderr,
 * even when the process closed stdin and stderr so that the kernel would
 * hand out 0 and 2. Checked for each fd-returning function family.
 */
#include <bpf/bpf.h>
#include "harness.h"
#include "syscall_util.h"
#include <linux/btf.h>

static void show(const char *what, int fd)
{
	printf("%s: %s\n", what, fd_ok(fd) ? "fd >= 3, close-on-exec" : "BAD");
	CHECK(fd_ok(fd));
}

int main(void)
{
	struct bpf_insn insns[] = { I_MOV64_IMM(BPF_REG_0, 0), I_EXIT() };
	struct {
		struct btf_header h;
		__u32 t[4];
		char s[5];
	} __attribute__((packed)) raw = { { BTF_MAGIC, BTF_VERSION, 0, sizeof(struct btf_header), 0, 16, 16, 5 },
					  { 1, BTF_KIND_INT << 24, 4, 32 }, "\0int" };
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	char path[64];
	int map, prog, btf, fd, link, tp;

	close(0);
	close(2);
	map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_fdr", 4, 4, 1, NULL);
	show("bpf_map_create", map);
	prog = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_fdr", "GPL", insns, 2, NULL);
	show("bpf_prog_load", prog);
	btf = bpf_btf_load(&raw, sizeof(raw), NULL);
	show("bpf_btf_load", btf);
	bpf_obj_get_info_by_fd(map, &info, &len);
	fd = bpf_map_get_fd_by_id(info.id);
	show("bpf_map_get_fd_by_id", fd);
	close(fd);
	snprintf(path, sizeof(path), "/sys/fs/bpf/ox_fdr_%d", getpid());
	bpf_obj_pin(map, path);
	fd = bpf_obj_get(path);
	show("bpf_obj_get", fd);
	unlink(path);
	close(fd);
	tp = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "ox_fdr_tp", "GPL", insns, 2, NULL);
	link = bpf_raw_tracepoint_open("sched_switch", tp);
	show("bpf_raw_tracepoint_open", link);
	fd = bpf_link_get_fd_by_id(({
		struct bpf_link_info li = {};
		__u32 l = sizeof(li);
		bpf_obj_get_info_by_fd(link, &li, &l);
		li.id;
	}));
	show("bpf_link_get_fd_by_id", fd);
	close(fd);
	fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	show("bpf_enable_stats", fd);
	close(fd);
	close(link);
	close(tp);
	close(btf);
	close(prog);
	close(map);
	return harness_done();
}
