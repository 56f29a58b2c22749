/* SPDX-License-Identifier: GPL-2.0 */
/* Text for XML documents (the map's SVG, the gate's JUnit report). */
#ifndef TOOLS_XML_H
#define TOOLS_XML_H

#include <stddef.h>
#include <stdio.h>

/*
 * Write the first @n bytes of @s (less at a NUL) as XML character data or
 * attribute text: & < > " ' as entities, tab and newline as they are, other
 * control characters dropped (XML 1.0 has no way to write them), bytes
 * above 0x7e as character references.
 */
void xml_escape(FILE *f, const char *s, size_t n);

#endif
