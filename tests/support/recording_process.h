#pragma once
// `spanwise record` run as the tests' child process: started with its endpoints on free ports, the
// addresses it printed, spans posted to it over HTTP, stopped by a signal.

#include <QByteArray>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace spanwise::test {

class RecordingProcess {
public:
    ~RecordingProcess();

    // Starts `spanwise record` with args and waits until it printed `listening ENDPOINT ADDRESS` for each
    // of the endpoints expected (or exited). False when it did not get there within 30 s.
    bool start(const QStringList& args, int endpoints);
    // "127.0.0.1:40123" for "otlp-http" and so on; empty when not printed.
    QString address(const QString& endpoint) const { return m_addresses.value(endpoint); }
    // Sends the signal and waits for the process to end (60 s at most). False when it did not end.
    bool stop(int signal);
    // Waits for the process to end by itself.
    bool waitForExit(int milliseconds);
    qint64 pid() const { return m_process.processId(); }

    int exitCode() const { return m_process.exitCode(); }
    bool crashed() const { return m_process.exitStatus() == QProcess::CrashExit; }
    QByteArray out() const { return m_out; }
    QByteArray err() const { return m_err; }
    // stderr without the `listening` lines: what a successful run must leave empty.
    QByteArray errBesidesListening() const;

private:
    void readOutput();
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
    QMap<QString, QString> m_addresses;
};

// POSTs body to http://address/path with the content type; the HTTP status, or 0 when the request
// failed (refused, closed without an answer, 10 s without one).
int postHttp(const QString& address, const QByteArray& path, const QByteArray& contentType, const QByteArray& body);

} // namespace spanwise::test
