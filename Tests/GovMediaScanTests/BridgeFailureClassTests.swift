import Foundation
import GovMediaCore
import GovMediaFetch
@testable import GovMediaScan
import GovMediaStore
import Testing

/// A bridge's failure is classified from what the bridge answered, and only then.
@Suite("a bridge's failure classes")
struct BridgeFailureClassTests {
    let account = Account(id: "wx", name: "净月发布", platform: .wechat, owner: "党政办", ownerKind: .department,
                          url: try! WebAddress("https://mp.weixin.qq.com/s/abc"), registeredOn: "2024-01-01", source: .bridge("wechat"))

    private func result(status: Int, body: String, failure: FetchFailure?) -> FetchResult {
        FetchResult(request: FetchRequest(id: "wx", url: "http://bridge.intranet:8001/feeds/x.rss"), finalURL: "http://bridge.intranet:8001/feeds/x.rss",
                    status: status, headers: [], body: Data(body.utf8), startedAt: Date(), duration: 0.1, attempts: 1, redirectCount: 0,
                    failure: failure)
    }

    @Test("a 401 page that says the login expired is source-auth, and the message says what the bridge answered")
    func answeredAuth() {
        let failure = FetchFailure(kind: .http4xx, message: "抓取 http://bridge.intranet:8001/feeds/x.rss 失败：服务器返回 HTTP 401")
        let e = Scanner.evidence(result(status: 401, body: "{\"detail\":\"login expired, scan the QR code\"}", failure: failure),
                                 account: account, bridge: "wechat")
        #expect(e.failure == .sourceAuth)
        #expect(e.failureMessage?.hasPrefix("数据源答复 HTTP 401：") == true, "\(e.failureMessage ?? "")")
    }

    @Test("a TLS failure whose text says 'certificate has expired' is not an expired login: nothing was answered")
    func transportNotClassified() {
        let failure = FetchFailure(kind: .tls, message: "抓取 https://bridge.intranet/x 失败：TLS 握手或证书校验失败（curl：SSL certificate problem: certificate has expired）")
        let e = Scanner.evidence(result(status: 0, body: "", failure: failure), account: account, bridge: "wechat")
        #expect(e.failure == .tls)
        #expect(e.failureMessage?.contains("数据源答复") == false)
    }
}
