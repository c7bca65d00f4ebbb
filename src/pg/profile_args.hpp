// SQL arguments of the fitted path: a profile passed as jsonb, domain weights
// named after the profile's domains, and the options a profile replaces.
#pragma once

#include <string>
#include <vector>

#include "engine/profile/profile_sampler.hpp"
#include "pg/generator_args.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

// jsonb -> text -> parse_profile (throws synth::Error 22023 for a bad profile).
Profile read_profile(Jsonb* profile);

// One weight per profile domain, from a jsonb object of name -> number.
std::vector<double> read_profile_domain_weights(Jsonb* weights, const Profile& profile);

// A profile sets the score bands and the dependence; tier_shares or
// label_noise other than their defaults contradict it (22023).
void reject_options_a_profile_replaces(FunctionCallInfo fcinfo, int tier_shares_arg, int label_noise_arg);

// A fitted call's arguments, read in one order by every function that takes
// a profile: tier_shares and label_noise must keep their defaults, then the
// profile, n (22004, 22023, 54000), seed (NULL: a fresh one) and domain_weights.
struct FittedArguments {
  Profile profile;
  ProfileOptions options;
  bool weights_given = false;
};
FittedArguments read_fitted_arguments(FunctionCallInfo fcinfo, const GeneratorArgPositions& at,
                                      int profile_arg);

// An ISO 8601 UTC text of ts ("unknown" where it has none), as documents carry it.
void format_utc_timestamp(TimestampTz ts, char* out, std::size_t size);

}  // namespace synth::pg
