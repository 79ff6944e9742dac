
#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "libbpf_common.h"

/* The pre-1.0 name of LIBBPF_OPTS. */
#define DECLARE_LIBBPF_OPTS LIBBPF_OPTS
