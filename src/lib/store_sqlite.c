/*
 * The SQLite store (pnyx/store.h): one database file in WAL mode with
 * synchronous=FULL, so a COMMIT returns only after the write-ahead log has
 * been fsync'ed.
 *
 * Identification: PRAGMA application_id = 0x506e7978 ("Pnyx") marks a Pnyx
 * store; PRAGMA user_version is the schema version (STORE_SCHEMA). A file
 * that is not SQLite, or SQLite without our application id, or a schema
 * version this build does not know, is refused with PNYX_ERR_CORRUPT.
 *
 * Schema version 1:
 *   entries     (idx INTEGER PRIMARY KEY, data BLOB)       rowid = index
 *   hashes      (level, idx, hash) PRIMARY KEY (level, idx) WITHOUT ROWID
 *   checkpoints (size INTEGER PRIMARY KEY, note BLOB)
 *   meta        (key TEXT PRIMARY KEY, value BLOB)
 *   tree        (id INTEGER PRIMARY KEY CHECK (id = 0), size INTEGER)
 *
 * Layout of hashes, measured: against a rowid table keyed by
 * (level << 56) + idx, 300,000 appends of 300-byte entries in batches of
 * 1000 (entry plus every new subtree hash), 20,000 reads of 256 consecutive
 * hashes and 200,000 single-hash reads ran within the noise of each other
 * (about 200k appends/s, 35k range reads/s, 250k point reads/s for both,
 * SQLite 3.40). So the WITHOUT ROWID table keyed by (level, idx) stays: it
 * says what it is and has no cap on the index.
 *
 * Every statement is prepared once at open (SQLITE_PREPARE_PERSISTENT) and
 * reset after each use, so no statement is ever left active. The one
 * statement that stays active across calls out is the entry scan: it steps
 * through its rows while the caller's function runs, so the whole range is
 * read in one read transaction (one WAL snapshot, one lock) instead of one
 * per entry. Any SQLite
 * failure is PNYX_ERR_STORAGE (with sqlite3_errmsg in diag at open);
 * stored values of the wrong type or shape are PNYX_ERR_CORRUPT.
 */
#include "pnyx/store.h"

#include "pnyx/mem.h"
#include "pnyx/text.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PNYX_APP_ID_TEXT "1349417336" /* 0x506e7978, "Pnyx" */
#define STORE_SCHEMA 1
#define STORE_BUSY_MS 5000
#define HASHES_ON_STACK 16

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_GET_SIZE,
	ST_SET_SIZE,
	ST_PUT_ENTRY,
	ST_GET_ENTRY,
	ST_SCAN_ENTRIES,
	ST_PUT_HASH,
	ST_GET_HASHES,
	ST_PUT_CHECKPOINT,
	ST_GET_CHECKPOINT,
	ST_GET_META,
	ST_PUT_META,
	ST__COUNT
};

static const char *const stmt_sql[ST__COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_GET_SIZE] = "SELECT size FROM tree WHERE id = 0",
	[ST_SET_SIZE] = "UPDATE tree SET size = ?1 WHERE id = 0",
	[ST_PUT_ENTRY] = "INSERT INTO entries (idx, data) VALUES (?1, ?2)",
	[ST_GET_ENTRY] = "SELECT data FROM entries WHERE idx = ?1",
	[ST_SCAN_ENTRIES] = "SELECT idx, data FROM entries WHERE idx >= ?1 "
			    "AND idx < ?2 ORDER BY idx",
	[ST_PUT_HASH] = "INSERT INTO hashes (level, idx, hash) VALUES (?1, ?2, ?3)",
	[ST_GET_HASHES] = "SELECT idx, hash FROM hashes WHERE level = ?1 AND "
			  "idx >= ?2 AND idx < ?3 ORDER BY idx",
	[ST_PUT_CHECKPOINT] = "INSERT OR REPLACE INTO checkpoints (size, note) "
			      "VALUES (?1, ?2)",
	[ST_GET_CHECKPOINT] = "SELECT note FROM checkpoints "
			      "ORDER BY size DESC LIMIT 1",
	[ST_GET_META] = "SELECT value FROM meta WHERE key = ?1",
	[ST_PUT_META] = "INSERT OR REPLACE INTO meta (key, value) "
			"VALUES (?1, ?2)",
};

