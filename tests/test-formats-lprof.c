/* The data-only pickle subset and the line_profiler (.lprof) reader. */
#include "formats/pickle.h"
#include "formats/lprof.h"
#include "fixtures.h"

#include <math.h>
#include <string.h>

/* Writes the pickle that the Python expression @expr makes with @protocol. */
static char *
python_pickle (const char *basename, const char *expr, int protocol)
{
  g_autofree char *path = fixture_temp_path (basename);
  g_autofree char *code = g_strdup_printf ("import pickle, sys\n"
                                           "open(sys.argv[1], 'wb').write(pickle.dumps(%s, protocol=%d))\n",
                                           expr, protocol);
  const char *argv[] = { "python3", "-c", code, path, NULL };
  if (!fixture_run (NULL, argv, NULL))
    return NULL;
  return g_steal_pointer (&path);
}

static PyroPickle *
parse_file (const char *path, GMappedFile **mapped, GError **error)
{
  *mapped = g_mapped_file_new (path, FALSE, error);
  g_assert_nonnull (*mapped);
  PyroLoadContext ctx = {
    .path = path,
    .data = (const guint8 *) g_mapped_file_get_contents (*mapped),
    .length = g_mapped_file_get_length (*mapped),
  };
  return pyro_pickle_parse (&ctx, error);
}

static void
test_pickle_values (void)
{
  for (int protocol = 1; protocol <= 5; protocol++)
    {
      g_autofree char *path = python_pickle ("values.pickle",
        "{'ints': [0, 1, -1, 255, 256, 65535, 65536, -2**31, 2**31, 2**63 - 1, -2**63, 2**70],"
        " 'floats': (0.5, -1e-9, 1e300), 'text': 'h\\u00e9llo', 'bytes': b'\\x00\\x01',"
        " 'flags': [True, False, None], 'nested': [[[1]], ()], 'shared': [[7]] * 2}", protocol);
      if (path == NULL)
        return;
      g_autoptr (GMappedFile) mapped = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (PyroPickle) pickle = parse_file (path, &mapped, &error);
      g_assert_no_error (error);
      PyroPickleValue *root = pyro_pickle_root (pickle);
      g_assert_cmpint (root->type, ==, PYRO_PICKLE_DICT);

      PyroPickleValue *ints = pyro_pickle_dict_get (root, "ints");
      static const gint64 expect[] = { 0, 1, -1, 255, 256, 65535, 65536, -G_GINT64_CONSTANT (2147483648),
                                       G_GINT64_CONSTANT (2147483648), G_MAXINT64, G_MININT64 };
      g_assert_cmpuint (pyro_pickle_len (ints), ==, G_N_ELEMENTS (expect) + 1);
      for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
        {
          g_assert_cmpint (pyro_pickle_item (ints, i)->type, ==, PYRO_PICKLE_INT);
          g_assert_cmpint (pyro_pickle_item (ints, i)->integer, ==, expect[i]);
        }
      double big;
      g_assert_true (pyro_pickle_number (pyro_pickle_item (ints, G_N_ELEMENTS (expect)), &big));
      g_assert_cmpfloat (big, ==, ldexp (1, 70));

      PyroPickleValue *floats = pyro_pickle_dict_get (root, "floats");
      g_assert_cmpint (floats->type, ==, PYRO_PICKLE_TUPLE);
      g_assert_cmpfloat (pyro_pickle_item (floats, 1)->number, ==, -1e-9);
      g_assert_cmpfloat (pyro_pickle_item (floats, 2)->number, ==, 1e300);
      g_assert_cmpstr (pyro_pickle_dict_get (root, "text")->text, ==, "h\xc3\xa9llo");
      /* protocols 1 and 2 have no bytes opcodes: Python writes a call of
       * _codecs.encode, which stays an object here */
      PyroPickleValue *bytes = pyro_pickle_dict_get (root, "bytes");
      g_assert_cmpint (bytes->type, ==, protocol >= 3 ? PYRO_PICKLE_BYTES : PYRO_PICKLE_OBJECT);
      if (protocol >= 3)
        g_assert_cmpmem (bytes->text, bytes->length, "\0\1", 2);
      else
        g_assert_cmpstr (bytes->cls->text, ==, "_codecs.encode");
      PyroPickleValue *flags = pyro_pickle_dict_get (root, "flags");
      g_assert_cmpint (pyro_pickle_item (flags, 0)->type, ==, PYRO_PICKLE_BOOL);
      g_assert_cmpint (pyro_pickle_item (flags, 0)->integer, ==, 1);
      g_assert_cmpint (pyro_pickle_item (flags, 2)->type, ==, PYRO_PICKLE_NONE);
      PyroPickleValue *nested = pyro_pickle_dict_get (root, "nested");
      g_assert_cmpint (pyro_pickle_item (pyro_pickle_item (pyro_pickle_item (nested, 0), 0), 0)->integer, ==, 1);
      /* the memo shares one object between both places */
      PyroPickleValue *shared = pyro_pickle_dict_get (root, "shared");
      g_assert_true (pyro_pickle_item (shared, 0) == pyro_pickle_item (shared, 1));
    }
}

