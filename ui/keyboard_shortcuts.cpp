#include "keyboard_shortcuts.h"

#include <QCoreApplication>

namespace spanwise {

std::vector<ShortcutGroup> keyboardShortcuts()
{
    const auto tr = [](const char* text) { return QCoreApplication::translate("KeyboardShortcuts", text); };
    return {
        {tr("Move around the tree"),
         {{tr("↑ ↓, Page Up/Down, Home/End"), tr("move the selection")},
          {tr("→ ←"), tr("expand / collapse (a group of repeated calls too), or go to child / parent")},
          {tr("Enter, double-click a name"), tr("show the details")},
          {tr("Esc"), tr("leave the focused subtree, or clear the selection")}}},
        {tr("Zoom and pan in time"),
         {{tr("W / S"), tr("zoom in / out around the pointer (hold to keep going)")},
          {tr("A / D"), tr("pan left / right (hold to keep going)")},
          {tr("Ctrl+wheel, + / −"), tr("zoom around the pointer / the middle")},
          {tr("Shift+wheel, drag the bars"), tr("pan")},
          {tr("Double-click a bar, Z"), tr("zoom to the span")},
          {tr("0, Ctrl+0, double-click the minimap"), tr("show the whole trace")},
          {tr("Drag in the minimap"), tr("zoom to a time range")}}},
        {tr("Views"), {{tr("Alt+1 … Alt+4"), tr("waterfall, flame graph, graph, spans table")}}},
        {tr("Focus and layout"),
         {{tr("F"), tr("focus on the selected subtree")},
          {tr("Backspace, Esc"), tr("back from the focus (the breadcrumb leads anywhere above)")},
          {tr("Ctrl+E, Ctrl+1…3"), tr("expand all / collapse below a level")},
          {tr("Ctrl+G"), tr("group repeated calls into one row, or show each call")},
          {tr("Ctrl+H, Ctrl+Shift+H"), tr("hide spans shorter than a duration / show hidden spans")},
          {tr("Click a service in the legend"), tr("hide or show its spans")}}},
        {tr("Critical path"),
         {{tr("] / ["), tr("next / previous segment, framed on its bar")},
          {tr("Ctrl+P"), tr("show or hide the critical path")}}},
        {tr("Find"),
         {{tr("Ctrl+F, /"), tr("find spans")},
          {tr("Enter / Shift+Enter"), tr("next / previous match")},
          {tr("Esc"), tr("close the find bar")}}},
        {tr("Annotations"),
         {{tr("N, right-click a span"), tr("add a note / notes and highlights")},
          {tr("Drag on the time ruler"), tr("select a time range (right-click it for a range note)")},
          {tr("Double-click a note, drag a note"), tr("edit it / move it")},
          {tr("Ctrl+Z, Ctrl+Shift+Z"), tr("undo / redo")}}},
        {tr("Files and windows"),
         {{tr("Ctrl+O, Ctrl+Shift+O"), tr("open files / a folder, as one list of traces")},
          {tr("Ctrl+L"), tr("open a trace from a Jaeger, Tempo or Zipkin server")},
          {tr("Ctrl+Shift+R"), tr("receive traces from running applications")},
          {tr("F5, Ctrl+W"), tr("reload, close the tab")},
          {tr("Ctrl+Shift+D"), tr("compare two traces")},
          {tr("Ctrl+Shift+E, Ctrl+Shift+C"), tr("export an image / copy the view as one")},
          {tr("?, F1"), tr("show or hide this list")}}},
    };
}

} // namespace spanwise