static const char schema_sql[] =
	"BEGIN IMMEDIATE;"
	"CREATE TABLE entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL);"
	"CREATE TABLE hashes (level INTEGER NOT NULL, idx INTEGER NOT NULL,"
	" hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;"
	"CREATE TABLE checkpoints (size INTEGER PRIMARY KEY,"
	" note BLOB NOT NULL);"
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);"
	"CREATE TABLE tree (id INTEGER PRIMARY KEY CHECK (id = 0),"
	" size INTEGER NOT NULL);"
	"INSERT INTO tree (id, size) VALUES (0, 0);"
	"PRAGMA application_id = 1349417336;" /* PNYX_APP_ID_TEXT */
	"PRAGMA user_version = 1;"            /* STORE_SCHEMA */
	"COMMIT;";

typedef struct sqlite_store {
	pnyx_store base; /* first: a pnyx_store * points here */
	sqlite3 *db;
	sqlite3_stmt *st[ST__COUNT];
} sqlite_store;

static sqlite_store *from_base(pnyx_store *s)
{
	return (sqlite_store *)(void *)s;
}

/* Resets a statement after use so that it holds no lock and no value. */
static void stmt_done(sqlite3_stmt *st)
{
	(void)sqlite3_reset(st);
	(void)sqlite3_clear_bindings(st);
}

/* Steps a statement that returns no row. */
static pnyx_err step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	stmt_done(st);
	return rc == SQLITE_DONE ? PNYX_OK : PNYX_ERR_STORAGE;
}

static pnyx_err bind_u64(sqlite3_stmt *st, int col, uint64_t v)
{
	if (v > (uint64_t)INT64_MAX)
		return PNYX_ERR_RANGE;
	if (sqlite3_bind_int64(st, col, (sqlite3_int64)v) != SQLITE_OK)
		return PNYX_ERR_STORAGE;
	return PNYX_OK;
}

static pnyx_err bind_blob(sqlite3_stmt *st, int col, const void *p, size_t n)
{
	if (n > INT_MAX)
		return PNYX_ERR_TOO_LARGE;
	/* a zero-length blob, not NULL, for n == 0 */
	if (sqlite3_bind_blob(st, col, n == 0 ? "" : p, (int)n,
			      SQLITE_STATIC) != SQLITE_OK)
		return PNYX_ERR_STORAGE;
	return PNYX_OK;
}

/* Appends the blob in column 0 of the current row to out. */
static pnyx_err column_to_buf(sqlite3_stmt *st, pnyx_buf *out)
{
	if (sqlite3_column_type(st, 0) != SQLITE_BLOB)
		return PNYX_ERR_CORRUPT;
	const void *p = sqlite3_column_blob(st, 0);
	int n = sqlite3_column_bytes(st, 0);
	if (n < 0 || (p == NULL && n > 0))
		return PNYX_ERR_STORAGE; /* out of memory inside SQLite */
	return pnyx_buf_append(out, p, (size_t)n);
}

/* Runs a prepared query whose first row's column 0 is a blob for out;
 * PNYX_ERR_NOT_FOUND when there is no row. */
static pnyx_err query_blob(sqlite3_stmt *st, pnyx_buf *out)
{
	int rc = sqlite3_step(st);
	pnyx_err err;
	if (rc == SQLITE_ROW)
		err = column_to_buf(st, out);
	else
		err = rc == SQLITE_DONE ? PNYX_ERR_NOT_FOUND : PNYX_ERR_STORAGE;
	stmt_done(st);
	return err;
}

/* ---- transactions ---- */

static pnyx_err sq_begin(pnyx_store *base)
{
	return step_done(from_base(base)->st[ST_BEGIN]);
}

static pnyx_err sq_commit(pnyx_store *base)
{
	return step_done(from_base(base)->st[ST_COMMIT]);
}

static void sq_rollback(pnyx_store *base)
{
	sqlite_store *s = from_base(base);
	/* SQLite may already have rolled back by itself (after an I/O or
	 * out-of-memory error); a failed rollback leaves nothing to do. */
	if (!sqlite3_get_autocommit(s->db))
		(void)step_done(s->st[ST_ROLLBACK]);
}

/* ---- tree size ---- */

