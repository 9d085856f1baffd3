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

/* True if c is in the standard alphabet or is the padding character. */
static bool is_base64_char(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

pnyx_err pnyx_base64_decode(const uint8_t *s, size_t n, uint8_t *out,
			    size_t cap, size_t *out_len)
{
	size_t len = 0;
	const char *end = NULL;
	/* The length must be a multiple of 4 (padding required). libsodium
	 * rejects non-zero trailing bits and misplaced padding, but 1.0.18
	 * decodes every byte above 0x7F as if it were an alphabet character,
	 * so the alphabet is checked here first. */
	if (n % 4 != 0)
		return PNYX_ERR_MALFORMED;
	for (size_t i = 0; i < n; i++)
		if (!is_base64_char(s[i]))
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

pnyx_err pnyx_base64_decode_hash(const uint8_t *s, size_t n, pnyx_hash *out)
{
	pnyx_hash h;
	size_t len = 0;
	if (n != PNYX_HASH_B64_LEN ||
	    pnyx_base64_decode(s, n, h.b, sizeof h.b, &len) != PNYX_OK ||
	    len != PNYX_HASH_LEN)
		return PNYX_ERR_MALFORMED;
	*out = h;
	return PNYX_OK;
}
