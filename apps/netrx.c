// SPDX-License-Identifier: GPL-2.0
/*
 * netrx: a network receive path. Each iteration is one poll of the NIC: a
 * burst of 1..16 packets arrives, each into a freshly allocated page (DMA
 * memory: ferret_alloc_pages(), order 0, or order 1 for 1 jumbo frame in 8)
 * described by a malloc()ed descriptor, and goes on the backlog. The
 * protocol stack then delivers up to 12 packets from the head of the backlog
 * and frees them; when the backlog is over NETRX_BACKLOG the oldest packets
 * are dropped (freed) too. So the service holds a fluctuating backlog of
 * buffers and never leaks.
 */
#include "demo.h"

#define NETRX_BACKLOG	48	/* packets queued before the oldest are dropped */
#define NETRX_SLOTS	64	/* ring size: backlog + one burst */
#define NETRX_SEED	0x6e657472u

struct netrx_pkt {
	void *buf;
	unsigned int order;
	unsigned int len;
};

static struct netrx_pkt *ring[NETRX_SLOTS];
static unsigned int head, tail;	/* packets ring[tail % N] .. ring[head % N - 1] */
static uint32_t seed = NETRX_SEED;
static unsigned long delivered, dropped;

static unsigned int backlog(void)
{
	return head - tail;
}

/* The driver refills its RX descriptor: a descriptor and an MTU-sized page. */
static __app_site struct netrx_pkt *netrx_alloc_rx_buffer(unsigned int order)
{
	struct netrx_pkt *pkt = malloc(sizeof(*pkt));

	if (!pkt)
		return NULL;
	pkt->buf = ferret_alloc_pages(order);
	if (!pkt->buf) {
		free(pkt);
		return NULL;
	}
	pkt->order = order;
	return pkt;
}

static void netrx_free_pkt(struct netrx_pkt *pkt)
{
	ferret_free_pages(pkt->buf, pkt->order);
	free(pkt);
}

static __app_site void netrx_receive_burst(unsigned int npkts)
{
	for (unsigned int i = 0; i < npkts; i++) {
		uint32_t r = demo_rand(&seed);
		int jumbo = (r & 7) == 0;	/* 9000-byte MTU: two contiguous pages */
		struct netrx_pkt *pkt = netrx_alloc_rx_buffer(jumbo);

		if (!pkt)
			continue;	/* no buffer: the NIC drops the packet */
		pkt->len = 60 + (r >> 8) % (jumbo ? 8940 : 1440);
		/* The payload: a little of it, as DMA would write it. */
		memset(pkt->buf, (int)(r & 0xff), 64);
		ring[head++ % NETRX_SLOTS] = pkt;
	}
}

static __app_site void netrx_deliver(unsigned int budget)
{
	while (budget-- && backlog()) {
		netrx_free_pkt(ring[tail++ % NETRX_SLOTS]);
		delivered++;
	}
	while (backlog() > NETRX_BACKLOG) {
		netrx_free_pkt(ring[tail++ % NETRX_SLOTS]);
		dropped++;
	}
}

static void netrx_iterate(void)
{
	uint32_t r = demo_rand(&seed);

	netrx_receive_burst(1 + r % 16);
	netrx_deliver(1 + (r >> 8) % 12);
}

static void netrx_stop(void)
{
	while (backlog())
		netrx_free_pkt(ring[tail++ % NETRX_SLOTS]);
	head = tail = 0;
	seed = NETRX_SEED;
	delivered = dropped = 0;
}

static void netrx_summary(char *buf, unsigned long size)
{
	snprintf(buf, size, "backlog %u, delivered %lu, dropped %lu", backlog(), delivered,
		 dropped);
}

FERRET_APP(netrx, .what = "packet buffers: a page (1 in 8: two) and a descriptor per packet",
	   .iterate = netrx_iterate, .stop = netrx_stop, .summary = netrx_summary);
