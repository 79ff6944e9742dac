// oxbpf-test: valgrind
/* bpf_object__gen_loader(): what a generated loader creates is what
 * bpf_object__load() creates for the same object. For each test object,
 * loaded both ways: every map the same (type, sizes, flags, name, BTF
 * types, initial contents), every program the same (type, name, BTF,
 * attach target and the verified instructions, map ids aside), and the
 * programs compute the same results. Then what only a loader does: the
 * data hash check of signed loaders (gen_hash), a context too small for
 * the loader, programs not autoloaded and maps not autocreated, sizes and
 * initial values set before generation, the object's accessors after
 * generation, generation refused after bpf_object__prepare(), and a loader
 * for a host of the other byte order. Also
 * run under valgrind: the generation path leaks nothing. */
#include <sys/syscall.h>
#include "genload.h"

static int xlated(int fd, struct bpf_insn **out, __u32 *cnt)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), i;
	struct bpf_insn *insns;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -1;
	*cnt = info.xlated_prog_len / sizeof(*insns);
	insns = calloc(*cnt + 1, sizeof(*insns));
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = *cnt * sizeof(*insns);
	info.xlated_prog_insns = (long)insns;
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		free(insns);
		return -1;
	}
	/* map ids differ between the two loads */
	for (i = 0; i + 1 < *cnt; i++)
		if (insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    (insns[i].src_reg == BPF_PSEUDO_MAP_FD || insns[i].src_reg == BPF_PSEUDO_MAP_VALUE))
			insns[i].imm = 0;
	*out = insns;
	return 0;
}

static void compare_prog(const char *name, int a, int b)
{
	char la[256], lb[256];
	struct bpf_insn *ia = NULL, *ib = NULL;
	__u32 na = 0, nb = 0;

	char *ma, *mb;

	prog_line(la, sizeof(la), a);
	prog_line(lb, sizeof(lb), b);
	/* bpf_object__load() binds .rodata to every program (BPF_PROG_BIND_MAP),
	 * loaders do not (neither do libbpf's): one map more */
	ma = strstr(la, " maps ");
	mb = strstr(lb, " maps ");
	CHECK(ma && mb);
	if (ma && mb) {
		int d = atoi(ma + 6) - atoi(mb + 6);

		CHECKM(d == 0 || d == 1, "prog %s: %s vs %s", name, la, lb);
		*ma = *mb = 0;
	}
	CHECKM(!strcmp(la, lb), "prog %s: %s vs %s", name, la, lb);
	CHECK(xlated(a, &ia, &na) == 0 && xlated(b, &ib, &nb) == 0);
	CHECKM(na == nb && na > 0 && !memcmp(ia, ib, na * sizeof(*ia)), "prog %s: %u vs %u verified instructions differ", name,
	       na, nb);
	free(ia);
	free(ib);
}

static void compare_map(struct bpf_map *m, int a, int b)
{
	char la[256], lb[256], *va, *vb;
	__u32 key = 0;
	int internal = strchr(bpf_map__name(m), '.') != NULL;

	map_line(la, sizeof(la), a);
	map_line(lb, sizeof(lb), b);
	CHECKM(!strcmp(la, lb), "map %s: %s vs %s", bpf_map__name(m), la, lb);
	if (!internal)
		return;
	va = calloc(1, bpf_map__value_size(m));
	vb = calloc(1, bpf_map__value_size(m));
	CHECK(bpf_map_lookup_elem(a, &key, va) == 0 && bpf_map_lookup_elem(b, &key, vb) == 0);
	CHECKM(!memcmp(va, vb, bpf_map__value_size(m)), "map %s: contents differ", bpf_map__name(m));
	free(va);
	free(vb);
}

/* Runs syscall program `prog` of both, then compares section `sec` of map `map`. */
static void compare_run(struct bpf_object *plain, struct genload *g, const char *prog, void *arg, __u32 arg_sz,
			const char *map)
{
	LIBBPF_OPTS(bpf_test_run_opts, oa, .ctx_in = arg, .ctx_size_in = arg_sz);
	LIBBPF_OPTS(bpf_test_run_opts, ob, .ctx_in = arg, .ctx_size_in = arg_sz);
	struct bpf_map *m = bpf_object__find_map_by_name(plain, map);
	__u32 key = 0, sz = bpf_map__value_size(m);
	char *va = calloc(1, sz), *vb = calloc(1, sz);

	CHECK(bpf_prog_test_run_opts(bpf_program__fd(bpf_object__find_program_by_name(plain, prog)), &oa) == 0);
	CHECK(bpf_prog_test_run_opts(genload_prog_fd(g, prog), &ob) == 0);
	CHECK_EQ(oa.retval, ob.retval);
	CHECK(bpf_map_lookup_elem(bpf_map__fd(m), &key, va) == 0);
	CHECK(bpf_map_lookup_elem(genload_map_fd(g, bpf_map__name(m)), &key, vb) == 0);
	CHECKM(!memcmp(va, vb, sz), "%s after %s differs", map, prog);
	free(va);
	free(vb);
}

