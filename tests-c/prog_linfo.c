// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * bpf_prog_linfo on a program loaded by bpf_object__load() from a
 * clang-built object with BTF line info (progs/nl_count.bpf.c: xdp_a and
 * its subprogram, two JIT-ed functions): every instruction offset and every
 * JIT-ed address (relative to its function) is looked up and the line,
 * column and instruction offset found are printed; nr_skip walks; bad
 * info is refused (no records, short records, JIT-ed info that does not
 * fit its functions). Also the legacy names bpf_program__get_type,
 * bpf_program__get_expected_attach_type and bpf_map__get_pin_path.
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf_legacy.h>
#include "harness.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static void show(const char *what, const struct bpf_line_info *l)
{
	if (l)
		printf("%s: insn %u line %u col %u\n", what, l->insn_off, BPF_LINE_INFO_LINE_NUM(l->line_col),
		       BPF_LINE_INFO_LINE_COL(l->line_col));
	else
		printf("%s: NULL errno=%d\n", what, errno);
}

int main(void)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_prog_info info = {}, full;
	__u32 len = sizeof(info), i, f;
	char what[64];
	int fd;

	libbpf_set_print(quiet);
	obj = bpf_object__open_file(prog_path("nl_count.bpf.o"), NULL);
	if (!obj || bpf_object__load(obj))
		SKIP("cannot load nl_count.bpf.o");
	prog = bpf_object__find_program_by_name(obj, "xdp_a");
	fd = bpf_program__fd(prog);

	/* Legacy names. */
	printf("get_type %d = type %d\n", bpf_program__get_type(prog), bpf_program__type(prog));
	printf("get_expected_attach_type %d = %d\n", bpf_program__get_expected_attach_type(prog),
	       bpf_program__expected_attach_type(prog));
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "counts");
	printf("get_pin_path before: %s\n", bpf_map__get_pin_path(map) ?: "(null)");
	char pin[64];
	snprintf(pin, sizeof(pin), "/sys/fs/bpf/ox_linfo_%d", getpid());
	bpf_map__set_pin_path(map, pin);
	CHECK(bpf_map__get_pin_path(map) && strcmp(bpf_map__get_pin_path(map), pin) == 0);
	CHECK(bpf_map__get_pin_path(map) == bpf_map__pin_path(map));

	/* First the counts, then the arrays. */
	CHECK_EQ(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	printf("records %u of %u bytes; jited %u of %u bytes; functions %u/%u\n", info.nr_line_info,
	       info.line_info_rec_size, info.nr_jited_line_info, info.jited_line_info_rec_size, info.nr_jited_ksyms,
	       info.nr_jited_func_lens);
	if (!info.nr_line_info || !info.nr_jited_ksyms)
		SKIP("no line info or no JIT");
	struct bpf_line_info *linfo = calloc(info.nr_line_info, info.line_info_rec_size);
	__u64 *jlinfo = calloc(info.nr_jited_line_info, info.jited_line_info_rec_size);
	__u64 *ksyms = calloc(info.nr_jited_ksyms, 8);
	__u32 *lens = calloc(info.nr_jited_func_lens, 4);
	memset(&full, 0, sizeof(full));
	full.nr_line_info = info.nr_line_info;
	full.line_info_rec_size = info.line_info_rec_size;
	full.line_info = (__u64)(unsigned long)linfo;
	full.nr_jited_line_info = info.nr_jited_line_info;
	full.jited_line_info_rec_size = info.jited_line_info_rec_size;
	full.jited_line_info = (__u64)(unsigned long)jlinfo;
	full.nr_jited_ksyms = info.nr_jited_ksyms;
	full.jited_ksyms = (__u64)(unsigned long)ksyms;
	full.nr_jited_func_lens = info.nr_jited_func_lens;
	full.jited_func_lens = (__u64)(unsigned long)lens;
	len = sizeof(full);
	CHECK_EQ(bpf_obj_get_info_by_fd(fd, &full, &len), 0);

	struct bpf_prog_linfo *pl = bpf_prog_linfo__new(&full);
	CHECK(pl != NULL);
	if (!pl)
		return harness_done();

	/* Every instruction offset. */
	for (i = 0; i < info.xlated_prog_len / 8; i++) {
		errno = 0;
		snprintf(what, sizeof(what), "insn %u", i);
		show(what, bpf_prog_linfo__lfind(pl, i, 0));
	}
	/* nr_skip: the search starts at that record. */
	for (i = 0; i <= info.nr_line_info; i++) {
		errno = 0;
		snprintf(what, sizeof(what), "last insn skipping %u", i);
		show(what, bpf_prog_linfo__lfind(pl, 1000, i));
		snprintf(what, sizeof(what), "insn 0 skipping %u", i);
		errno = 0;
		show(what, bpf_prog_linfo__lfind(pl, 0, i));
	}
	/* Every JIT-ed address, relative to its function (the same JIT gives
	 * the same layout whichever library loaded the program). */
	for (f = 0; f <= info.nr_jited_ksyms; f++) {
		__u32 flen = f < info.nr_jited_ksyms ? lens[f] : 16;
		__u64 base = f < info.nr_jited_ksyms ? ksyms[f] : ksyms[0];
		__u32 off;

		for (off = 0; off < flen + 4; off += 4) {
			errno = 0;
			const struct bpf_line_info *l = bpf_prog_linfo__lfind_addr_func(pl, base + off, f, 0);
			if (l)
				printf("func %u +%u: insn %u line %u\n", f, off, l->insn_off,
				       BPF_LINE_INFO_LINE_NUM(l->line_col));
			else
				printf("func %u +%u: NULL errno=%d\n", f, off, errno);
		}
		errno = 0;
		snprintf(what, sizeof(what), "func %u before start", f);
		show(what, bpf_prog_linfo__lfind_addr_func(pl, base - 1, f, 0));
		errno = 0;
		snprintf(what, sizeof(what), "func %u skipping 1", f);
		show(what, bpf_prog_linfo__lfind_addr_func(pl, base + flen, f, 1));
		errno = 0;
		snprintf(what, sizeof(what), "func %u skipping all", f);
		show(what, bpf_prog_linfo__lfind_addr_func(pl, base + flen, f, info.nr_line_info));
	}
	bpf_prog_linfo__free(pl);
	bpf_prog_linfo__free(NULL);

	/* Without JIT-ed info: instruction lookups only. */
	struct bpf_prog_info part = full;
	part.nr_jited_line_info = info.nr_jited_line_info - 1;
	pl = bpf_prog_linfo__new(&part);
	CHECK(pl != NULL);
	show("partial insn 3", bpf_prog_linfo__lfind(pl, 3, 0));
	errno = 0;
	show("partial addr", bpf_prog_linfo__lfind_addr_func(pl, ksyms[0], 0, 0));
	bpf_prog_linfo__free(pl);
	part = full;
	part.jited_ksyms = 0;
	pl = bpf_prog_linfo__new(&part);
	errno = 0;
	show("no ksyms addr", pl ? bpf_prog_linfo__lfind_addr_func(pl, ksyms[0], 0, 0) : NULL);
	bpf_prog_linfo__free(pl);
	part = full;
	part.jited_line_info_rec_size = 4;
	pl = bpf_prog_linfo__new(&part);
	errno = 0;
	show("small jited records addr", pl ? bpf_prog_linfo__lfind_addr_func(pl, ksyms[0], 0, 0) : NULL);
	bpf_prog_linfo__free(pl);

	/* Refused: no records, records too short, inconsistent JIT-ed info. */
	part = full;
	part.nr_line_info = 0;
	errno = 0;
	pl = bpf_prog_linfo__new(&part);
	printf("no records: %s errno=%d\n", pl ? "handle" : "NULL", errno);
	bpf_prog_linfo__free(pl);
	part = full;
	part.line_info_rec_size = 3;
	errno = 0;
	pl = bpf_prog_linfo__new(&part);
	printf("3-byte records: %s errno=%d\n", pl ? "handle" : "NULL", errno);
	bpf_prog_linfo__free(pl);
	ksyms[0] += 4;
	errno = 0;
	pl = bpf_prog_linfo__new(&full);
	printf("first function moved: %s errno=%d\n", pl ? "handle" : "NULL", errno);
	bpf_prog_linfo__free(pl);
	ksyms[0] -= 4;
	if (info.nr_jited_ksyms > 1) {
		__u32 saved = lens[0];

		lens[0] = 1;
		errno = 0;
		pl = bpf_prog_linfo__new(&full);
		printf("first function too short: %s errno=%d\n", pl ? "handle" : "NULL", errno);
		bpf_prog_linfo__free(pl);
		lens[0] = saved;
	}
	/* 4-byte records: only insn_off is needed to search. */
	__u32 *offs = calloc(info.nr_line_info, 4);
	for (i = 0; i < info.nr_line_info; i++)
		offs[i] = linfo[i].insn_off;
	part = full;
	part.line_info_rec_size = 4;
	part.line_info = (__u64)(unsigned long)offs;
	part.nr_jited_ksyms = 0;
	pl = bpf_prog_linfo__new(&part);
	const struct bpf_line_info *l = pl ? bpf_prog_linfo__lfind(pl, 1000, 0) : NULL;
	printf("4-byte records: last insn %u\n", l ? l->insn_off : 0);
	bpf_prog_linfo__free(pl);

	free(offs);
	free(linfo);
	free(jlinfo);
	free(ksyms);
	free(lens);
	bpf_object__close(obj);
	return harness_done();
}
