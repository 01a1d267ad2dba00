import Foundation
import Testing
@testable import GreenMineServer

/// Failed logins are limited per account and per address, and what is kept does not grow for ever.
struct LoginThrottleTests {
    @Test func keysTriedOnceAreSweptAfterTheWindow() async {
        let throttle = LoginThrottle(accountLimit: 5, addressLimit: 20, window: 900)
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        for index in 0..<1_000 {
            await throttle.recordFailure(account: "guess\(index)", address: "10.0.\(index / 250).\(index % 250)",
                                         now: start.addingTimeInterval(Double(index) / 10))
        }
        #expect(await throttle.keptKeys == 2_000)
        // One failure after the window: everything older is swept, only the new pair is kept.
        await throttle.recordFailure(account: "late", address: "10.9.9.9", now: start.addingTimeInterval(2_000))
        #expect(await throttle.keptKeys == 2)
    }

    @Test func theLimitStillHoldsWithinTheWindow() async {
        let throttle = LoginThrottle(accountLimit: 3, addressLimit: 20, window: 900)
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        for second in 0..<3 {
            await throttle.recordFailure(account: "demo-ent1", address: "127.0.0.1", now: start.addingTimeInterval(Double(second)))
        }
        let wait = await throttle.retryAfter(account: "demo-ent1", address: "127.0.0.1", now: start.addingTimeInterval(10))
        #expect(wait == 890)
        #expect(await throttle.retryAfter(account: "demo-ent1", address: "127.0.0.1",
                                          now: start.addingTimeInterval(901)) == nil)
    }
}
