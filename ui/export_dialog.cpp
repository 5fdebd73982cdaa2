#include "export_dialog.h"

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
#include <QVBoxLayout>

namespace spanwise {

namespace {

const char* const kSettingsGroup = "export";

} // namespace

ExportDialog::ExportDialog(WaterfallView* waterfall, QString fileName, QWidget* parent)
    : QDialog(parent), m_waterfall(waterfall), m_fileName(std::move(fileName))
{
    setWindowTitle(tr("Export Image"));
    const TraceViewState* state = waterfall->state();
    QSettings settings;
    settings.beginGroup(QLatin1String(kSettingsGroup));

    m_format = new QComboBox(this);
    m_format->addItem(tr("PNG image"), static_cast<int>(ImageFormat::Png));
    m_format->addItem(tr("SVG drawing (vector, text as text)"), static_cast<int>(ImageFormat::Svg));
    m_format->addItem(tr("PDF document (vector)"), static_cast<int>(ImageFormat::Pdf));
    m_format->setCurrentIndex(std::clamp(settings.value(QStringLiteral("format"), 0).toInt(), 0, 2));

    const int rows = static_cast<int>(state->rows().size());
    m_allRows = new QCheckBox(tr("All %1 rows of the tree as expanded, not only those on screen").arg(rows), this);
    m_allRows->setChecked(settings.value(QStringLiteral("allRows"), false).toBool());
    m_wholeTrace = new QCheckBox(tr("The whole time range, not only the current zoom"), this);
    m_wholeTrace->setChecked(settings.value(QStringLiteral("wholeTrace"), false).toBool());

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

    m_breakdown = new QCheckBox(tr("Add the critical-path breakdown by service"), this);
    m_breakdown->setChecked(settings.value(QStringLiteral("breakdown"), false).toBool());

    m_size = new QLabel(this);
    m_size->setTextFormat(Qt::PlainText);
    m_size->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("Rows:"), m_allRows);
    form->addRow(tr("Time:"), m_wholeTrace);
    form->addRow(tr("&Width:"), m_width);
    form->addRow(tr("&Scale:"), m_scale);
    form->addRow(tr("&Theme:"), m_theme);
    form->addRow(tr("Chart:"), m_breakdown);
    form->addRow(QString(), m_size);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_export = buttons->addButton(tr("&Export…"), QDialogButtonBox::AcceptRole);
    m_export->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::updateSize);
    connect(m_allRows, &QCheckBox::toggled, this, &ExportDialog::updateSize);
    connect(m_width, &QSpinBox::valueChanged, this, &ExportDialog::updateSize);
    connect(m_scale, &QComboBox::currentIndexChanged, this, &ExportDialog::updateSize);
    connect(m_breakdown, &QCheckBox::toggled, this, &ExportDialog::updateSize);
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
    const TraceViewState* state = m_waterfall->state();
    TraceImageOptions options;
    options.fileName = QFileInfo(m_fileName).fileName();
    options.width = m_width->value();
    options.dark = m_theme->currentIndex() == 1;
    options.breakdown = m_breakdown->isChecked();
    if (!m_allRows->isChecked()) {
        options.firstRow = m_waterfall->verticalScrollBar()->value();
        options.rowCount = m_waterfall->verticalScrollBar()->pageStep();
    }
    if (m_wholeTrace->isChecked()) {
        options.viewStart = state->trace().start;
        options.viewEnd = state->trace().end + state->trace().duration() / 50; // room for the last label
    }
    return options;
}

QString ExportDialog::suggestedFileName() const
{
    static const char* const extensions[] = {"png", "svg", "pdf"};
    const QString id = QString::fromStdString(toHex(m_waterfall->state()->trace().id)).left(8);
    const QFileInfo file(m_fileName);
    return file.dir().filePath(QStringLiteral("%1-%2.%3").arg(file.completeBaseName(), id,
                                                              QLatin1String(extensions[static_cast<int>(format())])));
}

void ExportDialog::updateSize()
{
    m_scale->setEnabled(format() == ImageFormat::Png);
    const TraceImage image(m_waterfall->state(), options());
    const QString problem = exportLimitProblem(image, format(), scale());
    m_export->setEnabled(problem.isEmpty());
    if (!problem.isEmpty()) {
        m_size->setText(problem.left(1).toUpper() + problem.mid(1) + QLatin1Char('.'));
        return;
    }
    const int height = image.height(image.wholePage());
    if (format() == ImageFormat::Pdf) {
        const std::size_t pages = pdfPages(image).size();
        const QString onPages = pages == 1 ? tr("on one page") : tr("on %1 pages").arg(pages);
        m_size->setText(tr("%1 rows %2, %3 px wide").arg(image.rowCount()).arg(onPages).arg(image.width()));
    } else {
        m_size->setText(tr("%1 rows, %2 × %3 pixels").arg(image.rowCount()).arg(image.width() * scale()).arg(height * scale()));
    }
}

void ExportDialog::accept()
{
    QSettings settings;
    settings.beginGroup(QLatin1String(kSettingsGroup));
    settings.setValue(QStringLiteral("format"), m_format->currentIndex());
    settings.setValue(QStringLiteral("allRows"), m_allRows->isChecked());
    settings.setValue(QStringLiteral("wholeTrace"), m_wholeTrace->isChecked());
    settings.setValue(QStringLiteral("width"), m_width->value());
    settings.setValue(QStringLiteral("scale"), m_scale->currentData().toInt());
    settings.setValue(QStringLiteral("dark"), m_theme->currentIndex() == 1);
    settings.setValue(QStringLiteral("breakdown"), m_breakdown->isChecked());
    QDialog::accept();
}

} // namespace spanwise
