/* USDT with libbpf 1.8's spec layout (tests-c/progs/usdt18.h): scale-index-
 * base and register-indirect arguments, the multi-uprobe link USDT uses on
 * this kernel (its offsets, semaphore offsets, cookies = spec ids, pid, as
 * the kernel reports them), spec ids reused after destroy, the specs map's
 * capacity (8 here), and probes on `nop; nop10` moved onto the nop10 when
 * the kernel has the uprobe syscall. Not differential: Debian's libbpf 1.1
 * writes the older layout and uses one perf-event uprobe per site. */
#include <sys/sdt.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <elf.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "harness.h"

/* ---- the traced side ---- */

long table[8] = { 10, -11, 12, -13, 14, -15, 16, -17 };

/* gcc writes this one as "-8@(%rdi,%rsi,8)". */
__attribute__((noinline)) long fire_sib(long *arr, long i)
{
	STAP_PROBE1(test, sib, arr[i]);
	return 0;
}

/* A hand-written probe note: `args` with %% for %, sema a symbol or 0. */
#define NOTE(prov, name, sema, args)                                  \
	".pushsection .note.stapsdt,\"\",\"note\"\n"                  \
	".balign 4\n"                                                  \
	".4byte 992f-991f, 994f-993f, 3\n"                             \
	"991: .asciz \"stapsdt\"\n"                                    \
	"992: .balign 4\n"                                             \
	"993: .8byte 990b\n"                                           \
	".8byte _.stapsdt.base\n"                                      \
	".8byte " sema "\n"                                            \
	".asciz \"" prov "\"\n"                                        \
	".asciz \"" name "\"\n"                                        \
	".asciz \"" args "\"\n"                                        \
	"994: .balign 4\n"                                             \
	".popsection\n"

/* Register-indirect operands without displacement: "(%rdi)". */
__attribute__((noinline)) void fire_deref(const long *p, const short *q)
{
	__asm__ __volatile__("990: nop\n" NOTE("test", "deref", "0", "8@(%%rdi) -2@(%%rsi)")::"D"(p), "S"(q) : "memory");
}

/* A site laid out as `nop; nop10`, aligned so the nop10 stays in a page. */
__attribute__((noinline)) void fire_combo(long x)
{
	__asm__ __volatile__(".balign 16\n"
			     "990: nop\n"
			     ".byte 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0\n" NOTE("test", "combo", "0", "-8@%%rdi")::"D"(x));
}

unsigned short test_sem2_semaphore __attribute__((section(".probes"), used));

/* Two sites of one probe with a semaphore, different arguments. */
__attribute__((noinline)) void fire_two(long x)
{
	__asm__ __volatile__("990: nop\n" NOTE("test", "two", "test_sem2_semaphore", "-8@%%rdi")::"D"(x));
	__asm__ __volatile__("990: nop\n" NOTE("test", "two", "test_sem2_semaphore", "-8@$-5")::"D"(x));
}

/* One site per call of this macro, each with its own constant (so its own spec). */
#define ONE_SPEC(n) __asm__ __volatile__("990: nop\n" NOTE("test", "many", "0", "-8@$" #n))
__attribute__((noinline)) void fire_many(void)
{
	ONE_SPEC(1);
	ONE_SPEC(2);
	ONE_SPEC(3);
}

__attribute__((noinline)) void fire_one(void)
{
	__asm__ __volatile__("990: nop\n" NOTE("test", "one", "0", "-8@$42"));
}

/* ---- the tracing side ---- */

struct seen {
	long args[12];
	long hits;
	unsigned long long cookie;
	int arg_cnt;
	int arg_errs;
};

/* struct bpf_link_info with the uprobe_multi member of Linux >= 6.8 (the
 * system headers are older). */
struct link_info_um {
	__u32 type, id, prog_id, pad;
	__u64 path, offsets, ref_ctr_offsets, cookies;
	__u32 path_size, count, flags, pid;
	__u8 rest[64];
};
#define LINK_TYPE_UPROBE_MULTI 12

static struct bpf_object *obj;
static struct bpf_map *bss;
static __u32 prog_id;
static char self_path[PATH_MAX];

static struct seen slot(int i)
{
	struct seen s[8];
	int key = 0;

	memset(s, 0, sizeof(s));
	CHECK_EQ(bpf_map_lookup_elem(bpf_map__fd(bss), &key, s), 0);
	return s[i];
}

static void clear(void)
{
	struct seen s[8] = {};
	int key = 0;

	CHECK_EQ(bpf_map_update_elem(bpf_map__fd(bss), &key, s, 0), 0);
}

static struct bpf_link *usdt(struct bpf_program *p, pid_t pid, const char *name, unsigned long long cookie)
{
	LIBBPF_OPTS(bpf_usdt_opts, o, .usdt_cookie = cookie);

	return bpf_program__attach_usdt(p, pid, self_path, "test", name, &o);
}

