// oxbpf-test: valgrind
/*
 * The btf.h functions newer than Debian's libbpf 1.1.2: btf__new_split()
 * (1.4), btf_ext__raw_data() (1.4), btf_ext__endianness() and
 * btf_ext__set_endianness() (1.5), btf__add_type_attr() and
 * btf__add_decl_attr() (1.6), btf__new_empty_opts() (1.8, with a layout
 * section), plus the legacy aliases.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <bpf/libbpf_legacy.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static void ext_endianness(void)
{
	struct btf_ext *ext = NULL, *big;
	const void *raw, *braw;
	__u32 size, bsize;
	void *orig;
	struct btf *btf = btf__parse_elf(prog_path("btf_ext_sample.bpf.o"), &ext);

	CHECK(btf && ext);
	if (!ext)
		return;
	raw = btf_ext__raw_data(ext, &size);
	CHECK(raw && size > 32);
	CHECK(btf_ext__get_raw_data(ext, &bsize) == raw && bsize == size);
	orig = malloc(size);
	memcpy(orig, raw, size);
	CHECK_EQ(btf_ext__endianness(ext), BTF_LITTLE_ENDIAN);
	CHECK_EQ(btf_ext__set_endianness(ext, 7), -EINVAL);
	CHECK_EQ(btf_ext__set_endianness(ext, BTF_BIG_ENDIAN), 0);
	CHECK_EQ(btf_ext__endianness(ext), BTF_BIG_ENDIAN);
	braw = btf_ext__raw_data(ext, &bsize);
	CHECK(bsize == size && memcmp(braw, orig, size) != 0);
	CHECK(((const unsigned char *)braw)[0] == 0xeb);

	/* the big-endian bytes parse, and convert back to the original */
	big = btf_ext__new(braw, bsize);
	CHECK(big);
	CHECK_EQ(btf_ext__endianness(big), BTF_BIG_ENDIAN);
	CHECK(memcmp(btf_ext__raw_data(big, &bsize), braw, size) == 0);
	CHECK_EQ(btf_ext__set_endianness(big, BTF_LITTLE_ENDIAN), 0);
	CHECK(memcmp(btf_ext__raw_data(big, &bsize), orig, size) == 0);
	CHECK_EQ(btf_ext__set_endianness(ext, BTF_LITTLE_ENDIAN), 0);
	CHECK(memcmp(btf_ext__raw_data(ext, &bsize), orig, size) == 0);
	btf_ext__free(big);
	btf_ext__free(ext);

	/* the object's BTF in big endian and back */
	CHECK_EQ(btf__set_endianness(btf, BTF_BIG_ENDIAN), 0);
	braw = btf__raw_data(btf, &bsize);
	{
		struct btf *b2 = btf__new(braw, bsize);

		CHECK(b2 && btf__endianness(b2) == BTF_BIG_ENDIAN);
		CHECK(b2 && btf__type_cnt(b2) == btf__type_cnt(btf));
		CHECK(b2 && btf__find_by_name_kind(b2, "sample_task", BTF_KIND_STRUCT) > 0);
		btf__free(b2);
	}
	free(orig);
	btf__free(btf);
}

static void new_split(void)
{
	struct btf *base = btf__new_empty(), *split, *back;
	const void *raw;
	__u32 size;
	int i, p;

	i = btf__add_int(base, "int", 4, BTF_INT_SIGNED);
	split = btf__new_empty_split(base);
	p = btf__add_ptr(split, i);
	CHECK_EQ(p, 2);
	CHECK(btf__add_struct(split, "only_split", 8) == 3);
	CHECK(btf__add_field(split, "p", p, 0, 0) == 0);
	raw = btf__raw_data(split, &size);
	back = btf__new_split(raw, size, base);
	CHECK(back);
	CHECK(back && btf__type_cnt(back) == 4 && btf__base_btf(back) == base);
	CHECK(back && btf__resolve_size(back, 3) == 8);
	CHECK(back && btf__find_by_name_kind(back, "int", BTF_KIND_INT) == 1);
	CHECK(btf__new_split(raw, size, NULL) == NULL && errno == EINVAL);
	/* freeing the base first is fine: the split holds it */
	btf__free(base);
	CHECK(back && btf__resolve_size(back, 1) == 4);
	btf__free(back);
	btf__free(split);
}

