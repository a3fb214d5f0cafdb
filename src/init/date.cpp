#include "init/date.hpp"

#include "drivers/rtc/cmos_rtc.hpp"
#include "kernel/log/log.hpp"
#include "kernel/time/clock.hpp"
#include "kernel/time/wall_clock.hpp"

namespace init {

void read_wall_clock(const kernel::acpi::Platform* platform) {
    const bool have_fadt =
        platform != nullptr && platform->fadt_state == kernel::acpi::Found::Parsed;
    if (have_fadt && platform->fadt.has_boot_arch &&
        (platform->fadt.boot_arch & kernel::acpi::boot_arch::kNoCmosRtc) != 0) {
        kernel::log::info("date: unknown (the FADT says this machine has no CMOS clock)");
        return;
    }
    u8 century_register = have_fadt ? platform->fadt.century : 0;
    if (century_register != 0 && !drivers::rtc::valid_century_register(century_register)) {
        kernel::log::warn(
            "date: the FADT's century register {:#04x} is no CMOS byte to read (00h-0Dh are the "
            "clock's own, 80h and up would mask NMIs): not read",
            century_register);
        century_register = 0;
    }
    const Result<kernel::time::DateTime, ktl::string_view> date =
        drivers::rtc::read_date(century_register);
    if (!date) {
        kernel::log::warn("date: unknown (the CMOS clock: {})", date.error());
        return;
    }
    kernel::time::set_wall_clock(*date, kernel::time::now_ns());
    const kernel::time::DateTime& d = *date;
    kernel::log::info(
        "date: {:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC{}", d.year, d.month, d.day, d.hour, d.minute,
        d.second, century_register != 0 ? "" : " (century assumed: no usable century register)");
}

}  // namespace init
