#include "engine/generate/table_layout.hpp"

#include <optional>

#include "engine/model/error.hpp"

namespace synth {
namespace {

struct NamedField {
  const char* column;
  RowField field;
  bool required;
};

// Pipeline layout (docs/design.md §1): the prompt and one JSON document.
const NamedField kPipelineFields[] = {
    {"prompt_text", RowField::kOriginalPrompt, true},
    {"enhancement_result", RowField::kEnhancementResult, true},
};

// Flat layout: columns named like synth_generate's output.
const NamedField kFlatFields[] = {
    {"feature_vector", RowField::kFeatureVector, true},
    {"effectiveness_score", RowField::kEffectivenessScore, true},
    {"sample_id", RowField::kSampleId, false},
    {"domain", RowField::kDomain, false},
    {"tier", RowField::kTier, false},
    {"original_prompt", RowField::kOriginalPrompt, false},
    {"enhanced_prompt", RowField::kEnhancedPrompt, false},
};

// Bookkeeping columns of either layout, filled where present.
const NamedField kBookkeepingFields[] = {
    {"data_source", RowField::kDataSource, false},
    {"training_priority", RowField::kPriority, false},
    {"created_at", RowField::kCreatedAt, false},
    {"is_active", RowField::kIsActive, false},
};

std::optional<std::size_t> find_column(const std::vector<ColumnDescription>& columns, const char* name) {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return i;
  return std::nullopt;
}

bool has_all_required(const std::vector<ColumnDescription>& columns, const NamedField* begin,
                      const NamedField* end) {
  for (const NamedField* f = begin; f != end; ++f)
    if (f->required && !find_column(columns, f->column)) return false;
  return true;
}

std::string quoted_list(const std::vector<ColumnDescription>& columns) {
  std::string out;
  for (const auto& c : columns) {
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out.empty() ? "(none)" : out;
}

}  // namespace

const char* row_field_name(RowField field) {
  switch (field) {
    case RowField::kSampleId:
      return "sample_id";
    case RowField::kDomain:
      return "domain";
    case RowField::kTier:
      return "tier";
    case RowField::kOriginalPrompt:
      return "original prompt";
    case RowField::kEnhancedPrompt:
      return "enhanced prompt";
    case RowField::kFeatureVector:
      return "feature vector";
    case RowField::kEffectivenessScore:
      return "effectiveness score";
    case RowField::kEnhancementResult:
      return "enhancement result document";
    case RowField::kDataSource:
      return "data source";
    case RowField::kPriority:
      return "priority";
    case RowField::kCreatedAt:
      return "creation time";
    case RowField::kIsActive:
      return "active flag";
  }
  return "value";
}

InsertPlan plan_insert(const std::string& table_name, const std::vector<ColumnDescription>& columns) {
  InsertPlan plan;
  const NamedField* layout_begin;
  const NamedField* layout_end;
  if (has_all_required(columns, std::begin(kPipelineFields), std::end(kPipelineFields))) {
    plan.layout = Layout::kPipeline;
    layout_begin = std::begin(kPipelineFields);
    layout_end = std::end(kPipelineFields);
  } else if (has_all_required(columns, std::begin(kFlatFields), std::end(kFlatFields))) {
    plan.layout = Layout::kFlat;
    layout_begin = std::begin(kFlatFields);
    layout_end = std::end(kFlatFields);
  } else {
    throw Error(sqlstate::kUndefinedColumn,
                "table \"" + table_name + "\" has neither the pipeline layout nor the flat layout",
                "Found columns: " + quoted_list(columns) + ".",
                "The pipeline layout needs prompt_text and enhancement_result (json or jsonb); the flat "
                "layout needs feature_vector and effectiveness_score.");
  }

  auto assign = [&](const NamedField& f) {
    auto index = find_column(columns, f.column);
    if (!index) return;
    if (!columns[*index].insertable) {
      if (f.required)
        throw Error(
            sqlstate::kWrongObjectType,
            "column \"" + std::string(f.column) + "\" of table \"" + table_name + "\" cannot be written",
            "It is a generated column or an identity column GENERATED ALWAYS.",
            "synthdata must write the " + std::string(row_field_name(f.field)) + " there.");
      return;  // optional: leave it to the table
    }
    plan.assignments.push_back({*index, f.field});
  };
  for (const NamedField* f = layout_begin; f != layout_end; ++f) assign(*f);
  for (const NamedField& f : kBookkeepingFields) assign(f);
  // Older tables call it "priority".
  if (!find_column(columns, "training_priority")) assign({"priority", RowField::kPriority, false});

  for (std::size_t i = 0; i < columns.size(); ++i) {
    const ColumnDescription& c = columns[i];
    if (!c.not_null || c.has_default || !c.insertable) continue;
    bool filled = false;
    for (const auto& a : plan.assignments) filled = filled || a.column == i;
    if (!filled)
      throw Error(
          "23502",
          "column \"" + c.name + "\" of table \"" + table_name +
              "\" is NOT NULL without a default, and synthdata does not fill it",
          "synthdata fills: " +
              [&] {
                std::string names;
                for (const auto& a : plan.assignments) {
                  if (!names.empty()) names += ", ";
                  names += columns[a.column].name;
                }
                return names;
              }() +
              ".",
          "Give the column a DEFAULT or allow NULL.");
  }
  return plan;
}

}  // namespace synth
