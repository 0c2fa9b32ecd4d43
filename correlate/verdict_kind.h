#pragma once
// What a verdict row says, as enums; their names appear only in reports and the server.
#include <cstdint>
#include <string_view>

namespace flakegrab::correlate {

enum class Verdict { unmute, keep, mute, fix, orphan, no_signal, ok, ignored };
// Every verdict, in the order reports list them.
inline constexpr Verdict kVerdicts[] = {Verdict::unmute, Verdict::keep,   Verdict::mute,
                                        Verdict::fix,    Verdict::orphan, Verdict::no_signal,
                                        Verdict::ok,     Verdict::ignored};
std::string_view to_string(Verdict);

// The flake-history contract's classes, plus no_data for a test without a pass or failure.
enum class FlakeClass { no_data, stable, intermittent, actively_flaky, broken };
std::string_view to_string(FlakeClass);
// The contract's reference thresholds: stable (no failures or pass_rate >= 0.95),
// intermittent (0.5 <= pr < 0.95), actively_flaky (0 < pr < 0.5), broken (pr == 0, fails > 0).
FlakeClass classify_flake(std::int64_t pass_count, std::int64_t fail_count);
bool is_flaky(FlakeClass);

}  // namespace flakegrab::correlate