/* A pickle that would run a command when unpickled by Python is only read. */
static void
test_pickle_never_executes (void)
{
  g_autofree char *marker = fixture_temp_path ("executed");
  g_autofree char *expr = g_strdup_printf (
    "type('Evil', (), {'__reduce__': lambda self: (__import__('os').system, ('touch %s',))})()", marker);
  g_autofree char *path = python_pickle ("evil.lprof", expr, 4);
  if (path == NULL)
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  g_assert_null (p);
  g_assert_nonnull (strstr (error->message, "expected a line_profiler LineStats"));
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
}

/* The literal's own length, embedded NULs included. */
#define EXPECT_ERROR(name, literal, fragment) fixture_expect_error (name, literal, sizeof (literal) - 1, fragment)

static void
test_pickle_bad (void)
{
  EXPECT_ERROR ("a.lprof", "\x80\x04}\x94(\x8c\x05tim", "byte 5: the pickle opcode 0x8c needs 5 more bytes, but the file ends after 3");
  EXPECT_ERROR ("b.lprof", "\x80\x04}\x94", "byte 4: the pickle ends without its STOP");
  EXPECT_ERROR ("c.lprof", "\x80\x04h\x07.", "byte 2: the pickle refers to memo entry 7");
  EXPECT_ERROR ("d.lprof", "\x80\x04" "a.", "byte 2: the pickle opcode 0x61 needs a value");
  EXPECT_ERROR ("e.lprof", "\x80\x04}" "e.", "needs a MARK before it");
  EXPECT_ERROR ("f.lprof", "\x80\x04" "K\x01K\x02s.", "needs a value");
  EXPECT_ERROR ("g.lprof", "\x80\x04" "P.", "unsupported pickle opcode 0x50 ('P')");
  EXPECT_ERROR ("h.lprof", "\x80\x09.", "protocol 9");
  EXPECT_ERROR ("i.lprof", "\x80\x04]K\x01K\x02s.", "not a dict");
  EXPECT_ERROR ("j.lprof", "\x80\x04N.", "expected a line_profiler LineStats");
  g_autoptr (GString) marks = g_string_new ("\x80\x04");
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (marks, '(');
  fixture_expect_error ("k.lprof", marks->str, marks->len, "nests MARKs deeper than 256");
  /* a LONG4 claiming more bytes than the file holds */
  EXPECT_ERROR ("l.lprof", "\x80\x04\x8b\xff\xff\xff\x7f" "abc", "needs 2147483647 more bytes");
}