static pnyx_err sq_get_size(pnyx_store *base, uint64_t *size)
{
	sqlite3_stmt *st = from_base(base)->st[ST_GET_SIZE];
	int rc = sqlite3_step(st);
	pnyx_err err = PNYX_ERR_STORAGE;
	if (rc == SQLITE_DONE) {
		err = PNYX_ERR_CORRUPT;
	} else if (rc == SQLITE_ROW) {
		sqlite3_int64 v = sqlite3_column_int64(st, 0);
		err = PNYX_ERR_CORRUPT;
		if (sqlite3_column_type(st, 0) == SQLITE_INTEGER && v >= 0) {
			*size = (uint64_t)v;
			err = PNYX_OK;
		}
	}
	stmt_done(st);
	return err;
}

static pnyx_err sq_set_size(pnyx_store *base, uint64_t size)
{
	sqlite_store *s = from_base(base);
	sqlite3_stmt *st = s->st[ST_SET_SIZE];
	pnyx_err err = bind_u64(st, 1, size);
	if (err != PNYX_OK) {
		stmt_done(st);
		return err;
	}
	err = step_done(st);
	if (err == PNYX_OK && sqlite3_changes(s->db) != 1)
		err = PNYX_ERR_CORRUPT;
	return err;
}

/* ---- entries ---- */

static pnyx_err sq_put_entry(pnyx_store *base, uint64_t index,
			     const uint8_t *p, size_t n)
{
	sqlite3_stmt *st = from_base(base)->st[ST_PUT_ENTRY];
	pnyx_err err = bind_u64(st, 1, index);
	if (err == PNYX_OK)
		err = bind_blob(st, 2, p, n);
	if (err != PNYX_OK) {
		stmt_done(st);
		return err;
	}
	return step_done(st);
}

static pnyx_err sq_get_entry(pnyx_store *base, uint64_t index, pnyx_buf *out)
{
	sqlite3_stmt *st = from_base(base)->st[ST_GET_ENTRY];
	if (index > (uint64_t)INT64_MAX)
		return PNYX_ERR_NOT_FOUND;
	pnyx_err err = bind_u64(st, 1, index);
	if (err != PNYX_OK) {
		stmt_done(st);
		return err;
	}
	return query_blob(st, out);
}

/* Steps the scan statement (bound to [from, to)) and hands each row to fn;
 * the statement's implicit read transaction spans the whole scan. */
static pnyx_err scan_rows(sqlite3_stmt *st, uint64_t from, uint64_t to,
			  pnyx_entry_fn fn, void *ctx)
{
	uint64_t want = from;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 0) != (sqlite3_int64)want ||
		    sqlite3_column_type(st, 1) != SQLITE_BLOB)
			return PNYX_ERR_CORRUPT;
		const void *p = sqlite3_column_blob(st, 1);
		int n = sqlite3_column_bytes(st, 1);
		if (n < 0 || (p == NULL && n > 0))
			return PNYX_ERR_STORAGE; /* out of memory inside SQLite */
		pnyx_err err = fn(ctx, want, p, (size_t)n);
		if (err != PNYX_OK)
			return err;
		want++;
	}
	if (rc != SQLITE_DONE)
		return PNYX_ERR_STORAGE;
	return want == to ? PNYX_OK : PNYX_ERR_CORRUPT;
}

static pnyx_err sq_scan_entries(pnyx_store *base, uint64_t from, uint64_t to,
				pnyx_entry_fn fn, void *ctx)
{
	sqlite3_stmt *st = from_base(base)->st[ST_SCAN_ENTRIES];
	assert(fn != NULL);
	assert(!sqlite3_stmt_busy(st)); /* fn must not scan again */
	if (from >= to)
		return PNYX_OK;
	if (to > (uint64_t)INT64_MAX)
		return PNYX_ERR_CORRUPT; /* no such entry can be stored */
	pnyx_err err = bind_u64(st, 1, from);
	if (err == PNYX_OK)
		err = bind_u64(st, 2, to);
	if (err == PNYX_OK)
		err = scan_rows(st, from, to, fn, ctx);
	stmt_done(st);
	return err;
}

/* ---- subtree hashes ---- */

static pnyx_err sq_put_hash(pnyx_store *base, unsigned level, uint64_t index,
			    const pnyx_hash *h)
{
	sqlite3_stmt *st = from_base(base)->st[ST_PUT_HASH];
	pnyx_err err = bind_u64(st, 1, level);
	if (err == PNYX_OK)
		err = bind_u64(st, 2, index);
	if (err == PNYX_OK)
		err = bind_blob(st, 3, h->b, PNYX_HASH_LEN);
	if (err != PNYX_OK) {
		stmt_done(st);
		return err;
	}
	return step_done(st);
}

