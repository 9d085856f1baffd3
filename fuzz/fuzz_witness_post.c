/*
 * Fuzz target for srv_post_parse_answer (src/server/witness_post.c):
 * arbitrary bytes read as a witness's HTTP answer. An answer that parses
 * has a three-digit status, a NUL-terminated lowercase Content-Type and a
 * body that is a slice of the input after the head.
 */
#include "../src/server/witness_post.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                  \
	do {                         \
		if (!(cond))         \
			abort();     \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct srv_post_answer a;
	pnyx_buf out;
	pnyx_buf_init(&out, 4096);
	pnyx_diag diag = {{0}};
	pnyx_err err = srv_post_parse_answer(size ? data : NULL, size, &a, &out,
					     &diag);
	CHECK(err == PNYX_OK || err == PNYX_ERR_MALFORMED ||
	      err == PNYX_ERR_TOO_LARGE);
	CHECK(memchr(diag.msg, 0, sizeof diag.msg) != NULL);
	if (err == PNYX_OK) {
		CHECK(a.status >= 100 && a.status <= 999);
		size_t n = strnlen(a.content_type, sizeof a.content_type);
		CHECK(n < sizeof a.content_type);
		for (size_t i = 0; i < n; i++)
			CHECK(a.content_type[i] < 'A' || a.content_type[i] > 'Z');
		CHECK(out.len <= size);
		const uint8_t *body = out.len > 0 ? memmem(data, size, out.data,
							   out.len) : NULL;
		CHECK(out.len == 0 || body != NULL);
	}
	pnyx_buf_clear(&out);
	return 0;
}
