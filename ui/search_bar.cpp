#include "search_bar.h"

#include "model_text.h"
#include "query_field.h"

#include <span_search.h>

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QToolButton>

#include <algorithm>

namespace spanwise {

namespace {

// Wide enough for the placeholder text, and the clear button beside it.
int fittingWidth(const QLineEdit* field)
{
    return field->fontMetrics().horizontalAdvance(field->placeholderText()) + field->sizeHint().height() + 16;
}

QString matchesOnlyTip()
{
    return SearchBar::tr("Hide spans that do not match, keeping the path from the root to each match");
}

} // namespace

SearchBar::SearchBar(TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_field(new QLineEdit(this)), m_service(new QComboBox(this)),
      m_minDuration(new QLineEdit(this)), m_errorsOnly(new QCheckBox(tr("Err&ors only"), this)),
      m_matchesOnly(new QCheckBox(tr("&Matches only"), this)), m_status(new QLabel(this)), m_error(new QLabel(this))
{
    m_field->setPlaceholderText(tr("Name, id, /regex/ or key=value"));
    m_field->setToolTip(queryLanguageHelp());
    m_field->setClearButtonEnabled(true);
    m_field->setMinimumWidth(fittingWidth(m_field));
    m_field->installEventFilter(this);
    m_service->addItem(tr("All services"), QVariant::fromValue(kNoIndex));
    for (std::string_view service : state->services()) {
        m_service->addItem(qstr(service), QVariant::fromValue(state->data().strings.find(service)));
    }
    m_service->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon); // long names elided
    m_service->setMinimumContentsLength(12);
    m_service->setToolTip(tr("Only spans of this service"));
    m_minDuration->setPlaceholderText(tr("Min. duration"));
    m_minDuration->setToolTip(tr("Only spans at least this long, e.g. 10ms, 1.5s, 250us"));
    m_minDuration->setClearButtonEnabled(true);
    m_minDuration->setFixedWidth(fittingWidth(m_minDuration));
    m_errorsOnly->setToolTip(tr("Only spans that failed"));
    // The counter is as wide as its longest text, so that nothing moves as it changes; how many
    // spans "Matches only" hides is in its tooltip, to keep the bar narrow enough for the window.
    m_status->setFixedWidth(m_status->fontMetrics().horizontalAdvance(
                                tr("%1 of %2").arg(QLocale().toString(999'999), QLocale().toString(999'999))) +
                            4);
    m_status->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_matchesOnly->setToolTip(matchesOnlyTip());
    // A long message shares the room with the field instead of widening the bar; its tooltip holds all.
    m_error->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_error->hide();
    auto* previous = new QToolButton(this);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Previous match (Shift+Enter)"));
    auto* next = new QToolButton(this);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match (Enter)"));
    auto* done = new QToolButton(this);
    done->setText(tr("Done"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 3, 6, 3);
    layout->addWidget(m_field, 1);
    layout->addWidget(m_error, 1);
    layout->addWidget(m_service);
    layout->addWidget(m_minDuration);
    layout->addWidget(m_errorsOnly);
    layout->addWidget(m_matchesOnly);
    layout->addWidget(m_status);
    layout->addWidget(previous);
    layout->addWidget(next);
    layout->addWidget(done);
    connect(m_field, &QLineEdit::textChanged, this, &SearchBar::search);
    connect(m_service, &QComboBox::currentIndexChanged, this, &SearchBar::search);
    connect(m_minDuration, &QLineEdit::textChanged, this, &SearchBar::search);
    connect(m_errorsOnly, &QCheckBox::toggled, this, &SearchBar::search);
    connect(m_matchesOnly, &QCheckBox::toggled, state, [state](bool on) {
        state->setRowFilter(on ? TraceViewState::RowFilter::Matches : TraceViewState::RowFilter::All);
    });
    connect(state, &TraceViewState::rowsChanged, this, &SearchBar::updateStatus);
    connect(previous, &QToolButton::clicked, this, [this] { step(-1); });
    connect(next, &QToolButton::clicked, this, [this] { step(1); });
    connect(done, &QToolButton::clicked, this, &SearchBar::close);
    connect(state, &TraceViewState::selectionChanged, this, &SearchBar::updateStatus);
    hide();
}

void SearchBar::open()
{
    show();
    m_field->setFocus();
    m_field->selectAll();
}

void SearchBar::close()
{
    m_field->clear();
    m_service->setCurrentIndex(0);
    m_minDuration->clear();
    m_errorsOnly->setChecked(false);
    m_matchesOnly->setChecked(false);
    hide();
    emit closed();
}

void SearchBar::search()
{
    const QString text = m_field->text();
    ParsedQuery parsed = parseSpanQuery(text.toStdString());
    showQueryError(m_field, m_error, text, parsed);
    SpanQuery& query = parsed.query;
    query.service = m_service->currentData().value<StringId>();
    const std::optional<TimeNs> minimum = parseDuration(m_minDuration->text().toStdString());
    query.minDuration = minimum.value_or(0);
    query.errorsOnly = m_errorsOnly->isChecked();
    m_minDuration->setStyleSheet(minimum || m_minDuration->text().trimmed().isEmpty()
                                     ? QString()
                                     : QStringLiteral("QLineEdit { color: #d03030; }"));
    m_state->setSearchMatches(parsed.ok() ? searchSpans(m_state->data(), m_state->trace(), query)
                                          : std::vector<std::uint32_t>{});
    updateStatus();
}

void SearchBar::step(int direction)
{
    const auto& matches = m_state->searchMatches();
    if (matches.empty())
        return;
    const std::uint32_t current = m_state->selected();
    std::uint32_t target;
    if (direction > 0) {
        const auto it = current == kNoIndex ? matches.begin()
                                            : std::upper_bound(matches.begin(), matches.end(), current);
        target = it == matches.end() ? matches.front() : *it;
    } else {
        const auto it = current == kNoIndex ? matches.end() : std::lower_bound(matches.begin(), matches.end(), current);
        target = it == matches.begin() ? matches.back() : *(it - 1);
    }
    m_state->select(target);
}

void SearchBar::updateStatus()
{
    const auto& matches = m_state->searchMatches();
    if (m_field->text().trimmed().isEmpty() && m_service->currentIndex() <= 0 && !m_errorsOnly->isChecked() &&
        m_minDuration->text().trimmed().isEmpty()) {
        m_status->clear();
        m_status->setToolTip({});
        m_matchesOnly->setToolTip(matchesOnlyTip());
        return;
    }
    QString text;
    const auto it = std::lower_bound(matches.begin(), matches.end(), m_state->selected());
    if (it != matches.end() && *it == m_state->selected())
        text = tr("%1 of %2")
                   .arg(QLocale().toString(static_cast<qlonglong>(it - matches.begin() + 1)),
                        QLocale().toString(static_cast<qulonglong>(matches.size())));
    else if (!m_error->isHidden())
        text = tr("invalid");
    else if (matches.empty())
        text = tr("no match");
    else if (matches.size() == 1)
        text = tr("1 match");
    else
        text = tr("%1 matches").arg(QLocale().toString(static_cast<qulonglong>(matches.size())));
    const bool hiding = m_state->rowFilter() == TraceViewState::RowFilter::Matches && m_state->hiddenByFilter() > 0;
    QString hidden;
    if (hiding && m_state->hiddenByFilter() == 1)
        hidden = tr("1 span hidden by Matches only");
    else if (hiding)
        hidden = tr("%1 spans hidden by Matches only").arg(QLocale().toString(m_state->hiddenByFilter()));
    m_status->setText(text);
    m_status->setToolTip(hidden);
    m_matchesOnly->setToolTip(hidden.isEmpty() ? matchesOnlyTip() : matchesOnlyTip() + QStringLiteral("\n") + hidden);
}

bool SearchBar::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            step(key->modifiers() & Qt::ShiftModifier ? -1 : 1);
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            close();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace spanwise
