/*
 * btf__distill_base(), btf__relocate() and btf__permute() at kernel scale
 * (libbpf 1.5+/1.7+: not differential). A module-like split BTF on the
 * running kernel's BTF refers to thousands of its types of every kind
 * (pointers to them, and structs embedding uniquely named structs and
 * unions); its distilled base holds only named INT/FLOAT/FWD/ENUM and
 * memberless STRUCT/UNION; relocating onto a fresh copy of vmlinux, and
 * onto a copy whose types were permuted (reversed), gives back types
 * equivalent to the original ones. Sorting vmlinux by name with
 * btf__permute() (as resolve_btfids does) and permuting back restores the
 * original bytes.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"

static const char *name(const struct btf *b, __u32 id)
{
	return btf__name_by_offset(b, btf__type_by_id(b, id)->name_off);
}

/* Structural equivalence of type `a` of `ba` and `b` of `bb` (see btf_transform.c). */
static int same(const struct btf *ba, __u32 a, const struct btf *bb, __u32 b, int depth)
{
	const struct btf_type *ta = btf__type_by_id(ba, a), *tb = btf__type_by_id(bb, b);
	__u32 i;

	if (!ta || !tb)
		return 0;
	if (a == 0 || b == 0)
		return a == b;
	if (ta->info != tb->info || strcmp(name(ba, a), name(bb, b)))
		return 0;
	if (depth == 0)
		return 1;
	switch (btf_kind(ta)) {
	case BTF_KIND_INT:
		return ta->size == tb->size && btf_int_encoding(ta) == btf_int_encoding(tb);
	case BTF_KIND_FLOAT: case BTF_KIND_ENUM: case BTF_KIND_ENUM64: case BTF_KIND_FWD:
		return ta->size == tb->size;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		if (ta->size != tb->size)
			return 0;
		for (i = 0; i < btf_vlen(ta); i++)
			if (btf_members(ta)[i].offset != btf_members(tb)[i].offset ||
			    !same(ba, btf_members(ta)[i].type, bb, btf_members(tb)[i].type, depth - 1))
				return 0;
		return 1;
	case BTF_KIND_ARRAY:
		return btf_array(ta)->nelems == btf_array(tb)->nelems &&
		       same(ba, btf_array(ta)->type, bb, btf_array(tb)->type, depth - 1);
	case BTF_KIND_FUNC_PROTO:
		for (i = 0; i < btf_vlen(ta); i++)
			if (!same(ba, btf_params(ta)[i].type, bb, btf_params(tb)[i].type, depth - 1))
				return 0;
		__attribute__((fallthrough));
	default:
		return same(ba, ta->type, bb, tb->type, depth - 1);
	}
}

/*
 * The named types relocation looks up by name (INT, FLOAT, ENUM, ENUM64,
 * STRUCT, UNION, FWD). A distilled struct matches any of them of its name
 * and size (libbpf checks no kind there), so for this test a name carried
 * by two of them is avoided altogether.
 */
static const struct btf *key_btf;

static int family(const struct btf_type *t)
{
	return btf_is_composite(t) || btf_is_fwd(t) || btf_is_any_enum(t) || btf_is_int(t) || btf_is_float(t);
}

static int by_key(const void *a, const void *b)
{
	__u32 x = btf__type_by_id(key_btf, *(const __u32 *)a)->name_off;
	__u32 y = btf__type_by_id(key_btf, *(const __u32 *)b)->name_off;

	return (x > y) - (x < y);
}

/* twins[id] = 1 when another named type of `b` of those kinds has `id`'s name. */
static unsigned char *find_twins(const struct btf *b)
{
	__u32 n = btf__type_cnt(b), *ids = calloc(n, 4), m = 0, i;
	unsigned char *twins = calloc(n, 1);

	for (i = 1; i < n; i++)
		if (family(btf__type_by_id(b, i)) && btf__type_by_id(b, i)->name_off)
			ids[m++] = i;
	key_btf = b;
	qsort(ids, m, 4, by_key);
	for (i = 1; i < m; i++)
		if (!by_key(&ids[i - 1], &ids[i]))
			twins[ids[i - 1]] = twins[ids[i]] = 1;
	free(ids);
	return twins;
}

/*
 * Whether referring to `id` keeps relocation unambiguous: the named
 * structs/unions it leads to (through anything but named structs/unions)
 * have no namesake. (Relocation refuses ambiguous ones, as libbpf's.)
 */
static int relocatable(const struct btf *b, __u32 id, unsigned char *memo, const unsigned char *twins)
{
	const struct btf_type *t = btf__type_by_id(b, id);
	__u32 i, ok = 1;

	if (!id || memo[id] == 2)
		return 1;
	if (memo[id])
		return memo[id] == 2 || memo[id] == 1; /* in progress: decided by the caller */
	memo[id] = 1;
	if (btf_is_func(t) || btf_is_var(t) || btf_is_datasec(t) || btf_is_decl_tag(t)) {
		ok = 0; /* cannot be distilled */
	} else if (family(t) && t->name_off) {
		ok = !twins[id];
	} else if (btf_is_composite(t)) {
		for (i = 0; ok && i < btf_vlen(t); i++)
			ok = relocatable(b, btf_members(t)[i].type, memo, twins);
	} else if (btf_is_array(t)) {
		ok = relocatable(b, btf_array(t)->type, memo, twins) && relocatable(b, btf_array(t)->index_type, memo, twins);
	} else if (btf_is_func_proto(t)) {
		for (i = 0; ok && i < btf_vlen(t); i++)
			ok = relocatable(b, btf_params(t)[i].type, memo, twins);
		ok = ok && relocatable(b, t->type, memo, twins);
	} else if (!family(t)) {
		ok = relocatable(b, t->type, memo, twins);
	}
	memo[id] = ok ? 2 : 3;
	return ok;
}

