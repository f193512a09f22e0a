/// Colours are named by what they mean (htop's elements, btop's theme keys), never by value.
public enum ThemeRole: String, CaseIterable, Sendable, Hashable {
    case mainFg = "main_fg", mainBg = "main_bg"
    case title                                  // program name and fleet label in the header
    case label, value                           // header "Hosts:" / "3 up"
    case tableHeaderFg = "table_header_fg", tableHeaderBg = "table_header_bg"
    case sortColumn = "sort_column"             // the header cell of the sort column
    case selectedFg = "selected_fg", selectedBg = "selected_bg"
    case hostRowFg = "host_row_fg", hostRowBg = "host_row_bg"   // group-by-host rows
    case running, paused, shutoff, crashed
    case otherState = "other_state"
    case hostUp = "host_up", hostDown = "host_down", hostSlow = "host_slow"
    case stale                                  // rows of a host that stopped answering
    case cpuLow = "cpu_low", cpuMid = "cpu_mid", cpuHigh = "cpu_high"
    case graphCPU = "graph_cpu", graphMem = "graph_mem", graphIO = "graph_io", graphNet = "graph_net"
    case statusFg = "status_fg", statusBg = "status_bg"         // bottom line
    case keyHint = "key_hint"                   // key names in the bottom line and help
    case error, warning
    case border
    case inactive                               // secondary text, units, unknown values
    case menuFg = "menu_fg", menuBg = "menu_bg"         // the console's F12 menu
    case dialogFg = "dialog_fg", dialogBg = "dialog_bg" // dialogs: the console's VNC password prompt
}
