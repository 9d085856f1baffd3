/*
 * forum_writer: writes forum logs with real keys for tests/verify_forum.sh,
 * and the seeds of fuzz/corpus/action/ (see forum_writer.h).
 *
 *   forum_writer create DIR [SEED]
 *       DIR/forum.db: a log (key DIR/keys/log.key, verifier log.vkey)
 *       holding the scripted forum (forum_script.c), each leaf applied
 *       live with signature checks, then a signed checkpoint. Private keys
 *       of every actor in DIR/keys/<id>.key. Prints "leaves N" and
 *       "digest HEX", the digest of the state computed live.
 *   forum_writer bad DIR signature|seq
 *       appends one leaf the rules refuse: an action of FRA whose
 *       signature is forged (one signature byte changed), or validly
 *       signed with a sequence number FRA already used. Prints
 *       "bad-leaf N" (its index).
 *   forum_writer corpus DIR
 *       writes fuzz seeds: each scene after the fuzz genesis (keys from
 *       FW_FUZZ_SEED), and refused variants of one leaf.
 */
#include "forum_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pnyx/action.h"
#include "pnyx/hash.h"
#include "pnyx/leaf.h"
#include "pnyx/log.h"
#include "pnyx/note.h"
#include "pnyx/store.h"

#include <sodium.h>

#define FW_PATH_MAX 4096
#define FW_LEAVES_MAX (256u * 1024u * 1024u)

