// oxbpf-test: differential
/*
 * btf__dedup() at kernel scale, against Debian's libbpf: the running
 * kernel's BTF parsed (string compaction and a dedup pass over pahole's
 * output), added twice and three times into one BTF (every struct graph
 * compared across copies), and as split BTF on itself, both as is (every
 * type a duplicate of a base type) and with its ids moved into the split
 * part (a whole duplicate graph that must fold into the base). Prints type
 * counts and a digest of the bytes after the header (1.8 writes a 32-byte
 * header, 1.1.2 a 24-byte one). VAR and DATASEC are never merged: each copy
 * keeps its own, and nothing else remains.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"

static unsigned long long digest(const struct btf *btf, __u32 *len)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	const unsigned char *raw;
	__u32 size, i;

	raw = btf__raw_data(btf, &size);
	i = ((const struct btf_header *)raw)->hdr_len;
	*len = size - i;
	for (; i < size; i++)
		h = (h ^ raw[i]) * 0x100000001b3ULL;
	return h;
}

static void report(const char *what, int err, const struct btf *btf)
{
	__u32 len;
	unsigned long long h = digest(btf, &len);

	printf("%s: dedup %d, %u types, %u bytes, digest %016llx\n", what, err, btf__type_cnt(btf), len, h);
}

/* Number of VAR and DATASEC types (never merged). */
static __u32 vars(const struct btf *btf)
{
	__u32 id, n = 0;

	for (id = 1; id < btf__type_cnt(btf); id++)
		n += btf_is_var(btf__type_by_id(btf, id)) || btf_is_datasec(btf__type_by_id(btf, id));
	return n;
}

static void copies(int n)
{
	struct btf *vm = btf__parse_raw(VMLINUX), *b = btf__new_empty();
	char what[32];
	__u32 before;
	int i;

	btf__dedup(vm, NULL);
	before = btf__type_cnt(vm);
	for (i = 0; i < n; i++)
		CHECK(btf__add_btf(b, vm) > 0);
	snprintf(what, sizeof(what), "vmlinux x%d", n);
	report(what, btf__dedup(b, NULL), b);
	CHECK_EQ(btf__type_cnt(b), before + (n - 1) * vars(vm));
	btf__free(b);
	btf__free(vm);
}

/* Size in bytes of the record at `t` (kinds of this kernel's BTF). */
static __u32 rec_size(const struct btf_type *t)
{
	__u32 v = btf_vlen(t);

	switch (btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
		return 16;
	case BTF_KIND_ARRAY:
		return 24;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_DATASEC: case BTF_KIND_ENUM64:
		return 12 + 12 * v;
	case BTF_KIND_ENUM: case BTF_KIND_FUNC_PROTO:
		return 12 + 8 * v;
	default:
		return 12;
	}
}

static void bump(__u32 *id, __u32 by)
{
	if (*id)
		*id += by;
}

/* vmlinux with every type id moved up by `by`, written to `path`. */
static int shifted(const char *path, __u32 by)
{
	FILE *f = fopen(VMLINUX, "rb");
	unsigned char *buf = malloc(64 << 20), *p, *end;
	struct btf_header *h = (void *)buf;
	size_t n;
	__u32 i;

	if (!f || !buf)
		return -1;
	n = fread(buf, 1, 64 << 20, f);
	fclose(f);
	p = buf + h->hdr_len + h->type_off;
	end = p + h->type_len;
	while (p < end) {
		struct btf_type *t = (void *)p;

		switch (btf_kind(t)) {
		case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT: case BTF_KIND_FUNC: case BTF_KIND_FUNC_PROTO: case BTF_KIND_VAR:
		case BTF_KIND_DECL_TAG: case BTF_KIND_TYPE_TAG:
			bump(&t->type, by);
			break;
		}
		if (btf_is_array(t)) {
			bump(&btf_array(t)->type, by);
			bump(&btf_array(t)->index_type, by);
		}
		for (i = 0; btf_is_composite(t) && i < btf_vlen(t); i++)
			bump(&btf_members(t)[i].type, by);
		for (i = 0; btf_is_func_proto(t) && i < btf_vlen(t); i++)
			bump(&btf_params(t)[i].type, by);
		for (i = 0; btf_is_datasec(t) && i < btf_vlen(t); i++)
			bump(&btf_var_secinfos(t)[i].type, by);
		p += rec_size(t);
	}
	f = fopen(path, "wb");
	if (!f)
		return -1;
	fwrite(buf, 1, n, f);
	fclose(f);
	free(buf);
	return 0;
}

int main(void)
{
	struct btf *vm = btf__parse_raw(VMLINUX), *s;
	char path[64];
	__u32 n;

	if (!vm)
		SKIP("no vmlinux BTF");
	n = btf__type_cnt(vm);
	report("vmlinux", btf__dedup(vm, NULL), vm);
	btf__free(vm);

	copies(2);
	copies(3);

	/* Split on itself: each type refers to (and equals) a base type. */
	vm = btf__parse_raw(VMLINUX);
	s = btf__parse_raw_split(VMLINUX, vm);
	CHECK(s != NULL);
	report("split, base ids", btf__dedup(s, NULL), s);
	CHECK_EQ(btf__type_cnt(s), n + vars(vm));
	btf__free(s);

	/* Split with its own copy of the whole graph: it all folds into the base. */
	snprintf(path, sizeof(path), "/tmp/oxbpf-dedup-shift-%d.btf", getpid());
	CHECK_EQ(shifted(path, n - 1), 0);
	s = btf__parse_raw_split(path, vm);
	CHECK(s != NULL);
	unlink(path);
	if (s) {
		printf("split copy before: %u own types\n", btf__type_cnt(s) - n);
		report("split, own graph", btf__dedup(s, NULL), s);
		CHECK_EQ(btf__type_cnt(s), n + vars(vm));
		btf__free(s);
	}
	btf__free(vm);
	return harness_done();
}
