// oxbpf-test: valgrind
/* USDT attach and destroy under valgrind: no error, no leak, no fd left.
 * Valgrind runs its own copy of this program's code, so a probe fired in
 * this process would stop at the kernel's int3: the probes are fired by a
 * child that re-executes this binary ("fire"), which valgrind does not
 * follow. Covers explicit attachment (uprobes on several sites, a
 * semaphore, pid filter, cookies), auto-attach, a skeleton, a
 * disconnected link, a link destroyed after its object, and failures (unknown probe, missing binary, object
 * without USDT maps, unreadable argument). */
#include <sys/sdt.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "harness.h"
#include "attach_util.h"

__attribute__((noinline)) void fire_reg(int a, long b)
{
	STAP_PROBE2(test, reg, a, b);
}

__attribute__((noinline)) void fire_multi(int x)
{
	STAP_PROBE1(test, multi, 1);
	STAP_PROBE1(test, multi, x);
}

__attribute__((noinline)) void fire_auto(int x)
{
	STAP_PROBE1(test, auto, x);
}

long glob_val = 3;

__attribute__((noinline)) void fire_rip(void)
{
	STAP_PROBE1(test, rip, glob_val);
}

unsigned short test_sema_semaphore __attribute__((section(".probes"), used));

__attribute__((noinline)) void fire_sema(long x)
{
	__asm__ __volatile__("990: nop\n"
			     ".pushsection .note.stapsdt,\"\",\"note\"\n"
			     ".balign 4\n"
			     ".4byte 992f-991f, 994f-993f, 3\n"
			     "991: .asciz \"stapsdt\"\n"
			     "992: .balign 4\n"
			     "993: .8byte 990b\n"
			     ".8byte _.stapsdt.base\n"
			     ".8byte test_sema_semaphore\n"
			     ".asciz \"test\"\n"
			     ".asciz \"sema\"\n"
			     ".asciz \"-8@%%rdi\"\n"
			     "994: .balign 4\n"
			     ".popsection\n" ::"D"(x));
}

struct seen {
	long args[12];
	long hits;
	unsigned long long cookie;
	int arg_cnt;
	int arg_errs;
	int past_end;
	int pid;
};

#include "usdt_args.skel.h"

static char self_path[PATH_MAX];

/* Runs this binary natively (not under valgrind) to fire every probe. */
static void fire_in_child(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		execl(self_path, self_path, "fire", (char *)NULL);
		_exit(127);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static struct bpf_link *usdt(struct bpf_program *p, pid_t pid, const char *path, const char *name, unsigned long long cookie)
{
	LIBBPF_OPTS(bpf_usdt_opts, o, .usdt_cookie = cookie);

	return bpf_program__attach_usdt(p, pid, path, "test", name, &o);
}

static void explicit_links(void)
{
	struct bpf_object *obj = bpf_object__open_file(prog_path("usdt_args.bpf.o"), NULL);
	struct bpf_program *rec;
	struct bpf_link *reg, *multi, *sema, *self_only, *gone;
	struct usdt_args__bss img;
	struct seen *seen = img.seen;
	int key = 0;

	CHECK(obj);
	if (!obj)
		return;
	CHECK_EQ(bpf_object__load(obj), 0);
	rec = bpf_object__find_program_by_name(obj, "record");
	reg = usdt(rec, -1, self_path, "reg", 1);
	multi = usdt(rec, -1, self_path, "multi", 2);
	sema = usdt(rec, -1, self_path, "sema", 3);
	/* Only this process, which fires nothing. */
	self_only = usdt(rec, 0, self_path, "reg", 4);
	CHECK(reg && multi && sema && self_only);
	CHECK_EQ(test_sema_semaphore, 1);

	/* Failures leave nothing behind. */
	errno = 0;
	CHECK(!usdt(rec, -1, self_path, "nope", 0) && errno == ENOENT);
	CHECK(!usdt(rec, -1, "/nonexistent/bin", "reg", 0) && errno == ENOENT);
	CHECK(!usdt(rec, -1, self_path, "rip", 0) && errno == EINVAL);
	CHECK(!usdt(rec, -1, NULL, "reg", 0) && errno == EINVAL);

	fire_in_child();
	memset(&img, 0, sizeof(img));
	CHECK_EQ(bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(obj, ".bss")), &key, &img), 0);
	CHECK_EQ(seen[1].hits, 1);
	CHECK_EQ(seen[1].args[0], -5);
	CHECK_EQ(seen[1].args[1], 1L << 40);
	CHECK_EQ(seen[2].hits, 2);
	CHECK_EQ(seen[2].args[0], 9);
	CHECK_EQ(seen[3].hits, 1);
	CHECK_EQ(seen[3].args[0], -3);
	CHECK_EQ(seen[4].hits, 0);

	CHECK_EQ(bpf_link__destroy(reg), 0);
	CHECK_EQ(bpf_link__destroy(multi), 0);
	CHECK_EQ(bpf_link__destroy(sema), 0);
	CHECK_EQ(test_sema_semaphore, 0);
	CHECK_EQ(bpf_link__destroy(self_only), 0);

	/* A disconnected link keeps its uprobes (and their fd) when destroyed. */
	gone = usdt(rec, -1, self_path, "reg", 5);
	CHECK(gone);
	bpf_link__disconnect(gone);
	CHECK_EQ(bpf_link__destroy(gone), 0);

	/* A link may outlive its object: destroying it afterwards is safe. */
	reg = usdt(rec, -1, self_path, "reg", 6);
	CHECK(reg);
	bpf_object__close(obj);
	CHECK_EQ(bpf_link__destroy(reg), 0);
}

