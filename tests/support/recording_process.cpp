#include "recording_process.h"

#include <QDeadlineTimer>
#include <QTcpSocket>

#include <csignal>

namespace spanwise::test {

RecordingProcess::~RecordingProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
}

bool RecordingProcess::start(const QStringList& args, int endpoints)
{
    m_process.start(QStringLiteral(SPANWISE_BINARY), QStringList{QStringLiteral("record")} + args);
    const QDeadlineTimer deadline(30000);
    while (m_addresses.size() < endpoints && !deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning) {
            readOutput();
            return false;
        }
        m_process.waitForReadyRead(100);
        readOutput();
    }
    return m_addresses.size() >= endpoints;
}

void RecordingProcess::readOutput()
{
    m_out += m_process.readAllStandardOutput();
    m_err += m_process.readAllStandardError();
    for (const QByteArray& line : m_err.split('\n')) {
        const QList<QByteArray> words = line.split(' ');
        if (words.size() == 3 && words[0] == "listening")
            m_addresses.insert(QString::fromLatin1(words[1]), QString::fromLatin1(words[2]));
    }
}

bool RecordingProcess::stop(int signal)
{
    ::kill(static_cast<pid_t>(m_process.processId()), signal);
    return waitForExit(60000);
}

bool RecordingProcess::waitForExit(int milliseconds)
{
    const bool ended = m_process.state() == QProcess::NotRunning || m_process.waitForFinished(milliseconds);
    readOutput();
    return ended;
}

QByteArray RecordingProcess::errBesidesListening() const
{
    QByteArray rest;
    for (const QByteArray& line : m_err.split('\n')) {
        if (!line.isEmpty() && !line.startsWith("listening "))
            rest += line + '\n';
    }
    return rest;
}

int postHttp(const QString& address, const QByteArray& path, const QByteArray& contentType, const QByteArray& body)
{
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    QTcpSocket socket;
    socket.connectToHost(address.left(colon), address.mid(colon + 1).toUShort());
    if (!socket.waitForConnected(10000))
        return 0;
    socket.write("POST " + path + " HTTP/1.1\r\nHost: " + address.toLatin1() + "\r\nContent-Type: " + contentType +
                 "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    QByteArray answer;
    const QDeadlineTimer deadline(10000);
    while (!answer.contains("\r\n") && !deadline.hasExpired()) {
        if (!socket.waitForReadyRead(100) && socket.state() != QAbstractSocket::ConnectedState)
            break;
        answer += socket.readAll();
    }
    answer += socket.readAll();
    // "HTTP/1.1 200 OK"
    const QList<QByteArray> status = answer.left(answer.indexOf("\r\n")).split(' ');
    return status.size() >= 2 && status[0].startsWith("HTTP/") ? status[1].toInt() : 0;
}

} // namespace spanwise::test
