// SQL arguments -> engine options: the checks every generating function shares.
#pragma once

#include <cstdint>

#include "engine/generate/generator_options.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

// Argument positions of one generator call, as declared in the install script.
struct GeneratorArgPositions {
  int n;
  int seed;
  int domain_weights;
  int tier_shares;
  int label_noise;
};

// Reads and validates the options; a NULL seed draws a fresh one.
// Throws synth::Error naming the argument at fault.
GeneratorOptions read_generator_options(FunctionCallInfo fcinfo, const GeneratorArgPositions& at);

// Reads slice_start and slice_rows (NULL: to the end) and checks them against n.
SliceRange read_slice(FunctionCallInfo fcinfo, int start_arg, int rows_arg, std::int64_t n);

// The members of a jsonb object of name -> number, in its order, as plain
// palloc'd data: domain_weights of the design table and of a profile alike.
struct NamedNumber {
  const char* name;
  int name_length;
  double value;           // a number's value (huge ones infinite)
  const char* json_type;  // nullptr for a number, else "a string", "null", ...
  const char* underflow;  // a positive number that reads as 0: its text; else nullptr
};
struct NamedNumbers {
  NamedNumber* members;
  int count;
};
NamedNumbers read_named_numbers(Jsonb* object);

std::array<double, kDomainCount> parse_domain_weights(Jsonb* weights);
std::array<double, kTierCount> parse_tier_shares(ArrayType* shares);
std::uint64_t fresh_seed();

}  // namespace synth::pg
