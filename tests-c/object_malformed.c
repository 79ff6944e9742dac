// oxbpf-test: valgrind
/*
 * A corpus of malformed objects derived from a good one: truncated files,
 * corrupted ELF and section headers, out-of-range section and symbol
 * indexes, relocations past the end of their section, and seeded random
 * byte flips. bpf_object__open_mem() must fail with an error (NULL + errno)
 * or succeed, never crash, and leak nothing (valgrind).
 */
#include <bpf/libbpf.h>
#include <elf.h>
#include <stdint.h>
#include "harness.h"

static unsigned char *good;
static size_t good_sz;
static int opened, refused;

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static void *read_file(const char *path, size_t *sz)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n);
	if (fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*sz = n;
	return buf;
}

/* Opens a variant; returns the errno of a refusal, 0 when it opened. */
static int try_open(const unsigned char *buf, size_t sz)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "malformed");
	struct bpf_object *obj;

	errno = 0;
	obj = bpf_object__open_mem(buf, sz, &opts);
	if (!obj) {
		CHECKM(errno > 0, "refused without errno");
		refused++;
		return errno;
	}
	opened++;
	bpf_object__close(obj);
	return 0;
}

static unsigned char *copy(void)
{
	unsigned char *b = malloc(good_sz);

	memcpy(b, good, good_sz);
	return b;
}

static Elf64_Shdr *shdr(unsigned char *b, int i)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;

	return (Elf64_Shdr *)(b + eh->e_shoff + (size_t)i * eh->e_shentsize);
}

static const char *sec_name(unsigned char *b, int i)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;

	return (const char *)b + shdr(b, eh->e_shstrndx)->sh_offset + shdr(b, i)->sh_name;
}

