import CCurl
import DequeModule
import Foundation
import GovMediaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What one attempt produced, before the retry decision.
struct AttemptOutcome {
    var status: Int
    var finalURL: String
    var redirectCount: Int
    var headers: [FetchHeader]
    var body: Data
    var failure: FetchFailure?

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// One attempt at one URL: owns its curl easy handle, the header list and the error
/// buffer curl writes into, and collects what curl's callbacks deliver.
///
/// Only the fetch loop's thread touches a transfer. curl's callbacks find it through the
/// unretained pointer set as WRITEDATA/HEADERDATA/OPENSOCKETDATA; the loop's `active`
/// table keeps it alive for as long as the handle is attached to the multi handle.
final class Transfer {
    /// The `CURL *` this transfer owns; freed in `deinit`.
    let handle: UnsafeMutableRawPointer
    /// The URL as requested, for messages.
    let url: String
    private let maxBodyBytes: Int
    private let maxRedirects: Int
    private let allowPrivateAddresses: Bool
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var requestHeaders: UnsafeMutablePointer<curl_slist>?

    private(set) var body = Data()
    /// The loop's slots for large bodies, shared by its transfers (loop thread only).
    private let largeBodies: LargeBodySlots
    private let largeBodyBytes: Int
    /// This transfer holds one of the loop's large-body slots; given back by the loop.
    var holdsLargeSlot = false
    /// Paused waiting for a large-body slot; the loop resumes it when one frees.
    var pausedForSlot = false
    private(set) var headers: [FetchHeader] = []
    /// Set when the body cap stopped the transfer, so curl's WRITE_ERROR reads as `too-large`.
    private(set) var exceededBodyCap = false
    /// Set when the address check refused a connection, so COULDNT_CONNECT reads as
    /// `private-address`.
    private(set) var refusedAddress: String?

    /// Makes and configures the easy handle for `request`.
    init(request: FetchRequest, configuration: FetchConfiguration, largeBodies: LargeBodySlots) throws(CurlCallError) {
        guard let handle = curl_easy_init() else {
            throw CurlCallError(easyCode: nil, operation: "curl_easy_init", curlMessage: "out of memory")
        }
        self.handle = handle
        self.url = request.url
        self.maxBodyBytes = configuration.maxBodyBytes
        self.largeBodies = largeBodies
        self.largeBodyBytes = configuration.largeBodyBytes
        self.maxRedirects = configuration.maxRedirects
        self.allowPrivateAddresses = configuration.allowPrivateAddresses || request.allowsInternalAddress
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try configure(request: request, configuration: configuration)
    }

    deinit {
        // The loop removes the handle from the multi handle before dropping the transfer.
        curl_easy_cleanup(handle)
        curl_slist_free_all(requestHeaders)
        errorBuffer.deallocate()
    }

