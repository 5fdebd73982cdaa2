#include "pages.h"

#include <trace_page.h>

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace spanwise {

namespace {

QWidget* errorBanner(const QString& text, QWidget* parent)
{
    auto* banner = new QLabel(parent);
    banner->setTextFormat(Qt::PlainText); // the messages quote file content: never render it as HTML
    banner->setText(text);
    banner->setWordWrap(true);
    banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    banner->setStyleSheet(QStringLiteral(
        "QLabel { background: #fdecea; color: #611a15; padding: 8px; border-bottom: 1px solid #e0b4b4; }"));
    return banner;
}

} // namespace

FilePage::FilePage(QStringList paths, const QString& errors, QWidget* content, QWidget* parent)
    : FilePage(std::move(paths), errors.isEmpty() ? nullptr : errorBanner(errors, nullptr), content, parent)
{
}

FilePage::FilePage(QStringList paths, QWidget* banner, QWidget* content, QWidget* parent)
    : Page(parent), m_paths(std::move(paths)), m_content(content)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    if (banner)
        layout->addWidget(banner);
    if (content)
        layout->addWidget(content, 1);
    else
        layout->addStretch(1);
}

TracePage* FilePage::tracePage() const
{
    return qobject_cast<TracePage*>(m_content);
}

LoadingPage::LoadingPage(QStringList paths, const QString& label, bool followProgress, QWidget* parent)
    : Page(parent), m_paths(std::move(paths))
{
    auto* bar = new QProgressBar(this);
    bar->setRange(0, 0);
    auto* layout = new QVBoxLayout(this);
    layout->addStretch();
    auto* text = new QLabel(this);
    text->setTextFormat(Qt::PlainText);
    text->setText(label);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addWidget(bar);
    if (followProgress) {
        auto* cancel = new QPushButton(tr("Cancel"), this);
        layout->addWidget(cancel, 0, Qt::AlignHCenter);
        connect(cancel, &QPushButton::clicked, this, &LoadingPage::cancelClicked);
        auto* timer = new QTimer(this);
        connect(timer, &QTimer::timeout, bar, [bar, job = m_job] {
            if (const std::uint64_t total = job->total) {
                bar->setRange(0, 1000);
                bar->setValue(static_cast<int>(job->done * 1000 / total));
                bar->setFormat(
                    QStringLiteral("%1 of %2 MB").arg(job->done / 1e6, 0, 'f', 1).arg(total / 1e6, 0, 'f', 1));
            }
        });
        timer->start(100);
    }
    layout->addStretch();
}

LoadingPage::~LoadingPage()
{
    m_job->cancel();
}

} // namespace spanwise
