#include "decompress.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>

namespace spanwise {

namespace {

constexpr std::size_t kChunk = std::size_t(1) << 20;

// Grows out in chunks as a decompressor asks for room; enforces the cap.
class OutputSink {
public:
    OutputSink(FileBuffer& out, std::uint64_t cap) : m_out(out), m_cap(cap) {}

    // Room for at least one more chunk; false when the cap or memory is exhausted.
    bool makeRoom(std::string& error)
    {
        if (m_used >= m_cap) {
            error = "decompressed size exceeds the limit of " + std::to_string(m_cap >> 20) +
                    " MiB (a decompression bomb, or raise the limit)";
            return false;
        }
        if (m_capacity - m_used >= kChunk / 2)
            return true;
        const std::uint64_t wanted = std::min<std::uint64_t>(m_cap,
                                                             std::max<std::uint64_t>(m_capacity * 2, kChunk * 4));
        if (!m_out.resizeHeap(wanted)) {
            error = "out of memory while decompressing";
            return false;
        }
        m_capacity = wanted;
        return true;
    }
    char* next() { return m_out.writableData() + m_used; }
    std::size_t room() const { return m_capacity - m_used; }
    void advance(std::size_t n) { m_used += n; }
    bool finish() { return m_out.resizeHeap(m_used); }

private:
    FileBuffer& m_out;
    std::uint64_t m_cap;
    std::uint64_t m_used = 0;
    std::uint64_t m_capacity = 0;
};

DecompressResult inflateGzip(const Input& input, OutputSink& sink)
{
    DecompressResult result;
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) {
        result.error = "cannot initialise zlib";
        return result;
    }
    const auto* in = reinterpret_cast<const Bytef*>(input.data);
    std::size_t consumed = 0;
    int rc = Z_OK;
    while (true) {
        if (!sink.makeRoom(result.error))
            break;
        z.next_in = const_cast<Bytef*>(in + consumed);
        z.avail_in = static_cast<uInt>(std::min<std::size_t>(input.size - consumed, kChunk));
        z.next_out = reinterpret_cast<Bytef*>(sink.next());
        z.avail_out = static_cast<uInt>(std::min<std::size_t>(sink.room(), kChunk));
        const uInt before = z.avail_in, roomBefore = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        consumed += before - z.avail_in;
        sink.advance(roomBefore - z.avail_out);
        if (rc == Z_STREAM_END) {
            // Another gzip member may follow (concatenated .gz files are valid gzip).
            if (consumed < input.size && detectCompression(input.text().substr(consumed)) == Compression::Gzip) {
                inflateReset(&z);
                continue;
            }
            result.ok = true;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            result.error = std::string("corrupt gzip data (") + (z.msg ? z.msg : "inflate failed") + ")";
            break;
        }
        if (consumed == input.size && z.avail_out != 0) {
            result.error = "gzip data ends early (truncated file)";
            break;
        }
    }
    result.errorOffset = consumed;
    inflateEnd(&z);
    return result;
}

DecompressResult inflateZstd(const Input& input, OutputSink& sink)
{
    DecompressResult result;
    ZSTD_DStream* stream = ZSTD_createDStream();
    ZSTD_inBuffer in{input.data, input.size, 0};
    std::size_t lastHint = 1;
    while (in.pos < input.size) {
        if (!sink.makeRoom(result.error))
            break;
        ZSTD_outBuffer out{sink.next(), std::min<std::size_t>(sink.room(), kChunk), 0};
        lastHint = ZSTD_decompressStream(stream, &out, &in);
        sink.advance(out.pos);
        if (ZSTD_isError(lastHint)) {
            result.error = std::string("corrupt zstd data (") + ZSTD_getErrorName(lastHint) + ")";
            break;
        }
    }
    if (result.error.empty()) {
        // Flush what the decoder still holds once all input is consumed.
        while (lastHint != 0) {
            if (!sink.makeRoom(result.error))
                break;
            ZSTD_outBuffer out{sink.next(), std::min<std::size_t>(sink.room(), kChunk), 0};
            lastHint = ZSTD_decompressStream(stream, &out, &in);
            sink.advance(out.pos);
            if (ZSTD_isError(lastHint)) {
                result.error = std::string("corrupt zstd data (") + ZSTD_getErrorName(lastHint) + ")";
                break;
            }
            if (out.pos == 0) {
                result.error = "zstd data ends early (truncated file)";
                break;
            }
        }
        result.ok = result.error.empty();
    }
    result.errorOffset = in.pos;
    ZSTD_freeDStream(stream);
    return result;
}

} // namespace

Compression detectCompression(std::string_view head)
{
    if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b)
        return Compression::Gzip;
    if (head.size() >= 4 && head.substr(0, 4) == std::string_view("\x28\xb5\x2f\xfd", 4))
        return Compression::Zstd;
    return Compression::None;
}

const char* toString(Compression compression)
{
    switch (compression) {
    case Compression::Gzip:
        return "gzip";
    case Compression::Zstd:
        return "zstd";
    case Compression::None:
        break;
    }
    return "";
}

DecompressResult decompress(const Input& input, Compression compression, std::uint64_t maxOutput, FileBuffer& out)
{
    OutputSink sink(out, maxOutput);
    DecompressResult result = compression == Compression::Gzip ? inflateGzip(input, sink) : inflateZstd(input, sink);
    if (!sink.finish() && result.ok) {
        result.ok = false;
        result.error = "out of memory while decompressing";
    }
    return result;
}

} // namespace spanwise
