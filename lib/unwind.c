// SPDX-License-Identifier: GPL-2.0
/*
 * Frame-pointer unwinder: walks the frame record chain and returns the
 * return addresses it finds. See include/ferret/stacktrace.h for the record
 * layout and the rules; asm/stacktrace.h says where a record sits relative
 * to the frame pointer (AArch64 x29, AArch32 fp, the host's rbp or ebp).
 *
 * Portable C: the kernel and the host build (64- and 32-bit) compile this
 * same file, so the host tests walk their own, real stacks.
 *
 * The walk never dereferences an address it has not first proven to be a
 * whole, aligned record inside a registered stack, so a corrupt or looping
 * chain ends the walk instead of faulting:
 *   - the record must be STACKTRACE_FP_ALIGN aligned;
 *   - the whole record must lie inside one registered stack;
 *   - within a stack fp must strictly increase (stacks grow down, callers'
 *     records sit at higher addresses): this also rules out loops;
 *   - the walk may move to another registered stack (exception stack to the
 *     interrupted stack) but never back to one it has left;
 *   - at most STACKTRACE_MAX_DEPTH records are read.
 * A record with fp == 0 or lr == 0 is the terminal record boot code leaves.
 * After a return address into code that keeps no chain (arch_lr_foreign():
 * newlib's Thumb code on AArch32), the fp that code left is followed only to
 * a record whose return address is a call site in the text; otherwise the
 * walk ends there (UNWIND_STOP_FOREIGN).
 */
#include <ferret/compiler.h>
#include <ferret/stacktrace.h>
#include <asm/irqflags.h>

struct stack_range {
	unsigned long low, high;
	const char *name;
};

static struct stack_range stacks[STACKTRACE_MAX_STACKS];
static unsigned int nr_stacks;
static unsigned long skip_start, skip_end;
static struct unwind_memo_set *memo_sets[UNWIND_MAX_MEMO_SETS];
static unsigned int nr_memo_sets;

/* Write @m (interrupts masked by the caller), bracketed by seq changes. */
static void memo_write(struct unwind_memo *m, unsigned long fp0, const unsigned long *rec,
		       unsigned int nr, u32 cookie)
{
	WRITE_ONCE(m->seq, m->seq + 1);
	barrier();
	m->nr = nr;
	m->cookie = cookie;
	for (unsigned int i = 0; i < 2 * nr; i++)
		m->rec[i] = rec[i];
	m->fp0 = fp0;
	barrier();
	WRITE_ONCE(m->seq, m->seq + 1);
}

/* Registered stacks or the skip range changed: empty every walk memo. */
static void stacks_changed(void)
{
	unsigned long flags = arch_local_irq_save();

	unsigned int n = __atomic_load_n(&nr_memo_sets, __ATOMIC_RELAXED);

	for (unsigned int i = 0; i < n && i < UNWIND_MAX_MEMO_SETS; i++) {
		struct unwind_memo_set *set = __atomic_load_n(&memo_sets[i], __ATOMIC_ACQUIRE);

		if (!set)	/* a slot taken, its set not stored yet */
			continue;

		for (unsigned int k = 0; k < UNWIND_MEMO_PREFIXES; k++)
			memo_write(&set->prefix[k], 0, NULL, 0, 0);
		for (unsigned long k = 0; set->table && k < (set->mask + 1) * UNWIND_MEMO_WAYS; k++)
			if (set->table[k].fp0)
				memo_write(&set->table[k], 0, NULL, 0, 0);
	}
	arch_local_irq_restore(flags);
}

int stacktrace_register_stack(unsigned long low, unsigned long high, const char *name)
{
	if (nr_stacks >= STACKTRACE_MAX_STACKS || high <= low ||
	    high - low < STACKTRACE_RECORD_SIZE)
		return -1;
	stacks[nr_stacks].low = low;
	stacks[nr_stacks].high = high;
	stacks[nr_stacks].name = name;
	/* The range must be visible before a walk can find it. */
	__atomic_store_n(&nr_stacks, nr_stacks + 1, __ATOMIC_RELEASE);
	stacks_changed();
	return 0;
}

int stacktrace_unregister_stack(unsigned long low)
{
	unsigned long flags = arch_local_irq_save();
	int ret = -1;

	/* A walk runs on this CPU only, and not while interrupts are masked. */
	for (unsigned int i = 0; i < nr_stacks; i++) {
		if (stacks[i].low != low)
			continue;
		for (; i + 1 < nr_stacks; i++)
			stacks[i] = stacks[i + 1];
		nr_stacks--;
		stacks_changed();
		ret = 0;
		break;
	}
	arch_local_irq_restore(flags);
	return ret;
}

