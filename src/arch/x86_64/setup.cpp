// arch/setup.hpp: the boot-time entry points src/init/ calls, forwarded to
// the parts of src/arch/x86_64/ that implement them.
#include "arch/setup.hpp"

#include "arch/arch.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/image.hpp"
#include "arch/x86_64/paging/paging.hpp"
#include "arch/x86_64/tsc.hpp"

// The image's physical range as linked (linker/kernel.ld): addresses only.
extern "C" const u8 __kernel_physical_start[], __kernel_physical_end[];

namespace arch {

static_assert(kRflagsInterruptsOn == RFLAGS_IF, "arch.hpp names RFLAGS.IF for portable code");

void init_paging(const boot::BootParams& params, PageTableSource tables, void (*after_switch)()) {
    paging::init(params, tables, after_switch);
}
void set_page_table_source(PageTableSource tables) { paging::set_table_source(tables); }
u64 page_table_pages() { return paging::table_pages(); }

bool timestamp_counter_present() { return tsc::present(); }
u64 read_timestamp() { return tsc::read(); }
u64 boot_timestamp() { return tsc::boot_timestamp(); }
u64 timestamp_rate_from_cpuid() { return tsc::rate_from_cpuid(); }
bool plausible_timestamp_rate(u64 hz) { return tsc::plausible(hz); }
void set_timestamp_rate(u64 hz, ktl::string_view source) { tsc::set_rate(hz, source); }
u64 timestamp_rate() { return tsc::hz(); }
ktl::string_view timestamp_rate_source() { return tsc::rate_source(); }
void use_timestamp_fallback(u64 (*counter)(), u64 hz, ktl::string_view source) {
    tsc::use_counter(counter, hz, source);
}
bool timestamp_counts_from_boot() { return tsc::counts_from_boot(); }

ImagePlacement image_placement() {
    return {image::boot_phys(__kernel_physical_start), image::boot_phys(__kernel_physical_end),
            KERNEL_LOAD_ADDRESS, boot_image_check == IMAGE_CHECK_IN_RAM};
}

}  // namespace arch
