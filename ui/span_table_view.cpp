#include "span_table_view.h"

#include "model_text.h"
#include "query_field.h"
#include "span_table_model.h"
#include "waterfall_view.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace spanwise {

namespace {

constexpr std::size_t kMenuKeys = 40;           // more keys go to a submenu
constexpr std::size_t kMoreKeys = 400;          // and the rarest are left out
constexpr std::uint32_t kTypingSpans = 200'000; // a bigger trace is filtered when typing pauses

} // namespace

SpanTableView::SpanTableView(TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_model(new SpanTableModel(state, this)), m_filter(new QLineEdit(this)),
      m_error(new QLabel(this)), m_count(new QLabel(this)), m_table(new QTableView(this)),
      m_filterDelay(new QTimer(this))
{
    m_filter->setPlaceholderText(tr("Filter: name, id, /regex/ or key=value"));
    m_filter->setToolTip(queryLanguageHelp());
    m_filter->setClearButtonEnabled(true);
    m_error->hide();
    m_count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_model->setPalette(palette());

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setTextElideMode(Qt::ElideRight);
    // Fixed row heights: the table never asks a million rows for their size.
    QHeaderView* rows = m_table->verticalHeader();
    rows->hide();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    header->setSortIndicator(-1, Qt::AscendingOrder); // the trace's order until a header is clicked
    header->setSortIndicatorClearable(true);          // and again on a third click
    m_table->setSortingEnabled(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this, [this, header](const QPoint& at) {
        QMenu* menu = attributeMenu(this);
        menu->exec(header->mapToGlobal(at));
        delete menu;
    });
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        const QModelIndex index = m_table->indexAt(at);
        if (!index.isValid())
            return;
        QMenu* menu = rowMenu(index, this);
        menu->exec(m_table->viewport()->mapToGlobal(at));
        delete menu;
    });
    m_table->installEventFilter(this);
    fitColumns(0);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 0);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_error); // whole: the field gives it room
    bar->addWidget(m_count);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    // Filtering a big trace takes a noticeable moment: not at every key.
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(state->trace().count > kTypingSpans ? 250 : 0);
    connect(m_filterDelay, &QTimer::timeout, this, &SpanTableView::applyFilter);
    connect(m_filter, &QLineEdit::textChanged, this, [this] {
        if (m_filterDelay->interval() == 0)
            applyFilter();
        else
            m_filterDelay->start();
    });
    connect(m_filter, &QLineEdit::returnPressed, this, &SpanTableView::applyFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
        if (m_following || !current.isValid())
            return;
        const std::uint32_t span = m_model->spanAt(current.row());
        m_following = true;
        m_state->reveal(span);
        m_state->select(span);
        m_following = false;
    });
    connect(m_table, &QTableView::doubleClicked, this,
            [this](const QModelIndex& index) { m_state->focusOn(m_model->spanAt(index.row())); });
    connect(state, &TraceViewState::selectionChanged, this, [this] {
        if (!m_following)
            showSelection();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        updateCount();
        showSelection();
    });
    connect(m_model, &QAbstractItemModel::layoutChanged, this, [this] { showSelection(); });
    updateCount();
    showSelection();
}

void SpanTableView::fitColumns(int from)
{
    // From the header and a sample of the rows: measuring every row would not scale.
    const QFontMetrics metrics = fontMetrics();
    const int sample = std::min(m_model->rowCount(), 200);
    for (int column = from; column < m_model->columnCount(); ++column) {
        int width = metrics.horizontalAdvance(m_model->headerData(column, Qt::Horizontal).toString()) + 24;
        for (int row = 0; row < sample; ++row)
            width = std::max(width, metrics.horizontalAdvance(m_model->text(row, column)) + 16);
        if (column == SpanTableModel::Service)
            width += metrics.height();
        m_table->setColumnWidth(column, std::min(width, metrics.averageCharWidth() * 40));
    }
}

void SpanTableView::applyFilter()
{
    m_filterDelay->stop();
    const QString text = m_filter->text();
    const ParsedQuery parsed = parseSpanQuery(text.toStdString());
    showQueryError(m_filter, m_error, text, parsed);
    if (parsed.ok())
        m_model->setFilter(parsed.query);
}

void SpanTableView::updateCount()
{
    const QLocale locale;
    m_count->setText(
        tr("%1 of %2 spans").arg(locale.toString(m_model->rowCount()), locale.toString(m_model->totalSpans())));
}

