/* demos.h — the course demos: a "Course Demos" menu that runs one of
 * examples/LESSON_slow.py or LESSON_fast.py under the Python sampler (or
 * under cProfile when sampling is not allowed or the Python is not one the
 * sampler reads) and opens the recording; "Compare Slow and Fast" records
 * both and opens the fast one compared with the slow one.
 *
 * Actions, in the window's "demos" group: demos.run ("LESSON_slow",
 * "LESSON_fast" or "LESSON" to compare) and demos.bundled (the bundled
 * recording, as `pyrometer --demo` opens it). */
#pragma once

#include <gio/gio.h>
#include "window.h"

G_BEGIN_DECLS

/* Adds the actions to @window and the lessons to @menu. */
void   pyro_demos_attach (PyroWindow *window, GMenu *menu);

/* The folder holding the lesson scripts, or NULL when not installed. */
char  *pyro_demos_find_examples (void);
/* The bundled recording (data/demo/demo.folded), or NULL when not installed. */
GFile *pyro_demos_find_bundled (void);

/* Records @script (a path) into @dir/@stem.syscap, a Sysprof capture from
 * the Python sampler, or into @dir/@stem.prof, a cProfile dump, when the
 * sampler cannot record it; returns the path written.  Blocks: call it from
 * a worker thread. */
char  *pyro_demos_record (const char *script, const char *dir, const char *stem,
                          GCancellable *cancellable, GError **error);

G_END_DECLS
