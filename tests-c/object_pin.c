// oxbpf-test: differential
/*
 * Pinning on bpffs: whole objects (maps, programs, both), single maps and
 * programs, explicit pin paths, and the errors (not loaded, not bpffs,
 * conflicting paths, double pins).
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <sys/stat.h>
#include "harness.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static char root[96];

static int exists(const char *fmt, const char *a)
{
	char p[256];
	struct stat st;

	snprintf(p, sizeof(p), fmt, root, a);
	return stat(p, &st) == 0;
}

int main(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *map, *data;
	char path[256], other[256];
	int err;

	if (!getenv("VERBOSE")) libbpf_set_print(quiet);
	snprintf(root, sizeof(root), "/sys/fs/bpf/oxbpf_pin_%d", getpid());
	mkdir(root, 0700);
	opts.pin_root_path = root;

	obj = bpf_object__open_file(prog_path("obj_globals.bpf.o"), &opts);
	CHECK(obj);
	if (!obj)
		return harness_done();
	CHECK_EQ(bpf_object__pin_maps(obj, root), -ENOENT);
	CHECK_EQ(bpf_object__pin_programs(obj, root), -ENOENT);
	CHECK_EQ(bpf_object__pin_maps(NULL, root), -ENOENT);
	prog = bpf_object__find_program_by_name(obj, "run");
	data = bpf_object__find_map_by_name(obj, ".data");
	CHECK_EQ(bpf_program__pin(prog, "/sys/fs/bpf/x"), -EINVAL);
	CHECK_EQ(bpf_map__pin(data, NULL), -EINVAL);
	CHECK_EQ(bpf_object__load(obj), 0);

	/* The whole object: maps under sanitised names, then programs. */
	CHECK_EQ(bpf_object__pin(obj, root), 0);
	printf("pinned: data=%d rodata=%d bss=%d run=%d sock=%d\n", exists("%s/%s", "obj_glob_data"),
	       exists("%s/%s", "obj_glob_rodata"), exists("%s/%s", "obj_glob_bss"), exists("%s/%s", "run"),
	       exists("%s/%s", "sock"));
	CHECK(exists("%s/%s", "_data_counters"));
	bpf_object__for_each_map(map, obj)
		printf("map %s pinned=%d path=%s\n", bpf_map__name(map), bpf_map__is_pinned(map),
		       bpf_map__pin_path(map) ? strrchr(bpf_map__pin_path(map), '/') + 1 : "(none)");
	/* Pinning programs again fails: the files exist. */
	err = bpf_object__pin_programs(obj, root);
	printf("pin programs again: %d\n", err);
	CHECK_EQ(err, -EEXIST);
	/* (bpf_object__unpin() is newer than libbpf 1.1: object_api.c.) */
	CHECK_EQ(bpf_object__unpin_programs(obj, root), 0);
	CHECK_EQ(bpf_object__unpin_maps(obj, root), 0);
	printf("after unpin: data=%d run=%d\n", exists("%s/%s", "obj_glob_data"), exists("%s/%s", "run"));

	/* Single map and program pins. */
	snprintf(path, sizeof(path), "%s/one_map", root);
	snprintf(other, sizeof(other), "%s/other_map", root);
	CHECK_EQ(bpf_map__set_pin_path(data, path), 0);
	CHECK_STR(bpf_map__pin_path(data), path);
	CHECK_EQ(bpf_map__pin(data, NULL), 0);
	CHECK(bpf_map__is_pinned(data));
	CHECK_EQ(bpf_map__pin(data, path), 0);
	CHECK_EQ(bpf_map__pin(data, other), -EINVAL);
	CHECK_EQ(bpf_map__unpin(data, other), -EINVAL);
	CHECK_EQ(bpf_map__unpin(data, NULL), 0);
	CHECK(!bpf_map__is_pinned(data));
	CHECK_EQ(bpf_map__unpin(data, NULL), -ENOENT);
	CHECK_EQ(bpf_map__set_pin_path(data, NULL), 0);
	CHECK(bpf_map__pin_path(data) == NULL);
	CHECK_EQ(bpf_map__pin(data, NULL), -EINVAL);
	/* Not on bpffs; the path sticks to the map all the same. */
	CHECK_EQ(bpf_map__pin(data, "/tmp/oxbpf_not_bpffs"), -EINVAL);
	CHECK_STR(bpf_map__pin_path(data), "/tmp/oxbpf_not_bpffs");
	CHECK_EQ(bpf_map__set_pin_path(data, NULL), 0);

	/* The missing parent directory (one level) is created. */
	snprintf(path, sizeof(path), "%s/sub/prog", root);
	CHECK_EQ(bpf_program__pin(prog, path), 0);
	CHECK(exists("%s/%s", "sub/prog"));
	CHECK_EQ(bpf_program__unpin(prog, path), 0);
	CHECK_EQ(bpf_program__unpin(prog, path), -ENOENT);
	snprintf(path, sizeof(path), "%s/deep/er/prog", root);
	CHECK_EQ(bpf_program__pin(prog, path), -ENOENT);
	CHECK_EQ(bpf_program__pin(prog, "/tmp/oxbpf_not_bpffs"), -EINVAL);
	snprintf(path, sizeof(path), "%s/sub", root);
	rmdir(path);

	/* Maps with their own pin paths, with a NULL directory. */
	CHECK_EQ(bpf_object__pin_maps(obj, NULL), 0);
	CHECK_EQ(bpf_object__unpin_maps(obj, NULL), 0);
	CHECK_EQ(bpf_object__pin_maps(obj, root), 0);
	CHECK_EQ(bpf_object__unpin_maps(obj, root), 0);

	bpf_object__close(obj);
	rmdir(root);
	return harness_done();
}