void SpanTableView::showSelection()
{
    const int row = m_model->rowOf(m_state->selected());
    m_following = true;
    if (row < 0) {
        m_table->selectionModel()->clearSelection();
    } else {
        const QModelIndex index = m_model->index(row, 0);
        m_table->selectionModel()->setCurrentIndex(index,
                                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_table->scrollTo(index);
    }
    m_following = false;
}

QMenu* SpanTableView::attributeMenu(QWidget* parent)
{
    auto* menu = new QMenu(tr("Attribute columns"), parent);
    const std::vector<StringId> keys = m_model->attributeKeys();
    if (keys.empty()) {
        menu->addAction(tr("No attributes in this trace"))->setEnabled(false);
        return menu;
    }
    menu->addSection(tr("Attribute columns"));
    QMenu* more = nullptr;
    for (std::size_t i = 0; i < std::min(keys.size(), kMenuKeys + kMoreKeys); ++i) {
        if (i == kMenuKeys)
            more = menu->addMenu(tr("More attributes"));
        const StringId key = keys[i];
        QAction* action = (more ? more : menu)->addAction(qstr(m_state->data().str(key)));
        action->setCheckable(true);
        const auto& shown = m_model->attributeColumns();
        action->setChecked(std::find(shown.begin(), shown.end(), key) != shown.end());
        connect(action, &QAction::toggled, this, [this, key](bool on) {
            if (on) {
                m_model->addAttributeColumn(key);
                fitColumns(m_model->columnCount() - 1);
            } else {
                m_model->removeAttributeColumn(key);
            }
        });
    }
    return menu;
}

QMenu* SpanTableView::rowMenu(const QModelIndex& index, QWidget* parent)
{
    auto* menu = new QMenu(parent);
    const std::uint32_t span = m_model->spanAt(index.row());
    const Dataset& data = m_state->data();
    const int selected = static_cast<int>(m_table->selectionModel()->selectedRows().size());
    withKey(menu->addAction(selected > 1 ? tr("Copy %1 Rows").arg(selected) : tr("Copy Row"), this,
                            &SpanTableView::copySelection),
            QKeySequence::Copy);
    withKey(menu->addAction(tr("Focus on Span"), this, [this, span] { m_state->focusOn(span); }),
            QKeySequence(Qt::Key_Return));
    menu->addSeparator();
    // The language has no escapes: a value holding a quote, or a key holding a space, a quote or an
    // operator, cannot be written as a term; its entry is disabled.
    auto addFilter = [&](const QString& label, const QString& key, const QString& value) {
        const bool writable = !value.contains(QLatin1Char('"')) && !key.isEmpty() &&
                              std::none_of(key.begin(), key.end(),
                                           [](QChar c) { return c.isSpace() || QStringLiteral("\"=<>!").contains(c); });
        menu->addAction(label, this, [this, key, value] { addFilterTerm(key, value); })->setEnabled(writable);
    };
    const QString service = qstr(data.str(data.spans[span].service));
    const QString operation = qstr(data.str(data.spans[span].name));
    addFilter(tr("Filter: Service %1").arg(service), QStringLiteral("service"), service);
    addFilter(tr("Filter: Operation %1").arg(operation), QStringLiteral("op"), operation);
    if (index.column() >= SpanTableModel::FirstAttribute) {
        const QString key = m_model->headerData(index.column(), Qt::Horizontal).toString();
        const QString value = m_model->text(index.row(), index.column());
        if (!value.isEmpty())
            addFilter(tr("Filter: %1 = %2").arg(key, value), key, value);
    }
    return menu;
}

void SpanTableView::addFilterTerm(const QString& key, const QString& value)
{
    QString text = m_filter->text().trimmed();
    if (!text.isEmpty())
        text += QLatin1Char(' ');
    // Quoted for spaces; a star in the value globs, which still matches the value itself.
    m_filter->setText(text + key + QStringLiteral("=\"") + value + QLatin1Char('"'));
    applyFilter();
}

SpanTablePainter SpanTableView::painter() const
{
    SpanTablePainter painter(m_model);
    painter.setPalette(palette());
    painter.setFont(font());
    std::vector<int> widths;
    for (int column = 0; column < m_model->columnCount(); ++column)
        widths.push_back(m_table->columnWidth(column));
    painter.setColumnWidths(std::move(widths));
    painter.setFirstRow(std::max(0, m_table->rowAt(0)));
    return painter;
}

void SpanTableView::copySelection() const
{
    std::vector<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        rows.push_back(index.row());
    std::sort(rows.begin(), rows.end());
    if (!rows.empty())
        QApplication::clipboard()->setText(m_model->tsv(rows));
}

bool SpanTableView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_table && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->matches(QKeySequence::Copy)) {
            copySelection();
            return true;
        }
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && m_state->selected() != kNoIndex) {
            m_state->focusOn(m_state->selected());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void SpanTableView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        m_model->setPalette(palette());
    QWidget::changeEvent(event);
}

} // namespace spanwise
