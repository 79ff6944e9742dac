// oxbpf-test: differential
/*
 * Bad BTF map definitions are refused at open with libbpf's errors: an
 * unknown attribute (accepted with relaxed_maps), no type, a key size that
 * contradicts the key type, a static map, `values` on a plain hash map.
 */
#include <bpf/libbpf.h>
#include "harness.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static void try(const char *file, bool relaxed)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .relaxed_maps = relaxed);
	struct bpf_object *obj;

	errno = 0;
	obj = bpf_object__open_file(prog_path(file), &opts);
	printf("%s%s: %s errno=%d\n", file, relaxed ? " (relaxed)" : "", obj ? "opened" : "refused", obj ? 0 : errno);
	if (obj) {
		struct bpf_map *m;

		bpf_object__for_each_map(m, obj)
			printf("  map %s type=%u key=%u value=%u max=%u\n", bpf_map__name(m), bpf_map__type(m),
			       bpf_map__key_size(m), bpf_map__value_size(m), bpf_map__max_entries(m));
		bpf_object__close(obj);
	}
}

int main(void)
{
	libbpf_set_print(quiet);
	try("obj_badmap_unknown.bpf.o", false);
	try("obj_badmap_unknown.bpf.o", true);
	try("obj_badmap_notype.bpf.o", false);
	try("obj_badmap_conflict.bpf.o", false);
	try("obj_badmap_static.bpf.o", false);
	try("obj_badmap_values.bpf.o", false);
	return harness_done();
}
