// SPDX-License-Identifier: GPL-2.0
/* Placeholder until page_owner lands: tracking never turns on. */
#include <ferret/page_owner.h>

bool page_owner_inited;

void __set_page_owner(struct page *page, unsigned int order, gfp_t gfp)
{
}

void __reset_page_owner(struct page *page, unsigned int order)
{
}

void __dump_page_owner(const struct page *page)
{
}
