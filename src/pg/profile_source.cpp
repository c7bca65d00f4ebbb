// Where a profile came from, and whether it suits its target: see
// profile_source.hpp.
#include "pg/profile_source.hpp"

#include <array>
#include <set>

#include "pg/bridge.hpp"

extern "C" {
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
}

namespace synth::pg {
namespace {

// The last few fits of this backend: enough for a refresh, or a few
// synth_fit calls before the synth_insert that uses one of them.
struct FittedSource {
  std::string hash;
  std::string table;
  TimestampTz fitted_at = 0;
};
constexpr std::size_t kRememberedFits = 8;
std::array<FittedSource, kRememberedFits> remembered;
std::size_t next_slot = 0;

// At most this many distinct real domains are read: a profile holds at most 256.
constexpr int kDomainLimit = static_cast<int>(kMaxProfileDomains) + 1;

struct DomainRead {
  char** names;
  int count;
  bool skipped;
};

std::string listed(const std::set<std::string>& names) {
  constexpr std::size_t kShown = 5;
  std::string text;
  std::size_t i = 0;
  for (const std::string& name : names) {
    if (i == kShown) {
      text += ", and " + std::to_string(names.size() - kShown) + " more";
      break;
    }
    text += (i++ ? ", " : "") + name;
  }
  return text;
}

}  // namespace

void remember_fitted_profile(const std::string& hash, Oid relid) {
  const char* name = pg_guard([relid] {
    const char* relname = get_rel_name(relid);
    if (relname == nullptr) return static_cast<const char*>(nullptr);
    return static_cast<const char*>(
        quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), relname));
  });
  if (name == nullptr) return;
  const TimestampTz now = pg_guard([] { return GetCurrentTimestamp(); });
  for (FittedSource& fit : remembered)
    if (fit.hash == hash) {
      fit.table = name;
      fit.fitted_at = now;
      return;
    }
  remembered[next_slot] = {hash, name, now};
  next_slot = (next_slot + 1) % kRememberedFits;
}

bool fitted_profile_source(const std::string& hash, std::string& table, TimestampTz& fitted_at) {
  for (const FittedSource& fit : remembered)
    if (!fit.hash.empty() && fit.hash == hash) {
      table = fit.table;
      fitted_at = fit.fitted_at;
      return true;
    }
  return false;
}

void warn_foreign_domains(Oid relid, const char* table, const Profile& profile) {
  struct Columns {
    AttrNumber data_source, is_active, domain, result;
    Oid result_type;
    bool readable;
  };
  const Columns c = pg_guard([relid] {
    Columns x{};
    x.data_source = get_attnum(relid, "data_source");
    x.is_active = get_attnum(relid, "is_active");
    x.domain = get_attnum(relid, "domain");
    x.result = get_attnum(relid, "enhancement_result");
    x.result_type = x.result != InvalidAttrNumber ? getBaseType(get_atttype(relid, x.result)) : InvalidOid;
    // The check reads with the caller's rights; without them it says nothing
    // (the insert itself needs only INSERT).
    const Oid user = GetUserId();
    x.readable = pg_class_aclcheck(relid, user, ACL_SELECT) == ACLCHECK_OK;
    if (!x.readable) {
      x.readable = true;
      for (AttrNumber a : {x.data_source, x.is_active, x.domain, x.result})
        if (a != InvalidAttrNumber && pg_attribute_aclcheck(relid, a, user, ACL_SELECT) != ACLCHECK_OK)
          x.readable = false;
    }
    return x;
  });
  if (!c.readable || c.data_source == InvalidAttrNumber) return;
  std::string domain;
  std::string extra;
  if (c.result != InvalidAttrNumber && (c.result_type == JSONBOID || c.result_type == JSONOID)) {
    domain = "enhancement_result OPERATOR(pg_catalog.->) 'metadata' OPERATOR(pg_catalog.->>) 'domain'";
    // json's operators fail on a document that escapes U+0000: such rows are passed over.
    if (c.result_type == JSONOID)
      extra =
          " AND pg_catalog.strpos(enhancement_result::pg_catalog.text, E'\\\\u0000') OPERATOR(pg_catalog.=) "
          "0";
  } else if (c.domain != InvalidAttrNumber) {
    domain = "domain::pg_catalog.text";
  } else {
    return;
  }
  // A row without a domain is fitted as "unknown".
  const std::string query = "SELECT DISTINCT COALESCE(NULLIF(" + domain + ", ''), 'unknown') FROM " + table +
                            " WHERE data_source::pg_catalog.text IS DISTINCT FROM 'synthetic'" +
                            (c.is_active != InvalidAttrNumber ? " AND is_active IS NOT FALSE" : "") + extra +
                            " LIMIT " + std::to_string(kDomainLimit);
  const char* sql = query.c_str();
  const DomainRead read = pg_guard([sql] {
    DomainRead out{};
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    const int rc = SPI_execute(sql, true, kDomainLimit);
    if (rc != SPI_OK_SELECT) elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
    out.count = static_cast<int>(SPI_processed);
    out.names = static_cast<char**>(SPI_palloc(sizeof(char*) * Max(out.count, 1)));
    for (int i = 0; i < out.count; ++i) {
      char* value = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
      out.names[i] = value == nullptr ? nullptr : static_cast<char*>(SPI_palloc(strlen(value) + 1));
      if (value != nullptr) strcpy(out.names[i], value);
    }
    SPI_finish();
    return out;
  });
  if (read.count == 0) return;  // no real rows: nothing to meet
  std::set<std::string> real;
  for (int i = 0; i < read.count; ++i)
    if (read.names[i] != nullptr) real.insert(read.names[i]);
  std::set<std::string> fitted;
  for (const DomainProfile& d : profile.domains) fitted.insert(d.name);
  for (const std::string& name : real)
    if (fitted.count(name) != 0) return;
  const std::string message = "the profile's domains (" + listed(fitted) +
                              ") have none in common with the real domains of " + table + " (" +
                              listed(real) + ")";
  const char* text = message.c_str();
  pg_guard([text] { ereport(WARNING, (errmsg("%s", text))); });
}

}  // namespace synth::pg
