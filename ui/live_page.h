#pragma once
// Traces received live from running applications: the endpoints to point them at (to copy as
// environment variables), what arrived so far, and the list of traces, which fills as spans arrive.
// Pause freezes the picture (spans are still received and kept); Clear forgets what was kept.
// The page owns the receivers: they stop when it goes.

#include "page.h"

#include <live_store.h>
#include <receivers.h>

#include <QStringList>

#include <chrono>
#include <memory>

class QLabel;
class QPushButton;
class QTableView;
class QTimer;

namespace spanwise {

class LiveTraceListModel;

class LivePage : public Page {
    Q_OBJECT
public:
    LivePage(const ReceiverOptions& options, LiveStoreOptions storeOptions = {}, QWidget* parent = nullptr);
    ~LivePage() override;

    QStringList paths() const override { return {}; }
    // Endpoints that could not start, addresses open to the network: said over the page.
    QStringList problems() const { return m_problems; }
    bool receiving() const { return !m_receivers->addresses().empty(); }
    std::vector<BoundAddress> addresses() const { return m_receivers->addresses(); }

    // Every trace kept, as of the last refresh; the open live traces follow it.
    std::shared_ptr<const Dataset> snapshot() const { return m_snapshot; }
    // One trace's spans kept now, in a dataset of its own (what an open live trace shows).
    std::shared_ptr<const Dataset> traceSnapshot(const TraceId& id) const;
    // Takes a new snapshot now when spans arrived since the last (a timer does it while not paused).
    void refresh();
    bool paused() const { return m_paused; }
    void setPaused(bool paused);
    void clear();
    // The traces kept, written as OTLP protobuf (.otlp.pb) or JSON lines (.otlp.jsonl), atomically.
    bool saveCapture(const QString& path, QString* error) const;

    QTableView* traceList() const { return m_list; }
    LiveTraceListModel* traceModel() const { return m_model; }
    QLabel* statusLabel() const { return m_status; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* clearButton() const { return m_clear; }

signals:
    void traceOpened(const spanwise::TraceId& id);
    void snapshotChanged(); // a new snapshot() with spans that arrived

private:
    QWidget* endpointsBox();
    void showStatus();

    std::shared_ptr<LiveStore> m_store;
    std::unique_ptr<Receivers> m_receivers;
    QStringList m_problems;
    std::shared_ptr<const Dataset> m_snapshot;
    LiveCounts m_snapshotCounts; // what the snapshot was taken from
    bool m_paused = false;
    QTimer* m_timer;
    LiveTraceListModel* m_model;
    QTableView* m_list;
    QLabel* m_status;
    QPushButton* m_pause;
    QPushButton* m_clear;
};

} // namespace spanwise
