// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Types that are hard to print back as C, for the btf_dump tests: bitfields,
 * packing and alignment, padding, nested anonymous types, enums of odd
 * sizes and signs, function pointers, multi-dimensional arrays, qualifiers,
 * type tags, forward declarations and pointer cycles. Never loaded: the
 * tests read its BTF. Every type is reached from a global variable.
 */
#include <linux/types.h>

#define __tag(x) __attribute__((btf_type_tag(x)))
#define __dtag(x) __attribute__((btf_decl_tag(x)))

/* Bitfields: runs, straddling, zero-width, unnamed padding, enum bitfields. */
enum small_e { SMALL_A, SMALL_B, SMALL_C = 3 };

struct bits {
	unsigned int a : 1;
	unsigned int b : 3;
	int c : 12;
	unsigned long long wide : 40;
	unsigned char : 0;
	unsigned char d : 2;
	short e;
	enum small_e f : 2;
	unsigned int : 5;
	int g : 7;
	long long h;
	char tail : 1;
};

struct bits_only {
	unsigned int x : 4;
	unsigned int y : 28;
	unsigned long long z : 63;
};

/* Packing and alignment. */
struct packed_s {
	char c;
	int i;
	long long l;
	short s;
} __attribute__((packed));

struct packed_tail {
	long long l;
	char c;
} __attribute__((packed));

struct aligned16 {
	char c;
	int i __attribute__((aligned(16)));
	char end;
} __attribute__((aligned(32)));

struct holes {
	char a;
	long b;
	char c;
	short d;
	char e;
	int f;
	char g;
	char tailpad[3];
	long long h __attribute__((aligned(16)));
};

struct packed_inner {
	short a;
	struct packed_s p;
	char b;
	struct packed_tail t[2];
};

struct empty {};

struct has_empty {
	struct empty e;
	int x;
	struct empty e2[0];
};

/* Nested anonymous types. */
struct nested {
	int kind;
	union {
		struct {
			int x, y;
			enum { DIR_N, DIR_S = 10, DIR_E = -2 } dir;
		} point;
		struct {
			unsigned long lo : 20, hi : 44;
		};
		char raw[16];
		union {
			long long q;
			double d;
		};
	};
	struct {
		struct {
			struct nested *self;
			int depth;
		} inner[2];
	} outer;
	enum { ANON_TOP_1 = 100, ANON_TOP_2 } anon_enum_field;
};

/* Enums: signed, unsigned, 1/2/8-byte, 64-bit values, an empty one. */
enum neg_e { NEG_MIN = -2147483647 - 1, NEG_ONE = -1, NEG_ZERO = 0, NEG_MAX = 2147483647 };
enum big_u { BIG_U_LOW = 1, BIG_U_HIGH = 0xffffffffffffffffULL };
enum big_s { BIG_S_NEG = -5000000000LL, BIG_S_POS = 5000000000LL };
enum u32_full { U32_TOP = 0xffffffffU, U32_BOTTOM = 0 };
enum __attribute__((packed)) byte_e { BYTE_A = 1, BYTE_B = 200 };
enum __attribute__((packed)) short_e { SHORT_A = 1, SHORT_B = 40000 };
enum __attribute__((mode(word))) word_e { WORD_A = 1, WORD_B = 2 };

struct enums {
	enum neg_e n;
	enum big_u bu;
	enum big_s bs;
	enum u32_full uf;
	enum byte_e b;
	enum short_e s;
	enum word_e w;
	enum byte_e bf : 4;
	enum neg_e nf : 3;
};

/* Function pointers, arrays and qualifiers. */
typedef int (*binop_t)(int, int);
typedef void (*handler_t)(void);
typedef int (*vararg_fn)(const char *fmt, ...);
typedef binop_t (*get_op_t)(const char *name);
typedef int (*(*arr_ret_fn)(void))[4];
typedef char matrix_t[3][4][5];
typedef const volatile int cv_int;
typedef int *restrict rp_int;

struct funcs {
	binop_t ops[4];
	void (*callbacks[2][3])(struct funcs *self, unsigned long flags);
	int (*(*fp_ret_arr)(int))[8];
	handler_t (*handlers)(binop_t op, vararg_fn log);
	get_op_t getter;
	arr_ret_fn arr_fn;
	const char *const names[2];
	volatile int *const volatile vp;
	const int *(*cpp)[3];
	matrix_t m;
	int (*pm)[3][4];
	cv_int cvi;
	rp_int rp;
	char *(*strdup_like)(const char *);
	void *const *ptrs;
	int flex[];
};

/* Pointer cycles, forward declarations, typedefs of structs. */
struct fwd_only;
union fwd_union;
typedef struct node node_t;
struct node {
	node_t *next;
	struct node *prev;
	struct list *owner;
	struct fwd_only *opaque;
	union fwd_union *uopaque;
};
struct list {
	node_t head;
	struct node *nodes[4];
	int (*cmp)(const node_t *, const node_t *);
};
typedef struct { int a; } anon_typedef_t;
typedef union { int i; float f; } anon_union_t;
typedef enum { TE_A, TE_B } anon_enum_t;
typedef anon_typedef_t *anon_ptr_t;

struct uses_typedefs {
	anon_typedef_t t;
	anon_union_t u;
	anon_enum_t e;
	anon_ptr_t p;
	struct list l;
};

/* Type and declaration tags. */
struct tagged {
	int __tag("user") *user_ptr;
	char __tag("percpu") __tag("rcu") *multi;
	int plain __dtag("field_tag");
} __dtag("struct_tag");

/* Scalars of every size, floats, chars and strings. */
struct scalars {
	char c;
	signed char sc;
	unsigned char uc;
	short s;
	unsigned short us;
	int i;
	unsigned int ui;
	long l;
	unsigned long ul;
	long long ll;
	unsigned long long ull;
	__int128 i128;
	unsigned __int128 u128;
	float f;
	double d;
	_Bool b;
	char name[16];
	unsigned char bytes[6];
	int ints[5];
	char grid[2][4];
	void *vp;
	const char *str;
};

struct bits g_bits;
struct bits_only g_bits_only;
struct packed_s g_packed;
struct aligned16 g_aligned;
struct holes g_holes;
struct packed_inner g_packed_inner;
struct has_empty g_has_empty;
struct nested g_nested;
struct enums g_enums;
struct funcs g_funcs;
struct uses_typedefs g_typedefs;
struct tagged g_tagged;
struct scalars g_scalars;
enum { GLOBAL_CONST_A = 7, GLOBAL_CONST_B } g_anon_enum_var;
int g_int_array[3][2] = { { 1, 2 }, { 3, 4 }, { 5, 6 } };
static volatile const char g_msg[] = "hello";

int __attribute__((section("tc"))) corpus_prog(void *ctx)
{
	return g_msg[0] + g_int_array[1][1];
}

char LICENSE[] __attribute__((section("license"))) = "GPL";
