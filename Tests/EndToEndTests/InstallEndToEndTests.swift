import Foundation
import Testing
import TestSupport

/// `make install` into a temporary DESTDIR (scripts/install, with this build's binary instead of a release
/// build): every file where the README says, the man page readable by man, the completions loadable, and the
/// installed binary finding the installed themes and demo fleet. (The release build, the .deb and a clean
/// Debian 12 are scripts/deb-test's, run by scripts/test.)
@Suite struct InstallEndToEndTests {
    @Test func makeInstallIntoADestdir() throws {
        let repo = DocsEndToEndTests.repo
        let stage = FileManager.default.temporaryDirectory.appendingPathComponent("fleettui-install-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: stage) }
        var env = ProcessInfo.processInfo.environment
        env["FLEETTUI_INSTALL_BIN"] = try FleetBinary.path()
        let make = try Spawn.run("/usr/bin/make", ["-C", repo.path, "install", "DESTDIR=\(stage.path)", "PREFIX=/opt/fleettui-test"],
                                 environment: env, timeout: 300)
        #expect(make.status == 0, "make install: \(make.err)")
        let root = stage.appendingPathComponent("opt/fleettui-test").path
        for f in ["bin/fleettui", "share/man/man1/fleettui.1", "share/bash-completion/completions/fleettui",
                  "share/zsh/site-functions/_fleettui", "share/fish/vendor_completions.d/fleettui.fish",
                  "share/fleettui/themes/dark.theme", "share/fleettui/themes/high-contrast.theme",
                  "share/fleettui/demo/xen-host.xml", "share/fleettui/demo/kvm-host.xml"] {
            #expect(FileManager.default.fileExists(atPath: root + "/" + f), "not installed: \(f)")
        }
        #expect(FileManager.default.isExecutableFile(atPath: root + "/bin/fleettui"))
        let man = try Spawn.run("/usr/bin/man", ["-l", root + "/share/man/man1/fleettui.1"],
                                environment: ["PATH": "/usr/bin:/bin", "MANWIDTH": "100", "LANG": "C.UTF-8"], timeout: 60)
        #expect(man.status == 0 && man.out.contains("EXIT STATUS") && man.out.contains("fleettui export"))
        let bash = try Spawn.run("/bin/bash", ["--norc", "-c", "source \(Tmux.quote(root + "/share/bash-completion/completions/fleettui")) && complete -p fleettui"], timeout: 60)
        #expect(bash.status == 0 && bash.out.contains("fleettui"), "\(bash.err)")

        // The installed binary finds a theme installed beside the others by name (../share/fleettui/themes).
        try "theme[main_fg]=\"#00ff00\"\n".write(toFile: root + "/share/fleettui/themes/install-test.theme", atomically: true, encoding: .utf8)
        let themed = try Spawn.run(root + "/bin/fleettui", ["--demo", "-b", "-n", "1", "-d", "0.3", "--theme", "install-test"],
                                   environment: ["PATH": "/usr/bin:/bin", "HOME": stage.path, "XDG_CONFIG_HOME": stage.path + "/cfg"], timeout: 60)
        #expect(themed.status == 0 && themed.out.contains("kvm-demo"), "\(themed.err)")
        let elsewhere = try Spawn.run(try FleetBinary.path(), ["--demo", "-b", "-n", "1", "--theme", "install-test"],
                                      environment: ["PATH": "/usr/bin:/bin", "HOME": stage.path, "XDG_CONFIG_HOME": stage.path + "/cfg"], timeout: 60)
        #expect(elsewhere.status == 64, "the theme is found only from the installed binary")

        let un = try Spawn.run("/usr/bin/make", ["-C", repo.path, "uninstall", "DESTDIR=\(stage.path)", "PREFIX=/opt/fleettui-test"], timeout: 60)
        #expect(un.status == 0 && !FileManager.default.fileExists(atPath: root + "/bin/fleettui"))
    }
}