void stacktrace_reset(void)
{
	nr_stacks = 0;
	skip_start = skip_end = 0;
	stacks_changed();
}

void stacktrace_set_skip_text(unsigned long start, unsigned long end)
{
	skip_start = start;
	skip_end = end > start ? end : start;
	stacks_changed();
}

/* Index of the registered stack holding all of the record at @rec, or -1. */
static int find_stack(unsigned long rec)
{
	unsigned int n = __atomic_load_n(&nr_stacks, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < n; i++) {
		if (rec >= stacks[i].low && rec < stacks[i].high &&
		    stacks[i].high - rec >= STACKTRACE_RECORD_SIZE)
			return (int)i;
	}
	return -1;
}

/*
 * The walk keeps its state in registers: the current stack's bounds as
 * (prev, lim], where prev is the last record's address (or just below the
 * stack) and lim the highest address where a record fits, so one test per record covers
 * "aligned, in this stack, above the last". A record that fails it goes to
 * the cold path, which tells a corrupt chain from a move to another
 * registered stack.
 */
struct walk_bounds {
	unsigned long prev, lim;
};

struct walk_slow {
	unsigned int visited;	/* bit i: stacks[i] entered */
	unsigned int cur;	/* the stack being walked */
	enum unwind_stop stop;
};

/* Cold path of a step: the first record, a misaligned fp, a stack switch. */
static __noinline struct walk_bounds enter_stack(unsigned long fp, unsigned long lim,
						 struct walk_slow *s)
{
	unsigned long rec = (unsigned long)frame_record(fp);
	int i;

	if (!fp) {			/* terminal record's fp */
		s->stop = UNWIND_STOP_END;
		return (struct walk_bounds){ 0, 0 };
	}
	if (rec & (STACKTRACE_FP_ALIGN - 1)) {
		s->stop = UNWIND_STOP_ALIGN;
		return (struct walk_bounds){ 0, 0 };
	}
	/* Inside the current stack, so not above the last record: a loop. */
	if (s->visited && rec >= stacks[s->cur].low && rec <= lim) {
		s->stop = UNWIND_STOP_ORDER;
		return (struct walk_bounds){ 0, 0 };
	}
	i = find_stack(rec);
	if (i < 0) {
		s->stop = UNWIND_STOP_RANGE;
		return (struct walk_bounds){ 0, 0 };
	}
	/* Another stack: the walk never goes back to one it has left. */
	if (s->visited & (1U << i)) {
		s->stop = UNWIND_STOP_REVISIT;
		return (struct walk_bounds){ 0, 0 };
	}
	s->visited |= 1U << i;
	s->cur = (unsigned int)i;
	return (struct walk_bounds){ rec - 1, stacks[i].high - STACKTRACE_RECORD_SIZE };
}

/*
 * One record: check the record of @fp. Return: its address, or 0 when the
 * walk ends (s->stop says why) before reading.
 */
static __always_inline const unsigned long *step(unsigned long fp, struct walk_bounds *b,
						 struct walk_slow *s)
{
	unsigned long rec = (unsigned long)frame_record(fp);

	if (unlikely((rec & (STACKTRACE_FP_ALIGN - 1)) || rec <= b->prev || rec > b->lim)) {
		*b = enter_stack(fp, b->lim, s);
		if (!b->lim)
			return NULL;
	}
	b->prev = rec;
	return (const unsigned long *)rec;
}

/*
 * @fp was left by code that keeps no chain: is it a frame pointer? Its
 * record must lie in a registered stack, and hold a return address just
 * after a call. The caller's order checks still apply when it is followed.
 */
static __noinline bool foreign_fp_ok(unsigned long fp)
{
	unsigned long rec = (unsigned long)frame_record(fp);

	if (!fp || (rec & (STACKTRACE_FP_ALIGN - 1)) || find_stack(rec) < 0)
		return false;
	return arch_call_return(READ_ONCE(((const unsigned long *)rec)[1]));
}

static __always_inline unsigned long lr_of(unsigned long lr)
{
	return unlikely(arch_lr_tagged(lr)) ? stacktrace_strip_pac(lr) : lr;
}

/*
 * The general walk. always_inline: each caller gets a copy specialised for
 * its constant arguments.
 */
static __always_inline unsigned int walk(unsigned long fp, unsigned long *store,
					 unsigned int size, unsigned int skipnr,
					 struct unwind_state *state, bool skip_text)
{
	/* An empty window: the first record takes the cold path. */
	struct walk_bounds b = { ~0UL, 0 };
	struct walk_slow s = { 0, 0, UNWIND_STOP_END };
	unsigned long skip_lo = skip_start, skip_len = skip_text ? skip_end - skip_start : 0;
	const unsigned long *r;
	unsigned long next, pc;
	unsigned int n = 0, walked = 0;

