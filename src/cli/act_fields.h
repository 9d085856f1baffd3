/*
 * pnyx act: an action's fields from the command line. The fields each type
 * takes come from the engine's own tables (pnyx/action_fields.h); this
 * module turns "--NAME VALUE" arguments into the JSON value of each field,
 * and prints the help of each type.
 */
#ifndef PNYX_CLI_ACT_FIELDS_H
#define PNYX_CLI_ACT_FIELDS_H

#include "pnyx/action_fields.h"

#include <jansson.h>
#include <stdio.h>

/* How a value of the command line becomes a field; printed by
 * 'pnyx act --help'. */
extern const char act_values_help[];

/* Builds the fields of an action of type t from argv[0..argc-1] (the
 * arguments after the type): "--NAME VALUE", "--NAME=VALUE",
 * "--NAME.KEY VALUE" and "--json FILE". lang is the language of texts given
 * without one; now_ms the time relative deadlines ("+72h") count from.
 * Returns CLI_EXIT_OK and *out (a new JSON object holding only the type's
 * fields), or prints the reason and returns CLI_EXIT_USAGE (a wrong
 * argument) or CLI_EXIT_FAIL (a file cannot be read). */
int act_fields_build(const pnyx_action_type_info *t, int argc, char **argv,
		     const char *lang, uint64_t now_ms, json_t **out);

/* Prints the help of the type t to f. */
void act_fields_help(const pnyx_action_type_info *t, FILE *f);

/* Prints every action type with who may take it, one per line. */
void act_types_list(FILE *f);

#endif
