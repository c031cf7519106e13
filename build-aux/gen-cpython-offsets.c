/* gen-cpython-offsets.c — prints one PyroCPythonLayout initializer for the
 * CPython whose internal headers it is compiled against.  Built and run by
 * gen-cpython-offsets.sh; see src/sampler/cpython-offsets.h for the fields. */
#define Py_BUILD_CORE 1
#include <Python.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <internal/pycore_runtime.h>
#include <internal/pycore_interp.h>
#include <internal/pycore_frame.h>
#include <internal/pycore_code.h>
#include <internal/pycore_dict.h>
#include <internal/pycore_moduleobject.h>

#if PY_VERSION_HEX < 0x030b0000
#error "CPython 3.11 or newer is needed"
#endif

#define ABSENT "PYRO_CPY_ABSENT"

static void
field (const char *name, size_t value)
{
  printf ("    .%s = %zu,\n", name, value);
}

static void
absent (const char *name)
{
  printf ("    .%s = " ABSENT ",\n", name);
}

/* Position of the lowest bit set in a 32-bit word after setting a bit-field. */
static unsigned
bit_position (const PyASCIIObject *o)
{
  unsigned word;
  memcpy (&word, (const char *) o + offsetof (PyASCIIObject, state), sizeof word);
  for (unsigned i = 0; i < 32; i++)
    if (word & (1u << i))
      return i;
  return 0;
}

