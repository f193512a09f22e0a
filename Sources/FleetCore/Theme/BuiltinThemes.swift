/// The themes compiled into the binary, so the monitor works with no files at all. `Themes/*.theme` in the
/// repository hold the same text (a test keeps them equal); files found at run time may add or override themes.
public enum BuiltinThemes {
    public static let names = ["dark", "light", "monochrome", "high-contrast"]

    public static func text(_ name: String) -> String? {
        switch name {
        case "dark": return dark
        case "light": return light
        case "monochrome": return monochrome
        case "high-contrast": return highContrast
        default: return nil
        }
    }

    /// Every role at the terminal's default colour: the base missing keys fall back to before a theme's own
    /// defaults apply.
    public static let allDefault = Theme(name: "default", colors: Dictionary(uniqueKeysWithValues: ThemeRole.allCases.map { ($0, TermColor.default) }))

    public static func theme(_ name: String) -> Theme? {
        text(name).map { Theme.parse($0, name: name, base: allDefault).theme }
    }

    /// The default theme, parsed once.
    public static let defaultTheme: Theme = theme("dark")!

    static let dark = """
    # FleetTUI theme "dark" (the default): soft colours on the terminal's own background.
    # Lines: theme[key]="#rrggbb" | "default" (terminal colour) | 0-255 (palette index). Missing keys: the default theme.

    theme[main_fg]="#d0d0d0"
    theme[main_bg]="default"
    theme[title]="#5fd7ff"
    theme[label]="#8a8a8a"
    theme[value]="#e4e4e4"
    theme[table_header_fg]="#000000"
    theme[table_header_bg]="#5f87af"
    theme[sort_column]="#ffffaf"
    theme[selected_fg]="#000000"
    theme[selected_bg]="#87afd7"
    theme[host_row_fg]="#ffffff"
    theme[host_row_bg]="#3a3a3a"
    theme[running]="#5fd75f"
    theme[paused]="#d7af5f"
    theme[shutoff]="#808080"
    theme[crashed]="#ff5f5f"
    theme[other_state]="#afafaf"
    theme[host_up]="#5fd75f"
    theme[host_down]="#ff5f5f"
    theme[host_slow]="#ffaf00"
    theme[stale]="#6c6c6c"
    theme[cpu_low]="#d0d0d0"
    theme[cpu_mid]="#ffd75f"
    theme[cpu_high]="#ff5f5f"
    theme[graph_cpu]="#5fafff"
    theme[graph_mem]="#af87ff"
    theme[graph_io]="#5fd7af"
    theme[graph_net]="#ffaf5f"
    theme[status_fg]="#d0d0d0"
    theme[status_bg]="#303030"
    theme[key_hint]="#5fd7ff"
    theme[error]="#ff5f5f"
    theme[warning]="#ffaf00"
    theme[border]="#4e4e4e"
    theme[inactive]="#808080"
    # the console: its F12 menu, and dialogs (the VNC password prompt)
    theme[menu_fg]="15"
    theme[menu_bg]="4"
    theme[dialog_fg]="0"
    theme[dialog_bg]="7"

    """

    static let light = """
    # FleetTUI theme "light": dark text on a light background.

    theme[main_fg]="#1c1c1c"
    theme[main_bg]="#fafafa"
    theme[title]="#005f87"
    theme[label]="#6c6c6c"
    theme[value]="#000000"
    theme[table_header_fg]="#ffffff"
    theme[table_header_bg]="#005f87"
    theme[sort_column]="#ffff87"
    theme[selected_fg]="#000000"
    theme[selected_bg]="#afd7ff"
    theme[host_row_fg]="#000000"
    theme[host_row_bg]="#e4e4e4"
    theme[running]="#008700"
    theme[paused]="#af8700"
    theme[shutoff]="#808080"
    theme[crashed]="#d70000"
    theme[other_state]="#585858"
    theme[host_up]="#008700"
    theme[host_down]="#d70000"
    theme[host_slow]="#d75f00"
    theme[stale]="#a8a8a8"
    theme[cpu_low]="#1c1c1c"
    theme[cpu_mid]="#af5f00"
    theme[cpu_high]="#d70000"
    theme[graph_cpu]="#005fd7"
    theme[graph_mem]="#8700af"
    theme[graph_io]="#008787"
    theme[graph_net]="#d75f00"
    theme[status_fg]="#1c1c1c"
    theme[status_bg]="#d0d0d0"
    theme[key_hint]="#005f87"
    theme[error]="#d70000"
    theme[warning]="#d75f00"
    theme[border]="#bcbcbc"
    theme[inactive]="#808080"
    # the console: its F12 menu, and dialogs (the VNC password prompt)
    theme[menu_fg]="15"
    theme[menu_bg]="4"
    theme[dialog_fg]="0"
    theme[dialog_bg]="7"

    """

