#include "search_bar.h"

#include <span_search.h>

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

#include <algorithm>

namespace spanwise {

SearchBar::SearchBar(TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_field(new QLineEdit(this)), m_status(new QLabel(this))
{
    m_field->setPlaceholderText(tr("Find spans by service, operation, id or attribute value"));
    m_field->setClearButtonEnabled(true);
    m_field->installEventFilter(this);
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
    layout->addWidget(m_status);
    layout->addWidget(previous);
    layout->addWidget(next);
    layout->addWidget(done);
    connect(m_field, &QLineEdit::textChanged, this, &SearchBar::search);
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
    hide();
}

void SearchBar::search(const QString& text)
{
    m_state->setSearchMatches(searchSpans(m_state->data(), m_state->trace(), text.trimmed().toStdString()));
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
        const auto it = current == kNoIndex ? matches.begin() : std::upper_bound(matches.begin(), matches.end(), current);
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
    if (m_field->text().trimmed().isEmpty()) {
        m_status->clear();
        return;
    }
    const auto it = std::lower_bound(matches.begin(), matches.end(), m_state->selected());
    if (it != matches.end() && *it == m_state->selected())
        m_status->setText(tr("%1 of %2").arg(it - matches.begin() + 1).arg(matches.size()));
    else
        m_status->setText(matches.empty() ? tr("no match") : tr("%n match(es)", nullptr, static_cast<int>(matches.size())));
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