static void auto_and_skeleton(void)
{
	struct usdt_args *skel = usdt_args__open_and_load();
	struct bpf_link *l;
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL, dir[PATH_MAX];

	CHECK(skel);
	if (!skel)
		return;
	strcpy(dir, self_path);
	*strrchr(dir, '/') = 0;
	/* SEC("usdt/usdt_attach:test:auto") names another test's binary: give
	 * the skeleton's program this one's directory and a link to it. */
	l = bpf_program__attach_usdt(skel->progs.auto_probe, -1, self_path, "test", "auto", NULL);
	CHECK(l);
	bpf_link__destroy(l);
	setenv("PATH", dir, 1);
	/* Auto-attach looks up "usdt_attach" in $PATH; from here it is absent
	 * or another binary: either way the attempt must not leak. */
	l = bpf_program__attach(skel->progs.auto_probe);
	bpf_link__destroy(l);
	CHECK(!bpf_program__attach(skel->progs.record) && errno == EOPNOTSUPP);
	if (old)
		setenv("PATH", old, 1);
	free(old);
	usdt_args__destroy(skel);
}

static void no_maps(void)
{
	struct bpf_object *obj = bpf_object__open_file(prog_path("usdt_nomaps.bpf.o"), NULL);
	struct bpf_program *p;

	CHECK(obj);
	if (!obj)
		return;
	CHECK_EQ(bpf_object__load(obj), 0);
	p = bpf_object__find_program_by_name(obj, "plain");
	CHECK(!usdt(p, -1, self_path, "reg", 0) && errno == ESRCH);
	CHECK(!usdt(p, -1, self_path, "reg", 0) && errno == ESRCH);
	bpf_object__close(obj);
}

int main(int argc, char **argv)
{
	int fds;

	if (argc > 1 && strcmp(argv[1], "fire") == 0) {
		fire_reg(-5, 1L << 40);
		fire_multi(9);
		fire_sema(-3);
		return 0;
	}
	CHECK(realpath(argv[0], self_path) != NULL);
	fds = count_fds();
	explicit_links();
	auto_and_skeleton();
	no_maps();
	/* Everything closed but the disconnected link's multi-uprobe fd. */
	CHECK_EQ(count_fds(), fds + 1);
	return harness_done();
}
