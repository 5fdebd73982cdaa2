#pragma once
// Operation names with the parts that differ from request to request (ids, numbers, dates, e-mail
// addresses) replaced by placeholders, so `GET /user/42` and `GET /user/43` name one operation.

#include <string>
#include <string_view>
#include <vector>

namespace spanwise {

// Each kind of part replaced, as a bit; a name reports the ones it needed.
enum Normalisation : unsigned {
    NormalisedUuid = 1 << 0,   // 8-4-4-4-12 hex digits         → {uuid}
    NormalisedDate = 1 << 1,   // YYYY-MM-DD                    → {date}
    NormalisedEmail = 1 << 2,  // local@domain.tld              → {email}
    NormalisedHexId = 1 << 3,  // 8+ hex digits, at least 1 0-9 → {hex}
    NormalisedNumber = 1 << 4, // a word of decimal digits      → {n}
};

// Only whole words are replaced: `v2`, `s3`, `http2` and `utf8` stay as they are.
std::string normaliseOperationName(std::string_view name, unsigned* applied = nullptr);

// "uuids", "dates", "emails", "hex ids", "numbers": the ones set in `applied`, in that order.
std::vector<std::string> normalisationNames(unsigned applied);

} // namespace spanwise
