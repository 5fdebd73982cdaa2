#include "server_credentials.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QTimer>
#include <qt6keychain/keychain.h>

namespace spanwise {

namespace {

const QString kService = QStringLiteral("Spanwise trace servers");
// Which servers have credentials in the keychain (never the credentials): the keychain is asked only
// for those, so opening a public server's trace never brings up a keychain prompt.
const QString kSavedKey = QStringLiteral("serversWithSavedCredentials");

QStringList serversWithSavedCredentials()
{
    return QSettings().value(kSavedKey).toStringList();
}

void setSaved(const QString& key, bool saved)
{
    QStringList servers = serversWithSavedCredentials();
    servers.removeAll(key);
    if (saved)
        servers.append(key);
    QSettings().setValue(kSavedKey, servers);
}

QString kindName(ServerCredentials::Kind kind)
{
    return kind == ServerCredentials::Kind::Bearer  ? QStringLiteral("bearer")
           : kind == ServerCredentials::Kind::Basic ? QStringLiteral("basic")
                                                    : QStringLiteral("none");
}

ServerCredentials fromJson(const QByteArray& text)
{
    const QJsonObject o = QJsonDocument::fromJson(text).object();
    ServerCredentials c;
    const QString kind = o.value(u"kind").toString();
    c.kind = kind == u"bearer"  ? ServerCredentials::Kind::Bearer
             : kind == u"basic" ? ServerCredentials::Kind::Basic
                                : ServerCredentials::Kind::None;
    c.user = o.value(u"user").toString();
    c.secret = o.value(u"secret").toString();
    return c;
}

} // namespace

ServerCredentialStore::ServerCredentialStore(QObject* parent) : QObject(parent) {}

QString ServerCredentialStore::keyFor(const QUrl& base)
{
    return base.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash)
        .toString();
}

bool ServerCredentialStore::isSaved(const QUrl& base)
{
    return serversWithSavedCredentials().contains(keyFor(base));
}

void ServerCredentialStore::find(const QUrl& base, std::function<void(const ServerCredentials&)> done)
{
    const QString key = keyFor(base);
    if (m_session.contains(key) || !serversWithSavedCredentials().contains(key)) {
        QTimer::singleShot(0, this, [done, credentials = m_session.value(key)] { done(credentials); });
        return;
    }
    auto* job = new QKeychain::ReadPasswordJob(kService, this);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key, done](QKeychain::Job* finished) {
        ServerCredentials credentials;
        if (finished->error() == QKeychain::NoError) {
            credentials = fromJson(static_cast<QKeychain::ReadPasswordJob*>(finished)->textData().toUtf8());
            m_session.insert(key, credentials);
        }
        done(credentials); // none saved, or no keychain here: ask without, and the server will say
    });
    job->start();
}

void ServerCredentialStore::remember(const QUrl& base, const ServerCredentials& credentials, bool save,
                                     std::function<void(const QString& error)> done)
{
    const QString key = keyFor(base);
    m_session.insert(key, credentials);
    if (!save && serversWithSavedCredentials().contains(key)) { // saved before: asked to forget it now
        auto* job = new QKeychain::DeletePasswordJob(kService, this);
        job->setKey(key);
        job->start();
        setSaved(key, false);
    }
    if (!save) {
        if (done)
            QTimer::singleShot(0, this, [done] { done({}); });
        return;
    }
    auto* job = new QKeychain::WritePasswordJob(kService, this);
    job->setKey(key);
    const QJsonObject o{{QStringLiteral("kind"), kindName(credentials.kind)},
                        {QStringLiteral("user"), credentials.user},
                        {QStringLiteral("secret"), credentials.secret}};
    job->setTextData(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    connect(job, &QKeychain::Job::finished, this, [done, key](QKeychain::Job* finished) {
        setSaved(key, finished->error() == QKeychain::NoError);
        if (done)
            done(finished->error() == QKeychain::NoError
                     ? QString()
                     : tr("The credentials could not be saved in the keychain: %1").arg(finished->errorString()));
    });
    job->start();
}

} // namespace spanwise
