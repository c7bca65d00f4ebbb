// How a long computation in the engine learns that its caller wants it to
// stop. The engine cannot see the server, so the server layer installs a
// check (set_interrupt_check) when the module loads; loops whose length
// depends on data or arguments call poll_interrupt() in every iteration (a
// counter: the check itself runs once every kInterruptStride calls) or
// check_interrupt() where one iteration is already long. When the check
// answers yes they throw synth::Interrupted, which unwinds the C++ frames;
// the server layer catches it and raises the server's own cancel error.
#pragma once

#include <cstddef>
#include <cstdint>

namespace synth {

// Thrown when the installed check says the caller asked to stop. Not an
// std::exception on purpose: no generic handler may mistake it for an error
// of the engine and turn it into another message.
struct Interrupted {};

// Answers whether the computation should stop; must not throw. nullptr (the
// default) never stops.
using InterruptCheck = bool (*)();

// Installs the check (the server layer does this once, when it loads).
void set_interrupt_check(InterruptCheck check) noexcept;

namespace detail {
extern InterruptCheck interrupt_check;
extern std::uint32_t interrupt_countdown;
[[noreturn]] void throw_interrupted();
}  // namespace detail

// Calls between two real checks in poll_interrupt(): an iteration of the
// loops that poll costs from a few to a few hundred nanoseconds, so the
// check runs every few microseconds to a millisecond.
inline constexpr std::uint32_t kInterruptStride = 4096;

// The real check, now: throws Interrupted when the caller asked to stop.
inline void check_interrupt() {
  detail::interrupt_countdown = kInterruptStride;
  if (detail::interrupt_check != nullptr && detail::interrupt_check()) detail::throw_interrupted();
}

// The cheap poll for one iteration of a loop: a counter, and the real check
// once every kInterruptStride calls. `work` counts an iteration that does
// more than one unit (e.g. a pass over a row of w values may pass w).
inline void poll_interrupt(std::uint32_t work = 1) {
  if (detail::interrupt_countdown > work) {
    detail::interrupt_countdown -= work;
    return;
  }
  check_interrupt();
}

}  // namespace synth
