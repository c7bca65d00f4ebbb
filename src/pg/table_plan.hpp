// What a read of a training table runs: the table's facts, looked up under
// the lock the query will hold; the layout its columns give (pipeline or
// flat); the filters (data_source, the real rows, is_active); the caller's
// privileges; and the query itself, with the one that finds feature names.
#pragma once

#include <string>
#include <vector>

#include "pg/postgres.hpp"
#include "pg/row_observer.hpp"
#include "pg/table_reader.hpp"

namespace synth::pg {

inline constexpr const char* kAllRows = "all rows (the table has no data_source column)";

// One column as the catalogs describe it. Plain data: filled inside pg_guard.
struct ColumnFacts {
  AttrNumber attnum;  // InvalidAttrNumber when the table has no such column
  Oid type;           // with domains resolved to their base type
  Oid element_type;   // base type of the elements, for arrays
  int16 element_length;
  bool element_byval;
  char element_align;
  bool selectable;  // the caller may SELECT it (table or column privilege)

  bool present() const { return attnum != InvalidAttrNumber; }
};

struct TableFacts {
  bool exists;
  bool dropped_while_waiting;
  bool waited;  // another session held a conflicting lock when we came
  char relkind;
  bool table_selectable;
  const char* qualified_name;  // palloc'd; schema-qualified, quoted as needed
  ColumnFacts enhancement_result;
  ColumnFacts prompt_text;
  ColumnFacts feature_vector;
  ColumnFacts effectiveness_score;
  ColumnFacts domain;
  ColumnFacts original_prompt;
  ColumnFacts data_source;
  ColumnFacts is_active;
};

// Takes the lock the query will hold before looking at the catalog: a
// concurrent ALTER TABLE then either committed before this look (and we see
// its columns) or waits for us. Without it the types read here could be
// stale by the time the query runs.
TableFacts table_facts(Oid relid);

struct Plan {
  RowLayout layout{};
  std::string query;
  std::string names_query;  // metadata.feature_names of one row; empty: not wanted
  TableSource source;
  std::vector<Oid> column_types;  // base type of each selected column, as looked up
  // Read with a snapshot taken after the lock was granted, as a plain SELECT
  // that waited for the lock would (READ COMMITTED only): the statement's
  // snapshot predates the DDL we waited for, and would see a table rewritten
  // by it as empty.
  bool fresh_snapshot = false;
};

// The read the request asks of the table: raises 42703/42804 (no usable
// columns), 42501 (no SELECT privilege on a column it reads).
Plan plan_read(const TableFacts& facts, const TableReadRequest& request);

}  // namespace synth::pg
