/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host builds link ferret's lib/ next to the C library. ferret's own string
 * and formatting functions are renamed here (forced in with -include) so the
 * tests run ferret's code, not libc's, and neither shadows the other.
 */
#ifndef HOST_RENAME_H
#define HOST_RENAME_H

#define memcpy   ferret_memcpy
#define memmove  ferret_memmove
#define memset   ferret_memset
#define memcmp   ferret_memcmp
#define strlen   ferret_strlen
#define strnlen  ferret_strnlen
#define strcmp   ferret_strcmp
#define strncmp  ferret_strncmp
#define strchr   ferret_strchr
#define strrchr  ferret_strrchr
#define strlcpy  ferret_strlcpy
#define strncpy  ferret_strncpy
#define strstr   ferret_strstr
#define snprintf  ferret_snprintf
#define vsnprintf ferret_vsnprintf
#define printk   ferret_printk
#define vprintk  ferret_vprintk

#endif
