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

static unsigned int walk(unsigned long fp, unsigned long *store, unsigned int size,
			 unsigned int skipnr, struct unwind_state *state, bool skip_text)
{
	/* Bounds of the stack the walk is on; empty until the first record. */
	unsigned long low = 1, high = 0, prev_fp = 0;
	unsigned int visited = 0, walked = 0, n = 0;
	bool leading = skipnr || skip_text;	/* still dropping leading frames */
	enum unwind_stop stop = UNWIND_STOP_END;

	while (fp) {
		const unsigned long *rec;
		unsigned long next, pc;

		if (walked >= STACKTRACE_MAX_DEPTH) {
			stop = UNWIND_STOP_FULL;
			break;
		}
		if (fp & (STACKTRACE_FP_ALIGN - 1)) {
			stop = UNWIND_STOP_ALIGN;
			break;
		}
		if (fp < low || fp >= high || high - fp < STACKTRACE_RECORD_SIZE) {
			int i = find_stack(fp);

			if (i < 0) {
				stop = UNWIND_STOP_RANGE;
				break;
			}
			/* fp is off the current stack: a stack already left? */
			if (visited & (1U << i)) {
				stop = UNWIND_STOP_REVISIT;
				break;
			}
			visited |= 1U << i;
			low = stacks[i].low;
			high = stacks[i].high;
		} else if (fp <= prev_fp) {
			stop = UNWIND_STOP_ORDER;
			break;
		}
		prev_fp = fp;

		rec = (const unsigned long *)fp;
		next = READ_ONCE(rec[0]);
		pc = READ_ONCE(rec[1]);
		walked++;
		if (!pc)
			break;
		pc = stacktrace_strip_pac(pc);
		fp = next;

		if (unlikely(leading)) {
			if (skipnr) {
				skipnr--;
				continue;
			}
			if (skip_text && pc >= skip_start && pc < skip_end) {
				/* Kept only if nothing outside the range follows. */
				if (n < size)
					store[n++] = pc;
				continue;
			}
			leading = false;
			n = 0;
		}
		if (n >= size) {
			stop = UNWIND_STOP_FULL;
			break;
		}
		store[n++] = pc;
	}
	if (state) {
		state->nr_walked = walked;
		state->stop = stop;
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