/* Reads rows (idx, hash) for idx in [index, index + count) into tmp, which
 * must end up holding exactly count consecutive hashes. */
static pnyx_err read_hash_rows(sqlite3_stmt *st, uint64_t index, size_t count,
			       pnyx_hash *tmp)
{
	size_t got = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (got == count ||
		    sqlite3_column_int64(st, 0) != (sqlite3_int64)(index + got) ||
		    sqlite3_column_type(st, 1) != SQLITE_BLOB ||
		    sqlite3_column_bytes(st, 1) != PNYX_HASH_LEN)
			return PNYX_ERR_CORRUPT;
		const void *p = sqlite3_column_blob(st, 1);
		if (p == NULL)
			return PNYX_ERR_STORAGE;
		memcpy(tmp[got].b, p, PNYX_HASH_LEN);
		got++;
	}
	if (rc != SQLITE_DONE)
		return PNYX_ERR_STORAGE;
	return got == count ? PNYX_OK : PNYX_ERR_CORRUPT;
}

static pnyx_err sq_get_hashes(pnyx_store *base, unsigned level, uint64_t index,
			      size_t count, pnyx_hash *out)
{
	sqlite3_stmt *st = from_base(base)->st[ST_GET_HASHES];
	if (count == 0)
		return PNYX_OK;
	if (index > (uint64_t)INT64_MAX ||
	    count > (uint64_t)INT64_MAX - index)
		return PNYX_ERR_CORRUPT; /* no such subtree can be stored */
	pnyx_hash stack[HASHES_ON_STACK];
	pnyx_hash *tmp = stack;
	if (count > HASHES_ON_STACK) {
		tmp = pnyx_calloc(count, sizeof *tmp);
		if (tmp == NULL)
			return PNYX_ERR_NOMEM;
	}
	pnyx_err err = bind_u64(st, 1, level);
	if (err == PNYX_OK)
		err = bind_u64(st, 2, index);
	if (err == PNYX_OK)
		err = bind_u64(st, 3, index + count);
	if (err == PNYX_OK)
		err = read_hash_rows(st, index, count, tmp);
	stmt_done(st);
	if (err == PNYX_OK)
		memcpy(out, tmp, count * sizeof *tmp);
	if (tmp != stack)
		pnyx_free(tmp);
	return err;
}

/* ---- checkpoints and metadata ---- */

static pnyx_err sq_put_checkpoint(pnyx_store *base, uint64_t size,
				  const uint8_t *note, size_t n)
{
	sqlite3_stmt *st = from_base(base)->st[ST_PUT_CHECKPOINT];
	pnyx_err err = bind_u64(st, 1, size);
	if (err == PNYX_OK)
		err = bind_blob(st, 2, note, n);
	if (err != PNYX_OK) {
		stmt_done(st);
		return err;
	}
	return step_done(st);
}

static pnyx_err sq_get_checkpoint(pnyx_store *base, pnyx_buf *out)
{
	return query_blob(from_base(base)->st[ST_GET_CHECKPOINT], out);
}

static pnyx_err sq_get_meta(pnyx_store *base, const char *key, pnyx_buf *out)
{
	sqlite3_stmt *st = from_base(base)->st[ST_GET_META];
	if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK) {
		stmt_done(st);
		return PNYX_ERR_STORAGE;
	}
	return query_blob(st, out);
}

static pnyx_err sq_put_meta(pnyx_store *base, const char *key,
			    const uint8_t *v, size_t n)
{
	sqlite3_stmt *st = from_base(base)->st[ST_PUT_META];
	pnyx_err err = PNYX_OK;
	if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK)
		err = PNYX_ERR_STORAGE;
	if (err == PNYX_OK)
		err = bind_blob(st, 2, v, n);
	if (err != PNYX_OK) {
		stmt_done(st);
		return err;
	}
	return step_done(st);
}

/* ---- opening and closing ---- */

static void store_free(sqlite_store *s)
{
	for (int i = 0; i < ST__COUNT; i++)
		(void)sqlite3_finalize(s->st[i]);
	(void)sqlite3_close(s->db); /* rolls back an open transaction */
	pnyx_free(s);
}

