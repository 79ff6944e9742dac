// oxbpf-test: valgrind
/*
 * The static linker API of libbpf 1.6 (not in Debian's 1.1.2, so not
 * differential): bpf_linker__new_fd(), bpf_linker__add_fd() and
 * bpf_linker__add_buf() give the same object as files do; the fds stay
 * the caller's; argument errors. And big-endian objects: linked into a
 * big-endian object structurally identical to the little-endian link of
 * the same sources, whose programs have the same instructions once opened.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "harness.h"
#include "linker_util.h"

static char dir[64];

static const char *out_path(const char *name)
{
	static char buf[8][128];
	static int slot;
	char *b = buf[slot++ % 8];

	snprintf(b, 128, "%s/%s", dir, name);
	return b;
}

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n + 1);
	*len = fread(buf, 1, n, f);
	fclose(f);
	return buf;
}

static int link3(const char *out, const char *a, const char *b, const char *c)
{
	struct bpf_linker *l = bpf_linker__new(out, NULL);
	char pa[PATH_MAX], pb[PATH_MAX];
	int err;

	if (!l)
		return -errno;
	snprintf(pa, sizeof(pa), "%s", prog_path(a));
	snprintf(pb, sizeof(pb), "%s", prog_path(b));
	err = bpf_linker__add_file(l, pa, NULL);
	err = err ?: bpf_linker__add_file(l, pb, NULL);
	err = err ?: bpf_linker__add_file(l, prog_path(c), NULL);
	err = err ?: bpf_linker__finalize(l);
	bpf_linker__free(l);
	return err;
}

static void fds_and_buffers(void)
{
	size_t ref_len = 0, b_len = 0;
	unsigned char *ref, *b, junk[8192];
	int out = memfd_create("oxbpf-linker-out", MFD_CLOEXEC), a_fd, pipefd[2];
	struct bpf_linker *l;
	struct stat st;
	int err;

	CHECK_EQ(link3(out_path("files.bpf.o"), "link_a.bpf.o", "link_b.bpf.o", "link_c.bpf.o"), 0);
	ref = read_file(out_path("files.bpf.o"), &ref_len);
	b = read_file(prog_path("link_b.bpf.o"), &b_len);
	CHECK(ref && b && out >= 0);

	/* The output fd holds junk longer than the object: it is replaced. */
	memset(junk, 0xa5, sizeof(junk));
	for (int i = 0; i < 4; i++)
		CHECK(write(out, junk, sizeof(junk)) == (ssize_t)sizeof(junk));
	a_fd = open(prog_path("link_a.bpf.o"), O_RDONLY | O_CLOEXEC);
	CHECK(a_fd >= 0);
	lseek(a_fd, 100, SEEK_SET); /* read from the start whatever the position */

	l = bpf_linker__new_fd(out, NULL);
	CHECK(l != NULL);
	if (!l)
		goto out;
	CHECK_EQ(bpf_linker__add_fd(l, a_fd, NULL), 0);
	CHECK_EQ(bpf_linker__add_buf(l, b, b_len, NULL), 0);
	CHECK_EQ(bpf_linker__add_file(l, prog_path("link_c.bpf.o"), NULL), 0);

	/* Errors on the way leave the link usable. */
	CHECK_EQ(bpf_linker__add_fd(l, -1, NULL), -EINVAL);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(bpf_linker__add_buf(l, NULL, 16, NULL), -EFAULT);
	CHECK_EQ(bpf_linker__add_buf(l, NULL, 0, NULL), -EINVAL);
	CHECK_EQ(bpf_linker__add_buf(l, junk, sizeof(junk), NULL), -EINVAL);
	CHECK(pipe2(pipefd, O_CLOEXEC) == 0);
	CHECK_EQ(bpf_linker__add_fd(l, pipefd[0], NULL), -EINVAL);

	err = bpf_linker__finalize(l);
	CHECK_EQ(err, 0);
	CHECK_EQ(bpf_linker__finalize(l), -EINVAL);
	CHECK_EQ(bpf_linker__add_fd(l, a_fd, NULL), -EINVAL);
	bpf_linker__free(l);

	/* Same bytes as the link of files; the fds are still open. */
	CHECK(fstat(out, &st) == 0);
	CHECK_EQ(st.st_size, ref_len);
	{
		unsigned char *got = malloc(ref_len);

		CHECK(pread(out, got, ref_len, 0) == (ssize_t)ref_len);
		CHECK(memcmp(got, ref, ref_len) == 0);
		free(got);
	}
	CHECK(fcntl(out, F_GETFD) >= 0 && fcntl(a_fd, F_GETFD) >= 0);

	/* An output fd that can't hold a file. */
	l = bpf_linker__new_fd(pipefd[1], NULL);
	CHECK(l != NULL);
	CHECK_EQ(bpf_linker__add_file(l, prog_path("link_a.bpf.o"), NULL), 0);
	CHECK_EQ(bpf_linker__finalize(l), -EINVAL);
	bpf_linker__free(l);
	close(pipefd[0]);
	close(pipefd[1]);

	errno = 0;
	CHECK(bpf_linker__new_fd(-1, NULL) == NULL && errno == EINVAL);
	CHECK_EQ(bpf_linker__add_fd(NULL, a_fd, NULL), -EINVAL);
	CHECK_EQ(bpf_linker__add_buf(NULL, b, b_len, NULL), -EINVAL);
	CHECK_EQ(bpf_linker__add_file(NULL, prog_path("link_a.bpf.o"), NULL), -EINVAL);
	CHECK_EQ(bpf_linker__finalize(NULL), -EINVAL);
	errno = 0;
	CHECK(bpf_linker__new(NULL, NULL) == NULL && errno == EINVAL);
	close(a_fd);
