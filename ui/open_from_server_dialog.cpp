#include "open_from_server_dialog.h"

#include "server_credentials.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace spanwise {

namespace {

enum AuthChoice { NoAuth, BearerAuth, BasicAuth };

} // namespace

OpenFromServerDialog::OpenFromServerDialog(const QStringList& servers, QWidget* parent)
    : QDialog(parent), m_link(new QLineEdit(this)), m_server(new QComboBox(this)), m_kind(new QComboBox(this)),
      m_auth(new QComboBox(this)), m_user(new QLineEdit(this)), m_secret(new QLineEdit(this)),
      m_save(new QCheckBox(tr("Save in the system keychain"), this)), m_status(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Open from Server"));
    m_link->setPlaceholderText(tr("http://localhost:16686/trace/… or a trace id"));
    m_link->setClearButtonEnabled(true);
    m_link->setMinimumWidth(m_link->fontMetrics().averageCharWidth() * 70);
    m_server->setEditable(true);
    m_server->addItems(servers);
    m_server->lineEdit()->setPlaceholderText(tr("http://localhost:16686"));
    for (TraceServer server : {TraceServer::Jaeger, TraceServer::Tempo, TraceServer::Zipkin})
        m_kind->addItem(traceServerName(server), static_cast<int>(server));
    m_auth->addItems({tr("None"), tr("Bearer token"), tr("User and password")});
    m_user->setPlaceholderText(tr("user"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_save->setToolTip(tr("Kept in the platform's keychain, never in Spanwise's settings. Without it, the "
                          "credentials are forgotten when Spanwise closes."));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Trace &link or id:"), m_link);
    auto* serverHint = new QLabel(tr("For a trace id alone, the server it is on:"), this);
    serverHint->setEnabled(false);
    form->addRow(serverHint);
    form->addRow(tr("&Server:"), m_server);
    form->addRow(tr("Server &kind:"), m_kind);
    form->addRow(tr("&Authentication:"), m_auth);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&Token or password:"), m_secret);
    form->addRow(QString(), m_save);
    form->addRow(m_status);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit* field : {m_link, m_user, m_secret})
        connect(field, &QLineEdit::textChanged, this, &OpenFromServerDialog::update);
    connect(m_server, &QComboBox::currentTextChanged, this, &OpenFromServerDialog::update);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &OpenFromServerDialog::update);
    connect(m_auth, &QComboBox::currentIndexChanged, this, &OpenFromServerDialog::update);
    update();
}

std::optional<TraceServerRequest> OpenFromServerDialog::request(QString* why) const
{
    const QString text = m_link->text().trimmed();
    if (text.isEmpty()) {
        if (why)
            *why = tr("Paste a trace's link from Jaeger, Grafana Tempo or Zipkin, or type a trace id.");
        return std::nullopt;
    }
    if (looksLikeWebAddress(text))
        return traceServerRequest(QUrl(text), why);
    const QString server = m_server->currentText().trimmed();
    if (server.isEmpty()) {
        if (why)
            *why = tr("Give the server's address for the trace id %1.").arg(text);
        return std::nullopt;
    }
    return traceServerRequest(static_cast<TraceServer>(m_kind->currentData().toInt()), QUrl(server), text, why);
}

ServerCredentials OpenFromServerDialog::credentials() const
{
    ServerCredentials c;
    c.kind = m_auth->currentIndex() == BearerAuth  ? ServerCredentials::Kind::Bearer
             : m_auth->currentIndex() == BasicAuth ? ServerCredentials::Kind::Basic
                                                   : ServerCredentials::Kind::None;
    if (c.kind == ServerCredentials::Kind::Basic)
        c.user = m_user->text();
    if (c.kind != ServerCredentials::Kind::None)
        c.secret = m_secret->text();
    return c;
}

bool OpenFromServerDialog::saveCredentials() const
{
    return m_save->isChecked() && credentials().kind != ServerCredentials::Kind::None;
}

void OpenFromServerDialog::update()
{
    const bool byId = !m_link->text().trimmed().isEmpty() && !looksLikeWebAddress(m_link->text().trimmed());
    m_server->setEnabled(byId);
    m_kind->setEnabled(byId);
    const int auth = m_auth->currentIndex();
    m_user->setEnabled(auth == BasicAuth);
    m_secret->setEnabled(auth != NoAuth);
    m_save->setEnabled(auth != NoAuth);
    m_secret->setPlaceholderText(auth == BearerAuth ? tr("token") : auth == BasicAuth ? tr("password") : QString());
    QString why;
    const std::optional<TraceServerRequest> r = request(&why);
    if (r) {
        m_status->setText(tr("Fetches %1 from %2.").arg(r->api.toDisplayString(), traceServerName(r->server)));
        if (auth == NoAuth && ServerCredentialStore::isSaved(r->base))
            m_status->setText(m_status->text() + QLatin1Char(' ') + tr("Credentials saved for this server are used."));
    } else {
        m_status->setText(why);
    }
    m_buttons->button(QDialogButtonBox::Open)->setEnabled(r.has_value());
}

} // namespace spanwise
