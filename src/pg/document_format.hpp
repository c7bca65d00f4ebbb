// The document_format argument of the INSERT row sources: 1.2's names
// ('jsonb', 'json', 'none') or 1.1's numbers, as the declaration the database
// holds says.
#pragma once

#include "pg/postgres.hpp"

namespace synth::pg {

// Whether the function's document_format is a name (text, 1.2) or 1.1's
// number (integer): the declared type tells, since the call was resolved
// against whichever declaration the database holds.
bool document_format_named(FunctionCallInfo fcinfo, int arg);

// The DocumentFormat (row_source.hpp) the argument names; a bad one (NULL
// among the names included) is an error naming the choices (22004, 22023).
int read_document_format(FunctionCallInfo fcinfo, int arg);

}  // namespace synth::pg
