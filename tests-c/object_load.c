// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * Load test objects on the running kernel and prove the relocations by
 * running the programs (bpf_prog_test_run_opts):
 * - obj_globals: .rodata and .data set before load are read, .bss written,
 *   static and global subprograms and a bpf_loop() callback called;
 *   .rodata is frozen;
 * - obj_maps: an inner map of an array of maps initialised by `values` is
 *   read; a socket filter tail-calls through a prog array initialised by
 *   `values`; a map pinned by name is reused by a second object, and an
 *   incompatible definition under the same pinned name is refused.
 * No fd stays open after bpf_object__close().
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <dirent.h>
#include <sys/stat.h>
#include "harness.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n++;
	closedir(d);
	return n;
}

struct args {
	__u64 in;
};

struct globals_bss {
	__u64 out_static, out_global, out_loop;
	__u32 out_table_sum;
};

struct globals_rodata {
	__u64 ro_mult;
	__u32 ro_table[4];
};

static int run_syscall(struct bpf_program *prog, __u64 in)
{
	struct args a = { .in = in };
	LIBBPF_OPTS(bpf_test_run_opts, t, .ctx_in = &a, .ctx_size_in = sizeof(a));
	int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &t);

	return err ? err : (int)t.retval;
}

static int run_socket(struct bpf_program *prog)
{
	char pkt[64] = {}, out[64];
	/* An output buffer too: valgrind's model of BPF_PROG_TEST_RUN checks it. */
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt), .data_out = out,
		    .data_size_out = sizeof(out));
	int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &t);

	return err ? err : (int)t.retval;
}

static void test_globals(void)
{
	struct bpf_object *obj = bpf_object__open_file(prog_path("obj_globals.bpf.o"), NULL);
	struct bpf_map *rodata, *data, *bss, *counters;
	struct globals_rodata ro = { .ro_mult = 5, .ro_table = { 10, 20, 30, 40 } };
	struct globals_bss out = {};
	__u64 *data_add, counter = 0;
	size_t sz = 0;
	int zero = 0, err;
	void *img;

	CHECK(obj);
	if (!obj)
		return;
	rodata = bpf_object__find_map_by_name(obj, ".rodata");
	data = bpf_object__find_map_by_name(obj, ".data");
	bss = bpf_object__find_map_by_name(obj, ".bss");
	counters = bpf_object__find_map_by_name(obj, ".data.counters");
	CHECK(rodata && data && bss && counters);
	if (!rodata || !data || !bss || !counters)
		goto out;
	printf("maps: %s %s %s %s\n", bpf_map__name(rodata), bpf_map__name(data), bpf_map__name(bss),
	       bpf_map__name(counters));

	/* Initial values: the compiled-in ones, changeable before load. */
	img = bpf_map__initial_value(rodata, &sz);
	CHECK(img && sz == sizeof(ro));
	if (img)
		printf("rodata before: mult=%llu table[3]=%u\n", (unsigned long long)((struct globals_rodata *)img)->ro_mult,
		       ((struct globals_rodata *)img)->ro_table[3]);
	CHECK_EQ(bpf_map__set_initial_value(rodata, &ro, sizeof(ro) - 1), -EINVAL);
	CHECK_EQ(bpf_map__set_initial_value(rodata, &ro, sizeof(ro)), 0);
	data_add = bpf_map__initial_value(data, &sz);
	CHECK(data_add && sz == 8);
	if (data_add)
		*data_add = 20;
	CHECK_EQ(bpf_map__fd(bss), -1);

	err = bpf_object__load(obj);
	CHECK_EQ(err, 0);
	if (err)
		goto out;
	CHECK(bpf_map__fd(bss) >= 0);
	/* 1.8: -EBUSY once the map exists; 1.1.2 answers -EINVAL. */
	err = bpf_map__set_initial_value(rodata, &ro, sizeof(ro));
	note("set_initial_value after load: %d", err);
	CHECK(err == (harness_is_reference() ? -EINVAL : -EBUSY));
	CHECK_EQ(bpf_object__load(obj), -EINVAL);

	CHECK_EQ(run_syscall(bpf_object__find_program_by_name(obj, "run"), 4), 7);
	CHECK_EQ(run_socket(bpf_object__find_program_by_name(obj, "sock")), 10);
	/* The section is 28 bytes (no tail padding). */
	CHECK_EQ(bpf_map__value_size(bss), 28);
	CHECK_EQ(bpf_map__lookup_elem(bss, &zero, sizeof(zero), &out, 28, 0), 0);
	printf("bss: static=%llu global=%llu loop=%llu table_sum=%u\n", (unsigned long long)out.out_static,
	       (unsigned long long)out.out_global, (unsigned long long)out.out_loop, out.out_table_sum);
	CHECK_EQ(out.out_static, 20);
	CHECK_EQ(out.out_global, 24);
	CHECK_EQ(out.out_loop, 10);
	CHECK_EQ(out.out_table_sum, 100);
	CHECK_EQ(bpf_map__lookup_elem(counters, &zero, sizeof(zero), &counter, sizeof(counter), 0), 0);
	CHECK_EQ(counter, 101);

	/* Size checks of the element helpers. */
	CHECK_EQ(bpf_map__lookup_elem(bss, &zero, 3, &out, sizeof(out), 0), -EINVAL);
	CHECK_EQ(bpf_map__lookup_elem(bss, &zero, sizeof(zero), &out, sizeof(out), 0), -EINVAL);

	/* .rodata is frozen: user space can not change it any more. */
	CHECK_EQ(bpf_map_update_elem(bpf_map__fd(rodata), &zero, &ro, 0), -EPERM);

	/* libbpf 1.8 returns the live map memory after load, 1.1.2 a stale copy. */
	img = bpf_map__initial_value(bss, &sz);
	note("bss image after load: %s", img && ((struct globals_bss *)img)->out_loop == 10 ? "live" : "stale");
	if (!harness_is_reference())
		CHECK(img && ((struct globals_bss *)img)->out_loop == 10);
out:
	bpf_object__close(obj);
}

