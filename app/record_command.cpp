#include "record_command.h"

#include "command_line.h"
#include "image_arguments.h"
#include "summary_command.h"

#include <endpoint_address.h>
#include <live_store_sink.h>
#include <loader.h>
#include <otlp_writer.h>
#include <receivers.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QSaveFile>
#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <sys/socket.h>
#include <unistd.h>

namespace spanwise {

namespace {

const char* const kUsage =
    "usage: spanwise record -o OUT.otlp.pb|OUT.otlp.jsonl [--otlp-grpc ADDR] [--otlp-http ADDR]\n"
    "                       [--zipkin ADDR] [--idle SECONDS] [--max-spans N]\n"
    "  -o, --output OUT   the capture to write: OTLP protobuf (.otlp.pb) or OTLP JSON lines (.otlp.jsonl)\n"
    "  --otlp-grpc ADDR   receive OTLP over gRPC on ADDR (host:port, port 0 picks a free one)\n"
    "  --otlp-http ADDR   receive OTLP over HTTP (POST /v1/traces, protobuf or JSON) on ADDR\n"
    "  --zipkin ADDR      receive Zipkin spans (POST /api/v2/spans, /api/v1/spans) on ADDR\n"
    "                     Without any of the three: 127.0.0.1:4317 gRPC, :4318 HTTP and :9411 Zipkin.\n"
    "  --idle SECONDS     stop after this long without spans (default: run until SIGINT or SIGTERM)\n"
    "  --max-spans N      spans kept at most; over it the traces updated longest ago are dropped\n"
    "                     (default 1000000)\n"
    "Each endpoint prints `listening ENDPOINT ADDRESS` on stderr once it accepts spans. On SIGINT,\n"
    "SIGTERM or --idle, requests in progress are answered, every span acknowledged is written to OUT\n"
    "(replaced whole, never left half-written) and what was recorded is summarized as by\n"
    "`spanwise summary OUT`.\n";

constexpr std::uint64_t kDefaultMaxSpans = 1'000'000;
constexpr int kMaxSpansLimit = 1'000'000'000;
constexpr int kIdleCheckMs = 100;

int usageError(const std::string& message)
{
    return cli::usageError("record", cli::terminalSafe(message), kUsage);
}

int failure(const std::string& message)
{
    return cli::failure("record", cli::terminalSafe(message));
}

void warn(const std::string& message)
{
    std::cerr << "spanwise record: warning: " << cli::terminalSafe(message) << '\n';
}

struct RecordOptions {
    std::string output;
    OtlpEncoding encoding = OtlpEncoding::Protobuf;
    ReceiverOptions receivers;
    std::optional<std::chrono::milliseconds> idle;
    std::uint64_t maxSpans = kDefaultMaxSpans;
};

// Seconds, decimals allowed ("1.5"), more than zero.
std::optional<std::chrono::milliseconds> parseSeconds(const std::string& text)
{
    double seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error != std::errc() || end != text.data() + text.size() || !(seconds > 0) || seconds > 1e7)
        return std::nullopt;
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000)));
}

std::optional<RecordOptions> parseOptions(const std::vector<std::string>& args, std::string& problem)
{
    const cli::Arguments parsed = cli::parseArguments(
        args, {}, {"-o", "--output", "--otlp-grpc", "--otlp-http", "--zipkin", "--idle", "--max-spans"});
    if (!parsed.unknown.empty()) {
        problem = "unknown option " + parsed.unknown;
        return std::nullopt;
    }
    if (!parsed.missingValue.empty()) {
        problem = parsed.missingValue + " needs a value";
        return std::nullopt;
    }
    if (!parsed.positional.empty()) {
        problem = "unexpected argument " + parsed.positional.front();
        return std::nullopt;
    }
    RecordOptions options;
    options.output = parsed.value("-o").value_or(parsed.value("--output").value_or(""));
    if (options.output.empty()) {
        problem = "no output file given (-o OUT.otlp.pb or OUT.otlp.jsonl)";
        return std::nullopt;
    }
    const auto encoding = otlpEncodingForPath(options.output);
    if (!encoding) {
        problem = "the output " + options.output +
                  " must end in .otlp.pb (OTLP protobuf) or .otlp.jsonl (OTLP JSON lines)";
        return std::nullopt;
    }
    options.encoding = *encoding;
    const auto grpc = parsed.value("--otlp-grpc");
    const auto http = parsed.value("--otlp-http");
    const auto zipkin = parsed.value("--zipkin");
    if (grpc || http || zipkin) { // only the endpoints named
        options.receivers.otlpGrpc = grpc.value_or("");
        options.receivers.otlpHttp = http.value_or("");
        options.receivers.zipkin = zipkin.value_or("");
        for (const auto& [name, value] :
             {std::pair{"--otlp-grpc", grpc}, {"--otlp-http", http}, {"--zipkin", zipkin}}) {
            std::string error;
            if (value && !parseHostPort(*value, error)) {
                problem = std::string(name) + " takes an address host:port: " + error;
                return std::nullopt;
            }
        }
    }
    if (const auto idle = parsed.value("--idle")) {
        options.idle = parseSeconds(*idle);
        if (!options.idle) {
            problem = "--idle takes a number of seconds more than 0, not " + *idle;
            return std::nullopt;
        }
    }
    if (const auto maxSpans = parsed.value("--max-spans")) {
        const auto n = cli::integerIn(*maxSpans, 1, kMaxSpansLimit);
        if (!n) {
            problem = "--max-spans takes a number of spans from 1 to " + std::to_string(kMaxSpansLimit) + ", not " +
                      *maxSpans;
            return std::nullopt;
        }
        options.maxSpans = static_cast<std::uint64_t>(*n);
    }
    return options;
}

