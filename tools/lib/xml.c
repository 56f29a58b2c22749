// SPDX-License-Identifier: GPL-2.0
/* Text for XML documents (xml.h). */
#include "xml.h"

void xml_escape(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\t': case '\n': fputc(c, f); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				fputc(c, f);
			else if (c >= 0x7f)
				fprintf(f, "&#%u;", c);
		}
	}
}
