/* Types for tests-c/users/pahole_encode.sh: compiled with gcc -g, then
 * pahole -J turns the DWARF into BTF through the library's btf__add_*,
 * btf__add_btf and btf__dedup. Every BTF kind pahole emits for C appears,
 * with duplicates across the two compilation units (this file is built
 * twice, with -DUNIT=1 and -DUNIT=2, and linked) for dedup to merge. */
#include <stddef.h>

struct point { int x, y; };
struct fwd_only;
typedef struct point point_t;
typedef point_t *point_ptr;
enum color { RED, GREEN = 5, BLUE = -3 };
enum big { BIG_SMALL = 1, BIG_HUGE = 0x7fffffffffffffffLL };
union number { int i; float f; double d; long double ld; unsigned char b[16]; };
struct flags { unsigned a : 3, b : 5; signed c : 7; unsigned long long d : 40; _Bool e : 1; };
struct nested {
	struct { int anon_x; long anon_y; };
	union { char *s; const volatile int *cv; };
	struct point pts[4];
	int matrix[2][3];
	struct fwd_only *opaque;
	int (*callback)(struct nested *self, enum color c, ...);
	void (*const restricted_cb)(void *restrict p);
	char tail[];
};
struct list { struct list *next, *prev; struct nested *owner; };
typedef int (*handler_t)(const char *name, size_t len);

#if UNIT == 1
struct list head_one;
handler_t handler_one;
int area(const struct point *a, const struct point *b, union number *n, struct flags *f)
{
	return (b->x - a->x) * (b->y - a->y) + n->i + f->c;
}
int use_nested(struct nested *n, struct list *l, enum big big)
{
	return n->matrix[1][2] + (l->owner == n) + (int)big;
}
#else
struct list head_two;
handler_t handler_two;
extern int area(const struct point *, const struct point *, union number *, struct flags *);
extern int use_nested(struct nested *, struct list *, enum big);
static float scale(point_ptr p, float k) { return p->x * k; }
int main(void)
{
	struct point a = { 0, 0 }, b = { 2, 3 };
	union number n = { 0 };
	struct flags f = { 0 };
	struct nested ns = { 0 };
	struct list l = { &l, &l, &ns };
	return area(&a, &b, &n, &f) + use_nested(&ns, &l, BIG_SMALL) + (int)scale(&a, 2.0f);
}
#endif
