// oxbpf-test: differential
/*
 * The debug log of bpf_object__open(), as tools show it in their verbose
 * modes (`ip ... verbose`, `tc ... verbose`, `xdp-loader -vv`): for every
 * BTF-defined map, the attributes its definition spelled out (type, key and
 * value by type or by size, max_entries, pinning, numa_node, inner map
 * definitions), and for every map relocation the map's name, section and
 * offset. Identical against Debian's libbpf and ours, except the lines
 * whose format changed after 1.1.2 (map_flags printed in hex, map_extra
 * printed at all), which go through note(). A subprogram (in .text) gets no
 * "unrecognized ELF section name" line: libbpf walks entry programs only.
 */
#include <bpf/libbpf.h>
#include "harness.h"

static char lines[256][256];
static int n_lines;

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[256];

	if (level != LIBBPF_DEBUG || n_lines >= 256)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = 0;
	if (strstr(buf, "': found ") || strstr(buf, "unrecognized ELF section name '.text'"))
		snprintf(lines[n_lines++], sizeof(lines[0]), "%s", buf);
	return 0;
}

static void show(const char *name)
{
	struct bpf_object *obj;
	int i;

	n_lines = 0;
	obj = bpf_object__open_file(prog_path(name), NULL);
	CHECK(obj != NULL);
	printf("%s:\n", name);
	for (i = 0; i < n_lines; i++) {
		CHECK(strstr(lines[i], "unrecognized ELF section name '.text'") == NULL);
		/* 1.1.2 prints map_flags with %u, 1.8 with 0x%x; 1.1.2 does not
		 * report map_extra. */
		if (strstr(lines[i], "found map_flags") || strstr(lines[i], "found map_extra"))
			note("%s", lines[i]);
		else
			printf("  %s\n", lines[i]);
	}
	bpf_object__close(obj);
}

int main(void)
{
	libbpf_set_print(capture);
	show("nl_count.bpf.o");	  /* a map used from a subprogram */
	show("obj_maps.bpf.o");	  /* every map attribute, inner maps */
	show("obj_globals.bpf.o"); /* data maps */
	show("users_pin.bpf.o");   /* pinning */
	if (!harness_is_reference()) {
		/* The 1.8 formats. */
		int i, flags = 0, extra = 0;

		n_lines = 0;
		bpf_object__close(bpf_object__open_file(prog_path("obj_maps.bpf.o"), NULL));
		for (i = 0; i < n_lines; i++) {
			flags |= strcmp(lines[i], "libbpf: map 'by_type': found map_flags = 0x1.") == 0;
			extra |= strcmp(lines[i], "libbpf: map 'bloom': found map_extra = 0x3.") == 0;
		}
		CHECK(flags);
		CHECK(extra);
	}
	return harness_done();
}
