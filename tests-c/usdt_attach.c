// oxbpf-test: differential
/* bpf_program__attach_usdt() on real <sys/sdt.h> probes of this very
 * binary: argument values of every kind (registers, stack memory,
 * constants, 1/2/4/8 bytes, signed and unsigned, 12 arguments), USDT
 * cookies, probes with several sites, semaphores counted while attached,
 * pid filtering (self, a child, every process), and the errors libbpf
 * gives for bad requests. The BPF side is Debian's usdt.bpf.h (the older
 * 208-byte spec layout), so the same object runs on both libraries. */
#include <sys/sdt.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "harness.h"

/* ---- the traced side ---- */

long glob_val = 77;

__attribute__((noinline)) void fire_reg(int a, long b, short c, signed char d, unsigned long e)
{
	STAP_PROBE5(test, reg, a, b, c, d, e);
}

/* At -O0 every argument is read from the stack: "-4@-20(%rbp)". */
__attribute__((noinline, optimize("O0"))) void fire_mem(int a, long b, short c, signed char d, unsigned long e)
{
	STAP_PROBE5(test, mem, a, b, c, d, e);
}

__attribute__((noinline)) void fire_consts(void)
{
	STAP_PROBE4(test, consts, 5, -9, 1234567890123L, (signed char)-2);
}

__attribute__((noinline, optimize("O0"))) void fire_twelve(long base)
{
	unsigned char u8 = 200;
	short s16 = -300;
	unsigned int u32 = 4000000000u;

	STAP_PROBE12(test, twelve, base, base + 1, -base, u8, s16, u32, 7, -8, base * 2, (char)-1, (unsigned short)65535, 12);
}

/* Two sites of one probe, with different argument locations. */
__attribute__((noinline)) void fire_multi(int x)
{
	STAP_PROBE1(test, multi, 111);
	STAP_PROBE1(test, multi, x);
}

__attribute__((noinline)) void fire_auto(int x)
{
	STAP_PROBE1(test, auto, x);
}

/* A probe whose argument is a global ("-8@glob_val(%rip)"), which libbpf
 * cannot read. */
__attribute__((noinline)) void fire_rip(void)
{
	STAP_PROBE1(test, rip, glob_val);
}

/* A probe with a semaphore, written by hand (<sys/sdt.h> gives semaphores
 * to every probe of a file or to none). */
unsigned short test_sema_semaphore __attribute__((section(".probes"), used));

__attribute__((noinline)) void fire_sema(long x)
{
	__asm__ __volatile__(
		"990: nop\n"
		".pushsection .note.stapsdt,\"\",\"note\"\n"
		".balign 4\n"
		".4byte 992f-991f, 994f-993f, 3\n"
		"991: .asciz \"stapsdt\"\n"
		"992: .balign 4\n"
		"993: .8byte 990b\n"
		".8byte _.stapsdt.base\n"
		".8byte test_sema_semaphore\n"
		".asciz \"test\"\n"
		".asciz \"sema\"\n"
		".asciz \"-8@%%rdi\"\n"
		"994: .balign 4\n"
		".popsection\n" ::"D"(x));
}

/* ---- the tracing side ---- */

struct seen {
	long args[12];
	long hits;
	unsigned long long cookie;
	int arg_cnt;
	int arg_errs;
	int past_end;
	int pid;
};

/* The skeleton's bss uses the struct above. */
#include "usdt_args.skel.h"

static struct bpf_object *obj;
static struct bpf_map *bss, *by_pid;
static char self_path[PATH_MAX];

static int bss_read(void *buf)
{
	int key = 0;

	return bpf_map_lookup_elem(bpf_map__fd(bss), &key, buf);
}

/* The bss image, as the skeleton lays it out. */
typedef struct usdt_args__bss bss_image_t;

static void clear_seen(void)
{
	bss_image_t img = {};
	int key = 0, pid, next;

	CHECK_EQ(bpf_map_update_elem(bpf_map__fd(bss), &key, &img, 0), 0);
	while (bpf_map_get_next_key(bpf_map__fd(by_pid), NULL, &next) == 0) {
		pid = next;
		bpf_map_delete_elem(bpf_map__fd(by_pid), &pid);
	}
}

