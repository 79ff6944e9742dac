/* Opens and loads a BPF object file the way a generic loader does, and
 * prints what the library made of it: programs (name, section, type,
 * instruction count), maps (name, type, sizes, flags), then after load each
 * program's tag (a hash of the instructions the kernel accepted, i.e. of
 * every relocation the library applied) and each map's kernel view.
 * Built against Debian's headers, run on both libraries by
 * tests-c/users/debian_objects.sh, whose outputs must match.
 *
 * Programs that this kernel's lockdown refuses (tracing, LSM, freplace) are
 * not loaded (autoload off) and reported as such. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int refused_here(enum bpf_prog_type t)
{
	return t == BPF_PROG_TYPE_TRACING || t == BPF_PROG_TYPE_LSM || t == BPF_PROG_TYPE_EXT ||
	       t == BPF_PROG_TYPE_KPROBE || t == BPF_PROG_TYPE_STRUCT_OPS;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *p;
	struct bpf_map *m;
	int err;

	if (argc != 2)
		return 2;
	libbpf_set_print(quiet);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		printf("open: %d\n", -errno);
		return 0;
	}
	printf("object %s\n", bpf_object__name(obj));
	bpf_object__for_each_program(p, obj) {
		printf("prog %s sec %s type %d insns %zu%s\n", bpf_program__name(p), bpf_program__section_name(p),
		       bpf_program__type(p), bpf_program__insn_cnt(p),
		       refused_here(bpf_program__type(p)) ? " (not loaded here)" : "");
		if (refused_here(bpf_program__type(p)))
			bpf_program__set_autoload(p, false);
	}
	bpf_object__for_each_map(m, obj)
		printf("map %s type %d key %u value %u max %u flags %#x\n", bpf_map__name(m), bpf_map__type(m),
		       bpf_map__key_size(m), bpf_map__value_size(m), bpf_map__max_entries(m), bpf_map__map_flags(m));
	err = bpf_object__load(obj);
	printf("load: %d\n", err);
	if (!err) {
		bpf_object__for_each_program(p, obj) {
			struct bpf_prog_info info;
			__u32 len = sizeof(info);
			unsigned char *t = info.tag;

			if (!bpf_program__autoload(p))
				continue;
			memset(&info, 0, sizeof(info));
			if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len)) {
				printf("prog %s: no info\n", bpf_program__name(p));
				continue;
			}
			printf("loaded %s type %u xlated %u tag %02x%02x%02x%02x%02x%02x%02x%02x maps %u\n",
			       bpf_program__name(p), info.type, info.xlated_prog_len, t[0], t[1], t[2], t[3], t[4],
			       t[5], t[6], t[7], info.nr_map_ids);
		}
		bpf_object__for_each_map(m, obj) {
			struct bpf_map_info info;
			__u32 len = sizeof(info);

			memset(&info, 0, sizeof(info));
			if (bpf_map__fd(m) < 0 || bpf_obj_get_info_by_fd(bpf_map__fd(m), &info, &len)) {
				printf("map %s: not created\n", bpf_map__name(m));
				continue;
			}
			printf("created %s type %u key %u value %u max %u flags %#x btf_key %u btf_value %u\n",
			       info.name, info.type, info.key_size, info.value_size, info.max_entries, info.map_flags,
			       info.btf_key_type_id, info.btf_value_type_id);
		}
	}
	bpf_object__close(obj);
	return 0;
}
