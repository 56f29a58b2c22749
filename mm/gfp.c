// SPDX-License-Identifier: GPL-2.0
/*
 * gfp masks as text: gfp_format() prints like Linux's %pGg, gfp_parse()
 * reads the same text back (and numbers) for the console.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/gfp.h>
#include <ferret/printk.h>
#include <ferret/string.h>

struct gfp_name {
	gfp_t mask;
	const char *name;
};

#define GFP_NAME(x) { x, #x }

/*
 * Linux's __def_gfpflag_names order (include/trace/events/mmflags.h):
 * composite masks first so GFP_KERNEL wins over its parts.
 */
static const struct gfp_name gfp_names[] = {
	GFP_NAME(GFP_TRANSHUGE),
	GFP_NAME(GFP_TRANSHUGE_LIGHT),
	GFP_NAME(GFP_HIGHUSER_MOVABLE),
	GFP_NAME(GFP_HIGHUSER),
	GFP_NAME(GFP_USER),
	GFP_NAME(GFP_KERNEL_ACCOUNT),
	GFP_NAME(GFP_KERNEL),
	GFP_NAME(GFP_NOFS),
	GFP_NAME(GFP_ATOMIC),
	GFP_NAME(GFP_NOIO),
	GFP_NAME(GFP_NOWAIT),
	GFP_NAME(GFP_DMA),
	GFP_NAME(__GFP_HIGHMEM),
	GFP_NAME(GFP_DMA32),
	GFP_NAME(__GFP_HIGH),
	GFP_NAME(__GFP_IO),
	GFP_NAME(__GFP_FS),
	GFP_NAME(__GFP_NOWARN),
	GFP_NAME(__GFP_RETRY_MAYFAIL),
	GFP_NAME(__GFP_NOFAIL),
	GFP_NAME(__GFP_NORETRY),
	GFP_NAME(__GFP_COMP),
	GFP_NAME(__GFP_ZERO),
	GFP_NAME(__GFP_NOMEMALLOC),
	GFP_NAME(__GFP_MEMALLOC),
	GFP_NAME(__GFP_HARDWALL),
	GFP_NAME(__GFP_THISNODE),
	GFP_NAME(__GFP_RECLAIMABLE),
	GFP_NAME(__GFP_MOVABLE),
	GFP_NAME(__GFP_ACCOUNT),
	GFP_NAME(__GFP_WRITE),
	GFP_NAME(__GFP_RECLAIM),
	GFP_NAME(__GFP_DIRECT_RECLAIM),
	GFP_NAME(__GFP_KSWAPD_RECLAIM),
	GFP_NAME(__GFP_ZEROTAGS),
};

/* Names accepted by gfp_parse() only (Linux spells these with __ too). */
static const struct gfp_name gfp_parse_aliases[] = {
	GFP_NAME(__GFP_DMA),
	GFP_NAME(__GFP_DMA32),
};

int gfp_format(char *buf, size_t size, gfp_t gfp)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; gfp && i < ARRAY_SIZE(gfp_names); i++) {
		gfp_t mask = gfp_names[i].mask;

		if ((gfp & mask) != mask)
			continue;
		gfp &= ~mask;
		len += (size_t)snprintf(buf + min(len, size), len < size ? size - len : 0, "%s%s",
					gfp_names[i].name, gfp ? "|" : "");
	}
	if (gfp)
		len += (size_t)snprintf(buf + min(len, size), len < size ? size - len : 0, "0x%x",
					gfp);
	return (int)len;
}

static bool gfp_lookup(const struct gfp_name *t, size_t n, const char *s, size_t len, gfp_t *out)
{
	for (size_t i = 0; i < n; i++) {
		if (strlen(t[i].name) == len && !strncmp(t[i].name, s, len)) {
			*out = t[i].mask;
			return true;
		}
	}
	return false;
}

/* One token: a name (with or without "__GFP_"/"GFP_") or a number. */
static int gfp_parse_token(const char *s, size_t len, gfp_t *out)
{
	static const char * const prefixes[] = { "", "GFP_", "__GFP_" };
	char name[40];

	if (!len || len >= sizeof(name) - 7)
		return -1;
	if (s[0] >= '0' && s[0] <= '9') {
		unsigned long v;

		memcpy(name, s, len);
		name[len] = '\0';
		if (kstrtoul(name, 0, &v) || v > 0xffffffffUL)
			return -1;
		*out = (gfp_t)v;
		return 0;
	}
	for (size_t p = 0; p < ARRAY_SIZE(prefixes); p++) {
		size_t pl = strlen(prefixes[p]);

		memcpy(name, prefixes[p], pl);
		memcpy(name + pl, s, len);
		if (gfp_lookup(gfp_names, ARRAY_SIZE(gfp_names), name, pl + len, out) ||
		    gfp_lookup(gfp_parse_aliases, ARRAY_SIZE(gfp_parse_aliases), name, pl + len, out))
			return 0;
	}
	return -1;
}

int gfp_parse(const char *s, gfp_t *out)
{
	gfp_t gfp = 0;

	for (;;) {
		const char *bar = strchr(s, '|');
		size_t len = bar ? (size_t)(bar - s) : strlen(s);
		gfp_t part;

		while (len && *s == ' ') {
			s++;
			len--;
		}
		while (len && s[len - 1] == ' ')
			len--;
		if (gfp_parse_token(s, len, &part))
			return -1;
		gfp |= part;
		if (!bar)
			break;
		s = bar + 1;
	}
	*out = gfp;
	return 0;
}
