#pragma once
// File ▸ Open from Server…: a trace link pasted from Jaeger, Grafana Tempo or Zipkin, or a trace id
// on a server used before; optional credentials, saved in the keychain only when asked. Says what
// will be fetched, or why the text is not a trace's address, as it is typed.

#include "trace_download.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace spanwise {

class OpenFromServerDialog : public QDialog {
    Q_OBJECT
public:
    // servers: base URLs used before, most recent first.
    explicit OpenFromServerDialog(const QStringList& servers, QWidget* parent = nullptr);

    QLineEdit* linkField() const { return m_link; }
    QComboBox* serverField() const { return m_server; }
    QComboBox* serverKindField() const { return m_kind; }
    QComboBox* authField() const { return m_auth; }
    QLineEdit* userField() const { return m_user; }
    QLineEdit* secretField() const { return m_secret; }
    QCheckBox* saveField() const { return m_save; }
    QLabel* statusLabel() const { return m_status; }

    // What the fields describe; nothing (with why) when they describe no trace.
    std::optional<TraceServerRequest> request(QString* why = nullptr) const;
    ServerCredentials credentials() const;
    bool saveCredentials() const;

private:
    void update();

    QLineEdit* m_link;
    QComboBox* m_server;
    QComboBox* m_kind;
    QComboBox* m_auth;
    QLineEdit* m_user;
    QLineEdit* m_secret;
    QCheckBox* m_save;
    QLabel* m_status;
    QDialogButtonBox* m_buttons;
};

} // namespace spanwise
