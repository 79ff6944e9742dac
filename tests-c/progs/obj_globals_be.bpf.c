// SPDX-License-Identifier: GPL-2.0
// oxbpf-prog: cflags -target bpfeb
/* obj_globals built big-endian: opens (instructions swapped to the host's
 * order), refuses to load on this little-endian host. */
#include "obj_globals.bpf.c"
