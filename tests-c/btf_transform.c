// oxbpf-test: valgrind
/*
 * btf__permute(), btf__distill_base() and btf__relocate() (libbpf 1.5+ and
 * 1.7+: not in Debian's 1.1.2, so not differential) on hand-built BTF:
 * libbpf's own permute cases (base and split BTF, the resulting ids, every
 * invalid map refused with the BTF unchanged), .BTF.ext ids following a
 * permutation, the distilled base and the new split BTF of a split BTF
 * using most kinds, and the round trip: relocating onto the original base,
 * and onto a permuted copy of it, gives back types equivalent to the
 * original ones (compared structurally, names included).
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *name(const struct btf *b, __u32 id)
{
	return btf__name_by_offset(b, btf__type_by_id(b, id)->name_off);
}

/*
 * Whether type `a` of `ba` and type `b` of `bb` describe the same type:
 * same kind, name, size/vlen/encoding, member names and offsets, and
 * (up to `depth` levels) equivalent referenced types.
 */
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
			    strcmp(btf__name_by_offset(ba, btf_members(ta)[i].name_off),
				   btf__name_by_offset(bb, btf_members(tb)[i].name_off)) ||
			    !same(ba, btf_members(ta)[i].type, bb, btf_members(tb)[i].type, depth - 1))
				return 0;
		return 1;
	case BTF_KIND_ARRAY:
		return btf_array(ta)->nelems == btf_array(tb)->nelems &&
		       same(ba, btf_array(ta)->type, bb, btf_array(tb)->type, depth - 1) &&
		       same(ba, btf_array(ta)->index_type, bb, btf_array(tb)->index_type, depth - 1);
	case BTF_KIND_FUNC_PROTO:
		for (i = 0; i < btf_vlen(ta); i++)
			if (!same(ba, btf_params(ta)[i].type, bb, btf_params(tb)[i].type, depth - 1))
				return 0;
		/* and the return type */
		__attribute__((fallthrough));
	default:
		return same(ba, ta->type, bb, tb->type, depth - 1);
	}
}

static void list(const char *what, const struct btf *b)
{
	const struct btf *base = btf__base_btf(b);
	__u32 id = base ? btf__type_cnt(base) : 1, i;

	printf("%s:\n", what);
	for (; id < btf__type_cnt(b); id++) {
		const struct btf_type *t = btf__type_by_id(b, id);

		printf("  [%u] kind %u '%s' sz/type %u", id, btf_kind(t), name(b, id), t->size);
		for (i = 0; btf_is_composite(t) && i < btf_vlen(t); i++)
			printf(" %s:%u", btf__name_by_offset(b, btf_members(t)[i].name_off), btf_members(t)[i].type);
		for (i = 0; btf_is_func_proto(t) && i < btf_vlen(t); i++)
			printf(" %s:%u", btf__name_by_offset(b, btf_params(t)[i].name_off), btf_params(t)[i].type);
		printf("\n");
	}
}

static struct btf *permute_base_btf(void)
{
	struct btf *b = btf__new_empty();

	btf__add_int(b, "int", 4, BTF_INT_SIGNED); /* [1] */
	btf__add_ptr(b, 1); /* [2] */
	btf__add_struct(b, "s1", 4); /* [3] */
	btf__add_field(b, "m", 1, 0, 0);
	btf__add_struct(b, "s2", 4); /* [4] */
	btf__add_field(b, "m", 1, 0, 0);
	btf__add_func_proto(b, 1); /* [5] */
	btf__add_func_param(b, "p", 2);
	btf__add_func(b, "f", BTF_FUNC_STATIC, 5); /* [6] */
	return b;
}

