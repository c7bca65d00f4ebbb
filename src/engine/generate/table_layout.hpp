// Which columns of a target table synth_insert fills, and with what. Pure
// logic over a description of the columns, so every layout rule is unit-tested
// without a database; the PostgreSQL layer describes the table and checks types.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace synth {

enum class Layout { kPipeline, kFlat };

// A value synth_insert can put into a column.
enum class RowField {
  kSampleId,
  kDomain,
  kTier,
  kOriginalPrompt,
  kEnhancedPrompt,
  kFeatureVector,
  kEffectivenessScore,
  kEnhancementResult,  // the pipeline's JSON document
  kDataSource,         // 'synthetic'
  kPriority,           // the priority argument
  kCreatedAt,          // now()
  kIsActive,           // true
};

struct ColumnDescription {
  std::string name;
  bool not_null = false;
  bool has_default = false;  // a DEFAULT, a serial, an identity, or a generated column
  bool insertable = true;    // false for generated columns and GENERATED ALWAYS identities
};

struct ColumnAssignment {
  std::size_t column;  // index into the described columns
  RowField field;
};

struct InsertPlan {
  Layout layout;
  std::vector<ColumnAssignment> assignments;
};

// Throws synth::Error: 42703 when neither layout fits (naming the columns
// found and needed), 23502 when a NOT NULL column without default would stay
// empty, 42809 when a column synthdata must fill cannot be written.
InsertPlan plan_insert(const std::string& table_name, const std::vector<ColumnDescription>& columns);

const char* row_field_name(RowField field);

}  // namespace synth