// SIGINT and SIGTERM stop the recording from the event loop: the handler only writes the signal's
// number to a socket (async-signal-safe), which a QSocketNotifier reads.
class StopSignals {
public:
    StopSignals()
    {
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, m_fds) != 0)
            return;
        ::fcntl(m_fds[0], F_SETFL, O_NONBLOCK);
        ::fcntl(m_fds[1], F_SETFL, O_NONBLOCK);
        s_writeFd = m_fds[1];
        struct sigaction action = {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(SIGINT, &action, &m_oldInt);
        ::sigaction(SIGTERM, &action, &m_oldTerm);
        m_notifier.emplace(m_fds[0], QSocketNotifier::Read);
        QObject::connect(&*m_notifier, &QSocketNotifier::activated, [this] {
            char signal = 0;
            while (::read(m_fds[0], &signal, 1) == 1)
                m_received = signal;
            if (m_received && m_onStop)
                m_onStop();
        });
    }
    ~StopSignals()
    {
        if (m_fds[0] < 0)
            return;
        ::sigaction(SIGINT, &m_oldInt, nullptr);
        ::sigaction(SIGTERM, &m_oldTerm, nullptr);
        s_writeFd = -1;
        m_notifier.reset();
        ::close(m_fds[0]);
        ::close(m_fds[1]);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    bool installed() const { return m_fds[0] >= 0; }
    void onStop(std::function<void()> f) { m_onStop = std::move(f); }
    int received() const { return m_received; }

private:
    static void onSignal(int signal)
    {
        const int savedErrno = errno;
        const char byte = static_cast<char>(signal);
        if (s_writeFd >= 0) [[maybe_unused]]
            const ssize_t written = ::write(s_writeFd, &byte, 1);
        errno = savedErrno;
    }

    static inline volatile std::sig_atomic_t s_writeFd = -1;
    int m_fds[2] = {-1, -1};
    struct sigaction m_oldInt = {};
    struct sigaction m_oldTerm = {};
    std::optional<QSocketNotifier> m_notifier;
    std::function<void()> m_onStop;
    int m_received = 0;
};

// The output can be written: found out before receiving anything, not after.
std::optional<std::string> checkWritable(const std::string& path)
{
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly))
        return "cannot write " + path + ": " + file.errorString().toStdString();
    file.cancelWriting();
    return std::nullopt;
}

std::optional<std::string> writeCapture(const std::string& path, const std::string& bytes)
{
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(bytes.data(), static_cast<qint64>(bytes.size())) != static_cast<qint64>(bytes.size()) ||
        !file.commit())
        return "cannot write " + path + ": " + file.errorString().toStdString();
    return std::nullopt;
}

