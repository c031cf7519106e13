#define _GNU_SOURCE
#include "lprof.h"
#include "pickle.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

typedef struct {
  const char *file;
  guint32 first_line;
  const char *name;
  guint32 line;
  guint64 hits;
  double seconds;
} LprofLine;

/* Called once per function (@function_start) and then once per timed line. */
typedef void (*LineFunc) (const LprofLine *line, gboolean function_start, gpointer user_data);

static const char *const lprof_extensions[] = { "lprof", NULL };

static gboolean
bad (const PyroLoadContext *ctx, const PyroPickleValue *at, GError **error, const char *expected)
{
  pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx, at != NULL ? at->offset : 0,
                         _("expected %s"), _(expected));
  return FALSE;
}

static gboolean
whole_number (const PyroPickleValue *v, double max, double *out)
{
  return pyro_pickle_number (v, out) && *out >= 0 && *out <= max && *out == (double) (guint64) *out;
}

/* Walks the timings of a parsed LineStats, checking every shape. */
static gboolean
walk_timings (const PyroLoadContext *ctx, PyroPickle *pickle, LineFunc func, gpointer user_data,
              GError **error)
{
  PyroPickleValue *root = pyro_pickle_root (pickle);
  PyroPickleValue *state = root->type == PYRO_PICKLE_OBJECT ? root->state : root;
  PyroPickleValue *timings = pyro_pickle_dict_get (state, "timings");
  double unit;
  if (timings == NULL || timings->type != PYRO_PICKLE_DICT
      || !pyro_pickle_number (pyro_pickle_dict_get (state, "unit"), &unit) || !(unit > 0)
      || !isfinite (unit))
    return bad (ctx, state ? state : root, error,
                N_("a line_profiler LineStats holding {'timings': {...}, 'unit': seconds}"));

  for (guint i = 0; i < pyro_pickle_len (timings); i++)
    {
      PyroPickleValue *key = pyro_pickle_item (timings, 2 * i);
      PyroPickleValue *lines = pyro_pickle_item (timings, 2 * i + 1);
      PyroPickleValue *file = pyro_pickle_item (key, 0), *name = pyro_pickle_item (key, 2);
      double first_line;
      if (key->type != PYRO_PICKLE_TUPLE || pyro_pickle_len (key) != 3
          || file->type != PYRO_PICKLE_STRING || name->type != PYRO_PICKLE_STRING
          || !whole_number (pyro_pickle_item (key, 1), G_MAXUINT32, &first_line))
        return bad (ctx, key, error, N_("a timings key (filename, first line, function name)"));
      if (lines->type != PYRO_PICKLE_LIST && lines->type != PYRO_PICKLE_TUPLE)
        return bad (ctx, lines, error, N_("a list of (line, hits, time) for each function"));

      LprofLine entry = { file->text, (guint32) first_line, name->text, 0, 0, 0 };
      func (&entry, TRUE, user_data);
      for (guint k = 0; k < pyro_pickle_len (lines); k++)
        {
          PyroPickleValue *t = pyro_pickle_item (lines, k);
          double line, hits, time;
          if (t->type != PYRO_PICKLE_TUPLE || pyro_pickle_len (t) != 3
              || !whole_number (pyro_pickle_item (t, 0), G_MAXUINT32, &line)
              || !whole_number (pyro_pickle_item (t, 1), 1e18, &hits)
              || !pyro_pickle_number (pyro_pickle_item (t, 2), &time) || !(time >= 0)
              || !isfinite (time * unit))
            return bad (ctx, t, error, N_("a (line, hits, time) tuple of non-negative numbers"));
          entry.line = (guint32) line;
          entry.hits = (guint64) hits;
          entry.seconds = time * unit;
          func (&entry, FALSE, user_data);
        }
    }
  return TRUE;
}

typedef struct {
  PyroProfile *profile;
  guint32 thread;
  guint32 func;
  gboolean have_stats;
  PyroFuncStats stats;
  guint32 lowest_line;
  char *dir;              /* of the .lprof file, for relative sources */
  GHashTable *missing;    /* source paths already warned about */
} LoadState;

static void
flush_stats (LoadState *s)
{
  if (s->have_stats)
    pyro_profile_add_func_stats (s->profile, &s->stats);
  s->have_stats = FALSE;
}

static void
check_source (LoadState *s, const char *file)
{
  if (g_hash_table_contains (s->missing, file))
    return;
  g_autofree char *beside = g_build_filename (s->dir, file, NULL);
  if (g_file_test (file, G_FILE_TEST_IS_REGULAR)
      || (!g_path_is_absolute (file) && g_file_test (beside, G_FILE_TEST_IS_REGULAR)))
    return;
  g_hash_table_add (s->missing, g_strdup (file));
  pyro_profile_add_warning (s->profile,
                            _("%s: source file not found; line_profiler files hold no source, "
                              "so its lines are shown by number"), file);
}

