import Testing
@testable import FleetCore

/// The rules engine on screen text. The texts are what real software prints (the kernel, GRUB, busybox,
/// e2fsck, systemd, EDK2); the bed tests check the same rules on the real guests' screens.
@Suite struct ScreenRulesTests {
    let rules = ScreenClassifier.builtIn

    func state(_ lines: [String]) -> ScreenState {
        rules.classify(.text(ScreenText(lines: lines, cols: 80)))
    }

    @Test func kernelPanicAnywhereOnTheScreenDecides() {
        let s = state([
            "Physical KASLR disabled: no suitable memory region!",
            "",
            "[   29.469899] Kernel panic - not syncing: VFS: Unable to mount root fs on unkno",
            "wn-block(0,0)",
            "[   29.471193] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0-57-amd64 #1  Debi",
            "[   29.647688] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs",
            "",
        ])
        #expect(s.name == "panic")
        #expect(s.severity == .critical)
        #expect(s.line == "[   29.469899] Kernel panic - not syncing: VFS: Unable to mount root fs on unkno")
    }

    @Test func oopsWithoutPanicAndXenPanic() {
        #expect(state(["[  12.345678] BUG: kernel NULL pointer dereference, address: 0000000000000000",
                       "[  12.345999] #PF: supervisor write access in kernel mode", "/ # "]).name == "oops")
        #expect(state(["Oops: 0002 [#1] PREEMPT SMP NOPTI"]).name == "oops")
        #expect(state(["(XEN) Panic on CPU 0:", "(XEN) Xen BUG at page_alloc.c:420"]).name == "panic")
    }

    @Test func emergencyAndRescueShells() {
        #expect(state(["You are in emergency mode. After logging in, type \"journalctl -xb\" to view",
                       "system logs, \"systemctl reboot\" to reboot, \"systemctl default\" or \"exit\"",
                       "to boot into default mode.", "Give root password for maintenance",
                       "(or press Control-D to continue):"]).name == "emergency")
        #expect(state(["Gave up waiting for root file system device.  Common problems:",
                       "ALERT!  UUID=1234 does not exist.  Dropping to a shell!", "",
                       "BusyBox v1.35.0 (Debian 1:1.35.0-4) built-in shell (ash)", "(initramfs) "]).name == "emergency")
    }

    @Test func fsckQuestionIsTheLastLineNotAnAnsweredOne() {
        let asking = state(["e2fsck 1.47.0 (5-Feb-2023)", "Pass 1: Checking inodes, blocks, and sizes",
                            "Pass 2: Checking directory structure", "Pass 3: Checking directory connectivity",
                            "Pass 4: Checking reference counts", "Inode 12 ref count is 5, should be 1.  Fix<y>? "])
        #expect(asking.name == "fsck" && asking.severity == .warning)
        #expect(asking.line == "Inode 12 ref count is 5, should be 1.  Fix<y>? ")
        let answered = state(["Inode 12 ref count is 5, should be 1.  Fix<y>? yes", "",
                              "Pass 5: Checking group summary information", "root@h:/# "])
        #expect(answered.name == "shell")
    }

    @Test func grubMenusInTextAndGfxterm() {
        let s = state(["                             GNU GRUB  version 2.06-13+deb12u2", "",
                       " +----------------------------------------------------------------------------+",
                       " |*Debian GNU/Linux                                                          |"])
        #expect(s.name == "grub")
        #expect(s.line?.contains("GNU GRUB  version 2.06") == true)
        #expect(state(["    Minimal BASH-like line editing is supported. For the first word, TAB", "grub> "]).name == "grub")
        #expect(state(["error: unknown filesystem.", "Entering rescue mode...", "grub rescue>"]).name == "noboot")
    }

    @Test func uefiScreens() {
        #expect(state(["UEFI Interactive Shell v2.2", "EDK II", "UEFI v2.70 (EDK II, 0x00010000)",
                       "Mapping table", "Press ESC in 1 seconds to skip startup.nsh or any other key to continue.",
                       "Shell> "]).name == "uefi")
        #expect(state(["BdsDxe: No bootable option or device was found.",
                       "BdsDxe: Press any key to enter the Boot Manager Menu."]).name == "noboot")
        #expect(state(["SeaBIOS (version 1.16.2-debian-1.16.2-1)", "Booting from Hard Disk...",
                       "Boot failed: not a bootable disk", "", "No bootable device."]).name == "noboot")
    }

    @Test func loginPromptOnlyWhenItIsTheLastLine() {
        let s = state(["FleetTUI state guest scr-login (busybox getty on /dev/tty1)", "", "scr-login login: ", "", ""])
        #expect(s.name == "login" && s.severity == .ok && s.line == "scr-login login: ")
        #expect(state(["Debian GNU/Linux 12 web01 tty1", "", "web01 login: root", "Password: "]).name == "login")
        // A login prompt left above a shell is not the state any more.
        #expect(state(["web01 login: root", "Password:", "Linux web01 6.1.0", "root@web01:~# "]).name == "shell")
    }

    @Test(arguments: ["root@scr-shell:/# ", "fleet-vga:/# ", "/ # ", "[root@db1 ~]# ", "user@host:~$ ", "bash-5.2# ",
                      "sh-5.2$ ", "root@scr-shell:/# ls -l", "~ # ", "fleet-fb:/#"])
    func shellPrompts(_ prompt: String) {
        #expect(state(["some output", prompt]).name == "shell", "\(prompt)")
    }

    @Test(arguments: ["Shell> ", "grub>", "(initramfs)", "Memory test (memtest86+x64.bin)", "The quick brown fox",
                      "Press Enter to continue", "12:00:01 # of users: 3"])
    func notShellPrompts(_ line: String) {
        #expect(state(["some output", line]).name != "shell", "\(line)")
    }

    @Test func textBlankAndTheStatesNoPatternDecides() {
        let t = state(["FleetTUI test guest fleet-vga", "The quick brown fox jumps over the lazy dog", "", ""])
        #expect(t.name == "text" && t.line == "The quick brown fox jumps over the lazy dog")
        #expect(state(["", "   ", ""]).name == "blank")
        #expect(rules.classify(.blank(width: 720, height: 400)) == ScreenState(name: "blank", severity: .info))
        #expect(rules.classify(.picture(width: 1024, height: 768)).name == "picture")
        let u = rules.classify(.unreachable("VNC connection refused: nothing listens on 127.0.0.1:5999"))
        #expect(u.name == "unreachable" && u.severity == .warning && u.line?.contains("5999") == true)
        #expect(rules.classify(.locked("the display wants a VNC password")).name == "locked")
    }

    @Test func unknownCellsNeverMatchRealCharacters() {
        // An unrecognised cell is U+FFFD, not '?': a '<y>?' question cannot be made up of unknown cells.
        #expect(state(["Fix<y>\u{FFFD}"]).name == "text")
    }

    @Test func userRulesComeFirstAndOverrideBuiltInsByName() throws {
        let c = try ScreenClassifier(userRules: [
            ScreenRuleSpec(name: "db-ready", regex: "database system is ready", severity: .ok),
            ScreenRuleSpec(name: "grub", severity: .ok),                               // severity only
            ScreenRuleSpec(name: "shell", regex: #"^\$ $"#, scope: .last),            // own regex
            ScreenRuleSpec(name: "oops", enabled: false),                              // dropped
            ScreenRuleSpec(name: "blank", severity: .critical),                       // a fixed state
        ])
        func st(_ l: [String]) -> ScreenState { c.classify(.text(ScreenText(lines: l, cols: 80))) }
        #expect(st(["LOG: database system is ready to accept connections", "root@db:~# "]).name == "db-ready")
        #expect(st(["GNU GRUB  version 2.06"]) == ScreenState(name: "grub", severity: .ok, line: "GNU GRUB  version 2.06"))
        #expect(st(["x", "$ "]).name == "shell")
        #expect(st(["x", "root@db:~# "]).name == "text")   // the built-in shell regex was replaced
        #expect(st(["Oops: 0002 [#1] SMP"]).name == "text")
        #expect(c.classify(.blank(width: 1, height: 1)).severity == .critical)
        #expect(c.rules.first?.name == "db-ready")
        #expect(!c.stateNames.contains("oops"))
    }

    @Test func badUserRulesAreErrors() {
        #expect(throws: ScreenConfigError.self) { try ScreenClassifier(userRules: [ScreenRuleSpec(name: "mine")]) }
        #expect(throws: ScreenConfigError.self) {
            try ScreenClassifier(userRules: [ScreenRuleSpec(name: "mine", regex: "(unclosed")])
        }
        #expect(throws: ScreenConfigError.self) {
            try ScreenClassifier(userRules: [ScreenRuleSpec(name: "picture", regex: "x")])
        }
    }

    @Test func configSectionParsesWarnsAndIsWrittenBack() throws {
        let (s, w) = try MonitorSettings.parse("""
        sort = "cpu"
        [screens]
        period = 10
        per_host = 3
        bogus = 1

        [[screens.rule]]
        name = "db-ready"
        regex = "(?i)database system is ready"
        severity = "ok"

        [[screens.rule]]
        name = "broken"
        regex = "(unclosed"

        [[screens.rule]]
        name = "shell"
        severity = "warning"
        where = "last"

        [[screens.rule]]
        name = "bad sev"
        regex = "x"
        """)
        #expect(s.screens.period == 10 && s.screens.perHost == 3 && s.screens.concurrency == 8)
        #expect(s.screens.rules.map(\.name) == ["db-ready", "shell"])
        #expect(w.count == 3)
        #expect(w.contains { $0.contains("unknown key 'bogus'") })
        #expect(w.contains { $0.contains("rule 'broken'") && $0.contains("invalid regular expression") })
        #expect(w.contains { $0.contains("rule 'bad sev'") && $0.contains("state name") })
        let c = s.screens.classifier
        #expect(c.classify(.text(ScreenText(lines: ["DATABASE SYSTEM IS READY"], cols: 80))).name == "db-ready")
        #expect(c.severity(ofState: "shell") == .warning)

        // W writes the settings back: the rules survive, and read back the same.
        let again = try MonitorSettings.parse(s.tomlText)
        #expect(again.warnings.isEmpty)
        #expect(again.settings == s)
        #expect(MonitorSettings().tomlText.contains("[screens]") == false)
    }

    @Test func patternMapsMatchesToTheirLine() throws {
        let p = try ScreenPattern("b+c$")
        let lines = ScreenLines(["aaa", "ébbc", "bbc"])
        #expect(p.firstMatchingLine(in: lines) == 1)
        #expect(try ScreenPattern("^z").firstMatchingLine(in: lines) == nil)
        #expect(throws: ScreenPattern.Invalid.self) { try ScreenPattern("[") }
    }
}
