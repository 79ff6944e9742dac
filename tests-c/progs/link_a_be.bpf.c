// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// oxbpf-prog: cflags -target bpfeb
/* link_a built big-endian, for the static linker's big-endian output. */
#include "link_a.bpf.c"
