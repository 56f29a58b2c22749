// SPDX-License-Identifier: GPL-2.0
/*
 * Debugging checks of the object allocator, Linux's slab_debug= (F: pointer
 * and freelist checks, Z: red zones, P: poison, U: owners), and the reports
 * in Linux's format: the "[<what> overwritten] ..." line, "BUG <cache> (Not
 * tainted): <reason>", the owner's "Allocated in"/"Freed in" stacks, the
 * "Slab"/"Object" lines, the hex dumps, the call trace and "FIX <cache>:".
 *
 * Debug caches take the locked slow paths only, so every allocation and free
 * is checked (mm/slab.c). Bytes: Linux's values (0x6b poison, 0xa5 its last
 * byte, 0xcc live red zone, 0xbb free red zone).
 */
#include <ferret/mm.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/slab_owner.h>
#include <ferret/string.h>

#include "slab.h"

#define POISON_FREE	0x6b
#define POISON_END	0xa5
#define RED_ACTIVE	0xcc
#define RED_INACTIVE	0xbb

/* ---- slab_debug= ---- */

#define MAX_DEBUG_RULES	8
struct debug_rule {
	slab_flags_t flags;
	char caches[96];	/* comma-separated names, '*' at the end matches a prefix */
};
static struct debug_rule rules[MAX_DEBUG_RULES];
static unsigned int nr_rules;
static slab_flags_t global_flags;
static bool global_set;

static int parse_flags(const char *s, size_t n, slab_flags_t *out)
{
	slab_flags_t f = 0;

	if (!n) {	/* "slab_debug=" alone: everything, as Linux */
		*out = SLAB_DEBUG_FLAGS | SLAB_STORE_USER;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		switch (s[i] | 0x20) {
		case 'f':
			f |= SLAB_CONSISTENCY_CHECKS;
			break;
		case 'z':
			f |= SLAB_RED_ZONE;
			break;
		case 'p':
			f |= SLAB_POISON;
			break;
		case 'u':
			f |= SLAB_STORE_USER;
			break;
		case '-' | 0x20:
			if (s[i] != '-')
				return -1;
			f = 0;
			break;
		default:
			return -1;
		}
	}
	*out = f;
	return 0;
}

int slab_debug_param(const char *value)
{
	const char *p = value;

	nr_rules = 0;
	global_flags = 0;
	global_set = false;
	do {
		const char *end = strchr(p, ';'), *comma;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		slab_flags_t f;

		for (comma = p; comma < p + len && *comma != ','; comma++)
			;
		if (comma == p + len)
			comma = NULL;
		if (parse_flags(p, comma ? (size_t)(comma - p) : len, &f))
			return -1;
		if (!comma) {
			global_flags = f;
			global_set = true;
		} else {
			size_t n = len - (size_t)(comma - p) - 1;

			if (!n || n >= sizeof(rules[0].caches) || nr_rules == MAX_DEBUG_RULES)
				return -1;
			rules[nr_rules].flags = f;
			memcpy(rules[nr_rules].caches, comma + 1, n);
			rules[nr_rules].caches[n] = '\0';
			nr_rules++;
		}
		p = end ? end + 1 : NULL;
	} while (p && *p);
	if (!nr_rules && !global_set)
		return -1;
	return 0;
}

static bool name_in_list(const char *name, const char *list)
{
	size_t nlen = strlen(name);

	while (*list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);

		if (len && list[len - 1] == '*') {
			if (nlen >= len - 1 && !strncmp(name, list, len - 1))
				return true;
		} else if (len == nlen && !strncmp(name, list, len)) {
			return true;
		}
		if (!end)
			break;
		list = end + 1;
	}
	return false;
}

bool slab_owners_wanted(void)
{
	if (slab_owner_on || global_flags)
		return true;
	for (unsigned int i = 0; i < nr_rules; i++)
		if (rules[i].flags)
			return true;
	return false;
}

