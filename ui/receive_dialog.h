#pragma once
// File ▸ Receive Traces…: which endpoints to start, on which ports and address, and how many spans
// to keep at most; remembered for next time. An address other than loopback is said to be open to
// the network before anything starts.

#include <receivers.h>

#include <QDialog>

#include <array>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace spanwise {

class ReceiveDialog : public QDialog {
    Q_OBJECT
public:
    explicit ReceiveDialog(QWidget* parent = nullptr);

    ReceiverOptions options() const;
    std::uint64_t maxSpans() const;
    void remember() const; // for the next time the dialog opens

    QCheckBox* endpointField(ReceiverEndpoint endpoint) const { return m_enabled[index(endpoint)]; }
    QSpinBox* portField(ReceiverEndpoint endpoint) const { return m_ports[index(endpoint)]; }
    QComboBox* hostField() const { return m_host; }
    QSpinBox* maxSpansField() const { return m_maxSpans; }
    QLabel* warningLabel() const { return m_warning; }

private:
    static std::size_t index(ReceiverEndpoint endpoint) { return static_cast<std::size_t>(endpoint); }
    void check();

    std::array<QCheckBox*, kReceiverEndpointCount> m_enabled{};
    std::array<QSpinBox*, kReceiverEndpointCount> m_ports{};
    QComboBox* m_host;
    QSpinBox* m_maxSpans;
    QLabel* m_warning;
    QPushButton* m_start = nullptr;
};

} // namespace spanwise