static void permute(void)
{
	struct btf *b = permute_base_btf(), *base, *s;
	__u32 ok[7] = { 0, 4, 3, 5, 1, 6, 2 }, back[7] = { 0, 4, 6, 2, 1, 3, 5 };
	__u32 bad[4][7] = { { 4, 0, 3, 5, 1, 6, 2 }, { 0, 4, 4, 5, 1, 6, 2 }, { 0, 4, 3, 5, 1, 7, 2 } };
	__u32 sp[4] = { 6, 3, 5, 4 }, size, size0;
	const void *raw;
	void *orig;
	int i;

	raw = btf__raw_data(b, &size0);
	orig = malloc(size0);
	memcpy(orig, raw, size0);
	CHECK_EQ(btf__permute(b, ok, 7, NULL), 0);
	/* libbpf's expected result */
	CHECK_STR(name(b, 1), "s2");
	CHECK_EQ(btf_members(btf__type_by_id(b, 1))[0].type, 4);
	CHECK_STR(name(b, 2), "f");
	CHECK_EQ(btf__type_by_id(b, 2)->type, 6);
	CHECK_EQ(btf__type_by_id(b, 3)->type, 4);
	CHECK_STR(name(b, 4), "int");
	CHECK_STR(name(b, 5), "s1");
	CHECK_EQ(btf__type_by_id(b, 6)->type, 4);
	CHECK_EQ(btf_params(btf__type_by_id(b, 6))[0].type, 3);
	list("permuted base", b);
	raw = btf__raw_data(b, &size);
	for (i = 0; i < 3; i++) {
		errno = 0;
		CHECK_EQ(btf__permute(b, bad[i], 7, NULL), -EINVAL);
		CHECK_EQ(errno, EINVAL);
	}
	CHECK_EQ(btf__permute(b, ok, 6, NULL), -EINVAL);
	CHECK_EQ(btf__permute(b, NULL, 7, NULL), -EINVAL);
	CHECK_EQ(btf__type_cnt(b), 7);
	CHECK_STR(name(b, 1), "s2");
	CHECK_EQ(btf__permute(b, back, 7, NULL), 0);
	raw = btf__raw_data(b, &size);
	CHECK(size == size0 && memcmp(raw, orig, size) == 0);
	free(orig);
	btf__free(b);

	/* Split BTF: the map covers the split types only; base ids are refused. */
	base = btf__new_empty();
	btf__add_int(base, "int", 4, BTF_INT_SIGNED);
	btf__add_ptr(base, 1);
	s = btf__new_empty_split(base);
	btf__add_struct(s, "s1", 4); /* [3] */
	btf__add_field(s, "m", 1, 0, 0);
	btf__add_struct(s, "s2", 4); /* [4] */
	btf__add_field(s, "m", 1, 0, 0);
	btf__add_func_proto(s, 1); /* [5] */
	btf__add_func_param(s, "p", 2);
	btf__add_func(s, "f", BTF_FUNC_STATIC, 5); /* [6] */
	CHECK_EQ(btf__permute(s, sp, 4, NULL), 0);
	CHECK_STR(name(s, 3), "s2");
	CHECK_STR(name(s, 4), "f");
	CHECK_EQ(btf__type_by_id(s, 4)->type, 5);
	CHECK_EQ(btf_params(btf__type_by_id(s, 5))[0].type, 2);
	CHECK_STR(name(s, 6), "s1");
	list("permuted split", s);
	sp[1] = 2;
	CHECK_EQ(btf__permute(s, sp, 4, NULL), -EINVAL);
	sp[1] = 6;
	CHECK_EQ(btf__permute(s, sp, 4, NULL), -EINVAL);
	CHECK_EQ(btf__permute(s, sp, 3, NULL), -EINVAL);
	CHECK_STR(name(s, 3), "s2");
	btf__free(s);
	btf__free(base);
}

static void put(unsigned char **p, __u32 v)
{
	memcpy(*p, &v, 4);
	*p += 4;
}