static struct seen slot(int i)
{
	bss_image_t img;

	memset(&img, 0, sizeof(img));
	CHECK_EQ(bss_read(&img), 0);
	return img.seen[i];
}

static void show(const char *what, int i)
{
	struct seen s = slot(i);
	int n;

	printf("%s: hits=%ld cookie=%llu arg_cnt=%d errs=0x%x past_end=%d args=", what, s.hits, s.cookie, s.arg_cnt,
	       s.arg_errs, s.past_end);
	for (n = 0; n < s.arg_cnt && n < 12; n++)
		printf("%s%ld", n ? "," : "", s.args[n]);
	printf("\n");
}

static long pid_hits(int pid)
{
	long v = 0;

	bpf_map_lookup_elem(bpf_map__fd(by_pid), &pid, &v);
	return v;
}

static struct bpf_link *usdt(struct bpf_program *p, pid_t pid, const char *path, const char *name, unsigned long long cookie)
{
	LIBBPF_OPTS(bpf_usdt_opts, o, .usdt_cookie = cookie);

	return bpf_program__attach_usdt(p, pid, path, "test", name, &o);
}

static void show_err(const char *what, struct bpf_link *l)
{
	int err = -errno;

	printf("%s: %s err=%d\n", what, l ? "attached" : "refused", l ? 0 : err);
	bpf_link__destroy(l);
}

static void args_of_every_kind(struct bpf_program *rec)
{
	struct bpf_link *l[6];

	clear_seen();
	l[0] = usdt(rec, -1, self_path, "reg", 1);
	l[1] = usdt(rec, -1, self_path, "mem", 2);
	l[2] = usdt(rec, -1, self_path, "consts", 3);
	l[3] = usdt(rec, -1, self_path, "twelve", 4);
	l[4] = usdt(rec, -1, self_path, "multi", 5);
	l[5] = bpf_program__attach_usdt(rec, -1, self_path, "test", "reg", NULL);
	for (int i = 0; i < 6; i++)
		CHECKM(l[i], "attach %d: %d", i, -errno);
	fire_reg(-1, -2, -3, -4, 5);
	fire_reg(0x7fffffff, 0x123456789abcL, 32767, 127, ~0UL);
	fire_mem(-1, -2, -3, -4, 5);
	fire_consts();
	fire_twelve(1000);
	fire_multi(222);
	show("reg", 1);
	show("reg (no opts: cookie 0)", 0);
	show("mem", 2);
	show("consts", 3);
	show("twelve", 4);
	show("multi", 5);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(bpf_link__destroy(l[i]), 0);
	/* Detached: nothing more is seen. */
	clear_seen();
	fire_reg(1, 2, 3, 4, 5);
	show("reg after destroy", 1);
}

static void typed_handler(struct bpf_program *typed)
{
	struct bpf_link *l = usdt(typed, 0, self_path, "mem", 0);
	bss_image_t img = {};

	CHECK(l);
	fire_mem(-123, -4567890123L, -32768, -128, 0xfedcba9876543210UL);
	CHECK_EQ(bss_read(&img), 0);
	printf("BPF_USDT: hits=%ld a=%d b=%ld c=%d d=%d e=%#lx\n", img.typed_hits, img.typed_a, img.typed_b, img.typed_c,
	       img.typed_d, img.typed_e);
	bpf_link__destroy(l);
}

static void semaphores(struct bpf_program *rec)
{
	struct bpf_link *a, *b;

	clear_seen();
	printf("semaphore before: %d\n", test_sema_semaphore);
	a = usdt(rec, -1, self_path, "sema", 6);
	CHECK(a);
	printf("semaphore with one link: %d\n", test_sema_semaphore);
	b = usdt(rec, 0, self_path, "sema", 7);
	CHECK(b);
	printf("semaphore with two links: %d\n", test_sema_semaphore);
	fire_sema(-42);
	show("sema (all processes)", 6);
	show("sema (self)", 7);
	bpf_link__destroy(a);
	printf("semaphore with one link left: %d\n", test_sema_semaphore);
	bpf_link__destroy(b);
	printf("semaphore after destroy: %d\n", test_sema_semaphore);
}

