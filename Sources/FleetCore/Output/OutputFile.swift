import Foundation

/// Opening a file the user named (`--csv FILE`, FLEETTUI_*_LOG=FILE) for writing, in place.
///
/// Never `FileManager.createFile(atPath:contents:)` for this: swift-corelibs-foundation writes it atomically
/// (a temporary file renamed over the path), so `--csv /dev/null` run as root replaced the machine's /dev/null
/// with a regular file (and a symlink, a FIFO or another owner's file would be replaced the same way).
/// Here an absent file is created with O_EXCL (nothing that exists is ever replaced) and the path is then
/// opened as it is: a device, FIFO or symlink stays what it was.
public enum OutputFile {
    /// A handle writing PATH: from its start, emptied first (`append == false`; devices and FIFOs are not
    /// truncated), or at its end. `permissions` applies only to a file created here. nil if it cannot be opened.
    public static func open(_ path: String, append: Bool = false, permissions: Int? = nil) -> FileHandle? {
        let url = URL(fileURLWithPath: path)
        if (try? Data().write(to: url, options: .withoutOverwriting)) != nil, let permissions {
            try? FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        if append {
            _ = try? handle.seekToEnd()
        } else {
            try? handle.truncate(atOffset: 0)   // EINVAL on a device or FIFO: nothing to empty there
        }
        return handle
    }
}
