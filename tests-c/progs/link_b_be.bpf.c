// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// oxbpf-prog: cflags -target bpfeb
/* link_b built big-endian, for the static linker's big-endian output. */
#include "link_b.bpf.c"
