// oxbpf-test: differential
/*
 * Programs whose attach target is a BTF id (tp_btf, fentry/fexit/fmod_ret,
 * LSM, iterators, freplace): the target resolved in vmlinux BTF (or set
 * with bpf_program__set_attach_target()), then the kernel's answer — on
 * this machine lockdown refuses fentry-like and LSM programs, the same for
 * both libraries. libbpf_find_vmlinux_btf_id() on the same names.
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "harness.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int load_only(const char *name, const char *target)
{
	struct bpf_object *obj = bpf_object__open_file(prog_path("obj_sections.bpf.o"), NULL);
	struct bpf_program *p, *want = NULL;
	int err;

	if (!obj)
		return -errno;
	bpf_object__for_each_program(p, obj) {
		int me = strcmp(bpf_program__name(p), name) == 0;

		bpf_program__set_autoload(p, me);
		if (me)
			want = p;
	}
	if (target) {
		err = bpf_program__set_attach_target(want, 0, target);
		if (err) {
			bpf_object__close(obj);
			return 1000 + err;
		}
	}
	err = bpf_object__load(obj);
	bpf_object__close(obj);
	return err;
}

int main(void)
{
	static const char *const progs[] = { "tpbtf", "fen", "fex", "fmr", "lsm_p", "lsmc", "it", "frep" };

	libbpf_set_print(quiet);
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		printf("load %s: %d\n", progs[i], load_only(progs[i], NULL));
	printf("fentry retargeted to do_sys_openat2: %d\n", load_only("fen", "do_sys_openat2"));
	printf("fentry retargeted to a missing function: %d\n", load_only("fen", "oxbpf_no_such_function"));
	printf("vmlinux id of raw tp sched_switch: %d\n", libbpf_find_vmlinux_btf_id("sched_switch", BPF_TRACE_RAW_TP) > 0);
	printf("vmlinux id of lsm file_open: %d\n", libbpf_find_vmlinux_btf_id("file_open", BPF_LSM_MAC) > 0);
	printf("vmlinux id of iter task: %d\n", libbpf_find_vmlinux_btf_id("task", BPF_TRACE_ITER) > 0);
	printf("vmlinux id of missing: %d\n", libbpf_find_vmlinux_btf_id("oxbpf_none", BPF_TRACE_FENTRY));
	printf("same id: %d\n", libbpf_find_vmlinux_btf_id("do_nanosleep", BPF_TRACE_FENTRY) ==
				       libbpf_find_vmlinux_btf_id("do_nanosleep", BPF_MODIFY_RETURN));
	return harness_done();
}
