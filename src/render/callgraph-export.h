/* callgraph-export.h — the "callgraph" view of `pyrometer export`: the
 * pruned graph (nodes under 0.5 % hidden) painted to PNG, SVG or PDF at its
 * natural size, or written as Graphviz .dot. */
#pragma once

#include "export.h"

G_BEGIN_DECLS

/* Exports the call graph of @profile under @selection (NULL = everything)
 * to @out_path by its extension: .png, .svg, .pdf or .dot.  Uses the title
 * and scale of @options; the graph sets the size. */
gboolean pyro_callgraph_export_file (PyroProfile *profile, const PyroSelection *selection,
                                     const PyroExportOptions *options, const char *out_path,
                                     GError **error);

G_END_DECLS
