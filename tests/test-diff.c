/* Comparing two profiles: the function diff and the tree match. */
#include "core/profile-diff.h"
#include "core/tree-diff.h"
#include "fixtures.h"

#include <string.h>

static const char *before = "main;fib;fib 60\nmain;fib 20\nmain;setup 20\n";
static const char *after = "main;fib 5\nmain;setup 20\nmain;report 5\n";

static void
test_profile_diff (void)
{
  g_autoptr (PyroProfile) a = fixture_profile_from_folded (before);
  g_autoptr (PyroProfile) b = fixture_profile_from_folded (after);
  g_autoptr (PyroProfileDiff) d = pyro_profile_diff_new (a, b);

  g_assert_cmpfloat (d->a_total, ==, 100);
  g_assert_cmpfloat (d->b_total, ==, 30);
  g_assert_cmpfloat_with_epsilon (pyro_profile_diff_ratio (d), 100.0 / 30, 1e-12);
  const PyroDiffRow *top = &g_array_index (d->rows, PyroDiffRow, 0);
  /* fib: 80% -> 16.7%, the largest change of share */
  g_assert_cmpstr (top->name, ==, "fib");
  g_assert_cmpfloat (top->a, ==, 80);
  g_assert_cmpfloat (top->b, ==, 5);
  gboolean saw_report = FALSE;
  for (guint i = 0; i < d->rows->len; i++)
    {
      const PyroDiffRow *r = &g_array_index (d->rows, PyroDiffRow, i);
      if (g_str_equal (r->name, "report"))
        {
          saw_report = TRUE;
          g_assert_cmpfloat (r->a, ==, 0);
          g_assert_cmpfloat (r->b, ==, 5);
        }
    }
  g_assert_true (saw_report);
  g_autofree char *headline = pyro_profile_diff_headline (d);
  g_assert_cmpstr (headline, ==, "B is 3.3× faster overall; fib went from 80.0% to 16.7%");
}

static void
test_tree_match (void)
{
  g_autoptr (PyroProfile) a = fixture_profile_from_folded (before);
  g_autoptr (PyroProfile) b = fixture_profile_from_folded (after);
  g_autoptr (PyroCallTree) ta = pyro_call_tree_new (a, NULL, NULL, NULL);
  g_autoptr (PyroCallTree) tb = pyro_call_tree_new (b, NULL, NULL, NULL);
  g_autofree double *matched = pyro_call_tree_match_totals (tb, ta);

  guint32 main_b = pyro_call_tree_find_child (tb, 0, fixture_func (b, "main"));
  guint32 fib_b = pyro_call_tree_find_child (tb, main_b, fixture_func (b, "fib"));
  guint32 report_b = pyro_call_tree_find_child (tb, main_b, fixture_func (b, "report"));
  g_assert_cmpfloat (matched[0], ==, 100);
  g_assert_cmpfloat (matched[main_b], ==, 100);
  g_assert_cmpfloat (matched[fib_b], ==, 80);
  g_assert_cmpfloat (matched[report_b], ==, 0);
}

/* The slow and the fast version of a lesson live in different files: fib
 * still matches fib. */
static void
test_across_files (void)
{
  g_autoptr (PyroProfile) a = fixture_profile_from_folded (
    "<module> (fib_slow.py:14);main (fib_slow.py:11);fib (fib_slow.py:5) 90\n"
    "<module> (fib_slow.py:14);main (fib_slow.py:11) 10\n");
  g_autoptr (PyroProfile) b = fixture_profile_from_folded (
    "<module> (fib_fast.py:15);main (fib_fast.py:12);fib (fib_fast.py:7) 1\n"
    "<module> (fib_fast.py:15);main (fib_fast.py:12) 9\n");
  g_autoptr (PyroProfileDiff) d = pyro_profile_diff_new (a, b);
  const PyroDiffRow *top = &g_array_index (d->rows, PyroDiffRow, 0);
  g_assert_cmpstr (top->name, ==, "fib");
  g_assert_cmpfloat (top->a, ==, 90);
  g_assert_cmpfloat (top->b, ==, 1);
  g_autofree char *headline = pyro_profile_diff_headline (d);
  g_assert_cmpstr (headline, ==, "B is 10.0× faster overall; fib went from 90.0% to 10.0%");

  g_autoptr (PyroCallTree) ta = pyro_call_tree_new (a, NULL, NULL, NULL);
  g_autoptr (PyroCallTree) tb = pyro_call_tree_new (b, NULL, NULL, NULL);
  g_autofree double *matched = pyro_call_tree_match_totals (tb, ta);
  guint32 n = pyro_call_tree_find_child (tb, 0, fixture_func (b, "<module>"));
  n = pyro_call_tree_find_child (tb, n, fixture_func (b, "main"));
  n = pyro_call_tree_find_child (tb, n, fixture_func (b, "fib"));
  g_assert_cmpfloat (matched[n], ==, 90);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/diff/profile", test_profile_diff);
  g_test_add_func ("/diff/tree-match", test_tree_match);
  g_test_add_func ("/diff/across-files", test_across_files);
  return g_test_run ();
}
