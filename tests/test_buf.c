/* Tests for pnyx/buf.h, including sticky failure and allocation faults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "pnyx/buf.h"
#include "pnyx/fault.h"
#include "pnyx/mem.h"

static void append_and_cap(void **state)
{
	(void)state;
	pnyx_buf b;
	pnyx_buf_init(&b, 10);
	assert_int_equal(pnyx_buf_puts(&b, "hello"), PNYX_OK);
	assert_int_equal(pnyx_buf_printf(&b, "%d", 1234), PNYX_OK);
	assert_string_equal((char *)b.data, "hello1234");
	assert_int_equal(pnyx_buf_puts(&b, "xy"), PNYX_ERR_TOO_LARGE);
	/* sticky: even a fitting append now fails, and len is unchanged */
	assert_int_equal(pnyx_buf_puts(&b, "x"), PNYX_ERR_TOO_LARGE);
	assert_int_equal(b.len, 9);
	pnyx_buf_reset(&b);
	assert_int_equal(pnyx_buf_puts(&b, "0123456789"), PNYX_OK);
	assert_int_equal(b.len, 10);
	size_t n;
	uint8_t *p = pnyx_buf_take(&b, &n);
	assert_int_equal(n, 10);
	assert_memory_equal(p, "0123456789", 10);
	pnyx_free(p);
	assert_null(b.data);
	assert_int_equal(pnyx_buf_append(&b, NULL, 0), PNYX_OK);
	pnyx_buf_clear(&b);
}

static void growth(void **state)
{
	(void)state;
	pnyx_buf b;
	pnyx_buf_init(&b, 100000);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(pnyx_buf_append(&b, "abcdefghij", 10),
				 i < 10000 ? PNYX_OK : PNYX_ERR_TOO_LARGE);
	assert_int_equal(b.len, 100000);
	assert_int_equal(pnyx_buf_append(&b, "a", 1), PNYX_ERR_TOO_LARGE);
	pnyx_buf_clear(&b);
}

static void allocation_fault(void **state)
{
	(void)state;
	pnyx_buf b;
	pnyx_buf_init(&b, 1000);
	pnyx_fault_arm(1);
	assert_int_equal(pnyx_buf_puts(&b, "x"), PNYX_ERR_NOMEM);
	pnyx_fault_disarm();
	assert_int_equal(pnyx_buf_puts(&b, "x"), PNYX_ERR_NOMEM); /* sticky */
	pnyx_buf_reset(&b);
	assert_int_equal(pnyx_buf_puts(&b, "x"), PNYX_OK);
	pnyx_buf_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(append_and_cap),
		cmocka_unit_test(growth),
		cmocka_unit_test(allocation_fault),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