	/* Leading frames: @skipnr of them, then those inside the skip text. */
	while (fp) {
		if (walked == STACKTRACE_MAX_DEPTH) {
			s.stop = UNWIND_STOP_FULL;
			goto out;
		}
		r = step(fp, &b, &s);
		if (!r)
			goto out;
		next = READ_ONCE(r[0]);
		pc = READ_ONCE(r[1]);
		walked++;
		if (!pc)
			goto out;	/* lr == 0: terminal record */
		pc = lr_of(pc);
		fp = next;
		if (unlikely(arch_lr_foreign(pc)) && !foreign_fp_ok(fp)) {
			fp = 0;
			s.stop = UNWIND_STOP_FOREIGN;
		}
		if (skipnr) {
			skipnr--;
			continue;
		}
		if (pc - skip_lo < skip_len) {
			/* Kept only if nothing outside the range follows. */
			if (n < size)
				store[n++] = pc;
			continue;
		}
		n = 0;
		goto keep;
	}
	goto out;	/* ended while still dropping frames */
keep:
	/* The rest: store every frame. */
	for (;;) {
		if (n >= size) {
			s.stop = UNWIND_STOP_FULL;
			break;
		}
		store[n++] = pc;
		if (!fp)
			break;
		if (walked == STACKTRACE_MAX_DEPTH) {
			s.stop = UNWIND_STOP_FULL;
			break;
		}
		r = step(fp, &b, &s);
		if (!r)
			break;
		next = READ_ONCE(r[0]);
		pc = READ_ONCE(r[1]);
		walked++;
		if (!pc)
			break;
		pc = lr_of(pc);
		fp = next;
		if (unlikely(arch_lr_foreign(pc)) && !foreign_fp_ok(fp)) {
			fp = 0;
			s.stop = UNWIND_STOP_FOREIGN;
		}
	}
out:
	if (state) {
		state->nr_walked = walked;
		state->stop = s.stop;
	}
	return n;
}

unsigned int unwind_from(unsigned long fp, unsigned long *store, unsigned int size,
			 unsigned int skipnr, struct unwind_state *state)
{
	return walk(fp, store, size, skipnr, state, true);
}

/*
 * The walk behind a memo miss, kept short: the records go into the chain as
 * they are read, the bounds live in registers, fp == 0 and every other end
 * of the chain take the cold path. A walk longer than a chain holds (more
 * than 2 * UNWIND_MEMO_RECORDS records) is redone by the general walk, which
 * also applies the depth cap.
 */
unsigned int unwind_memo_walk(unsigned long fp, unsigned long *store, unsigned int size,
			      struct unwind_chain *chain)
{
	struct walk_bounds b = { ~0UL, 0 };
	struct walk_slow s = { 0, 0, UNWIND_STOP_END };
	unsigned long skip_lo = skip_start, skip_len = skip_end - skip_start;
	unsigned long *raw = chain->rec, *raw_end = raw + ARRAY_SIZE(chain->rec);
	unsigned long *st = store, *st_end = store + size;
	const unsigned long *r;
	unsigned long next, lr;
	bool foreign = false;

	chain->fp0 = fp;
	chain->split = ~0U;	/* no frame outside the skip text (yet) */
	if (!size)
		goto out;
	/* Leading frames inside the skip text, kept only if nothing else follows. */
	for (;;) {
		r = step(fp, &b, &s);
		if (!r)
			goto out;
		if (unlikely(raw == raw_end))
			goto too_long;
		next = READ_ONCE(r[0]);
		lr = READ_ONCE(r[1]);
		raw[0] = next;
		raw[1] = lr;
		raw += 2;
		if (!lr)
			goto out;	/* terminal record */
		lr = lr_of(lr);
		fp = next;
		if (unlikely(arch_lr_foreign(lr)) && !foreign_fp_ok(fp))
			fp = 0, foreign = true;		/* the next step ends the walk */
		if (lr - skip_lo >= skip_len)
			break;
		if (st < st_end)
			*st++ = lr;
	}
	chain->split = (unsigned int)(raw - chain->rec) / 2 - 1;
	st = store;
	*st++ = lr;
	/* The rest: every frame, until the buffer is full. */
	while (st < st_end) {
		r = step(fp, &b, &s);
		if (!r)
			goto out;
		if (unlikely(raw == raw_end))
			goto too_long;
		next = READ_ONCE(r[0]);
		lr = READ_ONCE(r[1]);
		raw[0] = next;
		raw[1] = lr;
		raw += 2;
		if (!lr)
			goto out;
		lr = lr_of(lr);
		*st++ = lr;
		fp = next;
		if (unlikely(arch_lr_foreign(lr)) && !foreign_fp_ok(fp))
			fp = 0, foreign = true;
	}
out:
	chain->nr = (unsigned int)(raw - chain->rec) / 2;
	/*
	 * All in the skip text, or ended at a record that was not followed
	 * (the memo compares only the records read): nothing to remember.
	 */
	if (chain->split > chain->nr || foreign)
		chain->nr = 0;
	return (unsigned int)(st - store);
too_long:
	chain->nr = 0;
	return walk(chain->fp0, store, size, 0, NULL, true);
}

