/* marshal.h — a data-only reader of Python's marshal format
 * (Python/marshal.c), as `marshal.dump` writes it from Python 2 (version 2:
 * s/t/R strings) to Python 3.4+ (version 4: FLAG_REF and the reference table).
 *
 * The whole object is parsed into a tree of values that point into the
 * mapped file: strings are not copied.  Nothing is ever executed.  Code
 * objects are walked far enough to be skipped and to know their name, file
 * and first line; their layout changes with the Python release, so it is
 * recognised by the types of their fields.
 *
 * Every length is checked against what remains of the file, nesting is
 * bounded, and each value takes at least one byte of input, so memory stays
 * proportional to the file size.
 */
#pragma once

#include "reader.h"

G_BEGIN_DECLS

/* Containers nested deeper than this are refused. */
#define PYRO_MARSHAL_MAX_DEPTH 200

typedef enum {
  PYRO_MARSHAL_NONE,
  PYRO_MARSHAL_BOOL,
  PYRO_MARSHAL_INT,
  PYRO_MARSHAL_FLOAT,
  PYRO_MARSHAL_STR,    /* text: Python 3 str, Python 2 interned str and unicode */
  PYRO_MARSHAL_BYTES,  /* bytes, Python 2 str */
  PYRO_MARSHAL_TUPLE,
  PYRO_MARSHAL_LIST,
  PYRO_MARSHAL_DICT,
  PYRO_MARSHAL_SET,    /* set and frozenset */
  PYRO_MARSHAL_CODE,
  PYRO_MARSHAL_OTHER,  /* Ellipsis, StopIteration, complex */
} PyroMarshalType;

typedef struct _PyroMarshalValue PyroMarshalValue;
typedef struct _PyroMarshalCode PyroMarshalCode;

/* A value is small and copied freely: a reference in the file yields a copy
 * that shares the referenced container's items, so two values are the same
 * Python object when their items (or str) pointers are equal. */
struct _PyroMarshalValue {
  guint32 type;   /* PyroMarshalType */
  guint32 len;    /* STR/BYTES: bytes; TUPLE/LIST/SET: items; DICT: pairs */
  gsize offset;   /* byte of its type code in the file */
  union {
    double number;                  /* BOOL, INT (may be rounded), FLOAT */
    const char *str;                /* STR, BYTES: not NUL-terminated */
    const PyroMarshalValue *items;  /* sequences; DICT: key, value, key, value... */
    const PyroMarshalCode *code;    /* CODE */
  };
};

struct _PyroMarshalCode {
  PyroMarshalValue name;  /* STR or BYTES */
  PyroMarshalValue file;  /* STR or BYTES */
  guint32 first_line;
};

typedef struct _PyroMarshalDocument PyroMarshalDocument;

/* Parses the object at the start of @ctx's data; trailing bytes are ignored,
 * as marshal.load does.  Errors name the file and the byte offset. */
PyroMarshalDocument *pyro_marshal_parse (const PyroLoadContext *ctx, GError **error);
void pyro_marshal_document_free (PyroMarshalDocument *doc);
/* The parsed object, owned by @doc. */
const PyroMarshalValue *pyro_marshal_document_root (const PyroMarshalDocument *doc);

/* TRUE with *@out set when @value is a bool, an int or a float. */
gboolean    pyro_marshal_number (const PyroMarshalValue *value, double *out);
/* For messages: "a tuple", "a str", ... */
const char *pyro_marshal_type_name (PyroMarshalType type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroMarshalDocument, pyro_marshal_document_free)

G_END_DECLS