out:
	close(out);
	free(ref);
	free(b);
}

/* The description with what differs between the two links left out: the
 * byte order, the source file names (link_a_be.bpf.c includes
 * link_a.bpf.c) and so the string table size. */
static char *describe_no_order(const char *path)
{
	char *d = describe_to_string(path), *p;

	if (!d)
		return NULL;
	if ((p = strstr(d, "data big")))
		memcpy(p, "data lit", 8);
	if ((p = strstr(d, "data little")))
		memmove(p + 8, p + 11, strlen(p + 11) + 1);
	while ((p = strstr(d, "_be.bpf.c")))
		memmove(p, p + 3, strlen(p + 3) + 1);
	if ((p = strstr(d, ".strtab type 3 flags 0x20 size ")))
		for (p += strlen(".strtab type 3 flags 0x20 size "); *p >= '0' && *p <= '9'; p++)
			*p = 'N';
	return d;
}

static void big_endian(void)
{
	const char *le = out_path("le.bpf.o"), *be = out_path("be.bpf.o");
	struct bpf_object *lo, *bo;
	char *dle, *dbe;
	int err;

	CHECK_EQ(link3(le, "link_a.bpf.o", "link_b.bpf.o", "link_c.bpf.o"), 0);
	err = link3(be, "link_a_be.bpf.o", "link_b_be.bpf.o", "link_c_be.bpf.o");
	CHECK_EQ(err, 0);
	{
		size_t n;
		unsigned char *raw = read_file(be, &n);

		CHECK(raw && n > 16 && raw[EI_DATA] == ELFDATA2MSB);
		free(raw);
	}
	dle = describe_no_order(le);
	dbe = describe_no_order(be);
	CHECK(dle && dbe);
	if (dle && dbe && strcmp(dle, dbe) != 0) {
		fprintf(stderr, "--- little:\n%s\n--- big:\n%s\n", dle, dbe);
		CHECKM(0, "big-endian link differs from the little-endian one");
	}
	free(dle);
	free(dbe);

	/* Opened, the programs have the same instructions. */
	lo = bpf_object__open_file(le, NULL);
	bo = bpf_object__open_file(be, NULL);
	CHECK(lo && bo);
	if (lo && bo) {
		struct bpf_program *p;
		int n = 0;

		bpf_object__for_each_program(p, lo) {
			struct bpf_program *q = bpf_object__find_program_by_name(bo, bpf_program__name(p));

			CHECK(q != NULL);
			if (!q)
				continue;
			CHECK_EQ(bpf_program__insn_cnt(p), bpf_program__insn_cnt(q));
			CHECKM(memcmp(bpf_program__insns(p), bpf_program__insns(q),
				      bpf_program__insn_cnt(p) * sizeof(struct bpf_insn)) == 0,
			       "program %s", bpf_program__name(p));
			n++;
		}
		CHECK_EQ(n, 4);
	}
	bpf_object__close(lo);
	bpf_object__close(bo);
	/* A little-endian object can't join a big-endian link. */
	CHECK_EQ(link3(out_path("mixed.bpf.o"), "link_a_be.bpf.o", "link_b.bpf.o", "link_c_be.bpf.o"), -EOPNOTSUPP);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/oxbpf-linker-fd-%d", getpid());
	mkdir(dir, 0700);
	fds_and_buffers();
	big_endian();
	unlink(out_path("files.bpf.o"));
	unlink(out_path("le.bpf.o"));
	unlink(out_path("be.bpf.o"));
	unlink(out_path("mixed.bpf.o"));
	rmdir(dir);
	return harness_done();
}
