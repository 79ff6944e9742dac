// oxbpf-test: differential
/*
 * Split BTF on vmlinux, as module BTF is: type ids and string offsets
 * continue vmlinux's, lookups and size/alignment resolution cross into the
 * base, strings already in the base are reused, and the raw split BTF
 * parses back (from memory and from a file) only on its base. Compared
 * with Debian's libbpf (bytes after the header: 1.8 writes a 32-byte
 * header, 1.1.2 a 24-byte one).
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define R(expr) printf("%s = %lld\n", #expr, (long long)(expr))

int main(void)
{
	struct btf *vm = btf__load_vmlinux_btf(), *split, *back, *fromfile;
	int ts, lh, p, st, td, nbase;
	const unsigned char *raw;
	char path[64];
	__u32 size, hl, i;
	FILE *f;

	if (!vm)
		SKIP("no vmlinux BTF");
	split = btf__new_empty_split(vm);
	nbase = btf__type_cnt(vm);
	R(btf__type_cnt(split) == (__u32)nbase);
	R(btf__base_btf(split) == vm);
	R(btf__base_btf(vm) == NULL);
	R(btf__endianness(split));
	R(btf__pointer_size(split));

	R(btf__add_str(split, "task_struct") == btf__find_str(vm, "task_struct"));
	R(btf__find_str(split, "list_head") == btf__find_str(vm, "list_head"));
	R(btf__find_str(split, "oxbpf_mod_only"));
	R(btf__add_str(split, "oxbpf_mod_only") - btf__find_str(vm, "task_struct") > 0);

	R(ts = btf__find_by_name_kind(split, "task_struct", BTF_KIND_STRUCT));
	R(ts == btf__find_by_name_kind(vm, "task_struct", BTF_KIND_STRUCT));
	R(lh = btf__find_by_name_kind(split, "list_head", BTF_KIND_STRUCT));
	R(p = btf__add_ptr(split, ts));
	R(p == nbase);
	R(st = btf__add_struct(split, "oxbpf_mod_struct", 32));
	R(btf__add_field(split, "task", p, 0, 0));
	R(btf__add_field(split, "list", lh, 64, 0));
	R(btf__add_field(split, "flags", btf__find_by_name_kind(vm, "int", BTF_KIND_INT), 192, 0));
	R(td = btf__add_typedef(split, "oxbpf_mod_t", st));
	R(btf__add_func_proto(split, btf__find_by_name_kind(vm, "int", BTF_KIND_INT)));
	R(btf__add_func_param(split, "t", p));
	R(btf__add_func(split, "oxbpf_mod_fn", BTF_FUNC_GLOBAL, btf__type_cnt(split) - 1));

	R(btf__type_cnt(split) - nbase);
	R(btf__resolve_size(split, st));
	R(btf__resolve_size(split, td));
	R(btf__resolve_size(split, ts) == btf__resolve_size(vm, ts));
	R(btf__align_of(split, st));
	R(btf__resolve_type(split, td) == st);
	R(btf__find_by_name_kind(split, "oxbpf_mod_t", BTF_KIND_TYPEDEF) == td);
	R(btf__find_by_name(split, "oxbpf_mod_struct") == st);
	R(btf__find_by_name_kind(vm, "oxbpf_mod_struct", BTF_KIND_STRUCT));
	R(btf__type_by_id(split, ts) == btf__type_by_id(vm, ts));
	R(strcmp(btf__name_by_offset(split, btf__type_by_id(split, ts)->name_off), "task_struct"));
	R(btf__type_by_id(split, btf__type_cnt(split)) == NULL);

	raw = btf__raw_data(split, &size);
	hl = ((const struct btf_header *)raw)->hdr_len;
	note("split hdr_len %u", hl);
	printf("split raw: %u bytes after the header\n", size - hl);
	for (i = hl; i < size; i++)
		printf("%02x%s", raw[i], (i - hl) % 32 == 31 ? "\n" : "");
	printf("\n");

	snprintf(path, sizeof(path), "/tmp/oxbpf-split-%d.btf", getpid());
	f = fopen(path, "w");
	fwrite(raw, 1, size, f);
	fclose(f);
	/* (btf__new_split() is not in Debian's libbpf: read it from a file) */
	back = btf__parse_raw_split(path, vm);
	R(back != NULL);
	R(btf__type_cnt(back) == btf__type_cnt(split));
	R(btf__find_by_name_kind(back, "oxbpf_mod_struct", BTF_KIND_STRUCT) == st);
	R(btf__find_by_name_kind(back, "task_struct", BTF_KIND_STRUCT) == ts);
	R(btf__resolve_size(back, td));
	R(strcmp(btf__name_by_offset(back, btf__type_by_id(back, st)->name_off), "oxbpf_mod_struct"));
	R(btf__new(raw, size) == NULL);
	R(errno);

	fromfile = btf__parse_split(path, vm);
	R(fromfile != NULL && btf__type_cnt(fromfile) == btf__type_cnt(split));
	btf__free(fromfile);
	fromfile = btf__parse_raw_split(path, vm);
	R(fromfile != NULL && btf__find_by_name(fromfile, "oxbpf_mod_fn") > nbase);
	btf__free(fromfile);
	R(btf__parse_raw(path) == NULL);
	R(errno);
	unlink(path);

	btf__free(back);
	btf__free(split);
	btf__free(vm);
	return harness_done();
}