static void sq_close(pnyx_store *base)
{
	store_free(from_base(base));
}

static const struct pnyx_store_ops sqlite_ops = {
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.get_size = sq_get_size,
	.set_size = sq_set_size,
	.put_entry = sq_put_entry,
	.get_entry = sq_get_entry,
	.scan_entries = sq_scan_entries,
	.put_hash = sq_put_hash,
	.get_hashes = sq_get_hashes,
	.put_checkpoint = sq_put_checkpoint,
	.get_checkpoint = sq_get_checkpoint,
	.get_meta = sq_get_meta,
	.put_meta = sq_put_meta,
	.close = sq_close,
};

static pnyx_err sqlite_fail(sqlite_store *s, pnyx_diag *diag, const char *what)
{
	int code = s->db != NULL ? sqlite3_errcode(s->db) : SQLITE_NOMEM;
	pnyx_err err = (code & 0xff) == SQLITE_NOTADB ? PNYX_ERR_CORRUPT
						      : PNYX_ERR_STORAGE;
	return pnyx_diag_set(diag, err, "%s: %s", what,
			     s->db != NULL ? sqlite3_errmsg(s->db)
					   : "out of memory");
}

/* Runs a PRAGMA that returns one value as text into val (size n). */
static pnyx_err pragma_text(sqlite_store *s, const char *sql, char *val,
			    size_t n, pnyx_diag *diag)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return sqlite_fail(s, diag, sql);
	pnyx_err err = PNYX_OK;
	if (sqlite3_step(st) != SQLITE_ROW) {
		err = sqlite_fail(s, diag, sql);
	} else {
		const unsigned char *t = sqlite3_column_text(st, 0);
		size_t len = t != NULL ? strlen((const char *)t) : 0;
		if (t == NULL || len >= n)
			err = pnyx_diag_set(diag, PNYX_ERR_STORAGE,
					    "%s: no usable value", sql);
		else
			memcpy(val, t, len + 1);
	}
	(void)sqlite3_finalize(st);
	return err;
}

/* Sets the connection up: WAL, synchronous=FULL. */
static pnyx_err setup_connection(sqlite_store *s, pnyx_diag *diag)
{
	char mode[16];
	pnyx_err err = pragma_text(s, "PRAGMA journal_mode = WAL", mode,
				   sizeof mode, diag);
	if (err != PNYX_OK)
		return err;
	if (strcmp(mode, "wal") != 0)
		return pnyx_diag_set(diag, PNYX_ERR_STORAGE,
				     "the file system does not support WAL");
	if (sqlite3_exec(s->db, "PRAGMA synchronous = FULL", NULL, NULL,
			 NULL) != SQLITE_OK)
		return sqlite_fail(s, diag, "PRAGMA synchronous");
	return PNYX_OK;
}

/* Refuses a file that is not a Pnyx store of a schema this build reads
 * (SQLite prints both pragmas as canonical decimals). */
static pnyx_err check_identity(sqlite_store *s, pnyx_diag *diag)
{
	char val[32];
	pnyx_err err = pragma_text(s, "PRAGMA application_id", val,
				   sizeof val, diag);
	if (err != PNYX_OK)
		return err;
	if (strcmp(val, PNYX_APP_ID_TEXT) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_CORRUPT,
				     "not a Pnyx store (application id %s)",
				     val);
	err = pragma_text(s, "PRAGMA user_version", val, sizeof val, diag);
	if (err != PNYX_OK)
		return err;
	uint64_t version = 0;
	if (pnyx_parse_u64((const uint8_t *)val, strlen(val), &version) !=
		    PNYX_OK ||
	    version != STORE_SCHEMA)
		return pnyx_diag_set(diag, PNYX_ERR_CORRUPT,
				     "schema version %s (this build reads %d)",
				     val, STORE_SCHEMA);
	return PNYX_OK;
}

static pnyx_err prepare_all(sqlite_store *s, pnyx_diag *diag)
{
	for (int i = 0; i < ST__COUNT; i++) {
		int rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1,
					    SQLITE_PREPARE_PERSISTENT,
					    &s->st[i], NULL);
		if (rc == SQLITE_ERROR)
			return pnyx_diag_set(diag, PNYX_ERR_CORRUPT,
					     "not a Pnyx store: %s",
					     sqlite3_errmsg(s->db));
		if (rc != SQLITE_OK)
			return sqlite_fail(s, diag, "prepare");
	}
	return PNYX_OK;
}

