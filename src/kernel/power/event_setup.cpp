#include "kernel/power/event_setup.hpp"

#include "lib/format/format.hpp"
#include "lib/format/sink.hpp"

namespace kernel::power {
namespace {

// A GPE block's status half (its first registers) or its enable half.
RegisterRun gpe_half(const acpi::GpeBlock& block, bool enable, u32 value) {
    Register first{block.where, 1};
    first.where.bit_width = 8;
    if (enable) first.where.address += block.registers();
    return {first, block.registers(), value};
}

void add(EventSetup& setup, const RegisterRun& run) {
    if (run.first.present() && run.count != 0 && setup.count < EventSetup::kMaxRuns)
        setup.runs[setup.count++] = run;
}

}  // namespace

EventSetup plan_event_setup(const acpi::Fadt& fadt) {
    EventSetup setup;
    if (fadt.hardware_reduced()) return setup;
    const Register pm1_enable[] = {pm1_enable_register(fadt.pm1a_event),
                                   pm1_enable_register(fadt.pm1b_event)};
    const Register pm1_status[] = {pm1_status_register(fadt.pm1a_event),
                                   pm1_status_register(fadt.pm1b_event)};
    const acpi::GpeBlock gpe[] = {fadt.gpe0, fadt.gpe1};
    // Enables off first, so that nothing cleared below is raised again
    // before the button alone is enabled.
    for (const Register& r : pm1_enable) add(setup, {r, 1, 0});
    for (const acpi::GpeBlock& b : gpe)
        if (b.present()) add(setup, gpe_half(b, true, 0));
    for (const Register& r : pm1_status) add(setup, {r, 1, pm1_status::kAll});
    for (const acpi::GpeBlock& b : gpe)
        if (b.present()) add(setup, gpe_half(b, false, 0xFF));
    for (const Register& r : pm1_enable) add(setup, {r, 1, pm1_status::kPowerButton});
    return setup;
}

void describe_gpe_blocks(const acpi::Fadt& fadt, kfmt::Sink& out) {
    const auto one = [&out](ktl::string_view name, const acpi::GpeBlock& b) {
        if (!b.present()) {
            kfmt::format_to(out, "no {}", name);
            return;
        }
        kfmt::format_to(out, "{} {} {:#x}, {}+{} registers", name, acpi::space_name(b.where.space),
                        b.where.address, b.registers(), b.registers());
    };
    one("GPE0", fadt.gpe0);
    out.write("; ", 2);
    one("GPE1", fadt.gpe1);
}

}  // namespace kernel::power
