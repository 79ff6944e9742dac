/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Loader programs in tests: generate one with bpf_object__gen_loader() and
 * bpf_object__load(), run it as a light skeleton does (Debian's
 * skel_internal.h bpf_load_and_run(), with a context of one bpf_map_desc
 * per map and one bpf_prog_desc per program, in object order), then find
 * the maps and programs it created. Also what tests print or compare about
 * kernel maps and programs, and the offset of a global variable.
 */
#ifndef OXBPF_GENLOAD_H
#define OXBPF_GENLOAD_H

#include <errno.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/skel_internal.h>
#include "harness.h"

struct genload {
	struct bpf_object *obj;
	struct gen_loader_opts opts;
	struct bpf_loader_ctx *ctx;
	size_t ctx_sz;
	int nmaps, nprogs;
	struct bpf_map_desc *maps;
	struct bpf_prog_desc *progs;
	const char *errstr;
};

/* Opens prog_path(file) and allocates the context for its loader; 0 or
 * -errno. */
static inline int genload_open(struct genload *g, const char *file)
{
	struct bpf_map *m;
	struct bpf_program *p;

	memset(g, 0, sizeof(*g));
	g->opts.sz = sizeof(g->opts);
	g->obj = bpf_object__open_file(prog_path(file), NULL);
	if (!g->obj)
		return -errno;
	bpf_object__for_each_map(m, g->obj)
		g->nmaps++;
	bpf_object__for_each_program(p, g->obj)
		g->nprogs++;
	g->ctx_sz = sizeof(struct bpf_loader_ctx) + g->nmaps * sizeof(struct bpf_map_desc) +
		    g->nprogs * sizeof(struct bpf_prog_desc);
	g->ctx = calloc(1, g->ctx_sz);
	g->ctx->sz = g->ctx_sz;
	g->maps = (struct bpf_map_desc *)(g->ctx + 1);
	g->progs = (struct bpf_prog_desc *)(g->maps + g->nmaps);
	return 0;
}

/* Generates the opened object's loader (gen_hash as given); returns
 * bpf_object__load()'s result. */
static inline int genload_load(struct genload *g, int gen_hash)
{
	int err;

	/* (left 0 unless asked: older libbpfs refuse set fields they do not know) */
	g->opts.gen_hash = gen_hash;
	err = bpf_object__gen_loader(g->obj, &g->opts);
	return err ? err : bpf_object__load(g->obj);
}

/* genload_open() then genload_load(). */
static inline int genload_generate(struct genload *g, const char *file, int gen_hash)
{
	int err = genload_open(g, file);

	return err ? err : genload_load(g, gen_hash);
}

/* Runs the generated loader; returns bpf_load_and_run()'s result. */
static inline int genload_run(struct genload *g)
{
	struct bpf_load_and_run_opts o = {
		.ctx = g->ctx,
		.data = g->opts.data,
		.insns = g->opts.insns,
		.data_sz = g->opts.data_sz,
		.insns_sz = g->opts.insns_sz,
	};
	int err = bpf_load_and_run(&o);

	g->errstr = o.errstr;
	return err;
}

/* Index of the map (or program) named `name` in object order, -1 if none. */
static inline int genload_map_idx(struct genload *g, const char *name)
{
	struct bpf_map *m;
	int i = 0;

	bpf_object__for_each_map(m, g->obj) {
		if (!strcmp(bpf_map__name(m), name))
			return i;
		i++;
	}
	return -1;
}

static inline int genload_map_fd(struct genload *g, const char *name)
{
	int i = genload_map_idx(g, name);

	return i < 0 ? -1 : g->maps[i].map_fd;
}

static inline int genload_prog_fd(struct genload *g, const char *name)
{
	struct bpf_program *p;
	int i = 0;

	bpf_object__for_each_program(p, g->obj) {
		if (!strcmp(bpf_program__name(p), name))
			return g->progs[i].prog_fd;
		i++;
	}
	return -1;
}

/* Closes what the loader created and the object. */
static inline void genload_close(struct genload *g)
{
	int i;

	if (g->ctx) {
		for (i = 0; i < g->nmaps; i++)
			if (g->maps[i].map_fd > 0)
				close(g->maps[i].map_fd);
		for (i = 0; i < g->nprogs; i++)
			if (g->progs[i].prog_fd > 0)
				close(g->progs[i].prog_fd);
	}
	free(g->ctx);
	bpf_object__close(g->obj);
	memset(g, 0, sizeof(*g));
}

/* A kernel map as a line: what two creations of the same map share. */
static inline void map_line(char *buf, size_t sz, int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		snprintf(buf, sz, "no map (%d)", -errno);
		return;
	}
	snprintf(buf, sz, "type %u key %u value %u max %u flags 0x%x extra %llu name '%s' btf %d/%d",
		 info.type, info.key_size, info.value_size, info.max_entries, info.map_flags,
		 (unsigned long long)info.map_extra, info.name, info.btf_key_type_id != 0,
		 info.btf_value_type_id != 0);
}

/* A kernel program as a line: type, name, BTF, attach target. */
static inline void prog_line(char *buf, size_t sz, int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		snprintf(buf, sz, "no program (%d)", -errno);
		return;
	}
	snprintf(buf, sz, "type %u name '%s' btf %d func_info %u line_info %u attach_btf_id %u maps %u",
		 info.type, info.name, info.btf_id != 0, info.nr_func_info, info.nr_line_info,
		 info.attach_btf_id, info.nr_map_ids);
}

/* Offset of global variable `var` in section `sec` (".bss", ...), -1 if none. */
static inline int var_offset(struct bpf_object *obj, const char *sec, const char *var)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *t;
	unsigned int i;
	int id;

	id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
	if (id < 0)
		return -1;
	t = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(t);
	for (i = 0; i < btf_vlen(t); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type);

		if (!strcmp(btf__name_by_offset(btf, v->name_off), var))
			return vs->offset;
	}
	return -1;
}

/* Reads `size` bytes of global `var` of `sec` through the map `map_fd`. */
static inline int read_global(struct bpf_object *obj, int map_fd, const char *sec, const char *var,
			      void *out, size_t size)
{
	int off = var_offset(obj, sec, var), key = 0;
	char *buf = calloc(1, 1 << 16);

	if (off < 0 || bpf_map_lookup_elem(map_fd, &key, buf)) {
		free(buf);
		return -1;
	}
	memcpy(out, buf + off, size);
	free(buf);
	return 0;
}

/* Writes global `var` of `sec` through the map `map_fd` (read, patch, update). */
static inline int write_global(struct bpf_object *obj, int map_fd, const char *sec, const char *var,
			       const void *val, size_t size)
{
	int off = var_offset(obj, sec, var), key = 0, err;
	char *buf = calloc(1, 1 << 16);

	if (off < 0 || bpf_map_lookup_elem(map_fd, &key, buf)) {
		free(buf);
		return -1;
	}
	memcpy(buf + off, val, size);
	err = bpf_map_update_elem(map_fd, &key, buf, 0);
	free(buf);
	return err;
}

#endif /* OXBPF_GENLOAD_H */
