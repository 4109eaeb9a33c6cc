import CCurl

/// A libcurl call that returned an error code, with what was being done.
///
/// Internal: callers see these only as a classified `FetchFailure`.
struct CurlCallError: Error, CustomStringConvertible {
    /// The easy-interface code, when the failing call was an easy one.
    var easyCode: CURLcode?
    /// What the call was for, e.g. "CURLOPT_URL".
    var operation: String
    /// curl's own words for the code.
    var curlMessage: String

    var description: String { "\(operation): \(curlMessage)" }
}

/// The one place every libcurl return code is checked: easy and multi codes become a
/// `CurlCallError` carrying curl's text, so no call site can quietly ignore one.
enum Curl {
    /// `curl_global_init` must run once per process before any other curl call, and is not
    /// thread-safe; a static let gives exactly that. Its result is checked when a fetcher is made.
    static let globalInit: CURLcode = ccurl_global_init_default()

    /// Ensures global initialisation happened and succeeded.
    static func ensureInitialized() throws(CurlCallError) {
        try check(globalInit, "curl_global_init")
    }

    /// Checks an easy-interface code.
    static func check(_ code: CURLcode, _ operation: @autoclosure () -> String) throws(CurlCallError) {
        guard code != CURLE_OK else { return }
        throw CurlCallError(easyCode: code, operation: operation(), curlMessage: message(for: code))
    }

    /// Checks a multi-interface code.
    static func check(_ code: CURLMcode, _ operation: @autoclosure () -> String) throws(CurlCallError) {
        guard code != CURLM_OK else { return }
        let text = curl_multi_strerror(code).map { String(cString: $0) } ?? "CURLMcode \(code.rawValue)"
        throw CurlCallError(easyCode: nil, operation: operation(), curlMessage: text)
    }

    /// curl's description of an easy code.
    static func message(for code: CURLcode) -> String {
        curl_easy_strerror(code).map { String(cString: $0) } ?? "CURLcode \(code.rawValue)"
    }
}