static void
test_lprof_plain (void)
{
  for (int protocol = 1; protocol <= 5; protocol++)
    {
      g_autofree char *path = python_pickle ("plain.lprof",
        "{'timings': {('/nowhere/app.py', 10, 'work'): [(11, 3, 1500), (12, 300, 4500.0), (14, 3, 0)],"
        "             ('/nowhere/app.py', 20, 'idle'): []}, 'unit': 1e-06}", protocol);
      if (path == NULL)
        return;
      g_autoptr (GError) error = NULL;
      g_autoptr (PyroProfile) p = pyro_format_load_file (path, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (p->meta.format, ==, "lprof");
      g_assert_cmpint (p->meta.unit, ==, PYRO_UNIT_SECONDS);
      guint32 work = fixture_func (p, "work");
      g_assert_cmpuint (pyro_profile_func_line (p, work), ==, 10);
      g_assert_cmpstr (pyro_profile_func_file (p, work), ==, "/nowhere/app.py");
      g_assert_cmpuint (fixture_func (p, "idle"), !=, PYRO_NONE);
      g_assert_cmpfloat_with_epsilon (pyro_profile_total_weight (p), 6000e-6, 1e-12);
      g_assert_cmpuint (pyro_profile_n_samples (p), ==, 3);
      /* call stats: calls from the first line, times summed */
      g_assert_true (p->has_call_stats);
      g_assert_cmpuint (p->func_stats->len, ==, 1);
      const PyroFuncStats *s = &g_array_index (p->func_stats, PyroFuncStats, 0);
      g_assert_cmpuint (s->func, ==, work);
      g_assert_cmpfloat (s->total_calls, ==, 3);
      g_assert_cmpfloat_with_epsilon (s->cum_time, 6000e-6, 1e-12);
      /* the source is missing: said once */
      g_assert_cmpuint (p->warnings->len, ==, 1);
      g_assert_nonnull (strstr (g_ptr_array_index (p->warnings, 0), "/nowhere/app.py"));

      g_autoptr (GArray) hits = pyro_lprof_read_line_hits (path, p, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (hits->len, ==, pyro_profile_n_frames (p));
      for (guint fr = 0; fr < pyro_profile_n_frames (p); fr++)
        {
          guint32 line = PYRO_COL (p->frame_line, guint32, fr);
          guint64 expect = line == 12 ? 300 : (line == 11 || line == 14) ? 3 : 0;
          g_assert_cmpuint (g_array_index (hits, guint64, fr), ==, expect);
        }
    }
}

static void
test_lprof_kernprof (void)
{
  g_autofree char *lprof = NULL;
  g_autofree char *report = NULL;
  if (!fixture_run_kernprof (&lprof, &report))
    return;

  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = pyro_format_load_file (lprof, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->meta.format, ==, "lprof");
  g_assert_cmpuint (p->warnings->len, ==, 0);
  g_autoptr (GArray) hits = pyro_lprof_read_line_hits (lprof, p, &error);
  g_assert_no_error (error);

  /* Every timed row of line_profiler's own report: same hits, same time. */
  double timer_unit = 0;
  guint32 func = PYRO_NONE;
  guint rows = 0;
  g_auto (GStrv) lines = g_strsplit (report, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      if (g_str_has_prefix (l, "Timer unit: "))
        timer_unit = g_ascii_strtod (l + strlen ("Timer unit: "), NULL);
      else if (g_str_has_prefix (l, "Function: "))
        {
          g_auto (GStrv) w = g_strsplit (l, " ", -1);
          func = fixture_func (p, w[1]);
          g_assert_cmpuint (func, !=, PYRO_NONE);
          g_assert_cmpuint (pyro_profile_func_line (p, func), ==, atoi (w[4]));
        }
      else if (func != PYRO_NONE)
        {
          g_autofree char *row = g_strstrip (g_strdup (l));
          g_auto (GStrv) w = g_strsplit_set (row, " ", -1);
          g_autoptr (GPtrArray) tok = g_ptr_array_new ();
          for (guint k = 0; w[k] != NULL; k++)
            if (*w[k] != '\0')
              g_ptr_array_add (tok, w[k]);
          if (tok->len < 5)
            continue;
          char *end1, *end2, *end3;
          guint64 line = g_ascii_strtoull (tok->pdata[0], &end1, 10);
          guint64 nhits = g_ascii_strtoull (tok->pdata[1], &end2, 10);
          double time = g_ascii_strtod (tok->pdata[2], &end3);
          if (*end1 != '\0' || *end2 != '\0' || *end3 != '\0')
            continue;
          gboolean found = FALSE;
          for (guint fr = 0; fr < pyro_profile_n_frames (p); fr++)
            if (PYRO_COL (p->frame_func, guint32, fr) == func && PYRO_COL (p->frame_line, guint32, fr) == line)
              {
                found = TRUE;
                g_assert_cmpuint (g_array_index (hits, guint64, fr), ==, nhits);
                double weight = 0;
                for (guint s = 0; s < pyro_profile_n_samples (p); s++)
                  if (PYRO_COL (p->stack_frame, guint32, PYRO_COL (p->sample_stack, guint32, s)) == fr)
                    weight += PYRO_COL (p->sample_weight, double, s);
                g_assert_cmpfloat (fabs (weight - time * timer_unit), <=, 0.051 * timer_unit + 1e-12);
              }
          g_assert_true (found);
          rows++;
        }
    }
  g_assert_cmpfloat (timer_unit, >, 0);
  /* grow: 5 timed lines; main: 4 */
  g_assert_cmpuint (rows, ==, 9);
  guint32 grow = fixture_func (p, "grow");
  for (guint i = 0; i < p->func_stats->len; i++)
    if (g_array_index (p->func_stats, PyroFuncStats, i).func == grow)
      g_assert_cmpfloat (g_array_index (p->func_stats, PyroFuncStats, i).total_calls, ==, 5);

  /* Every truncation of the real file fails cleanly. */
  g_autofree char *data = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (lprof, &data, &len, NULL));
  for (gsize cut = 1; cut < len; cut++)
    {
      g_autofree char *path = fixture_write_temp ("cut.lprof", data, (gssize) cut);
      g_autoptr (GError) cut_error = NULL;
      g_autoptr (PyroProfile) q = pyro_format_load_file (path, NULL, NULL, NULL, &cut_error);
      g_assert_null (q);
      g_assert_nonnull (cut_error);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pickle/values", test_pickle_values);
  g_test_add_func ("/pickle/never-executes", test_pickle_never_executes);
  g_test_add_func ("/pickle/bad", test_pickle_bad);
  g_test_add_func ("/lprof/plain", test_lprof_plain);
  g_test_add_func ("/lprof/kernprof", test_lprof_kernprof);
  return g_test_run ();
}
