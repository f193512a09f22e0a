import ConsoleBridge
import ConsoleCore
import FleetCore
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// VeNCrypt/X509 and VNC password authentication against real QEMU VNC servers (no guest: the BIOS
/// screen is the picture), started here with a CA and certificate made by openssl.
@Suite(.serialized) struct VNCRealServerAuth {
    /// A CA, and a server certificate for 127.0.0.1 signed by it, as QEMU's tls-creds-x509 wants them.
    static func makeCertificates() throws -> String {
        let dir = NSTemporaryDirectory() + "vnc-tls-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n"
            .write(toFile: dir + "/ext.cnf", atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca-cert.pem", "-days", "2", "-subj", "/CN=FleetTUI test CA"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server-key.pem", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca-cert.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
             "-out", "server-cert.pem", "-days", "2", "-extfile", "ext.cnf"],
            // Another CA, which did not sign the server's certificate.
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-key.pem", "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=Someone else"],
        ]
        for args in steps {
            let r = try Spawn.run("/usr/bin/env", ["sh", "-c", "cd \"$0\" && exec openssl \"$@\"", dir] + args)
            guard r.status == 0 else { throw Spawn.Failure(description: "openssl \(args.prefix(2).joined(separator: " ")): \(r.err)") }
        }
        return dir
    }

    private func session(port: Int, _ adjust: (inout VNCSessionConfiguration) -> Void) -> (VNCSession, SessionProbe) {
        var c = VNCSessionConfiguration(endpoint: .tcp(host: "127.0.0.1", port: port))
        c.connectTimeout = 5
        c.readTimeout = 5
        adjust(&c)
        return startSession(c)
    }

    /// The outcome of one attempt: a non-blank frame, or the error the session ended with.
    private func attempt(port: Int, _ adjust: (inout VNCSessionConfiguration) -> Void) -> (frame: VNCFrameUpdate?, error: String?) {
        let (s, probe) = session(port: port, adjust)
        defer { s.close(); s.waitUntilFinished(timeout: 5) }
        let frame = waitForPicture(s, probe, timeout: 15)
        let picture = frame.flatMap { f in f.pixels.contains { $0 != f.pixels.first } ? f : nil }
        let err: String? = probe.closed.flatMap { $0.map { "\($0)" } }
        return (picture, err)
    }

    @Test func veNCryptX509DisplayIsReadWithTheRightCAAndRefusedWithAnother() throws {
        let dir = try Self.makeCertificates()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let qemu = try QEMUVNCDisplay(vncOptions: "tls-creds=tls0",
                                   objects: ["tls-creds-x509,id=tls0,dir=\(dir),endpoint=server,verify-peer=off"])

        let good = attempt(port: qemu.port) {
            $0.security = VNCSecurityPolicy(allowTLS: true, requireTLS: true, tlsCACertFile: dir + "/ca-cert.pem")
            $0.tlsServerName = "127.0.0.1"
        }
        let frame = try #require(good.frame, "no picture over VeNCrypt/X509: \(good.error ?? "no error")")
        #expect(frame.width == 720 && frame.height == 400, "the BIOS screen in VGA text mode: \(frame.width)x\(frame.height)")

        let wrongCA = attempt(port: qemu.port) {
            $0.security = VNCSecurityPolicy(allowTLS: true, requireTLS: true, tlsCACertFile: dir + "/other-ca.pem")
            $0.tlsServerName = "127.0.0.1"
        }
        #expect(wrongCA.frame == nil, "a certificate from another CA must not be accepted")
        #expect(wrongCA.error != nil)

        // TLS not allowed by the user: the display (VeNCrypt only) is refused, never used some other way.
        let notAllowed = attempt(port: qemu.port) { _ in }
        #expect(notAllowed.frame == nil)
        #expect(notAllowed.error != nil)
    }

    @Test func vncPasswordDisplayOpensWithTheRightPasswordOnly() throws {
        let qemu = try QEMUVNCDisplay(vncOptions: "password-secret=pw0", objects: ["secret,id=pw0,data=s3cret"])

        let good = attempt(port: qemu.port) { $0.password = { VNCPassword(bytes: Array("s3cret".utf8)) } }
        let frame = try #require(good.frame, "no picture with the right password: \(good.error ?? "no error")")
        #expect(frame.width == 720 && frame.height == 400)

        let wrong = attempt(port: qemu.port) { $0.password = { VNCPassword(bytes: Array("guess".utf8)) } }
        #expect(wrong.frame == nil && wrong.error != nil, "a wrong password must fail")

        let none = attempt(port: qemu.port) { _ in }
        #expect(none.frame == nil && none.error != nil, "no password given must fail, not hang")
    }
}
