/*
 * Fuzz target for the witness's parsers and judgement (pnyx/witness.h).
 * The first byte picks what the rest is:
 *   'c'  a configuration file (pnyx_witness_config_parse)
 *   else an add-checkpoint request body judged by a witness that follows
 *        fuzz.pnyx.example/witness-log and holds its checkpoint of size 3
 * Invariants: known results only; a refusal leaves the cosignature buffer
 * empty; a cosignature comes only with a checkpoint that extends the held
 * one; the list of logs stays within its bounds.
 */
#include "pnyx/witness.h"

#include "pnyx/base64.h"

#include <stdlib.h>
#include <string.h>

#define LOGS_CAP 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                  \
	do {                         \
		if (!(cond))         \
			abort();     \
	} while (0)

/* Test keys (not secrets). */
static const char log_vkey[] =
	"fuzz.pnyx.example/witness-log+c942f8fb+"
	"AbOrmGbd1J4MvlQsrlubglPI41YI+/W/ThxTXVnMy8dr";
static const char witness_skey[] =
	"PRIVATE+KEY+fuzz.pnyx.example/witness+a205cb79+"
	"AfQtnTESHgjeHsd9ByT27bSE6j77TyojZAJ5tsUWrQsj";
/* The root of the log's first three entries ("one", "two", "three"). */
static const char root3[] = "Wqx3HImawpLnS/Gv4ubjAvi1WIOy0b8Ze0amvqbavKk=";

static void config(const uint8_t *p, size_t n)
{
	pnyx_witness_log logs[LOGS_CAP];
	size_t nlogs = 0;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_witness_config_parse(logs, &nlogs, LOGS_CAP, p, n,
						 &diag);
	CHECK(err == PNYX_OK || err == PNYX_ERR_MALFORMED ||
	      err == PNYX_ERR_EXISTS || err == PNYX_ERR_TOO_LARGE);
	CHECK(memchr(diag.msg, 0, sizeof diag.msg) != NULL);
	CHECK(nlogs <= LOGS_CAP);
	for (size_t i = 0; i < nlogs; i++) {
		CHECK(logs[i].nkeys >= 1 &&
		      logs[i].nkeys <= PNYX_WITNESS_KEYS_MAX);
		CHECK(logs[i].origin[0] != 0);
	}
}

static void judge(const uint8_t *p, size_t n)
{
	pnyx_witness_log logs[1];
	size_t nlogs = 0;
	pnyx_signer w;
	pnyx_witness_latest latest = {.present = true, .size = 3};
	size_t got = 0;
	CHECK(pnyx_witness_config_line(logs, &nlogs, 1, (const uint8_t *)log_vkey,
				       strlen(log_vkey), NULL) == PNYX_OK);
	CHECK(pnyx_signer_parse((const uint8_t *)witness_skey,
				strlen(witness_skey), &w, NULL) == PNYX_OK);
	CHECK(pnyx_base64_decode((const uint8_t *)root3, strlen(root3),
				 latest.root.b, sizeof latest.root.b,
				 &got) == PNYX_OK && got == 32);
	size_t log = 0;
	pnyx_witness_verdict v;
	if (!pnyx_witness_find_log(logs, nlogs, p, n, &log, &v)) {
		CHECK(v.code == PNYX_WITNESS_MALFORMED ||
		      v.code == PNYX_WITNESS_TOO_LARGE ||
		      v.code == PNYX_WITNESS_UNKNOWN_LOG);
		return;
	}
	pnyx_buf cosig;
	pnyx_buf_init(&cosig, 4096);
	pnyx_witness_code c = pnyx_witness_judge(logs, nlogs, log, &latest, &w,
						 p, n, 1700000000u, &cosig, &v);
	CHECK(c == v.code && (unsigned)c < PNYX_WITNESS__COUNT);
	CHECK(memchr(v.diag.msg, 0, sizeof v.diag.msg) != NULL);
	CHECK(pnyx_witness_code_status(c) != 500);
	if (c == PNYX_WITNESS_COSIGNED)
		CHECK(cosig.len > 0 && v.size >= 3 &&
		      (v.size > 3 || pnyx_hash_eq(&v.root, &latest.root)));
	else
		CHECK(cosig.len == 0);
	pnyx_buf_clear(&cosig);
	pnyx_signer_clear(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CHECK(pnyx_init() == PNYX_OK);
	if (size == 0)
		return 0;
	if (data[0] == 'c')
		config(data + 1, size - 1);
	else
		judge(data + 1, size - 1);
	return 0;
}
