// .kconfig externs given by the `kconfig` open option, with the system
// config filling what the option does not set.
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern int CONFIG_OXBPF_VALUE __kconfig;
extern char CONFIG_OXBPF_STR[8] __kconfig;
extern enum libbpf_tristate CONFIG_OXBPF_TRI __kconfig;
extern unsigned long long CONFIG_OXBPF_HEX __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig;

struct {
	int value, tri, bpf_syscall, pad;
	unsigned long long hex;
	char str[8];
} out;

SEC("syscall")
int read_kconfig(void *ctx)
{
	out.value = CONFIG_OXBPF_VALUE;
	out.tri = CONFIG_OXBPF_TRI;
	out.hex = CONFIG_OXBPF_HEX;
	out.bpf_syscall = CONFIG_BPF_SYSCALL;
	__builtin_memcpy(out.str, CONFIG_OXBPF_STR, sizeof(out.str));
	return 0;
}
