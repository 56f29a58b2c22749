// SPDX-License-Identifier: GPL-2.0
/*
 * httpd: a small web server's request path, and the demo's object leak.
 *
 * Each iteration serves 1..3 requests. A request arrives on a keep-alive
 * connection (a new one half the time while fewer than HTTPD_CONNS are open:
 * its state is calloc()ed, its peer's name strdup()ed); parsing takes a
 * struct httpd_req and an 8 KiB header buffer (malloc), the response a 4 KiB
 * buffer (16 KiB for 1 request in 8, a large file); all are freed when the
 * response is sent. A connection closes, freeing its state, after 1..8
 * requests.
 *
 * The bug: every 5th iteration a client sends a malformed request line, and
 * httpd_parse_request()'s error path returns without freeing the struct
 * httpd_req it allocated. Exact leak: after N iterations since boot or the
 * last `app stop httpd`, floor(N / 5) objects of 24 bytes (48-byte kmalloc
 * objects: the heap's 16-byte header and rounding), allocated by
 * httpd_req_alloc <- httpd_parse_request <- httpd_iterate. stop() frees the
 * connections, not the leak.
 */
#include "demo.h"

#define HTTPD_CONNS	16
#define HTTPD_BAD_EVERY	5	/* iterations per malformed request (and leak) */
#define HTTPD_SEED	0x68747470u

struct httpd_conn {
	char *peer;
	unsigned int requests_left;
};

struct httpd_req {		/* 24 bytes */
	char method[8];
	char *path;
	unsigned int status;
	unsigned int conn;
};

static struct httpd_conn *conns[HTTPD_CONNS];	/* NULL: slot free */
static unsigned int nr_conns;
static uint32_t seed = HTTPD_SEED;
static unsigned long served, large, malformed, iterations;

static __app_site struct httpd_conn *httpd_accept(uint32_t r)
{
	char peer[24];
	int slot = -1;

	for (unsigned int i = 0; i < HTTPD_CONNS && slot < 0; i++)
		if (!conns[i])
			slot = (int)i;
	conns[slot] = calloc(1, sizeof(struct httpd_conn));
	if (!conns[slot])
		return NULL;
	snprintf(peer, sizeof(peer), "10.0.%u.%u", (unsigned int)(r >> 8) & 0xff,
		 (unsigned int)r & 0xff);
	conns[slot]->peer = strdup(peer);
	conns[slot]->requests_left = 1 + r % 8;
	nr_conns++;
	return conns[slot];
}

static struct httpd_conn *httpd_pick_conn(uint32_t r)
{
	unsigned int n;

	if (nr_conns < HTTPD_CONNS && (!nr_conns || (r & 1)))
		return httpd_accept(r >> 1);
	n = (r >> 1) % nr_conns;
	for (unsigned int i = 0; i < HTTPD_CONNS; i++)
		if (conns[i] && n-- == 0)
			return conns[i];
	return NULL;
}

static void httpd_close(struct httpd_conn *c)
{
	for (unsigned int i = 0; i < HTTPD_CONNS; i++)
		if (conns[i] == c)
			conns[i] = NULL;
	free(c->peer);
	free(c);
	nr_conns--;
}

static __app_site struct httpd_req *httpd_req_alloc(void)
{
	return calloc(1, sizeof(struct httpd_req));
}

/*
 * Read the request line into a header buffer and parse it.
 * Return: the request (path strdup()ed), or NULL if it is malformed.
 */
static __app_site struct httpd_req *httpd_parse_request(const char *line)
{
	struct httpd_req *req = httpd_req_alloc();
	char *hdr = malloc(8192), *sp;

	if (!req || !hdr)
		goto fail;
	snprintf(hdr, 8192, "%s", line);
	sp = strchr(hdr, ' ');
	if (!sp || sp - hdr >= (long)sizeof(req->method)) {
		malformed++;
		free(hdr);
		return NULL;	/* BUG: req is lost */
	}
	memcpy(req->method, hdr, (size_t)(sp - hdr));
	req->path = strndup(sp + 1, strcspn(sp + 1, " "));
	if (!req->path)
		goto fail;
	free(hdr);
	return req;
fail:
	free(hdr);
	free(req);
	return NULL;
}

static __app_site char *httpd_build_response(const struct httpd_req *req, uint32_t r,
					     size_t *len)
{
	size_t size = (r % 8) == 0 ? 16384 : 4096;
	char *resp = malloc(size);

	if (resp) {
		/* %lu, not %zu: newlib's printf may be built without C99 sizes */
		*len = (size_t)snprintf(resp, size, "HTTP/1.1 200 OK\r\nContent-Length: %lu\r\n\r\n"
					"%s", (unsigned long)strlen(req->path), req->path);
		large += size > 4096;
	}
	return resp;
}

static __app_site void httpd_handle_request(uint32_t r)
{
	struct httpd_conn *c = httpd_pick_conn(r);
	struct httpd_req *req;
	char line[48], *resp;
	size_t len;

	if (!c)
		return;
	snprintf(line, sizeof(line), "GET /sensor/%u HTTP/1.1", (unsigned int)(r >> 8) % 1000);
	req = httpd_parse_request(line);
	if (req) {
		resp = httpd_build_response(req, r >> 12, &len);
		free(resp);
		free(req->path);
		free(req);
		served++;
	}
	if (--c->requests_left == 0)
		httpd_close(c);
}

static void httpd_iterate(void)
{
	unsigned int n = 1 + demo_rand(&seed) % 3;

	while (n--)
		httpd_handle_request(demo_rand(&seed));
	if (++iterations % HTTPD_BAD_EVERY == 0)
		httpd_parse_request("PRI*HTTP/2.0-preface-on-an-HTTP/1.1-port");
}

static void httpd_stop(void)
{
	for (unsigned int i = 0; i < HTTPD_CONNS; i++)
		if (conns[i])
			httpd_close(conns[i]);
	seed = HTTPD_SEED;
	served = large = malformed = iterations = 0;
}

static void httpd_summary(char *buf, unsigned long size)
{
	snprintf(buf, size, "%u connections open, %lu requests served, %lu large, %lu malformed",
		 nr_conns, served, large, malformed);
}

FERRET_APP(httpd, .what = "request path: connection, request, header and response buffers",
	   .iterate = httpd_iterate, .stop = httpd_stop, .summary = httpd_summary);
