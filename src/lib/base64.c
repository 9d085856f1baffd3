/* Strict standard base64 over libsodium: see pnyx/base64.h. */
#include "pnyx/base64.h"

#include <assert.h>
#include <sodium.h>

#define VARIANT sodium_base64_VARIANT_ORIGINAL

size_t pnyx_base64_len(size_t n)
{
	return sodium_base64_ENCODED_LEN(n, VARIANT) - 1;
}

size_t pnyx_base64_encode(const uint8_t *p, size_t n, char *out, size_t cap)
{
	assert(cap >= pnyx_base64_len(n) + 1);
	(void)sodium_bin2base64(out, cap, p, n, VARIANT);
	return pnyx_base64_len(n);
}

pnyx_err pnyx_base64_decode(const uint8_t *s, size_t n, uint8_t *out,
			    size_t cap, size_t *out_len)
{
	size_t len = 0;
	const char *end = NULL;
	/* The length must be a multiple of 4 (padding required). libsodium
	 * rejects non-zero trailing bits and characters outside the alphabet. */
	if (n % 4 != 0)
		return PNYX_ERR_MALFORMED;
	if (n == 0) {
		*out_len = 0;
		return PNYX_OK;
	}
	if (sodium_base642bin(out, cap, (const char *)s, n, NULL, &len, &end,
			      VARIANT) != 0 ||
	    end != (const char *)s + n)
		return PNYX_ERR_MALFORMED;
	*out_len = len;
	return PNYX_OK;
}
