#include "engine/model/interrupt.hpp"

namespace synth {
namespace detail {
InterruptCheck interrupt_check = nullptr;
std::uint32_t interrupt_countdown = kInterruptStride;

void throw_interrupted() { throw Interrupted{}; }
}  // namespace detail

void set_interrupt_check(InterruptCheck check) noexcept {
  detail::interrupt_check = check;
  detail::interrupt_countdown = kInterruptStride;
}

}  // namespace synth