void unwind_memo_publish(struct unwind_memo_set *s, const struct unwind_chain *chain,
			 u32 cookie)
{
	unsigned int k = chain->split, rest = chain->nr - chain->split;
	unsigned long flags, fk;
	struct unwind_memo *m;

	BUILD_BUG_ON(sizeof(struct unwind_memo) > 256);
	if (!chain->nr || !cookie || cookie >> 24 || !s->table || !s->last || !s->mru ||
	    k > UNWIND_MEMO_RECORDS || !rest ||
	    rest > UNWIND_MEMO_RECORDS)
		return;
	/* The first record outside the skip text: where the rest starts. */
	fk = k ? chain->rec[2 * (k - 1)] : chain->fp0;
	m = &s->table[UNWIND_MEMO_WAYS * unwind_memo_slot(fk, chain->rec[2 * k + 1], s->mask)];
	flags = arch_local_irq_save();
	{
		unsigned int w;

		for (w = 0; w < UNWIND_MEMO_WAYS && m[w].fp0; w++)
			;
		if (w == UNWIND_MEMO_WAYS)
			w = s->victim++ % UNWIND_MEMO_WAYS;
		m += w;
	}
	if (!s->registered) {
		/* Cores register their own sets at once: a slot each, published. */
		unsigned int i = __atomic_fetch_add(&nr_memo_sets, 1, __ATOMIC_RELAXED);

		if (i < UNWIND_MAX_MEMO_SETS) {
			__atomic_store_n(&memo_sets[i], s, __ATOMIC_RELEASE);
			s->registered = true;
		}
	}
	if (s->registered) {
		struct unwind_memo *p = NULL;

		/* The prefix: one already held, else a new one in turn. */
		for (unsigned int i = 0; i < UNWIND_MEMO_PREFIXES && !p; i++) {
			p = &s->prefix[i];
			if (p->fp0 != chain->fp0 || p->nr != k)
				p = NULL;
			for (unsigned int j = 0; p && j < 2 * k; j++)
				if (p->rec[j] != chain->rec[j])
					p = NULL;
		}
		if (!p) {
			p = &s->prefix[s->next];
			s->next = (s->next + 1) % UNWIND_MEMO_PREFIXES;
			memo_write(p, chain->fp0, chain->rec, k, 0);
		}
		s->mru = p;
		memo_write(m, fk, chain->rec + 2 * k, rest, cookie);
		WRITE_ONCE(s->last, m);
	}
	arch_local_irq_restore(flags);
}

__noinline unsigned int stack_trace_save_all(unsigned long *store, unsigned int size)
{
	return walk((unsigned long)__builtin_frame_address(0), store, size, 0, NULL, false);
}

__noinline unsigned int stack_trace_save(unsigned long *store, unsigned int size,
					 unsigned int skipnr)
{
	/*
	 * Our own record holds the caller's fp and the return address into the
	 * caller: the walk starts there. -fno-optimize-sibling-calls keeps this
	 * frame (and so the record) alive during the call.
	 */
	return walk((unsigned long)__builtin_frame_address(0), store, size, skipnr, NULL, true);
}

void unwind_memo_set_init(struct unwind_memo_set *s, struct unwind_memo *table,
			  unsigned long mask)
{
	/*
	 * Prefixes are written only by unwind_memo_publish(), which refuses a
	 * set without a table: so none matches then, and the table (and last)
	 * are never read. mru always points at a prefix.
	 */
	for (unsigned int i = 0; i < UNWIND_MEMO_PREFIXES; i++)
		s->prefix[i] = (struct unwind_memo){ 0 };
	s->mru = s->prefix;
	s->next = 0;
	s->table = table;
	s->last = table;
	s->mask = table ? mask : 0;
	s->victim = 0;
}

u32 unwind_memo_match_any(struct unwind_memo_set *s, unsigned long fp)
{
	return __unwind_memo_match(s, fp);
}