/* .BTF.ext func info and CO-RE type ids follow a permutation. */
static void permute_ext(void)
{
	struct btf *b = permute_base_btf();
	unsigned char buf[128], *w = buf;
	__u32 map[7] = { 0, 4, 3, 5, 1, 6, 2 }, size;
	LIBBPF_OPTS(btf_permute_opts, opts);
	const __u32 *out;
	int sec = btf__add_str(b, "prog"), acc = btf__add_str(b, "0");

	memset(buf, 0, sizeof(buf));
	*(__u16 *)w = 0xeb9f;
	w[2] = 1;
	w += 4;
	put(&w, 32);
	put(&w, 0), put(&w, 20), put(&w, 20), put(&w, 0), put(&w, 20), put(&w, 28);
	put(&w, 8), put(&w, sec), put(&w, 1), put(&w, 0), put(&w, 6);
	put(&w, 16), put(&w, sec), put(&w, 1), put(&w, 0), put(&w, 3), put(&w, acc), put(&w, 0);
	opts.btf_ext = btf_ext__new(buf, w - buf);
	CHECK(opts.btf_ext != NULL);
	CHECK_EQ(btf__permute(b, map, 7, &opts), 0);
	out = btf_ext__raw_data(opts.btf_ext, &size);
	CHECK_EQ(size, w - buf);
	CHECK_EQ(out[8 + 4], 2); /* func info: f is now [2] */
	CHECK_EQ(out[8 + 5 + 4], 5); /* CO-RE: s1 is now [5] */
	btf_ext__free(opts.btf_ext);
	btf__free(b);
}

static struct btf *dist_base(void)
{
	struct btf *b = btf__new_empty();
	int proto;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED); /* 1 */
	btf__add_int(b, "long", 8, BTF_INT_SIGNED); /* 2 */
	btf__add_struct(b, "s", 4); /* 3 */
	btf__add_field(b, "x", 1, 0, 0);
	btf__add_ptr(b, 3); /* 4 */
	btf__add_typedef(b, "td", 1); /* 5 */
	btf__add_struct(b, "", 4); /* 6 */
	btf__add_field(b, "y", 1, 0, 0);
	btf__add_enum(b, "e", 4); /* 7 */
	btf__add_enum_value(b, "A", 1);
	btf__add_enum64(b, "e64", 8, false); /* 8 */
	btf__add_enum64_value(b, "B", 1ULL << 40);
	btf__add_fwd(b, "f", BTF_FWD_STRUCT); /* 9 */
	btf__add_ptr(b, 9); /* 10 */
	btf__add_const(b, 1); /* 11 */
	btf__add_array(b, 1, 1, 2); /* 12 */
	proto = btf__add_func_proto(b, 1); /* 13 */
	btf__add_func_param(b, "a", 1);
	btf__add_struct(b, "unused", 4); /* 14 */
	btf__add_field(b, "x", 1, 0, 0);
	btf__add_enum(b, "", 4); /* 15 */
	btf__add_enum_value(b, "Z", 0);
	btf__add_float(b, "double", 8); /* 16 */
	btf__add_func(b, "fn", BTF_FUNC_GLOBAL, proto); /* 17 */
	return b;
}

static struct btf *split_on(struct btf *base)
{
	struct btf *s = btf__new_empty_split(base);
	const char *names[] = { "p", "t", "a", "en", "ee", "pf", "c", "arr", "fp", "z", "d" };
	int types[] = { 4, 5, 6, 7, 8, 10, 11, 12, 20, 15, 16 }, i;

	btf__add_struct(s, "use", 64); /* 18 */
	for (i = 0; i < 11; i++)
		btf__add_field(s, names[i], types[i], i * 32, 0);
	btf__add_ptr(s, 18); /* 19 */
	btf__add_ptr(s, 13); /* 20 */
	btf__add_struct(s, "embeds", 8); /* 21: embeds s (size must match) */
	btf__add_field(s, "s", 3, 0, 0);
	btf__add_field(s, "t", 5, 32, 0);
	return s;
}

