/*
 * Tests for pnyx/hpke.h: RFC 9180 test vectors, round trips, refusals.
 *
 * Vectors: RFC 9180 Appendix A.1.1, "DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, AES-128-GCM", Base Setup Information, as published in the
 * CFRG's test-vectors.json (mode 0, kem_id 32, kdf_id 1, aead_id 1; the
 * copy read was golang/go src/crypto/internal/hpke/testdata/
 * rfc9180-vectors.json). No published vector of the same KEM and KDF with
 * AES-256-GCM (aead_id 2) could be found, so the AES-256-GCM path is
 * checked by the A.1.1 vectors of everything it shares (DeriveKeyPair,
 * Encap/Decap, the key schedule code; only suite_id and Nk differ), by
 * round trips, and by a differential check of its AEAD output against
 * libsodium's independent AES-256-GCM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include <sodium.h>

#include "pnyx/fault.h"
#include "pnyx/hpke.h"

/* RFC 9180 A.1.1 (Base mode, AES-128-GCM). */
#define V_INFO "4f6465206f6e2061204772656369616e2055726e"
#define V_IKME "7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234"
#define V_PKEM "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431"
#define V_SKEM "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736"
#define V_IKMR "6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037"
#define V_PKRM "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d"
#define V_SKRM "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8"
#define V_ENC V_PKEM
/* key_schedule_context and secret are intermediate values of the key
 * schedule that the API does not expose; key, base_nonce and
 * exporter_secret are derived from them, so they are checked through
 * those. */
#define V_SHARED "fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc"
#define V_KSC "00725611c9d98c07c03f60095cd32d400d8347d45ed67097bbad50fc56da742d07" \
	      "cb6cffde367bb0565ba28bb02c90744a20f5ef37f30523526106f637abb05449"
#define V_SECRET "12fff91991e93b48de37e7daddb52981084bd8aa64289c3788471d9a9712f397"
#define V_KEY "4531685d41d65f03dc48f6b8302c05b0"
#define V_BASE_NONCE "56d890e5accaaf011cff4b7d"
#define V_EXPORTER "45ff1c2e220db587171952c0592d5f5ebe103f1561a2614e38f2ffd47e99e3f8"
#define V_PT "4265617574792069732074727574682c20747275746820626561757479"

static const struct {
	uint64_t seq;
	const char *aad, *ct;
} v_encryptions[] = {
	{ 0, "436f756e742d30", "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a" },
	{ 1, "436f756e742d31", "af2d7e9ac9ae7e270f46ba1f975be53c09f8d875bdc8535458c2494e8a6eab251c03d0c22a56b8ca42c2063b84" },
	{ 2, "436f756e742d32", "498dfcabd92e8acedc281e85af1cb4e3e31c7dc394a1ca20e173cb72516491588d96a19ad4a683518973dcc180" },
	{ 4, "436f756e742d34", "583bd32bc67a5994bb8ceaca813d369bca7b2a42408cddef5e22f880b631215a09fc0012bc69fccaa251c0246d" },
	{ 255, "436f756e742d323535", "7175db9717964058640a3a11fb9007941a5d1757fda1a6935c805c21af32505bf106deefec4a49ac38d71c9e0a" },
	{ 256, "436f756e742d323536", "957f9800542b0b8891badb026d79cc54597cb2d225b54c00c5238c25d05c30e3fbeda97d2e0e1aba483a2df9f2" },
};

static const struct {
	const char *context, *value; /* exportLength 32 */
} v_exports[] = {
	{ "", "3853fe2b4035195a573ffc53856e77058e15d9ea064de3e59f4961d0095250ee" },
	{ "00", "2e8f0b54673c7029649d4eb9d5e33bf1872cf76d623ff164ac185da9e88c21a5" },
	{ "54657374436f6e74657874", "e9e43065102c3836401bed8c3c3c75ae46be1639869391d62c61f1ec7af54931" },
};