/* Forks a child that fires test:reg `n` times once told to. */
static pid_t spawn(int n, int *go)
{
	int p[2];
	pid_t pid;

	CHECK_EQ(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		char c;

		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		for (int i = 0; i < n; i++)
			fire_reg(i, 0, 0, 0, 0);
		_exit(0);
	}
	close(p[0]);
	*go = p[1];
	return pid;
}

static void finish(pid_t pid, int go)
{
	int status = 0;

	CHECK_EQ(write(go, "x", 1), 1);
	close(go);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void pid_filters(struct bpf_program *rec)
{
	struct bpf_link *l;
	int go;
	pid_t child;

	/* Only the child. */
	clear_seen();
	child = spawn(3, &go);
	l = usdt(rec, child, self_path, "reg", 8);
	CHECK(l);
	fire_reg(1, 1, 1, 1, 1);
	finish(child, go);
	printf("pid=child: child hits=%ld self hits=%ld\n", pid_hits(child), pid_hits(getpid()));
	bpf_link__destroy(l);

	/* pid 0: this process only. */
	clear_seen();
	child = spawn(2, &go);
	l = usdt(rec, 0, self_path, "reg", 8);
	CHECK(l);
	fire_reg(1, 1, 1, 1, 1);
	finish(child, go);
	printf("pid=0: child hits=%ld self hits=%ld\n", pid_hits(child), pid_hits(getpid()));
	bpf_link__destroy(l);

	/* -1: every process. */
	clear_seen();
	child = spawn(2, &go);
	l = usdt(rec, -1, self_path, "reg", 8);
	CHECK(l);
	fire_reg(1, 1, 1, 1, 1);
	finish(child, go);
	printf("pid=-1: child hits=%ld self hits=%ld\n", pid_hits(child), pid_hits(getpid()));
	bpf_link__destroy(l);
}

/* A bare name in SEC("usdt/usdt_attach:test:auto") is found through $PATH. */
static void with_own_dir_in_path(int on)
{
	static char *saved;
	char dir[PATH_MAX];

	if (on) {
		saved = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
		strcpy(dir, self_path);
		*strrchr(dir, '/') = 0;
		setenv("PATH", dir, 1);
	} else {
		if (saved)
			setenv("PATH", saved, 1);
		free(saved);
		saved = NULL;
	}
}

static void auto_attach(struct bpf_program *autop, struct bpf_program *rec)
{
	struct usdt_args *skel;
	struct bpf_link *l;

	with_own_dir_in_path(1);
	clear_seen();
	l = bpf_program__attach(autop);
	CHECKM(l, "%d", -errno);
	printf("auto-attach: fd=%d\n", l ? bpf_link__fd(l) : -1);
	fire_auto(55);
	printf("auto: hits=%ld arg=%ld\n", slot(15).hits, slot(15).args[0]);
	bpf_link__destroy(l);
	/* SEC("usdt") names no probe. */
	show_err("auto-attach of SEC(\"usdt\")", bpf_program__attach(rec));

	/* A skeleton attaches the program with a target, skips the others. */
	skel = usdt_args__open_and_load();
	CHECK(skel);
	if (skel) {
		CHECK_EQ(usdt_args__attach(skel), 0);
		printf("skeleton links: record=%d typed=%d auto_probe=%d\n", skel->links.record != NULL,
		       skel->links.typed != NULL, skel->links.auto_probe != NULL);
		fire_auto(66);
		fire_auto(67);
		printf("skeleton auto: hits=%ld arg=%ld\n", skel->bss->seen[15].hits, skel->bss->seen[15].args[0]);
		usdt_args__detach(skel);
		fire_auto(68);
		printf("skeleton after detach: hits=%ld\n", skel->bss->seen[15].hits);
		usdt_args__destroy(skel);
	}
	with_own_dir_in_path(0);
}

static void errors(struct bpf_program *rec)
{
	char dir[PATH_MAX], *slash, *old_path, notelf[64];
	LIBBPF_OPTS(bpf_usdt_opts, o);
	struct {
		struct bpf_usdt_opts o;
		char tail[48];
	} big;
	struct bpf_object *unloaded, *nomaps;
	int fd;

	show_err("unknown probe", usdt(rec, -1, self_path, "nope", 0));
	show_err("unknown provider", bpf_program__attach_usdt(rec, -1, self_path, "tset", "reg", NULL));
	show_err("missing binary", usdt(rec, -1, "/nonexistent/usdt_bin", "reg", 0));
	show_err("NULL path", usdt(rec, -1, NULL, "reg", 0));
	show_err("unreadable argument", usdt(rec, -1, self_path, "rip", 0));
	snprintf(notelf, sizeof(notelf), "/tmp/oxbpf_usdt_notelf_%d", getpid());
	fd = open(notelf, O_CREAT | O_WRONLY | O_TRUNC, 0700);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "#!/bin/sh\nexit 0\n", 17), 17);
	close(fd);
	show_err("not an ELF file", usdt(rec, -1, notelf, "reg", 0));
	unlink(notelf);

	/* A bare name is looked up in $PATH. */
	strcpy(dir, self_path);
	slash = strrchr(dir, '/');
	*slash = 0;
	old_path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	setenv("PATH", "/nonexistent", 1);
	show_err("bare name not in $PATH", usdt(rec, -1, slash + 1, "reg", 0));
	setenv("PATH", dir, 1);
	show_err("bare name in $PATH", usdt(rec, -1, slash + 1, "reg", 0));
	if (old_path) {
		setenv("PATH", old_path, 1);
		free(old_path);
	}

	/* Options: libbpf checks their size against struct bpf_uprobe_opts. */
	o.sz = 4;
	show_err("opts sz 4", bpf_program__attach_usdt(rec, -1, self_path, "test", "reg", &o));
	memset(&big, 0, sizeof(big));
	big.o.sz = 24;
	memset(big.tail, 0xff, 8);
	show_err("opts sz 24, bytes 16-24 set", bpf_program__attach_usdt(rec, -1, self_path, "test", "reg", &big.o));
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.tail[sizeof(big.tail) - 1] = 1;
	show_err("opts sz 64, last byte set", bpf_program__attach_usdt(rec, -1, self_path, "test", "reg", &big.o));

	/* Not loaded. */
	unloaded = bpf_object__open_file(prog_path("usdt_args.bpf.o"), NULL);
	CHECK(unloaded);
	show_err("program not loaded",
		 usdt(bpf_object__find_program_by_name(unloaded, "record"), -1, self_path, "reg", 0));
	bpf_object__close(unloaded);

	/* No usdt.bpf.h maps: refused, and every later attempt too. */
	nomaps = bpf_object__open_file(prog_path("usdt_nomaps.bpf.o"), NULL);
	CHECK(nomaps);
	CHECK_EQ(bpf_object__load(nomaps), 0);
	show_err("object without USDT maps", usdt(bpf_object__find_program_by_name(nomaps, "plain"), -1, self_path, "reg", 0));
	show_err("again", usdt(bpf_object__find_program_by_name(nomaps, "plain"), -1, self_path, "reg", 0));
	bpf_object__close(nomaps);
}

int main(int argc, char **argv)
{
	struct bpf_program *rec, *typed, *autop;

	CHECK(realpath(argv[0], self_path) != NULL);

	obj = bpf_object__open_file(prog_path("usdt_args.bpf.o"), NULL);
	if (!obj)
		SKIP("cannot open usdt_args.bpf.o");
	CHECK_EQ(bpf_object__load(obj), 0);
	rec = bpf_object__find_program_by_name(obj, "record");
	typed = bpf_object__find_program_by_name(obj, "typed");
	autop = bpf_object__find_program_by_name(obj, "auto_probe");
	bss = bpf_object__find_map_by_name(obj, ".bss");
	by_pid = bpf_object__find_map_by_name(obj, "hits_by_pid");
	CHECK(rec && typed && autop && bss && by_pid);

	args_of_every_kind(rec);
	typed_handler(typed);
	semaphores(rec);
	pid_filters(rec);
	auto_attach(autop, rec);
	errors(rec);

	bpf_object__close(obj);
	return harness_done();
}