void fw_die(const char *fmt, ...)
{
	va_list ap;
	fputs("forum_writer: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void check(pnyx_err err, const char *what)
{
	if (err != PNYX_OK)
		fw_die("%s: %s", what, pnyx_err_name(err));
}

void fw_init(fw *w, const char *seed)
{
	memset(w, 0, sizeof *w);
	check(pnyx_state_new(&w->st), "new state");
	w->now = FW_T0;
	w->seed = seed;
	pnyx_buf_init(&w->leaves, FW_LEAVES_MAX);
}

void fw_free(fw *w)
{
	pnyx_state_free(w->st);
	pnyx_buf_clear(&w->leaves);
	for (size_t i = 0; i < w->nactors; i++)
		pnyx_signer_clear(&w->actors[i].key);
}

void fw_make_key(const fw *w, const char *id, pnyx_signer *out)
{
	char name[128];
	snprintf(name, sizeof name, "pnyx.test/%s", id);
	if (w->seed == NULL) {
		check(pnyx_signer_generate(name, out), "generate a key");
		return;
	}
	char text[256];
	int n = snprintf(text, sizeof text, "%s/%s", w->seed, id);
	pnyx_hash seed;
	pnyx_sha256(text, (size_t)n, &seed);
	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "%s", name);
	if (crypto_sign_seed_keypair(out->pk, out->sk, seed.b) != 0)
		fw_die("crypto_sign_seed_keypair failed");
	out->hash = pnyx_key_hash(out->name, PNYX_KEY_ALG_ED25519, out->pk);
}

fw_actor *fw_who(fw *w, const char *id)
{
	for (size_t i = 0; i < w->nactors; i++)
		if (strcmp(w->actors[i].id, id) == 0)
			return &w->actors[i];
	if (w->nactors == FW_MAX_ACTORS)
		fw_die("too many actors");
	fw_actor *a = &w->actors[w->nactors++];
	snprintf(a->id, sizeof a->id, "%s", id);
	fw_make_key(w, id, &a->key);
	a->seq = 0;
	return a;
}

const char *fw_vkey(const pnyx_signer *s)
{
	static char text[700];
	pnyx_verifier v;
	pnyx_signer_verifier(s, &v);
	pnyx_buf b;
	pnyx_buf_init(&b, sizeof text - 1);
	check(pnyx_verifier_encode(&v, &b), "encode a verifier key");
	memcpy(text, b.data, b.len + 1);
	pnyx_buf_clear(&b);
	return text;
}

const char *fw_digest_hex(const pnyx_state *st)
{
	static char out[2 * PNYX_HASH_LEN + 1];
	static const char digits[] = "0123456789abcdef";
	pnyx_hash h;
	check(pnyx_state_digest(st, &h), "state digest");
	for (size_t i = 0; i < PNYX_HASH_LEN; i++) {
		out[2 * i] = digits[h.b[i] >> 4];
		out[2 * i + 1] = digits[h.b[i] & 0xf];
	}
	return out;
}

static json_t *vbody(fw *w, const char *actor, const char *type,
		     const char *fmt, va_list ap)
{
	json_error_t err;
	json_t *body = json_vpack_ex(&err, 0, fmt, ap);
	if (body == NULL)
		fw_die("bad pack format for %s: %s", type, err.text);
	fw_actor *a = fw_who(w, actor);
	if (json_object_set_new(body, "forum", json_string(FW_FORUM)) != 0 ||
	    json_object_set_new(body, "actor", json_string(actor)) != 0 ||
	    json_object_set_new(body, "type", json_string(type)) != 0 ||
	    json_object_set_new(body, "seq", json_integer((json_int_t)a->seq + 1)) != 0)
		fw_die("out of memory");
	return body;
}

json_t *fw_body(fw *w, const char *actor, const char *type, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_t *body = vbody(w, actor, type, fmt, ap);
	va_end(ap);
	return body;
}

void fw_leaf(const fw *w, json_t *body, const pnyx_signer *signer, pnyx_buf *out)
{
	pnyx_buf text, note;
	pnyx_buf_init(&text, 1u << 20);
	pnyx_buf_init(&note, 1u << 20);
	check(pnyx_action_encode(body, &text), "encode an action");
	json_decref(body);
	check(pnyx_note_sign(text.data, text.len, signer, 1, &note), "sign");
	check(pnyx_leaf_encode(w->now, note.data, note.len, out), "encode a leaf");
	pnyx_buf_clear(&text);
	pnyx_buf_clear(&note);
}

void fw_act(fw *w, const char *actor, const char *type, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_t *body = vbody(w, actor, type, fmt, ap);
	va_end(ap);
	fw_actor *a = fw_who(w, actor);
	pnyx_buf leaf;
	pnyx_buf_init(&leaf, 1u << 20);
	fw_leaf(w, body, &a->key, &leaf);
	pnyx_verdict v;
	pnyx_rule r = pnyx_engine_apply(w->st, leaf.data, leaf.len,
					PNYX_ENGINE_CHECK_SIGNATURES, &v);
	if (r != PNYX_RULE_OK)
		fw_die("leaf %zu (%s by %s) is refused: %s: %s", w->nleaves, type,
		       actor, pnyx_rule_name(r), v.msg);
	a->seq++;
	check(pnyx_buf_append(&w->leaves, leaf.data, leaf.len), "keep a leaf");
	check(pnyx_buf_puts(&w->leaves, FW_SEPARATOR), "keep a leaf");
	w->nleaves++;
	w->now += FW_MINUTE;
	pnyx_buf_clear(&leaf);
}

/* ---- files ---- */

static void write_file(const char *path, const void *p, size_t n, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		fw_die("cannot create %s: %s", path, strerror(errno));
	const uint8_t *b = p;
	while (n > 0) {
		ssize_t k = write(fd, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			fw_die("cannot write %s: %s", path, strerror(errno));
		b += k;
		n -= (size_t)k;
	}
	if (close(fd) != 0)
		fw_die("cannot close %s: %s", path, strerror(errno));
}

static void read_file(const char *path, pnyx_buf *out)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fw_die("cannot open %s: %s", path, strerror(errno));
	pnyx_buf_init(out, 1u << 20);
	uint8_t chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		check(pnyx_buf_append(out, chunk, n), "read a file");
	fclose(f);
}

static const char *path_in(const char *dir, const char *name)
{
	static char path[FW_PATH_MAX];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		fw_die("path too long");
	return path;
}

static void write_key_files(const char *dir, const char *id, const pnyx_signer *s)
{
	char name[128];
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	check(pnyx_signer_encode(s, &b), "encode a key");
	check(pnyx_buf_puts(&b, "\n"), "encode a key");
	snprintf(name, sizeof name, "keys/%s.key", id);
	write_file(path_in(dir, name), b.data, b.len, 0600);
	pnyx_buf_clear(&b);
	const char *v = fw_vkey(s);
	snprintf(name, sizeof name, "keys/%s.vkey", id);
	write_file(path_in(dir, name), v, strlen(v), 0644);
}

/* ---- the log ---- */

static pnyx_log *open_log(const char *dir)
{
	pnyx_diag diag = {{0}};
	pnyx_store *store;
	pnyx_log *log;
	pnyx_err err = pnyx_store_sqlite_open(path_in(dir, "forum.db"), PNYX_STORE_OPEN,
					      &store, &diag);
	if (err == PNYX_OK)
		err = pnyx_log_open(store, &log, &diag);
	if (err != PNYX_OK)
		fw_die("cannot open the log: %s", diag.msg);
	return log;
}

/* Appends the leaves held in buf (each followed by FW_SEPARATOR). */
static void append_leaves(pnyx_log *log, const pnyx_buf *buf)
{
	static const size_t sep = sizeof FW_SEPARATOR - 1;
	size_t pos = 0;
	while (pos < buf->len) {
		const uint8_t *p = buf->data + pos;
		const uint8_t *end = memmem(p, buf->len - pos, FW_SEPARATOR, sep);
		if (end == NULL)
			fw_die("a leaf without its separator");
		pnyx_entry e = {p, (size_t)(end - p)};
		pnyx_diag diag = {{0}};
		if (pnyx_log_append(log, &e, 1, NULL, &diag) != PNYX_OK)
			fw_die("cannot append: %s", diag.msg);
		pos += e.n + sep;
	}
}

static int cmd_create(const char *dir, const char *seed)
{
	fw w;
	fw_init(&w, seed);
	fw_genesis(&w);
	for (size_t i = 0; i < fw_scene_count; i++)
		fw_scenes[i].run(&w);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		fw_die("cannot create %s: %s", dir, strerror(errno));
	if (mkdir(path_in(dir, "keys"), 0700) != 0)
		fw_die("cannot create %s/keys: %s", dir, strerror(errno));
	pnyx_signer log_key;
	fw_make_key(&w, "log", &log_key);
	write_key_files(dir, "log", &log_key);
	for (size_t i = 0; i < w.nactors; i++)
		write_key_files(dir, w.actors[i].id, &w.actors[i].key);
	pnyx_diag diag = {{0}};
	pnyx_store *store;
	pnyx_log *log;
	pnyx_verifier vk;
	pnyx_signer_verifier(&log_key, &vk);
	pnyx_err err = pnyx_store_sqlite_open(path_in(dir, "forum.db"), PNYX_STORE_CREATE,
					      &store, &diag);
	if (err == PNYX_OK)
		err = pnyx_log_create(store, &vk, &log, &diag);
	if (err != PNYX_OK)
		fw_die("cannot create the log: %s", diag.msg);
	append_leaves(log, &w.leaves);
	pnyx_buf cp;
	pnyx_buf_init(&cp, 1u << 16);
	if (pnyx_log_checkpoint(log, &log_key, &cp, &diag) != PNYX_OK)
		fw_die("cannot sign a checkpoint: %s", diag.msg);
	pnyx_buf_clear(&cp);
	pnyx_log_close(log);
	pnyx_signer_clear(&log_key);
	printf("leaves %zu\ndigest %s\n", w.nleaves, fw_digest_hex(w.st));
	fw_free(&w);
	return 0;
}

/* ---- a bad leaf ---- */

/* Applies one leaf to the state ctx, trusting the signatures. */
static pnyx_err replay_leaf(void *ctx, uint64_t i, const uint8_t *p, size_t n)
{
	pnyx_verdict v;
	if (pnyx_engine_apply(ctx, p, n, PNYX_ENGINE_TRUST_SIGNATURES, &v) !=
	    PNYX_RULE_OK)
		fw_die("leaf %llu of the log is refused: %s",
		       (unsigned long long)i, v.msg);
	return PNYX_OK;
}

/* Applies every leaf of the log to w's state, read in one pass. */
static void replay(pnyx_log *log, fw *w)
{
	check(pnyx_log_scan(log, 0, pnyx_log_size(log), replay_leaf, w->st),
	      "read the entries");
}

/* Changes one byte of the signature of the note inside a leaf: a base64
 * character in the middle of the first signature line. */
static void forge(pnyx_buf *leaf)
{
	static const char dash[] = "\n\n\xe2\x80\x94 ";
	uint8_t *p = memmem(leaf->data, leaf->len, dash, sizeof dash - 1);
	if (p == NULL)
		fw_die("no signature line");
	p += sizeof dash - 1;
	uint8_t *space = memchr(p, ' ', leaf->len - (size_t)(p - leaf->data));
	if (space == NULL || (size_t)(space - leaf->data) + 40 > leaf->len)
		fw_die("no signature");
	space[30] = space[30] == 'A' ? 'B' : 'A';
}

static int cmd_bad(const char *dir, const char *kind)
{
	bool forged = strcmp(kind, "signature") == 0;
	if (!forged && strcmp(kind, "seq") != 0)
		fw_die("bad: signature or seq, not %s", kind);
	pnyx_log *log = open_log(dir);
	fw w;
	fw_init(&w, NULL);
	replay(log, &w);
	const json_t *root = pnyx_state_json(w.st);
	w.now = (uint64_t)json_integer_value(
			json_object_get(json_object_get(root, "clock"), "time_ms")) + 1000;
	fw_actor *fra = fw_who(&w, "FRA");
	pnyx_buf keytext;
	read_file(path_in(dir, "keys/FRA.key"), &keytext);
	pnyx_signer_clear(&fra->key);
	check(pnyx_signer_parse(keytext.data, keytext.len, &fra->key, NULL), "FRA's key");
	pnyx_buf_clear(&keytext);
	fra->seq = (uint64_t)json_integer_value(json_object_get(
		json_object_get(json_object_get(root, "actors"), "FRA"), "seq"));
	if (fra->seq == 0)
		fw_die("FRA took no action in this log");
	if (!forged)
		fra->seq--; /* the body takes seq + 1: the last one used */
	pnyx_signer fresh;
	fw_make_key(&w, "FRA-extra", &fresh);
	pnyx_buf leaf;
	pnyx_buf_init(&leaf, 1u << 20);
	fw_leaf(&w, fw_body(&w, "FRA", "key.add", "{s:s}", "key", fw_vkey(&fresh)),
		&fra->key, &leaf);
	if (forged)
		forge(&leaf);
	pnyx_rule want = forged ? PNYX_RULE_BAD_SIGNATURE : PNYX_RULE_SEQ_REPLAYED;
	pnyx_rule got = pnyx_engine_apply(w.st, leaf.data, leaf.len,
					  PNYX_ENGINE_CHECK_SIGNATURES, NULL);
	if (got != want)
		fw_die("the bad leaf gives %s, not %s", pnyx_rule_name(got),
		       pnyx_rule_name(want));
	uint64_t index = pnyx_log_size(log);
	pnyx_entry e = {leaf.data, leaf.len};
	pnyx_diag diag = {{0}};
	if (pnyx_log_append(log, &e, 1, NULL, &diag) != PNYX_OK)
		fw_die("cannot append: %s", diag.msg);
	printf("bad-leaf %llu\n", (unsigned long long)index);
	pnyx_buf_clear(&leaf);
	pnyx_signer_clear(&fresh);
	pnyx_log_close(log);
	fw_free(&w);
	return 0;
}

/* ---- fuzz seeds ---- */

/* Writes DIR/name holding the leaves in b. */
static void write_seed(const char *dir, const char *name, const pnyx_buf *b)
{
	write_file(path_in(dir, name), b->data, b->len, 0644);
}

/* A leaf at time t of text (any bytes) signed by signer. */
static void signed_text(const char *text, size_t n, const pnyx_signer *signer,
			uint64_t t, pnyx_buf *out)
{
	pnyx_buf note;
	pnyx_buf_init(&note, 1u << 20);
	check(pnyx_note_sign((const uint8_t *)text, n, signer, 1, &note), "sign");
	check(pnyx_leaf_encode(t, note.data, note.len, out), "encode a leaf");
	pnyx_buf_clear(&note);
}

/* A seed of one leaf: FRA's action body (stolen) signed by signer. */
static void seed_body(const char *dir, const char *name, fw *w, json_t *body,
		      const pnyx_signer *signer)
{
	pnyx_buf b;
	pnyx_buf_init(&b, 1u << 20);
	fw_leaf(w, body, signer, &b);
	write_seed(dir, name, &b);
	pnyx_buf_clear(&b);
}

static void seed_text(const char *dir, const char *name, fw *w, const char *text)
{
	pnyx_buf b;
	pnyx_buf_init(&b, 1u << 20);
	signed_text(text, strlen(text), &fw_who(w, "FRA")->key, w->now, &b);
	write_seed(dir, name, &b);
	pnyx_buf_clear(&b);
}

/* Leaves the rules refuse, each right after the fuzz genesis. */
static void bad_seeds(const char *dir, fw *w)
{
	const char *key = fw_vkey(&fw_who(w, "FRA-extra")->key);
	char k[700];
	snprintf(k, sizeof k, "%s", key);
	pnyx_buf b;
	pnyx_buf_init(&b, 1u << 20);
	fw_leaf(w, fw_body(w, "FRA", "key.add", "{s:s}", "key", k), &fw_who(w, "FRA")->key, &b);
	forge(&b);
	write_seed(dir, "bad-forged-signature", &b);
	pnyx_buf_clear(&b);
	seed_body(dir, "bad-signed-by-another-member", w,
		  fw_body(w, "FRA", "key.add", "{s:s}", "key", k), &fw_who(w, "KEN")->key);
	seed_body(dir, "bad-unknown-actor", w,
		  fw_body(w, "XYZ", "key.add", "{s:s}", "key", k), &fw_who(w, "XYZ")->key);
	seed_body(dir, "bad-unknown-type", w,
		  fw_body(w, "FRA", "consensus.veto", "{s:s}", "decision", "d1"),
		  &fw_who(w, "FRA")->key);
	seed_body(dir, "bad-unknown-field", w,
		  fw_body(w, "FRA", "key.add", "{s:s,s:b}", "key", k, "urgent", 1),
		  &fw_who(w, "FRA")->key);
	seed_body(dir, "bad-not-permitted", w,
		  fw_body(w, "FRA", "credentials.record", "{s:s,s:s}", "member", "FRA",
			  "text", "self-accredited"), &fw_who(w, "FRA")->key);
	fw_who(w, "FRA")->seq = 1;
	seed_body(dir, "bad-seq-skipped", w, fw_body(w, "FRA", "key.add", "{s:s}", "key", k),
		  &fw_who(w, "FRA")->key);
	fw_who(w, "FRA")->seq = 0;
	seed_text(dir, "bad-wrong-forum", w, "pnyx-action v1\n{\"actor\":\"FRA\",\"forum\":"
		  "\"other\",\"key\":\"k\",\"seq\":1,\"type\":\"key.add\"}\n");
	seed_text(dir, "bad-not-canonical", w, "pnyx-action v1\n{\"actor\": \"FRA\",\"forum\":"
		  "\"oewg\",\"key\":\"k\",\"seq\":1,\"type\":\"key.add\"}\n");
	seed_text(dir, "bad-depth-7", w, "pnyx-action v1\n{\"actor\":\"FRA\",\"forum\":"
		  "\"oewg\",\"key\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{}}}}}},\"seq\":1,"
		  "\"type\":\"key.add\"}\n");
	seed_text(dir, "bad-seq-zero", w, "pnyx-action v1\n{\"actor\":\"FRA\",\"forum\":"
		  "\"oewg\",\"key\":\"k\",\"seq\":0,\"type\":\"key.add\"}\n");
	w->now -= FW_HOUR;
	seed_body(dir, "bad-time-backwards", w, fw_body(w, "FRA", "key.add", "{s:s}", "key", k),
		  &fw_who(w, "FRA")->key);
	w->now += FW_HOUR;
	static const char raw[] =
		"pnyx-leaf v1 1767258100000\npnyx-action v1\n{\"actor\":\"FRA\",\"forum\":"
		"\"oewg\",\"key\":\"\0\x80\",\"seq\":1,\"type\":\"key.add\"}\n\n"
		"\xe2\x80\x94 pnyx.test/FRA AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n";
	write_file(path_in(dir, "bad-nul-and-invalid-utf8"), raw, sizeof raw - 1, 0644);
	static const char header[] = "pnyx-leaf v1 01767258100000\nx\n\n";
	write_file(path_in(dir, "bad-leaf-header"), header, sizeof header - 1, 0644);
}

/* Writes the seed valid-<name>: scene s alone after a fresh genesis. */
static void scene_seed(const char *dir, const fw_scene *s)
{
	fw w;
	fw_init(&w, FW_FUZZ_SEED);
	fw_genesis(&w);
	pnyx_buf_reset(&w.leaves);
	s->run(&w);
	char name[128];
	snprintf(name, sizeof name, "valid-%s", s->name);
	write_seed(dir, name, &w.leaves);
	fw_free(&w);
}

static int cmd_corpus(const char *dir)
{
	for (size_t i = 0; i < fw_scene_count; i++)
		scene_seed(dir, &fw_scenes[i]);
	for (size_t i = 0; i < fw_corpus_scene_count; i++)
		scene_seed(dir, &fw_corpus_scenes[i]);
	fw w;
	fw_init(&w, FW_FUZZ_SEED);
	fw_genesis(&w);
	bad_seeds(dir, &w);
	fw_free(&w);
	return 0;
}

int main(int argc, char **argv)
{
	if (pnyx_init() != PNYX_OK)
		fw_die("cannot initialise");
	if (argc >= 3 && argc <= 4 && strcmp(argv[1], "create") == 0)
		return cmd_create(argv[2], argc == 4 ? argv[3] : NULL);
	if (argc == 4 && strcmp(argv[1], "bad") == 0)
		return cmd_bad(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "corpus") == 0)
		return cmd_corpus(argv[2]);
	fputs("usage: forum_writer create DIR [SEED] | bad DIR signature|seq | "
	      "corpus DIR\n", stderr);
	return 2;
}
