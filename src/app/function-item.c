#include "function-item.h"

struct _PyroFunctionItem
{
  GObject parent_instance;
  guint32 func;
  char *name;
  char *file;
  guint line;
  double self;
  double total;
  double calls;
  double prim_calls;
};

G_DEFINE_FINAL_TYPE (PyroFunctionItem, pyro_function_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FUNC,
  PROP_NAME,
  PROP_FILE,
  PROP_LINE,
  PROP_SELF,
  PROP_TOTAL,
  PROP_CALLS,
  PROP_SELF_PER_CALL,
  PROP_TOTAL_PER_CALL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

double
pyro_function_item_get_self_per_call (PyroFunctionItem *self)
{
  return self->calls > 0 ? self->self / self->calls : -1;
}

double
pyro_function_item_get_total_per_call (PyroFunctionItem *self)
{
  return self->prim_calls > 0 ? self->total / self->prim_calls : -1;
}

static void
pyro_function_item_get_property (GObject *object, guint prop_id, GValue *value,
                                 GParamSpec *pspec)
{
  PyroFunctionItem *self = PYRO_FUNCTION_ITEM (object);

  switch (prop_id)
    {
    case PROP_FUNC:
      g_value_set_uint (value, self->func);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_FILE:
      g_value_set_string (value, self->file);
      break;
    case PROP_LINE:
      g_value_set_uint (value, self->line);
      break;
    case PROP_SELF:
      g_value_set_double (value, self->self);
      break;
    case PROP_TOTAL:
      g_value_set_double (value, self->total);
      break;
    case PROP_CALLS:
      g_value_set_double (value, self->calls);
      break;
    case PROP_SELF_PER_CALL:
      g_value_set_double (value, pyro_function_item_get_self_per_call (self));
      break;
    case PROP_TOTAL_PER_CALL:
      g_value_set_double (value, pyro_function_item_get_total_per_call (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pyro_function_item_finalize (GObject *object)
{
  PyroFunctionItem *self = PYRO_FUNCTION_ITEM (object);
  g_free (self->name);
  g_free (self->file);
  G_OBJECT_CLASS (pyro_function_item_parent_class)->finalize (object);
}

static void
pyro_function_item_class_init (PyroFunctionItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = pyro_function_item_get_property;
  object_class->finalize = pyro_function_item_finalize;

  properties[PROP_FUNC] = g_param_spec_uint ("func", NULL, NULL, 0, G_MAXUINT32, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_FILE] = g_param_spec_string ("file", NULL, NULL, NULL, flags);
  properties[PROP_LINE] = g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SELF] = g_param_spec_double ("self", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_TOTAL] = g_param_spec_double ("total", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_CALLS] = g_param_spec_double ("calls", NULL, NULL, -1, G_MAXDOUBLE, -1, flags);
  properties[PROP_SELF_PER_CALL] =
    g_param_spec_double ("self-per-call", NULL, NULL, -1, G_MAXDOUBLE, -1, flags);
  properties[PROP_TOTAL_PER_CALL] =
    g_param_spec_double ("total-per-call", NULL, NULL, -1, G_MAXDOUBLE, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pyro_function_item_init (PyroFunctionItem *self)
{
}

PyroFunctionItem *
pyro_function_item_new (guint32 func, const char *name, const char *file, guint line,
                        double self_weight, double total, double calls, double prim_calls)
{
  PyroFunctionItem *self = g_object_new (PYRO_TYPE_FUNCTION_ITEM, NULL);
  self->func = func;
  self->name = g_strdup (name);
  self->file = g_strdup (file);
  self->line = line;
  self->self = self_weight;
  self->total = total;
  self->calls = calls;
  self->prim_calls = prim_calls;
  return self;
}

void
pyro_function_item_set_values (PyroFunctionItem *self, double self_weight, double total,
                               double calls, double prim_calls)
{
  self->self = self_weight;
  self->total = total;
  self->calls = calls;
  self->prim_calls = prim_calls;
  /* One notification: the cells showing the item read every number again
   * (percentages change with the grand total even when these did not). */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELF]);
}

guint32 pyro_function_item_get_func (PyroFunctionItem *self) { return self->func; }
const char *pyro_function_item_get_name (PyroFunctionItem *self) { return self->name; }
const char *pyro_function_item_get_file (PyroFunctionItem *self) { return self->file; }
guint pyro_function_item_get_line (PyroFunctionItem *self) { return self->line; }
double pyro_function_item_get_self (PyroFunctionItem *self) { return self->self; }
double pyro_function_item_get_total (PyroFunctionItem *self) { return self->total; }
double pyro_function_item_get_calls (PyroFunctionItem *self) { return self->calls; }
double pyro_function_item_get_prim_calls (PyroFunctionItem *self) { return self->prim_calls; }
