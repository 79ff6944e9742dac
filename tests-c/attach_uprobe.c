// oxbpf-test: differential
// oxbpf-test: cflags -fcf-protection=full
/*
 * Uprobes on the real kernel, proven by the programs' counters: a function
 * of this test binary by name and by file offset, its return value seen
 * by a uretprobe, an attach cookie, a pid filter, a reference counter
 * (USDT-style semaphore) incremented while attached; a libc function found
 * through libbpf's library search ("libc.so.6") by name and by offset;
 * auto-attachment of SEC("uprobe//proc/self/exe:func[+off]") and
 * SEC("uprobe/libc.so.6:getppid"), and the errors of bad targets. Same
 * lines against Debian's libbpf (versioned names, new in libbpf 1.3,
 * through note()).
 */
#include <stdlib.h>
#include <dlfcn.h>
#include "harness.h"
#include "attach_util.h"

/* The functions probed (kept out of line, and called through volatile
 * pointers so that the calls stay). */
__attribute__((noinline, used)) int ox_uprobe_target(int x)
{
	asm volatile("" ::: "memory");
	return x * 3 + 1;
}

__attribute__((noinline, used)) int ox_auto_target(int x)
{
	asm volatile("" ::: "memory");
	return x + 100;
}

/* A USDT-style semaphore: the kernel counts attached probes in it. */
volatile unsigned short ox_semaphore __attribute__((section(".probes"), used));

static int (*volatile call_target)(int) = ox_uprobe_target;
static int (*volatile call_auto)(int) = ox_auto_target;
static pid_t (*volatile call_getppid)(void) = getppid;

static struct bpf_object *obj;
static char exe[4096];

static struct bpf_program *prog(struct bpf_object *o, const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(o, name);

	CHECKM(p != NULL, "program %s", name);
	return p;
}

/* The file offset of `addr` in the file mapped there (from /proc/self/maps). */
static long file_offset(const void *addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	long res = -1;

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long s, e, off;

		if (sscanf(line, "%lx-%lx %*s %lx", &s, &e, &off) == 3 && (unsigned long)addr >= s &&
		    (unsigned long)addr < e) {
			res = (long)((unsigned long)addr - s + off);
			break;
		}
	}
	if (f)
		fclose(f);
	return res;
}

static __u64 delta(__u32 slot, __u64 before)
{
	return hits_of(obj, slot) - before;
}

static void test_own_binary(void)
{
	struct bpf_program *up = prog(obj, "up"), *ret = prog(obj, "uretp");
	LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = "ox_uprobe_target", .bpf_cookie = 0xc0c0);
	long off = file_offset((void *)ox_uprobe_target);
	struct bpf_link *l;
	__u64 b;

	/* By name, for this process. */
	l = SHOW_LINK(bpf_program__attach_uprobe_opts(up, 0, exe, 0, &o));
	b = hits_of(obj, S_UPROBE);
	call_target(1);
	call_target(2);
	call_target(3);
	printf("uprobe by name: %llu hits, cookie 0x%llx\n", (unsigned long long)delta(S_UPROBE, b),
	       (unsigned long long)cookie_of(obj, S_UPROBE));
	CHECK_EQ(bpf_link__destroy(l), 0);
	b = hits_of(obj, S_UPROBE);
	call_target(1);
	printf("after destroy: %llu\n", (unsigned long long)delta(S_UPROBE, b));

	/* By file offset, for every process. */
	CHECK(off > 0);
	l = SHOW_LINK(bpf_program__attach_uprobe(up, false, -1, exe, off));
	b = hits_of(obj, S_UPROBE);
	call_target(4);
	call_target(5);
	printf("uprobe by offset: %llu hits\n", (unsigned long long)delta(S_UPROBE, b));
	bpf_link__destroy(l);

	/* The return probe sees the return value. */
	o.retprobe = true;
	l = SHOW_LINK(bpf_program__attach_uprobe_opts(ret, -1, exe, 0, &o));
	b = hits_of(obj, S_URETPROBE);
	call_target(10);
	printf("uretprobe: %llu hits, return value %llu\n", (unsigned long long)delta(S_URETPROBE, b),
	       (unsigned long long)cookie_of(obj, S_URETPROBE));
	bpf_link__destroy(l);
	o.retprobe = false;

	/* Another process only: this one's calls are not seen. */
	l = SHOW_LINK(bpf_program__attach_uprobe_opts(up, 1, exe, 0, &o));
	b = hits_of(obj, S_UPROBE);
	call_target(1);
	printf("uprobe for pid 1: %llu hits\n", (unsigned long long)delta(S_UPROBE, b));
	bpf_link__destroy(l);

	/* A reference counter the kernel increments while attached. */
	LIBBPF_OPTS(bpf_uprobe_opts, so, .func_name = "ox_uprobe_target",
		    .ref_ctr_offset = file_offset((const void *)&ox_semaphore));
	printf("semaphore before: %u\n", ox_semaphore);
	l = SHOW_LINK(bpf_program__attach_uprobe_opts(up, 0, exe, 0, &so));
	printf("semaphore while attached: %u\n", ox_semaphore);
	bpf_link__destroy(l);
	printf("semaphore after destroy: %u\n", ox_semaphore);

	/* Bad targets. */
	o.func_name = "ox_no_such_function";
	SHOW_LINK(bpf_program__attach_uprobe_opts(up, -1, exe, 0, &o));
	o.func_name = "ox_uprobe_target";
	SHOW_LINK(bpf_program__attach_uprobe_opts(up, -1, "ox-no-such-binary", 0, &o));
	SHOW_LINK(bpf_program__attach_uprobe_opts(up, -1, "/ox/no/such/binary", 0, &o));
	SHOW_LINK(bpf_program__attach_uprobe(up, false, -1, "/ox/no/such/binary", 0x1000));
	SHOW_LINK(bpf_program__attach_uprobe_opts(up, -1, NULL, 0, &o));
}

