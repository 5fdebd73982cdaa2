#include "export_dialog.h"

#include "compare_page.h"
#include "flame_graph_view.h"
#include "graph_view.h"
#include "span_table_view.h"
#include "trace_page.h"
#include "waterfall_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace spanwise {

namespace {

const char* const kSettingsGroup = "export";

} // namespace

ViewImageChoice ExportDialog::shownView(TracePage* page, bool onScreen)
{
    ViewImageChoice choice;
    switch (page->currentView()) {
    case TracePage::View::Waterfall:
        break;
    case TracePage::View::FlameGraph: {
        const FlameGraphPainter& flame = page->flameGraph()->painter();
        choice.view = ImageView::FlameGraph;
        choice.flameMode = flame.mode();
        choice.flameWidth = flame.widthMetric();
        choice.flameZoom = flame.zoomNode();
        choice.sandwichSpan = page->state()->selected();
        break;
    }
    case TracePage::View::Graph:
        choice.view = ImageView::Graph;
        choice.graphMode = page->graph()->mode();
        break;
    case TracePage::View::Spans: {
        const SpanTableView* table = page->spanTable();
        choice.view = ImageView::Spans;
        choice.table = table->model();
        for (int column = 0; column < table->model()->columnCount(); ++column)
            choice.tableColumnWidths.push_back(table->table()->columnWidth(column));
        if (onScreen) {
            const QTableView* view = table->table();
            choice.tableFirstRow = std::max(0, view->rowAt(0));
            const int last = view->rowAt(view->viewport()->height() - 1);
            choice.tableRows = (last < 0 ? view->model()->rowCount() - 1 : last) - choice.tableFirstRow + 1;
        }
        break;
    }
    }
    return choice;
}

ExportDialog::ExportDialog(WaterfallView* waterfall, QString fileName, QWidget* parent, ViewImageChoice view)
    : QDialog(parent), m_waterfall(waterfall), m_view(std::move(view)), m_fileName(std::move(fileName))
{
    QSettings settings;
    settings.beginGroup(QLatin1String(kSettingsGroup));
    QFormLayout* form = createCommonChoices();

    const int rows = static_cast<int>(waterfall->state()->rows().size());
    m_allRows = new QCheckBox(tr("All %L1 rows of the tree as expanded, not only those on screen").arg(rows), this);
    m_allRows->setChecked(true); // what a report needs; only the rows on screen when asked, each time
    m_wholeTrace = new QCheckBox(tr("The whole time range, not only the current zoom"), this);
    m_wholeTrace->setChecked(settings.value(QStringLiteral("wholeTrace"), false).toBool());
    m_breakdown = new QCheckBox(tr("Add the critical-path breakdown by service"), this);
    m_breakdown->setChecked(settings.value(QStringLiteral("breakdown"), false).toBool());
    form->insertRow(1, tr("Rows:"), m_allRows);
    form->insertRow(2, tr("Time:"), m_wholeTrace);
    form->addRow(tr("Chart:"), m_breakdown);
    const QString viewName = imageViewName(m_view.view);
    m_viewLabel = new QLabel(m_view.view == ImageView::Waterfall
                                 ? tr("Waterfall")
                                 : tr("%1, as shown").arg(viewName.left(1).toUpper() + viewName.mid(1)),
                             this);
    form->insertRow(1, tr("View:"), m_viewLabel);
    // The rows and the time window are the waterfall's.
    form->setRowVisible(m_allRows, m_view.view == ImageView::Waterfall);
    form->setRowVisible(m_wholeTrace, m_view.view == ImageView::Waterfall);
    connect(m_allRows, &QCheckBox::toggled, this, &ExportDialog::updateSize);
    connect(m_breakdown, &QCheckBox::toggled, this, &ExportDialog::updateSize);
    finishLayout(form);
}

ExportDialog::ExportDialog(ComparePage* page, QString pathA, QWidget* parent)
    : QDialog(parent), m_compare(page), m_fileName(std::move(pathA))
{
    QSettings settings;
    settings.beginGroup(QLatin1String(kSettingsGroup));
    QFormLayout* form = createCommonChoices();

    m_tableRows = new QSpinBox(this);
    m_tableRows->setRange(1, CompareImage::kMaxTableRows);
    m_tableRows->setToolTip(tr("The changed, added and removed nodes with the largest change of total time"));
    m_tableRows->setValue(settings.value(QStringLiteral("compareRows"), CompareImageOptions().tableRows).toInt());
    m_waterfalls = new QCheckBox(tr("The selected node in both waterfalls"), this);
    m_waterfalls->setChecked(settings.value(QStringLiteral("compareWaterfalls"), true).toBool());
    m_waterfalls->setEnabled(page->shownNode() != kNoIndex);
    form->insertRow(1, tr("Largest &changes:"), m_tableRows);
    form->insertRow(2, tr("Waterfalls:"), m_waterfalls);
    connect(m_tableRows, &QSpinBox::valueChanged, this, &ExportDialog::updateSize);
    connect(m_waterfalls, &QCheckBox::toggled, this, &ExportDialog::updateSize);
    finishLayout(form);
}