std::string plural(std::uint64_t n, const char* one, const char* many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string stopReason(int signal, const std::optional<std::chrono::milliseconds>& idle)
{
    if (signal == SIGINT)
        return "stopped by SIGINT";
    if (signal == SIGTERM)
        return "stopped by SIGTERM";
    std::string seconds = std::to_string(idle ? idle->count() / 1000.0 : 0.0);
    seconds.erase(seconds.find_last_not_of('0') + 1);
    if (seconds.ends_with('.'))
        seconds.pop_back();
    return "stopped after " + seconds + " s without spans";
}

// What the receivers saw: requests per endpoint on stdout, refused requests and lost spans as warnings.
void report(const Receivers& receivers, const std::vector<BoundAddress>& endpoints, const LiveCounts& counts,
            const RecordOptions& options, int signal)
{
    const ReceiverCounters all = receivers.counters();
    std::cout << "recorded " << plural(counts.keptSpans, "span", "spans") << " in "
              << plural(counts.keptTraces, "trace", "traces") << " from " << plural(all.requests, "request", "requests")
              << " (";
    const char* separator = "";
    for (const BoundAddress& bound : endpoints) {
        std::cout << separator << toString(bound.endpoint) << ' ' << receivers.counters(bound.endpoint).requests;
        separator = ", ";
    }
    std::cout << "), " << stopReason(signal, options.idle) << "\n\n";
    if (all.errors() > 0)
        warn(plural(all.errors(), "request", "requests") + " refused (" + std::to_string(all.unreadable) +
             " unreadable, " + std::to_string(all.tooLarge) + " too large, " + std::to_string(all.unsupportedType) +
             " of an unsupported type, " +
             std::to_string(all.notFound + all.wrongMethod + all.timedOut + all.sinkFailures) + " other)");
    if (all.rejectedSpans > 0)
        warn(plural(all.rejectedSpans, "span", "spans") + " rejected as unreadable");
    if (counts.droppedTraces > 0)
        warn(plural(counts.droppedTraces, "trace", "traces") + " (" + plural(counts.droppedSpans, "span", "spans") +
             ") dropped, updated longest ago, to keep at most --max-spans " + std::to_string(options.maxSpans));
}

} // namespace

int runRecordCommand(const std::vector<std::string>& args)
{
    if (std::find(args.begin(), args.end(), "--help") != args.end() ||
        std::find(args.begin(), args.end(), "-h") != args.end()) {
        std::cout << kUsage;
        return cli::Success;
    }
    std::string problem;
    const std::optional<RecordOptions> options = parseOptions(args, problem);
    if (!options)
        return usageError(problem);
    if (const auto error = checkWritable(options->output))
        return failure(*error);

    int qtArgc = 1;
    char programName[] = "spanwise";
    char* qtArgv[] = {programName, nullptr};
    std::optional<QCoreApplication> application; // the HTTP receivers need one
    if (!QCoreApplication::instance())
        application.emplace(qtArgc, qtArgv);

    LiveStore store(LiveStoreOptions{.maxSpans = options->maxSpans});
    StopSignals stopSignals;
    if (!stopSignals.installed())
        return failure(std::string("cannot watch for SIGINT and SIGTERM: ") + std::strerror(errno));
    Receivers receivers(options->receivers, liveStoreSink(store));
    for (const std::string& warning : exposureWarnings(options->receivers))
        warn(warning);
    const std::vector<std::string> errors = receivers.start();
    if (!errors.empty()) {
        receivers.stop();
        for (const std::string& error : errors)
            std::cerr << "spanwise record: " << cli::terminalSafe(error) << '\n';
        return cli::LoadFailed;
    }
    const std::vector<BoundAddress> endpoints = receivers.addresses(); // none once stopped
    for (const BoundAddress& bound : endpoints)
        std::cerr << "listening " << toString(bound.endpoint) << ' ' << bound.address << '\n';
    std::cerr.flush();

    QEventLoop loop;
    stopSignals.onStop([&loop] { loop.quit(); });
    QTimer idleCheck;
    const LiveClock::time_point started = LiveClock::now();
    if (options->idle) {
        QObject::connect(&idleCheck, &QTimer::timeout, [&] {
            const LiveClock::time_point last = store.counts().lastArrival.value_or(started);
            if (LiveClock::now() - last >= *options->idle)
                loop.quit();
        });
        idleCheck.start(kIdleCheckMs);
    }
    loop.exec(); // a signal that came while starting is waiting in the socket
    idleCheck.stop();

    receivers.stop(); // every request acknowledged is in the store from here on
    const Dataset capture = store.snapshot(BuildOptions{.adjustClockSkew = false});
    if (const auto error = writeCapture(options->output, writeOtlp(capture, options->encoding)))
        return failure(*error);
    report(receivers, endpoints, store.counts(), *options, stopSignals.received());
    // The summary of the file as written, as `spanwise summary OUT` prints it.
    std::vector<LoadResult> written;
    written.push_back(loadFile(options->output));
    if (!written.front().complete())
        return failure("the capture written does not read back:\n" + written.front().errorText());
    printSummaryTables(written);
    return cli::Success;
}

} // namespace spanwise