    private func configure(request: FetchRequest, configuration c: FetchConfiguration) throws(CurlCallError) {
        func set(_ option: CURLoption, _ value: Int, _ name: String) throws(CurlCallError) {
            try Curl.check(ccurl_setopt_long(handle, option, value), name)
        }
        func set(_ option: CURLoption, _ value: String, _ name: String) throws(CurlCallError) {
            // curl copies string options (since 7.17), so a temporary C string is enough.
            try Curl.check(value.withCString { ccurl_setopt_string(handle, option, $0) }, name)
        }
        let context = Unmanaged.passUnretained(self).toOpaque()

        try set(CURLOPT_URL, request.url, "CURLOPT_URL")
        // Signals cannot be used for timeouts in a multi-threaded process.
        try set(CURLOPT_NOSIGNAL, 1, "CURLOPT_NOSIGNAL")
        try set(CURLOPT_PROTOCOLS_STR, "http,https", "CURLOPT_PROTOCOLS_STR")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https", "CURLOPT_REDIR_PROTOCOLS_STR")
        try set(CURLOPT_FOLLOWLOCATION, 1, "CURLOPT_FOLLOWLOCATION")
        try set(CURLOPT_MAXREDIRS, c.maxRedirects, "CURLOPT_MAXREDIRS")
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(c.connectTimeout), "CURLOPT_CONNECTTIMEOUT_MS")
        try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(c.totalTimeout), "CURLOPT_TIMEOUT_MS")
        try set(CURLOPT_LOW_SPEED_LIMIT, c.lowSpeedLimit, "CURLOPT_LOW_SPEED_LIMIT")
        try set(CURLOPT_LOW_SPEED_TIME, c.lowSpeedTime, "CURLOPT_LOW_SPEED_TIME")
        // Refuses early when Content-Length announces too much; the write callback covers
        // chunked and compressed bodies.
        try Curl.check(ccurl_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(c.maxBodyBytes)), "CURLOPT_MAXFILESIZE_LARGE")
        try set(CURLOPT_ACCEPT_ENCODING, "", "CURLOPT_ACCEPT_ENCODING")
        try set(CURLOPT_USERAGENT, c.userAgent, "CURLOPT_USERAGENT")
        try set(CURLOPT_SSL_VERIFYPEER, 1, "CURLOPT_SSL_VERIFYPEER")
        try set(CURLOPT_SSL_VERIFYHOST, 2, "CURLOPT_SSL_VERIFYHOST")
        // Environment proxies are ignored: through a proxy the address check would see the
        // proxy, not the site, and the private-address guard would be void.
        try set(CURLOPT_PROXY, "", "CURLOPT_PROXY")
        try Curl.check(ccurl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")

        try Curl.check(ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let context else { return 0 }
            return Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().receiveBody(data, size * count)
        }, "CURLOPT_WRITEFUNCTION")
        try Curl.check(ccurl_setopt_ptr(handle, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
        try Curl.check(ccurl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let context else { return 0 }
            return Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().receiveHeader(data, size * count)
        }, "CURLOPT_HEADERFUNCTION")
        try Curl.check(ccurl_setopt_ptr(handle, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
        try Curl.check(ccurl_setopt_opensocket(handle) { context, _, address in
            guard let context, let address else { return ccurl_socket_bad() }
            return Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().openSocket(address)
        }, "CURLOPT_OPENSOCKETFUNCTION")
        try Curl.check(ccurl_setopt_ptr(handle, CURLOPT_OPENSOCKETDATA, context), "CURLOPT_OPENSOCKETDATA")

        var lines: [String] = []
        if let etag = Self.headerValue(request.etag) { lines.append("If-None-Match: \(etag)") }
        if let date = Self.headerValue(request.lastModified) { lines.append("If-Modified-Since: \(date)") }
        for header in request.headers {
            guard let value = Self.headerValue(header.value), !header.name.isEmpty,
                  header.name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { continue }
            lines.append("\(header.name): \(value)")
        }
        if let body = request.postBody {
            // libcurl copies the bytes, so a retry's new handle and this one never share them.
            try Curl.check(ccurl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "CURLOPT_POSTFIELDSIZE_LARGE")
            let code = body.isEmpty ? CURLE_OK : body.withUnsafeBytes { raw in
                ccurl_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress!))
            }
            if body.isEmpty { try set(CURLOPT_POST, 1, "CURLOPT_POST") }
            try Curl.check(code, "CURLOPT_COPYPOSTFIELDS")
        }
        // A credential is never carried to another host by a redirect.
        if !request.headers.isEmpty { try set(CURLOPT_FOLLOWLOCATION, 0, "CURLOPT_FOLLOWLOCATION") }
        if request.allowsInternalAddress && !c.allowPrivateAddresses {
            // A connection opened under a bridge's permission is never shared: left in curl's
            // pool, or multiplexed (HTTP/2) while in use, it would carry an account's transfer
            // to the same host past the address policy without its socket ever being checked.
            // So: its own new connection, HTTP/1.1 (one transfer per connection), closed after.
            // And no redirects: the permission is for the bridge's address, not wherever it points.
            try set(CURLOPT_FRESH_CONNECT, 1, "CURLOPT_FRESH_CONNECT")
            try set(CURLOPT_FORBID_REUSE, 1, "CURLOPT_FORBID_REUSE")
            try set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1, "CURLOPT_HTTP_VERSION")
            try set(CURLOPT_FOLLOWLOCATION, 0, "CURLOPT_FOLLOWLOCATION")
        }
        for line in lines {
            guard let list = line.withCString({ curl_slist_append(requestHeaders, $0) }) else {
                throw CurlCallError(easyCode: nil, operation: "curl_slist_append", curlMessage: "out of memory")
            }
            requestHeaders = list
        }
        if let requestHeaders {
            try Curl.check(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, requestHeaders), "CURLOPT_HTTPHEADER")
        }
    }

    /// A stored validator, or nil if empty or if it would smuggle in another header line.
    private static func headerValue(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty,
              !value.contains(where: { $0 == "\r" || $0 == "\n" }) else { return nil }
        return value
    }

    /// `bytes` without leading and trailing spaces, tabs, CRs and LFs.
    private static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else {
            return bytes[bytes.startIndex..<bytes.startIndex]
        }
        return bytes[first...last]
    }

    private static func milliseconds(_ seconds: TimeInterval) -> Int {
        Int((max(0.001, seconds) * 1000).rounded(.up))
    }

    // MARK: Callbacks (on the loop thread, inside curl_multi_perform)

    /// Appends body bytes, stopping the transfer once the cap would be passed: returning
    /// fewer bytes than offered makes curl abort with CURLE_WRITE_ERROR.
    private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data, count > 0 else { return count }
        if body.count + count > largeBodyBytes, !holdsLargeSlot {
            guard largeBodies.acquire() else {
                // curl keeps these bytes and offers them again once resumed.
                pausedForSlot = true
                largeBodies.waiting.append(handle)
                return Self.writePause
            }
            holdsLargeSlot = true
        }
        let room = maxBodyBytes - body.count
        if count > room {
            if room > 0 {
                body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: room)
                largeBodies.hold(room)
            }
            exceededBodyCap = true
            return 0
        }
        body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: count)
        largeBodies.hold(count)
        return count
    }

    /// CURL_WRITEFUNC_PAUSE (a cast macro, which Swift does not import).
    private static let writePause = 0x1000_0001

    /// Collects the header lines of the latest response; a status line starts a new
    /// response (a redirect hop, or a 100 Continue), so the list restarts there.
    private func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data, count > 0 else { return count }
        // Read as bytes: this runs for every header line of every transfer on the fetch thread,
        // where Foundation's character-set trimming cost more than the rest of the callback.
        let line = UnsafeRawBufferPointer(start: data, count: count).bindMemory(to: UInt8.self)
        if line.starts(with: "HTTP/".utf8) {
            headers.removeAll(keepingCapacity: true)
            return count
        }
        let whole = Self.trimmed(line[...])
        guard !whole.isEmpty else { return count }
        if line[0] == UInt8(ascii: " ") || line[0] == UInt8(ascii: "\t"), !headers.isEmpty {
            // Obsolete line folding: the line continues the previous value.
            headers[headers.count - 1].value += " " + String(decoding: whole, as: UTF8.self)
        } else if let colon = whole.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: Self.trimmed(whole[..<colon]), as: UTF8.self)
            let value = String(decoding: Self.trimmed(whole[(colon + 1)...]), as: UTF8.self)
            headers.append(FetchHeader(name: name, value: value))
        }
        return count
    }

    /// Opens the socket for a connection curl is about to make, after DNS resolution and
    /// on every hop, unless the address is internal and internal addresses are not allowed.
    private func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        if !allowPrivateAddresses, let sockaddr = ccurl_sockaddr_address(address), AddressPolicy.isInternal(sockaddr) {
            refusedAddress = AddressPolicy.describe(sockaddr)
            return ccurl_socket_bad()
        }
        return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
    }

    // MARK: Outcome

    /// Reads what curl reports about the finished attempt and classifies it.
    func outcome(code: CURLcode) -> AttemptOutcome {
        var status = 0
        var redirects = 0
        var effective: UnsafeMutablePointer<CChar>?
        // Reading these from a finished handle does not fail in practice; if it ever did, the
        // defaults still give a classified result, so a failed read is not worth more.
        try? Curl.check(ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status), "CURLINFO_RESPONSE_CODE")
        try? Curl.check(ccurl_getinfo_long(handle, CURLINFO_REDIRECT_COUNT, &redirects), "CURLINFO_REDIRECT_COUNT")
        try? Curl.check(ccurl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective), "CURLINFO_EFFECTIVE_URL")
        let finalURL = effective.map { String(cString: $0) } ?? url

        var outcome = AttemptOutcome(
            status: status, finalURL: finalURL, redirectCount: redirects,
            headers: headers, body: body, failure: nil
        )
        if code != CURLE_OK {
            outcome.failure = failure(forCurlCode: code)
        } else if let kind = Self.failureKind(forStatus: status) {
            let reason = kind == .http4xx || kind == .http5xx
                ? "服务器返回 HTTP \(status)" : "意外的 HTTP 状态 \(status)"
            outcome.failure = FetchFailure(kind: kind, message: "抓取 \(WebAddress.withoutUserInfo(url)) 失败：\(reason)")
        }
        if outcome.failure?.kind == .tooLarge {
            // The start of an oversized body is evidence enough of what the site sent; keeping
            // all of it would hold the cap's worth of memory per result waiting to be stored.
            outcome.body = body.count > Self.oversizedEvidenceBytes ? body.subdata(in: 0..<Self.oversizedEvidenceBytes) : body
        } else if let kind = outcome.failure?.kind, kind == .http4xx || kind == .http5xx {
            // An error page says why (a feed bridge's "cookie expired"): its start is kept to
            // classify the failure and as evidence.
            outcome.body = body.count > Self.errorPageBytes ? body.subdata(in: 0..<Self.errorPageBytes) : body
        } else if outcome.failure != nil {
            outcome.body = Data()
        }
        if status == 304 { outcome.body = Data() }
        return outcome
    }

    /// How much of a body over the cap is kept as evidence.
    static let oversizedEvidenceBytes = 256 * 1024
    /// How much of an HTTP error page is kept.
    static let errorPageBytes = 64 * 1024

    /// The class of a completed HTTP exchange: nil for 2xx and 304.
    static func failureKind(forStatus status: Int) -> FetchFailureKind? {
        switch status {
        case 200..<300, 304: return nil
        case 400..<500: return .http4xx
        case 500..<600: return .http5xx
        default: return .protocol
        }
    }

    private func failure(forCurlCode code: CURLcode) -> FetchFailure {
        let bufferText = String(cString: errorBuffer)
        let curlText = bufferText.isEmpty ? Curl.message(for: code) : bufferText
        let kind: FetchFailureKind
        let reason: String
        if refusedAddress != nil && code == CURLE_COULDNT_CONNECT {
            kind = .privateAddress
            reason = "目标解析到内网、本机或保留地址（\(refusedAddress ?? "")），已拒绝连接"
        } else if exceededBodyCap || code == CURLE_FILESIZE_EXCEEDED {
            kind = .tooLarge
            reason = "响应体超过上限 \(maxBodyBytes) 字节，已中止"
        } else {
            switch code {
            case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
                kind = .dns; reason = "无法解析域名"
            case CURLE_COULDNT_CONNECT:
                kind = .connect; reason = "无法连接服务器"
            case CURLE_OPERATION_TIMEDOUT:
                kind = .timeout; reason = "超时（连接超时、总时长超限或传输速度过低）"
            case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
                 CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
                 CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
                 CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
                 CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT:
                kind = .tls; reason = "TLS 握手或证书校验失败"
            case CURLE_UNSUPPORTED_PROTOCOL:
                kind = .badScheme; reason = "只允许 http 和 https 地址（重定向目标同样受限）"
            case CURLE_TOO_MANY_REDIRECTS:
                kind = .tooManyRedirects; reason = "重定向超过 \(maxRedirects) 次（可能是重定向循环）"
            default:
                kind = .protocol; reason = "传输出错"
            }
        }
        // A refused address is govmedia's own refusal: curl's "Couldn't connect to server"
        // would tell the officer the site is down.
        let said = kind == .privateAddress ? "" : "（curl：\(curlText)）"
        return FetchFailure(kind: kind, message: "抓取 \(WebAddress.withoutUserInfo(url)) 失败：\(reason)\(said)", curlMessage: curlText)
    }
}

/// The fetch loop's slots for transfers holding a large body, and the transfers paused
/// waiting for one, oldest first. Loop thread only.
final class LargeBodySlots {
    private(set) var free: Int
    var waiting = Deque<UnsafeMutableRawPointer>()
    /// Body bytes held by the transfers in flight, and the most held at once.
    private(set) var held = 0
    private(set) var peakHeld = 0

    func hold(_ count: Int) {
        held += count
        peakHeld = max(peakHeld, held)
    }

    func drop(_ count: Int) { held -= count }

    init(_ count: Int) { free = max(1, count) }

    func acquire() -> Bool {
        guard free > 0 else { return false }
        free -= 1
        return true
    }

    func release() { free += 1 }
}
