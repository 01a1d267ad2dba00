import Foundation

/// A transport that tells the sync's `LinkMeter` of every answer, so the sync knows the link
/// works and waits out a later outage instead of giving up.
struct MeteredTransport: APITransport {
    var inner: any APITransport
    var link: LinkMeter

    func send(_ request: APIRequest) async throws -> APIResponse {
        let response = try await inner.send(request)
        link.noteAnswer()
        return response
    }
}
