// SPDX-License-Identifier: GPL-2.0
/*
 * netrx: a network receive path. Each iteration is one poll of the NIC: a
 * burst of 1..16 packets arrives, each into a freshly allocated order-0
 * buffer (1 in 8 is a jumbo frame in an order-1 buffer), and goes on the
 * backlog. The protocol stack then delivers up to 12 packets from the head
 * of the backlog and frees their buffers; when the backlog is over
 * NETRX_BACKLOG the oldest packets are dropped (freed) too. So the app holds
 * a fluctuating backlog of buffers and never leaks.
 */
#include <ferret/app.h>
#include <ferret/gfp.h>
#include <ferret/mm.h>
#include <ferret/printk.h>
#include <ferret/string.h>

#define NETRX_BACKLOG	48	/* packets queued before the oldest are dropped */
#define NETRX_SLOTS	64	/* ring size: backlog + one burst */
#define NETRX_SEED	0x6e657472u

struct netrx_pkt {
	struct page *buf;
	unsigned int order;
	unsigned int len;
};

static struct netrx_pkt ring[NETRX_SLOTS];
static unsigned int head, tail;	/* packets ring[tail % N] .. ring[head % N - 1] */
static u32 seed = NETRX_SEED;
static unsigned long delivered, dropped;

static unsigned int backlog(void)
{
	return head - tail;
}

/* The driver refills its RX descriptor: one MTU-sized page per packet. */
static __app_site struct page *netrx_alloc_rx_buffer(void)
{
	struct page *page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0);

	app_note_alloc(&netrx_app, page, 0);
	return page;
}

/* Jumbo frames (9000-byte MTU) need two contiguous pages. */
static __app_site struct page *netrx_alloc_jumbo_buffer(void)
{
	struct page *page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN | __GFP_COMP, 1);

	app_note_alloc(&netrx_app, page, 1);
	return page;
}

static void netrx_free_pkt(struct netrx_pkt *pkt)
{
	__free_pages(pkt->buf, pkt->order);
	app_note_free(&netrx_app, pkt->order);
	pkt->buf = NULL;
}

static __app_site void netrx_receive_burst(unsigned int npkts)
{
	for (unsigned int i = 0; i < npkts; i++) {
		u32 r = app_rand(&seed);
		struct netrx_pkt *pkt = &ring[head % NETRX_SLOTS];
		bool jumbo = (r & 7) == 0;

		pkt->buf = jumbo ? netrx_alloc_jumbo_buffer() : netrx_alloc_rx_buffer();
		if (!pkt->buf)
			continue;	/* no buffer: the NIC drops the packet */
		pkt->order = jumbo;
		pkt->len = 60 + (r >> 8) % (jumbo ? 8940 : 1440);
		/* The payload: a little of it, as DMA would write it. */
		memset(page_address(pkt->buf), (int)(r & 0xff), 64);
		head++;
	}
}

static __app_site void netrx_deliver(unsigned int budget)
{
	while (budget-- && backlog()) {
		netrx_free_pkt(&ring[tail++ % NETRX_SLOTS]);
		delivered++;
	}
	while (backlog() > NETRX_BACKLOG) {
		netrx_free_pkt(&ring[tail++ % NETRX_SLOTS]);
		dropped++;
	}
}

static void netrx_iterate(struct app *app)
{
	u32 r = app_rand(&seed);

	netrx_receive_burst(1 + r % 16);
	netrx_deliver(1 + (r >> 8) % 12);
}

static void netrx_stop(struct app *app)
{
	while (backlog())
		netrx_free_pkt(&ring[tail++ % NETRX_SLOTS]);
	head = tail = 0;
	seed = NETRX_SEED;
	delivered = dropped = 0;
}

static void netrx_summary(struct app *app, char *buf, size_t size)
{
	snprintf(buf, size, "backlog %u, delivered %lu, dropped %lu", backlog(), delivered,
		 dropped);
}

struct app netrx_app = {
	.name = "netrx",
	.what = "packet buffers: order-0/1 per packet, freed on delivery",
	.iterate = netrx_iterate,
	.stop = netrx_stop,
	.summary = netrx_summary,
	.pid = -1,
};
