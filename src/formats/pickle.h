/* pickle.h — a data-only subset of Python's pickle format (protocols 0–5
 * binary opcodes): builds None, booleans, integers, floats, strings, bytes,
 * tuples, lists and dicts.  Class references (GLOBAL, STACK_GLOBAL) are kept
 * as names and never imported; NEWOBJ/REDUCE/BUILD make an "object" value
 * holding the class name, the arguments and the state, and never call
 * anything.  Memory grows with the file size only; MARKs nest at most
 * PYRO_PICKLE_MAX_DEPTH deep.  Nothing here recurses, so values that refer
 * to themselves (through the memo) are safe to hold. */
#pragma once

#include "reader.h"

G_BEGIN_DECLS

#define PYRO_PICKLE_MAX_DEPTH 256

typedef enum {
  PYRO_PICKLE_NONE,
  PYRO_PICKLE_BOOL,
  PYRO_PICKLE_INT,
  PYRO_PICKLE_FLOAT,
  PYRO_PICKLE_STRING,
  PYRO_PICKLE_BYTES,
  PYRO_PICKLE_TUPLE,
  PYRO_PICKLE_LIST,
  PYRO_PICKLE_DICT,
  PYRO_PICKLE_GLOBAL,   /* a class or function named "module.name" */
  PYRO_PICKLE_OBJECT,   /* an instance: class, args, state */
} PyroPickleType;

typedef struct _PyroPickleValue PyroPickleValue;

struct _PyroPickleValue {
  PyroPickleType type;
  gsize offset;         /* byte offset of the opcode that made it */
  gint64 integer;       /* INT (when it fits), BOOL */
  double number;        /* INT and FLOAT */
  char *text;           /* STRING (UTF-8), BYTES, GLOBAL; NUL-terminated */
  gsize length;         /* of text */
  GPtrArray *items;     /* TUPLE, LIST: elements; DICT: key, value, key, value… */
  PyroPickleValue *cls; /* OBJECT */
  PyroPickleValue *args;
  PyroPickleValue *state;
};

typedef struct _PyroPickle PyroPickle;

/* Parses the pickle that fills @ctx's data; errors name the byte offset of
 * the opcode. */
PyroPickle      *pyro_pickle_parse (const PyroLoadContext *ctx, GError **error);
void             pyro_pickle_free (PyroPickle *self);
/* The value STOP returned; owned by @self. */
PyroPickleValue *pyro_pickle_root (PyroPickle *self);

/* The value under the string key @key of a DICT, or NULL. */
PyroPickleValue *pyro_pickle_dict_get (const PyroPickleValue *dict, const char *key);
/* Number of elements of a TUPLE or LIST (pairs of a DICT), 0 otherwise. */
guint            pyro_pickle_len (const PyroPickleValue *value);
/* Element @i of a TUPLE or LIST. */
PyroPickleValue *pyro_pickle_item (const PyroPickleValue *value, guint i);
/* TRUE for INT, FLOAT and BOOL; their value in @out. */
gboolean         pyro_pickle_number (const PyroPickleValue *value, double *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroPickle, pyro_pickle_free)

G_END_DECLS