slab_flags_t slab_debug_flags_for(const char *name)
{
	for (unsigned int i = nr_rules; i-- > 0;)
		if (name_in_list(name, rules[i].caches))
			return rules[i].flags;
	return global_flags;
}

/* ---- object geometry ---- */

/* End of the right red zone, from the object pointer. */
static unsigned int rz_end(const struct kmem_cache *s)
{
	return ALIGN(s->object_size, 8U) + 8;
}

static void slab_fill(void *p, int c, size_t n)
{
	memset(p, c, n);
}

static void poison_object(struct kmem_cache *s, void *x)
{
	u8 *p = x;

	slab_fill(p, POISON_FREE, s->object_size - 1);
	p[s->object_size - 1] = POISON_END;
}

static void set_red_zones(struct kmem_cache *s, void *x, u8 val, size_t orig_size)
{
	u8 *p = x;

	slab_fill(p - s->red_left_pad, val, s->red_left_pad);
	slab_fill(p + s->object_size, val, rz_end(s) - s->object_size);
	if (val == RED_ACTIVE && (s->flags & SLAB_KMALLOC) && orig_size < s->object_size)
		slab_fill(p + orig_size, val, s->object_size - orig_size);
}

void slab_debug_init_slab(struct kmem_cache *s, unsigned long base)
{
	for (unsigned int i = 0; i < s->objects; i++) {
		void *x = obj_at(s, base, i);

		if (s->flags & SLAB_RED_ZONE)
			set_red_zones(s, x, RED_INACTIVE, s->object_size);
		if (s->flags & SLAB_POISON)
			poison_object(s, x);
	}
}

/* ---- reports ---- */

