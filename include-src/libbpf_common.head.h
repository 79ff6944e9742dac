
#include <string.h>
#include "libbpf_version.h"

#ifndef LIBBPF_API
#define LIBBPF_API __attribute__((visibility("default")))
#endif

#define LIBBPF_DEPRECATED(msg) __attribute__((deprecated(msg)))

/*
 * LIBBPF_DEPRECATED_SINCE(major, minor, msg) marks a declaration deprecated
 * once the library's version is major.minor or newer.
 */
#define LIBBPF_DEPRECATED_SINCE(major, minor, msg) \
	__LIBBPF_MARK_DEPRECATED_##major##_##minor(LIBBPF_DEPRECATED("libbpf v" #major "." #minor "+: " msg))

#define __LIBBPF_CURRENT_VERSION_GEQ(major, minor) \
	(LIBBPF_MAJOR_VERSION > (major) || \
	 (LIBBPF_MAJOR_VERSION == (major) && LIBBPF_MINOR_VERSION >= (minor)))

#if __LIBBPF_CURRENT_VERSION_GEQ(1, 0)
#define __LIBBPF_MARK_DEPRECATED_1_0(X) X
#else
#define __LIBBPF_MARK_DEPRECATED_1_0(X)
#endif

/*
 * LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "x") declares
 * `struct bpf_object_open_opts opts` with every byte zeroed (padding too, so
 * the library's zero-tail check holds), `.sz` set to the struct's size, and
 * the given fields initialised.
 */
#define LIBBPF_OPTS(TYPE, NAME, ...) \
	struct TYPE NAME = ({ \
		memset(&NAME, 0, sizeof(struct TYPE)); \
		(struct TYPE) { \
			.sz = sizeof(struct TYPE), \
			__VA_ARGS__ \
		}; \
	})

/*
 * LIBBPF_OPTS_RESET(opts, .field = value) resets an opts variable declared
 * with LIBBPF_OPTS to all zeroes, `.sz` and the given fields.
 */
#define LIBBPF_OPTS_RESET(NAME, ...) \
	do { \
		typeof(NAME) ___##NAME = ({ \
			memset(&___##NAME, 0, sizeof(NAME)); \
			(typeof(NAME)) { \
				.sz = sizeof(NAME), \
				__VA_ARGS__ \
			}; \
		}); \
		memcpy(&NAME, &___##NAME, sizeof(NAME)); \
	} while (0)