static void distill_relocate(void)
{
	struct btf *base = dist_base(), *s = split_on(base), *db = NULL, *ds = NULL, *pbase;
	__u32 id, n, rev[18];
	int err;

	errno = 0;
	CHECK_EQ(btf__distill_base(base, &db, &ds), -EINVAL); /* not split */
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(btf__distill_base(s, NULL, &ds), -EINVAL);
	CHECK_EQ(btf__distill_base(s, &db, &ds), 0);
	CHECK(btf__base_btf(ds) == db);
	list("distilled base", db);
	list("new split", ds);
	/* named int, struct s (no members), enum e, e64 as a sized enum, fwd f, double */
	CHECK_EQ(btf__type_cnt(db), 7);
	CHECK_EQ(btf_vlen(btf__type_by_id(db, btf__find_by_name_kind(db, "s", BTF_KIND_STRUCT))), 0);
	CHECK_EQ(btf__find_by_name_kind(db, "e64", BTF_KIND_ENUM), 4);
	CHECK_EQ(btf__find_by_name_kind(db, "unused", BTF_KIND_STRUCT), -ENOENT);
	/* split types first, in order, then what they need from the old base */
	CHECK_STR(name(ds, 7), "use");
	CHECK_STR(name(ds, 10), "embeds");
	CHECK_EQ(btf__type_cnt(ds), 7 + 4 + 8);
	CHECK(btf__find_by_name_kind(ds, "td", BTF_KIND_TYPEDEF) > 10);

	/* Relocation errors leave the split BTF as it was. */
	CHECK_EQ(btf__relocate(ds, db), -EINVAL);
	CHECK_EQ(btf__relocate(base, db), -EINVAL);
	CHECK_EQ(btf__relocate(ds, NULL), -EINVAL);

	/* Back onto the original base: equivalent to the original split types. */
	CHECK_EQ(btf__relocate(ds, base), 0);
	CHECK(btf__base_btf(ds) == base);
	CHECK_EQ(btf__type_cnt(ds), 18 + 4 + 8);
	for (id = 18; id < btf__type_cnt(s); id++)
		CHECKM(same(s, id, ds, id, 8), "type %u", id);
	list("relocated", ds);
	btf__free(ds);
	btf__free(db);

	/* Onto a permuted copy of the base: same types, other ids. */
	CHECK_EQ(btf__distill_base(s, &db, &ds), 0);
	pbase = dist_base();
	n = btf__type_cnt(pbase);
	for (id = 0; id < n; id++)
		rev[id] = id ? n - id : 0;
	CHECK_EQ(btf__permute(pbase, rev, n, NULL), 0);
	CHECK_STR(name(pbase, 1), "fn");
	err = btf__relocate(ds, pbase);
	CHECK_EQ(err, 0);
	for (id = 18; !err && id < btf__type_cnt(s); id++)
		CHECKM(same(s, id, ds, id, 8), "type %u", id);
	CHECK_EQ(btf_members(btf__type_by_id(ds, 18))[3].type, 11); /* enum e: was [7], now [11] */
	btf__free(ds);
	btf__free(db);
	btf__free(pbase);

	/* A base whose `s` has another size: `embeds` can no longer match it. */
	CHECK_EQ(btf__distill_base(s, &db, &ds), 0);
	pbase = btf__new_empty();
	btf__add_int(pbase, "int", 4, BTF_INT_SIGNED);
	btf__add_struct(pbase, "s", 8);
	btf__add_enum(pbase, "e", 4);
	btf__add_enum64(pbase, "e64", 8, false);
	btf__add_fwd(pbase, "f", BTF_FWD_STRUCT);
	btf__add_float(pbase, "double", 8);
	CHECK_EQ(btf__relocate(ds, pbase), -EINVAL);
	CHECK(btf__base_btf(ds) == db);
	btf__free(ds);
	btf__free(db);
	btf__free(pbase);

	btf__free(s);
	btf__free(base);
}

int main(void)
{
	permute();
	permute_ext();
	distill_relocate();
	return harness_done();
}