static void hex_dump(const char *label, const u8 *p, size_t len)
{
	for (size_t off = 0; off < len; off += 16) {
		char hex[16 * 3 + 1], ascii[17];
		size_t n = min(len - off, (size_t)16), h = 0;

		for (size_t i = 0; i < 16; i++) {
			if (i < n) {
				u8 c = p[off + i];

				h += (size_t)snprintf(hex + h, sizeof(hex) - h, "%s%02x", i ? " " : "", c);
				ascii[i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
			}
		}
		ascii[n] = '\0';
		printk(KERN_ERR "%s%016lx: %-47s  %s\n", label, (unsigned long)(p + off), hex, ascii);
	}
}

static void print_trailer(struct kmem_cache *s, unsigned long base, const void *x)
{
	const u8 *p = x;
	void *fp = get_freepointer(s, x);

	printk(KERN_ERR "Object 0x%016lx @offset=%lu fp=0x%016lx\n\n", (unsigned long)x,
	       (unsigned long)x - base, (unsigned long)fp);
	if (s->red_left_pad)
		hex_dump("Redzone  ", p - s->red_left_pad, s->red_left_pad);
	hex_dump("Object   ", p, min(s->object_size, (unsigned int)PAGE_SIZE));
	if (s->flags & SLAB_RED_ZONE)
		hex_dump("Redzone  ", p + s->object_size, rz_end(s) - s->object_size);
	if (s->size > s->red_left_pad + (s->offset ? s->offset + 8 : rz_end(s))) {
		unsigned int used = s->red_left_pad + (s->offset ? s->offset + 8 :
				     (s->flags & SLAB_RED_ZONE ? rz_end(s) : s->object_size));

		if (s->size > used)
			hex_dump("Padding  ", p - s->red_left_pad + used, s->size - used);
	}
}

static void print_slab_line(struct kmem_cache *s, struct slab *slab)
{
	unsigned long base = slab_base(slab, s);
	struct page *page = virt_to_page((void *)base);

	printk(KERN_ERR "Slab 0x%016lx objects=%u used=%u fp=0x%016lx flags=%#x\n",
	       (unsigned long)page, slab->objects, slab->inuse,
	       (unsigned long)(slab->frozen ? s->cpu[slab->frozen - 1].freelist : slab->freelist),
	       READ_ONCE(page->flags));
}

static void alert_write(struct seq_file *m, const char *s, size_t len)
{
	printk(KERN_ERR "%.*s", (int)len, s);
}

void slab_report(struct kmem_cache *s, struct slab *slab, const void *x, const char *fix,
		 const char *fmt, ...)
{
	static const char eq[] = "=============================================================================";
	static const char dash[] = "-----------------------------------------------------------------------------";
	char reason[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	printk(KERN_ERR "%s\n", eq);
	printk(KERN_ERR "BUG %s (Not tainted): %s\n", s->name, reason);
	printk(KERN_ERR "%s\n\n", dash);
	if (x && slab) {
		unsigned long base = slab_base(slab, s);
		struct seq_file m;

		memset(&m, 0, sizeof(m));
		m.write = alert_write;
		slab_owner_print_object(&m, s, base, x);
		print_slab_line(s, slab);
		print_trailer(s, base, x);
	} else if (slab) {
		print_slab_line(s, slab);
	}
	dump_stack();
	if (fix)
		printk(KERN_ERR "FIX %s: %s\n", s->name, fix);
}

void slab_report_bad_ptr(const char *func, const void *x, const char *what)
{
	struct kmem_cache *s = virt_to_cache(x);

	printk(KERN_ERR "=============================================================================\n");
	printk(KERN_ERR "BUG %s (Not tainted): Invalid pointer 0x%lx: %s\n", func,
	       (unsigned long)x, what);
	printk(KERN_ERR "-----------------------------------------------------------------------------\n\n");
	if (s) {
		/* An object of another cache: say whose it is. */
		unsigned long base = slab_base_of_page(virt_to_page(x));

		printk(KERN_ERR "0x%lx is in an object of %s\n", (unsigned long)x, s->name);
		if (object_start(s, base, x)) {
			struct seq_file m;

			memset(&m, 0, sizeof(m));
			m.write = alert_write;
			slab_owner_print_object(&m, s, base, x);
		}
		dump_stack();
	} else if (x && pfn_valid(virt_to_pfn(x))) {
		dump_page(virt_to_page(x), "not a kmalloc()ed object");	/* ends with the trace */
	} else {
		printk(KERN_ERR "0x%lx is not in RAM\n", (unsigned long)x);
		dump_stack();
	}
}

/*
 * Check that [@start, @start + @len) is all @val; if not, report it as
 * Linux's check_bytes_and_report() does and restore it.
 * Return: true if intact.
 */
static bool check_bytes(struct kmem_cache *s, struct slab *slab, const void *x,
			const char *what, u8 *start, u8 val, size_t len)
{
	unsigned long base = slab_base(slab, s);
	u8 *first = NULL, *last = NULL;
	char fix[128];

	for (size_t i = 0; i < len; i++) {
		if (start[i] != val) {
			if (!first)
				first = start + i;
			last = start + i;
		}
	}
	if (!first)
		return true;
	printk(KERN_ERR "[%s overwritten] 0x%016lx-0x%016lx @offset=%lu. First byte 0x%x instead of 0x%x\n",
	       what, (unsigned long)first, (unsigned long)last, (unsigned long)first - base,
	       *first, val);
	snprintf(fix, sizeof(fix), "Restoring %s 0x%016lx-0x%016lx=0x%x", what,
		 (unsigned long)first, (unsigned long)last, val);
	slab_report(s, slab, x, NULL, "Object corrupt");
	printk(KERN_ERR "FIX %s: %s\n", s->name, fix);
	slab_fill(first, val, (size_t)(last - first) + 1);
	s->errors++;
	return false;
}

/* Red zones of @x against @val; restored if not. Return: true if intact. */
static bool check_red_zones(struct kmem_cache *s, struct slab *slab, u8 *x, u8 val,
			    size_t orig_size)
{
	bool ok = true;

	ok &= check_bytes(s, slab, x, "Left Redzone", x - s->red_left_pad, val, s->red_left_pad);
	ok &= check_bytes(s, slab, x, "Right Redzone", x + s->object_size, val,
			  rz_end(s) - s->object_size);
	if (val == RED_ACTIVE && (s->flags & SLAB_KMALLOC) && orig_size &&
	    orig_size < s->object_size)
		ok &= check_bytes(s, slab, x, "kmalloc Redzone", x + orig_size, val,
				  s->object_size - orig_size);
	return ok;
}

static bool check_poison(struct kmem_cache *s, struct slab *slab, u8 *x)
{
	bool ok = check_bytes(s, slab, x, "Poison", x, POISON_FREE, s->object_size - 1);

	return check_bytes(s, slab, x, "End Poison", x + s->object_size - 1, POISON_END, 1) && ok;
}

/* A free pointer: NULL or an object start of the slab. */
static bool valid_fp(struct kmem_cache *s, unsigned long base, const void *fp)
{
	return !fp || object_start(s, base, fp);
}

bool slab_debug_alloc(struct kmem_cache *s, struct slab *slab, void *x, size_t orig_size)
{
	unsigned long base = slab_base(slab, s);

	if ((s->flags & SLAB_CONSISTENCY_CHECKS) && !valid_fp(s, base, get_freepointer(s, x))) {
		/* The chain past @x cannot be trusted: keep the slab's objects used. */
		slab_report(s, slab, x, "Marking all objects used", "Freechain corrupt");
		slab->freelist = NULL;
		slab->inuse = slab->objects;
		if (slab->on_partial) {
			slab->prev->next = slab->next;
			slab->next->prev = slab->prev;
			slab->on_partial = 0;
			s->nr_partial--;
		}
		s->errors++;
	}
	if (s->flags & SLAB_POISON)
		check_poison(s, slab, x);
	if (s->flags & SLAB_RED_ZONE) {
		check_red_zones(s, slab, x, RED_INACTIVE, 0);
		set_red_zones(s, x, RED_ACTIVE, orig_size);
	}
	/* Whatever was found is reported and restored: the object can be used. */
	return true;
}

bool slab_debug_free(struct kmem_cache *s, struct slab *slab, void *x)
{
	unsigned long base = slab_base(slab, s);
	char fix[96];

	snprintf(fix, sizeof(fix), "Object at 0x%016lx not freed", (unsigned long)x);
	if (!slab->inuse) {
		slab_report(s, slab, NULL, fix, "Slab has 0 allocated objects but 1 are to be freed");
		return false;
	}
	if (slab_has_owners(s) ? !slab_owner_is_live(s, base, x)
			       : slab_object_is_free(s, slab, x)) {
		slab_report(s, slab, x, fix, "Object already free");
		return false;
	}
	if (s->flags & SLAB_RED_ZONE)
		check_red_zones(s, slab, x, RED_ACTIVE, slab_owner_orig_size(s, base, x));
	if (s->flags & SLAB_POISON)
		poison_object(s, x);
	if (s->flags & SLAB_RED_ZONE)
		set_red_zones(s, x, RED_INACTIVE, s->object_size);
	return true;
}

int slab_debug_validate_slab(struct kmem_cache *s, struct slab *slab)
{
	unsigned long base = slab_base(slab, s);
	int bad = 0;

	for (unsigned int i = 0; i < s->objects; i++) {
		u8 *x = obj_at(s, base, i);
		bool is_free = slab_has_owners(s) ? !slab_owner_is_live(s, base, x)
						  : slab_object_is_free(s, slab, x);

		if (is_free && (s->flags & SLAB_POISON))
			bad += !check_poison(s, slab, x);
		if (s->flags & SLAB_RED_ZONE)
			bad += !check_red_zones(s, slab, x, is_free ? RED_INACTIVE : RED_ACTIVE,
						is_free ? 0 : slab_owner_orig_size(s, base, x));
	}
	return bad;
}