/* The multi-uprobe links of our program, newest last: their infos. */
static int multi_links(struct link_info_um *out, __u64 (*offs)[8], __u64 (*refs)[8], __u64 (*cookies)[8], int max)
{
	__u32 id = 0;
	int n = 0;

	while (n < max && bpf_link_get_next_id(id, &id) == 0) {
		struct link_info_um info;
		__u32 len = sizeof(info);
		char path[PATH_MAX];
		int fd = bpf_link_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		memset(offs[n], 0, sizeof(offs[n]));
		info.path = (unsigned long)path;
		info.path_size = sizeof(path);
		info.offsets = (unsigned long)offs[n];
		info.ref_ctr_offsets = (unsigned long)refs[n];
		info.cookies = (unsigned long)cookies[n];
		info.count = 8;
		if (bpf_link_get_info_by_fd(fd, (void *)&info, &len) == 0 && info.type == LINK_TYPE_UPROBE_MULTI &&
		    info.prog_id == prog_id) {
			CHECK_STR(path, self_path);
			out[n++] = info;
		}
		close(fd);
	}
	return n;
}

/* File offset of a code address of this binary. */
static __u64 file_offset(const void *addr)
{
	Dl_info di;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	__u64 vaddr;

	CHECK(dladdr(addr, &di));
	eh = di.dli_fbase;
	ph = (void *)((char *)eh + eh->e_phoff);
	vaddr = (__u64)((char *)addr - (char *)di.dli_fbase);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && vaddr >= ph[i].p_vaddr && vaddr < ph[i].p_vaddr + ph[i].p_memsz)
			return vaddr - ph[i].p_vaddr + ph[i].p_offset;
	return 0;
}

static int has_uprobe_syscall(void)
{
	long r = syscall(336);

	/* libbpf 1.8's test: EPROTO from outside a uprobe trampoline (the
	 * first version of the syscall, in Linux 6.18, answers ENXIO and
	 * cannot probe 10-byte nops). */
	return r < 0 && errno == EPROTO;
}

