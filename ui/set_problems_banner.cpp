#include "set_problems_banner.h"

#include "theme.h"

#include <QDir>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace spanwise {

namespace {

constexpr int kShownRows = 6;         // of the failed files' list before it scrolls
constexpr int kNamedSkippedFiles = 4; // named in the skipped line; the rest counted

// A file's error lines without the path each starts with: the list shows the file beside them.
QStringList problemLines(const TraceSetFile& file)
{
    QStringList lines;
    const QString path = QString::fromStdString(file.path);
    for (QString line : QString::fromStdString(file.error).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        if (line.startsWith(path)) {
            line.remove(0, path.size());
            if (line.startsWith(QLatin1String(": ")))
                line.remove(0, 2);
        }
        lines << line;
    }
    return lines;
}

QLabel* plainLabel(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText); // file names and messages quote the files: never rich text
    label->setText(text);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

bool SetProblemsBanner::needed(const TraceSet& set)
{
    return std::any_of(set.files.begin(), set.files.end(),
                       [](const TraceSetFile& file) { return file.skipped || !file.error.empty(); });
}

SetProblemsBanner::SetProblemsBanner(const TraceSet& set, QWidget* parent) : QWidget(parent)
{
    const std::vector<std::string> names = set.shortNames();
    std::vector<std::size_t> failed;
    std::vector<std::size_t> skipped;
    for (std::size_t f = 0; f < set.files.size(); ++f) {
        if (set.files[f].skipped)
            skipped.push_back(f);
        else if (!set.files[f].error.empty())
            failed.push_back(f);
    }
    const auto name = [&names](std::size_t f) { return QDir::toNativeSeparators(QString::fromStdString(names[f])); };
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    if (!failed.empty()) {
        m_failedBar = new QWidget(this);
        m_failedBar->setObjectName(QStringLiteral("failedFiles"));
        m_failedBar->setAttribute(Qt::WA_StyledBackground);
        const std::size_t read = set.files.size() - skipped.size();
        const QString count = failed.size() == 1 && read == 1 ? tr("The file could not be read in full")
                              : failed.size() == read ? tr("None of the %1 files could be read in full").arg(read)
                              : failed.size() == 1
                                  ? tr("1 of %1 files could not be read in full").arg(read)
                                  : tr("%1 of %2 files could not be read in full").arg(failed.size()).arg(read);
        m_failed = plainLabel(tr("%1; what could be read is listed.").arg(count), m_failedBar);
        m_failed->setWordWrap(true);
        m_more = new QToolButton(m_failedBar);
        m_more->setCheckable(true);
        m_more->setText(tr("Show Files"));
        m_more->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        m_more->setArrowType(Qt::RightArrow);
        m_more->setAutoRaise(true);
        auto* bar = new QHBoxLayout(m_failedBar);
        bar->setContentsMargins(8, 4, 8, 4);
        bar->addWidget(m_failed, 1);
        bar->addWidget(m_more);
        layout->addWidget(m_failedBar);

        m_details = new QTreeWidget(this);
        m_details->setColumnCount(ColumnCount);
        m_details->setHeaderLabels({tr("File"), tr("Read"), tr("Problem")});
        m_details->setRootIsDecorated(false);
        m_details->setUniformRowHeights(true);
        m_details->setWordWrap(false);
        m_details->setTextElideMode(Qt::ElideMiddle);
        for (const std::size_t f : failed) {
            const TraceSetFile& file = set.files[f];
            const QStringList lines = problemLines(file);
            const std::size_t traces = file.dataset->traces.size();
            auto* item = new QTreeWidgetItem(m_details);
            item->setText(File, name(f));
            item->setToolTip(File, QDir::toNativeSeparators(QString::fromStdString(file.path)));
            item->setText(Read, traces == 0   ? tr("nothing")
                                : traces == 1 ? tr("1 trace")
                                              : tr("%1 traces").arg(traces));
            item->setText(Problem, lines.size() > 1
                                       ? tr("%1 (and %2 more)").arg(lines.value(0), QString::number(lines.size() - 1))
                                       : lines.value(0));
            item->setToolTip(Problem, lines.join(QLatin1Char('\n')));
        }
        m_details->header()->setStretchLastSection(true);
        constexpr int kGap = 16; // between columns, whose texts would touch at their contents' width
        m_details->resizeColumnToContents(File);
        m_details->resizeColumnToContents(Read);
        m_details->setColumnWidth(File, std::min(m_details->columnWidth(File) + kGap, 360));
        m_details->setColumnWidth(Read, m_details->columnWidth(Read) + kGap);
        const int rows = std::min<int>(int(failed.size()), kShownRows);
        m_details->setFixedHeight(m_details->header()->sizeHint().height() + rows * m_details->sizeHintForRow(0) +
                                  2 * m_details->frameWidth());
        m_details->hide();
        layout->addWidget(m_details);
        connect(m_more, &QToolButton::toggled, this, [this](bool shown) {
            m_details->setVisible(shown);
            m_more->setText(shown ? tr("Hide Files") : tr("Show Files"));
            m_more->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
        });
    }

    if (!skipped.empty()) {
        QStringList shown;
        QStringList all;
        for (const std::size_t f : skipped) {
            if (shown.size() < kNamedSkippedFiles)
                shown << name(f);
            all << QStringLiteral("%1: %2").arg(name(f), problemLines(set.files[f]).value(0));
        }
        QString list = shown.join(QStringLiteral(", "));
        if (skipped.size() > std::size_t(shown.size()))
            list = tr("%1 and %2 more").arg(list).arg(skipped.size() - std::size_t(shown.size()));
        m_skipped = plainLabel(skipped.size() == 1
                                   ? tr("Skipped 1 file holding no trace: %1").arg(list)
                                   : tr("Skipped %1 files holding no trace: %2").arg(skipped.size()).arg(list),
                               this);
        m_skipped->setObjectName(QStringLiteral("skippedFiles"));
        m_skipped->setToolTip(all.join(QLatin1Char('\n')));
        m_skipped->setContentsMargins(8, 4, 8, 4);
        m_skipped->setForegroundRole(QPalette::PlaceholderText);
        layout->addWidget(m_skipped);
    }
    applyColours();
}

void SetProblemsBanner::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        applyColours();
    QWidget::changeEvent(event);
}

void SetProblemsBanner::applyColours()
{
    if (!m_failedBar)
        return;
    const bool dark = hasDarkBase(palette());
    // The error banner's tint (app/pages.cpp), with a dark counterpart. The button stays flat on it,
    // folded or not: a pressed style's light fill would hide its text on the dark tint.
    const QString tint = dark ? QStringLiteral("#failedFiles { background: #3d2121; border-bottom: 1px solid #6b3a3a; }"
                                               "#failedFiles QLabel, #failedFiles QToolButton { color: #f4c7c3; }"
                                               "#failedFiles QToolButton:hover { background: #4d2a2a; }")
                              : QStringLiteral("#failedFiles { background: #fdecea; border-bottom: 1px solid #e0b4b4; }"
                                               "#failedFiles QLabel, #failedFiles QToolButton { color: #611a15; }"
                                               "#failedFiles QToolButton:hover { background: #f8d7d3; }");
    m_failedBar->setStyleSheet(
        QStringLiteral("#failedFiles QToolButton { border: none; background: transparent; padding: 2px 6px; }") + tint);
}

} // namespace spanwise
