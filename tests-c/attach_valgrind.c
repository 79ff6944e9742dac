// oxbpf-test: valgrind
/*
 * Attach and destroy links of several kinds (tracepoint, raw and BTF
 * tracepoints, perf event, iterator, uprobes through the PMU and through
 * a legacy tracefs event, multi-uprobe, pinned and reopened links, a
 * disconnected link, failures of each family) and a skeleton's
 * attach/detach/destroy, under valgrind: no error, no leak, no fd and no
 * tracefs event left behind. (Probed functions are not called here:
 * valgrind runs its own copy of the code.)
 */
#include <stdlib.h>
#include <time.h>
#include <linux/perf_event.h>
#include "harness.h"
#include "attach_util.h"
#include "attach_skel.skel.h"

__attribute__((noinline, used)) int ox_skel_target(int x)
{
	return x + 7;
}

static struct bpf_object *obj;
static char exe[4096];

static struct bpf_program *prog(const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);

	CHECKM(p != NULL, "program %s", name);
	return p;
}

static void kinds(void)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = "ox_skel_target");
	struct perf_event_attr pa = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(pa), .config = PERF_COUNT_SW_CPU_CLOCK,
				      .sample_period = 1000000 };
	struct bpf_link *l;
	char path[128], buf[256];
	__u64 b;
	int pfd, fd;

	l = bpf_program__attach(prog("tp_getppid"));
	b = hits_of(obj, S_TP);
	getppid_n(2);
	CHECK_EQ(hits_of(obj, S_TP) - b, 2);
	CHECK_EQ(bpf_link__destroy(l), 0);
	l = bpf_program__attach(prog("raw_sys_enter"));
	CHECK(l != NULL);
	snprintf(path, sizeof(path), "/sys/fs/bpf/ox_vg_%d/link", getpid());
	CHECK_EQ(bpf_link__pin(l, path), 0);
	bpf_link__destroy(l);
	l = bpf_link__open(path);
	CHECK(l != NULL);
	CHECK_EQ(bpf_link__unpin(l), 0);
	bpf_link__destroy(l);
	snprintf(path, sizeof(path), "/sys/fs/bpf/ox_vg_%d", getpid());
	rmdir(path);
	l = bpf_program__attach_trace(prog("btf_sys_enter"));
	CHECK(l != NULL);
	bpf_link__destroy(l);

	pfd = syscall(__NR_perf_event_open, &pa, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	l = bpf_program__attach_perf_event(prog("pe"), pfd);
	CHECK(l != NULL);
	bpf_link__destroy(l);

	l = bpf_program__attach_iter(prog("dump_task"), NULL);
	fd = bpf_iter_create(bpf_link__fd(l));
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	bpf_link__destroy(l);

	l = bpf_program__attach_uprobe_opts(prog("up"), 0, exe, 0, &uo);
	CHECK(l != NULL);
	bpf_link__destroy(l);
	uo.attach_mode = PROBE_ATTACH_MODE_LEGACY;
	uo.retprobe = true;
	l = bpf_program__attach_uprobe_opts(prog("uretp"), -1, exe, 0, &uo);
	CHECK(l != NULL);
	CHECK_EQ(own_probe_events("/sys/kernel/tracing/uprobe_events"), 1);
	bpf_link__destroy(l);
	CHECK_EQ(own_probe_events("/sys/kernel/tracing/uprobe_events"), 0);

	l = bpf_program__attach_raw_tracepoint(prog("raw_sys_enter"), "sys_enter");
	fd = bpf_link__fd(l);
	bpf_link__disconnect(l);
	bpf_link__destroy(l);
	CHECK_EQ(close(fd), 0);

	/* Failures release what they made. */
	CHECK(!bpf_program__attach_tracepoint(prog("tp_getppid"), "syscalls", "ox_none"));
	CHECK(!bpf_program__attach_kprobe(prog("up"), false, "do_nanosleep"));
	CHECK(!bpf_program__attach_ksyscall(prog("up"), "getppid", NULL));
	uo.attach_mode = 0;
	uo.func_name = "ox_no_such_function";
	CHECK(!bpf_program__attach_uprobe_opts(prog("up"), -1, exe, 0, &uo));
	CHECK(!bpf_program__attach_uprobe_opts(prog("up"), -1, "libc.so.6", 0, &uo));
	CHECK(!bpf_program__attach_raw_tracepoint(prog("raw_sys_enter"), "ox_none"));
	CHECK(!bpf_link__open("/sys/fs/bpf/ox_no_such_link"));
	CHECK(!bpf_program__attach(prog("xdp_count")));
	CHECK(!bpf_program__attach(prog("up")));
	CHECK(!bpf_program__attach_kprobe_multi_opts(prog("up"), "do_nanosleep", NULL));
	CHECK(!bpf_program__attach_uprobe_multi(prog("up"), -1, exe, "ox_none*", NULL));
	CHECK(!bpf_program__attach_tracing_multi(prog("btf_sys_enter"), "ox_none*", NULL));
}

static void skeleton(void)
{
	struct attach_skel *s = attach_skel__open();
	__u32 k = 0, pid = getpid();

	CHECK(s != NULL);
	if (!s)
		return;
	/* No handler for the custom section here: its program is left out.
	 * Under valgrind the kernel's /proc/self/exe is valgrind itself: the
	 * skeleton's uprobe on this binary is left out too. */
	bpf_program__set_autoload(s->progs.skel_custom, false);
	bpf_program__set_autoattach(s->progs.skel_up, false);
	CHECK_EQ(attach_skel__load(s), 0);
	bpf_map__update_elem(s->maps.cfg, &k, sizeof(k), &pid, sizeof(pid), 0);
	CHECK_EQ(attach_skel__attach(s), 0);
	getppid_n(1);
	attach_skel__detach(s);
	CHECK_EQ(attach_skel__attach(s), 0);
	attach_skel__destroy(s);
}

int main(void)
{
	ssize_t n;
	int fds;

	if (!getenv("OX_VERBOSE")) libbpf_set_print(quiet_print);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = 0;
	fds = count_fds();
	obj = bpf_object__open_file(prog_path("attach_kinds.bpf.o"), NULL);
	if (!obj)
		SKIP("cannot open attach_kinds.bpf.o");
	CHECK_EQ(bpf_object__load(obj), 0);
	CHECK_EQ(set_test_pid(obj), 0);
	kinds();
	bpf_object__close(obj);
	skeleton();
	CHECK_EQ(count_fds(), fds);
	CHECK_EQ(own_probe_events("/sys/kernel/tracing/uprobe_events"), 0);
	return harness_done();
}