static void test_libc(void)
{
	struct bpf_program *up = prog(obj, "up");
	LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = "getppid");
	long off = file_offset((void *)dlsym(RTLD_DEFAULT, "getppid"));
	struct bpf_link *l;
	__u64 b;

	/* A bare library name is searched like the dynamic loader does. */
	l = SHOW_LINK(bpf_program__attach_uprobe_opts(up, 0, "libc.so.6", 0, &o));
	b = hits_of(obj, S_UPROBE);
	call_getppid();
	call_getppid();
	printf("libc uprobe by name: %llu hits\n", (unsigned long long)delta(S_UPROBE, b));
	bpf_link__destroy(l);

	CHECK(off > 0);
	l = SHOW_LINK(bpf_program__attach_uprobe(up, false, 0, "libc.so.6", off));
	b = hits_of(obj, S_UPROBE);
	call_getppid();
	printf("libc uprobe by offset: %llu hits\n", (unsigned long long)delta(S_UPROBE, b));
	bpf_link__destroy(l);

	/* name@@VERSION: libbpf 1.3 and later. */
	o.func_name = "getppid@@GLIBC_2.2.5";
	errno = 0;
	l = bpf_program__attach_uprobe_opts(up, 0, "libc.so.6", 0, &o);
	b = hits_of(obj, S_UPROBE);
	call_getppid();
	note("versioned libc name: %s errno=%d hits %llu", l ? "link" : "NULL", errno, (unsigned long long)delta(S_UPROBE, b));
	if (!harness_is_reference())
		CHECK(l && delta(S_UPROBE, b) == 1);
	bpf_link__destroy(l);
	o.func_name = "getppid@GLIBC_9.9";
	errno = 0;
	l = bpf_program__attach_uprobe_opts(up, 0, "libc.so.6", 0, &o);
	note("unknown version: %s errno=%d", l ? "link" : "NULL", errno);
	if (!harness_is_reference())
		CHECK(!l && errno == ENOENT);
	bpf_link__destroy(l);
}

static void test_auto(void)
{
	struct bpf_object *a = bpf_object__open_file(prog_path("attach_uprobe.bpf.o"), NULL);
	struct bpf_link *entry, *ret, *libc, *plus;
	__u64 b0, b1, b2, b3;

	CHECK(a != NULL);
	SHOW_RET(bpf_object__load(a));
	obj = a;
	CHECK_EQ(set_test_pid(a), 0);
	entry = SHOW_LINK(bpf_program__attach(prog(a, "auto_entry")));
	ret = SHOW_LINK(bpf_program__attach(prog(a, "auto_return")));
	libc = SHOW_LINK(bpf_program__attach(prog(a, "auto_libc")));
	plus = SHOW_LINK(bpf_program__attach(prog(a, "auto_offset")));
	b0 = hits_of(a, S_UPROBE);
	b1 = hits_of(a, S_URETPROBE);
	b2 = hits_of(a, S_SKEL_UPROBE);
	b3 = hits_of(a, S_PERF);
	call_auto(1);
	call_auto(2);
	call_getppid();
	printf("auto-attached: entry %llu, return %llu (value %llu), libc %llu, +4 %llu\n",
	       (unsigned long long)delta(S_UPROBE, b0), (unsigned long long)delta(S_URETPROBE, b1),
	       (unsigned long long)cookie_of(a, S_URETPROBE), (unsigned long long)delta(S_SKEL_UPROBE, b2),
	       (unsigned long long)delta(S_PERF, b3));
	bpf_link__destroy(entry);
	bpf_link__destroy(ret);
	bpf_link__destroy(libc);
	bpf_link__destroy(plus);
	SHOW_LINK(bpf_program__attach(prog(a, "auto_missing")));
	SHOW_LINK(bpf_program__attach(prog(a, "auto_bad_ret")));
	SHOW_LINK(bpf_program__attach(prog(a, "auto_no_func")));
	bpf_object__close(a);
}

int main(void)
{
	ssize_t n;
	int fds;

	libbpf_set_print(quiet_print);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	CHECK(n > 0);
	exe[n > 0 ? n : 0] = 0;
	fds = count_fds();
	obj = bpf_object__open_file(prog_path("attach_kinds.bpf.o"), NULL);
	if (!obj)
		SKIP("cannot open attach_kinds.bpf.o");
	SHOW_RET(bpf_object__load(obj));
	CHECK_EQ(set_test_pid(obj), 0);
	test_own_binary();
	test_libc();
	bpf_object__close(obj);
	test_auto();
	printf("own uprobe events left: %d\n", own_probe_events("/sys/kernel/tracing/uprobe_events"));
	printf("fds left open: %d\n", count_fds() - fds);
	return harness_done();
}