/* Decodes hex into out (capacity cap); returns the length. */
static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	assert_int_equal(sodium_hex2bin(out, cap, hex, strlen(hex), NULL, &n,
					NULL), 0);
	assert_int_equal(n * 2, strlen(hex));
	return n;
}

static void assert_hex(const uint8_t *b, size_t n, const char *hex)
{
	char x[300];
	assert_true(n * 2 < sizeof x);
	sodium_bin2hex(x, sizeof x, b, n);
	assert_string_equal(x, hex);
}

static void derive_keypair(void **state)
{
	(void)state;
	uint8_t ikm[32], sk[32], pk[32];
	unhex(V_IKME, ikm, sizeof ikm);
	assert_int_equal(pnyx_hpke_derive_keypair(ikm, 32, sk, pk, NULL), PNYX_OK);
	assert_hex(sk, 32, V_SKEM);
	assert_hex(pk, 32, V_PKEM);
	unhex(V_IKMR, ikm, sizeof ikm);
	assert_int_equal(pnyx_hpke_derive_keypair(ikm, 32, sk, pk, NULL), PNYX_OK);
	assert_hex(sk, 32, V_SKRM);
	assert_hex(pk, 32, V_PKRM);
	pnyx_diag d;
	assert_int_equal(pnyx_hpke_derive_keypair(ikm, 31, sk, pk, &d),
			 PNYX_ERR_MALFORMED);
	assert_non_null(strstr(d.msg, "32 bytes"));
}

/* Sets up both sides of the A.1.1 vector. */
static void vector_contexts(pnyx_hpke_ctx *s, pnyx_hpke_ctx *r)
{
	uint8_t info[20], pk_r[32], sk_r[32], sk_e[32], enc[32];
	unhex(V_INFO, info, sizeof info);
	unhex(V_PKRM, pk_r, sizeof pk_r);
	unhex(V_SKRM, sk_r, sizeof sk_r);
	unhex(V_SKEM, sk_e, sizeof sk_e);
	assert_int_equal(pnyx_hpke_setup_s_with(PNYX_HPKE_AES_128_GCM, pk_r,
						info, sizeof info, sk_e, enc, s,
						NULL), PNYX_OK);
	assert_hex(enc, 32, V_ENC);
	assert_int_equal(pnyx_hpke_setup_r(PNYX_HPKE_AES_128_GCM, enc, sk_r,
					   info, sizeof info, r, NULL), PNYX_OK);
}

static void kem_vector(void **state)
{
	(void)state;
	uint8_t pk_r[32], sk_r[32], sk_e[32], enc[32], ss[32], ss_r[32];
	unhex(V_PKRM, pk_r, sizeof pk_r);
	unhex(V_SKRM, sk_r, sizeof sk_r);
	unhex(V_SKEM, sk_e, sizeof sk_e);
	assert_int_equal(pnyx_hpke_encap_with(pk_r, sk_e, enc, ss, NULL),
			 PNYX_OK);
	assert_hex(enc, 32, V_ENC);
	assert_hex(ss, 32, V_SHARED);
	assert_int_equal(pnyx_hpke_decap(enc, sk_r, ss_r, NULL), PNYX_OK);
	assert_hex(ss_r, 32, V_SHARED);
	uint8_t info[20];
	unhex(V_INFO, info, sizeof info);
	pnyx_hpke_ctx c;
	pnyx_hpke_key_schedule(PNYX_HPKE_AES_128_GCM, ss, info, sizeof info,
			       &c);
	assert_hex(c.key, 16, V_KEY);
	assert_hex(c.base_nonce, 12, V_BASE_NONCE);
	assert_hex(c.exporter_secret, 32, V_EXPORTER);
}

static void key_schedule_vector(void **state)
{
	(void)state;
	pnyx_hpke_ctx s, r;
	vector_contexts(&s, &r);
	const pnyx_hpke_ctx *both[2] = { &s, &r };
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(both[i]->key_len, 16);
		assert_hex(both[i]->key, 16, V_KEY);
		assert_hex(both[i]->base_nonce, 12, V_BASE_NONCE);
		assert_hex(both[i]->exporter_secret, 32, V_EXPORTER);
		assert_int_equal(both[i]->seq, 0);
	}
	pnyx_hpke_ctx_clear(&s);
	pnyx_hpke_ctx_clear(&r);
	uint8_t zero[sizeof s];
	memset(zero, 0, sizeof zero);
	assert_memory_equal(&s, zero, sizeof s);
}

