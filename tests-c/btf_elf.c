// oxbpf-test: differential
/*
 * BTF and .BTF.ext from a BPF object built by clang: btf__parse_elf(),
 * btf__parse() (raw BTF first, then ELF), their errors, the types found,
 * and the raw bytes of both sections, compared with Debian's libbpf.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define R(expr) printf("%s = %lld\n", #expr, (long long)(expr))

static unsigned long long sum(const void *p, __u32 n)
{
	const unsigned char *b = p;
	unsigned long long h = 1469598103934665603ULL;
	__u32 i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static void show(const char *what, struct btf *btf, struct btf_ext *ext)
{
	const void *raw;
	__u32 size, id;

	printf("%s: btf %d ext %d\n", what, !!btf, !!ext);
	if (!btf)
		return;
	raw = btf__raw_data(btf, &size);
	printf("  cnt %u ptr_sz %zu endian %d raw %u bytes sum %llx\n", btf__type_cnt(btf), btf__pointer_size(btf),
	       btf__endianness(btf), size, sum(raw, size));
	for (id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		printf("  [%u] kind %u '%s' vlen %u size %lld\n", id, btf_kind(t), btf__name_by_offset(btf, t->name_off),
		       btf_vlen(t), btf__resolve_size(btf, id));
	}
	if (ext) {
		raw = btf_ext__get_raw_data(ext, &size);
		printf("  ext raw %u bytes sum %llx\n", size, sum(raw, size));
	}
}

int main(void)
{
	const char *obj = prog_path("btf_ext_sample.bpf.o");
	struct btf_ext *ext = (void *)1;
	struct btf *btf;

	btf = btf__parse_elf(obj, &ext);
	show("parse_elf", btf, ext);
	R(btf__find_by_name_kind(btf, "sample_task", BTF_KIND_STRUCT) > 0);
	R(btf__find_by_name_kind(btf, "sample_prog", BTF_KIND_FUNC) > 0);
	R(btf__find_by_name_kind(btf, ".data", BTF_KIND_DATASEC) > 0);
	btf_ext__free(ext);
	btf__free(btf);

	ext = (void *)1;
	btf = btf__parse(obj, &ext);
	show("parse", btf, ext);
	btf_ext__free(ext);
	btf__free(btf);

	btf = btf__parse_elf(obj, NULL);
	show("parse_elf without ext", btf, NULL);
	btf__free(btf);

	R(btf__parse_raw(obj) == NULL);
	R(errno);
	ext = (void *)1;
	R(btf__parse_elf("/nonexistent/oxbpf.o", &ext) == NULL);
	R(errno);
	R(ext == NULL);
	/* an ELF file without .BTF: this test binary */
	R(btf__parse_elf("/proc/self/exe", NULL) == NULL);
	R(errno);
	R(btf__parse("/proc/self/exe", NULL) == NULL);
	R(errno);
	return harness_done();
}
