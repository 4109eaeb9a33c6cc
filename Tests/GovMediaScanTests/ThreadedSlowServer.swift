import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A slow HTTP server on 127.0.0.1 that serves each connection on a thread of its own, with
/// blocking sockets and `usleep` between pieces. It shares nothing with Swift's task pool:
/// when every test of the run is busy (CI runs them all at once in one process) the pool can
/// be starved for seconds, and a server living on it would stall its own transfers — which
/// is what this suite must tell apart from a scan that stops driving them.
final class ThreadedSlowServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    /// The body of `GET /feed/ID` as pieces, and the pause (µs) before each piece.
    private let respond: @Sendable (String) -> (pieces: [[UInt8]], pause: UInt32)
    /// Send no Content-Length: the body ends when the connection closes, so a client cannot
    /// refuse it by its announced size before the bytes arrive.
    private let closeDelimited: Bool

    /// Listens on `address` (any of 127.0.0.0/8 on Linux, so tests can stand for many hosts).
    init(address: String = "127.0.0.1", closeDelimited: Bool = false,
         respond: @escaping @Sendable (String) -> (pieces: [[UInt8]], pause: UInt32)) throws {
        self.respond = respond
        self.closeDelimited = closeDelimited
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let host = address
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        let accepting = Thread { [self] in acceptLoop() }
        accepting.start()
    }

    /// Stops accepting; connections being served finish on their own threads.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                return
            }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.ends(with: [13, 10, 13, 10]) {
            let n = read(connection, &buffer, buffer.count)
            guard n > 0 else { return }
            request += buffer[0..<n]
            if request.count > 65_536 { return }
        }
        // "GET /feed/ID HTTP/1.1": the ID is the path's last part.
        let line = String(decoding: request.prefix { $0 != 13 }, as: UTF8.self).split(separator: " ")
        guard line.count >= 2 else { return }
        let id = String(line[1].split(separator: "/").last ?? "")
        let (pieces, pause) = respond(id)
        let length = pieces.reduce(0) { $0 + $1.count }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
            + (closeDelimited ? "" : "Content-Length: \(length)\r\n") + "Connection: close\r\n\r\n"
        guard send(connection, Array(head.utf8)) else { return }
        for piece in pieces {
            if pause > 0 { usleep(pause) }
            guard send(connection, piece) else { return }
        }
    }

    private func send(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
