// SPDX-License-Identifier: GPL-2.0
/*
 * sensor: a sensor logger, and the demo's page leak.
 *
 * Each iteration is one sample period: 8..39 samples go into the current
 * batch page (ferret_alloc_pages(0), from sensor_read_samples); a batch
 * holds 3 periods, and when 4 full batches are queued they are uploaded and
 * freed. A line per period goes into a text log (snprintf). Every 7th period
 * the log is rotated: sensor_log_append() asks sensor_ring_grow() for an
 * archive page, copies the log into it and queues it for upload - but the
 * upload path only counts archive pages and never frees them. That is the
 * bug to find.
 *
 * Exact leak: after N iterations since boot or the last `app stop sensor`,
 * floor(N / 7) order-0 pages are lost, every one allocated by
 * sensor_ring_grow <- sensor_log_append <- sensor_iterate (e.g. `app run
 * sensor 70` leaks 10 pages). stop() frees the batches, not the leak.
 */
#include "demo.h"

#define SENSOR_PERIODS_PER_BATCH	3
#define SENSOR_BATCHES			4	/* full batches queued before an upload */
#define SENSOR_ROTATE			7	/* periods per log rotation (and leak) */
#define SENSOR_SEED			0x73656e73u

struct sensor_sample {
	uint32_t channel;
	int32_t value;
};

static void *batches[SENSOR_BATCHES + 1];	/* last: being filled */
static unsigned int nr_batches;			/* incl. the one being filled */
static unsigned int periods_in_batch;
static unsigned int samples_in_batch;
static uint32_t seed = SENSOR_SEED;
static unsigned long uploads, archived, iterations;

/* The text log: a fixed buffer, rotated into an archive page. */
static char log_buf[1024];
static size_t log_len;

static __app_site void *sensor_alloc_batch(void)
{
	return ferret_alloc_pages(0);
}

static void sensor_upload_batches(void)
{
	for (unsigned int i = 0; i < nr_batches; i++) {
		ferret_free_pages(batches[i], 0);
		batches[i] = NULL;
	}
	nr_batches = 0;
	uploads++;
}

static __app_site void sensor_read_samples(unsigned int n)
{
	struct sensor_sample *s;

	if (!nr_batches || periods_in_batch == SENSOR_PERIODS_PER_BATCH) {
		if (nr_batches == SENSOR_BATCHES)
			sensor_upload_batches();
		batches[nr_batches] = sensor_alloc_batch();
		if (!batches[nr_batches])
			return;		/* samples lost; try again next period */
		nr_batches++;
		periods_in_batch = samples_in_batch = 0;
	}
	s = (struct sensor_sample *)batches[nr_batches - 1] + samples_in_batch;
	for (unsigned int i = 0; i < n; i++, s++) {
		uint32_t r = demo_rand(&seed);

		s->channel = r & 7;
		s->value = (int32_t)(r >> 16) - 32768;
	}
	samples_in_batch += n;
	periods_in_batch++;
}

/*
 * An archive page for the rotated log, handed to the upload queue.
 * Deliberately never freed: the upload path below only counts it.
 */
static __app_site void *sensor_ring_grow(void)
{
	return ferret_alloc_pages(0);
}

static void sensor_queue_archive(void *seg)
{
	archived++;	/* BUG: the page is counted, never uploaded nor freed */
}

static __app_site void sensor_log_append(unsigned long period, unsigned int nsamples)
{
	int n = snprintf(log_buf + log_len, sizeof(log_buf) - log_len,
			 "period %lu: %u samples\n", period, nsamples);

	if (n > 0 && log_len + (size_t)n < sizeof(log_buf))
		log_len += (size_t)n;
	if (period % SENSOR_ROTATE == 0) {
		void *seg = sensor_ring_grow();

		if (seg) {
			memcpy(seg, log_buf, log_len);
			sensor_queue_archive(seg);
		}
		log_len = 0;
	}
}

static void sensor_iterate(void)
{
	unsigned int n = 8 + demo_rand(&seed) % 32;

	sensor_read_samples(n);
	sensor_log_append(++iterations, n);
}

static void sensor_stop(void)
{
	sensor_upload_batches();
	periods_in_batch = samples_in_batch = 0;
	seed = SENSOR_SEED;
	uploads = archived = iterations = 0;
	log_len = 0;
}

static void sensor_summary(char *buf, unsigned long size)
{
	snprintf(buf, size, "%u batches queued, %lu uploads, %lu log pages archived", nr_batches,
		 uploads, archived);
}

FERRET_APP(sensor, .what = "sensor logger: sample batches in pages, log rotation every 7",
	   .iterate = sensor_iterate, .stop = sensor_stop, .summary = sensor_summary);
