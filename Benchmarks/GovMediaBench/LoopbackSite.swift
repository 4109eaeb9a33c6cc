import Foundation

/// A deliberately small HTTP/1.1 server on 127.0.0.1 for the scan benchmark: one thread
/// per connection, keep-alive, each response written with one `write` so the client is
/// never left waiting on Nagle's algorithm. It serves a fixed map of path → body.
final class LoopbackSite: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let pages: [String: (contentType: String, body: [UInt8])]

    init(pages: [String: (contentType: String, body: [UInt8])]) throws {
        self.pages = pages
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 512) == 0 else { throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) }
        }
        self.listener = listener
        port = UInt16(bigEndian: addr.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { continue }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            Thread { [self] in serve(fd) }.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var pending = [UInt8]()
        while true {
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { return }
            pending.append(contentsOf: buffer[0..<n])
            while let end = headerEnd(pending) {
                let head = String(decoding: pending[0..<end], as: UTF8.self)
                pending.removeFirst(end + 4)
                let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
                respond(fd, path)
            }
        }
    }

    private func respond(_ fd: Int32, _ path: String) {
        let page = pages[path]
        let status = page == nil ? "404 Not Found" : "200 OK"
        let body = page?.body ?? Array("not found".utf8)
        var response = Array("HTTP/1.1 \(status)\r\nContent-Type: \(page?.contentType ?? "text/plain")\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
        response += body
        var sent = 0
        while sent < response.count {
            let n = response.withUnsafeBytes { write(fd, $0.baseAddress! + sent, response.count - sent) }
            guard n > 0 else { return }
            sent += n
        }
    }

    private func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }
}
