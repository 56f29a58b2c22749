// SPDX-License-Identifier: GPL-2.0
/*
 * httpd: a small web server's request path. Each iteration serves 1..3
 * requests. A request arrives on a keep-alive connection (a new one half the
 * time while fewer than HTTPD_CONNS are open: its state takes an order-0
 * page); parsing takes an order-1 scratch buffer, the response an order-0
 * page (an order-2 one for 1 request in 8, a large file); both are freed
 * when the response is sent. A connection closes, freeing its page, after
 * 1..8 requests. Nothing leaks.
 */
#include <ferret/app.h>
#include <ferret/gfp.h>
#include <ferret/mm.h>
#include <ferret/printk.h>
#include <ferret/string.h>

#define HTTPD_CONNS	16
#define HTTPD_SEED	0x68747470u

struct httpd_conn {
	struct page *state;	/* NULL: slot free */
	unsigned int requests_left;
};

static struct httpd_conn conns[HTTPD_CONNS];
static unsigned int nr_conns;
static u32 seed = HTTPD_SEED;
static unsigned long served, large;

static __app_site struct page *httpd_alloc_conn(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, 0);

	app_note_alloc(&httpd_app, page, 0);
	return page;
}

static __app_site struct page *httpd_alloc_scratch(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1);

	app_note_alloc(&httpd_app, page, 1);
	return page;
}

static __app_site struct page *httpd_alloc_response(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

	app_note_alloc(&httpd_app, page, order);
	return page;
}

static void httpd_free(struct page *page, unsigned int order)
{
	__free_pages(page, order);
	app_note_free(&httpd_app, order);
}

static __app_site struct httpd_conn *httpd_accept(u32 r)
{
	struct httpd_conn *c = NULL;

	for (unsigned int i = 0; i < HTTPD_CONNS && !c; i++)
		if (!conns[i].state)
			c = &conns[i];
	c->state = httpd_alloc_conn();
	if (!c->state)
		return NULL;
	c->requests_left = 1 + r % 8;
	nr_conns++;
	return c;
}

static struct httpd_conn *httpd_pick_conn(u32 r)
{
	unsigned int n;

	if (nr_conns < HTTPD_CONNS && (!nr_conns || (r & 1)))
		return httpd_accept(r >> 1);
	n = (r >> 1) % nr_conns;
	for (unsigned int i = 0; i < HTTPD_CONNS; i++)
		if (conns[i].state && n-- == 0)
			return &conns[i];
	return NULL;
}

static void httpd_close(struct httpd_conn *c)
{
	httpd_free(c->state, 0);
	c->state = NULL;
	nr_conns--;
}

/* Headers go into a scratch buffer that lives as long as the request. */
static __app_site struct page *httpd_parse_request(u32 r)
{
	struct page *scratch = httpd_alloc_scratch();

	if (scratch)
		snprintf(page_address(scratch), 2 * PAGE_SIZE, "GET /sensor/%u HTTP/1.1\r\n",
			 r % 1000);
	return scratch;
}

static __app_site struct page *httpd_build_response(u32 r, unsigned int *order)
{
	struct page *resp;

	*order = (r % 8) == 0 ? 2 : 0;
	resp = httpd_alloc_response(*order);
	if (resp)
		snprintf(page_address(resp), PAGE_SIZE, "HTTP/1.1 200 OK\r\n\r\n");
	large += resp && *order;
	return resp;
}

static __app_site void httpd_handle_request(u32 r)
{
	struct httpd_conn *c = httpd_pick_conn(r);
	struct page *scratch, *resp;
	unsigned int order;

	if (!c)
		return;
	scratch = httpd_parse_request(r >> 8);
	resp = httpd_build_response(r >> 12, &order);
	if (resp)
		httpd_free(resp, order);
	if (scratch)
		httpd_free(scratch, 1);
	served++;
	if (--c->requests_left == 0)
		httpd_close(c);
}

static void httpd_iterate(struct app *app)
{
	unsigned int n = 1 + app_rand(&seed) % 3;

	while (n--)
		httpd_handle_request(app_rand(&seed));
}

static void httpd_stop(struct app *app)
{
	for (unsigned int i = 0; i < HTTPD_CONNS; i++)
		if (conns[i].state)
			httpd_close(&conns[i]);
	seed = HTTPD_SEED;
	served = large = 0;
}

static void httpd_summary(struct app *app, char *buf, size_t size)
{
	snprintf(buf, size, "%u connections open, %lu requests served, %lu large", nr_conns,
		 served, large);
}

struct app httpd_app = {
	.name = "httpd",
	.what = "request path: order-1 scratch + order-0/2 response per request",
	.iterate = httpd_iterate,
	.stop = httpd_stop,
	.summary = httpd_summary,
	.pid = -1,
};
