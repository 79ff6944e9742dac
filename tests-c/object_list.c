// oxbpf-test: differential
/*
 * Open (and where the kernel allows, load) every test object and list its
 * programs (name, section, type, expected attach type, instruction count,
 * autoload) and maps (name, type, key/value size, max entries, flags):
 * the listing must be identical against Debian's libbpf and ours.
 *
 * Lines that legitimately differ between libbpf 1.1.2 and 1.8 go through
 * note() (not compared), each for a reason given next to it.
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <sys/stat.h>
#include "harness.h"

/* Sections whose definition appeared or changed after libbpf 1.1.2: 1.1.2
 * does not know them (type 0) or maps them differently. */
static const char *const changed_sections[] = {
	"tc/ingress", "tcx/egress", "netkit/primary", "netfilter",
	"cgroup/connect_unix", "kprobe.session/", "uprobe.multi/", NULL,
};

static int changed(const char *sec)
{
	for (int i = 0; changed_sections[i]; i++)
		if (strncmp(sec, changed_sections[i], strlen(changed_sections[i])) == 0)
			return 1;
	return 0;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static void list(struct bpf_object *obj, const char *stage)
{
	struct bpf_program *prog;
	struct bpf_map *map;

	printf("%s: object %s\n", stage, bpf_object__name(obj));
	bpf_object__for_each_program(prog, obj) {
		char line[512];

		snprintf(line, sizeof(line), "%s: prog %s sec=%s type=%u attach=%u insns=%zu autoload=%d",
			 stage, bpf_program__name(prog), bpf_program__section_name(prog),
			 bpf_program__type(prog), bpf_program__expected_attach_type(prog),
			 bpf_program__insn_cnt(prog), bpf_program__autoload(prog));
		if (changed(bpf_program__section_name(prog)))
			note("%s", line); /* see changed_sections */
		else
			printf("%s\n", line);
	}
	bpf_object__for_each_map(map, obj) {
		char line[512];
		const char *name = bpf_map__name(map);
		__u32 flags = bpf_map__map_flags(map);

		snprintf(line, sizeof(line), "%s: map %s type=%u key=%u value=%u max=%u flags=0x%x internal=%d",
			 stage, name, bpf_map__type(map), bpf_map__key_size(map), bpf_map__value_size(map),
			 bpf_map__max_entries(map), flags, bpf_map__is_internal(map));
		/* libbpf 1.1.2 makes every global data map BPF_F_MMAPABLE; 1.8 only
		 * those with a global (non-hidden) variable: compare without it. */
		if (bpf_map__is_internal(map)) {
			note("%s", line);
			printf("%s: map %s type=%u key=%u value=%u max=%u flags=0x%x (w/o mmapable)\n",
			       stage, name, bpf_map__type(map), bpf_map__key_size(map),
			       bpf_map__value_size(map), bpf_map__max_entries(map), flags & ~BPF_F_MMAPABLE);
		} else {
			printf("%s\n", line);
		}
	}
}

static char pin_root[64];

static void open_and_list(const char *file, int load)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin_root);
	struct bpf_object *obj = bpf_object__open_file(prog_path(file), &opts);

	CHECKM(obj != NULL, "open %s: %d", file, -errno);
	if (!obj)
		return;
	list(obj, "open");
	if (load) {
		int err = bpf_object__load(obj);

		CHECKM(err == 0, "load %s: %d", file, err);
		if (!err)
			list(obj, "loaded");
		bpf_object__unpin_maps(obj, NULL);
	}
	bpf_object__close(obj);
}

int main(void)
{
	libbpf_set_print(quiet);
	snprintf(pin_root, sizeof(pin_root), "/sys/fs/bpf/oxbpf_list_%d", getpid());
	mkdir(pin_root, 0700);
	open_and_list("obj_sections.bpf.o", 0);
	open_and_list("obj_globals.bpf.o", 1);
	open_and_list("obj_maps.bpf.o", 1);
	open_and_list("obj_custom.bpf.o", 0);
	open_and_list("obj_pin_bad.bpf.o", 0);
	rmdir(pin_root);
	return harness_done();
}
