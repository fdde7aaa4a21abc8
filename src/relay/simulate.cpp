// NOT YET IMPLEMENTED: a stub so that code built on the relay API compiles; every verdict is
// Verdict::unknown until the interpreter lands.
#include "relay/simulate.hpp"

namespace smaudit::relay {

std::string_view to_string(Verdict verdict) {
    switch (verdict) {
    case Verdict::accepted:
        return "accepted";
    case Verdict::rejected:
        return "rejected";
    case Verdict::tempfail:
        return "tempfail";
    case Verdict::unknown:
        break;
    }
    return "unknown";
}

struct Simulator::Impl {
    std::vector<std::string> notes;
};

Simulator::Simulator(const model::Config&, Environment) : impl_(std::make_unique<Impl>()) {}
Simulator::~Simulator() = default;
Simulator::Simulator(Simulator&&) noexcept = default;
Simulator& Simulator::operator=(Simulator&&) noexcept = default;

Outcome Simulator::run(const Probe&) const {
    return {};
}
Outcome Simulator::rewrite(std::string_view, std::string_view, const Probe&) const {
    return {};
}
const std::vector<std::string>& Simulator::notes() const {
    return impl_->notes;
}

Outcome simulate(const model::Config& config, const Environment& env, const Probe& probe) {
    return Simulator(config, env).run(probe);
}

} // namespace smaudit::relay
