// oxbpf-test: differential
/* USDT probes of a shared library: libstdc++'s libstdcxx:throw, found by
 * its bare name "libstdc++.so.6" in the library directories, fired by
 * C++ throws. Its arguments are the exception object and its type_info.
 * Attached for this process only (pid 0), a child's throws are not seen;
 * for every process (-1), they are. */
#include <sys/wait.h>
#include <typeinfo>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "harness.h"

struct seen {
	long args[12];
	long hits;
	unsigned long long cookie;
	int arg_cnt;
	int arg_errs;
	int past_end;
	int pid;
};

static struct bpf_map *bss;

static struct seen slot(int i)
{
	/* seen[16] leads the .bss image. */
	static char img[4096];
	int key = 0;
	struct seen s;

	memset(img, 0, sizeof(img));
	CHECK_EQ(bpf_map_lookup_elem(bpf_map__fd(bss), &key, img), 0);
	memcpy(&s, img + i * sizeof(struct seen), sizeof(s));
	return s;
}

__attribute__((noinline)) static int throw_and_catch(int v)
{
	try {
		throw v;
	} catch (int x) {
		return x;
	}
	return -1;
}

static void throws_in_child(int n)
{
	pid_t pid = fork();
	int status = 0;

	if (pid == 0) {
		for (int i = 0; i < n; i++)
			throw_and_catch(i);
		_exit(0);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static struct bpf_link *attach(struct bpf_program *p, pid_t pid, unsigned long long cookie)
{
	LIBBPF_OPTS(bpf_usdt_opts, o, .usdt_cookie = cookie);

	return bpf_program__attach_usdt(p, pid, "libstdc++.so.6", "libstdcxx", "throw", &o);
}

int main(void)
{
	struct bpf_object *obj = bpf_object__open_file(prog_path("usdt_args.bpf.o"), NULL);
	struct bpf_program *rec;
	struct bpf_link *self, *all;
	struct seen s;

	if (!obj)
		SKIP("cannot open usdt_args.bpf.o");
	CHECK_EQ(bpf_object__load(obj), 0);
	rec = bpf_object__find_program_by_name(obj, "record");
	bss = bpf_object__find_map_by_name(obj, ".bss");

	self = attach(rec, 0, 1);
	all = attach(rec, -1, 2);
	CHECKM(self && all, "%d", -errno);
	CHECK_EQ(throw_and_catch(42), 42);
	throws_in_child(3);

	s = slot(1);
	printf("pid 0: hits=%ld cookie=%llu arg_cnt=%d typeinfo=%s\n", s.hits, s.cookie, s.arg_cnt,
	       s.args[1] == (long)&typeid(int) ? "int" : "?");
	CHECK(s.args[0] != 0);
	s = slot(2);
	printf("pid -1: hits=%ld cookie=%llu arg_cnt=%d typeinfo=%s\n", s.hits, s.cookie, s.arg_cnt,
	       s.args[1] == (long)&typeid(int) ? "int" : "?");
	bpf_link__destroy(self);
	bpf_link__destroy(all);

	/* A library not found by name. */
	errno = 0;
	CHECK(!bpf_program__attach_usdt(rec, -1, "libnonexistent-oxbpf.so.1", "p", "n", NULL));
	printf("unknown library: err=%d\n", -errno);

	bpf_object__close(obj);
	return harness_done();
}
