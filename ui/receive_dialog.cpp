#include "receive_dialog.h"

#include "theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace spanwise {

namespace {

constexpr std::array<ReceiverEndpoint, kReceiverEndpointCount> kEndpoints = {
    ReceiverEndpoint::OtlpGrpc, ReceiverEndpoint::OtlpHttp, ReceiverEndpoint::Zipkin};
constexpr std::array<int, kReceiverEndpointCount> kDefaultPorts = {4317, 4318, 9411};
constexpr int kDefaultMaxSpans = 1'000'000;

QString settingsKey(ReceiverEndpoint endpoint, const char* what)
{
    return QStringLiteral("receive/%1/%2").arg(QString::fromLatin1(toString(endpoint)), QString::fromLatin1(what));
}

} // namespace

ReceiveDialog::ReceiveDialog(QWidget* parent)
    : QDialog(parent), m_host(new QComboBox(this)), m_maxSpans(new QSpinBox(this)), m_warning(new QLabel(this))
{
    setWindowTitle(tr("Receive Traces"));
    const QSettings settings;
    auto* endpoints = new QGridLayout;
    for (const ReceiverEndpoint endpoint : kEndpoints) {
        const std::size_t i = index(endpoint);
        m_enabled[i] = new QCheckBox(QString::fromLatin1(displayName(endpoint)), this);
        m_enabled[i]->setChecked(settings.value(settingsKey(endpoint, "enabled"), true).toBool());
        m_ports[i] = new QSpinBox(this);
        m_ports[i]->setRange(0, 65535);
        m_ports[i]->setSpecialValueText(tr("any free port"));
        m_ports[i]->setValue(settings.value(settingsKey(endpoint, "port"), kDefaultPorts[i]).toInt());
        m_ports[i]->setToolTip(tr("Port %1 is where applications send by default").arg(kDefaultPorts[i]));
        connect(m_enabled[i], &QCheckBox::toggled, m_ports[i], &QSpinBox::setEnabled);
        connect(m_enabled[i], &QCheckBox::toggled, this, &ReceiveDialog::check);
        m_ports[i]->setEnabled(m_enabled[i]->isChecked());
        const int row = static_cast<int>(i);
        endpoints->addWidget(m_enabled[i], row, 0);
        endpoints->addWidget(new QLabel(tr("port"), this), row, 1);
        endpoints->addWidget(m_ports[i], row, 2);
    }
    endpoints->setColumnStretch(3, 1);

    m_host->setEditable(true);
    m_host->addItem(QStringLiteral("127.0.0.1"));
    m_host->addItem(QStringLiteral("::1"));
    m_host->addItem(QStringLiteral("0.0.0.0"));
    m_host->setItemData(0, tr("This computer only"), Qt::ToolTipRole);
    m_host->setItemData(2, tr("Every network this computer is on"), Qt::ToolTipRole);
    m_host->setCurrentText(settings.value(QStringLiteral("receive/host"), QStringLiteral("127.0.0.1")).toString());
    connect(m_host, &QComboBox::currentTextChanged, this, &ReceiveDialog::check);

    m_maxSpans->setRange(1000, 100'000'000);
    m_maxSpans->setSingleStep(100'000);
    m_maxSpans->setGroupSeparatorShown(true);
    m_maxSpans->setSuffix(tr(" spans"));
    m_maxSpans->setValue(settings.value(QStringLiteral("receive/maxSpans"), kDefaultMaxSpans).toInt());
    m_maxSpans->setToolTip(tr("Over this, the traces updated longest ago are dropped, and counted"));

    m_warning->setWordWrap(true);
    m_warning->setTextFormat(Qt::PlainText);
    QPalette warningPalette = m_warning->palette();
    warningPalette.setColor(QPalette::WindowText, theme::error(hasDarkBase(palette())));
    m_warning->setPalette(warningPalette);

    auto* form = new QFormLayout;
    form->addRow(tr("Listen on:"), m_host);
    form->addRow(tr("Keep at most:"), m_maxSpans);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_start = buttons->addButton(tr("&Start Receiving"), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Endpoints that applications send their spans to:"), this));
    layout->addLayout(endpoints);
    layout->addLayout(form);
    layout->addWidget(m_warning);
    layout->addWidget(buttons);
    check();
}

ReceiverOptions ReceiveDialog::options() const
{
    QString host = m_host->currentText().trimmed();
    if (host.contains(QLatin1Char(':')) && !host.startsWith(QLatin1Char('[')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    const auto address = [&](ReceiverEndpoint endpoint) -> std::string {
        const std::size_t i = index(endpoint);
        if (!m_enabled[i]->isChecked())
            return {};
        return QString(host + QLatin1Char(':') + QString::number(m_ports[i]->value())).toStdString();
    };
    ReceiverOptions options;
    options.otlpGrpc = address(ReceiverEndpoint::OtlpGrpc);
    options.otlpHttp = address(ReceiverEndpoint::OtlpHttp);
    options.zipkin = address(ReceiverEndpoint::Zipkin);
    return options;
}

std::uint64_t ReceiveDialog::maxSpans() const
{
    return static_cast<std::uint64_t>(m_maxSpans->value());
}

void ReceiveDialog::remember() const
{
    QSettings settings;
    for (const ReceiverEndpoint endpoint : kEndpoints) {
        settings.setValue(settingsKey(endpoint, "enabled"), m_enabled[index(endpoint)]->isChecked());
        settings.setValue(settingsKey(endpoint, "port"), m_ports[index(endpoint)]->value());
    }
    settings.setValue(QStringLiteral("receive/host"), m_host->currentText().trimmed());
    settings.setValue(QStringLiteral("receive/maxSpans"), m_maxSpans->value());
}

void ReceiveDialog::check()
{
    const bool any = std::any_of(m_enabled.begin(), m_enabled.end(), [](QCheckBox* box) { return box->isChecked(); });
    const bool hasHost = !m_host->currentText().trimmed().isEmpty();
    m_start->setEnabled(any && hasHost);
    QStringList warnings;
    if (!any)
        warnings << tr("Choose at least one endpoint.");
    if (any && hasHost && !exposureWarnings(options()).empty())
        warnings << tr("Anyone who can reach this computer over the network can send spans to these endpoints.");
    m_warning->setText(warnings.join(QLatin1Char('\n')));
    m_warning->setVisible(!warnings.isEmpty());
}

} // namespace spanwise
