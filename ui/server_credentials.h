#pragma once
// Credentials for trace servers, kept in the platform's keychain (the Secret Service, macOS
// Keychain, Windows Credential Store) only when the user asks to save them, and in memory for the
// session otherwise. Never written to settings or files.

#include "trace_download.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace spanwise {

class ServerCredentialStore : public QObject {
    Q_OBJECT
public:
    explicit ServerCredentialStore(QObject* parent = nullptr);

    // The credentials for a server (its base URL): this session's, else the keychain's, else none.
    // done runs later on this thread, also when the keychain cannot be reached.
    void find(const QUrl& base, std::function<void(const ServerCredentials&)> done);
    // Remembered for the session; also written to the keychain when save is true, and taken out of
    // it when not. done gets what went wrong saving, or an empty text.
    void remember(const QUrl& base, const ServerCredentials& credentials, bool save,
                  std::function<void(const QString& error)> done = {});

    static QString keyFor(const QUrl& base);
    static bool isSaved(const QUrl& base); // in the keychain

private:
    QHash<QString, ServerCredentials> m_session;
};

} // namespace spanwise
