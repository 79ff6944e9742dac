// oxbpf-test: differential
/*
 * Walks every type of the running kernel's BTF and prints everything the
 * public API shows about it: id, kind, name, size or referenced type, vlen,
 * kind flag, every member / parameter / enumerator / variable, and for each
 * type btf__resolve_size(), btf__resolve_type() and btf__align_of(). A
 * sample of named types is looked up by name and kind. The output must be
 * identical with Debian's libbpf.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>

#include "harness.h"

static const char *kinds[] = {
	"UNKN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF", "VOLATILE",
	"CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG",
	"TYPE_TAG", "ENUM64",
};

/*
 * Every btf_is_*() helper, checked against the kind, and printed as a mask;
 * btf_kind_core_compat() against the previous type.
 */
static unsigned int predicates(const struct btf_type *t, const struct btf_type *prev)
{
	unsigned int k = btf_kind(t), m = 0, i = 0;
	bool is[] = {
		btf_is_void(t), btf_is_int(t), btf_is_ptr(t), btf_is_array(t), btf_is_struct(t), btf_is_union(t),
		btf_is_enum(t), btf_is_fwd(t), btf_is_typedef(t), btf_is_volatile(t), btf_is_const(t),
		btf_is_restrict(t), btf_is_func(t), btf_is_func_proto(t), btf_is_var(t), btf_is_datasec(t),
		btf_is_float(t), btf_is_decl_tag(t), btf_is_type_tag(t), btf_is_enum64(t),
	};

	for (i = 0; i < sizeof(is) / sizeof(is[0]); i++) {
		CHECK(is[i] == (k == i));
		m |= is[i] << i;
	}
	CHECK(btf_is_composite(t) == (k == BTF_KIND_STRUCT || k == BTF_KIND_UNION));
	CHECK(btf_is_any_enum(t) == (k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64));
	CHECK(btf_is_mod(t) == (k == BTF_KIND_VOLATILE || k == BTF_KIND_CONST || k == BTF_KIND_RESTRICT ||
				k == BTF_KIND_TYPE_TAG));
	CHECK(btf_kind(t) == ((t->info >> 24) & 0x1f) && btf_vlen(t) == (t->info & 0xffff) &&
	      btf_kflag(t) == (t->info >> 31));
	m |= btf_is_composite(t) << 20 | btf_is_any_enum(t) << 21 | btf_is_mod(t) << 22;
	m |= btf_kind_core_compat(t, prev) << 23;
	return m;
}

static const char *name_of(const struct btf *btf, __u32 off)
{
	const char *s = btf__name_by_offset(btf, off);

	return s ? s : "(null)";
}

int main(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	__u32 id, n, i;

	if (!btf)
		SKIP("no vmlinux BTF: %d", -errno);
	n = btf__type_cnt(btf);
	printf("types %u ptr_sz %zu endian %d base %p\n", n, btf__pointer_size(btf), btf__endianness(btf),
	       (void *)btf__base_btf(btf));
	CHECK(btf__type_by_id(btf, n) == NULL && errno == EINVAL);
	CHECK(btf__name_by_offset(btf, 0xffffffff) == NULL && errno == EINVAL);

	for (id = 0; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_type *prev = btf__type_by_id(btf, id ? id - 1 : 0);
		__u16 vlen = btf_vlen(t);
		long long sz;
		int r, a;

		printf("[%u] %s '%s' sz/type=%u vlen=%u kflag=%d", id, kinds[btf_kind(t)], name_of(btf, t->name_off),
		       t->size, vlen, btf_kflag(t));
		if (btf_is_int(t))
			printf(" enc=%u off=%u bits=%u", btf_int_encoding(t), btf_int_offset(t), btf_int_bits(t));
		if (btf_is_array(t))
			printf(" elem=%u idx=%u n=%u", btf_array(t)->type, btf_array(t)->index_type, btf_array(t)->nelems);
		if (btf_is_var(t))
			printf(" linkage=%u", btf_var(t)->linkage);
		if (btf_is_decl_tag(t))
			printf(" comp=%d", btf_decl_tag(t)->component_idx);
		errno = 0;
		sz = btf__resolve_size(btf, id);
		r = btf__resolve_type(btf, id);
		errno = 0;
		a = btf__align_of(btf, id);
		printf(" | size=%lld res=%d align=%d/%d is=%x\n", sz, r, a, a ? 0 : errno, predicates(t, prev));
		if (btf_is_composite(t)) {
			const struct btf_member *m = btf_members(t);

			for (i = 0; i < vlen; i++, m++)
				printf("  m '%s' type=%u bitoff=%u bitsz=%u\n", name_of(btf, m->name_off), m->type,
				       btf_member_bit_offset(t, i), btf_member_bitfield_size(t, i));
		} else if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t);

			for (i = 0; i < vlen; i++, e++)
				printf("  e '%s' %d\n", name_of(btf, e->name_off), e->val);
		} else if (btf_is_enum64(t)) {
			const struct btf_enum64 *e = btf_enum64(t);

			for (i = 0; i < vlen; i++, e++)
				printf("  e64 '%s' %llu\n", name_of(btf, e->name_off), (unsigned long long)btf_enum64_value(e));
		} else if (btf_is_func_proto(t)) {
			const struct btf_param *p = btf_params(t);

			for (i = 0; i < vlen; i++, p++)
				printf("  p '%s' type=%u\n", name_of(btf, p->name_off), p->type);
		} else if (btf_is_datasec(t)) {
			const struct btf_var_secinfo *v = btf_var_secinfos(t);

			for (i = 0; i < vlen; i++, v++)
				printf("  v type=%u off=%u sz=%u\n", v->type, v->offset, v->size);
		}
		/* A sample of lookups (libbpf's are linear scans). */
		if (id % 211 == 0 && t->name_off) {
			const char *name = name_of(btf, t->name_off);

			printf("  find kind=%d name=%d\n", btf__find_by_name_kind(btf, name, btf_kind(t)),
			       btf__find_by_name(btf, name));
		}
	}
	printf("find missing: %d %d\n", btf__find_by_name_kind(btf, "no_such_type_xyz", BTF_KIND_STRUCT),
	       btf__find_by_name(btf, "no_such_type_xyz"));
	printf("find void: %d %d %d\n", btf__find_by_name_kind(btf, "void", BTF_KIND_INT),
	       btf__find_by_name_kind(btf, "task_struct", BTF_KIND_UNKN), btf__find_by_name(btf, "void"));
	printf("find anon ptr: %d\n", btf__find_by_name_kind(btf, "", BTF_KIND_PTR));
	btf__free(btf);
	return harness_done();
}
