#include "json-input.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

gsize
pyro_json_skip_space (const guint8 *data, gsize length)
{
  gsize i = 0;
  while (i < length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
    i++;
  return i;
}

/* Returns the offset where nesting first exceeds the limit, or a NUL byte
 * occurs, or @length when neither happens. */
static gsize
check_structure (const guint8 *data, gsize length, gboolean *nul)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  *nul = FALSE;
  for (gsize i = 0; i < length; i++)
    {
      guint8 c = data[i];
      if (c == '\0')
        {
          *nul = TRUE;
          return i;
        }
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > PYRO_JSON_MAX_DEPTH)
            return i;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return length;
}

/* json-glib reports "<data>:LINE:COL: Parse error: ..."; find the byte. */
static gsize
offset_of_message (const guint8 *data, gsize length, const char *message, const char **rest)
{
  unsigned line = 0, col = 0;
  int consumed = 0;
  *rest = message;
  const char *at = strstr (message, ">:");
  if (at == NULL || sscanf (at + 2, "%u:%u: %n", &line, &col, &consumed) < 2 || consumed == 0)
    return 0;
  *rest = at + 2 + consumed;
  if (g_str_has_prefix (*rest, "Parse error: "))
    *rest += strlen ("Parse error: ");
  gsize pos = 0;
  for (unsigned l = 1; l < line && pos < length; l++)
    {
      const guint8 *nl = memchr (data + pos, '\n', length - pos);
      if (nl == NULL)
        return length;
      pos = (gsize) (nl - data) + 1;
    }
  return MIN (pos + (col > 0 ? col - 1 : 0), length);
}

JsonParser *
pyro_json_parse (const PyroLoadContext *ctx, const char *what, GError **error)
{
  gboolean nul;
  gsize bad = check_structure (ctx->data, ctx->length, &nul);
  if (bad < ctx->length)
    {
      if (nul)
        pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx, bad,
                               _("expected %s text, found a NUL byte"), what);
      else
        pyro_format_set_error (error, PYRO_FORMAT_ERROR_UNSUPPORTED, ctx, bad,
                               _("%s nests deeper than %d levels here; Pyrometer stops at that depth"),
                               what, PYRO_JSON_MAX_DEPTH);
      return NULL;
    }
  if (!g_utf8_validate ((const char *) ctx->data, (gssize) ctx->length, NULL))
    {
      const char *end;
      g_utf8_validate ((const char *) ctx->data, (gssize) ctx->length, &end);
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx,
                             (gsize) (end - (const char *) ctx->data),
                             _("expected UTF-8 %s text, found an invalid byte sequence"), what);
      return NULL;
    }

  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  if (!json_parser_load_from_data (parser, (const char *) ctx->data, (gssize) ctx->length, &local))
    {
      const char *rest;
      gsize offset = offset_of_message (ctx->data, ctx->length, local->message, &rest);
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx, offset,
                             _("not valid %s JSON: %s"), what, rest);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_EMPTY, ctx, 0,
                             _("expected a %s JSON document, found no value"), what);
      return NULL;
    }
  return g_steal_pointer (&parser);
}

void
pyro_json_append_string (GString *out, const char *str)
{
  g_string_append_c (out, '"');
  for (const guchar *c = (const guchar *) str; *c != '\0'; c++)
    {
      switch (*c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*c < 0x20)
            g_string_append_printf (out, "\\u%04x", *c);
          else
            g_string_append_c (out, (char) *c);
        }
    }
  g_string_append_c (out, '"');
}

void
pyro_json_set_error (GError **error, const PyroLoadContext *ctx, const char *where,
                     const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PYRO_FORMAT_ERROR, PYRO_FORMAT_ERROR_INVALID, _("%s: at %s: %s"),
               ctx->path, where, message);
}

gboolean
pyro_json_node_number (JsonNode *node, double *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  GType type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;
  return isfinite (*out);
}

gboolean
pyro_json_get_number (JsonObject *object, const char *member, double *out)
{
  return pyro_json_node_number (json_object_get_member (object, member), out);
}

const char *
pyro_json_get_string (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}
