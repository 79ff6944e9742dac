// oxbpf-test: debian-headers
// oxbpf-test: valgrind
/*
 * object_skeleton.c built against Debian's libbpf 1.1 headers and run
 * against oxbpf: the generated skeleton then has the older, shorter map
 * entries (map_skel_sz = 24, no link field), which must work as well.
 * Opens, loads, exposes .bss/.data/.rodata through the skeleton pointers;
 * the program sees what is written there. No fd stays open.
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <dirent.h>
#include "harness.h"
#include "obj_skel.skel.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static int run(struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_test_run_opts, t);
	int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &t);

	return err ? err : (int)t.retval;
}

static void subskeleton(struct bpf_object *obj)
{
	struct bpf_object_subskeleton *s = calloc(1, sizeof(*s));
	struct bpf_map *bss_map = NULL, *results = NULL;
	struct bpf_program *prog = NULL;
	__u64 *product = NULL;
	__u32 *calls = NULL;

	s->sz = sizeof(*s);
	s->obj = obj;
	s->map_cnt = 2;
	s->map_skel_sz = sizeof(*s->maps);
	s->maps = calloc(s->map_cnt, s->map_skel_sz);
	s->maps[0].name = "obj_skel.bss";
	s->maps[0].map = &bss_map;
	s->maps[1].name = "results";
	s->maps[1].map = &results;
	s->prog_cnt = 1;
	s->prog_skel_sz = sizeof(*s->progs);
	s->progs = calloc(s->prog_cnt, s->prog_skel_sz);
	s->progs[0].name = "compute";
	s->progs[0].prog = &prog;
	s->var_cnt = 2;
	s->var_skel_sz = sizeof(*s->vars);
	s->vars = calloc(s->var_cnt, s->var_skel_sz);
	s->vars[0].name = "product";
	s->vars[0].map = &bss_map;
	s->vars[0].addr = (void **)&product;
	s->vars[1].name = "calls";
	s->vars[1].map = &bss_map;
	s->vars[1].addr = (void **)&calls;
	CHECK_EQ(bpf_object__open_subskeleton(s), 0);
	CHECK(bss_map && results && prog);
	CHECK(product && calls);
	if (product && calls)
		printf("subskeleton: product=%llu calls=%u\n", (unsigned long long)*product, *calls);
	bpf_object__destroy_subskeleton(s);
}

int main(void)
{
	struct obj_skel *skel;
	int before = count_fds(), err;
	__u32 k = 1;
	__u64 v = 0;

	libbpf_set_print(quiet);
	CHECK_EQ(sizeof(struct bpf_map_skeleton), 24);
	skel = obj_skel__open();
	CHECK(skel);
	if (!skel)
		return harness_done();
	CHECK(skel->rodata && skel->bss);
	CHECK(skel->maps.results && skel->progs.compute && skel->progs.unused);
	printf("before load: factor=%u\n", skel->rodata->factor);
	skel->rodata->factor = 7;
	skel->bss->offset = 5;
	CHECK(!bpf_program__autoload(skel->progs.unused));

	err = obj_skel__load(skel);
	CHECK_EQ(err, 0);
	if (err)
		goto out;
	CHECK(skel->bss != NULL);
	CHECK_EQ(run(skel->progs.compute), 0);
	printf("after run: product=%llu calls=%u factor=%u\n", (unsigned long long)skel->bss->product, skel->bss->calls,
	       skel->rodata->factor);
	CHECK_EQ(skel->bss->product, 7005);
	CHECK_EQ(skel->bss->calls, 1);
	/* The mapping is shared both ways. */
	skel->bss->offset = 6;
	CHECK_EQ(run(skel->progs.compute), 0);
	CHECK_EQ(skel->bss->product, 7006);
	CHECK_EQ(bpf_map__lookup_elem(skel->maps.results, &k, sizeof(k), &v, sizeof(v), 0), 0);
	CHECK_EQ(v, 7006);
	CHECK_EQ(bpf_program__fd(skel->progs.unused), -ENOENT);
	subskeleton(skel->obj);
out:
	obj_skel__destroy(skel);
	printf("fds left open: %d\n", count_fds() - before);
	CHECK_EQ(count_fds(), before);
	return harness_done();
}
