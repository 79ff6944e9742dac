// oxbpf-test: differential
/*
 * Tracing attachments on the real kernel, each proven by the program's
 * counter: a tracepoint (syscalls/sys_enter_getppid) with and without a
 * cookie, a raw tracepoint, a BTF tracepoint, a software perf event
 * (cpu-clock, the link owning the event fd), a task iterator whose output
 * is read back, and auto-attachment from SEC() names. After destroy the
 * counters stop. Errors are the ones libbpf gets: unknown tracepoints,
 * unloaded programs, sections without target. Same lines against Debian's
 * libbpf (lines that differ between 1.1 and 1.8 go through note()).
 */
#include <stdlib.h>
#include <fcntl.h>
#include <time.h>
#include <sys/ioctl.h>
#include <linux/perf_event.h>
#include "harness.h"
#include "attach_util.h"

static struct bpf_object *obj;

static struct bpf_program *prog(const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);

	CHECKM(p != NULL, "program %s", name);
	return p;
}

static void test_tracepoint(void)
{
	struct bpf_program *p = prog("tp_getppid");
	LIBBPF_OPTS(bpf_tracepoint_opts, o, .bpf_cookie = 0x1234abcd);
	struct bpf_link *l;
	__u64 before;

	l = SHOW_LINK(bpf_program__attach_tracepoint(p, "syscalls", "sys_enter_getppid"));
	before = hits_of(obj, S_TP);
	getppid_n(3);
	printf("tracepoint hits: %llu\n", (unsigned long long)(hits_of(obj, S_TP) - before));
	CHECK(bpf_link__fd(l) > 2);
	CHECK_EQ(bpf_link__destroy(l), 0);
	before = hits_of(obj, S_TP);
	getppid_n(3);
	printf("after destroy: %llu\n", (unsigned long long)(hits_of(obj, S_TP) - before));

	l = SHOW_LINK(bpf_program__attach_tracepoint_opts(p, "syscalls", "sys_enter_getppid", &o));
	getppid_n(1);
	printf("tracepoint cookie: 0x%llx\n", (unsigned long long)cookie_of(obj, S_TP));
	bpf_link__destroy(l);

	SHOW_LINK(bpf_program__attach_tracepoint(p, "syscalls", "ox_no_such_tracepoint"));
	SHOW_LINK(bpf_program__attach_tracepoint(p, "ox_no_such_category", "x"));
	o.sz = 4;
	SHOW_LINK(bpf_program__attach_tracepoint_opts(p, "syscalls", "sys_enter_getppid", &o));

	/* Auto-attach from SEC("tp/syscalls/sys_enter_getppid"). */
	l = SHOW_LINK(bpf_program__attach(p));
	before = hits_of(obj, S_TP);
	getppid_n(2);
	printf("auto-attached tracepoint hits: %llu\n", (unsigned long long)(hits_of(obj, S_TP) - before));
	bpf_link__destroy(l);
}