int
main (void)
{
  PyASCIIObject probe;

  printf ("  {\n");
  printf ("    .version_hex = 0x%08x,\n", (unsigned) PY_VERSION_HEX);

  field ("runtime_interpreters_head", offsetof (_PyRuntimeState, interpreters.head));
#if PY_VERSION_HEX < 0x030c0000
  field ("runtime_tstate_current", offsetof (_PyRuntimeState, gilstate.tstate_current));
#else
  absent ("runtime_tstate_current");
#endif

  field ("interp_next", offsetof (PyInterpreterState, next));
  field ("interp_threads_head", offsetof (PyInterpreterState, threads.head));
#if PY_VERSION_HEX < 0x030c0000
  field ("interp_modules", offsetof (PyInterpreterState, modules));
  absent ("interp_ceval_gil");
#else
  field ("interp_modules", offsetof (PyInterpreterState, imports.modules));
  field ("interp_ceval_gil", offsetof (PyInterpreterState, ceval.gil));
#endif
  field ("gil_locked", offsetof (struct _gil_runtime_state, locked));
  field ("gil_last_holder", offsetof (struct _gil_runtime_state, last_holder));

  field ("tstate_next", offsetof (PyThreadState, next));
  field ("tstate_interp", offsetof (PyThreadState, interp));
#if PY_VERSION_HEX < 0x030d0000
  field ("tstate_cframe", offsetof (PyThreadState, cframe));
  field ("cframe_current_frame", offsetof (_PyCFrame, current_frame));
  absent ("tstate_current_frame");
#else
  absent ("tstate_cframe");
  absent ("cframe_current_frame");
  field ("tstate_current_frame", offsetof (PyThreadState, current_frame));
#endif
  field ("tstate_thread_id", offsetof (PyThreadState, thread_id));
  field ("tstate_native_thread_id", offsetof (PyThreadState, native_thread_id));

  field ("frame_size", sizeof (_PyInterpreterFrame));
#if PY_VERSION_HEX < 0x030d0000
  field ("frame_code", offsetof (_PyInterpreterFrame, f_code));
  field ("frame_instr", offsetof (_PyInterpreterFrame, prev_instr));
#else
  field ("frame_code", offsetof (_PyInterpreterFrame, f_executable));
  field ("frame_instr", offsetof (_PyInterpreterFrame, instr_ptr));
#endif
  field ("frame_previous", offsetof (_PyInterpreterFrame, previous));
  field ("frame_owner", offsetof (_PyInterpreterFrame, owner));
#if PY_VERSION_HEX < 0x030c0000
  absent ("frame_owned_by_cstack");
#else
  field ("frame_owned_by_cstack", FRAME_OWNED_BY_CSTACK);
#endif

  field ("object_type", offsetof (PyObject, ob_type));
  field ("type_name", offsetof (PyTypeObject, tp_name));
  field ("type_basicsize", offsetof (PyTypeObject, tp_basicsize));
  field ("type_dictoffset", offsetof (PyTypeObject, tp_dictoffset));
  field ("type_flags", offsetof (PyTypeObject, tp_flags));
  field ("heaptype_cached_keys", offsetof (PyHeapTypeObject, ht_cached_keys));

  field ("code_firstlineno", offsetof (PyCodeObject, co_firstlineno));
  field ("code_filename", offsetof (PyCodeObject, co_filename));
  field ("code_name", offsetof (PyCodeObject, co_name));
  field ("code_qualname", offsetof (PyCodeObject, co_qualname));
  field ("code_linetable", offsetof (PyCodeObject, co_linetable));
  field ("code_code_adaptive", offsetof (PyCodeObject, co_code_adaptive));

  field ("unicode_length", offsetof (PyASCIIObject, length));
  field ("unicode_state", offsetof (PyASCIIObject, state));
  memset (&probe, 0, sizeof probe);
  probe.state.kind = 1;
  field ("unicode_kind_shift", bit_position (&probe));
  memset (&probe, 0, sizeof probe);
  probe.state.compact = 1;
  field ("unicode_compact_shift", bit_position (&probe));
  memset (&probe, 0, sizeof probe);
  probe.state.ascii = 1;
  field ("unicode_ascii_shift", bit_position (&probe));
  field ("unicode_ascii_data", sizeof (PyASCIIObject));
  field ("unicode_compact_data", sizeof (PyCompactUnicodeObject));

  field ("bytes_size", offsetof (PyVarObject, ob_size));
  field ("bytes_sval", offsetof (PyBytesObject, ob_sval));

#if PY_VERSION_HEX < 0x030c0000
  field ("long_size_or_tag", offsetof (PyVarObject, ob_size));
  field ("long_digit", offsetof (PyLongObject, ob_digit));
  field ("long_tagged", 0);
#else
  field ("long_size_or_tag", offsetof (PyLongObject, long_value.lv_tag));
  field ("long_digit", offsetof (PyLongObject, long_value.ob_digit));
  field ("long_tagged", 1);
#endif

  field ("module_dict", offsetof (PyModuleObject, md_dict));
  field ("dict_keys", offsetof (PyDictObject, ma_keys));
  field ("dict_values", offsetof (PyDictObject, ma_values));
  field ("dict_keys_log2_size", offsetof (PyDictKeysObject, dk_log2_size));
  field ("dict_keys_log2_index_bytes", offsetof (PyDictKeysObject, dk_log2_index_bytes));
  field ("dict_keys_kind", offsetof (PyDictKeysObject, dk_kind));
  field ("dict_keys_nentries", offsetof (PyDictKeysObject, dk_nentries));
  field ("dict_keys_indices", offsetof (PyDictKeysObject, dk_indices));
  field ("dict_entry_size", sizeof (PyDictKeyEntry));
  field ("dict_unicode_entry_size", sizeof (PyDictUnicodeEntry));
  field ("dict_values_values", offsetof (PyDictValues, values));
  field ("managed_dict_before", 3 * sizeof (PyObject *));
#if PY_VERSION_HEX < 0x030c0000
  printf ("    .managed_values_kind = PYRO_CPY_VALUES_BEFORE_DICT,\n");
#elif PY_VERSION_HEX < 0x030d0000
  printf ("    .managed_values_kind = PYRO_CPY_VALUES_TAGGED,\n");
#else
  printf ("    .managed_values_kind = PYRO_CPY_VALUES_INLINE,\n");
#endif

#if PY_VERSION_HEX >= 0x030d0000
  field ("debug_cookie", offsetof (_Py_DebugOffsets, cookie));
  field ("debug_version", offsetof (_Py_DebugOffsets, version));
  field ("debug_size", sizeof (_Py_DebugOffsets));
  field ("debug_interpreters_head", offsetof (_Py_DebugOffsets, runtime_state.interpreters_head));
  field ("debug_interp_next", offsetof (_Py_DebugOffsets, interpreter_state.next));
  field ("debug_interp_threads_head", offsetof (_Py_DebugOffsets, interpreter_state.threads_head));
  field ("debug_interp_ceval_gil", offsetof (_Py_DebugOffsets, interpreter_state.ceval_gil));
  field ("debug_interp_gil", offsetof (_Py_DebugOffsets, interpreter_state.gil_runtime_state));
  field ("debug_interp_gil_locked", offsetof (_Py_DebugOffsets, interpreter_state.gil_runtime_state_locked));
  field ("debug_interp_gil_holder", offsetof (_Py_DebugOffsets, interpreter_state.gil_runtime_state_holder));
  field ("debug_tstate_next", offsetof (_Py_DebugOffsets, thread_state.next));
  field ("debug_tstate_current_frame", offsetof (_Py_DebugOffsets, thread_state.current_frame));
  field ("debug_tstate_thread_id", offsetof (_Py_DebugOffsets, thread_state.thread_id));
  field ("debug_tstate_native_thread_id", offsetof (_Py_DebugOffsets, thread_state.native_thread_id));
  field ("debug_frame_previous", offsetof (_Py_DebugOffsets, interpreter_frame.previous));
  field ("debug_frame_executable", offsetof (_Py_DebugOffsets, interpreter_frame.executable));
  field ("debug_frame_instr_ptr", offsetof (_Py_DebugOffsets, interpreter_frame.instr_ptr));
  field ("debug_frame_owner", offsetof (_Py_DebugOffsets, interpreter_frame.owner));
  field ("debug_code_filename", offsetof (_Py_DebugOffsets, code_object.filename));
  field ("debug_code_name", offsetof (_Py_DebugOffsets, code_object.name));
  field ("debug_code_qualname", offsetof (_Py_DebugOffsets, code_object.qualname));
  field ("debug_code_linetable", offsetof (_Py_DebugOffsets, code_object.linetable));
  field ("debug_code_firstlineno", offsetof (_Py_DebugOffsets, code_object.firstlineno));
  field ("debug_code_code_adaptive", offsetof (_Py_DebugOffsets, code_object.co_code_adaptive));
#else
  {
    static const char *const debug_fields[] = {
      "debug_cookie", "debug_version", "debug_size", "debug_interpreters_head",
      "debug_interp_next", "debug_interp_threads_head", "debug_interp_ceval_gil",
      "debug_interp_gil", "debug_interp_gil_locked", "debug_interp_gil_holder",
      "debug_tstate_next", "debug_tstate_current_frame", "debug_tstate_thread_id",
      "debug_tstate_native_thread_id", "debug_frame_previous", "debug_frame_executable",
      "debug_frame_instr_ptr", "debug_frame_owner", "debug_code_filename",
      "debug_code_name", "debug_code_qualname", "debug_code_linetable",
      "debug_code_firstlineno", "debug_code_code_adaptive",
    };
    for (size_t i = 0; i < sizeof debug_fields / sizeof debug_fields[0]; i++)
      absent (debug_fields[i]);
  }
#endif
  printf ("  },\n");
  return 0;
}
