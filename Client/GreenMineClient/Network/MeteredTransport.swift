import Foundation

/// A transport that tells the sync's `LinkMeter` of every answer, so the sync knows the link
/// works and waits out a later outage instead of giving up.
struct MeteredTransport: APITransport {
    var inner: any APITransport
    var link: LinkMeter

    func send(_ request: APIRequest) async throws -> APIResponse {
        let started = ContinuousClock.now
        let response = try await inner.send(request)
        link.noteAnswer()
        // Push batches measure the link too, by the bytes they put on the wire (a PATCH is measured by
        // its acknowledged bytes in the uploader; a pull page's body arrives decompressed, so its size
        // says nothing of the wire — pages are sized by records per second instead). Small requests
        // say more about latency and are left out by `record`.
        if request.bodyFile == nil, let body = request.body {
            let bytes = Int64(body.count)
            link.record(bytes: bytes, seconds: (ContinuousClock.now - started).inSeconds)
        }
        return response
    }
}
