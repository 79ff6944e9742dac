/*
 * BTF and the kernel: one BTF holding every kind, including those newer
 * than Debian's libbpf (TYPE_TAG and DECL_TAG with the kind flag: type and
 * declaration attributes) and every kind-flag variant (signed enums, union
 * forwards, bitfields), is loaded with btf__load_into_kernel(); the kernel
 * must accept it, and bpf_btf_get_info_by_fd() must return exactly the
 * bytes btf__raw_data() gave. Reading it back by id gives the same BTF.
 * Also: -EEXIST on a second load, a BTF the kernel refuses (its log is
 * printed through the print callback), a layout section (unknown to this
 * kernel), vmlinux by id, unknown ids.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static int saw_log;

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (strstr(buf, "BEGIN BTF LOAD LOG") && level == LIBBPF_WARN)
		saw_log = 1;
	return 0;
}

static int btf_info(int fd, struct bpf_btf_info *info)
{
	__u32 len = sizeof(*info);

	return bpf_btf_get_info_by_fd(fd, info, &len);
}

static struct btf *every_kind(void)
{
	struct btf *btf = btf__new_empty();
	int i, p, s, u, proto, f, v;

	i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	CHECK(btf__add_int(btf, "char", 1, BTF_INT_CHAR) > 0);
	CHECK(btf__add_int(btf, "_Bool", 1, BTF_INT_BOOL) > 0);
	p = btf__add_ptr(btf, i);
	CHECK(btf__add_array(btf, i, i, 4) > 0);
	s = btf__add_struct(btf, "s", 16);
	CHECK(btf__add_field(btf, "a", i, 0, 0) == 0);
	CHECK(btf__add_field(btf, "bits", i, 32, 3) == 0); /* kflag */
	CHECK(btf__add_field(btf, "p", p, 64, 0) == 0);
	u = btf__add_union(btf, "u", 4);
	CHECK(btf__add_field(btf, "x", i, 0, 0) == 0);
	CHECK(btf__add_enum(btf, "e", 4) > 0);
	CHECK(btf__add_enum_value(btf, "NEG", -1) == 0); /* signed: kflag */
	CHECK(btf__add_enum_value(btf, "POS", 7) == 0);
	CHECK(btf__add_enum64(btf, "e64", 8, false) > 0);
	CHECK(btf__add_enum64_value(btf, "BIG", 1ULL << 40) == 0);
	CHECK(btf__add_enum64(btf, "se64", 8, true) > 0);
	CHECK(btf__add_enum64_value(btf, "SBIG", -2LL) == 0);
	CHECK(btf__add_fwd(btf, "fs", BTF_FWD_STRUCT) > 0);
	CHECK(btf__add_fwd(btf, "fu", BTF_FWD_UNION) > 0); /* kflag */
	CHECK(btf__add_fwd(btf, "fe", BTF_FWD_ENUM) > 0);
	CHECK(btf__add_typedef(btf, "td", s) > 0);
	CHECK(btf__add_volatile(btf, i) > 0);
	CHECK(btf__add_const(btf, u) > 0);
	CHECK(btf__add_restrict(btf, p) > 0);
	CHECK(btf__add_type_tag(btf, "user", i) > 0);
	CHECK(btf__add_ptr(btf, btf__type_cnt(btf) - 1) > 0); /* tags sit under a pointer */
	CHECK(btf__add_type_attr(btf, "address_space(1)", i) > 0); /* kflag */
	CHECK(btf__add_ptr(btf, btf__type_cnt(btf) - 1) > 0);
	proto = btf__add_func_proto(btf, i);
	CHECK(btf__add_func_param(btf, "a", i) == 0);
	CHECK(btf__add_func_param(btf, "b", p) == 0);
	f = btf__add_func(btf, "fn", BTF_FUNC_GLOBAL, proto);
	CHECK(f > 0);
	v = btf__add_var(btf, "v", BTF_VAR_GLOBAL_ALLOCATED, i);
	CHECK(btf__add_datasec(btf, ".data", 4) > 0);
	CHECK(btf__add_datasec_var_info(btf, v, 0, 4) == 0);
	CHECK(btf__add_float(btf, "double", 8) > 0);
	CHECK(btf__add_decl_tag(btf, "dtag", s, 0) > 0);
	CHECK(btf__add_decl_tag(btf, "ftag", f, 1) > 0);
	CHECK(btf__add_decl_attr(btf, "aligned(8)", s, -1) > 0); /* kflag */
	CHECK(btf__add_decl_attr(btf, "noinline", f, -1) > 0);
	return btf;
}

