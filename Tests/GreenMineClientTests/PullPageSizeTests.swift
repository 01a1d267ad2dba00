import Foundation
import Testing
@testable import GreenMineClient

/// Issue 15: pull pages start at the preferred size, grow to the server's largest on a fast link (a page
/// costs a round trip and a transaction whatever its size) and shrink to what a slow link carries in
/// `LinkMeter.requestSeconds`.
struct PullPageSizeTests {
    @Test func pagesGrowOnAFastLinkAndShrinkOnASlowOne() {
        let fast = LinkMeter(maxChunk: 8 << 20)
        #expect(fast.pullLimit(preferred: 500, largest: 5000) == 500)
        fast.recordPage(records: 500, seconds: 0.05)
        #expect(fast.pullLimit(preferred: 500, largest: 5000) == 5000)

        let slow = LinkMeter(maxChunk: 8 << 20)
        slow.recordPage(records: 500, seconds: 60)
        #expect(slow.pullLimit(preferred: 500, largest: 5000) == 125)
        let crawl = LinkMeter(maxChunk: 8 << 20)
        crawl.recordPage(records: 500, seconds: 3600)
        #expect(crawl.pullLimit(preferred: 500, largest: 5000) == 20)

        // Never past the server's largest page, measured or not.
        let eager = LinkMeter(maxChunk: 8 << 20)
        #expect(eager.pullLimit(preferred: 8000, largest: 5000) == 5000)
        eager.recordPage(records: 5000, seconds: 0.01)
        #expect(eager.pullLimit(preferred: 8000, largest: 5000) == 5000)
    }
}
