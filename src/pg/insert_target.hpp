// synth_insert's target table: its columns as the catalog has them (read
// under the lock the INSERT takes), whether their types hold what synthdata
// writes there, and whether a fitted profile's dimension fits its rows.
#pragma once

#include <cstdint>
#include <string>

#include "engine/generate/table_layout.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

// A column as the catalog has it: plain data, copied out under pg_guard.
struct CatalogColumn {
  NameData name;
  Oid type;
  bool not_null;
  bool has_default;
  bool insertable;
};

// The target as synth_insert writes it; palloc'd.
struct TargetTable {
  char* qualified_name;  // quoted schema.table, palloc'd
  char* display_name;    // unquoted relname, palloc'd
  CatalogColumn* columns;
  int column_count;
};

// Locks the table (RowExclusiveLock, so its columns stay as read until the
// INSERT) and reads it; raises 42P01, 42809 (not a table) or 0A000 (an
// ON INSERT DO INSTEAD rule).
TargetTable describe_target(Oid relid);

bool has_column(const TargetTable& t, const char* name);

// Every assigned column's type holds its field (42804 naming the column).
void check_column_types(const TargetTable& t, const InsertPlan& plan);

// A fitted profile's rows must fit the dimension the target already holds:
// the most common dimension of its active rows the ML gate keeps, when it
// has any (22023). Read with the caller's rights, before anything is written.
void check_target_dimension(Oid relid, const std::string& table, std::uint32_t dimension);

}  // namespace synth::pg
