#pragma once
// The services of a set of traces and their calls, as a graph (GraphView over a SetGraphSource),
// built on a worker thread: a busy line until it is there.

#include <trace_set.h>

#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;

namespace spanwise {

class GraphView;

class SetGraphPage : public QWidget {
    Q_OBJECT
public:
    explicit SetGraphPage(std::shared_ptr<const TraceSet> set, QWidget* parent = nullptr);
    ~SetGraphPage() override;

    GraphView* view() const { return m_view; } // null until built

signals:
    void ready();

private:
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QLabel* m_busy;
    GraphView* m_view = nullptr;
};

} // namespace spanwise
