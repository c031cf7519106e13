/* json-input.h — parsing a whole JSON trace with json-glib, with the checks
 * json-glib leaves to its callers (nesting depth, NUL bytes) and parse
 * errors turned into byte offsets. */
#pragma once

#include <json-glib/json-glib.h>
#include "reader.h"

G_BEGIN_DECLS

/* Deepest nesting accepted; json-glib recurses once per level. */
#define PYRO_JSON_MAX_DEPTH 512

/* Parses the file of @ctx; returns the parser holding the root, or NULL with
 * @error naming the byte offset.  @what names the format in messages. */
JsonParser *pyro_json_parse (const PyroLoadContext *ctx, const char *what, GError **error);

/* Offset of the first non-space byte of @data, or @length. */
gsize pyro_json_skip_space (const guint8 *data, gsize length);

/* Sets @error to "PATH: at WHERE: MESSAGE" for content that parsed as JSON
 * but is not what the format expects; json-glib keeps no byte offsets, so
 * @where names the JSON path instead ("profiles[2].samples[7]"). */
void pyro_json_set_error (GError **error, const PyroLoadContext *ctx, const char *where,
                          const char *format, ...) G_GNUC_PRINTF (4, 5);

/* A number member of @object (integer or double) in @out; FALSE when absent
 * or of another type. */
gboolean pyro_json_get_number (JsonObject *object, const char *member, double *out);
/* A number element (integer or double); FALSE when of another type. */
gboolean pyro_json_node_number (JsonNode *node, double *out);
/* A string member, or NULL when absent or not a string. */
const char *pyro_json_get_string (JsonObject *object, const char *member);

/* Appends @str to @out as a JSON string literal (with quotes). */
void pyro_json_append_string (GString *out, const char *str);

G_END_DECLS