static int find_sec(unsigned char *b, uint32_t type, const char *name)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;

	for (int i = 1; i < eh->e_shnum; i++)
		if (shdr(b, i)->sh_type == type && (!name || strcmp(sec_name(b, i), name) == 0))
			return i;
	return -1;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(void)
{
	Elf64_Ehdr *eh;
	unsigned char *b;
	int n, symtab, err;

	libbpf_set_print(quiet);
	good = read_file(prog_path("obj_globals.bpf.o"), &good_sz);
	if (!good)
		SKIP("obj_globals.bpf.o is missing");
	CHECK(try_open(good, good_sz) == 0);
	eh = (Elf64_Ehdr *)good;
	n = eh->e_shnum;

	/* Truncated files: every prefix up to 256 bytes, then 1/128 steps. */
	for (size_t len = 1; len < good_sz; len += len < 256 ? 1 : good_sz / 128)
		CHECKM(try_open(good, len) != 0, "truncated at %zu opened", len);

	/* Not ELF, wrong class, wrong byte order, not relocatable, not BPF. */
	b = copy(); b[1] = 'X'; CHECK(try_open(b, good_sz) == 4001); free(b);
	b = copy(); b[EI_CLASS] = ELFCLASS32; CHECK(try_open(b, good_sz) == 4001); free(b);
	b = copy(); b[EI_DATA] = 7; CHECK(try_open(b, good_sz) == 4003); free(b);
	b = copy(); ((Elf64_Ehdr *)b)->e_type = ET_EXEC; CHECK(try_open(b, good_sz) == 4001); free(b);
	b = copy(); ((Elf64_Ehdr *)b)->e_machine = EM_X86_64; CHECK(try_open(b, good_sz) == 4001); free(b);

	/* Corrupted ELF header fields. */
	{
		uint64_t vals[] = { 0, 1, 63, 64, good_sz - 1, good_sz, 0xffff, 0x7fffffffffffffffull, ~0ull };

		for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
			b = copy(); ((Elf64_Ehdr *)b)->e_shoff = vals[v]; try_open(b, good_sz); free(b);
			b = copy(); ((Elf64_Ehdr *)b)->e_shnum = (uint16_t)vals[v]; try_open(b, good_sz); free(b);
			b = copy(); ((Elf64_Ehdr *)b)->e_shstrndx = (uint16_t)vals[v]; try_open(b, good_sz); free(b);
			b = copy(); ((Elf64_Ehdr *)b)->e_shentsize = (uint16_t)vals[v]; try_open(b, good_sz); free(b);
		}
	}

	/* Every field of every section header, set to hostile values. */
	for (int i = 0; i < n; i++) {
		uint64_t vals[] = { 0, 1, 7, good_sz, good_sz + 1, 0xffffffffull, ~0ull, 1ull << 62 };

		for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
			for (int field = 0; field < 8; field++) {
				Elf64_Shdr *s;

				b = copy();
				s = shdr(b, i);
				switch (field) {
				case 0: s->sh_offset = vals[v]; break;
				case 1: s->sh_size = vals[v]; break;
				case 2: s->sh_name = (uint32_t)vals[v]; break;
				case 3: s->sh_link = (uint32_t)vals[v]; break;
				case 4: s->sh_info = (uint32_t)vals[v]; break;
				case 5: s->sh_entsize = vals[v]; break;
				case 6: s->sh_type = (uint32_t)vals[v]; break;
				case 7: s->sh_flags = vals[v]; break;
				}
				try_open(b, good_sz);
				free(b);
			}
		}
	}

	/* Symbols: out-of-range section indexes, names, values and sizes. */
	symtab = find_sec(good, SHT_SYMTAB, NULL);
	CHECK(symtab > 0);
	if (symtab > 0) {
		size_t nsyms = shdr(good, symtab)->sh_size / sizeof(Elf64_Sym);

		for (size_t s = 0; s < nsyms; s++) {
			for (int field = 0; field < 4; field++) {
				Elf64_Sym *sym;

				b = copy();
				sym = (Elf64_Sym *)(b + shdr(b, symtab)->sh_offset) + s;
				switch (field) {
				case 0: sym->st_shndx = (uint16_t)(n + 5); break;
				case 1: sym->st_name = 0xfffffff0u; break;
				case 2: sym->st_value = ~0ull - 3; break;
				case 3: sym->st_size = 1ull << 40; break;
				}
				try_open(b, good_sz);
				free(b);
			}
		}
	}

	/* Relocations: past the end of their section, unknown symbols. */
	for (int i = 1; i < n; i++) {
		Elf64_Shdr *rs = shdr(good, i);
		size_t nrel;

		/* Only relocations of code are read (debug and BTF ones are ignored). */
		if (rs->sh_type != SHT_REL || !(shdr(good, rs->sh_info)->sh_flags & SHF_EXECINSTR))
			continue;
		nrel = rs->sh_size / sizeof(Elf64_Rel);
		for (size_t r = 0; r < nrel; r++) {
			Elf64_Rel *rel;

			b = copy();
			rel = (Elf64_Rel *)(b + shdr(b, i)->sh_offset) + r;
			rel->r_offset = shdr(b, shdr(b, i)->sh_info)->sh_size + 8 * r;
			err = try_open(b, good_sz);
			CHECKM(err == 4001, "reloc past end (sec %d #%zu): %d", i, r, err);
			free(b);

			b = copy();
			rel = (Elf64_Rel *)(b + shdr(b, i)->sh_offset) + r;
			rel->r_info = ELF64_R_INFO(0xffffff, ELF64_R_TYPE(rel->r_info));
			err = try_open(b, good_sz);
			CHECKM(err == 4001, "reloc with bad symbol (sec %d #%zu): %d", i, r, err);
			free(b);

			b = copy();
			rel = (Elf64_Rel *)(b + shdr(b, i)->sh_offset) + r;
			rel->r_offset += 4;
			err = try_open(b, good_sz);
			CHECKM(err == 4001, "misaligned reloc (sec %d #%zu): %d", i, r, err);
			free(b);
		}
	}

	/* A legacy "maps" section is refused with EOPNOTSUPP. */
	{
		int data = find_sec(good, SHT_PROGBITS, ".data");

		CHECK(data > 0);
		if (data > 0) {
			Elf64_Shdr *s;
			char *name;

			b = copy();
			s = shdr(b, data);
			name = (char *)b + shdr(b, ((Elf64_Ehdr *)b)->e_shstrndx)->sh_offset + s->sh_name;
			memcpy(name, "maps", 5);
			CHECK(try_open(b, good_sz) == EOPNOTSUPP);
			free(b);
		}
	}

	/* Seeded random corruption: 1 to 8 bytes, 3000 variants. */
	for (int it = 0; it < 3000; it++) {
		int flips = 1 + next_rand() % 8;

		b = copy();
		for (int f = 0; f < flips; f++)
			b[next_rand() % good_sz] = (unsigned char)next_rand();
		try_open(b, good_sz);
		free(b);
	}

	note("opened %d variants, refused %d", opened, refused);
	free(good);
	return harness_done();
}