static void test_raw_tracepoints(void)
{
	struct bpf_program *raw = prog("raw_sys_enter"), *btf = prog("btf_sys_enter");
	LIBBPF_OPTS(bpf_trace_opts, to, .cookie = 0x77);
	struct bpf_link *l;
	__u64 before;

	l = SHOW_LINK(bpf_program__attach_raw_tracepoint(raw, "sys_enter"));
	before = hits_of(obj, S_RAW_TP);
	getppid_n(4);
	printf("raw tracepoint hits: %llu\n", (unsigned long long)(hits_of(obj, S_RAW_TP) - before));
	bpf_link__destroy(l);
	before = hits_of(obj, S_RAW_TP);
	getppid_n(2);
	printf("after destroy: %llu\n", (unsigned long long)(hits_of(obj, S_RAW_TP) - before));
	SHOW_LINK(bpf_program__attach_raw_tracepoint(raw, "ox_no_such_tracepoint"));

	l = SHOW_LINK(bpf_program__attach(raw));
	before = hits_of(obj, S_RAW_TP);
	getppid_n(2);
	printf("auto-attached raw tracepoint hits: %llu\n", (unsigned long long)(hits_of(obj, S_RAW_TP) - before));
	bpf_link__destroy(l);

	/* BTF-typed raw tracepoint, attached to its load-time target. */
	l = SHOW_LINK(bpf_program__attach_trace(btf));
	before = hits_of(obj, S_TP_BTF);
	getppid_n(5);
	printf("tp_btf hits: %llu\n", (unsigned long long)(hits_of(obj, S_TP_BTF) - before));
	bpf_link__destroy(l);
	l = SHOW_LINK(bpf_program__attach(btf));
	bpf_link__destroy(l);
	/* libbpf 1.1 refuses a cookie for BPF_TRACE_RAW_TP links (EINVAL);
	 * 1.8 passes it to the kernel. */
	errno = 0;
	l = bpf_program__attach_trace_opts(btf, &to);
	getppid_n(1);
	note("tp_btf with cookie: %s errno=%d cookie 0x%llx", l ? "link" : "NULL", errno,
	     (unsigned long long)cookie_of(obj, S_TP_BTF));
	if (!harness_is_reference())
		CHECK_EQ(cookie_of(obj, S_TP_BTF), 0x77);
	bpf_link__destroy(l);
}

