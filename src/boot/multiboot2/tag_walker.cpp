#include "boot/multiboot2/tag_walker.hpp"

#include "boot/multiboot2/layout.hpp"
#include "lib/ktl/bit.hpp"

namespace boot::multiboot2 {

ktl::optional<u32> peek_total_size(Bytes first8) {
    InfoHeader header{};
    if (!load(first8, 0, header)) return ktl::nullopt;
    return header.total_size;
}

ParseResult check_header(Bytes mbi, u64 mbi_phys, Bytes& info) {
    ParseResult result;
    InfoHeader header{};
    if (!ktl::is_aligned<u64>(mbi_phys, kAlign)) {
        result.error = Error::Misaligned;
    } else if (!load(mbi, 0, header)) {
        result.error = Error::HeaderTruncated;
    } else if (header.total_size < sizeof(InfoHeader) + sizeof(TagHeader)) {
        result.error = Error::TotalSizeTooSmall;
    } else if (header.total_size > mbi.size()) {
        result.error = Error::TotalSizeExceedsBuffer;
    } else if (mbi_phys > ~u64{0} - (header.total_size - 1)) {
        // The last byte must be addressable; ending exactly at 2^64 is fine.
        result.error = Error::AddressWraps;
    } else {
        // `reserved` is deliberately not checked: the spec says to ignore it.
        info = mbi.subspan(0, header.total_size);
    }
    return result;
}

bool TagWalker::fail(Error error, u32 type) {
    result_.error = error;
    result_.tag_offset = static_cast<u32>(offset_);
    result_.tag_type = type;
    done_ = true;
    return false;
}

bool TagWalker::next(Tag& tag) {
    if (done_) return false;
    // Tags are never skipped silently: running off the end means the
    // loader (or whatever overwrote the MBI) left out the END tag.
    if (offset_ >= info_.size()) return fail(Error::MissingEnd, ParseResult::kNoTag);

    TagHeader header{};
    if (!load(info_, offset_, header)) return fail(Error::TagHeaderTruncated, ParseResult::kNoTag);
    if (header.size < sizeof(TagHeader)) return fail(Error::TagSizeTooSmall, header.type);
    // in_bounds() compares against the remaining length, so a size near
    // UINT32_MAX cannot overflow the end computation.
    if (!in_bounds(info_, offset_, header.size)) return fail(Error::TagOverrunsInfo, header.type);

    if (header.type == static_cast<u32>(TagType::End)) {
        if (header.size != sizeof(TagHeader)) return fail(Error::EndTagBadSize, header.type);
        done_ = true;
        return false;
    }

    tag.type = header.type;
    tag.size = header.size;
    tag.offset = static_cast<u32>(offset_);
    tag.bytes = info_.subspan(offset_, header.size);
    // Tags are padded to 8 bytes (spec 3.6.1). offset_ + size <= total_size
    // < 2^32, so rounding up in 64 bits cannot wrap; keeping every offset a
    // multiple of 8 is what makes every tag 8-byte aligned.
    offset_ = ktl::align_up<u64>(static_cast<u64>(offset_) + header.size, kAlign);
    return true;
}

}  // namespace boot::multiboot2