static void attrs(void)
{
	struct btf *btf = btf__new_empty();
	int i = btf__add_int(btf, "int", 4, 0), t, d;

	t = btf__add_type_attr(btf, "address_space(1)", i);
	CHECK(t == 2 && btf_kflag(btf__type_by_id(btf, t)) && btf_is_type_tag(btf__type_by_id(btf, t)));
	CHECK(!btf_kflag(btf__type_by_id(btf, btf__add_type_tag(btf, "user", i))));
	d = btf__add_decl_attr(btf, "aligned(8)", i, -1);
	CHECK(d == 4 && btf_kflag(btf__type_by_id(btf, d)) && btf_decl_tag(btf__type_by_id(btf, d))->component_idx == -1);
	CHECK_EQ(btf__add_type_attr(btf, "", i), -EINVAL);
	CHECK_EQ(btf__add_type_attr(btf, NULL, i), -EINVAL);
	CHECK_EQ(btf__add_type_attr(btf, "x", -1), -EINVAL);
	CHECK_EQ(btf__add_decl_attr(btf, "x", i, -2), -EINVAL);
	CHECK_EQ(btf__add_decl_attr(btf, NULL, i, 0), -EINVAL);
	CHECK_EQ(btf__resolve_type(btf, t), i);
	/* copying a type of the same BTF */
	CHECK_EQ(btf__add_type(btf, btf, btf__type_by_id(btf, d)), 5);
	CHECK(btf_kflag(btf__type_by_id(btf, 5)));
	CHECK_EQ(btf__type_by_id(btf, 5)->name_off, btf__type_by_id(btf, d)->name_off);
	btf__free(btf);
}

static void empty_opts(void)
{
	LIBBPF_OPTS(btf_new_opts, opts);
	struct btf *base, *b;
	const struct btf_header *h;
	__u32 size;
	struct {
		struct btf_new_opts o;
		long extra;
	} big = { .o = { .sz = sizeof(big) }, .extra = 1 };

	b = btf__new_empty_opts(NULL);
	CHECK(b && btf__type_cnt(b) == 1);
	h = btf__raw_data(b, &size);
	CHECK(h->hdr_len == 32 && size == 33);
	btf__free(b);

	opts.add_layout = true;
	b = btf__new_empty_opts(&opts);
	CHECK(btf__add_int(b, "int", 4, 0) == 1);
	h = btf__raw_data(b, &size);
	CHECK_EQ(((const __u32 *)h)[6], 16);	/* layout_off, after the INT */
	CHECK_EQ(((const __u32 *)h)[7], 80);	/* 20 kinds */
	CHECK_EQ(h->str_off, 96);
	CHECK_EQ(size, 32 + 96 + 5);
	/* layout entries: INT has 4 bytes of info, STRUCT 12 per member */
	CHECK_EQ(((const unsigned char *)h)[32 + 16 + 4 * BTF_KIND_INT], 4);
	CHECK_EQ(((const unsigned char *)h)[32 + 16 + 4 * BTF_KIND_STRUCT + 1], 12);
	base = btf__new(h, size);
	CHECK(base && btf__type_cnt(base) == 2);
	btf__free(b);

	opts.add_layout = false;
	opts.base_btf = base;
	b = btf__new_empty_opts(&opts);
	CHECK(b && btf__base_btf(b) == base && btf__type_cnt(b) == 2);
	CHECK(b && btf__add_ptr(b, 1) == 2);
	btf__free(b);
	CHECK(btf__new_empty_opts((struct btf_new_opts *)&big) == NULL && errno == EINVAL);
	btf__free(base);
}

static void legacy(void)
{
	struct btf *b = btf__new_empty(), *k;
	__u32 s1, s2;

	CHECK(btf__get_raw_data(b, &s1) == btf__raw_data(b, &s2) && s1 == s2);
	btf__free(b);
	k = libbpf_find_kernel_btf();
	CHECK(k && btf__type_cnt(k) > 1000);
	btf__free(k);
}

int main(void)
{
	libbpf_set_print(silent);
	ext_endianness();
	new_split();
	attrs();
	empty_opts();
	legacy();
	return harness_done();
}