static void encryption_vectors(void **state)
{
	(void)state;
	pnyx_hpke_ctx s, r;
	vector_contexts(&s, &r);
	uint8_t pt[29], aad[16], ct[64], out[29];
	size_t pt_len = unhex(V_PT, pt, sizeof pt);
	for (size_t i = 0; i < sizeof v_encryptions / sizeof v_encryptions[0];
	     i++) {
		size_t aad_len = unhex(v_encryptions[i].aad, aad, sizeof aad);
		s.seq = v_encryptions[i].seq; /* vectors skip some numbers */
		r.seq = v_encryptions[i].seq;
		assert_int_equal(pnyx_hpke_seal(&s, aad, aad_len, pt, pt_len,
						ct, NULL), PNYX_OK);
		assert_hex(ct, pt_len + 16, v_encryptions[i].ct);
		assert_int_equal(s.seq, v_encryptions[i].seq + 1);
		assert_int_equal(pnyx_hpke_open(&r, aad, aad_len, ct,
						pt_len + 16, out, NULL), PNYX_OK);
		assert_memory_equal(out, pt, pt_len);
		assert_int_equal(r.seq, v_encryptions[i].seq + 1);
	}
}

static void export_vectors(void **state)
{
	(void)state;
	pnyx_hpke_ctx s, r;
	vector_contexts(&s, &r);
	uint8_t c[16], out[32];
	for (size_t i = 0; i < sizeof v_exports / sizeof v_exports[0]; i++) {
		size_t n = unhex(v_exports[i].context, c, sizeof c);
		assert_int_equal(pnyx_hpke_export(&s, c, n, out, 32, NULL),
				 PNYX_OK);
		assert_hex(out, 32, v_exports[i].value);
		assert_int_equal(pnyx_hpke_export(&r, c, n, out, 32, NULL),
				 PNYX_OK);
		assert_hex(out, 32, v_exports[i].value);
	}
	static uint8_t big[PNYX_HPKE_EXPORT_MAX + 1];
	assert_int_equal(pnyx_hpke_export(&s, NULL, 0, big,
					  PNYX_HPKE_EXPORT_MAX, NULL), PNYX_OK);
	pnyx_diag d;
	assert_int_equal(pnyx_hpke_export(&s, NULL, 0, big, sizeof big, &d),
			 PNYX_ERR_TOO_LARGE);
}


static void keys(uint8_t sk[32], uint8_t pk[32])
{
	assert_int_equal(pnyx_hpke_keypair(sk, pk), PNYX_OK);
}

static const uint8_t info[] = "pnyx test: cooperation message";
static const uint8_t aad[] = "request 42";

static void aes256_round_trip(void **state)
{
	(void)state;
	uint8_t sk[32], pk[32], enc[32];
	keys(sk, pk);
	pnyx_hpke_ctx s, r;
	assert_int_equal(pnyx_hpke_setup_s(PNYX_HPKE_AES_256_GCM, pk, info,
					   sizeof info, enc, &s, NULL), PNYX_OK);
	assert_int_equal(s.key_len, 32);
	assert_int_equal(pnyx_hpke_setup_r(PNYX_HPKE_AES_256_GCM, enc, sk,
					   info, sizeof info, &r, NULL), PNYX_OK);
	assert_memory_equal(&s, &r, sizeof s);
	uint8_t pt[300], ct[316], out[300];
	for (size_t n = 0; n < sizeof pt; n += 37) {
		randombytes_buf(pt, n);
		assert_int_equal(pnyx_hpke_seal(&s, aad, sizeof aad, pt, n, ct,
						NULL), PNYX_OK);
		assert_int_equal(pnyx_hpke_open(&r, aad, sizeof aad, ct,
						n + 16, out, NULL), PNYX_OK);
		assert_memory_equal(out, pt, n);
	}
	assert_int_equal(s.seq, r.seq);
	/* the AES-128 suite derives other keys from the same inputs */
	pnyx_hpke_ctx r128;
	assert_int_equal(pnyx_hpke_setup_r(PNYX_HPKE_AES_128_GCM, enc, sk,
					   info, sizeof info, &r128, NULL),
			 PNYX_OK);
	assert_memory_not_equal(r128.key, r.key, 16);
	assert_memory_not_equal(r128.exporter_secret, r.exporter_secret, 32);
	pnyx_hpke_ctx_clear(&s);
	pnyx_hpke_ctx_clear(&r);
}

