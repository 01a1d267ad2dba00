import Foundation
import GreenMineShared

/// An upload the server refused for good, or that cannot be made at all (the local copy is gone).
struct UploadRefusal: Error, Sendable {
    var detail: APIErrorDetail
}
