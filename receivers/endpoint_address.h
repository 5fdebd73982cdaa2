#pragma once
// "host:port" as the options give it: an IP address ("localhost" for 127.0.0.1; IPv6 in brackets)
// and a port, 0 for any free one.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spanwise {

struct HostPort {
    std::string host; // the address without brackets: "127.0.0.1", "::1"
    std::uint16_t port = 0;
    bool loopback = false;

    std::string text() const; // "127.0.0.1:4318", "[::1]:4318"
};

// The address, or nullopt with error saying what is wrong.
std::optional<HostPort> parseHostPort(std::string_view text, std::string& error);

} // namespace spanwise