/* The AEAD step of the AES-256-GCM suite agrees with libsodium's separate
 * AES-256-GCM implementation (when the CPU has it) for nonces
 * base_nonce XOR seq. */
static void aes256_differential(void **state)
{
	(void)state;
	if (crypto_aead_aes256gcm_is_available() == 0)
		skip();
	uint8_t sk[32], pk[32], enc[32];
	keys(sk, pk);
	pnyx_hpke_ctx s;
	assert_int_equal(pnyx_hpke_setup_s(PNYX_HPKE_AES_256_GCM, pk, NULL, 0,
					   enc, &s, NULL), PNYX_OK);
	uint8_t pt[100], ct[116], ref[116], nonce[12];
	for (uint64_t seq = 0; seq < 300; seq += 7) {
		randombytes_buf(pt, sizeof pt);
		s.seq = seq;
		memcpy(nonce, s.base_nonce, 12);
		for (size_t i = 0; i < 8; i++)
			nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
		assert_int_equal(pnyx_hpke_seal(&s, aad, sizeof aad, pt,
						sizeof pt, ct, NULL), PNYX_OK);
		unsigned long long n = 0;
		assert_int_equal(crypto_aead_aes256gcm_encrypt(
					 ref, &n, pt, sizeof pt, aad, sizeof aad,
					 NULL, nonce, s.key), 0);
		assert_int_equal(n, sizeof ref);
		assert_memory_equal(ct, ref, sizeof ref);
	}
}

static void single_shot(void **state)
{
	(void)state;
	uint8_t sk[32], pk[32], enc[32], ct[16 + 5], out[5];
	keys(sk, pk);
	assert_int_equal(pnyx_hpke_seal_base(PNYX_HPKE_AES_256_GCM, pk, info,
					     sizeof info, aad, sizeof aad,
					     (const uint8_t *)"hello", 5, enc,
					     ct, NULL), PNYX_OK);
	assert_int_equal(pnyx_hpke_open_base(PNYX_HPKE_AES_256_GCM, enc, sk,
					     info, sizeof info, aad, sizeof aad,
					     ct, sizeof ct, out, NULL), PNYX_OK);
	assert_memory_equal(out, "hello", 5);
	/* empty plaintext, no info, no aad */
	uint8_t tag[16];
	assert_int_equal(pnyx_hpke_seal_base(PNYX_HPKE_AES_256_GCM, pk, NULL,
					     0, NULL, 0, NULL, 0, enc, tag,
					     NULL), PNYX_OK);
	assert_int_equal(pnyx_hpke_open_base(PNYX_HPKE_AES_256_GCM, enc, sk,
					     NULL, 0, NULL, 0, tag, 16, NULL,
					     NULL), PNYX_OK);
	tag[3] ^= 1;
	assert_int_equal(pnyx_hpke_open_base(PNYX_HPKE_AES_256_GCM, enc, sk,
					     NULL, 0, NULL, 0, tag, 16, NULL,
					     NULL), PNYX_ERR_BAD_SIGNATURE);
}

typedef struct sealed {
	uint8_t sk[32], pk[32], enc[32], ct[16 + 40];
} sealed;

