
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>
#include <linux/bpf.h>
#include "libbpf_common.h"
#include "libbpf_legacy.h"

/* The first libbpf error code (an alias of LIBBPF_ERRNO__LIBELF). */
#define __LIBBPF_ERRNO__START 4000

/* Iterates over the programs of an object: for each `pos` in `obj`. */
#define bpf_object__for_each_program(pos, obj) \
	for ((pos) = bpf_object__next_program((obj), NULL); \
	     (pos) != NULL; \
	     (pos) = bpf_object__next_program((obj), (pos)))

/* Iterates over the maps of an object: for each `pos` in `obj`. */
#define bpf_object__for_each_map(pos, obj) \
	for ((pos) = bpf_object__next_map((obj), NULL); \
	     (pos) != NULL; \
	     (pos) = bpf_object__next_map((obj), (pos)))

#define bpf_map__for_each bpf_object__for_each_map

/* A TC parent handle from its major and minor numbers. */
#define BPF_TC_PARENT(a, b) \
	((((a) << 16) & 0xFFFF0000U) | ((b) & 0x0000FFFFU))
