// oxbpf-test: differential
// oxbpf-test: debian-headers
/*
 * The vmlinux walk of btf_vmlinux_walk.c, compiled against Debian's
 * libbpf 1.1.2 headers (their inline helpers and prototypes): a program
 * built for Debian's libbpf must see the same BTF through ours.
 */
#include "btf_vmlinux_walk.c"
