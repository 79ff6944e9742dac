// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * Static linker errors, with libbpf's return values, errno and warnings:
 * conflicting strong definitions, declarations that disagree (variable
 * type, function prototype, map definitions of an extern and of a weak
 * map, section), different licenses, files that are not BPF objects or
 * don't exist, a finalised linker, bad opts. An unresolved extern (missing
 * strong definition) links, and fails when the object is loaded, as with
 * libbpf. The object written after a failed add is described too.
 *
 * 1.8 vs 1.1.2 (lines through note()): 1.8 prints errno values by name
 * ("-ENOENT" for "-2") and links big-endian objects, so a big-endian
 * object after a little-endian one is a byte order mismatch in 1.8 and an
 * unsupported byte order in 1.1.2 (both -EOPNOTSUPP). Warnings that end
 * with libelf's last error message (which depends on earlier libelf calls)
 * are not compared either.
 */
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "harness.h"
#include "linker_util.h"

static char logbuf[8192];
static size_t loglen;

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN && loglen < sizeof(logbuf) - 1) {
		int n = vsnprintf(logbuf + loglen, sizeof(logbuf) - loglen, fmt, ap);

		if (n > 0)
			loglen += (size_t)n;
		if (loglen >= sizeof(logbuf))
			loglen = sizeof(logbuf) - 1;
	}
	return 0;
}

/* Prints the warnings logged since the last call (through note() when
 * `differs`), one per line. */
static void flush_log(int differs)
{
	char *line = logbuf, *nl;

	logbuf[loglen] = 0;
	while (*line && (nl = strchr(line, '\n'))) {
		*nl = 0;
		if (differs)
			note("log: %s", line);
		else
			printf("log: %s\n", line);
		line = nl + 1;
	}
	loglen = 0;
}

static char dir[64];

static const char *out_path(const char *name)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

/* Links `a` then `b` (names under OXBPF_PROGS); prints what each step gives. */
static void try_link(const char *what, const char *a, const char *b, int describe)
{
	char pa[PATH_MAX];
	struct bpf_linker *l = bpf_linker__new(out_path("err.bpf.o"), NULL);
	int err;

	printf("== %s\n", what);
	CHECK(l != NULL);
	if (!l)
		return;
	snprintf(pa, sizeof(pa), "%s", prog_path(a));
	err = bpf_linker__add_file(l, pa, NULL);
	printf("add %s: %d\n", a, err);
	flush_log(0);
	errno = 0;
	err = bpf_linker__add_file(l, prog_path(b), NULL);
	printf("add %s: %d errno %d\n", b, err, errno);
	flush_log(0);
	err = bpf_linker__finalize(l);
	printf("finalize: %d\n", err);
	flush_log(0);
	bpf_linker__free(l);
	if (describe)
		describe_object(out_path("err.bpf.o"), stdout);
	loglen = 0; /* what describing logs is not the subject */
}