static pnyx_err db_connect(sqlite_store *s, const char *path, pnyx_diag *diag)
{
	int rc = sqlite3_open_v2(path, &s->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK)
		return sqlite_fail(s, diag, "open");
	(void)sqlite3_extended_result_codes(s->db, 1);
	/* another process may hold the write lock for a moment */
	if (sqlite3_busy_timeout(s->db, STORE_BUSY_MS) != SQLITE_OK)
		return sqlite_fail(s, diag, "busy timeout");
	return PNYX_OK;
}

static pnyx_err open_existing(sqlite_store *s, const char *path,
			      pnyx_diag *diag)
{
	pnyx_err err = db_connect(s, path, diag);
	if (err == PNYX_OK)
		err = check_identity(s, diag);
	if (err == PNYX_OK)
		err = setup_connection(s, diag);
	if (err == PNYX_OK)
		err = prepare_all(s, diag);
	return err;
}

static pnyx_err create_new(sqlite_store *s, const char *path, pnyx_diag *diag)
{
	pnyx_err err = db_connect(s, path, diag);
	if (err == PNYX_OK)
		err = setup_connection(s, diag);
	if (err == PNYX_OK &&
	    sqlite3_exec(s->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
		err = sqlite_fail(s, diag, "creating the schema");
	if (err == PNYX_OK)
		err = prepare_all(s, diag);
	return err;
}

/* Path of a file beside the database (its -wal or -shm), in buf. */
static bool side_path(const char *path, const char *suffix, char *buf,
		      size_t n)
{
	size_t a = strlen(path), b = strlen(suffix);
	if (a + b >= n)
		return false;
	memcpy(buf, path, a);
	memcpy(buf + a, suffix, b + 1);
	return true;
}

/* Creates the empty database file, refusing an existing one (or a stale
 * write-ahead log SQLite would replay into the new file). */
static pnyx_err create_file(const char *path, pnyx_diag *diag)
{
	char wal[PATH_MAX];
	struct stat sb;
	if (!side_path(path, "-wal", wal, sizeof wal))
		return pnyx_diag_set(diag, PNYX_ERR_STORAGE, "path too long");
	if (stat(wal, &sb) == 0)
		return pnyx_diag_set(diag, PNYX_ERR_EXISTS,
				     "%s-wal exists", path);
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return pnyx_diag_set(diag,
				     errno == EEXIST ? PNYX_ERR_EXISTS
						     : PNYX_ERR_STORAGE,
				     "%s: %s", path, strerror(errno));
	(void)close(fd);
	return PNYX_OK;
}

static void remove_files(const char *path)
{
	char side[PATH_MAX];
	(void)unlink(path);
	if (side_path(path, "-wal", side, sizeof side))
		(void)unlink(side);
	if (side_path(path, "-shm", side, sizeof side))
		(void)unlink(side);
}

pnyx_err pnyx_store_sqlite_open(const char *path, pnyx_store_mode mode,
				pnyx_store **out, pnyx_diag *diag)
{
	assert(path != NULL && out != NULL);
	assert(mode == PNYX_STORE_OPEN || mode == PNYX_STORE_CREATE);
	struct stat sb;
	if (mode == PNYX_STORE_OPEN && stat(path, &sb) != 0)
		return pnyx_diag_set(diag,
				     errno == ENOENT ? PNYX_ERR_NOT_FOUND
						     : PNYX_ERR_STORAGE,
				     "%s: %s", path, strerror(errno));
	if (mode == PNYX_STORE_CREATE) {
		pnyx_err err = create_file(path, diag);
		if (err != PNYX_OK)
			return err;
	}
	sqlite_store *s = pnyx_calloc(1, sizeof *s);
	pnyx_err err = PNYX_ERR_NOMEM;
	if (s == NULL) {
		(void)pnyx_diag_set(diag, err, "out of memory");
	} else {
		s->base.ops = &sqlite_ops;
		err = mode == PNYX_STORE_OPEN ? open_existing(s, path, diag)
					      : create_new(s, path, diag);
	}
	if (err != PNYX_OK) {
		if (s != NULL)
			store_free(s);
		if (mode == PNYX_STORE_CREATE)
			remove_files(path);
		return err;
	}
	*out = &s->base;
	return PNYX_OK;
}