static void compare_object(const char *file)
{
	struct bpf_object *plain = bpf_object__open_file(prog_path(file), NULL);
	struct genload g;
	struct bpf_program *p;
	struct bpf_map *m;
	int i = 0;

	CHECK(plain != NULL);
	CHECK_EQ(bpf_object__load(plain), 0);
	CHECK_EQ(genload_generate(&g, file, 0), 0);
	CHECKM(genload_run(&g) == 0, "%s: %s", file, g.errstr);
	bpf_object__for_each_map(m, plain)
		compare_map(m, bpf_map__fd(m), g.maps[i++].map_fd);
	i = 0;
	bpf_object__for_each_program(p, plain)
		compare_prog(bpf_program__name(p), bpf_program__fd(p), g.progs[i++].prog_fd);

	if (!strcmp(file, "gen_core.bpf.o")) {
		compare_run(plain, &g, "core_main", NULL, 0, "gen_core.bss");
	} else if (!strcmp(file, "obj_globals.bpf.o")) {
		__u64 arg = 6;

		compare_run(plain, &g, "run", &arg, sizeof(arg), "obj_glob.bss");
		compare_run(plain, &g, "run", &arg, sizeof(arg), ".data.counters");
	} else if (!strcmp(file, "gen_maps.bpf.o")) {
		__u64 arg = 3, v = 9;
		__u32 key = 0;

		CHECK(bpf_map_update_elem(bpf_map__fd(bpf_object__find_map_by_name(plain, "inner_b")), &key, &v, 0) == 0);
		CHECK(bpf_map_update_elem(genload_map_fd(&g, "inner_b"), &key, &v, 0) == 0);
		compare_run(plain, &g, "read_maps", &arg, sizeof(arg), "gen_maps.bss");
	}
	printf("%s: %d maps, %d programs the same\n", file, g.nmaps, g.nprogs);
	genload_close(&g);
	bpf_object__close(plain);
}

/* struct bpf_map_info of 6.18, with the map hash. */
struct map_info_hash {
	struct bpf_map_info base;
	__u64 hash;
	__u32 hash_size;
	__u32 pad;
};

/* What 1.8's skel_internal.h does for a signed loader, without the
 * signature: the data map frozen and its hash computed by the kernel. */
static int run_frozen(struct genload *g, const void *data, int compute_hash)
{
	LIBBPF_OPTS(bpf_prog_load_opts, lo);
	LIBBPF_OPTS(bpf_test_run_opts, ro, .ctx_in = g->ctx, .ctx_size_in = g->ctx_sz);
	struct map_info_hash info = {};
	__u32 len = sizeof(info), key = 0;
	unsigned char sha[32];
	int map_fd, prog_fd, err;

	map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "__loader.map", 4, g->opts.data_sz, 1, NULL);
	CHECK(map_fd >= 0);
	CHECK(bpf_map_update_elem(map_fd, &key, data, 0) == 0);
	CHECK(bpf_map_freeze(map_fd) == 0);
	if (compute_hash) {
		info.hash = (long)sha;
		info.hash_size = sizeof(sha);
		CHECK(bpf_obj_get_info_by_fd(map_fd, &info, &len) == 0);
	}
	lo.fd_array = &map_fd;
	lo.prog_flags = BPF_F_SLEEPABLE;
	prog_fd = bpf_prog_load(BPF_PROG_TYPE_SYSCALL, "__loader.prog", "Dual BSD/GPL", (const void *)g->opts.insns,
				g->opts.insns_sz / sizeof(struct bpf_insn), &lo);
	CHECK(prog_fd >= 0);
	err = bpf_prog_test_run_opts(prog_fd, &ro);
	close(prog_fd);
	close(map_fd);
	return err ? -errno : (int)ro.retval;
}

