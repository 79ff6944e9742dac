// oxbpf-test: differential
/*
 * btf__load_into_kernel() and btf__load_from_kernel_by_id(_split)() with the
 * kinds Debian's libbpf knows, compared with it: return values, errno, fds,
 * and the bytes read back from the kernel (after the header: libbpf 1.8
 * writes a 32-byte header, 1.1.2 a 24-byte one).
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define R(expr) printf("%s = %lld\n", #expr, (long long)(expr))

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int main(void)
{
	struct btf *btf = btf__new_empty(), *vmlinux, *back, *kvm;
	const struct btf_header *h, *kh;
	__u32 size, ksize, id;
	int i, s;

	libbpf_set_print(silent);
	R(i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED));
	R(s = btf__add_struct(btf, "pair", 8));
	R(btf__add_field(btf, "a", i, 0, 0));
	R(btf__add_field(btf, "b", i, 32, 0));
	R(btf__add_enum(btf, "e", 4));
	R(btf__add_enum_value(btf, "N", -3));
	R(btf__add_func_proto(btf, i));
	R(btf__add_func_param(btf, "x", s));
	R(btf__add_func(btf, "f", BTF_FUNC_GLOBAL, btf__type_cnt(btf) - 1));
	R(btf__add_type_tag(btf, "user", i));
	R(btf__add_ptr(btf, btf__type_cnt(btf) - 1));

	R(btf__fd(btf));
	R(btf__load_into_kernel(btf));
	R(btf__fd(btf) > 2);
	R(btf__load_into_kernel(btf));
	R(errno);

	/* Find our BTF object: walk ids from the vmlinux one until one reads
	 * back with our type count and bytes. */
	h = btf__raw_data(btf, &size);
	back = NULL;
	for (id = 1; id < 1000000 && !back; id++) {
		struct btf *t = btf__load_from_kernel_by_id(id);

		if (!t)
			continue;
		kh = btf__raw_data(t, &ksize);
		if (ksize == size && memcmp(kh, h, size) == 0)
			back = t;
		else
			btf__free(t);
	}
	R(back != NULL);
	if (back) {
		R(btf__type_cnt(back));
		R(btf__find_by_name_kind(back, "pair", BTF_KIND_STRUCT));
		R(btf__resolve_size(back, s));
		R(btf__fd(back));
		btf__free(back);
	}

	vmlinux = btf__load_vmlinux_btf();
	kvm = btf__load_from_kernel_by_id(1);
	R(vmlinux && kvm && btf__type_cnt(vmlinux) == btf__type_cnt(kvm));
	btf__free(kvm);
	kvm = btf__load_from_kernel_by_id_split(1, vmlinux);
	R(kvm == NULL);
	btf__free(kvm);
	R(btf__load_from_kernel_by_id(0x7ffffff0) == NULL);
	R(errno);
	R(btf__load_module_btf("no_such_module_oxbpf", vmlinux) == NULL);
	R(errno);
	/* the sysfs file read (not mapped) as raw BTF, with either parser */
	{
		struct btf *r1 = btf__parse_raw("/sys/kernel/btf/vmlinux");
		struct btf *r2 = btf__parse("/sys/kernel/btf/vmlinux", NULL);
		__u32 s1, s2;

		R(r1 && r2 && btf__type_cnt(r1) == btf__type_cnt(vmlinux) && btf__type_cnt(r2) == btf__type_cnt(vmlinux));
		R(r1 && memcmp(btf__raw_data(r1, &s1), btf__raw_data(vmlinux, &s2), s2) == 0 && s1 == s2);
		R(btf__find_by_name_kind(r2, "task_struct", BTF_KIND_STRUCT) ==
		  btf__find_by_name_kind(vmlinux, "task_struct", BTF_KIND_STRUCT));
		btf__free(r1);
		btf__free(r2);
	}
	btf__free(vmlinux);
	btf__free(btf);
	return harness_done();
}
