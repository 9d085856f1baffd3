/*
 * The web page's static files (web/ in the source tree, or the web-dir
 * setting): GET / answers web/index.html, GET /web/<path> answers the file
 * <path> below the root (docs/WEB.md, docs/API.md).
 *
 * What is served, and nothing else: a regular file, found under the root
 * after every symbolic link is resolved, whose path is made of segments of
 * ASCII letters, digits, '-', '_' and '.', none empty and none starting
 * with '.' (so no "..", no hidden files, no backslash, no NUL: the request
 * target's percent-escapes are decoded before the check), whose name ends
 * in one of the extensions of the media type table, and which is at most
 * SRV_STATIC_FILE_MAX bytes. No directory is ever listed. Answers carry a
 * strong ETag (route.c) and "Cache-Control: no-cache", so a browser
 * revalidates and gets 304 when nothing changed.
 */
#ifndef PNYX_SERVER_STATIC_FILES_H
#define PNYX_SERVER_STATIC_FILES_H

#include "http.h"

/* Largest file served. */
#define SRV_STATIC_FILE_MAX (1024u * 1024u)
/* Longest path below the root, and most segments in it. */
#define SRV_STATIC_PATH_MAX 256
#define SRV_STATIC_DEPTH_MAX 8

/* True if rel (a decoded path below the root, without a leading '/') has
 * the shape described above; says nothing of whether the file exists. */
bool srv_static_path_ok(const char *rel);

/* The media type served for a file name, by its extension (e.g.
 * "text/javascript; charset=utf-8" for ".js"); NULL if the extension is
 * not in the table (such files are never served). */
const char *srv_static_media_type(const char *name);

/* Answers resp with the file rel below root (an absolute, resolved
 * directory path; NULL when the server has no web page): 200 with the
 * file, or a problem document: 404 not-found for a refused path, a
 * missing file, a directory or any other non-regular file, 413 too-large
 * past SRV_STATIC_FILE_MAX, 500 io if it cannot be read. */
void srv_static_answer(const char *root, const char *rel,
		       struct srv_response *resp);

/* Handlers named in the routing table: "/" (index.html) and "/web/..."
 * (the rest of the path). Both read the root from req->app->web_root. */
void srv_h_web_index(const struct srv_request *req, struct srv_response *resp);
void srv_h_web_file(const struct srv_request *req, struct srv_response *resp);

#endif