static void test_gen_hash(void)
{
	struct genload g, plain;
	char *tampered;
	int err, i;

	CHECK_EQ(genload_generate(&g, "gen_maps.bpf.o", 1), 0);
	CHECK_EQ(genload_generate(&plain, "gen_maps.bpf.o", 0), 0);
	/* the hash check is code only: the data is the same */
	CHECK(g.opts.data_sz == plain.opts.data_sz && !memcmp(g.opts.data, plain.opts.data, g.opts.data_sz));
	CHECK(g.opts.insns_sz > plain.opts.insns_sz);
	genload_close(&plain);

	/* 1.1.2's skel_internal.h neither freezes the data nor has it hashed */
	err = genload_run(&g);
	CHECK_EQ(err, -EINVAL);
	for (i = 0; i < g.nmaps; i++)
		CHECK_EQ(g.maps[i].map_fd, 0);
	/* frozen but never hashed: refused too */
	CHECK_EQ(run_frozen(&g, g.opts.data, 0), -EINVAL);
	/* frozen and hashed: the loader runs */
	CHECK_EQ(run_frozen(&g, g.opts.data, 1), 0);
	for (i = 0; i < g.nmaps; i++)
		CHECK(g.maps[i].map_fd > 0);
	for (i = 0; i < g.nprogs; i++)
		CHECK(g.progs[i].prog_fd > 0);
	genload_close(&g);

	/* data changed after generation: refused */
	CHECK_EQ(genload_generate(&g, "gen_maps.bpf.o", 1), 0);
	tampered = malloc(g.opts.data_sz);
	memcpy(tampered, g.opts.data, g.opts.data_sz);
	tampered[g.opts.data_sz / 2] ^= 1;
	CHECK_EQ(run_frozen(&g, tampered, 1), -EINVAL);
	free(tampered);
	genload_close(&g);
	printf("gen_hash: checked\n");
}

static void test_object_settings(void)
{
	struct bpf_map *m, *by_type;
	struct bpf_program *read_maps;
	struct genload g;
	char line[256], *init;
	__u64 mult = 7, arg = 2, v = 0;
	size_t sz;
	int i;

	/* a program not autoloaded; sizes and initial values set before generation */
	CHECK_EQ(genload_open(&g, "gen_maps.bpf.o"), 0);
	bpf_program__set_autoload(bpf_object__find_program_by_name(g.obj, "sock"), false);
	by_type = bpf_object__find_map_by_name(g.obj, "by_type");
	CHECK_EQ(bpf_map__set_max_entries(by_type, 128), 0);
	m = bpf_object__find_map_by_name(g.obj, ".rodata");
	init = malloc(bpf_map__value_size(m));
	memcpy(init, bpf_map__initial_value(m, &sz), bpf_map__value_size(m));
	memcpy(init + var_offset(g.obj, ".rodata", "ro_mult"), &mult, sizeof(mult));
	CHECK_EQ(bpf_map__set_initial_value(m, init, bpf_map__value_size(m)), 0);
	free(init);
	CHECK_EQ(genload_load(&g, 0), 0);
	/* nothing was created: no fds (libbpf 1.8 shows placeholder fds) */
	read_maps = bpf_object__find_program_by_name(g.obj, "read_maps");
	CHECK_EQ(bpf_map__fd(by_type), -1);
	CHECK(bpf_program__fd(read_maps) < 0);
	CHECK_EQ(bpf_object__btf_fd(g.obj), -1);
	CHECK_EQ(genload_run(&g), 0);
	/* the context's program descriptors: loaded programs, in order */
	prog_line(line, sizeof(line), g.progs[0].prog_fd);
	CHECKM(strstr(line, "name 'read_maps'") != NULL, "%s", line);
	prog_line(line, sizeof(line), g.progs[1].prog_fd);
	CHECKM(strstr(line, "name 'on_enter'") != NULL, "%s", line);
	prog_line(line, sizeof(line), g.progs[2].prog_fd);
	CHECKM(strstr(line, "name 'count_tasks'") != NULL, "%s", line);
	CHECK_EQ(g.progs[3].prog_fd, 0);
	map_line(line, sizeof(line), genload_map_fd(&g, "by_type"));
	CHECKM(strstr(line, "max 128 ") != NULL, "%s", line);
	{
		LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &arg, .ctx_size_in = sizeof(arg));

		CHECK(bpf_prog_test_run_opts(g.progs[0].prog_fd, &o) == 0);
		CHECK(read_global(g.obj, genload_map_fd(&g, "gen_maps.bss"), ".bss", "out_mult", &v, sizeof(v)) == 0);
		CHECK_EQ(v, 2 * 7 + 10 + 'g');
	}
	genload_close(&g);

	/* a map not created: the loader would lack it */
	CHECK_EQ(genload_open(&g, "gen_maps.bpf.o"), 0);
	bpf_map__set_autocreate(bpf_object__find_map_by_name(g.obj, "percpu"), false);
	CHECK_EQ(genload_load(&g, 0), -EFAULT);
	CHECK(g.opts.insns == NULL && g.opts.insns_sz == 0);
	genload_close(&g);

	/* pinned maps can not be created by a loader */
	CHECK_EQ(genload_generate(&g, "obj_maps.bpf.o", 0), -EINVAL);
	genload_close(&g);

	/* asked for after bpf_object__prepare(): too late */
	CHECK_EQ(genload_open(&g, "obj_globals.bpf.o"), 0);
	CHECK_EQ(bpf_object__prepare(g.obj), 0);
	CHECK_EQ(genload_load(&g, 0), -EFAULT);
	genload_close(&g);

	/* asked for before it: generation starts with prepare */
	CHECK_EQ(genload_open(&g, "obj_globals.bpf.o"), 0);
	CHECK_EQ(bpf_object__gen_loader(g.obj, &g.opts), 0);
	CHECK_EQ(bpf_object__prepare(g.obj), 0);
	CHECK_EQ(bpf_object__load(g.obj), 0);
	CHECK_EQ(genload_run(&g), 0);
	for (i = 0; i < g.nmaps; i++)
		CHECK(g.maps[i].map_fd > 0);
	genload_close(&g);

	/* a context too small for the loader: the kernel refuses to run it */
	CHECK_EQ(genload_generate(&g, "obj_globals.bpf.o", 0), 0);
	g.ctx->sz = sizeof(struct bpf_loader_ctx);
	CHECK_EQ(genload_run(&g), -EINVAL);
	for (i = 0; i < g.nmaps; i++)
		CHECK_EQ(g.maps[i].map_fd, 0);
	genload_close(&g);

	/* a loader asked for again after one was generated: the first stays valid */
	CHECK_EQ(genload_generate(&g, "obj_globals.bpf.o", 0), 0);
	{
		LIBBPF_OPTS(gen_loader_opts, again);
		char *copy = malloc(g.opts.insns_sz);

		memcpy(copy, g.opts.insns, g.opts.insns_sz);
		CHECK_EQ(bpf_object__gen_loader(g.obj, &again), 0);
		CHECK_EQ(bpf_object__load(g.obj), -EINVAL);
		CHECK(again.insns == NULL);
		CHECK(!memcmp(copy, g.opts.insns, g.opts.insns_sz));
		CHECK_EQ(genload_run(&g), 0);
		free(copy);
	}
	genload_close(&g);

	/* an object closed with a loader requested but never loaded */
	CHECK_EQ(genload_open(&g, "obj_globals.bpf.o"), 0);
	CHECK_EQ(bpf_object__gen_loader(g.obj, &g.opts), 0);
	genload_close(&g);
	g.opts.sz = sizeof(g.opts);
	CHECK_EQ(bpf_object__gen_loader(NULL, &g.opts), -EINVAL);
	printf("object settings: checked\n");
}