static void seal_one(sealed *m)
{
	keys(m->sk, m->pk);
	assert_int_equal(pnyx_hpke_seal_base(PNYX_HPKE_AES_256_GCM, m->pk,
					     info, sizeof info, aad, sizeof aad,
					     (const uint8_t *)"incident report: "
							      "do not disclose!!!!!!",
					     40, m->enc, m->ct, NULL), PNYX_OK);
}

static pnyx_err open_with(const sealed *m, const uint8_t *ct,
			  const uint8_t *enc, const uint8_t *sk,
			  const uint8_t *a, size_t a_len, const uint8_t *inf,
			  size_t inf_len, pnyx_diag *d)
{
	uint8_t out[40];
	memset(out, 0xAA, sizeof out);
	pnyx_err err = pnyx_hpke_open_base(PNYX_HPKE_AES_256_GCM, enc, sk, inf,
					   inf_len, a, a_len, ct, sizeof m->ct,
					   out, d);
	if (err != PNYX_OK) /* no plaintext left behind */
		for (size_t i = 0; i < sizeof out; i++)
			assert_true(out[i] == 0 || out[i] == 0xAA);
	return err;
}

static void tampering_refused(void **state)
{
	(void)state;
	sealed m;
	seal_one(&m);
	assert_int_equal(open_with(&m, m.ct, m.enc, m.sk, aad, sizeof aad,
				   info, sizeof info, NULL), PNYX_OK);
	pnyx_diag d;
	for (size_t i = 0; i < sizeof m.ct; i++) {
		m.ct[i] ^= 0x20;
		assert_int_equal(open_with(&m, m.ct, m.enc, m.sk, aad,
					   sizeof aad, info, sizeof info, &d),
				 PNYX_ERR_BAD_SIGNATURE);
		m.ct[i] ^= 0x20;
	}
	assert_non_null(strstr(d.msg, "does not authenticate"));
	for (size_t i = 0; i < sizeof m.enc; i++) {
		m.enc[i] ^= 0x01;
		pnyx_err err = open_with(&m, m.ct, m.enc, m.sk, aad, sizeof aad,
					 info, sizeof info, NULL);
		assert_true(err == PNYX_ERR_BAD_SIGNATURE ||
			    err == PNYX_ERR_MALFORMED);
		m.enc[i] ^= 0x01;
	}
	uint8_t other_aad[sizeof aad];
	memcpy(other_aad, aad, sizeof aad);
	other_aad[8] = '3';
	assert_int_equal(open_with(&m, m.ct, m.enc, m.sk, other_aad,
				   sizeof aad, info, sizeof info, NULL),
			 PNYX_ERR_BAD_SIGNATURE);
	assert_int_equal(open_with(&m, m.ct, m.enc, m.sk, NULL, 0, info,
				   sizeof info, NULL), PNYX_ERR_BAD_SIGNATURE);
	assert_int_equal(open_with(&m, m.ct, m.enc, m.sk, aad, sizeof aad,
				   info, sizeof info - 1, NULL),
			 PNYX_ERR_BAD_SIGNATURE);
}