static void busy(int ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static int cpu_clock_event(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(a),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = 200000,
		.disabled = 1,
	};

	return syscall(__NR_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static void test_perf_event(void)
{
	struct bpf_program *p = prog("pe");
	LIBBPF_OPTS(bpf_perf_event_opts, o, .bpf_cookie = 0xfeed);
	struct bpf_link *l;
	__u64 before;
	int pfd;

	pfd = cpu_clock_event();
	CHECK(pfd >= 0);
	l = SHOW_LINK(bpf_program__attach_perf_event(p, pfd));
	before = hits_of(obj, S_PERF);
	busy(30);
	printf("perf event ran: %d\n", hits_of(obj, S_PERF) > before);
	CHECK_EQ(bpf_link__destroy(l), 0);
	/* The link owned the event: closed now. */
	printf("event fd closed by destroy: %d\n", fcntl(pfd, F_GETFD) < 0 && errno == EBADF);
	before = hits_of(obj, S_PERF);
	busy(10);
	printf("after destroy: %llu\n", (unsigned long long)(hits_of(obj, S_PERF) - before));

	pfd = cpu_clock_event();
	l = SHOW_LINK(bpf_program__attach_perf_event_opts(p, pfd, &o));
	busy(10);
	printf("perf cookie: 0x%llx\n", (unsigned long long)cookie_of(obj, S_PERF));
	bpf_link__destroy(l);

	SHOW_LINK(bpf_program__attach_perf_event(p, -1));
	SHOW_LINK(bpf_program__attach(p));
}

static void test_iter(void)
{
	struct bpf_program *p = prog("dump_task");
	char buf[4096], want[64], comm[32] = "";
	struct bpf_link *l;
	int fd, n, total = 0;
	FILE *f = fopen("/proc/self/comm", "r");

	if (f) {
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = 0;
		comm[strcspn(comm, "\n")] = 0;
		fclose(f);
	}
	l = SHOW_LINK(bpf_program__attach_iter(p, NULL));
	fd = bpf_iter_create(bpf_link__fd(l));
	CHECK(fd >= 0);
	while ((n = read(fd, buf + total, sizeof(buf) - 1 - total)) > 0)
		total += n;
	buf[total] = 0;
	close(fd);
	snprintf(want, sizeof(want), "task %d %s\n", getpid(), comm);
	printf("iterator output has this task: %d\n", strstr(buf, want) != NULL);
	bpf_link__destroy(l);
	l = SHOW_LINK(bpf_program__attach(p));
	bpf_link__destroy(l);
}

static void test_no_target(void)
{
	/* Valid sections naming no target; sections without auto-attach. */
	SHOW_LINK(bpf_program__attach(prog("up")));
	SHOW_LINK(bpf_program__attach(prog("uretp")));
	SHOW_LINK(bpf_program__attach(prog("xdp_count")));
	SHOW_LINK(bpf_program__attach(prog("cg_sock")));
}

static void test_denied(void)
{
	struct bpf_object *d = bpf_object__open_file(prog_path("attach_denied.bpf.o"), NULL);
	struct bpf_program *p;
	const char *syms[] = { "do_nanosleep" };
	LIBBPF_OPTS(bpf_kprobe_multi_opts, mo, .syms = syms, .cnt = 1);
	LIBBPF_OPTS(bpf_ksyscall_opts, so, .retprobe = true);

	CHECK(d != NULL);
	/* fentry/fexit/fmod_ret/LSM: lockdown refuses the load itself. */
	bpf_object__for_each_program(p, d) {
		const char *sec = bpf_program__section_name(p);

		bpf_program__set_autoload(p, strncmp(sec, "fentry", 6) == 0);
	}
	SHOW_RET(bpf_object__load(d));
	bpf_object__close(d);

	d = bpf_object__open_file(prog_path("attach_denied.bpf.o"), NULL);
	bpf_object__for_each_program(p, d) {
		const char *sec = bpf_program__section_name(p);

		bpf_program__set_autoload(p, sec[0] == 'k');
	}
	SHOW_RET(bpf_object__load(d));
	p = bpf_object__find_program_by_name(d, "kp");
	SHOW_LINK(bpf_program__attach_kprobe(p, false, "do_nanosleep"));
	SHOW_LINK(bpf_program__attach_kprobe(p, true, "do_nanosleep"));
	SHOW_LINK(bpf_program__attach(p));
	SHOW_LINK(bpf_program__attach(bpf_object__find_program_by_name(d, "krp")));
	SHOW_LINK(bpf_program__attach_ksyscall(p, "nanosleep", NULL));
	SHOW_LINK(bpf_program__attach_ksyscall(p, "nanosleep", &so));
	SHOW_LINK(bpf_program__attach(bpf_object__find_program_by_name(d, "ksc")));
	p = bpf_object__find_program_by_name(d, "kpm");
	SHOW_LINK(bpf_program__attach_kprobe_multi_opts(p, NULL, &mo));
	SHOW_LINK(bpf_program__attach_kprobe_multi_opts(p, "do_nanosleep", &mo));
	SHOW_LINK(bpf_program__attach_kprobe_multi_opts(p, NULL, NULL));
	/* With a pattern, 1.8 reads available_filter_functions_addrs, which
	 * lockdown makes unreadable (EPERM); 1.1 reads kallsyms and gets the
	 * kernel's refusal. */
	{
		struct bpf_link *ml;

		errno = 0;
		ml = bpf_program__attach(p);
		note("kprobe.multi pattern: %s errno=%d", ml ? "link" : "NULL", errno);
		if (!harness_is_reference())
			CHECK(!ml && errno == EPERM);
		bpf_link__destroy(ml);
	}
	/* Not loaded: refused before the kernel. */
	SHOW_LINK(bpf_program__attach_trace(bpf_object__find_program_by_name(d, "fen")));
	SHOW_LINK(bpf_program__attach_lsm(bpf_object__find_program_by_name(d, "lsm_open")));
	SHOW_LINK(bpf_program__attach_kprobe(bpf_object__find_program_by_name(d, "fen"), false, "do_nanosleep"));
	bpf_object__close(d);
	/* No tracefs event may stay behind. */
	printf("own kprobe events left: %d\n", own_probe_events("/sys/kernel/tracing/kprobe_events"));
}

int main(void)
{
	int fds;

	libbpf_set_print(quiet_print);
	fds = count_fds();
	obj = bpf_object__open_file(prog_path("attach_kinds.bpf.o"), NULL);
	if (!obj)
		SKIP("cannot open attach_kinds.bpf.o");
	SHOW_RET(bpf_object__load(obj));
	CHECK_EQ(set_test_pid(obj), 0);

	test_tracepoint();
	test_raw_tracepoints();
	test_perf_event();
	test_iter();
	test_no_target();
	bpf_object__close(obj);
	test_denied();
	printf("fds left open: %d\n", count_fds() - fds);
	return harness_done();
}
