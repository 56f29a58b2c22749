// SPDX-License-Identifier: GPL-2.0
/*
 * Replays a fuzz harness's committed corpus (tests/fuzz/corpus/<name>/) as a
 * host test under `make test`: every input that ever found new coverage or a
 * bug runs again through the same harness, built with gcc's ASan and UBSan.
 * One TAP line per corpus; a failing input aborts with its file name printed.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *dir = "tests/fuzz/corpus/" FUZZ_NAME;
	char **names = NULL, path[4096];
	size_t nr = 0, cap = 0;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d) {
		printf("not ok 1 %s: no corpus folder %s\n1..1\n", FUZZ_NAME, dir);
		return 1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (nr == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
		}
		names[nr++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, nr, sizeof(*names), by_name);
	for (size_t i = 0; i < nr; i++) {
		FILE *f;
		uint8_t *buf;
		long len;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "rb");
		if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0) {
			printf("not ok 1 %s: cannot read %s\n1..1\n", FUZZ_NAME, path);
			return 1;
		}
		rewind(f);
		buf = malloc(len ? (size_t)len : 1);
		if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
			printf("not ok 1 %s: cannot read %s\n1..1\n", FUZZ_NAME, path);
			return 1;
		}
		fclose(f);
		fprintf(stderr, "%s\n", path);	/* named on a crash */
		LLVMFuzzerTestOneInput(buf, (size_t)len);
		free(buf);
		free(names[i]);
	}
	free(names);
	printf("ok 1 corpus_%s (%zu inputs)\n1..1\n", FUZZ_NAME, nr);
	return nr ? 0 : 1;
}