QFormLayout* ExportDialog::createCommonChoices()
{
    setWindowTitle(tr("Export Image"));
    QSettings settings;
    settings.beginGroup(QLatin1String(kSettingsGroup));

    m_format = new QComboBox(this);
    m_format->addItem(tr("PNG image"), static_cast<int>(ImageFormat::Png));
    m_format->addItem(tr("SVG drawing (vector, text as text)"), static_cast<int>(ImageFormat::Svg));
    m_format->addItem(tr("PDF document (vector)"), static_cast<int>(ImageFormat::Pdf));
    m_format->setCurrentIndex(std::clamp(settings.value(QStringLiteral("format"), 0).toInt(), 0, 2));

    m_width = new QSpinBox(this);
    m_width->setRange(TraceImage::kMinWidth, TraceImage::kMaxWidth);
    m_width->setSingleStep(100);
    m_width->setSuffix(tr(" px"));
    m_width->setValue(settings.value(QStringLiteral("width"), 1400).toInt());

    m_scale = new QComboBox(this);
    m_scale->addItem(tr("1× (standard)"), 1);
    m_scale->addItem(tr("2× (sharp on high-resolution screens)"), 2);
    m_scale->setCurrentIndex(settings.value(QStringLiteral("scale"), 1).toInt() == 2 ? 1 : 0);

    m_theme = new QComboBox(this);
    m_theme->addItem(tr("Light"));
    m_theme->addItem(tr("Dark"));
    m_theme->setCurrentIndex(settings.value(QStringLiteral("dark"), false).toBool() ? 1 : 0);

    m_size = new QLabel(this);
    m_size->setTextFormat(Qt::PlainText);
    m_size->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("&Width:"), m_width);
    form->addRow(tr("&Scale:"), m_scale);
    form->addRow(tr("&Theme:"), m_theme);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::updateSize);
    connect(m_width, &QSpinBox::valueChanged, this, &ExportDialog::updateSize);
    connect(m_scale, &QComboBox::currentIndexChanged, this, &ExportDialog::updateSize);
    return form;
}

void ExportDialog::finishLayout(QFormLayout* form)
{
    form->addRow(QString(), m_size);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_export = buttons->addButton(tr("&Export…"), QDialogButtonBox::AcceptRole);
    m_export->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    updateSize();
}

ImageFormat ExportDialog::format() const
{
    return static_cast<ImageFormat>(m_format->currentData().toInt());
}

int ExportDialog::scale() const
{
    return format() == ImageFormat::Png ? m_scale->currentData().toInt() : 1;
}

TraceImageOptions ExportDialog::options() const
{
    TraceImageOptions options;
    if (!m_waterfall)
        return options;
    const TraceViewState* state = m_waterfall->state();
    options.fileName = QFileInfo(m_fileName).fileName();
    options.width = m_width->value();
    options.dark = m_theme->currentIndex() == 1;
    options.breakdown = m_breakdown->isChecked();
    options.view = m_view;
    if (m_view.view != ImageView::Waterfall)
        return options;
    if (!m_allRows->isChecked()) {
        options.firstRow = m_waterfall->verticalScrollBar()->value();
        options.rowCount = m_waterfall->verticalScrollBar()->pageStep();
    } else if (m_fittingRows >= 0) {
        options.rowCount = m_fittingRows;
    }
    if (m_wholeTrace->isChecked()) {
        options.viewStart = state->trace().start;
        options.viewEnd = state->trace().end + state->trace().duration() / 50; // room for the last label
    }
    return options;
}

CompareImageOptions ExportDialog::compareOptions() const
{
    CompareImageOptions options;
    options.width = m_width->value();
    options.dark = m_theme->currentIndex() == 1;
    if (m_compare) {
        options.tableRows = m_tableRows->value();
        options.waterfalls = m_waterfalls->isEnabled() && m_waterfalls->isChecked();
    }
    return options;
}

std::unique_ptr<DocumentImage> ExportDialog::image() const
{
    if (m_compare)
        return std::make_unique<CompareImage>(m_compare->comparison(), compareOptions());
    return std::make_unique<TraceImage>(m_waterfall->state(), options());
}

QString ExportDialog::suggestedFileName() const
{
    static const char* const extensions[] = {"png", "svg", "pdf"};
    const QLatin1String extension(extensions[static_cast<int>(format())]);
    const QFileInfo file(m_fileName);
    if (m_compare) {
        return file.dir().filePath(QStringLiteral("%1-vs-%2.%3")
                                       .arg(QFileInfo(m_compare->comparison().sideName(0)).completeBaseName(),
                                            QFileInfo(m_compare->comparison().sideName(1)).completeBaseName(),
                                            extension));
    }
    const QString id = QString::fromStdString(toHex(m_waterfall->state()->trace().id)).left(8);
    return file.dir().filePath(QStringLiteral("%1-%2.%3").arg(file.completeBaseName(), id, extension));
}