int main(int argc, char **argv)
{
	struct link_info_um info[8];
	__u64 offs[8][8], refs[8][8], cookies[8][8];
	struct bpf_prog_info pinfo = {};
	__u32 plen = sizeof(pinfo);
	struct bpf_program *rec;
	struct bpf_link *l, *two, *held[8];
	struct seen s;
	long v = 0x1122334455667788L;
	short w = -2;
	int i;

	CHECK(realpath(argv[0], self_path) != NULL);

	obj = bpf_object__open_file(prog_path("usdt_v18.bpf.o"), NULL);
	if (!obj)
		SKIP("cannot open usdt_v18.bpf.o");
	CHECK_EQ(bpf_object__load(obj), 0);
	rec = bpf_object__find_program_by_name(obj, "record");
	bss = bpf_object__find_map_by_name(obj, ".bss");
	CHECK(rec && bss);
	CHECK_EQ(bpf_prog_get_info_by_fd(bpf_program__fd(rec), &pinfo, &plen), 0);
	prog_id = pinfo.id;
	/* USDT programs load as multi-uprobe programs on this kernel. */
	CHECK_EQ(bpf_program__expected_attach_type(rec), 48 /* BPF_TRACE_UPROBE_MULTI (Linux 6.6) */);

	/* Scale-index-base and register-indirect arguments. */
	clear();
	l = usdt(rec, -1, "sib", 1);
	CHECK(l);
	fire_sib(table, 3);
	fire_sib(table, 6);
	s = slot(1);
	CHECK_EQ(s.hits, 2);
	CHECK_EQ(s.arg_cnt, 1);
	CHECK_EQ(s.args[0], 16);
	CHECK_EQ(s.arg_errs, 0xffe);
	/* A USDT link has no fd of its own (libbpf leaves it 0). */
	CHECK_EQ(bpf_link__fd(l), 0);
	bpf_link__destroy(l);

	l = usdt(rec, 0, "deref", 2);
	CHECK(l);
	fire_deref(&v, &w);
	s = slot(2);
	CHECK_EQ(s.hits, 1);
	CHECK_EQ(s.args[0], 0x1122334455667788L);
	CHECK_EQ(s.args[1], -2);
	CHECK_EQ(s.cookie, 2);
	bpf_link__destroy(l);

	/* The kernel's view: offsets, semaphores, spec ids as cookies, pid. */
	clear();
	two = usdt(rec, 0, "two", 3);
	CHECK(two);
	/* Each site's uprobe counts once. */
	CHECK_EQ(test_sem2_semaphore, 2);
	CHECK_EQ(multi_links(info, offs, refs, cookies, 8), 1);
	CHECK_EQ(info[0].count, 2);
	CHECK_EQ(info[0].pid, getpid());
	CHECK(offs[0][0] != 0 && offs[0][1] != 0 && offs[0][0] != offs[0][1]);
	CHECK(refs[0][0] != 0 && refs[0][0] == refs[0][1]);
	CHECK_EQ(refs[0][0], file_offset(&test_sem2_semaphore));
	/* Two argument strings: two specs, ids 0 and 1 (all earlier ones freed). */
	CHECK((cookies[0][0] == 0 && cookies[0][1] == 1) || (cookies[0][0] == 1 && cookies[0][1] == 0));
	fire_two(-77);
	s = slot(3);
	CHECK_EQ(s.hits, 2);
	bpf_link__destroy(two);
	CHECK_EQ(test_sem2_semaphore, 0);
	CHECK_EQ(multi_links(info, offs, refs, cookies, 8), 0);

	/* nop; nop10: probed on the nop10 when the kernel optimises uprobes. */
	clear();
	{
		static const unsigned char combo[11] = { 0x90, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0 };
		unsigned char *code = (unsigned char *)fire_combo;
		__u64 want = 0;

		/* The site is the 16-byte aligned `nop; nop10` (gas may pad with
		 * the same 10-byte nop before it). Looked up before attaching: a
		 * uprobe replaces the first byte with int3. */
		for (i = 0; i < 128; i++)
			if ((unsigned long)(code + i) % 16 == 0 && memcmp(code + i, combo, sizeof(combo)) == 0) {
				want = file_offset(code + i);
				break;
			}
		CHECK(want != 0);
		l = usdt(rec, -1, "combo", 4);
		CHECK(l);
		CHECK_EQ(multi_links(info, offs, refs, cookies, 8), 1);
		CHECK_EQ(offs[0][0], want + (has_uprobe_syscall() ? 1 : 0));
		note("uprobe syscall %s; combo probed at +%llu", has_uprobe_syscall() ? "present" : "absent",
		     (unsigned long long)(offs[0][0] - want));
	}
	fire_combo(-31);
	s = slot(4);
	CHECK_EQ(s.hits, 1);
	CHECK_EQ(s.args[0], -31);
	bpf_link__destroy(l);

	/* The specs map holds 8 ids: 3 + 5 more, then E2BIG; destroy frees. */
	clear();
	held[0] = usdt(rec, -1, "many", 5);
	CHECK(held[0]);
	for (i = 1; i < 6; i++) {
		held[i] = usdt(rec, -1, "one", 6);
		CHECKM(held[i], "attach %d: %d", i, -errno);
	}
	l = usdt(rec, -1, "one", 6);
	CHECK(!l);
	CHECK_EQ(errno, E2BIG);
	bpf_link__destroy(held[0]);
	/* The three freed ids come back, most recently freed first. */
	l = usdt(rec, -1, "one", 7);
	CHECK(l);
	CHECK_EQ(multi_links(info, offs, refs, cookies, 8), 6);
	CHECK_EQ(cookies[5][0], 2);
	fire_one();
	s = slot(7);
	CHECK_EQ(s.hits, 1);
	CHECK_EQ(s.args[0], 42);
	CHECK_EQ(slot(6).hits, 5);
	bpf_link__destroy(l);
	for (i = 1; i < 6; i++)
		bpf_link__destroy(held[i]);
	CHECK_EQ(multi_links(info, offs, refs, cookies, 8), 0);

	/* An object built with the older usdt.bpf.h (208-byte specs) gets that
	 * layout; its BPF side cannot read a scale-index-base argument and
	 * says EINVAL for it, the other fields are right. */
	{
		struct bpf_object *old = bpf_object__open_file(prog_path("usdt_args.bpf.o"), NULL);
		struct bpf_program *orec;
		struct {
			long args[12];
			long hits;
			unsigned long long cookie;
			int arg_cnt, arg_errs, past_end, pid;
		} seen[16];
		char img[4096] = {};
		int key = 0;

		CHECK(old && bpf_object__load(old) == 0);
		orec = bpf_object__find_program_by_name(old, "record");
		struct bpf_link *a = bpf_program__attach_usdt(orec, 0, self_path, "test", "sib", NULL);
		struct bpf_link *b = usdt(orec, 0, "deref", 9);

		CHECK(a && b);
		fire_sib(table, 2);
		fire_deref(&v, &w);
		CHECK_EQ(bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(old, ".bss")), &key, img), 0);
		memcpy(seen, img, sizeof(seen));
		CHECK_EQ(seen[0].hits, 1);
		CHECK_EQ(seen[0].arg_cnt, 1);
		CHECK_EQ(seen[0].arg_errs & 1, 1);
		CHECK_EQ(seen[9].hits, 1);
		CHECK_EQ(seen[9].args[0], 0x1122334455667788L);
		CHECK_EQ(seen[9].args[1], -2);
		bpf_link__destroy(a);
		bpf_link__destroy(b);
		bpf_object__close(old);
	}

	/* A link disconnected then destroyed stays attached (and keeps its ids). */
	clear();
	l = usdt(rec, -1, "one", 1);
	CHECK(l);
	bpf_link__disconnect(l);
	bpf_link__destroy(l);
	fire_one();
	CHECK_EQ(slot(1).hits, 1);
	CHECK_EQ(multi_links(info, offs, refs, cookies, 8), 1);

	bpf_object__close(obj);
	return harness_done();
}
