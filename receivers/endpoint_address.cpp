#include "endpoint_address.h"

#include <QHostAddress>

#include <charconv>

namespace spanwise {

std::string HostPort::text() const
{
    const std::string address = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return address + ":" + std::to_string(port);
}

std::optional<HostPort> parseHostPort(std::string_view text, std::string& error)
{
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        error = "\"" + std::string(text) + "\" is not host:port (such as 127.0.0.1:4318)";
        return std::nullopt;
    }
    std::string_view host = text.substr(0, colon);
    const std::string_view portText = text.substr(colon + 1);
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (portText.empty() || ec != std::errc() || end != portText.data() + portText.size() || port > 65535) {
        error = "\"" + std::string(portText) + "\" in \"" + std::string(text) + "\" is not a port (0 to 65535)";
        return std::nullopt;
    }
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const std::string name = host == "localhost" ? std::string("127.0.0.1") : std::string(host);
    const QHostAddress address(QString::fromStdString(name));
    if (address.isNull()) {
        error = "\"" + std::string(host) + "\" in \"" + std::string(text) +
                "\" is not an IP address (such as 127.0.0.1, ::1 or 0.0.0.0)";
        return std::nullopt;
    }
    return HostPort{address.toString().toStdString(), static_cast<std::uint16_t>(port), address.isLoopback()};
}

} // namespace spanwise