static void
load_line (const LprofLine *line, gboolean function_start, gpointer user_data)
{
  LoadState *s = user_data;
  PyroProfile *p = s->profile;
  if (function_start)
    {
      flush_stats (s);
      s->func = pyro_profile_add_func (p, pyro_profile_intern (p, line->name),
                                       pyro_profile_intern (p, line->file), line->first_line, 0,
                                       PYRO_FUNC_PYTHON);
      check_source (s, line->file);
      s->lowest_line = G_MAXUINT32;
      return;
    }
  if (!s->have_stats)
    s->stats = (PyroFuncStats) { .func = s->func };
  s->have_stats = TRUE;
  /* A function's first timed line runs once per call (its later lines may
   * loop), so its hits count the calls. */
  if (line->line < s->lowest_line)
    {
      s->lowest_line = line->line;
      s->stats.total_calls = s->stats.prim_calls = (double) line->hits;
    }
  s->stats.self_time += line->seconds;
  s->stats.cum_time += line->seconds;
  guint32 frame = pyro_profile_add_frame (p, s->func, line->line, 0);
  guint32 stack = pyro_profile_add_stack (p, PYRO_NONE, frame);
  pyro_profile_add_sample (p, 0, stack, s->thread, line->seconds);
}

static PyroProfile *
lprof_load (const PyroLoadContext *ctx, GError **error)
{
  g_autoptr (PyroPickle) pickle = pyro_pickle_parse (ctx, error);
  if (pickle == NULL)
    return NULL;
  g_autoptr (PyroProfile) profile = pyro_profile_new ("lprof");
  g_autofree char *dir = g_path_get_dirname (ctx->path);
  g_autoptr (GHashTable) missing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  LoadState s = {
    .profile = profile,
    .thread = pyro_profile_add_thread (profile, 0, 0, "main", NULL),
    .dir = dir,
    .missing = missing,
  };
  if (!walk_timings (ctx, pickle, load_line, &s, error))
    return NULL;
  flush_stats (&s);
  if (pyro_profile_n_funcs (profile) == 0)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_EMPTY, ctx, ctx->length,
                             _("expected timings of at least one function; was kernprof run "
                               "with -l and a function decorated with @profile?"));
      return NULL;
    }
  profile->meta.unit = PYRO_UNIT_SECONDS;
  profile->meta.has_time = FALSE;
  return g_steal_pointer (&profile);
}

typedef struct {
  GHashTable *hits;   /* "file\nfirst\nname\nline" -> guint64* */
} HitsState;

static char *
line_key (const char *file, guint32 first_line, const char *name, guint32 line)
{
  return g_strdup_printf ("%s\n%u\n%s\n%u", file, first_line, name, line);
}

static void
hits_line (const LprofLine *line, gboolean function_start, gpointer user_data)
{
  HitsState *s = user_data;
  if (function_start)
    return;
  guint64 *hits = g_new (guint64, 1);
  *hits = line->hits;
  g_hash_table_replace (s->hits, line_key (line->file, line->first_line, line->name, line->line), hits);
}

GArray *
pyro_lprof_read_line_hits (const char *path, PyroProfile *profile, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GMappedFile) mapped = g_mapped_file_new (path, FALSE, &local);
  if (mapped == NULL)
    {
      g_set_error (error, G_FILE_ERROR, local->code, "%s", local->message);
      return NULL;
    }
  PyroLoadContext ctx = {
    .path = path,
    .data = (const guint8 *) g_mapped_file_get_contents (mapped),
    .length = g_mapped_file_get_length (mapped),
  };
  g_autoptr (PyroPickle) pickle = pyro_pickle_parse (&ctx, error);
  if (pickle == NULL)
    return NULL;
  g_autoptr (GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  HitsState s = { .hits = table };
  if (!walk_timings (&ctx, pickle, hits_line, &s, error))
    return NULL;

  GArray *result = g_array_new (FALSE, TRUE, sizeof (guint64));
  g_array_set_size (result, pyro_profile_n_frames (profile));
  for (guint fr = 0; fr < pyro_profile_n_frames (profile); fr++)
    {
      guint32 func = PYRO_COL (profile->frame_func, guint32, fr);
      g_autofree char *key = line_key (pyro_profile_func_file (profile, func),
                                       pyro_profile_func_line (profile, func),
                                       pyro_profile_func_name (profile, func),
                                       PYRO_COL (profile->frame_line, guint32, fr));
      const guint64 *hits = g_hash_table_lookup (table, key);
      if (hits != NULL)
        g_array_index (result, guint64, fr) = *hits;
    }
  return result;
}

/* Pickle protocol 2+ starts with PROTO; a LineStats names its class. */
static PyroSniff
lprof_sniff (const guint8 *data, gsize length, const char *basename)
{
  if (length < 2 || data[0] != 0x80 || data[1] < 2 || data[1] > 5)
    return PYRO_SNIFF_NO;
  if (memmem (data, MIN (length, 256), "LineStats", 9) != NULL)
    return PYRO_SNIFF_MAGIC;
  return g_str_has_suffix (basename, ".lprof") ? PYRO_SNIFF_CONTENT : PYRO_SNIFF_NO;
}

const PyroFormatReader pyro_lprof_reader = {
  .id = "lprof",
  .name = "line_profiler",
  .extensions = lprof_extensions,
  .mime_type = "application/x-line-profiler",
  .sniff = lprof_sniff,
  .load = lprof_load,
};