static void wrong_key_refused(void **state)
{
	(void)state;
	sealed m;
	seal_one(&m);
	uint8_t sk2[32], pk2[32];
	keys(sk2, pk2);
	assert_int_equal(open_with(&m, m.ct, m.enc, sk2, aad, sizeof aad, info,
				   sizeof info, NULL), PNYX_ERR_BAD_SIGNATURE);
	/* the AES-128 suite does not open an AES-256 message */
	uint8_t out[40];
	assert_int_equal(pnyx_hpke_open_base(PNYX_HPKE_AES_128_GCM, m.enc,
					     m.sk, info, sizeof info, aad,
					     sizeof aad, m.ct, sizeof m.ct,
					     out, NULL), PNYX_ERR_BAD_SIGNATURE);
	/* out of order: message 1 is not message 0 */
	pnyx_hpke_ctx s, r;
	uint8_t enc[32], ct0[17], ct1[17], pt[1];
	assert_int_equal(pnyx_hpke_setup_s(PNYX_HPKE_AES_256_GCM, m.pk, NULL,
					   0, enc, &s, NULL), PNYX_OK);
	assert_int_equal(pnyx_hpke_setup_r(PNYX_HPKE_AES_256_GCM, enc, m.sk,
					   NULL, 0, &r, NULL), PNYX_OK);
	assert_int_equal(pnyx_hpke_seal(&s, NULL, 0, (const uint8_t *)"a", 1,
					ct0, NULL), PNYX_OK);
	assert_int_equal(pnyx_hpke_seal(&s, NULL, 0, (const uint8_t *)"b", 1,
					ct1, NULL), PNYX_OK);
	assert_int_equal(pnyx_hpke_open(&r, NULL, 0, ct1, 17, pt, NULL),
			 PNYX_ERR_BAD_SIGNATURE);
	assert_int_equal(r.seq, 0); /* a refusal changes nothing */
	assert_int_equal(pnyx_hpke_open(&r, NULL, 0, ct0, 17, pt, NULL),
			 PNYX_OK);
	assert_int_equal(pt[0], 'a');
	assert_int_equal(pnyx_hpke_open(&r, NULL, 0, ct1, 17, pt, NULL),
			 PNYX_OK);
	assert_int_equal(pt[0], 'b');
}

static void bad_inputs(void **state)
{
	(void)state;
	sealed m;
	seal_one(&m);
	pnyx_diag d;
	uint8_t zero[32], out[40];
	memset(zero, 0, sizeof zero);
	/* an all-zero enc (a low-order point) gives an all-zero DH result */
	assert_int_equal(pnyx_hpke_open_base(PNYX_HPKE_AES_256_GCM, zero, m.sk,
					     NULL, 0, NULL, 0, m.ct,
					     sizeof m.ct, out, &d),
			 PNYX_ERR_MALFORMED);
	assert_non_null(strstr(d.msg, "X25519"));
	uint8_t enc[32];
	assert_int_equal(pnyx_hpke_seal_base(PNYX_HPKE_AES_256_GCM, zero, NULL,
					     0, NULL, 0, NULL, 0, enc, out, &d),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_hpke_open_base(PNYX_HPKE_AES_256_GCM, m.enc,
					     m.sk, NULL, 0, NULL, 0, m.ct, 15,
					     out, &d), PNYX_ERR_MALFORMED);
	assert_non_null(strstr(d.msg, "shorter"));
	pnyx_hpke_ctx s;
	assert_int_equal(pnyx_hpke_setup_s(PNYX_HPKE_AES_256_GCM, m.pk, NULL,
					   0, enc, &s, NULL), PNYX_OK);
	s.seq = UINT64_MAX;
	assert_int_equal(pnyx_hpke_seal(&s, NULL, 0, NULL, 0, out, &d),
			 PNYX_ERR_RANGE);
	assert_int_equal(s.seq, UINT64_MAX);
}

/* Nothing here allocates through pnyx_malloc, so there is no allocation
 * to fail: a whole exchange passes no fault point. */
static void no_library_allocations(void **state)
{
	(void)state;
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	sealed m;
	seal_one(&m);
	assert_int_equal(open_with(&m, m.ct, m.enc, m.sk, aad, sizeof aad,
				   info, sizeof info, NULL), PNYX_OK);
	assert_int_equal(pnyx_fault_passed(), 0);
	pnyx_fault_disarm();
}

int main(void)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(derive_keypair),
		cmocka_unit_test(kem_vector),
		cmocka_unit_test(key_schedule_vector),
		cmocka_unit_test(encryption_vectors),
		cmocka_unit_test(export_vectors),
		cmocka_unit_test(aes256_round_trip),
		cmocka_unit_test(aes256_differential),
		cmocka_unit_test(single_shot),
		cmocka_unit_test(tampering_refused),
		cmocka_unit_test(wrong_key_refused),
		cmocka_unit_test(bad_inputs),
		cmocka_unit_test(no_library_allocations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
