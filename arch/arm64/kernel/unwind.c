// SPDX-License-Identifier: GPL-2.0
/*
 * Frame-pointer unwinder: walks the AArch64 frame record chain (x29) and
 * returns the return addresses it finds. See include/ferret/stacktrace.h for
 * the record layout and the rules.
 *
 * Portable C: the host build compiles this same file and walks x86-64 rbp
 * chains, which have the identical { previous fp, return address } layout.
 *
 * The walk never dereferences an address it has not first proven to be a
 * whole, aligned 16-byte record inside a registered stack, so a corrupt or
 * looping chain ends the walk instead of faulting:
 *   - fp must be STACKTRACE_FP_ALIGN aligned;
 *   - [fp, fp + 16) must lie inside one registered stack;
 *   - within a stack fp must strictly increase (stacks grow down, callers'
 *     records sit at higher addresses): this also rules out loops;
 *   - the walk may move to another registered stack (exception stack to the
 *     interrupted stack) but never back to one it has left;
 *   - at most STACKTRACE_MAX_DEPTH records are read.
 * A record with fp == 0 or lr == 0 is the terminal record boot code leaves.
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
}

void stacktrace_set_skip_text(unsigned long start, unsigned long end)
{
	skip_start = start;
	skip_end = end > start ? end : start;
}

/* Index of the registered stack holding all of [fp, fp + 16), or -1. */
static int find_stack(unsigned long fp)
{
	unsigned int n = __atomic_load_n(&nr_stacks, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < n; i++) {
		if (fp >= stacks[i].low && fp < stacks[i].high &&
		    stacks[i].high - fp >= STACKTRACE_RECORD_SIZE)
			return (int)i;
	}
	return -1;
}

struct walk_state {
	unsigned long low, span;	/* current stack: [low, low + span + 16) */
	unsigned long prev_fp;
	unsigned int visited, walked;
	enum unwind_stop stop;
};

/* Slow path of step(): the first record, a misaligned fp, or a stack switch. */
static __noinline bool enter_stack(struct walk_state *w, unsigned long fp)
{
	int i;

	if (fp & (STACKTRACE_FP_ALIGN - 1)) {
		w->stop = UNWIND_STOP_ALIGN;
		return false;
	}
	i = find_stack(fp);
	if (i < 0) {
		w->stop = UNWIND_STOP_RANGE;
		return false;
	}
	/* fp is off the current stack: a stack already left? */
	if (w->visited & (1U << i)) {
		w->stop = UNWIND_STOP_REVISIT;
		return false;
	}
	w->visited |= 1U << i;
	w->low = stacks[i].low;
	w->span = stacks[i].high - stacks[i].low - STACKTRACE_RECORD_SIZE;
	return true;
}

/*
 * Check the record at *@fp, read it, advance *@fp to the caller's record.
 * Return: the return address, or 0 when the walk ends (w->stop says why).
 */
static __always_inline unsigned long step(struct walk_state *w, unsigned long *fp)
{
	unsigned long f = *fp, pc;
	const unsigned long *rec;

	if (unlikely(w->walked >= STACKTRACE_MAX_DEPTH)) {
		w->stop = UNWIND_STOP_FULL;
		return 0;
	}
	/* One compare covers both ends of the stack: span is unsigned. */
	if (unlikely(f - w->low > w->span || (f & (STACKTRACE_FP_ALIGN - 1)))) {
		if (!enter_stack(w, f))
			return 0;
	} else if (unlikely(f <= w->prev_fp)) {
		w->stop = UNWIND_STOP_ORDER;
		return 0;
	}
	w->prev_fp = f;
	w->walked++;
	rec = (const unsigned long *)f;
	*fp = READ_ONCE(rec[0]);
	pc = READ_ONCE(rec[1]);
	return pc ? stacktrace_strip_pac(pc) : 0;	/* lr == 0: terminal record */
}

static unsigned int walk(unsigned long fp, unsigned long *store, unsigned int size,
			 unsigned int skipnr, struct unwind_state *state, bool skip_text)
{
	/* Empty current stack (span 0 at 0): the first record takes the slow path. */
	struct walk_state w = { .stop = UNWIND_STOP_END };
	unsigned long skip_lo = skip_start, skip_len = skip_text ? skip_end - skip_start : 0;
	unsigned long pc;
	unsigned int n = 0;

	/* Leading frames: @skipnr of them, then those inside the skip text. */
	while (fp) {
		pc = step(&w, &fp);
		if (!pc)
			goto out;
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
			w.stop = UNWIND_STOP_FULL;
			break;
		}
		store[n++] = pc;
		if (!fp)
			break;
		pc = step(&w, &fp);
		if (!pc)
			break;
	}
out:
	if (state) {
		state->nr_walked = w.walked;
		state->stop = w.stop;
	}
	return n;
}

unsigned int unwind_from(unsigned long fp, unsigned long *store, unsigned int size,
			 unsigned int skipnr, struct unwind_state *state)
{
	return walk(fp, store, size, skipnr, state, true);
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
	return walk((unsigned long)__builtin_frame_address(0), store, size, skipnr, NULL,
		    true);
}