    static let monochrome = """
    # FleetTUI theme "monochrome": no colours; selection, headers and states shown with reverse/bold/dim.
    # (Also what NO_COLOR and colourless terminals get.)

    theme[main_fg]="default"
    theme[main_bg]="default"
    theme[title]="default"
    theme[label]="default"
    theme[value]="default"
    theme[table_header_fg]="default"
    theme[table_header_bg]="default"
    theme[sort_column]="default"
    theme[selected_fg]="default"
    theme[selected_bg]="default"
    theme[host_row_fg]="default"
    theme[host_row_bg]="default"
    theme[running]="default"
    theme[paused]="default"
    theme[shutoff]="default"
    theme[crashed]="default"
    theme[other_state]="default"
    theme[host_up]="default"
    theme[host_down]="default"
    theme[host_slow]="default"
    theme[stale]="default"
    theme[cpu_low]="default"
    theme[cpu_mid]="default"
    theme[cpu_high]="default"
    theme[graph_cpu]="default"
    theme[graph_mem]="default"
    theme[graph_io]="default"
    theme[graph_net]="default"
    theme[status_fg]="default"
    theme[status_bg]="default"
    theme[key_hint]="default"
    theme[error]="default"
    theme[warning]="default"
    theme[border]="default"
    theme[inactive]="default"
    # the console: its F12 menu, and dialogs (the VNC password prompt)
    theme[menu_fg]="default"
    theme[menu_bg]="default"
    theme[dialog_fg]="default"
    theme[dialog_bg]="default"

    """

    static let highContrast = """
    # FleetTUI theme "high-contrast": pure colours on black, for bright rooms and weak eyes.

    theme[main_fg]="#ffffff"
    theme[main_bg]="#000000"
    theme[title]="#ffff00"
    theme[label]="#ffffff"
    theme[value]="#ffffff"
    theme[table_header_fg]="#000000"
    theme[table_header_bg]="#ffff00"
    theme[sort_column]="#0000ff"
    theme[selected_fg]="#000000"
    theme[selected_bg]="#00ffff"
    theme[host_row_fg]="#ffffff"
    theme[host_row_bg]="#0000af"
    theme[running]="#00ff00"
    theme[paused]="#ffff00"
    theme[shutoff]="#c0c0c0"
    theme[crashed]="#ff0000"
    theme[other_state]="#ffffff"
    theme[host_up]="#00ff00"
    theme[host_down]="#ff0000"
    theme[host_slow]="#ffff00"
    theme[stale]="#c0c0c0"
    theme[cpu_low]="#ffffff"
    theme[cpu_mid]="#ffff00"
    theme[cpu_high]="#ff0000"
    theme[graph_cpu]="#00ffff"
    theme[graph_mem]="#ff00ff"
    theme[graph_io]="#00ff00"
    theme[graph_net]="#ffff00"
    theme[status_fg]="#ffffff"
    theme[status_bg]="#000080"
    theme[key_hint]="#ffff00"
    theme[error]="#ff0000"
    theme[warning]="#ffff00"
    theme[border]="#ffffff"
    theme[inactive]="#c0c0c0"
    # the console: its F12 menu, and dialogs (the VNC password prompt)
    theme[menu_fg]="#ffffff"
    theme[menu_bg]="#0000ff"
    theme[dialog_fg]="#000000"
    theme[dialog_bg]="#ffffff"

    """
}
