// oxbpf-test: debian-headers
// oxbpf-test: differential
/* Built against Debian's libbpf-dev headers and library: a binary made for
 * libbpf runs unchanged against ours and prints the same lines. */
#include "errors_body.h"

int main(void)
{
	return errors_main();
}