static char pin_root[64];

static struct bpf_object *open_pinned(const char *file)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin_root);

	return bpf_object__open_file(prog_path(file), &opts);
}

static void test_maps(void)
{
	struct bpf_object *obj = open_pinned("obj_maps.bpf.o"), *obj2 = NULL, *bad;
	struct bpf_map *inner_a, *inner_b, *outer, *pinned, *bss, *data;
	__u64 v, seen[3];
	__u32 slot;
	char path[128];
	int zero = 0, err;
	struct stat st;

	CHECK(obj);
	if (!obj)
		return;
	outer = bpf_object__find_map_by_name(obj, "outer");
	inner_a = bpf_object__find_map_by_name(obj, "inner_a");
	inner_b = bpf_object__find_map_by_name(obj, "inner_b");
	pinned = bpf_object__find_map_by_name(obj, "pinned_counts");
	bss = bpf_object__find_map_by_name(obj, ".bss");
	data = bpf_object__find_map_by_name(obj, ".data");
	CHECK(outer && inner_a && inner_b && pinned && bss && data);
	if (!outer || !inner_a || !inner_b || !pinned || !bss || !data)
		goto out;
	snprintf(path, sizeof(path), "%s/pinned_counts", pin_root);
	CHECK_STR(bpf_map__pin_path(pinned), path);
	CHECK(!bpf_map__is_pinned(pinned));
	CHECK(bpf_map__inner_map(outer) != NULL);
	CHECK(bpf_map__inner_map(pinned) == NULL && errno == EINVAL);

	err = bpf_object__load(obj);
	CHECK_EQ(err, 0);
	if (err)
		goto out;
	CHECK(bpf_map__is_pinned(pinned));
	CHECK(stat(path, &st) == 0);

	v = 11;
	CHECK_EQ(bpf_map__update_elem(inner_a, &zero, sizeof(zero), &v, sizeof(v), 0), 0);
	v = 22;
	CHECK_EQ(bpf_map__update_elem(inner_b, &zero, sizeof(zero), &v, sizeof(v), 0), 0);
	CHECK_EQ(run_syscall(bpf_object__find_program_by_name(obj, "read_inner"), 0), 0);
	CHECK_EQ(bpf_map__lookup_elem(bss, &zero, sizeof(zero), seen, sizeof(seen), 0), 0);
	printf("through outer: a=%llu b=%llu missing=%llu\n", (unsigned long long)seen[0], (unsigned long long)seen[1],
	       (unsigned long long)seen[2]);
	CHECK_EQ(seen[0], 11);
	CHECK_EQ(seen[1], 22);
	CHECK_EQ(seen[2], 1);

	/* Tail calls through the prog array filled from `values`. */
	CHECK_EQ(run_socket(bpf_object__find_program_by_name(obj, "jumper")), 111);
	slot = 3;
	CHECK_EQ(bpf_map__update_elem(data, &zero, sizeof(zero), &slot, sizeof(slot), 0), 0);
	CHECK_EQ(run_socket(bpf_object__find_program_by_name(obj, "jumper")), 222);
	slot = 2;
	CHECK_EQ(bpf_map__update_elem(data, &zero, sizeof(zero), &slot, sizeof(slot), 0), 0);
	CHECK_EQ(run_socket(bpf_object__find_program_by_name(obj, "jumper")), 7);

	/* A second object reuses the pinned map: both count into it. */
	obj2 = open_pinned("obj_maps.bpf.o");
	CHECK(obj2);
	if (obj2) {
		CHECK_EQ(bpf_object__load(obj2), 0);
		CHECK(bpf_map__is_pinned(bpf_object__find_map_by_name(obj2, "pinned_counts")));
		CHECK_EQ(run_syscall(bpf_object__find_program_by_name(obj2, "read_inner"), 0), 0);
		CHECK_EQ(bpf_map__lookup_elem(pinned, &zero, sizeof(zero), &v, sizeof(v), 0), 0);
		printf("pinned counter after two objects: %llu\n", (unsigned long long)v);
		CHECK_EQ(v, 2);
	}

	/* Same pinned name, other definition: refused. */
	bad = open_pinned("obj_pin_bad.bpf.o");
	CHECK(bad);
	if (bad) {
		err = bpf_object__load(bad);
		printf("incompatible pinned map: %d\n", err);
		CHECK_EQ(err, -EINVAL);
		bpf_object__close(bad);
	}
	CHECK_EQ(bpf_map__unpin(pinned, NULL), 0);
	CHECK(stat(path, &st) != 0);
	CHECK(!bpf_map__is_pinned(pinned));
out:
	bpf_object__close(obj2);
	bpf_object__close(obj);
}

int main(void)
{
	int before, after;

	libbpf_set_print(quiet);
	snprintf(pin_root, sizeof(pin_root), "/sys/fs/bpf/oxbpf_load_%d", getpid());
	mkdir(pin_root, 0700);
	before = count_fds();
	test_globals();
	test_maps();
	after = count_fds();
	printf("fds left open: %d\n", after - before);
	CHECK_EQ(after, before);
	rmdir(pin_root);
	return harness_done();
}