/* A loader for a big-endian object, generated on this little-endian host
 * (it can not run here): the same loader as for the little-endian build of
 * the same source, each instruction written in the other byte order. */
static void test_other_endianness(void)
{
	struct genload le, be;
	const struct bpf_insn *a, *b;
	__u32 i, n, same = 0;

	CHECK_EQ(genload_generate(&le, "obj_globals.bpf.o", 0), 0);
	CHECK_EQ(genload_generate(&be, "obj_globals_be.bpf.o", 0), 0);
	CHECK_EQ(le.opts.insns_sz, be.opts.insns_sz);
	CHECK_EQ(le.opts.data_sz, be.opts.data_sz);
	a = (const void *)le.opts.insns;
	b = (const void *)be.opts.insns;
	n = le.opts.insns_sz / sizeof(*a);
	for (i = 0; i < n && le.opts.insns_sz == be.opts.insns_sz; i++)
		same += a[i].code == b[i].code && a[i].dst_reg == b[i].src_reg && a[i].src_reg == b[i].dst_reg &&
			a[i].off == (__s16)__builtin_bswap16(b[i].off) && a[i].imm == (__s32)__builtin_bswap32(b[i].imm);
	CHECK_EQ(same, n);
	CHECK(memcmp(le.opts.data, be.opts.data, le.opts.data_sz) != 0);
	genload_close(&le);
	genload_close(&be);
	/* loading it for real stays refused */
	CHECK_EQ(genload_open(&be, "obj_globals_be.bpf.o"), 0);
	CHECK_EQ(bpf_object__load(be.obj), -LIBBPF_ERRNO__ENDIAN);
	genload_close(&be);
	printf("other endianness: %u instructions\n", n);
}

int main(void)
{
	compare_object("gen_maps.bpf.o");
	compare_object("gen_core.bpf.o");
	compare_object("obj_globals.bpf.o");
	compare_object("attach_kinds.bpf.o");
	test_gen_hash();
	test_object_settings();
	test_other_endianness();
	return harness_done();
}