int main(void)
{
	struct bpf_linker *l;
	struct bpf_object *obj;
	int err;

	snprintf(dir, sizeof(dir), "/tmp/oxbpf-linker-err-%d", getpid());
	mkdir(dir, 0700);
	libbpf_set_print(capture);

	try_link("two strong definitions", "link_a.bpf.o", "link_a.bpf.o", 1);
	try_link("variable type", "link_a.bpf.o", "link_err_type.bpf.o", 0);
	try_link("function prototype", "link_a.bpf.o", "link_err_func.bpf.o", 0);
	try_link("extern map definition", "link_a.bpf.o", "link_err_map.bpf.o", 0);
	try_link("weak map definition", "link_a.bpf.o", "link_err_weakmap.bpf.o", 0);
	try_link("license", "link_a.bpf.o", "link_err_license.bpf.o", 0);
	try_link("section of a weak variable", "link_b.bpf.o", "link_err_sec.bpf.o", 0);

	/* A missing strong definition: link_b is left out. The link works
	 * (externs may stay unresolved); using the object does not. */
	try_link("unresolved externs", "link_a.bpf.o", "link_c.bpf.o", 0);
	obj = bpf_object__open_file(out_path("err.bpf.o"), NULL);
	err = obj ? bpf_object__load(obj) : -errno;
	printf("open %s, load %d\n", obj ? "ok" : "failed", err);
	CHECK(err < 0);
	flush_log(0);
	bpf_object__close(obj);

	/* Files that are not BPF objects of this byte order, or don't exist. */
	printf("== not BPF objects\n");
	l = bpf_linker__new(out_path("err.bpf.o"), NULL);
	CHECK(l != NULL);
	if (l) {
		err = bpf_linker__add_file(l, prog_path("link_a.bpf.o"), NULL);
		printf("add link_a: %d\n", err);
		err = bpf_linker__add_file(l, prog_path("obj_globals_be.bpf.o"), NULL);
		printf("add big-endian: %d errno %d\n", err, errno);
		CHECK_EQ(err, -EOPNOTSUPP);
		flush_log(1);
		err = bpf_linker__add_file(l, "/proc/self/exe", NULL);
		printf("add executable: %d errno %d\n", err, errno);
		CHECK_EQ(err, -EOPNOTSUPP);
		/* The message ends with libelf's last error message. */
		flush_log(1);
		err = bpf_linker__add_file(l, "/nonexistent/x.o", NULL);
		printf("add missing: %d errno %d\n", err, errno);
		CHECK_EQ(err, -ENOENT);
		flush_log(1);
		{
			LIBBPF_OPTS(bpf_linker_file_opts, fo);
			char big[64] = {};

			((struct bpf_linker_file_opts *)big)->sz = sizeof(big);
			big[40] = 1;
			err = bpf_linker__add_file(l, prog_path("link_b.bpf.o"), (struct bpf_linker_file_opts *)big);
			printf("add with bad opts: %d\n", err);
			CHECK_EQ(err, -EINVAL);
			flush_log(1);
			err = bpf_linker__add_file(l, prog_path("link_b.bpf.o"), &fo);
			printf("add link_b: %d\n", err);
			CHECK_EQ(err, 0);
		}
		err = bpf_linker__finalize(l);
		printf("finalize: %d\n", err);
		CHECK_EQ(err, 0);
		err = bpf_linker__finalize(l);
		printf("finalize again: %d\n", err);
		CHECK_EQ(err, -EINVAL);
		err = bpf_linker__add_file(l, prog_path("link_c.bpf.o"), NULL);
		printf("add after finalize: %d\n", err);
		CHECK_EQ(err, -EINVAL);
		flush_log(0);
		bpf_linker__free(l);
		describe_object(out_path("err.bpf.o"), stdout);
		loglen = 0;
	}

	/* An output that can't be created; bad opts; nothing linked at all. */
	errno = 0;
	l = bpf_linker__new("/nonexistent/dir/out.o", NULL);
	printf("new in a missing directory: %s errno %d\n", l ? "ok" : "NULL", errno);
	CHECK(l == NULL && errno == ENOENT);
	flush_log(0);
	{
		char big[32] = {};

		((struct bpf_linker_opts *)big)->sz = sizeof(big);
		big[20] = 1;
		errno = 0;
		l = bpf_linker__new(out_path("err.bpf.o"), (struct bpf_linker_opts *)big);
		printf("new with bad opts: %s errno %d\n", l ? "ok" : "NULL", errno);
		CHECK(l == NULL && errno == EINVAL);
		flush_log(1);
	}
	l = bpf_linker__new(out_path("empty.bpf.o"), NULL);
	CHECK(l != NULL);
	err = bpf_linker__finalize(l);
	printf("empty link: %d\n", err);
	bpf_linker__free(l);
	describe_object(out_path("empty.bpf.o"), stdout);
	loglen = 0;
	/* A linker freed without finalising leaves an empty output. */
	l = bpf_linker__new(out_path("unfinished.bpf.o"), NULL);
	CHECK(l && bpf_linker__add_file(l, prog_path("link_a.bpf.o"), NULL) == 0);
	bpf_linker__free(l);
	{
		struct stat st;

		CHECK(stat(out_path("unfinished.bpf.o"), &st) == 0);
		printf("unfinished output: %lld bytes\n", (long long)st.st_size);
	}
	bpf_linker__free(NULL);
	flush_log(0);

	unlink(out_path("err.bpf.o"));
	unlink(out_path("empty.bpf.o"));
	unlink(out_path("unfinished.bpf.o"));
	rmdir(dir);
	return harness_done();
}
