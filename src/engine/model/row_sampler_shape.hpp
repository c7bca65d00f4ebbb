// The shape every row sampler shares (RowSampler, ProfileSampler), so the SQL
// layer's row functions are one template over them (src/pg/row_source.hpp):
// a Row with no destructor, n(), and sample(sample_id, Row&), which makes any
// row alone and never throws (it runs inside pg_guard blocks).
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

namespace synth {

template <typename Sampler, typename = void>
struct IsRowSampler : std::false_type {};

template <typename Sampler>
struct IsRowSampler<Sampler, std::void_t<typename Sampler::Row, decltype(std::declval<const Sampler&>().n()),
                                         decltype(std::declval<const Sampler&>().sample(
                                             std::int64_t{}, std::declval<typename Sampler::Row&>()))>>
    : std::bool_constant<
          std::is_trivially_destructible_v<typename Sampler::Row> &&
          std::is_same_v<decltype(std::declval<const Sampler&>().n()), std::int64_t>&& noexcept(
              std::declval<const Sampler&>().sample(std::int64_t{},
                                                    std::declval<typename Sampler::Row&>()))> {};

}  // namespace synth
