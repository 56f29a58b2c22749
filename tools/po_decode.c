// SPDX-License-Identifier: GPL-2.0
/*
 * po_decode: turn a capture of `page_owner --format=stream` back into the
 * text `page_owner` prints, byte for byte, and report what was lost.
 *
 *   po_decode [--elf ferret.elf] [-o OUT] [--quiet] [capture.txt]
 *
 * Reads the capture (default: stdin; console lines around the stream are
 * skipped, "\r" ignored), writes the records' text (default: stdout) and, on
 * stderr, one line per stretch of pfns that could not be decoded (a frame
 * lost or failing its CRC, a definition lost with its frame, a cut-off end)
 * with the frames concerned. Exit status: 0 when the stream was complete, 1
 * when something was lost (the rest is still written), 2 on bad usage or an
 * ELF that cannot be used.
 * `capture --stream` decodes as it captures and re-requests lost ranges.
 *
 * A stream sent with `--symbols=host` carries its frames as addresses: give
 * the kernel's ELF (--elf), whose build id must be the one in the stream's
 * header (a mismatched ELF is refused: exit 2, nothing written).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/elf_syms.h"
#include "lib/path.h"
#include "lib/po_stream.h"
#include "lib/target.h"

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: po_decode [--elf ELF] [-o OUT] [--quiet] [capture.txt]\n"
		"  decode a `page_owner --format=stream` capture into page_owner's text\n"
		"  --elf ELF  the kernel's ELF, for frames sent as addresses (--symbols=host);\n"
		"             its build id must be the stream's\n"
		"  -o OUT     write the text here (default: stdout)\n"
		"  --quiet    no summary line on stderr\n");
	exit(status);
}

int main(int argc, char **argv)
{
	const char *in_name = NULL, *out_name = NULL, *elf_name = NULL;
	struct elf_syms elf;
	char err[512];
	struct po_collect c;
	bool quiet = false;
	FILE *in = stdin, *out = stdout;
	char buf[65536];
	size_t n;

	tool_name = "po_decode";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			usage(0);
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out_name = argv[++i];
		else if (!strcmp(argv[i], "--elf") && i + 1 < argc)
			elf_name = argv[++i];
		else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q"))
			quiet = true;
		else if (argv[i][0] == '-' && argv[i][1])
			usage(2);
		else if (in_name)
			usage(2);
		else
			in_name = argv[i];
	}
	if (path_is_directory(in_name))
		tool_die("%s is a directory, not a capture", in_name);
	if (in_name && strcmp(in_name, "-") && !(in = fopen(in_name, "r")))
		tool_die("cannot read %s: %s", in_name, strerror(errno));
	if (elf_name && elf_syms_open(&elf, elf_name, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", tool_name, err);
		exit(2);
	}
	po_collect_init(&c, elf_name ? &elf : NULL);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		po_collect_feed(&c, buf, n);
	if (ferror(in))
		tool_die("read error: %s", strerror(errno));
	po_collect_done(&c);
	if (!c.dec.frames && !c.dec.have_trailer && !c.nlost)
		tool_die("no stream in the input (no valid '@H' line: was it "
			 "`page_owner --format=stream`?)");
	if (po_collect_elf_refused(&c, stderr, tool_name))
		exit(2);
	if (out_name && !(out = fopen(out_name, "w")))
		tool_die("cannot write %s: %s", out_name, strerror(errno));
	if (po_collect_write(&c, out) || fflush(out))
		tool_die("write error: %s", strerror(errno));
	po_collect_report(&c, stderr, tool_name);
	if (!quiet)
		fprintf(stderr, "%s: %lu records from %lu frames%s\n", tool_name, c.dec.records,
			c.dec.frames, c.nlost ? ", some pfns lost (above)" : "");
	n = c.nlost;
	po_collect_free(&c);
	if (elf_name)
		elf_syms_close(&elf);
	return n ? 1 : 0;
}
