#include "start_page.h"

#include <QDir>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace spanwise {

namespace {

constexpr int kColumnWidth = 560;
constexpr int kMaxShownPath = 70; // characters of a folder, elided in the middle beyond

} // namespace

StartPage::StartPage(QWidget* parent)
    : QWidget(parent), m_open(new QPushButton(tr("&Open Trace…"), this)),
      m_openFolder(new QPushButton(tr("Open &Folder…"), this)),
      m_compare(new QPushButton(tr("&Compare Two Traces…"), this)),
      m_openFromServer(new QPushButton(tr("Open from Ser&ver…"), this)),
      m_receive(new QPushButton(tr("Receive &Traces…"), this)),
      m_example(new QPushButton(tr("Open the &Example Trace"), this)), m_recent(new QWidget(this)),
      m_recentLayout(new QVBoxLayout(m_recent)),
      m_noRecent(new QLabel(tr("Files and folders you open are listed here."), this))
{
    auto* column = new QWidget(this);
    column->setFixedWidth(kColumnWidth); // centred at its size hint otherwise: too narrow for the wrapped text

    auto* icon = new QLabel(column);
    const QPixmap pixmap = QIcon(QStringLiteral(":/spanwise.svg")).pixmap(56, 56);
    icon->setPixmap(pixmap);
    icon->setVisible(!pixmap.isNull());
    auto* title = new QLabel(tr("Spanwise"), column);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setWeight(QFont::DemiBold);
    title->setFont(big);
    auto* subtitle = new QLabel(tr("Open a trace from Jaeger, Zipkin, OpenTelemetry (JSON or protobuf), AWS X-Ray or "
                                   "Datadog, plain or compressed."),
                                column);
    subtitle->setWordWrap(true);
    auto* heading = new QHBoxLayout;
    heading->setSpacing(14);
    heading->addWidget(icon, 0, Qt::AlignTop);
    heading->addWidget(title, 1, Qt::AlignVCenter);

    m_open->setDefault(true);
    m_open->setToolTip(tr("Ctrl+O: one file, or several as one list of traces"));
    m_openFolder->setToolTip(tr("Ctrl+Shift+O: every trace file in a folder and its subfolders, as one list"));
    m_compare->setToolTip(tr("Ctrl+Shift+D: two files, or two traces of one file"));
    m_example->setToolTip(tr("A checkout request across a dozen services, 400 spans"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_openFolder);
    buttons->addWidget(m_compare);
    buttons->addWidget(m_example);
    buttons->addStretch();
    m_openFromServer->setToolTip(tr("Ctrl+L: a trace on a Jaeger, Grafana Tempo or Zipkin server, by its link or id"));
    m_receive->setToolTip(tr("Ctrl+Shift+R: traces sent by running applications over OTLP or Zipkin"));
    auto* sources = new QHBoxLayout;
    sources->addWidget(m_openFromServer);
    sources->addWidget(m_receive);
    sources->addStretch();

    auto* recentTitle = new QLabel(tr("<b>Recent files</b>"), column);
    m_recentLayout->setContentsMargins(0, 0, 0, 0);
    m_recentLayout->setSpacing(0);
    m_noRecent->setForegroundRole(QPalette::PlaceholderText);

    auto* drop = new QLabel(tr("Or drop trace files or folders anywhere on this window."), column);
    drop->setAlignment(Qt::AlignCenter);
    drop->setFrameShape(QFrame::StyledPanel);
    drop->setFrameShadow(QFrame::Plain);
    drop->setMinimumHeight(56);
    drop->setForegroundRole(QPalette::PlaceholderText);
    drop->setStyleSheet(QStringLiteral("QLabel { border: 2px dashed palette(mid); border-radius: 8px; }"));

    auto* layout = new QVBoxLayout(column);
    layout->setSpacing(12);
    layout->addLayout(heading);
    layout->addWidget(subtitle);
    layout->addSpacing(6);
    layout->addLayout(buttons);
    layout->addLayout(sources);
    layout->addSpacing(10);
    layout->addWidget(recentTitle);
    layout->addWidget(m_recent);
    layout->addWidget(m_noRecent);
    layout->addSpacing(10);
    layout->addWidget(drop);

    auto* outer = new QVBoxLayout(this);
    outer->addStretch(1);
    outer->addWidget(column, 0, Qt::AlignHCenter);
    outer->addStretch(2);

    connect(m_open, &QPushButton::clicked, this, &StartPage::openRequested);
    connect(m_openFolder, &QPushButton::clicked, this, &StartPage::openFolderRequested);
    connect(m_openFromServer, &QPushButton::clicked, this, &StartPage::openFromServerRequested);
    connect(m_receive, &QPushButton::clicked, this, &StartPage::receiveRequested);
    connect(m_compare, &QPushButton::clicked, this, &StartPage::compareRequested);
    connect(m_example, &QPushButton::clicked, this, &StartPage::exampleRequested);
    setRecentFiles({});
}

QList<QPushButton*> StartPage::recentButtons() const
{
    return m_recent->findChildren<QPushButton*>(QString(), Qt::FindDirectChildrenOnly);
}

void StartPage::setRecentFiles(const QStringList& paths)
{
    for (QPushButton* old : recentButtons()) { // later: one of them may be the button being clicked
        old->hide();
        old->setParent(nullptr);
        old->deleteLater();
    }
    for (const QString& path : paths) {
        const QFileInfo file(path);
        if (!file.exists())
            continue;
        QString folder = QDir::toNativeSeparators(file.path());
        if (folder.size() > kMaxShownPath)
            folder = folder.left(kMaxShownPath / 2 - 1) + QStringLiteral("…") + folder.right(kMaxShownPath / 2);
        // A folder reads as one by its trailing separator.
        const QString name = file.isDir() ? QDir::toNativeSeparators(file.fileName() + QLatin1Char('/'))
                                          : file.fileName();
        auto* button = new QPushButton(QStringLiteral("%1    %2").arg(name, folder), m_recent);
        button->setFlat(true);
        button->setCursor(Qt::PointingHandCursor);
        button->setToolTip(QDir::toNativeSeparators(path));
        button->setStyleSheet(QStringLiteral("QPushButton { text-align: left; padding: 4px 8px; }"));
        connect(button, &QPushButton::clicked, this, [this, path] { emit recentRequested(path); });
        m_recentLayout->addWidget(button);
    }
    const bool any = !recentButtons().isEmpty();
    m_recent->setVisible(any);
    m_noRecent->setVisible(!any);
}

} // namespace spanwise
