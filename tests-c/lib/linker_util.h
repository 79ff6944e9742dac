/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers of the static linker tests: a structural description of a BPF
 * ELF object that does not depend on how a linker deduplicated its BTF.
 *
 * describe_object() writes, one per line: every section (name, type,
 * flags, size, alignment, entry size, linked sections by name) but the
 * sizes of .BTF and .BTF.ext; every symbol (name, section name, value,
 * size, type, binding, visibility); every relocation (section, offset,
 * type, symbol name); for BTF, every DATASEC with its variables and every
 * FUNC with its linkage and prototype, named types by name; for .BTF.ext,
 * every func info, line info and CO-RE record with type ids replaced by
 * names. Objects of either byte order are decoded.
 */
#ifndef OXBPF_TEST_LINKER_UTIL_H
#define OXBPF_TEST_LINKER_UTIL_H

#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

struct lu_obj {
	unsigned char *buf;
	size_t len;
	int big;
};

static inline uint16_t lu_16(const struct lu_obj *o, size_t at)
{
	const unsigned char *p = o->buf + at;
	return o->big ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static inline uint32_t lu_32(const struct lu_obj *o, size_t at)
{
	const unsigned char *p = o->buf + at;
	return o->big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		      : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static inline uint64_t lu_64(const struct lu_obj *o, size_t at)
{
	uint64_t a = lu_32(o, at), b = lu_32(o, at + 4);

	return o->big ? a << 32 | b : b << 32 | a;
}

static inline int lu_load(const char *path, struct lu_obj *o)
{
	FILE *f = fopen(path, "rb");
	long n;

	memset(o, 0, sizeof(*o));
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	o->buf = malloc(n > 0 ? n : 1);
	o->len = n > 0 ? (size_t)n : 0;
	if (!o->buf || fread(o->buf, 1, o->len, f) != o->len || o->len < sizeof(Elf64_Ehdr)) {
		fclose(f);
		free(o->buf);
		o->buf = NULL;
		return -1;
	}
	fclose(f);
	o->big = o->buf[EI_DATA] == ELFDATA2MSB;
	return 0;
}

/* Section header field at index i. */
#define LU_SH(o, i, off) ((size_t)lu_64(o, 40) + (size_t)(i) * 64 + (off))

static inline unsigned lu_shnum(const struct lu_obj *o)
{
	return lu_16(o, 60);
}

static inline const char *lu_secname(const struct lu_obj *o, unsigned i)
{
	unsigned shstr = lu_16(o, 62);

	if (i == 0 || i >= lu_shnum(o))
		return "";
	return (const char *)o->buf + lu_64(o, LU_SH(o, shstr, 24)) + lu_32(o, LU_SH(o, i, 0));
}

static inline int lu_find_sec(const struct lu_obj *o, const char *name)
{
	for (unsigned i = 1; i < lu_shnum(o); i++)
		if (strcmp(lu_secname(o, i), name) == 0)
			return (int)i;
	return -1;
}

static inline const char *lu_type_name(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	static char buf[8][160];
	static int slot;
	char *b = buf[slot++ % 8];

	if (!t)
		return "<bad>";
	if (id == 0)
		return "void";
	snprintf(b, 160, "%u:%s", BTF_INFO_KIND(t->info), btf__name_by_offset(btf, t->name_off) ?: "");
	return b;
}

/* A type and what it refers to, down to a named type (ids never printed). */
static inline void lu_type_shape(const struct btf *btf, __u32 id, char *out, size_t sz)
{
	size_t n = 0;

	out[0] = 0;
	for (int depth = 0; depth < 16 && n + 1 < sz; depth++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		n += snprintf(out + n, sz - n, "%s%s", depth ? ">" : "", lu_type_name(btf, id));
		if (!t || id == 0 || t->name_off)
			break;
		if (!btf_is_ptr(t) && !btf_is_mod(t) && !btf_is_array(t))
			break;
		id = btf_is_array(t) ? btf_array(t)->type : t->type;
	}
}

static inline int lu_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* DATASECs in order; FUNCs and named types as sorted sets of lines (a
 * linker that deduplicates BTF keeps one of identical types). */
static inline void lu_describe_btf(const char *path, FILE *out)
{
	struct btf_ext *ext = NULL;
	struct btf *btf = btf__parse_elf(path, &ext);
	char shape[512], **set;
	size_t n = 0;

	if (!btf) {
		fprintf(out, "btf: none\n");
		return;
	}
	set = calloc(2 * btf__type_cnt(btf) + 1, sizeof(*set));
	for (__u32 id = 1; set && id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		char *line = NULL;
		size_t len = 0;
		FILE *f;

		if (btf_is_datasec(t)) {
			const struct btf_var_secinfo *v = btf_var_secinfos(t);

			fprintf(out, "btf: datasec %s size %u vars %u\n", btf__name_by_offset(btf, t->name_off),
				t->size, btf_vlen(t));
			for (unsigned i = 0; i < btf_vlen(t); i++, v++) {
				const struct btf_type *vt = btf__type_by_id(btf, v->type);

				lu_type_shape(btf, vt->type, shape, sizeof(shape));
				fprintf(out, "btf:   %s %s linkage %u off %u size %u type %s\n",
					btf_is_var(vt) ? "var" : "func", btf__name_by_offset(btf, vt->name_off),
					btf_is_var(vt) ? btf_var(vt)->linkage : btf_vlen(vt), v->offset, v->size, shape);
			}
			continue;
		}
		if (t->name_off)
			set[n++] = strdup(lu_type_name(btf, id));
		if (!btf_is_func(t))
			continue;
		f = open_memstream(&line, &len);
		if (!f)
			continue;
		{
			const struct btf_type *p = btf__type_by_id(btf, t->type);
			const struct btf_param *pa = btf_params(p);

			lu_type_shape(btf, p->type, shape, sizeof(shape));
			fprintf(f, "func %s linkage %u ret %s", btf__name_by_offset(btf, t->name_off), btf_vlen(t),
				shape);
			for (unsigned i = 0; i < btf_vlen(p); i++, pa++) {
				lu_type_shape(btf, pa->type, shape, sizeof(shape));
				fprintf(f, " (%s %s)", btf__name_by_offset(btf, pa->name_off), shape);
			}
		}
		fclose(f);
		set[n++] = line;
	}
	if (set) {
		qsort(set, n, sizeof(*set), lu_cmp_str);
		for (size_t i = 0; i < n; i++) {
			if (set[i] && (i == 0 || !set[i - 1] || strcmp(set[i], set[i - 1]) != 0))
				fprintf(out, "btf: %s\n", set[i]);
		}
		for (size_t i = 0; i < n; i++)
			free(set[i]);
		free(set);
	}
	btf_ext__free(ext);
	btf__free(btf);
}

/* Lines of the .BTF.ext section, type ids resolved to names. */
static inline void lu_describe_btf_ext(const struct lu_obj *o, const char *path, FILE *out)
{
	int idx = lu_find_sec(o, ".BTF.ext");
	struct btf *btf = btf__parse_elf(path, NULL);
	static const char *what[3] = { "func", "line", "core" };
	size_t base, hdr_len;

	if (idx < 0 || !btf) {
		fprintf(out, "btf.ext: none\n");
		btf__free(btf);
		return;
	}
	base = lu_64(o, LU_SH(o, idx, 24));
	hdr_len = lu_32(o, base + 4);
	for (int k = 0; k < 3; k++) {
		size_t off, len, at, end;
		__u32 rec_sz;

		if (k == 2 && hdr_len < 32)
			break;
		off = lu_32(o, base + 8 + k * 8);
		len = lu_32(o, base + 12 + k * 8);
		if (!len)
			continue;
		at = base + hdr_len + off;
		end = at + len;
		rec_sz = lu_32(o, at);
		at += 4;
		while (at + 8 <= end) {
			const char *sec = btf__name_by_offset(btf, lu_32(o, at));
			__u32 n = lu_32(o, at + 4);

			at += 8;
			for (__u32 i = 0; i < n && at + rec_sz <= end; i++, at += rec_sz) {
				__u32 w0 = lu_32(o, at), w1 = lu_32(o, at + 4), w2 = lu_32(o, at + 8),
				      w3 = lu_32(o, at + 12);

				if (k == 0)
					fprintf(out, "btf.ext: %s %s +%u %s\n", what[k], sec, w0, lu_type_name(btf, w1));
				else if (k == 1)
					fprintf(out, "btf.ext: %s %s +%u %s:%u:%u\n", what[k], sec, w0,
						btf__name_by_offset(btf, w1), w3 >> 10, w3 & 0x3ff);
				else
					fprintf(out, "btf.ext: %s %s +%u %s %s kind %u\n", what[k], sec, w0,
						lu_type_name(btf, w1), btf__name_by_offset(btf, w2), w3);
			}
		}
	}
	btf__free(btf);
}

/* The whole description of the object at `path` into `out`. */
static inline int describe_object(const char *path, FILE *out)
{
	struct lu_obj o;
	int symtab = -1;

	if (lu_load(path, &o))
		return -1;
	fprintf(out, "elf: class %u data %s type %u machine %u sections %u\n", o.buf[EI_CLASS],
		o.big ? "big" : "little", lu_16(&o, 16), lu_16(&o, 18), lu_shnum(&o));
	for (unsigned i = 1; i < lu_shnum(&o); i++) {
		const char *name = lu_secname(&o, i);
		__u32 type = lu_32(&o, LU_SH(&o, i, 4)), link = lu_32(&o, LU_SH(&o, i, 40)),
		      info = lu_32(&o, LU_SH(&o, i, 44));
		int btf = strcmp(name, ".BTF") == 0 || strcmp(name, ".BTF.ext") == 0;

		if (type == SHT_SYMTAB)
			symtab = (int)i;
		fprintf(out, "sec %u %s type %u flags %#llx size %llu align %llu entsize %llu link %s info %s\n", i,
			name, type, (unsigned long long)lu_64(&o, LU_SH(&o, i, 8)),
			btf ? 0ULL : (unsigned long long)lu_64(&o, LU_SH(&o, i, 32)),
			(unsigned long long)lu_64(&o, LU_SH(&o, i, 48)),
			(unsigned long long)lu_64(&o, LU_SH(&o, i, 56)), lu_secname(&o, link),
			type == SHT_REL ? lu_secname(&o, info) : "-");
	}
	if (symtab > 0) {
		size_t off = lu_64(&o, LU_SH(&o, symtab, 24)), n = lu_64(&o, LU_SH(&o, symtab, 32)) / 24;
		size_t strs = lu_64(&o, LU_SH(&o, lu_32(&o, LU_SH(&o, symtab, 40)), 24));

		for (size_t i = 0; i < n; i++) {
			size_t s = off + i * 24;
			unsigned char info = o.buf[s + 4];
			__u16 shndx = lu_16(&o, s + 6);

			fprintf(out, "sym %zu %s sec %s value %llu size %llu type %u bind %u vis %u\n", i,
				(const char *)o.buf + strs + lu_32(&o, s),
				shndx >= SHN_LORESERVE ? "abs" : lu_secname(&o, shndx),
				(unsigned long long)lu_64(&o, s + 8), (unsigned long long)lu_64(&o, s + 16),
				info & 0xf, info >> 4, o.buf[s + 5] & 3);
		}
		for (unsigned i = 1; i < lu_shnum(&o); i++) {
			size_t r, roff, rn;

			if (lu_32(&o, LU_SH(&o, i, 4)) != SHT_REL)
				continue;
			roff = lu_64(&o, LU_SH(&o, i, 24));
			rn = lu_64(&o, LU_SH(&o, i, 32)) / 16;
			for (r = 0; r < rn; r++) {
				__u64 rinfo = lu_64(&o, roff + r * 16 + 8);
				size_t s = off + (rinfo >> 32) * 24;

				fprintf(out, "rel %s +%llu type %u sym %s\n", lu_secname(&o, i),
					(unsigned long long)lu_64(&o, roff + r * 16), (unsigned)(rinfo & 0xffffffff),
					(const char *)o.buf + strs + lu_32(&o, s));
			}
		}
	}
	lu_describe_btf(path, out);
	lu_describe_btf_ext(&o, path, out);
	free(o.buf);
	return 0;
}

/* describe_object() into a malloc()ed string. */
static inline char *describe_to_string(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (describe_object(path, f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

/* The bytes of the contents of a section (NULL when missing). */
static inline unsigned char *section_bytes(const char *path, const char *name, size_t *len)
{
	struct lu_obj o;
	unsigned char *out = NULL;
	int i;

	if (lu_load(path, &o))
		return NULL;
	i = lu_find_sec(&o, name);
	if (i > 0) {
		*len = lu_64(&o, LU_SH(&o, i, 32));
		out = malloc(*len + 1);
		if (out)
			memcpy(out, o.buf + lu_64(&o, LU_SH(&o, i, 24)), *len);
	}
	free(o.buf);
	return out;
}

#endif /* OXBPF_TEST_LINKER_UTIL_H */
