#pragma once
// Every key of the viewer, grouped: the one list Help ▸ Keyboard Shortcuts and `?` show.

#include <QString>

#include <vector>

namespace spanwise {

struct ShortcutEntry {
    QString keys; // as the user presses them, e.g. "Ctrl+F, /"
    QString what;
};

struct ShortcutGroup {
    QString title;
    std::vector<ShortcutEntry> entries;
};

std::vector<ShortcutGroup> keyboardShortcuts();

} // namespace spanwise