int main(void)
{
	struct btf *btf = every_kind(), *back, *vmlinux, *kvm, *bad;
	struct bpf_btf_info info;
	const void *raw;
	__u32 size, bsize;
	char *kbytes;
	int fd;

	libbpf_set_print(print_fn);
	raw = btf__raw_data(btf, &size);
	CHECK(raw && size > 32);

	/* load: the kernel accepts every kind */
	CHECK_EQ(btf__fd(btf), -1);
	CHECK_EQ(btf__load_into_kernel(btf), 0);
	fd = btf__fd(btf);
	CHECK(fd >= 3);
	CHECK_EQ(btf__load_into_kernel(btf), -EEXIST);
	CHECK_EQ(errno, EEXIST);

	/* the kernel holds exactly our bytes */
	memset(&info, 0, sizeof(info));
	CHECK_EQ(btf_info(fd, &info), 0);
	CHECK_EQ(info.btf_size, size);
	kbytes = calloc(1, size);
	memset(&info, 0, sizeof(info));
	info.btf = (unsigned long)kbytes;
	info.btf_size = size;
	CHECK_EQ(btf_info(fd, &info), 0);
	CHECK(memcmp(kbytes, raw, size) == 0);
	CHECK(info.id > 0 && !info.kernel_btf);

	/* and reads back as the same BTF */
	back = btf__load_from_kernel_by_id(info.id);
	CHECK(back);
	CHECK_EQ(btf__type_cnt(back), btf__type_cnt(btf));
	CHECK_EQ(btf__fd(back), -1);
	raw = btf__raw_data(btf, &size);
	CHECK(memcmp(btf__raw_data(back, &bsize), raw, size) == 0 && bsize == size);
	CHECK(btf__find_by_name_kind(back, "aligned(8)", BTF_KIND_DECL_TAG) > 0);
	CHECK(btf_kflag(btf__type_by_id(back, btf__find_by_name_kind(back, "aligned(8)", BTF_KIND_DECL_TAG))));
	btf__free(back);
	free(kbytes);

	/* vmlinux by id (1) is the sysfs BTF */
	vmlinux = btf__load_vmlinux_btf();
	kvm = btf__load_from_kernel_by_id(1);
	CHECK(vmlinux && kvm);
	if (vmlinux && kvm) {
		CHECK_EQ(btf__type_cnt(kvm), btf__type_cnt(vmlinux));
		CHECK(memcmp(btf__raw_data(kvm, &size), btf__raw_data(vmlinux, &bsize), bsize) == 0 && size == bsize);
	}
	btf__free(kvm);
	btf__free(vmlinux);
	CHECK(btf__load_from_kernel_by_id(0x7fffffff) == NULL);
	CHECK_EQ(errno, ENOENT);
	CHECK(btf__load_from_kernel_by_id_split(0x7fffffff, NULL) == NULL);

	/* the kernel refuses an INT wider than its size: error and log */
	{
		__u32 blob[] = {
			0xeB9F | (1 << 16), 24, 0, 16, 16, 5,
			1, BTF_KIND_INT << 24, 1, 64, /* int of 1 byte and 64 bits */
		};
		char with_strs[sizeof(blob) + 5];

		memcpy(with_strs, blob, sizeof(blob));
		memcpy(with_strs + sizeof(blob), "\0int", 5);
		bad = btf__new(with_strs, sizeof(with_strs));
		CHECK(bad);
		saw_log = 0;
		CHECK_EQ(btf__load_into_kernel(bad), -EINVAL);
		CHECK_EQ(btf__fd(bad), -1);
		CHECK(saw_log);
		btf__free(bad);
	}

	/* a layout section: unknown to this kernel's header check */
	{
		LIBBPF_OPTS(btf_new_opts, opts, .add_layout = true);
		struct btf *l = btf__new_empty_opts(&opts);
		const struct btf_header *h;

		CHECK(l);
		CHECK(btf__add_int(l, "int", 4, BTF_INT_SIGNED) == 1);
		h = btf__raw_data(l, &size);
		CHECK_EQ(h->hdr_len, 32);
		CHECK(((const __u32 *)h)[6] == h->type_len); /* layout_off */
		CHECK_EQ(((const __u32 *)h)[7], 20 * 4);     /* layout_len: 20 kinds */
		CHECK(btf__load_into_kernel(l) < 0);
		btf__free(l);
	}
	btf__free(btf);
	return harness_done();
}
