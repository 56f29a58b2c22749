/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the demo firmware's services (apps/) share: the C library, ferret's
 * firmware API, and a deterministic pseudo-random stream.
 *
 * The demo is four services, each in its own execution context: netrx
 * (packet buffers), blkcache (a cache that grows and shrinks), httpd (a
 * request path) and sensor (a logger). Two bugs are in it on purpose, and
 * nothing else leaks (docs/APPS.md and the README's walkthrough):
 *  - sensor leaks one page (order 0) every 7th iteration: floor(N / 7)
 *    pages after N iterations since boot or its last stop, allocated by
 *    sensor_ring_grow <- sensor_log_append <- sensor_iterate;
 *  - httpd leaks one struct httpd_req (24 bytes asked of malloc, a 48-byte
 *    kmalloc object with the heap's header) every 5th iteration, on the
 *    error path of a malformed request: floor(N / 5) objects, allocated by
 *    httpd_req_alloc <- httpd_parse_request <- httpd_iterate.
 */
#ifndef DEMO_H
#define DEMO_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ferret/firmware.h>

#define DEMO_PAGE_SIZE	4096

/* demo_rand - xorshift32 on @state, a fixed seed reset by stop(). */
static inline uint32_t demo_rand(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

#endif