/* A split BTF on `vm` using types of every kind it has. */
static struct btf *module(struct btf *vm)
{
	struct btf *s = btf__new_empty_split(vm);
	__u32 id, n = btf__type_cnt(vm), embeds = 0;
	unsigned char *memo = calloc(n, 1), *twins = find_twins(vm);

	for (id = 1; id < n; id += 7) {
		const struct btf_type *t = btf__type_by_id(vm, id);

		if (!relocatable(vm, id, memo, twins))
			continue;
		switch (btf_kind(t)) {
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			if (embeds < 300 && t->name_off && !twins[id]) {
				btf__add_struct(s, "wrap", t->size);
				btf__add_field(s, "inner", id, 0, 0);
				embeds++;
				break;
			}
			/* fall through */
		default:
			btf__add_ptr(s, id);
		}
	}
	free(memo);
	free(twins);
	return s;
}

static void check_distilled(const struct btf *db)
{
	__u32 id, bad = 0;

	for (id = 1; id < btf__type_cnt(db); id++) {
		const struct btf_type *t = btf__type_by_id(db, id);

		switch (btf_kind(t)) {
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			bad += btf_vlen(t) != 0;
			/* fall through */
		case BTF_KIND_INT: case BTF_KIND_FLOAT: case BTF_KIND_FWD: case BTF_KIND_ENUM:
			bad += !t->name_off || (btf_is_enum(t) && btf_vlen(t));
			break;
		default:
			bad++;
		}
	}
	CHECK_EQ(bad, 0);
}

static void relocate_onto(struct btf *s, struct btf *target, const char *what)
{
	struct btf *db = NULL, *ds = NULL;
	__u32 id, start = btf__type_cnt(btf__base_btf(s)), diffs = 0;
	int err;

	CHECK_EQ(btf__distill_base(s, &db, &ds), 0);
	if (!ds)
		return;
	check_distilled(db);
	printf("%s: distilled base %u types (of %u), split %u own types (of which %u original)\n", what,
	       btf__type_cnt(db) - 1, start - 1, btf__type_cnt(ds) - btf__type_cnt(db), btf__type_cnt(s) - start);
	err = btf__relocate(ds, target);
	CHECK_EQ(err, 0);
	CHECK(btf__base_btf(ds) == target);
	CHECK_EQ(btf__type_cnt(target), start);
	for (id = start; !err && id < btf__type_cnt(s); id++)
		diffs += !same(s, id, ds, id, 5);
	CHECK_EQ(diffs, 0);
	btf__free(ds);
	btf__free(db);
}

static const struct btf *sort_btf;

static int by_name(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;
	int d = strcmp(name(sort_btf, x), name(sort_btf, y));

	return d ? d : (x > y) - (x < y);
}

static void sort_and_back(void)
{
	struct btf *vm = btf__parse_raw(VMLINUX);
	__u32 n = btf__type_cnt(vm), i, *order = calloc(n, 4), *map = calloc(n, 4), *back = calloc(n, 4);
	const unsigned char *raw;
	unsigned char *orig;
	__u32 size, size0, unsorted = 0;

	raw = btf__raw_data(vm, &size0);
	orig = malloc(size0);
	memcpy(orig, raw, size0);
	for (i = 0; i < n; i++)
		order[i] = i;
	sort_btf = vm;
	qsort(order + 1, n - 1, 4, by_name);
	for (i = 0; i < n; i++) {
		map[order[i]] = i;
		back[i] = order[i];
	}
	CHECK_EQ(btf__permute(vm, map, n, NULL), 0);
	for (i = 2; i < n; i++)
		unsorted += strcmp(name(vm, i - 1), name(vm, i)) > 0;
	CHECK_EQ(unsorted, 0);
	CHECK_EQ(btf__find_by_name_kind(vm, "task_struct", BTF_KIND_STRUCT) > 0, 1);
	CHECK_EQ(btf__resolve_size(vm, btf__find_by_name_kind(vm, "list_head", BTF_KIND_STRUCT)), 16);
	CHECK_EQ(btf__permute(vm, back, n, NULL), 0);
	raw = btf__raw_data(vm, &size);
	CHECK(size == size0 && !memcmp(raw, orig, size));
	printf("sorted %u types by name and back\n", n - 1);
	free(orig);
	free(order);
	free(map);
	free(back);
	btf__free(vm);
}

int main(void)
{
	struct btf *vm = btf__parse_raw(VMLINUX), *vm2, *rev, *s;
	__u32 n, id, *map;

	if (!vm)
		SKIP("no vmlinux BTF");
	s = module(vm);
	printf("module: %u types\n", btf__type_cnt(s) - btf__type_cnt(vm));

	vm2 = btf__parse_raw(VMLINUX);
	relocate_onto(s, vm2, "onto a fresh vmlinux");

	rev = btf__parse_raw(VMLINUX);
	n = btf__type_cnt(rev);
	map = calloc(n, 4);
	for (id = 1; id < n; id++)
		map[id] = n - id;
	CHECK_EQ(btf__permute(rev, map, n, NULL), 0);
	relocate_onto(s, rev, "onto a reversed vmlinux");

	free(map);
	btf__free(s);
	btf__free(rev);
	btf__free(vm2);
	btf__free(vm);
	sort_and_back();
	return harness_done();
}
