/* vmlinux BTF is parsed once for a burst of CO-RE loads (oxbpf only: libbpf
 * parses it for every load), and the debug log tells which candidate each
 * relocation matched and what it patched. */
#include "harness.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

static char logbuf[1 << 22];
static size_t loglen;

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n = vsnprintf(logbuf + loglen, sizeof(logbuf) - loglen, fmt, ap);

	if (n > 0 && loglen + n < sizeof(logbuf))
		loglen += n;
	return 0;
}

static int count(const char *needle)
{
	int n = 0;
	const char *p = logbuf;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

int main(void)
{
	int i;

	libbpf_set_print(capture);
	for (i = 0; i < 3; i++) {
		struct bpf_object *obj = bpf_object__open_file(prog_path("core_reloc.bpf.o"), NULL);

		if (!obj && errno == EOPNOTSUPP)
			SKIP("bpf_object__open_file is not implemented yet");
		CHECK(obj != NULL);
		CHECK_EQ(bpf_object__load(obj), 0);
		bpf_object__close(obj);
	}
	libbpf_set_print(NULL);
	/* one parse of vmlinux BTF for the three loads */
	CHECKM(count("libbpf: vmlinux BTF: ") == 1, "vmlinux BTF parsed %d times", count("libbpf: vmlinux BTF: "));
	/* which candidate matched, what was patched */
	CHECK(strstr(logbuf, "found target candidate [") != NULL);
	CHECK(strstr(logbuf, "struct task_struct in [vmlinux]") != NULL);
	CHECK(strstr(logbuf, ": matching candidate #0 <byte_off> [") != NULL);
	CHECK(strstr(logbuf, "(LDX/ST/STX) off ") != NULL || strstr(logbuf, "(ALU/ALU64) imm ") != NULL);
	CHECK(strstr(logbuf, "no matching targets found") != NULL);
	return harness_done();
}
