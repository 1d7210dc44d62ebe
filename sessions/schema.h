/* schema.h: the session schema, its versions and migrations.
 *
 * Version 1 is the schema below (see man/hepscope-session.5).  A later
 * version is reached by migration steps, each taking a file from version N
 * to N + 1; a new file is made by the version 1 statements followed by
 * every step, so that a migrated file and a new one hold the same schema
 * text.  That is what the check compares: the objects in sqlite_schema of
 * a file of version N must be exactly those of a new file of version N.
 */
#ifndef HS_SCHEMA_H
#define HS_SCHEMA_H

#include <sqlite3.h>

#include "err.h"

/* Make an empty database (application_id set, no tables) a session of the
 * current version: tables, user_version, meta rows.  Runs inside the
 * caller's write transaction. */
int hs_schema_create(sqlite3 *db, const char *path, struct hs_err *err);

/* Check a session file opened on db (read-only is enough): our
 * application_id, a schema version this build reads, and exactly the
 * objects that version has.  *version gets the file's schema version; 0
 * means a file that has our application_id and no objects at all (its
 * creation was interrupted: the caller may create the schema).
 * HS_ESESSION with a message naming path otherwise. */
int hs_schema_check(sqlite3 *db, const char *path, int *version, struct hs_err *err);

/* Bring a session of an older version to the current one.  Runs inside
 * the caller's write transaction. */
int hs_schema_migrate(sqlite3 *db, const char *path, int from, struct hs_err *err);

#endif
