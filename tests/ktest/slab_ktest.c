// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP suite "slab": the object allocator on the target, with its real MMU
 * mapping, the real unwinder on real stacks and the real interrupt masking:
 * size classes and alignment, the inline and out-of-line kmalloc agreeing,
 * bad frees refused with the counts exact, a private cache's life, and an
 * owner record naming its allocation site through the skip range of the
 * kernel image.
 */
#include <ferret/errno.h>
#include <ferret/kallsyms.h>
#include <ferret/ktest.h>
#include <ferret/slab.h>
#include <ferret/slab_owner.h>
#include <ferret/stackdepot.h>
#include <ferret/string.h>

static unsigned long active(struct kmem_cache *s)
{
	struct slab_stats st;

	kmem_cache_stats(s, &st);
	return st.active_objs;
}

static void slab_classes_and_alignment(struct ktest *t)
{
	void *p;

	for (size_t size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size += 1 + size / 7) {
		size_t c = kmalloc_size_roundup(size);
		unsigned long align = c & -c;

		p = kmalloc(size, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_EQ(t, ksize(p), c);
		KTEST_EXPECT_EQ(t, (unsigned long)p & (min(max(align, 8UL), 4096UL) - 1), 0);
		memset(p, 0xa5, size);
		kfree(p);
	}
	/* The inline path (a constant size) and the out-of-line one use one cache. */
	p = kmalloc(192, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, virt_to_cache(p) == kmalloc_cache(192));
	KTEST_EXPECT_EQ(t, ksize(p), 192);
	kfree(p);
	KTEST_EXPECT_TRUE(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KTEST_EXPECT_TRUE(t, kcalloc(SIZE_MAX / 4, 8, GFP_KERNEL) == NULL);
}

static void slab_bad_frees_refused(struct ktest *t)
{
	struct kmem_cache *s = kmalloc_cache(64);
	unsigned long before = active(s);
	u8 *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, a && b);
	KTEST_EXPECT_EQ(t, active(s), before + 2);
	kfree(a + 4);		/* not an object's start: refused */
	KTEST_EXPECT_EQ(t, active(s), before + 2);
	kfree(b);
	kfree(b);		/* twice: refused */
	KTEST_EXPECT_EQ(t, active(s), before + 1);
	kmem_cache_free(kmalloc_cache(128), a);	/* wrong cache: refused */
	KTEST_EXPECT_EQ(t, active(s), before + 1);
	kfree(a);
	KTEST_EXPECT_EQ(t, active(s), before);
}

static int ctor_runs;
static void ctor(void *x)
{
	ctor_runs++;
	memset(x, 0x3c, 24);
}

static void slab_private_cache(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("ktest_objs", 24, 32, 0, ctor);
	void *x[100];

	KTEST_ASSERT_TRUE(t, s != NULL);
	for (int i = 0; i < 100; i++) {
		x[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, x[i] != NULL);
		KTEST_EXPECT_EQ(t, (unsigned long)x[i] & 31, 0);
		KTEST_EXPECT_EQ(t, ((u8 *)x[i])[23], 0x3c);
	}
	KTEST_EXPECT_TRUE(t, ctor_runs >= 100);
	KTEST_EXPECT_EQ(t, active(s), 100);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), -EBUSY);	/* live objects: kept */
	for (int i = 0; i < 100; i++)
		kmem_cache_free(s, x[i]);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
	KTEST_EXPECT_TRUE(t, kmem_cache_find("ktest_objs") == NULL);
}

static __noinline void *ktest_slab_site(struct kmem_cache *s)
{
	return kmem_cache_alloc(s, GFP_KERNEL);
}

static __noinline void ktest_slab_free_site(struct kmem_cache *s, void *x)
{
	kmem_cache_free(s, x);
}

static const char *frame0(u32 handle)
{
	unsigned long e[16], size, off;
	const char *name;

	if (!handle || !stack_depot_fetch(handle, e, 16))
		return "";
	name = kallsyms_lookup(e[0], &size, &off);
	return name ? name : "";
}

/* A cache with owners (SLAB_STORE_USER): the stacks start at the caller. */
static void slab_owner_names_the_caller(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("ktest_owned", 40, 0, SLAB_STORE_USER, NULL);
	struct slab_owner_info o;
	void *x;

	KTEST_ASSERT_TRUE(t, s != NULL);
	x = ktest_slab_site(s);
	KTEST_ASSERT_TRUE(t, x != NULL);
	KTEST_EXPECT_EQ(t, slab_owner_get(x, &o), 0);
	KTEST_EXPECT_TRUE(t, o.live);
	KTEST_EXPECT_EQ(t, o.size, 40);
	KTEST_EXPECT_EQ(t, strcmp(frame0(o.handle), "ktest_slab_site"), 0);
	ktest_slab_free_site(s, x);
	KTEST_EXPECT_EQ(t, slab_owner_get(x, &o), 0);
	KTEST_EXPECT_TRUE(t, !o.live);
	KTEST_EXPECT_EQ(t, strcmp(frame0(o.free_handle), "ktest_slab_free_site"), 0);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
}

static const struct ktest_case slab_cases[] = {
	KTEST_CASE(slab_classes_and_alignment),
	KTEST_CASE(slab_bad_frees_refused),
	KTEST_CASE(slab_private_cache),
	KTEST_CASE(slab_owner_names_the_caller),
};
KTEST_SUITE(slab, slab_cases);