int ExportDialog::rowsThatFit() const
{
    TraceImageOptions probe = options();
    probe.firstRow = 0;
    const int total = static_cast<int>(m_waterfall->state()->rows().size());
    const auto fits = [&](int rows) {
        probe.rowCount = rows;
        return exportLimitProblem(TraceImage(m_waterfall->state(), probe), format(), scale()).isEmpty();
    };
    if (fits(total))
        return total;
    // The image grows with its rows. Galloping up from one row keeps every probe below twice the
    // answer: each probe measures its rows' names, so probing near `total` first would be slow.
    int fitting = 0, tooMany = 1;
    while (tooMany < total && fits(tooMany)) {
        fitting = tooMany;
        tooMany = std::min(total, tooMany * 2);
    }
    while (tooMany - fitting > 1) {
        const int middle = fitting + (tooMany - fitting) / 2;
        (fits(middle) ? fitting : tooMany) = middle;
    }
    return fitting;
}

void ExportDialog::updateSize()
{
    m_scale->setEnabled(format() == ImageFormat::Png);
    QString leftOut; // of a trace's rows, when not all fit
    if (m_waterfall) {
        m_fittingRows = -1;
        const int total = static_cast<int>(m_waterfall->state()->rows().size());
        const int fitting = m_allRows->isChecked() && m_view.view == ImageView::Waterfall ? rowsThatFit() : total;
        if (fitting < total) {
            m_fittingRows = std::max(1, fitting);
            const QString kinds[] = {tr("a PNG"), tr("an SVG"), tr("a PDF")};
            if (format() == ImageFormat::Png && total <= TraceImage::kMaxVectorRows)
                leftOut = tr("%L1 of %L2 rows fit a PNG; choose PDF for all.").arg(m_fittingRows).arg(total);
            else
                leftOut =
                    tr("%L1 of %L2 rows fit %3; the rest are left out: collapse subtrees or focus on one to export them.")
                        .arg(m_fittingRows)
                        .arg(total)
                        .arg(kinds[static_cast<int>(format())]);
        }
    }
    // The image, and what it holds: a trace's rows, a comparison's changes.
    std::unique_ptr<DocumentImage> shown;
    QString holds;
    if (m_compare) {
        auto compare = std::make_unique<CompareImage>(m_compare->comparison(), compareOptions());
        holds = tr("%1 of %2 changes")
                    .arg(compare->tableNodes().size())
                    .arg(compare->tableNodes().size() + compare->nodesNotShown());
        shown = std::move(compare);
    } else {
        auto trace = std::make_unique<TraceImage>(m_waterfall->state(), options());
        holds = m_view.view == ImageView::Waterfall ? tr("%L1 rows").arg(trace->rowCount())
                                                    : tr("The %1").arg(imageViewName(m_view.view));
        shown = std::move(trace);
    }
    const QString problem = exportLimitProblem(*shown, format(), scale());
    m_export->setEnabled(problem.isEmpty());
    if (!problem.isEmpty()) {
        m_size->setText(problem.left(1).toUpper() + problem.mid(1) + QLatin1Char('.'));
        return;
    }
    QString size;
    if (format() == ImageFormat::Pdf) {
        const std::size_t pages = pdfPages(*shown).size();
        const QString onPages = pages == 1 ? tr("on one page") : tr("on %1 pages").arg(pages);
        size = tr("%1 %2, %3 px wide").arg(holds, onPages).arg(shown->width());
    } else {
        size =
            tr("%1, %2 × %3 pixels").arg(holds).arg(shown->width() * scale()).arg(shown->singlePage().height * scale());
    }
    m_size->setText(leftOut.isEmpty() ? size : leftOut + QLatin1Char('\n') + size);
}

void ExportDialog::accept()
{
    QSettings settings;
    settings.beginGroup(QLatin1String(kSettingsGroup));
    settings.setValue(QStringLiteral("format"), m_format->currentIndex());
    settings.setValue(QStringLiteral("width"), m_width->value());
    settings.setValue(QStringLiteral("scale"), m_scale->currentData().toInt());
    settings.setValue(QStringLiteral("dark"), m_theme->currentIndex() == 1);
    if (m_compare) {
        settings.setValue(QStringLiteral("compareRows"), m_tableRows->value());
        if (m_waterfalls->isEnabled())
            settings.setValue(QStringLiteral("compareWaterfalls"), m_waterfalls->isChecked());
    } else {
        settings.setValue(QStringLiteral("wholeTrace"), m_wholeTrace->isChecked());
        settings.setValue(QStringLiteral("breakdown"), m_breakdown->isChecked());
    }
    QDialog::accept();
}

} // namespace spanwise
